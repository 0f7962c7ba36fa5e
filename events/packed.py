"""Compact imported events: a ResolvedEvent that keeps its values, not its pydantic models.

An uploaded file gives up to 10^5 events. Each validated row used to be kept as a
``ResolvedEvent`` holding a pydantic ``Event`` with its ``Location`` and ``Source`` models:
about 1.8 kB an event (#18), most of it the models' instance dictionaries. A
:class:`PackedEvent` keeps the same values in slots, the values a file repeats (type,
precisions, confidence, field-name sets, the location when it is the point itself, a source's
url and publisher) in tuples shared between events (:class:`Packer`), and makes its ``event``
on demand: an ``Event`` equal, field by field, to the one that was validated.

It *is* a ``ResolvedEvent`` (isinstance, every field and accessor, ``==``), so every reader
(situation, query, tables, exports, briefings) reads it unchanged. What differs: ``ev.event``
is a new ``Event`` on each access (do not mutate it; nothing does after an import), and the
accessors (``ev.date``, ``ev.type``, ``ev.sources`` ...) read the slots, not that model.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable
from typing import Any, TypeVar

from events.schema import Event, EventKind, Location, ResolvedEvent, Source

_M = TypeVar("_M", Event, Location, Source)

#: ResolvedEvent's field names, in order (what == compares).
_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(ResolvedEvent))
#: Location given as the event's own point: the location tuple then holds this marker.
_SAME_POINT = "same-point"


class _Names:
    """One shared set of given field names (pydantic keeps a set per model), hashable by
    identity so that it can sit in the shared tuples."""

    __slots__ = ("names",)

    def __init__(self, names: set[str]) -> None:
        self.names = names


_NAMES: dict[frozenset[str], _Names] = {}


def _names(model: Event | Location | Source) -> _Names:
    """The shared _Names of a validated model's given field names."""
    names = model.__pydantic_fields_set__
    key = frozenset(names)
    if key not in _NAMES:
        _NAMES[key] = _Names(set(names))
    return _NAMES[key]


def _model(cls: type[_M], values: dict[str, Any], fields_set: _Names) -> _M:
    """A pydantic model with these (already validated) values, as validation left it: no
    validators run, so it is exactly the model that was validated (fields set included)."""
    m = cls.__new__(cls)
    object.__setattr__(m, "__dict__", values)
    object.__setattr__(m, "__pydantic_fields_set__", fields_set.names)
    object.__setattr__(m, "__pydantic_extra__", None)
    object.__setattr__(m, "__pydantic_private__", None)
    return m


def _source(head: tuple, title: str | None) -> Source:
    url, publisher, published, accessed, fields_set = head
    values = {
        "url": url,
        "publisher": publisher,
        "published": published,
        "title": title,
        "accessed": accessed,
    }
    return _model(Source, values, fields_set)


class Packer:
    """Shares the values one import repeats between its events (one Packer per file)."""

    def __init__(self) -> None:
        self._shared: dict[Hashable, Hashable] = {}

    def share(self, value: Hashable) -> Any:
        """The first equal value seen (one object for all equal ones)."""
        return self._shared.setdefault(value, value)

    def pack(self, ev: ResolvedEvent) -> PackedEvent:
        """The compact form of a validated event (equal to it)."""
        return PackedEvent(*(getattr(ev, f) for f in _FIELDS), packer=self)


