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


def column(values: Sequence[Hashable]) -> list | dict:
    """A column as sent: the plain values, or, when at most half of them are distinct, each
    distinct value once ("v") and a code per row ("c")."""
    uniq = dict.fromkeys(values)  # distinct values in order of first use
    if not uniq or 2 * len(uniq) > len(values):
        return list(values)
    index = {v: k for k, v in enumerate(uniq)}
    return {"v": list(uniq), "c": list(map(index.__getitem__, values))}


def _event_row(ev: Any, toponyms: str, areas: dict) -> tuple:
    """The EVENT_KEYS values of one resolved event, read through ResolvedEvent's accessors
    (an uploaded events.packed.PackedEvent makes ``ev.event`` anew on each access)."""
    place = toponym(ev.place or "", ev.place_hy, ev.place_az, toponyms) if ev.place else None
    kind = ev.type.value
    style = EVENT_STYLES.get(str(kind))
    area = ev.related_area
    if area and area not in areas:
        areas[area] = area_label(area, toponyms)
    return (
        ev.id,
        ev.title,
        ev.date_precision.value,
        kind,
        style.label if style else kind,
        ev.summary,
        place,
        ev.geo_precision.value,
        tuple(ev.actors),
        ev.confidence.value,
        areas[area] if area else None,
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


def events_columns(ordered: Sequence[Any], toponyms: str = "both") -> dict:
    """The compact dataset of events already in published order (kmap.datasets)."""
    lon, lat, t0, t1, rows, counts, srcs = [], [], [], [], [], [], []
    areas: dict[str, str] = {}
    for ev in ordered:
        lon.append(round(ev.lon, 5))
        lat.append(round(ev.lat, 5))
        t0.append(ev.date.toordinal() - _EPOCH)  # days since 1970-01-01: KMap.time.dayOf
        end = ev.end_date
        t1.append(end.toordinal() - _EPOCH if end else None)
        rows.append(_event_row(ev, toponyms, areas))
        these = _source_rows(ev.sources)
        counts.append(len(these))
        srcs.extend(these)
    by_key = list(zip(*rows, strict=True)) if rows else [()] * len(EVENT_KEYS)
    by_source = list(zip(*srcs, strict=True)) if srcs else [()] * len(SOURCE_COLUMNS)
    sources: dict[str, Any] = {"n": counts}
    sources.update((k, column(v)) for k, v in zip(SOURCE_COLUMNS, by_source, strict=True))
    return {
        "format": FORMAT,
        "version": VERSION,
        "n": len(lon),
        "lon": lon,
        "lat": lat,
        "t0": t0,
        "t1": t1,
        "cols": {k: column(v) for k, v in zip(EVENT_KEYS, by_key, strict=True)},
        "sources": sources,
    }
