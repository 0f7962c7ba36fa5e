"""Queries: interval overlap, in force on a day, type/actor/text/precision filters."""

from __future__ import annotations

import datetime as dt

import pytest

from events.query import (
    EventIndex,
    actor_names,
    filter_events,
    fold,
    fold_translit,
    in_force,
    overlaps,
)
from events.schema import Event, EventType, GeoPrecision, ResolvedEvent

pytestmark = pytest.mark.unit

D = dt.date


def make(
    id_: str,
    date: dt.date,
    end: dt.date | None = None,
    type_: str = "clash",
    title: str = "Something happened",
    summary: str = "A neutral summary of it.",
    actors: tuple[str, ...] = (),
    place: str = "Stepanakert",
    place_hy: str | None = None,
    place_az: str | None = None,
    gp: str = "exact",
    kind: str | None = None,
) -> ResolvedEvent:
    ev = Event(
        id=id_,
        date=date,
        end_date=end,
        kind=kind,
        type=type_,
        title=title,
        summary=summary,
        location={"place": place},
        geo_precision=gp,
        actors=list(actors),
        sources=[{"url": "https://example.org/", "publisher": "Example"}],
    )
    return ResolvedEvent(ev, 46.75, 39.8, GeoPrecision(gp), place, place_hy, place_az)


EVENTS = [
    make("point-before", D(2020, 9, 26)),
    make("point-start", D(2020, 9, 27), type_="clash", actors=("Armed Forces of Armenia",)),
    make("point-mid", D(2020, 10, 15), type_="ceasefire", gp="region"),
    make("point-end", D(2020, 11, 10), type_="agreement"),
    make("point-after", D(2020, 11, 11)),
    make(
        "blockade",
        D(2022, 12, 12),
        D(2023, 9, 19),
        type_="blockade",
        title="Lachin corridor blockade",
        place="Shusha",
        place_hy="Շուշի",
        place_az="Şuşa",
        gp="near",
        actors=("Azerbaijani eco-activists",),
    ),
    make("spans-window", D(2020, 1, 1), D(2021, 1, 1), type_="peacekeeper_deployment"),
    make("ends-at-start", D(2020, 9, 1), D(2020, 9, 27)),
    make("starts-at-end", D(2020, 11, 10), D(2020, 12, 1)),
    make(
        "agdam",
        D(2020, 11, 20),
        type_="control_change",
        title="Ağdam handed over",
        summary="The district of Ağdam returned to Azərbaycan control.",
        place="Aghdam",
        place_az="Ağdam",
    ),
]


def ids(events: list[ResolvedEvent]) -> list[str]:
    return [e.id for e in events]


def test_window_is_interval_overlap_inclusive() -> None:
    got = ids(filter_events(EVENTS, D(2020, 9, 27), D(2020, 11, 10)))
    assert got == [
        "point-start",
        "point-mid",
        "point-end",
        "spans-window",
        "ends-at-start",
        "starts-at-end",
    ]


def test_open_bounds_and_reversed_bounds() -> None:
    assert ids(filter_events(EVENTS, end=D(2020, 9, 1))) == ["spans-window", "ends-at-start"]
    assert ids(filter_events(EVENTS, start=D(2023, 1, 1))) == ["blockade"]
    assert filter_events(EVENTS, D(2020, 11, 10), D(2020, 9, 27)) == filter_events(
        EVENTS, D(2020, 9, 27), D(2020, 11, 10)
    )
    assert len(filter_events(EVENTS)) == len(EVENTS)


def test_overlaps_single_day() -> None:
    ev = EVENTS[1]
    assert overlaps(ev, ev.date, ev.date)
    assert not overlaps(ev, ev.date + dt.timedelta(days=1), None)


def test_in_force() -> None:
    assert ids(in_force(EVENTS, D(2023, 1, 1))) == ["blockade"]
    assert ids(in_force(EVENTS, D(2023, 9, 19))) == ["blockade"]  # last day inclusive
    assert in_force(EVENTS, D(2023, 9, 20)) == []
    assert ids(in_force(EVENTS, D(2020, 11, 10))) == ["spans-window", "starts-at-end"]
    assert "point-end" not in ids(in_force(EVENTS, D(2020, 11, 10)))  # points never in force


