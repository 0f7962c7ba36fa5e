"""kmap.deck.build: a storyboard's pages are the app's own situation of each step's view."""

from __future__ import annotations

import datetime as dt
import io

from PIL import Image

from events import load_catalogue
from events.query import filter_events
from kmap.deck.animation import frame_days
from kmap.deck.build import page_for, pages_for, window_animation
from kmap.deck.storyboard import Step, Storyboard
from kmap.situation import situation
from kmap.viewstate import ViewState, to_query

WAR = ViewState(start=dt.date(2020, 9, 27), end=dt.date(2020, 11, 10))
CLASHES = ViewState(start=dt.date(2020, 9, 27), end=dt.date(2020, 11, 10), types=("clash",))


def _events() -> list:
    return list(load_catalogue().events)


def test_a_page_is_the_situation_of_its_view() -> None:
    events = _events()
    step = Step(title="Clashes", note="n", query=to_query(CLASHES), frame="karabakh")
    page = page_for(step, events, "UNCLASSIFIED")
    shown = situation(events, CLASHES).shown
    in_window = len(filter_events(events, CLASHES.start, CLASHES.end))
    assert shown and len(shown) < in_window  # the filter leaves some out: the page says so
    assert f"{len(shown):,} of {in_window:,} events in the window shown" in page.filters_line
    assert "clash" in page.filters_line
    assert page.spec.as_of == CLASHES.end and page.spec.classification == "UNCLASSIFIED"
    assert len(page.spec.events) == len(shown)
    assert page.title == "Clashes" and page.note == "n"
    assert {s.url for s in page.sources} <= {s.url for e in shown for s in e.event.sources}


def test_pages_follow_the_storyboard_order() -> None:
    steps = [
        Step(title=t, query=to_query(v), frame="region") for t, v in (("b", CLASHES), ("a", WAR))
    ]
    board = Storyboard(title="t", classification="", steps=tuple(steps))
    assert [p.title for p in pages_for(board, _events())] == ["b", "a"]


def test_window_animation_has_a_frame_per_step() -> None:
    view = ViewState(start=dt.date(2020, 10, 1), end=dt.date(2020, 10, 29))
    data = window_animation(view, _events(), (46.0, 39.0, 47.5, 40.3), "t", "week", "gif")
    n = len(frame_days(view.start, view.end, "week"))
    assert Image.open(io.BytesIO(data)).n_frames == n == 5
