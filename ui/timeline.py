"""The timeline strip under the map: a Streamlit components v2 element drawn in the page
(kmap/js/timeline.js and timeline.css), not in an iframe, so it can move the map's time itself.

It gets the window, the span, the Step unit and the marks of control and zone changes; it
gives back the window when the user lets go of it (drag, keys, typed dates, Play paused),
which becomes the view through ui.session.set_window, once per release.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, MutableMapping
from functools import cache
from typing import Any

import streamlit as st

from kmap.config import KMAP_DIR
from kmap.timewindow import time_marks
from kmap.viewstate import EARLIEST, ViewState
from ui import session

#: Session key of the component (its state: {"window": {"start", "end", "seq"}}).
KEY = "timeline"
#: Session key of the last window's number (seq) the server has: sent back to the strip, which
#: sends a window again until it sees it (a value can be lost in the browser).
SEQ_KEY = "timeline_seq"


@cache
def _component() -> Any:
    """The registered component (once per process): our JS and CSS, read from kmap/js."""
    js = (KMAP_DIR / "js" / "timeline.js").read_text(encoding="utf-8")
    css = (KMAP_DIR / "js" / "timeline.css").read_text(encoding="utf-8")
    return st.components.v2.component("kmap_timeline", js=js, css=css)


def window_from(value: Any, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """The window the strip sent ({"start": ISO, "end": ISO}), or None when it is not one
    (a hand-made message): dates are parsed, never evaluated, and kept in [EARLIEST, today]."""
    if not isinstance(value, Mapping):
        return None
    try:
        start = dt.date.fromisoformat(str(value["start"]))
        end = dt.date.fromisoformat(str(value["end"]))
    except (KeyError, ValueError):
        return None
    start, end = sorted((start, end))
    if start < EARLIEST or end > today:
        return None
    return start, end


def released(state: MutableMapping[str, Any] | None = None, today: dt.date | None = None) -> None:
    """The user let go of the strip: its window becomes the view's."""
    state = st.session_state if state is None else state
    value = (state.get(KEY) or {}).get("window")
    window = window_from(value, today or dt.date.today())
    if window is not None:
        session.set_window(*window, state=state)
    seq = value.get("seq") if isinstance(value, Mapping) else None
    if isinstance(seq, int) and not isinstance(seq, bool) and seq > state.get(SEQ_KEY, 0):
        state[SEQ_KEY] = seq  # acknowledged even when refused: the strip stops sending it


def draw(view: ViewState, today: dt.date, unit: str) -> None:
    """Draw the strip for the view's window; `unit` is the Step (what Play advances by)."""
    _component()(
        key=KEY,
        data={
            "start": view.start.isoformat(),
            "end": view.end.isoformat(),
            "min": EARLIEST.isoformat(),
            "max": today.isoformat(),
            "unit": unit,
            "ticks": time_marks(),
            "seq": st.session_state.get(SEQ_KEY, 0),
        },
        on_window_change=released,
        height="content",
    )
    session.note_seen(KEY)  # a new window in the next request is the strip's report
