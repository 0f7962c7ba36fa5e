"""The date window under the map: preset, slider, exact dates, step buttons and Play.

The slider holds the window (session key "dates"); every other control changes it through
ui.session.set_window, and the preset and date boxes are derived from it before they are
drawn (ui.session.window_widgets).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import MutableMapping
from typing import Any

import streamlit as st

from kmap.timewindow import CUSTOM, step_window
from kmap.viewstate import EARLIEST, PRESETS
from ui import session

#: Play steps the window by *Step* this often (seconds).
PLAY_INTERVAL_S = 1.0


#: The controls' session keys: kept while the controls are not drawn (presentation mode).
TIME_KEYS = ("dates", "step_unit", "play", "preset", "date_from", "date_to")


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
    name = state.get("preset")
    if name in PRESETS:
        session.set_window(*PRESETS[name], state=state)


def set_from(state: MutableMapping[str, Any] | None = None) -> None:
    """The From box changed: the window's start."""
    state = _state(state)
    session.set_window(state["date_from"], state["dates"][1], state=state)


def set_to(state: MutableMapping[str, Any] | None = None) -> None:
    """The As of box changed: the window's end."""
    state = _state(state)
    session.set_window(state["dates"][0], state["date_to"], state=state)


def step(direction: int, state: MutableMapping[str, Any] | None = None) -> None:
    """A step button (or a Play tick): slide the window by one Step unit."""
    state = _state(state)
    start, end = state["dates"]
    session.set_window(*step_window(start, end, state["step_unit"], direction), state=state)


def play_tick(
    today: dt.date, state: MutableMapping[str, Any] | None = None, now: float | None = None
) -> None:
    """While Play is on, step the window once per interval (before any widget is drawn, so the
    slider's key may be written); stop at today."""
    state = _state(state)
    if not state.get("play"):
        return
    now = time.monotonic() if now is None else now
    if now - state.get("_play_t", 0.0) < PLAY_INTERVAL_S * 0.9:
        return  # a rerun for another reason (a zoom, a click): not a tick
    state["_play_t"] = now
    if state["dates"][1] >= today:
        state["play"] = False
    else:
        step(1, state)


def draw(today: dt.date) -> bool:
    """Draw the controls (preset, slider, exact dates; step, Play); returns whether Play is
    on."""
    st.session_state.update(session.window_widgets(session.current_view()))  # before the boxes
    r1 = st.columns([2, 4, 2.5, 2.5], vertical_alignment="bottom")
    r1[0].selectbox(
        "Preset",
        [CUSTOM, *PRESETS],
        key="preset",
        on_change=apply_preset,
        help="Sets the date range; its end is the 'as of' day of the map.",
    )
    r1[1].slider(
        "Events between",
        min_value=EARLIEST,
        max_value=today,
        key="dates",
        format="YYYY-MM-DD",
        help="The range's end is the 'as of' day: control, peacekeepers and corridor as they "
        "stood that day.",
    )
    r1[2].date_input(
        "From", min_value=EARLIEST, max_value=today, key="date_from", on_change=set_from
    )
    r1[3].date_input("As of", min_value=EARLIEST, max_value=today, key="date_to", on_change=set_to)
    r2 = st.columns([1, 1.2, 1, 1.3, 2.7], vertical_alignment="bottom")  # one short row
    r2[0].button(
        "◀ Back",
        key="step_back",
        on_click=step,
        args=(-1,),
        width="stretch",
        help="Move the date window back by one step",
    )
    r2[1].button(
        "Forward ▶",
        key="step_fwd",
        on_click=step,
        args=(1,),
        width="stretch",
        help="Move the date window forward by one step",
    )
    st.session_state.setdefault("step_unit", "week")  # kept across runs (TIME_KEYS): no index
    r2[2].selectbox(  # its label is read aloud, not shown: the row stays one line high
        "Step", ["day", "week", "month"], key="step_unit", label_visibility="collapsed"
    )
    return r2[3].toggle("Play", key="play", help="Step forward every second until today")
