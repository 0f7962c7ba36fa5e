"""Select events: by date window, type, actor, free text, precision; and what was in force on a day.

Two time semantics (DESIGN.md §2):

* :func:`filter_events` - "events between A and B": an event matches when its interval
  ``[date, end_date or date]`` overlaps ``[start, end]`` (either bound may be open); an
  open-ended situation (``kind: situation``, no end_date) lasts from ``date`` on.
* :func:`in_force` - "situation as of D": situations (``kind: situation``) with
  ``date <= D <= end_date``, or ``date <= D`` when open-ended (no end_date).
"""

from __future__ import annotations

import datetime as dt
import operator
import unicodedata
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Protocol, TypeVar

from events.schema import EventType, GeoPrecision, ResolvedEvent

if TYPE_CHECKING:  # numpy is imported when an index is built, not at import time
    import numpy as np


class _EventLike(Protocol):
    @property
    def date(self) -> dt.date: ...
    @property
    def end_date(self) -> dt.date | None: ...
    @property
    def type(self) -> EventType: ...
    @property
    def title(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def actors(self) -> list[str]: ...


E = TypeVar("E", bound=_EventLike)

# Letters NFKD does not decompose but that people type without the diacritic.
_FOLD_PLAIN = str.maketrans(
    {
        "ə": "e",
        "Ə": "e",
        "ı": "i",
        "İ": "i",
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ß": "ss",
        "‘": "'",
        "’": "'",
        "ʼ": "'",
        "`": "'",
    }
)
# Azerbaijani letters as English-language sources transliterate them (Şuşa -> Shusha).
_FOLD_TRANSLIT = str.maketrans(
    {"ş": "sh", "Ş": "sh", "ç": "ch", "Ç": "ch", "ğ": "gh", "Ğ": "gh", "x": "kh", "X": "kh"}
)


def _strip_marks(text: str) -> str:
    if text.isascii():
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def fold(text: str) -> str:
    """Case- and diacritic-insensitive form of ``text`` ("Şuşa" -> "susa", "Ağdam" -> "agdam")."""
    return _strip_marks(text.translate(_FOLD_PLAIN))


def fold_translit(text: str) -> str:
    """Like :func:`fold`, transliterating Azerbaijani letters ("Şuşa" -> "shusha", "Xankəndi" ->
    "khankendi")."""
    return _strip_marks(text.translate(_FOLD_TRANSLIT).translate(_FOLD_PLAIN))


def _value(x: object) -> str:
    return x.value if isinstance(x, Enum) else str(x)


def _haystack(ev: _EventLike) -> str:
    """The folded search text of an event, cached on ResolvedEvents (they are immutable)."""
    if not isinstance(ev, ResolvedEvent):
        return _build_haystack(ev)
    cached = ev.__dict__.get("_search_text")
    if cached is None:
        cached = _build_haystack(ev)
        object.__setattr__(ev, "_search_text", cached)
    return cached


def _build_haystack(ev: _EventLike) -> str:
    parts = [ev.title, ev.summary, *ev.actors]
    for attr in ("place", "place_hy", "place_az"):
        v = getattr(ev, attr, None)
        if v:
            parts.append(v)
    parts.extend(getattr(ev, "aliases", ()) or ())
    event = getattr(ev, "event", ev)
    loc = getattr(event, "location", None)
    if loc is not None and getattr(loc, "place", None):
        parts.append(loc.place)
    text = "\n".join(parts)
    return fold(text) + "\n" + fold_translit(text)


def last_day(ev: _EventLike) -> dt.date:
    """The last day of the event's interval: end_date; date for an incident; date.max for an
    open-ended situation (still in force)."""
    if ev.end_date is not None:
        return ev.end_date
    return dt.date.max if is_situation(ev) else ev.date


def overlaps(ev: _EventLike, start: dt.date | None, end: dt.date | None) -> bool:
    """True if the event's interval [date, last_day(ev)] overlaps [start, end]."""
    last = last_day(ev)
    if start is not None and last < start:
        return False
    return not (end is not None and ev.date > end)


def filter_events(
    events: Iterable[E],
    start: dt.date | None = None,
    end: dt.date | None = None,
    types: Iterable[EventType | str] | None = None,
    actors: Iterable[str] | None = None,
    text: str | None = None,
    precisions: Iterable[GeoPrecision | str] | None = None,
    exact_only: bool = False,
) -> list[E]:
    """Events matching every given criterion, in input order.

    * ``start``/``end``: interval overlap (inclusive); None leaves that side open.
    * ``types``: any of these event types. ``precisions``: any of these geo precisions.
      An empty collection matches nothing; None means "no filter".
    * ``actors``: any event actor contains any given name (case-/diacritic-insensitive).
    * ``text``: every word occurs in title, summary, actors or place names
      (case-/diacritic-insensitive).
    * ``exact_only``: only events whose geo_precision is "exact".
    """
    if start is not None and end is not None and end < start:
        start, end = end, start
    type_set = None if types is None else {_value(t) for t in types}
    prec_set = None if precisions is None else {_value(p) for p in precisions}
    actor_keys = None if actors is None else [fold(a) for a in actors if a.strip()]
    words = [(fold(w), fold_translit(w)) for w in text.split()] if text else []

    out: list[E] = []
    for ev in events:
        if not overlaps(ev, start, end):
            continue
        if type_set is not None and _value(ev.type) not in type_set:
            continue
        gp = _value(getattr(ev, "geo_precision", ""))
        if exact_only and gp != GeoPrecision.exact.value:
            continue
        if prec_set is not None and gp not in prec_set:
            continue
        if actor_keys is not None:
            folded = [fold(a) for a in ev.actors]
            if not any(k in a for k in actor_keys for a in folded):
                continue
        if words:
            hay = _haystack(ev)
            if not all(plain in hay or translit in hay for plain, translit in words):
                continue
        out.append(ev)
    return out


def is_situation(ev: _EventLike) -> bool:
    """True for a situation (in force over a period), False for an incident.

    Uses the event's ``kind`` when it has one; otherwise (objects without it) the default:
    a situation if it has an end_date.
    """
    kind = getattr(ev, "kind", None)
    if kind is None:
        kind = getattr(getattr(ev, "event", None), "kind", None)
    if kind is None:
        return ev.end_date is not None
    return kind == "situation"  # EventKind is a StrEnum: equal to its value


def in_force(events: Iterable[E], day: dt.date) -> list[E]:
    """Situations in force on ``day``: ``date <= day <= end_date``, or ``date <= day`` for an
    open-ended situation (no end_date: still in force).

    Incidents (one-off events) are never "in force"; use filter_events for them.
    """
    return [
        ev
        for ev in events
        if is_situation(ev) and ev.date <= day and (ev.end_date is None or day <= ev.end_date)
    ]


def actor_names(events: Iterable[_EventLike]) -> list[str]:
    """All distinct actor names, sorted case-insensitively (for a multiselect widget)."""
    return sorted({a for ev in events for a in ev.actors}, key=fold)


# --------------------------------------------------------------------------------------------
# Vectorised filtering for large event sets (uploads of 10^5 events): same results as
# filter_events, with dates, types and precisions as numpy arrays built once per event list.


class EventIndex:
    """Numpy columns of an event list, for filtering it many times (one slider move each).

    :meth:`select` returns the positions :func:`filter_events` would keep, in input order:
    the date window, types, precisions and ``exact_only`` are array operations; actors and
    text (when given) are then checked by :func:`filter_events` on the remaining events only.
    Build it with :func:`event_index`, which keeps one per event list.
    """

    def __init__(self, events: Iterable[E]) -> None:
        import numpy as np

        # a snapshot: a caller changing its list later cannot make the index disagree with it
        self.events: tuple = tuple(events)
        self.source: object = events  # the object indexed, for event_index's O(1) check
        n = len(self.events)
        first = np.empty(n, dtype=np.int32)
        last = np.empty(n, dtype=np.int32)
        type_codes = np.empty(n, dtype=np.int32)
        prec_codes = np.empty(n, dtype=np.int32)
        self.type_values: dict[str, int] = {}
        self.prec_values: dict[str, int] = {}
        for i, ev in enumerate(self.events):
            first[i] = ev.date.toordinal()
            last[i] = last_day(ev).toordinal()
            t = _value(ev.type)
            type_codes[i] = self.type_values.setdefault(t, len(self.type_values))
            gp = _value(getattr(ev, "geo_precision", ""))
            prec_codes[i] = self.prec_values.setdefault(gp, len(self.prec_values))
        self.first, self.last = first, last
        self.type_codes, self.prec_codes = type_codes, prec_codes
        #: Positions in date order (stable): the order a dataset is published in, so that a
        #: date window is a contiguous run of it (kmap.map.masks.mask_b64 sends runs, not bits).
        self.order = np.argsort(first, kind="stable")
        self.cache: dict[str, object] = {}  # derived per-list data (e.g. the table frame)

    def __len__(self) -> int:
        return len(self.events)

    def _codes_in(self, codes: np.ndarray, table: dict[str, int], wanted: set[str]) -> np.ndarray:
        import numpy as np

        return np.isin(codes, [table[v] for v in wanted if v in table])

    def select(
        self,
        start: dt.date | None = None,
        end: dt.date | None = None,
        types: Iterable[EventType | str] | None = None,
        actors: Iterable[str] | None = None,
        text: str | None = None,
        precisions: Iterable[GeoPrecision | str] | None = None,
        exact_only: bool = False,
    ) -> np.ndarray:
        """Positions (ascending) of the events filter_events keeps with these arguments."""
        import numpy as np

        if start is not None and end is not None and end < start:
            start, end = end, start
        keep = np.ones(len(self.events), dtype=bool)
        if start is not None:
            keep &= self.last >= start.toordinal()
        if end is not None:
            keep &= self.first <= end.toordinal()
        if types is not None:
            keep &= self._codes_in(self.type_codes, self.type_values, {_value(t) for t in types})
        if exact_only:
            keep &= self._codes_in(self.prec_codes, self.prec_values, {GeoPrecision.exact.value})
        if precisions is not None:
            wanted = {_value(p) for p in precisions}
            keep &= self._codes_in(self.prec_codes, self.prec_values, wanted)
        idx = np.flatnonzero(keep)
        if actors is None and not text:
            return idx
        candidates = [self.events[i] for i in idx]
        kept = {id(ev) for ev in filter_events(candidates, actors=actors, text=text)}
        return idx[np.fromiter((id(ev) in kept for ev in candidates), bool, len(candidates))]

    def present_types(self, idx: np.ndarray) -> set[str]:
        """The event types among the events at these positions."""
        import numpy as np

        names = list(self.type_values)
        return {names[c] for c in np.unique(self.type_codes[idx])}

    def any_approximate(self, idx: np.ndarray) -> bool:
        """True if any event at these positions has a geo precision other than exact."""
        exact = self.prec_values.get(GeoPrecision.exact.value, -1)
        return bool((self.prec_codes[idx] != exact).any())


_INDEXES: list[EventIndex] = []
_INDEXES_MAX = 4


def event_index(events: Iterable[E]) -> EventIndex:
    """The EventIndex of this event list, reused while the list holds the same event objects.

    Callers may rebuild the list on every Streamlit rerun (catalogue + upload): the index is
    found again by the identity of its events (an O(n) pointer comparison, not a rebuild).
    Passing the same list object again with the same length is an O(1) check (a list grown or
    shrunk in place is compared element by element; do not replace items in place). The last
    few indexes are kept; each holds its events, so a dropped upload is freed after at most that
    many other event sets.
    """
    seq = events if isinstance(events, list | tuple) else list(events)
    for i, ix in enumerate(_INDEXES):
        mine = ix.events
        if ix.source is seq and len(seq) == len(mine):  # the very list indexed: O(1)
            return ix
        if len(mine) == len(seq) and all(map(operator.is_, mine, seq)):
            if i:
                _INDEXES.insert(0, _INDEXES.pop(i))
            return ix
    ix = EventIndex(seq)
    _INDEXES.insert(0, ix)
    del _INDEXES[_INDEXES_MAX:]
    return ix


def forget_event_indexes(events: Sequence[object]) -> int:
    """Drop the kept indexes that hold any of these events (an upload that was removed), so
    their memory is freed now rather than after other event sets push them out. Returns how
    many were dropped."""
    if not events:
        return 0
    marker = events[0]
    gone = [ix for ix in _INDEXES if any(e is marker for e in ix.events)]
    for ix in gone:
        _INDEXES.remove(ix)
    return len(gone)
