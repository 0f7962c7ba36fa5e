"""The time layers' datasets: every event, control period and zone as GeoJSON, in the order
the map's bit masks index them. The browser fetches each once; a view only sends masks.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

from events.query import EventIndex, event_index
from events.schema import ResolvedEvent
from geo import cache, control, zones
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
