"""A session's uploaded events: random tokens, served to a live session only, dropped with it."""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ui import sessiondata

FC = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"t": "é"}}]}


@pytest.fixture(autouse=True)
def _empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sessiondata, "_entries", {})
    monkeypatch.setattr(sessiondata, "_state", {"mounted": False, "last_sweep": 0.0})


def _alive(*ids: str) -> Callable[[str], bool]:
    return lambda sid: sid in ids


def _token(path: str) -> str:
    assert path.startswith(sessiondata.ROUTE_PREFIX)
    return path.removeprefix(sessiondata.ROUTE_PREFIX)


def test_tokens_are_random_not_derived_from_the_content() -> None:
    a = _token(sessiondata.put("s1", FC, alive=_alive("s1", "s2")))
    b = _token(sessiondata.put("s2", FC, alive=_alive("s1", "s2")))
    assert a != b and len(a) >= 20
    assert json.loads(gzip.decompress(sessiondata.get(a, alive=_alive("s1", "s2")))) == FC


def test_one_upload_per_session_and_removal_drops_it() -> None:
    first = _token(sessiondata.put("s1", FC, alive=_alive("s1")))
    second = _token(sessiondata.put("s1", FC, alive=_alive("s1")))
    assert sessiondata.get(first, alive=_alive("s1")) is None  # replaced by the new file
    assert sessiondata.get(second, alive=_alive("s1")) is not None
    assert sessiondata.drop_session("s1") == 1
    assert sessiondata.get(second, alive=_alive("s1")) is None
    assert sessiondata.held_bytes() == 0


def test_data_of_an_ended_session_is_never_served_and_is_swept() -> None:
    t1 = _token(sessiondata.put("s1", FC, alive=_alive("s1", "s2")))
    t2 = _token(sessiondata.put("s2", FC, alive=_alive("s1", "s2")))
    assert sessiondata.get(t1, alive=_alive("s2")) is None  # s1 ended
    assert sessiondata.sweep(alive=_alive(), force=True) == 1  # s2 ended too
    assert sessiondata.get(t2, alive=_alive("s2")) is None
    assert sessiondata.held_bytes() == 0


def test_outside_a_server_no_session_is_alive() -> None:
    t = _token(sessiondata.put("s1", FC, alive=_alive("s1")))
    assert sessiondata.get(t) is None  # the real check: no Streamlit runtime here


def _call(route: Route, token: str, encoding: str = "gzip") -> Response:
    scope = {
        "type": "http",
        "method": "GET",
        "path": sessiondata.ROUTE_PREFIX + token,
        "headers": [(b"accept-encoding", encoding.encode())],
        "path_params": {"token": token},
        "query_string": b"",
    }
    # in a thread of its own: the browser tests' event loop may be running in this one
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, route.endpoint(Request(scope))).result()


def test_route_headers_and_unknown_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    (route,) = sessiondata.routes()
    assert sessiondata.route_mounted()
    monkeypatch.setattr(sessiondata, "_session_alive", _alive("s1"))
    token = _token(sessiondata.put("s1", FC))
    ok = _call(route, token)
    assert ok.status_code == 200
    assert ok.headers["cache-control"] == "no-store"
    assert ok.headers["content-encoding"] == "gzip"
    assert "access-control-allow-origin" not in ok.headers
    assert json.loads(gzip.decompress(ok.body)) == FC
    plain = _call(route, token, encoding="identity")
    assert json.loads(plain.body) == FC and "content-encoding" not in plain.headers
    missing = _call(route, "nope")
    assert missing.status_code == 404 and missing.headers["cache-control"] == "no-store"


def test_put_gzip_keeps_the_compressed_body_as_given() -> None:
    body = gzip.compress(json.dumps(FC).encode())
    token = _token(sessiondata.put_gzip("s1", body, alive=_alive("s1")))
    assert sessiondata.get(token, alive=_alive("s1")) is body  # kept, not copied or re-encoded
    assert sessiondata.held_bytes() == len(body)
    with pytest.raises(ValueError, match="gzip"):
        sessiondata.put_gzip("s1", json.dumps(FC).encode(), alive=_alive("s1"))
    assert sessiondata.get(token, alive=_alive("s1")) is body  # a refused body replaces nothing