def test_in_force_open_ended_situations_and_incidents() -> None:
    events = [
        make("open-mission", D(2023, 2, 20), kind="situation", type_="monitoring_mission"),
        make("closed-mission", D(2021, 1, 30), D(2024, 4, 17), kind="situation"),
        make("one-off", D(2023, 2, 20), kind="incident"),
        make("default-point", D(2023, 2, 20)),  # no kind, no end_date: an incident
    ]
    assert [e.kind.value for e in events] == ["situation", "situation", "incident", "incident"]
    assert in_force(events, D(2023, 2, 19)) == [events[1]]
    assert ids(in_force(events, D(2023, 2, 20))) == ["open-mission", "closed-mission"]
    assert ids(in_force(events, D(2030, 1, 1))) == ["open-mission"]  # still in force
    assert in_force(events, D(2021, 1, 29)) == []
    # "events between A and B": the open-ended situation lasts from its date on
    assert ids(filter_events(events, start=D(2025, 1, 1), end=D(2025, 2, 1))) == ["open-mission"]
    assert ids(filter_events(events, end=D(2023, 2, 19))) == ["closed-mission"]
    ix = EventIndex(events)
    for start, end in [(D(2025, 1, 1), None), (None, D(2023, 2, 20)), (D(2023, 2, 21), None)]:
        want = ids(filter_events(events, start=start, end=end))
        assert ids([events[i] for i in ix.select(start=start, end=end)]) == want


def test_types_and_precisions() -> None:
    assert ids(filter_events(EVENTS, types=["agreement", EventType.ceasefire])) == [
        "point-mid",
        "point-end",
    ]
    assert filter_events(EVENTS, types=[]) == []
    assert ids(filter_events(EVENTS, precisions=[GeoPrecision.near, "region"])) == [
        "point-mid",
        "blockade",
    ]
    exact = filter_events(EVENTS, exact_only=True)
    assert exact and all(e.geo_precision is GeoPrecision.exact for e in exact)


def test_actor_filter_is_case_and_substring_insensitive() -> None:
    assert ids(filter_events(EVENTS, actors=["armenia"])) == ["point-start"]
    assert ids(filter_events(EVENTS, actors=["ECO-ACTIVISTS", "nobody"])) == ["blockade"]
    assert filter_events(EVENTS, actors=["nobody"]) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("susa", ["blockade"]),  # Şuşa, diacritics folded
        ("SHUSHA", ["blockade"]),  # place name
        ("Շուշի", ["blockade"]),  # Armenian toponym
        ("agdam", ["agdam"]),  # Ağdam in title
        ("azerbaycan control", ["agdam"]),  # ə folded, words ANDed, summary
        ("lachin corridor", ["blockade"]),
        ("eco-activists", ["blockade"]),  # actors
        ("lachin agdam", []),  # every word must match
    ],
)
def test_text_search(query: str, expected: list[str]) -> None:
    assert ids(filter_events(EVENTS, text=query)) == expected


def test_fold() -> None:
    assert fold("  Şuşa  ") == "susa"
    assert fold("Xankəndi") == "xankendi"
    assert fold("QUBADLI") == fold("Qubadlı")


def test_combined_filters_and_helpers() -> None:
    got = filter_events(EVENTS, D(2020, 1, 1), D(2020, 12, 31), types=["clash"], text="stepanakert")
    assert ids(got) == [
        "point-before",
        "point-start",
        "point-after",
        "ends-at-start",
        "starts-at-end",
    ]
    assert actor_names(EVENTS) == ["Armed Forces of Armenia", "Azerbaijani eco-activists"]


def test_text_search_transliterates_and_uses_aliases() -> None:
    shusha = make("shusha-only", D(2020, 11, 8), place="Shusha")
    khankendi = make("khan", D(2020, 11, 8), place="Stepanakert", place_az="Khankendi")
    aliased = ResolvedEvent(
        khankendi.event, 46.75, 39.8, GeoPrecision.exact, "Aghdam", aliases=("Ağdam", "Akna")
    )
    evs = [shusha, khankendi, aliased]
    assert ids(filter_events(evs, text="Şuşa")) == ["shusha-only"]  # ş -> sh
    assert ids(filter_events(evs, text="Xankəndi")) == ["khan"]  # x -> kh, ə -> e
    assert ids(filter_events(evs, text="akna")) == ["khan"]  # gazetteer alias
    assert fold_translit("Çıraqlı") == "chiraqli"
