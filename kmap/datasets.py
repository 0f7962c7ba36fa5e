"""The time layers' datasets: every event, control period and zone as GeoJSON, in the order
the map's bit masks index them. The browser fetches each once; a view only sends masks.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import zlib
from array import array
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache

import numpy as np

from events.query import EventIndex, event_index
from events.schema import ResolvedEvent
from geo import cache, control, zones
from kmap.map.eventcols import events_columns, plain_json
from kmap.map.features import event_feature, feature_collection
from kmap.map.memory import gc_paused


def events_at(ix: EventIndex, positions: np.ndarray) -> list[ResolvedEvent]:
    """The events at these numpy positions of the index (plain ints index a list ~10x
    faster)."""
    return list(map(ix.events.__getitem__, positions.tolist()))


def published_order(events: Sequence[ResolvedEvent]) -> list[ResolvedEvent]:
    """The events in the order the map's dataset holds them and its masks index: by date
    (stable), so a date window is one run of the mask whatever the number of events."""
    ix = event_index(events)
    return events_at(ix, ix.order)


def events_collection(events: Sequence[ResolvedEvent], toponyms: str = "both") -> dict:
    """All events as GeoJSON, in published_order (the order the masks index)."""
    with gc_paused():
        return feature_collection([event_feature(ev, toponyms) for ev in published_order(events)])


def events_dataset(events: Sequence[ResolvedEvent], toponyms: str = "both") -> dict:
    """All events as compact columns (kmap.map.eventcols), in published_order: the same
    content as events_collection, read back by kmap/js/kmap-events.js."""
    with gc_paused():
        return plain_json(events_columns(published_order(events), toponyms))


#: Items per piece of a long column's JSON text (one column's text is ~10 MB at 10^5 events).
JSON_PIECE = 10_000


def _json_parts(obj: dict, depth: int = 2) -> Iterator[str]:
    """The compact JSON text of a dict in pieces, dicts down to `depth` levels a value at a
    time and long lists JSON_PIECE items at a time: the whole text (~20 MB at 10^5 events) is
    never held."""

    def dumps(x: object) -> str:
        return json.dumps(x, ensure_ascii=False, separators=(",", ":"))

    yield "{"
    for n, (key, value) in enumerate(obj.items()):
        yield ("," if n else "") + json.dumps(key) + ":"
        if isinstance(value, dict) and depth > 1:
            yield from _json_parts(value, depth - 1)
        elif isinstance(value, list | array) and len(value) > JSON_PIECE:
            yield "["
            for start in range(0, len(value), JSON_PIECE):
                piece = plain_json(value[start : start + JSON_PIECE])
                yield ("," if start else "") + dumps(piece)[1:-1]
            yield "]"
        else:
            yield dumps(plain_json(value))
    yield "}"


def events_dataset_gz(
    events: Sequence[ResolvedEvent], toponyms: str = "both", level: int = 3
) -> bytes:
    """The gzip of events_dataset's compact JSON: what ui.sessiondata keeps and serves for an
    upload. At 10^5 events about a third of the time of the GeoJSON it replaces and half its
    gzip (docs/benchmarks.md, "Upload -> painted")."""
    comp = zlib.compressobj(level, zlib.DEFLATED, 31)  # wbits 31: a gzip container
    with gc_paused():
        data = events_columns(published_order(events), toponyms)
        parts = [comp.compress(text.encode("utf-8")) for text in _json_parts(data)]
    parts.append(comp.flush())
    return b"".join(parts)


def _situation_days() -> list[dt.date]:
    """Every day on which control or a zone changes (plus the start of the model)."""
    return sorted({dt.date(1991, 1, 1), *control.change_dates(), *zones.zone_change_dates()})


def collect(day_collection: Callable[[dt.date], dict]) -> dict:
    """Every feature that `day_collection` (date -> FeatureCollection) returns on any change
    day, once each (by id): the whole history of a layer."""
    seen: dict[str, dict] = {}
    for day in _situation_days():
        for f in day_collection(day)["features"]:
            seen.setdefault(f["properties"]["id"], f)
    return feature_collection(list(seen.values()))


def _collection_key(name: str) -> str:
    """geo.cache key of a collection: the model, the zones and the code that collects them."""
    code = cache.source_digest(sys.modules[__name__], sys.modules[feature_collection.__module__])
    return cache.make_key(name, control.model_key(), zones.zones_key(), code)


@lru_cache(maxsize=1)
def control_collection() -> dict:
    """Every control period ever (fetched once by the browser; masks pick the day's).

    Kept on disk (geo.cache) while the model and this code are unchanged: a new server
    process reads it in milliseconds instead of deriving it for every day (~1 s)."""
    return cache.cached(
        "control-collection",
        _collection_key("control-collection"),
        lambda: collect(control.control_geojson),
        fmt="json",
    )


@lru_cache(maxsize=1)
def zones_collection() -> dict:
    """Every zone ever (peacekeeping zone, corridor, monitoring centre, EU mission); kept on
    disk like control_collection."""
    return cache.cached(
        "zones-collection",
        _collection_key("zones-collection"),
        lambda: collect(zones.zones_geojson),
        fmt="json",
    )
