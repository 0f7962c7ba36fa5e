"""Files made of the view on screen: what such a file depends on (its signature: a file made
for another one is stale), the extent it covers and the briefing spec of exactly what the map
shows."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from events.publishers import source_label
from events.schema import ResolvedEvent
from geo import control, zones
from kmap.map.features import feature_collection
from kmap.map.memory import gc_paused
from kmap.situation import Situation, datasets_on, zone_kinds_on
from kmap.viewstate import ViewState

if TYPE_CHECKING:
    from kmap.briefing import BriefingSpec

#: Extent exported when the map has not reported its bounds yet (the default view).
DEFAULT_EXPORT_BBOX = (44.6, 38.8, 47.8, 40.8)


def view_signature(v: ViewState, bounds: object, *extra: object) -> str:
    """What a made file depends on: the view but the map's position, plus `bounds` and any
    `extra` (a briefing's extent, title, classification, shape): a file made for another
    signature is stale (briefings, table exports)."""
    base = replace(v, center=ViewState().center, zoom=ViewState().zoom, present=False)
    return repr((base, bounds, extra))


def bounds_bbox(bounds: dict | None) -> tuple[float, float, float, float] | None:
    """Leaflet bounds from st_folium -> (lon_min, lat_min, lon_max, lat_max), or None."""
    try:
        sw, ne = bounds["_southWest"], bounds["_northEast"]
        bbox = (float(sw["lng"]), float(sw["lat"]), float(ne["lng"]), float(ne["lat"]))
    except (TypeError, KeyError, ValueError):
        return None
    return bbox if bbox[0] < bbox[2] and bbox[1] < bbox[3] else None


def _briefing_feature(ev: ResolvedEvent) -> dict:
    """What a briefing draws of an event (point, type, precision) and credits (publishers):
    a fifth of a full feature's work, which matters at 10^5 events."""
    e = ev.event
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [ev.lon, ev.lat]},
        "properties": {
            "type": e.type.value,
            "geo_precision": ev.geo_precision.value,
            # who is speaking, named with its kind ("Armenpress — Armenian state or aligned
            # media") in the briefing's sources line
            "sources": [{"publisher": source_label(s.url, s.publisher)} for s in e.sources],
            "from_file": ev.from_file,
        },
    }


def _only_kinds(fc: dict, kinds: set[str]) -> dict:
    return feature_collection([f for f in fc["features"] if f["properties"].get("kind") in kinds])


def briefing_spec(
    v: ViewState,
    sit: Situation,
    bbox: tuple[float, float, float, float] | None,
    title: str,
    classification: str | None,
) -> BriefingSpec:
    """The briefing export of exactly what the map shows: view, date, layers, data in force."""
    from kmap.briefing import BriefingSpec

    with gc_paused():
        features = tuple(map(_briefing_feature, sit.shown))
    kinds = zone_kinds_on(v)
    return BriefingSpec(
        title=title or "karabakh-map",
        as_of=v.as_of,
        event_start=v.start,
        event_end=v.end,
        bbox=bbox or DEFAULT_EXPORT_BBOX,
        toponyms=v.toponyms,
        layers=frozenset(v.layers | datasets_on(v)),
        basemap=v.basemap,
        classification=classification,
        events=features,
        control=control.control_geojson(v.as_of)
        if "control" in v.layers and control.modelled(v.as_of)
        else None,
        zones=_only_kinds(zones.zones_geojson(v.as_of), kinds) if kinds else None,
    )
