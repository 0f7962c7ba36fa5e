"""Files made of the view on screen: what such a file depends on (its signature: a file made
for another one is stale), the extent it covers and the briefing spec of exactly what the map
shows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from events.publishers import shipped_register
from events.query import filter_events
from events.schema import ResolvedEvent
from geo import control, zones
from kmap.map.features import feature_collection
from kmap.map.memory import gc_paused
from kmap.situation import Situation, datasets_on, zone_kinds_on
from kmap.viewstate import ViewState

if TYPE_CHECKING:
    import datetime as dt

    from kmap.briefing import BriefingSpec
    from kmap.briefing.compare import Change

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


def _words(values: Iterable[str]) -> str:
    return ", ".join(v.replace("_", " ") for v in values)


def filters_in_words(view: ViewState, shown: int, in_window: int) -> str:
    """The active filters and what they leave: "Event types: clash, control change · text
    'Lachin' · exact locations only: 12 of 37 events in the window shown" (one wording for
    the briefing image, the standalone HTML and the deck's slides)."""
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
        return f"No filters: {shown:,} of {in_window:,} events in the window shown"
    text = " · ".join(parts)
    return f"{text[0].upper()}{text[1:]}: {shown:,} of {in_window:,} events in the window shown"


def view_filters_line(v: ViewState, shown: int, events: Sequence[ResolvedEvent]) -> str:
    """filters_in_words for a view, counting the events of `events` in its date window."""
    return filters_in_words(v, shown, len(filter_events(events, v.start, v.end)))


@lru_cache(maxsize=65_536)
def publisher_name(url: str, publisher: str) -> str:
    """The register's one name for the URL's publisher ("AzerNews"), else the publisher as
    written: one name per publisher in a sources line. Cached: an imported file cites the
    same few URLs 10^5 times."""
    pub = shipped_register().lookup(url)
    return pub.name if pub is not None else publisher


def _briefing_feature(ev: ResolvedEvent) -> dict:
    """What a briefing draws of an event (point, type, precision) and credits (publishers):
    a fifth of a full feature's work, which matters at 10^5 events."""
    e = ev  # its accessors (events.packed.PackedEvent makes .event on demand)
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [ev.lon, ev.lat]},
        "properties": {
            "type": e.type.value,
            "geo_precision": ev.geo_precision.value,
            # who is speaking, by the publisher register's one name ("Armenpress")
            "sources": [{"publisher": publisher_name(s.url, s.publisher)} for s in e.sources],
            "from_file": ev.from_file,
        },
    }


def _named_by_register(fc: dict) -> dict:
    """A copy of a control / zones collection whose sources name their publisher as the
    register does (publisher_name), like the events': one name per publisher in the
    briefing's sources line. The input (a cached collection) is left as it was."""

    def renamed(src: object) -> object:
        if not isinstance(src, dict) or not src.get("url"):
            return src
        return {**src, "publisher": publisher_name(str(src["url"]), str(src.get("publisher")))}

    features = []
    for f in fc["features"]:
        props = f.get("properties") or {}
        sources = props.get("sources")
        if isinstance(sources, list):
            f = {**f, "properties": {**props, "sources": [renamed(s) for s in sources]}}
        features.append(f)
    return {**fc, "features": features}


def _only_kinds(fc: dict, kinds: set[str]) -> dict:
    return feature_collection([f for f in fc["features"] if f["properties"].get("kind") in kinds])


def briefing_spec(
    v: ViewState,
    sit: Situation,
    bbox: tuple[float, float, float, float] | None,
    title: str,
    classification: str | None,
    events: Sequence[ResolvedEvent] | None = None,
) -> BriefingSpec:
    """The briefing export of exactly what the map shows: view, date, layers, data in force.

    With `events` (the events the view was filtered from), the image says the filters in
    words and how many events of the date window they leave (filters_in_words)."""
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
        filters=None if events is None else view_filters_line(v, len(sit.shown), events),
        events=features,
        control=_named_by_register(control.control_geojson(v.as_of))
        if "control" in v.layers and control.modelled(v.as_of)
        else None,
        zones=_named_by_register(_only_kinds(zones.zones_geojson(v.as_of), kinds))
        if kinds
        else None,
    )


def compare_specs(
    v: ViewState,
    sit: Situation,
    bbox: tuple[float, float, float, float] | None,
    dates: tuple[dt.date, dt.date],
    title: str,
    classification: str | None,
) -> tuple[BriefingSpec, BriefingSpec, list[Change]]:
    """The two maps of a side-by-side slide (kmap.briefing.compare): the view's layers and
    frame as of each date, without events (they belong to a date window, not a day), and
    the areas that changed hands between the dates (geo.control.changes_between; dates
    before the model are taken as its first day, as kmap.areas does)."""
    from kmap.briefing.compare import Change

    no_events = replace(v, layers=v.layers - {"events"})
    quiet = replace(sit, shown=[])  # no event features built only to be dropped
    a, b = dates
    specs = tuple(
        briefing_spec(
            replace(no_events, end=d, start=min(v.start, d)), quiet, bbox, title, classification
        )
        for d in (a, b)
    )
    start = control.MODEL_START
    changes = [
        Change(c["geometry"], c["from"], c["to"], float(c["km2"]))
        for c in control.changes_between(max(a, start), max(b, start))
    ]
    return specs[0], specs[1], changes
