"""URL <-> view state: round trips, defaults, and bad parameters that never crash."""

from __future__ import annotations

import datetime as dt

import pytest

from kmap.viewstate import EARLIEST, ViewState, from_query, to_query


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
    assert v.basemap == "offline"
    assert v.zoom == 18  # clamped to the map's range
    assert v.types == ("control_change",)  # the known value kept
    assert v.layers == frozenset({"events"})
    assert len(problems) == 6
    assert any("types" in p and "<script>" in p for p in problems)


@pytest.mark.parametrize(
    ("raw", "want"),
    [("1", True), ("true", True), ("YES", True), ("on", True), ("0", False), ("no", False)],
)
def test_flags_take_words(raw: str, want: bool) -> None:
    v, problems = from_query({"present": raw, "exact": raw})
    assert (v.present, v.exact_only, problems) == (want, want, [])


@pytest.mark.parametrize("raw", ["2", "maybe", ""])
def test_bad_flag_is_reported_not_raised(raw: str) -> None:
    v, problems = from_query({"present": raw})
    assert v.present is False
    assert len(problems) == 1 and "present" in problems[0]


@pytest.mark.parametrize(("raw", "want"), [("999", 18), ("1", 6), ("-4", 6), ("12.4", 12)])
def test_zoom_is_clamped(raw: str, want: int) -> None:
    v, problems = from_query({"z": raw})
    assert v.zoom == want
    assert problems == [] if raw == "12.4" else "z=" in problems[0]


def test_dates_outside_range_are_clamped() -> None:
    v, problems = from_query({"from": "1970-01-01", "to": "2999-01-01"})
    assert (v.start, v.end) == (EARLIEST, dt.date.today())
    assert len(problems) == 2 and "1970-01-01" in problems[0]


def test_swapped_dates_are_swapped_back() -> None:
    v, problems = from_query({"from": "2023-09-30", "to": "2020-01-01"})
    assert (v.start, v.end) == (dt.date(2020, 1, 1), dt.date(2023, 9, 30))
    assert problems == [
        "Link dates were in reverse order (from=2023-09-30, to=2020-01-01): "
        "showing 2020-01-01 to 2023-09-30"
    ]


#: The presets dated by catalogue events: (event of the start, event of the end, its field).
PRESET_EVENTS = {
    "Lachin handover Aug 2022": (
        "2022-08-26-lachin-berdzor-handover",
        "2022-08-30-new-lachin-corridor-road",
        "date",
    ),
    "Border fighting Sept 2022": (
        "2022-09-13-border-clashes-jermuk",
        "2022-09-14-border-ceasefire",
        "date",
    ),
    "Peacekeepers leave Apr-Jun 2024": (
        "2024-04-17-russian-peacekeepers-withdrawal",
        "2024-04-17-russian-peacekeepers-withdrawal",
        "end_date",
    ),
}


@pytest.mark.parametrize("name", sorted(PRESET_EVENTS))
def test_new_presets_take_their_dates_from_the_catalogue(name: str) -> None:
    from events import load_catalogue
    from kmap.viewstate import PRESETS

    first, last, end_field = PRESET_EVENTS[name]
    cat = load_catalogue()
    assert PRESETS[name] == (cat.by_id(first).date, getattr(cat.by_id(last), end_field))
