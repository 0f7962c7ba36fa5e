"""What one slide of a deck shows: the map, its title, as-of, filters in words and sources.

The caller (the UI) builds a :class:`DeckPage` per storyboard step with :func:`deck_page`,
from the step's view, the events the map shows and the number of events in the date window,
so that every slide says what was left out and why, and whom it cites.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from events.publishers import Register, shipped_register
from events.schema import ResolvedEvent
from kmap.briefing import BriefingSpec
from kmap.deck.storyboard import Annotation, Step, fill_aspect
from kmap.viewstate import ViewState
from kmap.words import date_in_words, date_range_in_words

#: Slide aspect of the decks (PowerPoint 16:9, 13.33 x 7.5 in).
SLIDE_ASPECT = 16 / 9


@dataclass(frozen=True)
class SourceRef:
    """One cited source: URL, publisher (the register's one name), kind, date, title."""

    url: str
    publisher: str
    kind: str
    published: dt.date | None = None
    title: str | None = None

    def line(self) -> str:
        """'Reuters · wire agency · 10 November 2020 · Title' (no URL)."""
        parts = [self.publisher, self.kind]
        if self.published:
            parts.append(date_in_words(self.published))
        if self.title:
            parts.append(self.title)
        return " · ".join(parts)


@dataclass(frozen=True)
class DeckPage:
    """One slide: the briefing to draw, the words around it and the sources it cites."""

    spec: BriefingSpec
    title: str
    as_of_line: str
    filters_line: str
    note: str = ""
    sources: tuple[SourceRef, ...] = ()
    annotations: tuple[Annotation, ...] = ()


def as_of_line(view: ViewState) -> str:
    """'Situation as of 10 November 2020 · events 27 September – 10 November 2020'."""
    return (
        f"Situation as of {date_in_words(view.as_of)} · "
        f"events {date_range_in_words(view.start, view.end)}"
    )


def _words(values: Iterable[str]) -> str:
    return ", ".join(v.replace("_", " ") for v in values)


def filters_in_words(view: ViewState, shown: int, in_window: int) -> str:
    """The active filters and what they leave: "Event types: clash, control change · text
    'Lachin' · exact locations only: 12 of 37 events in the window shown"."""
    parts = []
    if view.types:
        parts.append(f"Event types: {_words(view.types)}")
    if view.actors:
        parts.append(f"actors: {', '.join(view.actors)}")
    if view.text:
        parts.append(f"text '{view.text}'")
    if view.precisions:
        parts.append(f"location precision: {_words(view.precisions)}")
    if view.exact_only:
        parts.append("exact locations only")
    if "events" not in view.layers:
        parts.append("events layer off")
    if not parts:
        return f"No filters: {shown} of {in_window} events in the window shown"
    text = " · ".join(parts)
    return f"{text[0].upper()}{text[1:]}: {shown} of {in_window} events in the window shown"


def _kind(register: Register, url: str) -> tuple[str | None, str]:
    pub = register.lookup(url)
    if pub is None:
        return None, "not in the publisher register"
    # the register's label is "NAME — KIND" ("Armenpress — Armenian state or aligned media")
    return pub.name, pub.label.removeprefix(f"{pub.name} — ")


def sources_of(
    events: Iterable[ResolvedEvent], register: Register | None = None
) -> tuple[SourceRef, ...]:
    """Every source the events cite, once per URL, in order of first citation; the publisher
    named as the register names it (one name per publisher), else as written."""
    reg = register if register is not None else shipped_register()
    seen: dict[str, SourceRef] = {}
    for ev in events:
        for s in ev.event.sources:
            if s.url in seen:
                continue
            name, kind = _kind(reg, s.url)
            seen[s.url] = SourceRef(s.url, name or s.publisher, kind, s.published, s.title)
    return tuple(seen.values())


def merged_sources(pages: Sequence[DeckPage]) -> tuple[SourceRef, ...]:
    """The sources of all pages, once each (by URL), sorted by publisher then date."""
    seen: dict[str, SourceRef] = {}
    for p in pages:
        for s in p.sources:
            seen.setdefault(s.url, s)
    return tuple(
        sorted(
            seen.values(),
            key=lambda s: (s.publisher.casefold(), s.published or dt.date.min, s.url),
        )
    )


def framed(spec: BriefingSpec, step: Step, aspect: float = SLIDE_ASPECT) -> BriefingSpec:
    """The step's spec: its title, and its frame widened to the slide's aspect."""
    return replace(spec, title=step.title, bbox=fill_aspect(step.bbox(), aspect))


def deck_page(
    view: ViewState,
    shown: Sequence[ResolvedEvent],
    in_window: int,
    spec: BriefingSpec,
    *,
    note: str = "",
    annotations: Sequence[Annotation] = (),
    register: Register | None = None,
) -> DeckPage:
    """The page of one step: ``spec`` is the briefing of the view (see :func:`framed`),
    ``shown`` the events the map shows, ``in_window`` the events in the date window
    before the filters."""
    return DeckPage(
        spec=spec,
        title=spec.title,
        as_of_line=as_of_line(view),
        filters_line=filters_in_words(view, len(shown), in_window),
        note=note,
        sources=sources_of(shown, register),
        annotations=tuple(annotations),
    )


__all__ = [
    "SLIDE_ASPECT",
    "DeckPage",
    "SourceRef",
    "as_of_line",
    "deck_page",
    "filters_in_words",
    "framed",
    "merged_sources",
    "sources_of",
]
