"""URL <-> view state: round trips, defaults, and bad parameters that never crash."""

from __future__ import annotations

import datetime as dt

from kmap.viewstate import ALL_LAYERS, ViewState, from_query, to_query


def test_round_trip_full_state() -> None:
    v = ViewState(
        start=dt.date(2020, 9, 27),
        end=dt.date(2020, 11, 10),
        types=("control_change", "ceasefire"),
        actors=("Russian peacekeepers",),
        text="Shusha",
        precisions=("exact", "near"),
        exact_only=True,
        layers=frozenset({"events", "control", "nkao"}),
        basemap="osm",
        toponyms="azerbaijani",
        center=(46.75, 39.8),
        zoom=10,
        present=True,
    )
    back, problems = from_query(to_query(v))
    assert problems == []
    assert back == v


def test_defaults_give_short_links() -> None:
    q = to_query(ViewState(start=dt.date(2020, 1, 1), end=dt.date(2021, 1, 1)))
    assert q == {"from": "2020-01-01", "to": "2021-01-01"}


def test_bad_parameters_fall_back_and_are_reported() -> None:
    v, problems = from_query(
        {
            "from": "2020-13-45",
            "types": "control_change,<script>",
            "basemap": "evil",
            "z": "99",
            "lon": "x",
            "lat": "40",
            "layers": "events,nope",
        }
    )
    assert v.start == ViewState().start
    assert v.types == () and v.basemap == "offline" and v.zoom == ViewState().zoom
    assert v.layers == frozenset(ALL_LAYERS)
    assert len(problems) == 6
    assert any("types" in p and "<script>" in p for p in problems)


def test_swapped_dates_are_swapped_back() -> None:
    v, problems = from_query({"from": "2023-09-30", "to": "2020-01-01"})
    assert (v.start, v.end) == (dt.date(2020, 1, 1), dt.date(2023, 9, 30))
    assert problems and "swapped" in problems[0]
