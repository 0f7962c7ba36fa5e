"""The one owner of the view: Streamlit's session state <-> ViewState <-> the URL.

The widgets that show the view (filters, layers...) keep their values under the keys of
VIEW_KEYS; the date window is the key "dates". Everything that changes the view from code (the
timeline strip, presets, step buttons, the map reporting its position) calls
:func:`update_view` (or :func:`set_window`); the view is read back with
:func:`current_view` and the address bar is written from it by :func:`write_url`. A first
run takes its view from the URL (:func:`start`).

Functions take the state as an optional mapping (Streamlit's session state by default), so the
round trip is unit-tested without a running app.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping, MutableMapping
from dataclasses import fields, replace
from typing import Any

import streamlit as st

from kmap.timewindow import preset_of
from kmap.viewstate import ALL_LAYERS, EARLIEST, ViewState, from_query, to_query

#: ViewState field -> the session key (widget key) that holds it; start and end share the
#: key "dates" (the window, set by the timeline strip and the step buttons).
VIEW_KEYS: dict[str, str] = {
    **{f.name: f.name for f in fields(ViewState)},
    "start": "dates",
    "end": "dates",
}


def _state(state: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
    return st.session_state if state is None else state


def widget_values(v: ViewState) -> dict[str, Any]:
    """The session keys, and their widget values, that show view `v`."""
    return {
        "dates": (v.start, v.end),
        "types": list(v.types),
        "actors": list(v.actors),
        "text": v.text,
        "precisions": list(v.precisions),
        "exact_only": v.exact_only,
        "layers": [k for k in ALL_LAYERS if k in v.layers],
        "basemap": v.basemap,
        "toponyms": v.toponyms,
        "center": v.center,
        "zoom": v.zoom,
        "present": v.present,
    }


def view_of(state: Mapping[str, Any]) -> ViewState:
    """The view that the session's widget values show (inverse of widget_values)."""
    start, end = state["dates"]
    return ViewState(
        start=start,
        end=end,
        types=tuple(state["types"]),
        actors=tuple(state["actors"]),
        text=state["text"],
        precisions=tuple(state["precisions"]),
        exact_only=state["exact_only"],
        layers=frozenset(state["layers"]),
        basemap=state["basemap"],
        toponyms=state["toponyms"],
        center=tuple(state["center"]),
        zoom=state["zoom"],
        present=state["present"],
    )


def current_view(state: MutableMapping[str, Any] | None = None) -> ViewState:
    """The view on screen now."""
    return view_of(_state(state))


def start(params: Mapping[str, str], state: MutableMapping[str, Any] | None = None) -> None:
    """First run of a session: the URL's query parameters are its view. Problems found in the
    link are kept for the notices; an online basemap asked for by the link waits for a yes
    (the offline one is drawn meanwhile). Later runs leave the state alone."""
    state = _state(state)
    if "_init" in state:
        return
    v, problems = from_query(params)
    state.update(
        widget_values(replace(v, basemap="offline")),
        _init=True,
        url_problems=problems,
        link_basemap=v.basemap if v.basemap != "offline" else None,
        map_origin=(v.center, v.zoom),  # where this session's map was first drawn
    )


def update_view(state: MutableMapping[str, Any] | None = None, **changes: Any) -> ViewState:
    """Change the view (fields of ViewState): every writer from code goes through here.

    Only the keys of the changed fields are written (a widget drawn in this run must not be
    written to). A date window in reverse order is put in order, and clamped to
    [EARLIEST, today]. Returns the new view."""
    state = _state(state)
    unknown = set(changes) - set(VIEW_KEYS)
    if unknown:
        raise ValueError(f"update_view: unknown view field(s) {', '.join(sorted(unknown))}")
    new = replace(view_of(state), **changes)
    if "start" in changes or "end" in changes:
        today = dt.date.today()
        a, b = sorted((new.start, new.end))
        new = replace(new, start=min(max(a, EARLIEST), today), end=min(max(b, EARLIEST), today))
    values = widget_values(new)
    for key in {VIEW_KEYS[name] for name in changes}:
        if key in SIDEBAR_KEYS:
            write_widget(key, values[key], state)
        else:
            state[key] = values[key]
    return new


