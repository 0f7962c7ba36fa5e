"""Deck pages: filters in words, sources with register names, the page helper."""

from __future__ import annotations

import datetime as dt

from events.publishers import Publisher, Register
from events.schema import Event, GeoPrecision, ResolvedEvent
from kmap.briefing import BriefingSpec
from kmap.deck.pages import (
    DeckPage,
    deck_page,
    filters_in_words,
    framed,
    merged_sources,
    sources_of,
)
from kmap.deck.storyboard import Step, fill_aspect
from kmap.viewstate import ViewState

D = dt.date
DAY = D(2020, 10, 1)
#: A register of made-up publishers on reserved example domains (RFC 2606).
REGISTER = Register(
    publishers=(
        Publisher("Example Wire", "wire_agency", ("example.org",)),
        Publisher("Example State TV", "state_aligned_media", ("example.net",), side="Armenian"),
    )
)


def event(
    id_: str,
    url: str,
    publisher: str = "as written",
    day: dt.date = DAY,
    type_: str = "clash",
    lonlat: tuple[float, float] = (46.75, 39.8),
) -> ResolvedEvent:
    """A resolved event citing one source."""
    ev = Event(
        id=f"ev-{id_}",
        date=day,
        type=type_,
        title=f"Event {id_}",
        summary="A neutral summary of it.",
        location={"place": "Somewhere"},
        geo_precision="exact",
        sources=[{"url": url, "publisher": publisher, "published": day, "title": f"T {id_}"}],
    )
    return ResolvedEvent(ev, lonlat[0], lonlat[1], GeoPrecision.exact, "Somewhere")


EVENTS = [
    event("a", "https://example.org/a", "example.org"),
    event("b", "https://www.example.org/b", "EXAMPLE WIRE"),
    event("c", "https://sub.example.net/c", "Example TV"),
    event("d", "https://example.com/d", "Unlisted Outlet", type_="ceasefire"),
    event("e", "https://example.org/a", "example.org"),  # the same URL again
]


def spec(title: str = "Step", events: tuple[dict, ...] = ()) -> BriefingSpec:
    """A small briefing spec (few events: fast)."""
    return BriefingSpec(
        title=title,
        as_of=D(2020, 11, 10),
        event_start=D(2020, 9, 27),
        event_end=D(2020, 11, 10),
        bbox=(46.2, 39.4, 47.2, 40.1),
        events=events,
        made_on=D(2024, 1, 1),
    )


def feature(ev: ResolvedEvent) -> dict:
    """What a briefing draws of an event."""
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [ev.lon, ev.lat]},
        "properties": {
            "type": ev.event.type.value,
            "geo_precision": ev.geo_precision.value,
            "sources": [{"publisher": s.publisher} for s in ev.event.sources],
        },
    }


def page(title: str, events: list[ResolvedEvent], **kw: object) -> DeckPage:
    """A deck page of a view over the 2020 war with these events shown."""
    view = ViewState(start=D(2020, 9, 27), end=D(2020, 11, 10), types=("clash",))
    return deck_page(
        view,
        events,
        len(events) + 3,
        spec(title, tuple(map(feature, events))),
        register=REGISTER,
        **kw,
    )


def test_filters_in_words_names_every_filter_and_counts() -> None:
    v = ViewState(
        types=("clash", "control_change"),
        text="Lachin",
        exact_only=True,
        actors=("Armenian forces",),
        precisions=("exact", "near"),
    )
    words = filters_in_words(v, 12, 37)
    assert words == (
        "Event types: clash, control change · actors: Armenian forces · text 'Lachin' · "
        "location precision: exact, near · exact locations only: "
        "12 of 37 events in the window shown"
    )


def test_filters_in_words_without_filters_and_with_events_off() -> None:
    assert filters_in_words(ViewState(), 5, 5) == "No filters: 5 of 5 events in the window shown"
    assert filters_in_words(ViewState(), 12345, 20000).startswith("No filters: 12,345 of 20,000")
    v = ViewState(layers=frozenset({"control"}))
    assert filters_in_words(v, 0, 9) == "Events layer off: 0 of 9 events in the window shown"


def test_sources_one_per_url_named_by_the_register() -> None:
    refs = sources_of(EVENTS, REGISTER)
    assert [r.url for r in refs] == list(dict.fromkeys(e.event.sources[0].url for e in EVENTS))
    by_url = {r.url: r for r in refs}
    # one name per publisher whatever the event wrote
    assert by_url["https://example.org/a"].publisher == "Example Wire"
    assert by_url["https://www.example.org/b"].publisher == "Example Wire"
    assert by_url["https://example.org/a"].kind == "wire agency"
    assert by_url["https://sub.example.net/c"].publisher == "Example State TV"
    assert by_url["https://sub.example.net/c"].kind == "Armenian state or aligned media"
    # not in the register: named as written, and said so
    assert by_url["https://example.com/d"].publisher == "Unlisted Outlet"
    assert by_url["https://example.com/d"].kind == "not in the publisher register"
    assert by_url["https://example.com/d"].published == D(2020, 10, 1)
    assert by_url["https://example.com/d"].title == "T d"
    # "https://example.org/a" is cited by events a and e with different titles: neither kept
    assert by_url["https://example.org/a"].title is None
    same = sources_of([EVENTS[0], EVENTS[0]], REGISTER)
    assert len(same) == 1 and same[0].title == "T a"
    # a dataset's one URL cited for two publishers: one entry each, named as written
    via = sources_of(
        [
            event("x1", "https://example.com/data", "Outlet A"),
            event("x2", "https://example.com/data", "Outlet B"),
            event("x3", "https://example.com/data", "Outlet A"),
        ],
        REGISTER,
    )
    assert [(r.url, r.publisher) for r in via] == [
        ("https://example.com/data", "Outlet A"),
        ("https://example.com/data", "Outlet B"),
    ]


def test_deck_page_and_merged_sources() -> None:
    p1 = page("One", EVENTS[:2], note="Say this")
    p2 = page("Two", EVENTS[1:])
    assert p1.title == "One" and p1.note == "Say this"
    assert (
        p1.as_of_line == "Situation as of 10 November 2020 · events 27 September – 10 November 2020"
    )
    assert p1.filters_line == "Event types: clash: 2 of 5 events in the window shown"
    merged = merged_sources([p1.sources, p2.sources])
    urls = [s.url for s in merged]
    assert sorted(urls) == sorted({e.event.sources[0].url for e in EVENTS})
    assert len(urls) == len(set(urls))


def test_framed_uses_the_step_title_and_fills_the_slide() -> None:
    step = Step(title="Framed", frame=(46.0, 39.0, 46.5, 40.5))  # tall
    s = framed(spec(), step)
    assert s.title == "Framed"
    assert s.bbox == fill_aspect(step.frame, 16 / 9)
    assert s.bbox[2] - s.bbox[0] > 0.5
