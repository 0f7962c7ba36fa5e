"""A session's uploaded events, served to that session only and dropped with it.

Uploaded events used to be written under static/data/ with a content hash in the name:
world-readable, with ``Access-Control-Allow-Origin: *``, kept after removal and after the
session ended, and confirmable by anyone holding the same file. Now:

* the events of an upload (the map's dataset: compact columns, kmap.map.eventcols) are kept in
  server memory only (gzip-compressed), never on disk;
* it is served at ``/kmap/data/<token>`` where the token is 128 random bits made per upload
  (unguessable, unrelated to the content) and known only to the session's own page;
* the response says ``Cache-Control: no-store`` and carries no CORS header;
* it is dropped when the user removes the file, loads another one, or the session ends
  (a sweep checks Streamlit's runtime for sessions that are gone).

The route is mounted by ``server.py`` (Streamlit's ASGI ``App``); when the app runs without
it (``streamlit run app.py``, AppTest), :func:`route_mounted` is False and the caller passes
the data inline to the map instead.
"""

from __future__ import annotations

import gzip
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

#: URL prefix of the route (not one of Streamlit's reserved prefixes).
ROUTE_PREFIX = "/kmap/data/"
#: Seconds between sweeps for sessions that have ended.
SWEEP_INTERVAL_S = 60.0


@dataclass
class _Entry:
    session_id: str
    body: bytes  # gzip of the dataset's JSON text
    created: float = field(default_factory=time.time)


_lock = threading.Lock()
_entries: dict[str, _Entry] = {}
_state = {"mounted": False, "last_sweep": 0.0}


def route_mounted() -> bool:
    """True when the server serves ROUTE_PREFIX (the app was started through server.py)."""
    return bool(_state["mounted"])


def _session_alive(session_id: str) -> bool:
    """Whether Streamlit still has this session (False outside a running server)."""
    try:
        from streamlit.runtime import Runtime

        return Runtime.exists() and Runtime.instance().is_active_session(session_id)
    except Exception:  # no runtime, or an API change: treat as gone, never serve stale data
        return False


def put(
    session_id: str, feature_collection: dict, *, alive: Callable[[str], bool] | None = None
) -> str:
    """Keep a session's events dataset (any JSON value); returns the URL path that serves it
    (a new random token).

    Any earlier data of the same session is dropped first: one upload per session."""
    text = json.dumps(feature_collection, ensure_ascii=False, separators=(",", ":"))
    return put_gzip(session_id, gzip.compress(text.encode("utf-8"), compresslevel=6), alive=alive)


def put_gzip(session_id: str, body: bytes, *, alive: Callable[[str], bool] | None = None) -> str:
    """Like :func:`put` for a dataset already gzipped (kmap.datasets.events_dataset_gz writes it
    a piece at a time: the columns' text is never held whole); only these bytes are kept."""
    if body[:2] != b"\x1f\x8b":
        raise ValueError("put_gzip takes gzip-compressed JSON")
    token = secrets.token_urlsafe(16)
    with _lock:
        for t in [t for t, e in _entries.items() if e.session_id == session_id]:
            del _entries[t]
        _entries[token] = _Entry(session_id, body)
    sweep(alive=alive)
    return ROUTE_PREFIX + token


def drop_session(session_id: str) -> int:
    """Forget every upload of a session (the file was removed); returns how many."""
    with _lock:
        gone = [t for t, e in _entries.items() if e.session_id == session_id]
        for t in gone:
            del _entries[t]
    return len(gone)


def sweep(*, alive: Callable[[str], bool] | None = None, force: bool = False) -> int:
    """Drop the data of sessions that have ended (at most once per SWEEP_INTERVAL_S unless
    forced); returns how many entries were dropped."""
    now = time.time()
    if not force and now - _state["last_sweep"] < SWEEP_INTERVAL_S:
        return 0
    _state["last_sweep"] = now
    check = alive or _session_alive
    with _lock:
        sessions = {e.session_id for e in _entries.values()}
    dead = {s for s in sessions if not check(s)}
    if not dead:
        return 0
    with _lock:
        gone = [t for t, e in _entries.items() if e.session_id in dead]
        for t in gone:
            del _entries[t]
    return len(gone)


def get(token: str, *, alive: Callable[[str], bool] | None = None) -> bytes | None:
    """The gzip body for a token, or None (unknown token, or its session has ended)."""
    sweep(alive=alive)
    with _lock:
        entry = _entries.get(token)
    if entry is None:
        return None
    if not (alive or _session_alive)(entry.session_id):
        drop_session(entry.session_id)
        return None
    return entry.body


def held_bytes() -> int:
    """Compressed bytes held for all sessions (for the load test and docs)."""
    with _lock:
        return sum(len(e.body) for e in _entries.values())


def routes() -> list:
    """The Starlette route serving ROUTE_PREFIX<token> (mounted by server.py)."""
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    async def serve(request: Request) -> Response:
        body = get(request.path_params["token"])
        headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
        if body is None:
            return Response("not found", status_code=404, headers=headers)
        if "gzip" in request.headers.get("accept-encoding", ""):
            headers["Content-Encoding"] = "gzip"
        else:
            body = gzip.decompress(body)
        return Response(body, media_type="application/json", headers=headers)

    _state["mounted"] = True
    return [Route(ROUTE_PREFIX + "{token}", serve, methods=["GET"])]
