"""The vectorised event filter (events.query.EventIndex) equals filter_events, at any size."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from benchmarks.synth import acled_csv
from events import load_catalogue
from events.io.detect import import_file
from events.query import event_index, filter_events
from kmap import charts
from kmap.datasets import events_collection, published_order
from kmap.legend import entries, legend_rows
from kmap.map.masks import decode_mask
from kmap.situation import situation
from kmap.tables import events_page
from kmap.viewstate import ViewState


@pytest.fixture(scope="module")
def events() -> list:
    uploaded = import_file(acled_csv(2_000, seed=5), "synthetic.csv").events
    return list(load_catalogue().events) + list(uploaded)


def _random_filters(rng: random.Random, events: list) -> dict:
    days = [dt.date(1988, 1, 1) + dt.timedelta(days=rng.randrange(14_000)) for _ in range(2)]
    types = sorted({ev.type.value for ev in events})
    actors = sorted({a for ev in events for a in ev.actors})
    return {
        "start": rng.choice([None, days[0]]),
        "end": rng.choice([None, days[1]]),  # sometimes before start: swapped by both
        "types": rng.choice([None, [], rng.sample(types, rng.randint(1, len(types)))]),
        "actors": rng.choice([None, None, [rng.choice(actors)[:8]], ["  "]]),
        "text": rng.choice([None, "", "  ", "shusha", "clash near", "Ağdam"]),
        "precisions": rng.choice([None, ["exact"], ["near", "district"], []]),
        "exact_only": rng.random() < 0.2,
    }


def test_select_equals_filter_events(events: list) -> None:
    rng = random.Random(11)
    ix = event_index(events)
    for _ in range(120):
        kw = _random_filters(rng, events)
        expected = filter_events(events, **kw)
        assert [ix.events[i] for i in ix.select(**kw)] == expected, kw


def test_index_is_found_again_for_a_rebuilt_list(events: list) -> None:
    ix = event_index(events)
    assert event_index(list(events)) is ix  # same objects, new list: no rebuild
    other = import_file(acled_csv(50, seed=6), "other.csv").events
    assert event_index(other) is not ix


def test_situation_mask_and_legend_match_the_shown_events(events: list) -> None:
    view = ViewState(
        start=dt.date(2000, 1, 1), end=dt.date(2010, 1, 1), layers=frozenset({"events"})
    )
    sit = situation(events, view)
    expected = filter_events(events, start=view.start, end=view.end)
    assert sit.shown == expected
    # the same, computed independently through events.query.filter_events (no index)
    assert sit.shown == filter_events(
        events,
        view.start,
        view.end,
        view.types or None,
        view.actors or None,
        view.text or None,
        view.precisions or None,
        view.exact_only,
    )
    flags = decode_mask(sit.masks["events"], len(events))
    published = published_order(events)  # the map's dataset: by date
    assert [ev.event.date for ev in published] == sorted(ev.event.date for ev in events)
    assert [f["properties"]["id"] for f in events_collection(events)["features"]] == [
        ev.event.id for ev in published
    ]
    assert [ev for ev, f in zip(published, flags, strict=True) if f] == sorted(
        expected, key=lambda ev: ev.event.date
    )
    assert sit.masks["events"].startswith("r")  # a date window: runs, not 1 bit per event
    # the legend: the rows of exactly the event types and precisions among the shown events
    # (collected here by a loop over sit.shown, not from the index)
    assert sit.legend == entries(
        legend_rows(
            event_types={ev.event.type.value for ev in sit.shown},
            precisions={ev.geo_precision.value for ev in sit.shown},
        )
    )
    assert any(r["label"] == "Hollow/dashed: approximate location" for r in sit.legend) == any(
        ev.geo_precision.value != "exact" for ev in sit.shown
    )
    # the table's rows, cut from the frame built once per list, equal the event loop's
    table, pages = events_page(events, sit, 1, max(1, len(sit.shown)))
    assert pages == 1
    assert table.equals(charts.events_frame(sorted(sit.shown, key=lambda ev: ev.event.date)))


def test_timeline_counts_every_event_once(events: list) -> None:
    for freq in ("year", "month", "week"):
        data = charts.timeline_chart(events, freq).data
        assert data["n"].sum() == len(events)
        if freq == "week":
            assert set(data["date"].dt.day_of_week) == {6}  # Sundays, as Vega's yearweek
        else:
            assert set(data["date"].dt.day) == {1}
            if freq == "year":
                assert set(data["date"].dt.month) == {1}
            assert len(data) < len(events) / 2  # counted per bin, not a row per event


def test_a_list_grown_in_place_gets_a_new_index(events: list) -> None:
    """The app never does it, but a caller may extend its list (catalogue += upload)."""
    mine = list(events[:5])
    small = event_index(mine)
    mine += events[5:]
    grown = event_index(mine)
    assert grown is not small
    assert len(grown.first) == len(mine) and len(small.first) == 5
    assert event_index(mine) is grown  # the same list again: found


def test_timeline_from_the_index_equals_the_event_loop(events: list) -> None:
    view = ViewState(start=dt.date(1995, 1, 1), end=dt.date(2021, 6, 30))
    sit = situation(events, view)
    for freq in ("year", "month", "week"):
        fast = charts.shown_timeline(events, sit, freq).data
        slow = charts.timeline_chart(sit.shown, freq).data
        assert fast.equals(slow)


def test_auto_bin_keeps_the_timeline_small() -> None:
    d = dt.date
    assert charts.auto_bin(d(2020, 9, 27), d(2020, 11, 10)) == "week"
    assert charts.auto_bin(d(2016, 1, 1), d(2023, 12, 31)) == "month"
    assert charts.auto_bin(d(1988, 1, 1), d(2025, 12, 31)) == "year"


def test_a_removed_upload_is_forgotten_now() -> None:
    """Removing a file drops its index at once (it holds every event: hundreds of MB)."""
    from events import query

    catalogue = list(load_catalogue().events)
    upload = import_file(acled_csv(20), "u.csv", "acled").events
    saved = list(query._INDEXES)
    try:
        ix_cat = event_index(catalogue)
        ix_both = event_index(catalogue + upload)
        assert query.forget_event_indexes(upload) == 1
        assert ix_both not in query._INDEXES and ix_cat in query._INDEXES
        assert query.forget_event_indexes([]) == 0
    finally:
        query._INDEXES[:] = saved
