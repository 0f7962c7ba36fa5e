"""AppTest of the dashboard controls: time, presets, playback, filters, layers, URL, compare."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.app.helpers import map_args, map_state, new_app, set_window, shown, timeline_data
from ui.presentation import PRESENTATION_CSS, SCREEN_CSS

WAR = {"from": "2020-09-27", "to": "2020-11-10"}


def test_url_restores_view_and_map_state() -> None:
    at = new_app(**WAR, types="control_change", names="azerbaijani", z="9", lon="46.7", lat="39.8")
    assert at.session_state.dates == (dt.date(2020, 9, 27), dt.date(2020, 11, 10))
    assert at.multiselect(key="types").value == ["control_change"]
    assert at.radio(key="toponyms").value == "azerbaijani"
    script = " ".join(map_args(at)["script"].split())
    assert "center: [39.8, 46.7]" in script and '"zoom": 9,' in script
    assert "Situation as of 10 November 2020" in map_state(at)["banner"][0]
    # the URL is written back (AppTest keeps query values as lists)
    assert at.query_params["names"] in ("azerbaijani", ["azerbaijani"])


def test_a_new_window_changes_events_and_control() -> None:
    at = new_app(**WAR)
    n_war, state_war = shown(at, "events"), map_state(at)["masks"]["control"]
    set_window(at, dt.date(2020, 9, 27), dt.date(2020, 10, 5))
    assert not at.exception
    n_early = shown(at, "events")
    assert 0 < n_early < n_war
    assert map_state(at)["masks"]["control"] != state_war  # the front moved between the dates
    assert "5 October 2020" in map_state(at)["banner"][0]


def test_a_window_move_does_not_remount_the_map() -> None:
    at = new_app(**WAR)
    key1, script1 = map_args(at)["key"], map_args(at)["script"]
    set_window(at, dt.date(2021, 1, 1), dt.date(2022, 12, 31))
    assert map_args(at)["key"] == key1 and map_args(at)["script"] == script1


def test_presets_set_dates() -> None:
    at = new_app()
    at.selectbox(key="preset").set_value("Blockade Dec 2022 - Sep 2023").run()
    assert at.session_state.dates == (dt.date(2022, 12, 12), dt.date(2023, 9, 19))
    assert "Blockade" in set(_table(at, "title")["type"])


def test_the_timeline_strip_is_sent_the_window_span_step_and_marks() -> None:
    at = new_app(**WAR)
    data = timeline_data(at)
    assert (data["start"], data["end"]) == ("2020-09-27", "2020-11-10")
    assert data["min"] == "1988-01-01" and data["max"] == dt.date.today().isoformat()
    assert data["unit"] == "week"
    assert "2020-11-10" in data["ticks"]["zones"]  # the peacekeepers' zone starts
    assert "2020-11-20" in data["ticks"]["control"]  # Aghdam handed over
    at.selectbox(key="step_unit").set_value("month").run()
    set_window(at, dt.date(2021, 1, 1), dt.date(2021, 3, 1))
    data = timeline_data(at)
    assert (data["start"], data["end"], data["unit"]) == ("2021-01-01", "2021-03-01", "month")


def test_step_buttons_slide_the_window() -> None:
    at = new_app(**WAR)
    at.selectbox(key="step_unit").set_value("week").run()
    at.button(key="step_fwd").click().run()
    assert at.session_state.dates == (dt.date(2020, 10, 4), dt.date(2020, 11, 17))
    at.button(key="step_back").click().run()
    assert at.session_state.dates == (dt.date(2020, 9, 27), dt.date(2020, 11, 10))


def test_filters_narrow_the_events() -> None:
    at = new_app(**WAR)
    total = shown(at, "events")
    at.multiselect(key="types").set_value(["ceasefire"]).run()
    n_cf = shown(at, "events")
    assert 0 < n_cf < total
    assert all(r["label"] != "Clash / strike" for r in map_state(at)["legend"])
    at.multiselect(key="types").set_value([]).run()
    at.text_input(key="text").input("Şuşa").run()  # diacritics-insensitive, other spelling
    assert 0 < shown(at, "events") < total
    at.text_input(key="text").input("").run()
    at.checkbox(key="exact_only").check().run()
    assert shown(at, "events") < total


def test_layer_toggles_remove_time_layers() -> None:
    at = new_app(**WAR)
    at.multiselect(key="layers").set_value(["events", "nkao", "labels"]).run()
    masks = map_state(at)["masks"]
    assert set(masks) == {"events"}
    assert '"name":"districts"' not in map_args(at)["script"]


def test_table_and_exports_follow_filters() -> None:
    at = new_app(**WAR, types="ceasefire")
    df = _table(at, "title")
    assert len(df) == shown(at, "events") and set(df["type"]) == {"Ceasefire"}
    assert all(str(u).startswith("http") for u in df["source"])


def test_only_the_open_panel_is_drawn_and_its_widgets_keep_their_values() -> None:
    at = new_app(**WAR)
    assert at.session_state["panel"] == "Events table"
    assert not at.get("vega_lite_chart")
    assert "cmp_a" not in {w.key for w in at.date_input}
    at.session_state["panel"] = "Timeline"
    at.run()
    assert at.get("vega_lite_chart") and not at.dataframe
    at.session_state["panel"] = "Compare two dates"
    at.run()
    at.toggle(key="show_changes").set_value(True).run()
    at.session_state["panel"] = "Events table"
    at.run()  # the compare widgets are not drawn now; the map still shows the changes
    assert at.session_state["show_changes"] and map_state(at)["changes"]["features"]


def test_events_table_pages_through_the_window() -> None:
    at = new_app(**{"from": "1988-01-01", "to": "2025-12-31"})
    total = shown(at, "events")
    assert total > 50
    first = _table(at, "title")
    assert len(first) == 25 and list(first["date"]) == sorted(first["date"])
    pages = -(-total // 25)
    at.number_input(key="table_page").set_value(pages).run()
    last = _table(at, "title")
    assert len(last) == total - 25 * (pages - 1)
    assert min(last["date"]) >= max(first["date"])
    at.selectbox(key="table_order").set_value("newest first").run()
    newest = _table(at, "title")
    assert list(newest["date"]) == sorted(newest["date"])[::-1]
    set_window(at, dt.date(2020, 9, 27), dt.date(2020, 10, 5))
    assert not at.exception  # the page number is clamped when the window shrinks
    assert at.number_input(key="table_page").value == 1
    assert len(_table(at, "title")) == shown(at, "events")


def test_compare_two_dates_reports_km2() -> None:
    at = new_app(**WAR)
    at.session_state["panel"] = "Compare two dates"
    at.run()
    at.date_input(key="cmp_a").set_value(dt.date(2020, 9, 26)).run()
    at.date_input(key="cmp_b").set_value(dt.date(2020, 12, 2)).run()
    df = _table(at, "km²")
    assert len(df) >= 1
    assert df["km²"].sum() > 1000  # the war and the handovers moved thousands of km²
    at.toggle(key="show_changes").set_value(True).run()
    assert map_state(at)["changes"]["features"]


def _page_css(at: AppTest) -> list[str]:
    """The page-level style blocks the app sent (st.html)."""
    return [h.proto.body.strip() for h in at.get("html") if "<style>" in h.proto.body]


def test_presentation_mode_hides_panels() -> None:
    at = new_app(**WAR, present="1")
    assert not at.tabs  # panels are not drawn in presentation mode
    # the page's CSS makes the map fill the window (tests/browser/test_screen.py measures it)
    assert _page_css(at) == [PRESENTATION_CSS.strip()]
    at.button(key="exit_present").click().run()
    assert not at.exception and at.tabs and _page_css(at) == [SCREEN_CSS.strip()]
    assert "present" not in at.query_params  # the link no longer asks for it


def test_bad_url_parameters_are_reported_not_fatal() -> None:
    at = new_app(**{"from": "not-a-date", "types": "nope"})
    assert len(at.warning) >= 2


def _table(at: AppTest, column: str) -> pd.DataFrame:
    """The dataframe that has `column` (AppTest does not look dataframes up by key)."""
    frames = [d.value for d in at.dataframe if column in d.value.columns]
    assert frames, f"no table with column {column!r}"
    return frames[0]  # the events table (a second one lists events with no place on the map)


def test_briefing_exports_from_the_app() -> None:
    at = new_app(**WAR)
    at.session_state["panel"] = "Export briefing"
    at.run()
    at.text_input(key="brief_title").input("Test briefing").run()
    at.button(key="make_png").click().run()
    assert not at.exception
    png = at.session_state["brief_png"][2]
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    at.button(key="make_html").click().run()
    html = at.session_state["brief_html"][2]
    assert "<title>Test briefing</title>" in html and "cdn." not in html
