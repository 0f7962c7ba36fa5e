"""ui.session: the one owner of the view (session state <-> ViewState <-> URL).

The round trip URL -> view -> widget values -> view -> URL loses nothing, and every control
that changes the view from code (date boxes, preset, step buttons, Play, the map's position)
does it through ui.session.update_view."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from kmap.timewindow import CUSTOM, step_window
from kmap.viewstate import EARLIEST, PRESETS, ViewState, from_query, to_query
from tests.conftest import REPO
from ui import session, time_controls, timeline

LINKS = [
    {},
    {"from": "2020-09-27", "to": "2020-11-10"},
    {
        "from": "1994-05-12",
        "to": "2020-09-26",
        "types": "clash,ceasefire",
        "actors": "Armenian forces",
        "q": "Şuşa",
        "prec": "exact,near",
        "exact": "1",
        "layers": "control,events,nkao",  # sorted, as to_query writes it
        "names": "azerbaijani",
        "lon": "46.7512",
        "lat": "39.8123",
        "z": "10",
        "present": "1",
    },
]


@pytest.mark.parametrize("params", LINKS)
def test_url_view_widgets_round_trip(params: dict) -> None:
    view, problems = from_query(params)
    assert not problems
    values = session.widget_values(view)
    assert session.view_of(values) == view
    assert to_query(session.view_of(values)) == to_query(view)
    for key, raw in params.items():  # the link's own words come back
        assert to_query(session.view_of(values))[key] == raw


def test_start_takes_the_view_from_the_link_once() -> None:
    state: dict = {}
    session.start({"from": "2020-09-27", "to": "2020-11-10", "basemap": "osm"}, state)
    view = session.current_view(state)
    assert (view.start, view.end) == (dt.date(2020, 9, 27), dt.date(2020, 11, 10))
    assert view.basemap == "offline" and state["link_basemap"] == "osm"  # asked first
    assert state["url_problems"] == [] and state["map_origin"] == (view.center, view.zoom)
    session.start({"from": "2001-01-01"}, state)  # a later run: the session keeps its view
    assert session.current_view(state).start == dt.date(2020, 9, 27)


def test_bad_link_problems_are_kept_for_the_notices() -> None:
    state: dict = {}
    session.start({"from": "not-a-date", "types": "nope"}, state)
    assert len(state["url_problems"]) == 2
    assert session.current_view(state) == ViewState()


def _started() -> dict:
    state: dict = {}
    session.start({"from": "2020-09-27", "to": "2020-11-10"}, state)
    return state


def test_update_view_writes_only_the_changed_keys() -> None:
    state = _started()
    before = dict(state)
    written: list[str] = []

    class Spy(dict):
        def __setitem__(self, key: str, value: object) -> None:
            written.append(key)
            super().__setitem__(key, value)

    spy = Spy(before)
    new = session.update_view(spy, center=(46.5, 39.9), zoom=9)
    assert sorted(written) == ["center", "zoom"]
    assert (
        new
        == session.current_view(spy)
        == ViewState(
            start=dt.date(2020, 9, 27), end=dt.date(2020, 11, 10), center=(46.5, 39.9), zoom=9
        )
    )
    with pytest.raises(ValueError, match="unknown view field"):
        session.update_view(state, colour="red")


def test_a_window_is_put_in_order_and_clamped() -> None:
    state = _started()
    session.set_window(dt.date(2021, 3, 1), dt.date(2020, 1, 1), state)
    assert state["dates"] == (dt.date(2020, 1, 1), dt.date(2021, 3, 1))
    session.set_window(dt.date(1900, 1, 1), dt.date(2100, 1, 1), state)
    assert state["dates"] == (EARLIEST, dt.date.today())


def test_window_widgets_follow_the_window() -> None:
    (name, (a, b)), *_ = PRESETS.items()
    assert session.window_widgets(ViewState(start=a, end=b)) == {"preset": name}
    assert session.window_widgets(ViewState(start=a, end=a))["preset"] == CUSTOM


@pytest.fixture()
def calls(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """Every call of ui.session.update_view (which still does its work)."""
    seen: list[dict] = []
    real = session.update_view

    def spy(state: dict | None = None, **changes: object) -> ViewState:
        seen.append(changes)
        return real(state, **changes)

    monkeypatch.setattr(session, "update_view", spy)
    return seen


def test_every_time_control_writes_through_the_owner(calls: list[dict]) -> None:
    state = _started()
    name, window = next(iter(PRESETS.items()))
    state["preset"] = name
    time_controls.apply_preset(state)
    assert state["dates"] == window and calls[-1] == {"start": window[0], "end": window[1]}

    # the timeline strip let go of a window (its state, as the browser sent it)
    state[timeline.KEY] = {"window": {"start": "1993-06-30", "end": "1993-01-01"}}
    timeline.released(state)
    assert state["dates"] == (dt.date(1993, 1, 1), dt.date(1993, 6, 30)) and len(calls) == 2
    for bad in ({"start": "1993-01-01"}, {"start": "x", "end": "1993-01-01"}, "1993", None):
        state[timeline.KEY] = {"window": bad}
        timeline.released(state)  # not a window: nothing changes, nothing raises
    future = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    state[timeline.KEY] = {"window": {"start": "1987-12-31", "end": future}}
    timeline.released(state)
    assert state["dates"] == (dt.date(1993, 1, 1), dt.date(1993, 6, 30)) and len(calls) == 2

    state["step_unit"] = "month"
    time_controls.step(1, state)
    expected = step_window(dt.date(1993, 1, 1), dt.date(1993, 6, 30), "month", 1)
    assert state["dates"] == expected and len(calls) == 3


#: Session keys that hold the view (ViewState's fields; start and end share "dates").
VIEW_KEYS = set(session.VIEW_KEYS.values())


def _view_writes(source: str) -> list[str]:
    """Places in `source` that write one of the view's session keys by name: assignments
    (``x.dates = ``, ``x["dates"] = ``) and update/setdefault/pop calls naming such a key."""
    found = []
    for node in ast.walk(ast.parse(source)):
        targets = []
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for t in targets:
            for sub in ast.walk(t):
                if isinstance(sub, ast.Attribute) and sub.attr in VIEW_KEYS:
                    found.append(ast.unparse(t))
                if (
                    isinstance(sub, ast.Subscript)
                    and isinstance(sub.slice, ast.Constant)
                    and sub.slice.value in VIEW_KEYS
                ):
                    found.append(ast.unparse(t))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("update", "setdefault", "pop")
        ):
            names = [k.arg for k in node.keywords]
            names += [a.value for a in node.args if isinstance(a, ast.Constant)]
            names += [
                k.value
                for a in node.args
                if isinstance(a, ast.Dict)
                for k in a.keys
                if isinstance(k, ast.Constant)
            ]
            if any(n in VIEW_KEYS for n in names):
                found.append(ast.unparse(node))
    return found


def test_the_scan_finds_view_writes() -> None:
    assert _view_writes("st.session_state.dates = (a, b)")
    assert _view_writes("state['zoom'] = 9")
    assert _view_writes("st.session_state.update(center=(1, 2))")
    assert _view_writes("st.session_state.update({'layers': []})")
    assert not _view_writes("st.session_state.bounds = None; state['play'] = False")


def test_no_module_but_ui_session_writes_the_view() -> None:
    files = [REPO / "app.py", *sorted((REPO / "ui").glob("*.py"))]
    writers = {
        str(Path(f).relative_to(REPO)): w
        for f in files
        if f.name != "session.py" and (w := _view_writes(f.read_text(encoding="utf-8")))
    }
    assert writers == {}


def test_a_stale_request_does_not_undo_a_sidebar_value_written_from_code() -> None:
    """A basemap chosen in a link's notice; the map's fragment then reruns on a request the
    browser sent before it had the new sidebar (old value): the choice is put back. In a
    whole-page run (a sidebar change) the old value is the user's and stands."""
    state = _started()
    session.update_view(state, basemap="osm")
    written_at = state[session.WRITTEN]["basemap"][2]
    session.keep_written(state, now=written_at + 0.1)  # the whole page after the click
    assert state["basemap"] == "osm"
    state["basemap"] = "offline"  # the stale request, as Streamlit applies it
    session.keep_written(state, fragment_run=True, now=written_at + 0.5)
    assert state["basemap"] == "osm"
    # the user chooses the offline basemap again in the sidebar: a whole-page run
    state["basemap"] = "offline"
    session.keep_written(state, now=written_at + 1.0)
    assert state["basemap"] == "offline" and "basemap" not in state[session.WRITTEN]
    session.keep_written(state, fragment_run=True, now=written_at + 1.5)
    assert state["basemap"] == "offline"
    # after the grace period the old value stands even in a fragment run
    session.update_view(state, basemap="osm")
    at = state[session.WRITTEN]["basemap"][2]
    state["basemap"] = "offline"
    session.keep_written(state, fragment_run=True, now=at + session.WRITE_GRACE_S + 1)
    assert state["basemap"] == "offline"
    # a third value is the user's too
    session.update_view(state, basemap="osm")
    state["basemap"] = "opentopomap"
    session.keep_written(state, fragment_run=True)
    assert state["basemap"] == "opentopomap" and not state[session.WRITTEN]


