"""What one slide of a deck shows: the map, its title, as-of, filters in words and sources.

The caller (the UI) builds a :class:`DeckPage` per storyboard step with :func:`deck_page`,
from the step's view, the events the map shows and the number of events in the date window,
so that every slide says what was left out and why, and whom it cites.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from events.publishers import Register, shipped_register
from events.schema import ResolvedEvent
from kmap.briefing import BriefingSpec, Projection
from kmap.deck.storyboard import Annotation, Step, fill_aspect
from kmap.view_export import filters_in_words
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


@dataclass(frozen=True, eq=False)
class DeckPage:
    """One slide: the briefing to draw, the words around it and the sources it cites.

    ``points`` (lon, lat) and ``cites`` (indexes into ``sources``) are the events that pass
    the filters, so a writer can say, once the map is drawn, how many lie inside its frame
    and cite the sources of those (:meth:`in_frame`)."""

    spec: BriefingSpec
    title: str
    as_of_line: str
    filters_line: str
    note: str = ""
    sources: tuple[SourceRef, ...] = ()
    annotations: tuple[Annotation, ...] = ()
    points: np.ndarray = field(default_factory=lambda: np.empty((0, 2)))
    cites: tuple[tuple[int, ...], ...] = ()

    def in_frame(self, extent: tuple[float, float, float, float]) -> FramedPage:
        """What the drawn map holds: its projected extent (x0, x1, y0, y1, as
        kmap.briefing.build_figure reports it) -> events inside, their sources, the words."""
        inside = np.zeros(len(self.points), bool)
        if len(self.points):
            x, y = Projection(self.spec.bbox).forward(self.points[:, 0], self.points[:, 1])
            x0, x1, y0, y1 = extent
            with np.errstate(invalid="ignore"):
                inside = (x0 < x) & (x < x1) & (y0 < y) & (y < y1)
        n = int(inside.sum())
        used = sorted({j for i in np.flatnonzero(inside).tolist() for j in self.cites[i]})
        line = self.filters_line
        if n < len(self.points):
            line += f" · {n:,} of them inside this map's frame"
        return FramedPage(self, line, n, tuple(self.sources[j] for j in used))


@dataclass(frozen=True)
class FramedPage:
    """A page once drawn: the filters line with the frame's count, the sources it cites."""

    page: DeckPage
    filters_line: str
    events: int
    sources: tuple[SourceRef, ...]


def as_of_line(view: ViewState) -> str:
    """'Situation as of 10 November 2020 · events 27 September – 10 November 2020'."""
    return (
        f"Situation as of {date_in_words(view.as_of)} · "
        f"events {date_range_in_words(view.start, view.end)}"
    )


def _kind(register: Register, url: str) -> tuple[str | None, str]:
    pub = register.lookup(url)
    if pub is None:
        return None, "not in the publisher register"
    # the register's label is "NAME — KIND" ("Armenpress — Armenian state or aligned media")
    return pub.name, pub.label.removeprefix(f"{pub.name} — ")


def _cited(
    events: Iterable[ResolvedEvent], register: Register | None
) -> tuple[tuple[SourceRef, ...], list[tuple[int, ...]]]:
    """The sources once per URL, in order of first citation, and each event's indexes."""
    reg = register if register is not None else shipped_register()
    index: dict[tuple[str, str], int] = {}
    refs: list[SourceRef] = []
    cites: list[tuple[int, ...]] = []
    for ev in events:
        mine = []
        for s in ev.event.sources:
            name, kind = _kind(reg, s.url)
            # a dataset's one URL carries many publishers ("Reuters" via ACLED): one entry each
            key = (s.url, name or s.publisher)
            j = index.get(key)
            if j is None:
                j = index[key] = len(refs)
                refs.append(SourceRef(s.url, key[1], kind, s.published, s.title))
            elif (refs[j].title, refs[j].published) != (s.title, s.published) and (
                refs[j].title is not None or refs[j].published is not None
            ):
                refs[j] = replace(refs[j], title=None, published=None)
            mine.append(j)
        cites.append(tuple(mine))
    return tuple(refs), cites


def sources_of(
    events: Iterable[ResolvedEvent], register: Register | None = None
) -> tuple[SourceRef, ...]:
    """Every source the events cite, once per URL and publisher, in order of first citation;
    the publisher named as the register names it (one name per publisher), else as written.
    A source cited with different titles or dates (a dataset's one URL: "ACLED event 123",
    "… 124") keeps neither, rather than the first one's."""
    return _cited(events, register)[0]


def merged_sources(groups: Iterable[Iterable[SourceRef]]) -> tuple[SourceRef, ...]:
    """The sources of all pages, once each (by URL and publisher), sorted by publisher then
    date."""
    seen: dict[tuple[str, str], SourceRef] = {}
    for group in groups:
        for s in group:
            seen.setdefault((s.url, s.publisher), s)
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
    sources, cites = _cited(shown, register)
    return DeckPage(
        spec=spec,
        title=spec.title,
        as_of_line=as_of_line(view),
        filters_line=filters_in_words(view, len(shown), in_window),
        note=note,
        sources=sources,
        annotations=tuple(annotations),
        points=np.array([(ev.lon, ev.lat) for ev in shown], float).reshape(-1, 2),
        cites=tuple(cites),
    )


__all__ = [
    "SLIDE_ASPECT",
    "DeckPage",
    "FramedPage",
    "SourceRef",
    "as_of_line",
    "deck_page",
    "filters_in_words",
    "framed",
    "merged_sources",
    "sources_of",
]