class PackedEvent(ResolvedEvent):
    """A ResolvedEvent kept as slots and shared tuples; ``event`` is made on demand."""

    # Plain fields (ResolvedEvent's and Event's) in slots of the same name, read as attributes.
    __slots__ = (
        "_actors",  # tuple, shared
        "_ev",  # the Event's repeated values, shared (see __init__)
        "_loc",  # (place, point or _SAME_POINT, none, fields set), shared
        "_src_head",  # one source: (url, publisher, published, accessed, fields set), shared
        "_src_rest",  # one source: its title; several: a tuple of (head, title)
        "date",
        "from_file",
        "geo_precision",
        "id",
        "lat",
        "lon",
        "notes",
        "origin",
        "place",
        "summary",
        "title",
    )

    def __init__(
        self,
        event: Event,
        lon: float,
        lat: float,
        geo_precision: Any,
        place: str | None = None,
        place_hy: str | None = None,
        place_az: str | None = None,
        origin: str | None = None,
        aliases: tuple[str, ...] = (),
        from_file: str | None = None,
        *,
        packer: Packer | None = None,
    ) -> None:
        p = packer or Packer()
        e, loc = event, event.location
        put = object.__setattr__  # frozen like ResolvedEvent: slots are set once, here
        for name, value in (
            ("lon", lon),
            ("lat", lat),
            ("geo_precision", geo_precision),
            ("place", p.share(place)),
            ("origin", origin),
            ("from_file", from_file),
            ("id", e.id),
            ("date", p.share(e.date)),
            ("title", p.share(e.title)),
            ("summary", e.summary),
            ("notes", p.share(e.notes)),
            ("_actors", p.share(tuple(e.actors))),
        ):
            put(self, name, value)
        ev_rest = (
            e.end_date,
            e.kind,
            e.date_precision,
            e.type,
            e.geo_precision,
            e.confidence,
            e.related_area,
            _names(e),
            place_hy,
            place_az,
            tuple(aliases),
        )
        put(self, "_ev", p.share(ev_rest))
        point = _SAME_POINT if (loc.lon, loc.lat) == (lon, lat) else (loc.lon, loc.lat)
        put(
            self,
            "_loc",
            p.share((loc.place, point, loc.none, _names(loc))),
        )
        heads = [
            p.share((s.url, s.publisher, s.published, s.accessed, _names(s))) for s in e.sources
        ]
        if len(heads) == 1:
            put(self, "_src_head", heads[0])
            put(self, "_src_rest", e.sources[0].title)
        else:
            put(self, "_src_head", None)
            put(self, "_src_rest", tuple(zip(heads, (s.title for s in e.sources), strict=True)))

    # --- what ResolvedEvent reads through its Event, read from the slots -------------------

    @property
    def event(self) -> Event:  # type: ignore[override]
        """The validated Event, made again (a new object on each access)."""
        end, kind, dprec, etype, own_gp, conf, area, fields_set = self._ev[:8]
        place, point, none, loc_set = self._loc
        lon, lat = (self.lon, self.lat) if point == _SAME_POINT else point
        location = _model(Location, {"place": place, "lon": lon, "lat": lat, "none": none}, loc_set)
        values = {
            "id": self.id,
            "date": self.date,
            "end_date": end,
            "kind": kind,
            "date_precision": dprec,
            "type": etype,
            "title": self.title,
            "summary": self.summary,
            "location": location,
            "geo_precision": own_gp,
            "actors": list(self._actors),
            "sources": self.sources,
            "confidence": conf,
            "related_area": area,
            "notes": self.notes,
        }
        return _model(Event, values, fields_set)

    @property
    def end_date(self) -> Any:  # type: ignore[override]
        return self._ev[0]

    @property
    def kind(self) -> Any:  # type: ignore[override]
        return self._ev[1] or (EventKind.situation if self._ev[0] else EventKind.incident)

    @property
    def date_precision(self) -> Any:  # type: ignore[override]
        return self._ev[2]

    @property
    def type(self) -> Any:  # type: ignore[override]
        return self._ev[3]

    @property
    def confidence(self) -> Any:  # type: ignore[override]
        return self._ev[5]

    @property
    def related_area(self) -> str | None:  # type: ignore[override]
        return self._ev[6]

    @property
    def place_hy(self) -> str | None:  # type: ignore[override]
        return self._ev[8]

    @property
    def place_az(self) -> str | None:  # type: ignore[override]
        return self._ev[9]

    @property
    def aliases(self) -> tuple[str, ...]:  # type: ignore[override]
        return self._ev[10]

    @property
    def placeless(self) -> bool:  # type: ignore[override]
        return self._loc[2]

    @property
    def actors(self) -> list[str]:  # type: ignore[override]
        """A new list each time (Event.actors is a list)."""
        return list(self._actors)

    @property
    def sources(self) -> list[Source]:  # type: ignore[override]
        """The Source models, made again."""
        if self._src_head is not None:
            return [_source(self._src_head, self._src_rest)]
        return [_source(head, title) for head, title in self._src_rest]

    def __reduce__(self) -> tuple:
        """Pickled and copied by its slots (a cached search text is left out)."""
        return (_restore, tuple(getattr(self, name) for name in PackedEvent.__slots__))

    def __setattr__(self, name: str, value: object) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ResolvedEvent):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in _FIELDS)

    __hash__ = None  # type: ignore[assignment] - as ResolvedEvent's (its Event is unhashable)


def _restore(*values: object) -> PackedEvent:
    """A PackedEvent from its slots' values (pickle, copy)."""
    ev = PackedEvent.__new__(PackedEvent)
    for name, value in zip(PackedEvent.__slots__, values, strict=True):
        object.__setattr__(ev, name, value)
    return ev
