"""AppTest of the Storyboard tab: steps are the views on screen, editing keeps them in order,
replaying a step makes its view the view, a bad file or link is named and changes nothing."""

from __future__ import annotations

import datetime as dt
import json

from streamlit.testing.v1 import AppTest

from kmap.deck.storyboard import Step, Storyboard
from kmap.viewstate import ViewState, to_query
from tests.app.helpers import new_app, set_window

WAR = {"from": "2020-09-27", "to": "2020-11-10"}


def _open_tab(**query: str) -> AppTest:
    at = new_app(**query)
    at.session_state["panel"] = "Storyboard"
    at.run()
    assert not at.exception, at.exception
    return at


def _titles(at: AppTest) -> list[str]:
    return [s.title for s in at.session_state["_storyboard"].steps]


def test_steps_are_the_views_on_screen_and_keep_their_order() -> None:
    at = _open_tab(**WAR)
    for title, to in (("a", "2020-11-10"), ("b", "2020-12-10"), ("c", "2021-01-10")):
        set_window(at, at.session_state.dates[0], dt.date.fromisoformat(to))
        at.text_input(key="sb_title").set_value(title)
        at.button(key="sb_add").click().run()
        assert not at.exception, at.exception
    assert _titles(at) == ["a", "b", "c"]
    ends = [s.view()[0].end.isoformat() for s in at.session_state["_storyboard"].steps]
    assert ends == ["2020-11-10", "2020-12-10", "2021-01-10"]
    at.button(key="sb_up_2").click().run()
    assert _titles(at) == ["a", "c", "b"]
    at.button(key="sb_rm_0").click().run()
    assert _titles(at) == ["c", "b"]
    at.selectbox(key="sb_which").set_value(1).run()
    at.text_input(key="sb_new_title").set_value("B!")
    at.button(key="sb_retitle").click().run()
    assert _titles(at) == ["c", "B!"]
    # Show a step on the map: its view becomes the view (dates and link).
    at.button(key="sb_show_1").click().run()
    assert at.session_state["dates"][1].isoformat() == "2020-12-10"
    assert at.query_params["to"] in ("2020-12-10", ["2020-12-10"])


def test_a_link_carries_the_storyboard() -> None:
    board = Storyboard(
        title="deck",
        steps=(Step(title="one", query=to_query(ViewState(types=("clash",))), frame="karabakh"),),
    )
    at = _open_tab(**WAR, sb=board.to_link_param())
    assert _titles(at) == ["one"]
    assert at.text_input(key="sb_deck_title").value == "deck"
    # a broken link parameter is named, and the app runs on without a storyboard
    at = _open_tab(**WAR, sb="not-a-storyboard")
    assert "_storyboard" not in at.session_state or not at.session_state["_storyboard"].steps
    assert any("storyboard was not loaded" in e.value for e in at.error)
    assert json.loads(board.to_json())["steps"][0]["frame"] == "karabakh"
