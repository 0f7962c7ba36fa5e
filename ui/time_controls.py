"""The date window under the map: the timeline strip (ui.timeline: drag, zoom, keys, typed
dates, Play, all in the browser), then a preset, step buttons and the Step unit.

The window lives in the session key "dates" (ui.session); every control changes it through
ui.session.set_window, and the preset box is derived from it before it is drawn
(ui.session.window_widgets).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import MutableMapping
from typing import Any

import streamlit as st

from kmap.timewindow import CUSTOM, step_window
from kmap.viewstate import PRESETS
from ui import session, timeline

#: The controls' session keys: kept while the controls are not drawn (presentation mode).
TIME_KEYS = ("dates", "step_unit", "preset")


def _state(state: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
    return st.session_state if state is None else state


def keep_values(state: MutableMapping[str, Any] | None = None) -> None:
    """Keep the controls' values through runs that do not draw them (presentation mode):
    Streamlit drops the value of a widget not drawn in a run, and the window lives in one."""
    state = _state(state)
    for key in TIME_KEYS:
        if key in state:
            state[key] = state[key]


def apply_preset(state: MutableMapping[str, Any] | None = None) -> None:
    """The preset box changed: its dates become the window."""
    state = _state(state)
    auto = session.auto_report(state)
    if session.stale("preset", state, fragment_run=session.fragment_only_run(), auto=auto):
        return  # the box's old name, sent with the map's or the strip's report (stale)
    name = state.get("preset")
    if name in PRESETS:
        session.set_window(*PRESETS[name], state=state)


def step(direction: int, state: MutableMapping[str, Any] | None = None) -> None:
    """A step button: slide the window by one Step unit."""
    state = _state(state)
    start, end = state["dates"]
    session.set_window(*step_window(start, end, state["step_unit"], direction), state=state)


def draw(today: dt.date) -> None:
    """Draw the timeline strip, then one row: preset, step buttons, Step unit."""
    for key, value in session.window_widgets(session.current_view()).items():  # before the box
        session.write_widget(key, value)
    st.session_state.setdefault("step_unit", "week")  # kept across runs (TIME_KEYS): no index
    timeline.draw(session.current_view(), today, st.session_state["step_unit"])
    row = st.columns([2.2, 1, 1.3, 1.2], vertical_alignment="center")  # no cut label at 1024
    row[0].selectbox(
        "Preset",
        [CUSTOM, *PRESETS],
        key="preset",
        on_change=apply_preset,
        label_visibility="collapsed",
        help="Sets the date range; its end is the 'as of' day of the map.",
    )
    row[1].button(
        "◀ Back",
        key="step_back",
        on_click=step,
        args=(-1,),
        width="stretch",
        help="Move the date window back by one step",
    )
    row[2].button(
        "Forward ▶",
        key="step_fwd",
        on_click=step,
        args=(1,),
        width="stretch",
        help="Move the date window forward by one step",
    )
    row[3].selectbox(  # its label is read aloud, not shown: the row stays one line high
        "Step",
        ["day", "week", "month"],
        key="step_unit",
        label_visibility="collapsed",
        help="What the step buttons and Play move the window by",
    )