def write_widget(key: str, value: Any, state: MutableMapping[str, Any] | None = None) -> None:
    """Write a widget's value from code, noting (new, old, when) for keep_written: a stale
    request from the browser may bring the old value back (see keep_written)."""
    state = _state(state)
    if state.get(key) != value:
        state.setdefault(WRITTEN, {})[key] = (value, state.get(key), time.monotonic())
    state[key] = value


#: The view's keys that are widgets of the sidebar (drawn in full runs only).
SIDEBAR_KEYS = frozenset(
    {"types", "actors", "text", "precisions", "exact_only", "layers", "basemap", "toponyms"}
)
#: Session key of the widget values written from code: key -> (new, old, monotonic time).
WRITTEN = "_written"
#: How long after such a write the old value coming back counts as a stale request (s).
WRITE_GRACE_S = 5.0
#: Session key of what the page's automatic senders (the map's position report, the timeline
#: strip's window) last sent, as this server saw it: component key -> its value.
SEEN = "_auto_seen"


def note_seen(key: str, state: MutableMapping[str, Any] | None = None) -> None:
    """After drawing the map or the strip: remember its value, so that the next run knows
    whether its request brings a new one (auto_report)."""
    state = _state(state)
    state.setdefault(SEEN, {})[key] = state.get(key)


def auto_report(state: MutableMapping[str, Any] | None = None) -> bool:
    """True when this run's request carries something the page sent by itself or for another
    control: a new report of the map, or a window of the strip. A user's change of one widget
    comes in a request of its own, so a code-written widget back at its old value in such a
    request is stale (the browser had not yet received its new value)."""
    state = _state(state)
    return any(k in state and state[k] != v for k, v in (state.get(SEEN) or {}).items())


def stale(
    key: str,
    state: MutableMapping[str, Any] | None = None,
    *,
    fragment_run: bool = False,
    auto: bool = False,
    now: float | None = None,
) -> bool:
    """True when the widget `key`, written from code less than WRITE_GRACE_S ago, is back at
    exactly its old value in a request the user did not make with it: a run of the map's
    fragment (for a sidebar widget, which only a whole-page run can change), or a request
    that carries an automatic report (`auto_report`; for a widget in the fragment: the
    preset box, a deck title)."""
    state = _state(state)
    entry = (state.get(WRITTEN) or {}).get(key)
    if entry is None or state.get(key) != entry[1] or entry[0] == entry[1]:
        return False
    now = time.monotonic() if now is None else now
    not_users = fragment_run if key in SIDEBAR_KEYS else auto
    return not_users and now - entry[2] <= WRITE_GRACE_S


def keep_written(
    state: MutableMapping[str, Any] | None = None,
    *,
    fragment_run: bool = False,
    auto: bool = False,
    now: float | None = None,
) -> None:
    """At the start of every run: a widget value written from code that a stale request
    brought back as exactly its old value (`stale`) is put back.

    The browser sends every widget's value with each request, and Streamlit takes them as the
    user's. The new map reports its position at once, and that request can leave before the
    browser has the rest of the run: it carries the old values (a basemap chosen in a link's
    notice, the preset box after a timeline move, a loaded deck's title were undone that
    way). Any other value, or the old one after the grace, is the user's and stands."""
    state = _state(state)
    now = time.monotonic() if now is None else now
    written = state.get(WRITTEN) or {}
    for key, (new, _old, at) in list(written.items()):
        if stale(key, state, fragment_run=fragment_run, auto=auto, now=now):
            state[key] = new
        elif state.get(key) != new or now - at > WRITE_GRACE_S:
            del written[key]


def fragment_only_run() -> bool:
    """True while Streamlit reruns only a fragment (the map's), not the whole page."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return bool(ctx and ctx.fragment_ids_this_run)


def set_window(
    start: dt.date, end: dt.date, state: MutableMapping[str, Any] | None = None
) -> ViewState:
    """Set the date window (its end is the as-of day): update_view of start and end."""
    return update_view(state, start=start, end=end)


def window_widgets(v: ViewState) -> dict[str, Any]:
    """The values of the widgets derived from the window: the preset box. Written before it
    is drawn, so it always names the window on screen."""
    return {"preset": preset_of(v.start, v.end)}


def write_url(state: MutableMapping[str, Any] | None = None) -> dict[str, str]:
    """Write the view into the address bar (a shared link reproduces it); returns the query.

    Called after the map has reported its position, so the link is never one move behind."""
    query = to_query(current_view(state))
    st.query_params.from_dict(query)
    return query