def test_the_strip_is_told_which_window_the_server_has() -> None:
    """Each window the strip sends carries a number (seq); the highest one received, whether
    the window was taken or refused, goes back to the strip, which re-sends until it sees it."""
    state = _started()
    assert timeline.SEQ_KEY not in state
    state[timeline.KEY] = {"window": {"start": "1993-01-01", "end": "1993-06-30", "seq": 3}}
    timeline.released(state)
    assert state[timeline.SEQ_KEY] == 3
    state[timeline.KEY] = {"window": {"start": "1987-01-01", "end": "1993-06-30", "seq": 4}}
    timeline.released(state)  # refused (before 1988), yet acknowledged
    assert state[timeline.SEQ_KEY] == 4 and state["dates"][0] == dt.date(1993, 1, 1)
    for seq in (2, "9", True, None, 5.0):  # older, or not a number: the number stays
        state[timeline.KEY] = {"window": {"start": "1993-01-01", "end": "1993-06-30", "seq": seq}}
        timeline.released(state)
        assert state[timeline.SEQ_KEY] == 4


def test_a_stale_request_does_not_undo_a_window_through_the_preset_box() -> None:
    """The strip moved the window (the preset box now reads custom); a request the page sent
    by itself before it had that (the map's report, the strip's re-send) carries the box's old
    preset. It is stale: the window stays and the box is put back. The same preset chosen by
    the user (a request with no automatic report) applies."""
    state = _started()
    name, window = next(iter(PRESETS.items()))
    session.write_widget("preset", name, state)
    session.set_window(*window, state=state)
    state[timeline.KEY] = {"window": {"start": "1993-01-01", "end": "1993-06-30", "seq": 1}}
    session.note_seen(timeline.KEY, state)
    timeline.released(state)  # the strip's window...
    session.write_widget("preset", CUSTOM, state)  # ...and the box drawn for it
    assert not session.auto_report(state)
    state["preset"] = name  # the stale request: the box's old value...
    state[timeline.KEY] = {"window": {"start": "1993-01-01", "end": "1993-06-30", "seq": 2}}
    assert session.auto_report(state)  # ...with the strip's re-send
    assert session.stale("preset", state, fragment_run=True, auto=True)
    session.keep_written(state, fragment_run=True, auto=True)
    assert state["preset"] == CUSTOM and state["dates"] == (
        dt.date(1993, 1, 1),
        dt.date(1993, 6, 30),
    )
    # the user picks that preset in a request of its own: not stale, it applies
    session.note_seen(timeline.KEY, state)
    state["preset"] = name
    assert not session.auto_report(state)
    assert not session.stale("preset", state, fragment_run=True, auto=False)
    time_controls.apply_preset(state)
    assert state["dates"] == window


def test_a_loaded_deck_title_survives_the_maps_first_report() -> None:
    """A storyboard file's title is written from code; the map's report sent before the
    browser had it brings the empty box back: it is put back. Typed by the user, it stands."""
    state = _started()
    state["sb_deck_title"] = ""
    session.write_widget("sb_deck_title", "2020 war", state)
    state["map-x"] = {"center": 1}
    session.note_seen("map-x", state)
    state["sb_deck_title"], state["map-x"] = "", {"center": 2}  # the map's stale report
    session.keep_written(state, fragment_run=True, auto=session.auto_report(state))
    assert state["sb_deck_title"] == "2020 war"
    session.note_seen("map-x", state)
    state["sb_deck_title"] = ""  # the user clears it: no report with it
    session.keep_written(state, fragment_run=True, auto=session.auto_report(state))
    assert state["sb_deck_title"] == ""
