"""Events as compact columns: the same content as their GeoJSON features, a fraction of the bytes.

At 10^5 events the GeoJSON (one feature dict per event) was 68 MB of text; the browser spent
seconds parsing it and the server two building it. Here each property is one array over the
events (in published order, the order the masks index), and a property with few distinct
values (type, precision, place, actors, a source's publisher) is sent once per value with a
small code per event. ``kmap/js/kmap-events.js`` reads it back into exactly the properties of
:func:`kmap.map.features.event_feature` (tests/unit/test_kmap_events.py checks every event):

    {"format": "kmap-events", "version": 1, "n": N,
     "lon": [...], "lat": [...],          # rounded like the GeoJSON coordinates
     "t0": [...], "t1": [... | null],     # date and end_date as days since 1970-01-01
     "cols": {"id": col, "title": col, ...},
     "sources": {"n": [sources per event], "url": col, ..., "label": col}}

where a ``col`` is either a plain array (one value per event) or ``{"v": values, "c": codes}``.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

from geo.areas import area_label
from geo.toponyms import toponym
from kmap.map.features import SOURCE_KEYS, source_values, who
from palette import EVENT_STYLES

FORMAT = "kmap-events"
VERSION = 1
_EPOCH = dt.date(1970, 1, 1).toordinal()

#: The per-event columns (the properties of event_feature but date and end_date, in t0/t1).
EVENT_KEYS = (
    "id",
    "title",
    "date_precision",
    "type",
    "type_label",
    "summary",
    "place",
    "geo_precision",
    "actors",
    "confidence",
    "area",
    "from_file",
    "kind",
)
#: The per-source columns (in the order of each event's sources, events one after another).
SOURCE_COLUMNS = (*SOURCE_KEYS, "host", "label")


#: Events read per batch: their values are then added column by column, at C speed.
BATCH = 4_096


class Column:
    """A column built a batch of values at a time: coded (each distinct value once, an int32
    code per row) while at most `limit` values are distinct, plain from then on. Nothing per
    row is held but a code or a reference (the rows of 10^5 events as tuples were ~50 MB)."""

    __slots__ = ("codes", "index", "limit", "plain")

    def __init__(self, limit: int) -> None:
        self.index: dict[Hashable, int] = {}
        self.codes = array("i")
        self.plain: list | None = None
        self.limit = limit

    def extend(self, values: Sequence[Hashable]) -> None:
        """Append rows' values."""
        if self.plain is not None:
            self.plain.extend(values)
            return
        index = self.index
        for v in dict.fromkeys(values):  # the batch's distinct values, new ones coded
            if v not in index:
                index[v] = len(index)
        if len(index) <= self.limit:
            self.codes.extend(map(index.__getitem__, values))
            return
        distinct = list(index)  # too many distinct values: plain
        self.plain = [distinct[c] for c in self.codes]
        self.plain.extend(values)
        self.index, self.codes = {}, array("i")

    def sent(self) -> list | dict:
        """The column as sent: plain values or {"v": values, "c": codes (an int32 array)}."""
        if self.plain is not None or not self.index:
            return self.plain or []
        return {"v": list(self.index), "c": self.codes}


def column(values: Sequence[Hashable]) -> list | dict:
    """A column as sent: the plain values, or, when at most half of them are distinct, each
    distinct value once ("v") and a code per row ("c")."""
    col = Column(len(values) // 2)
    col.extend(values)
    return plain_json(col.sent())


def plain_json(obj: Any) -> Any:
    """The dataset with its int32 and float arrays as lists (what json.dumps takes)."""
    if isinstance(obj, array):
        return obj.tolist()
    if isinstance(obj, dict):
        return {k: plain_json(v) for k, v in obj.items()}
    return obj


class _Places:
    """An event's place and area in the names mode, each name made once (shared strings)."""

    def __init__(self, toponyms: str) -> None:
        self.toponyms = toponyms
        self.places: dict[tuple, str | None] = {}
        self.areas: dict[str, str] = {}

    def place(self, ev: Any) -> str | None:
        key = (ev.place, ev.place_hy, ev.place_az)
        if key not in self.places:
            self.places[key] = (
                toponym(ev.place, ev.place_hy, ev.place_az, self.toponyms) if ev.place else None
            )
        return self.places[key]

    def area(self, ev: Any) -> str | None:
        area = ev.related_area
        if area and area not in self.areas:
            self.areas[area] = area_label(area, self.toponyms)
        return self.areas[area] if area else None


def _event_values(ev: Any, names: _Places) -> tuple:
    """The EVENT_KEYS values of one resolved event, read through ResolvedEvent's accessors
    (an uploaded events.packed.PackedEvent makes ``ev.event`` anew on each access)."""
    kind = ev.type.value
    style = EVENT_STYLES.get(str(kind))
    return (
        ev.id,
        ev.title,
        ev.date_precision.value,
        kind,
        style.label if style else kind,
        ev.summary,
        names.place(ev),
        ev.geo_precision.value,
        tuple(ev.actors),
        ev.confidence.value,
        names.area(ev),
        ev.from_file,
        ev.kind.value,
    )


def _source_rows(sources: Iterable) -> list[tuple]:
    """SOURCE_COLUMNS values of each source (None where the GeoJSON leaves a key out)."""
    rows = []
    for s in sources:
        url, publisher, published, title = source_values(s)
        host, label = who(str(url), str(publisher or "")) if url else (None, None)
        rows.append(tuple(v or None for v in (url, publisher, published, title, host, label)))
    return rows


def _extend(cols: Sequence[Column], rows: list[tuple]) -> None:
    """Add a batch of rows (tuples in the columns' order) column by column."""
    if rows:
        for col, values in zip(cols, zip(*rows, strict=True), strict=True):
            col.extend(values)


def events_columns(ordered: Sequence[Any], toponyms: str = "both") -> dict:
    """The compact dataset of events already in published order (kmap.datasets), numbers and
    codes as arrays (plain_json makes them lists). A source column is coded while it has at
    most half as many distinct values as there are events."""
    n = len(ordered)
    lon, lat, t0, counts = array("d"), array("d"), array("i"), array("i")
    t1: list[int | None] = []
    cols = [Column(n // 2) for _ in EVENT_KEYS]
    src_cols = [Column(n // 2) for _ in SOURCE_COLUMNS]
    names = _Places(toponyms)
    for start in range(0, n, BATCH):
        rows, srcs = [], []
        for ev in ordered[start : start + BATCH]:
            lon.append(round(ev.lon, 5))
            lat.append(round(ev.lat, 5))
            t0.append(ev.date.toordinal() - _EPOCH)  # days since 1970-01-01: KMap.time.dayOf
            end = ev.end_date
            t1.append(end.toordinal() - _EPOCH if end else None)
            rows.append(_event_values(ev, names))
            these = _source_rows(ev.sources)
            counts.append(len(these))
            srcs.extend(these)
        _extend(cols, rows)
        _extend(src_cols, srcs)
    sources: dict[str, Any] = {"n": counts}
    sources.update((k, c.sent()) for k, c in zip(SOURCE_COLUMNS, src_cols, strict=True))
    return {
        "format": FORMAT,
        "version": VERSION,
        "n": n,
        "lon": lon,
        "lat": lat,
        "t0": t0,
        "t1": t1,
        "cols": {k: c.sent() for k, c in zip(EVENT_KEYS, cols, strict=True)},
        "sources": sources,
    }
