"""What the dashboard shows for a view: filtered events, the situation as of a day, the banner.

Pure functions over the catalogue and geo.control, so the app stays thin and everything here
is unit-tested. The same filtered set feeds the map masks, the table, the charts and exports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from events.publishers import source_label
from events.query import EventIndex, actor_names, event_index, filter_events
from events.schema import ResolvedEvent
from geo import control, zones
from kmap import charts
from kmap.dynamic import event_feature, feature_collection, gc_paused, mask_b64
from kmap.viewstate import EARLIEST, PRESETS, ZONE_TOGGLE, ViewState
from kmap.words import date_in_words, date_range_in_words
from palette import CONTROL_STYLES, EVENT_STYLES, ZONE_STYLES

#: The preset box's value when the window matches no preset.
CUSTOM = "(custom)"


def _selection(ix: EventIndex, v: ViewState) -> Any:
    """Positions in ix of the events the view shows (events.query.filter_events semantics)."""
    return ix.select(
        start=v.start,
        end=v.end,
        types=v.types or None,
        actors=v.actors or None,
        text=v.text or None,
        precisions=v.precisions or None,
        exact_only=v.exact_only,
    )


def _pick(ix: EventIndex, positions: Any) -> list[ResolvedEvent]:
    """The events at these numpy positions (plain ints index a list ~10x faster)."""
    return list(map(ix.events.__getitem__, positions.tolist()))


def filtered_events(events: Sequence[ResolvedEvent], v: ViewState) -> list[ResolvedEvent]:
    """Events in the view's date window matching its filters (empty filter = all).

    Vectorised over an index kept per event list (events.query.event_index), so a slider
    move over 10^5 events costs milliseconds; the result equals events.query.filter_events.
    """
    ix = event_index(events)
    return _pick(ix, _selection(ix, v))


def actor_choices(events: Sequence[ResolvedEvent]) -> list[str]:
    """events.query.actor_names of the list, computed once per event list."""
    ix = event_index(events)
    if "actors" not in ix.cache:
        ix.cache["actors"] = actor_names(ix.events)
    return list(ix.cache["actors"])


def published_order(events: Sequence[ResolvedEvent]) -> list[ResolvedEvent]:
    """The events in the order the map's dataset holds them and its masks index: by date
    (stable), so a date window is one run of the mask whatever the number of events."""
    ix = event_index(events)
    return _pick(ix, ix.order)


def events_collection(events: Sequence[ResolvedEvent], toponyms: str = "both") -> dict:
    """All events as GeoJSON, in published_order (the order the masks index)."""
    with gc_paused():
        return feature_collection([event_feature(ev, toponyms) for ev in published_order(events)])


def _situation_days() -> list[dt.date]:
    """Every day on which control or a zone changes (plus the start of the model)."""
    return sorted({dt.date(1991, 1, 1), *control.change_dates(), *zones.zone_change_dates()})


def _collect(day_collection) -> dict:  # noqa: ANN001 - callable date -> FeatureCollection
    seen: dict[str, dict] = {}
    for day in _situation_days():
        for f in day_collection(day)["features"]:
            seen.setdefault(f["properties"]["id"], f)
    return feature_collection(list(seen.values()))


def _collection_key(name: str) -> str:
    """geo.cache key of a collection: the model, the zones and the code that collects them."""
    import sys

    from geo import cache

    code = cache.source_digest(sys.modules[__name__], sys.modules[feature_collection.__module__])
    return cache.make_key(name, control.model_key(), zones.zones_key(), code)


@lru_cache(maxsize=1)
def control_collection() -> dict:
    """Every control period ever (fetched once by the browser; masks pick the day's).

    Kept on disk (geo.cache) while the model and this code are unchanged: a new server
    process reads it in milliseconds instead of deriving it for every day (~1 s)."""
    from geo import cache

    return cache.cached(
        "control-collection",
        _collection_key("control-collection"),
        lambda: _collect(control.control_geojson),
        fmt="json",
    )


@lru_cache(maxsize=1)
def zones_collection() -> dict:
    """Every zone ever (peacekeeping zone, corridor, monitoring centre, EU mission); kept on
    disk like control_collection."""
    from geo import cache

    return cache.cached(
        "zones-collection",
        _collection_key("zones-collection"),
        lambda: _collect(zones.zones_geojson),
        fmt="json",
    )


def _ids_mask(collection: dict, ids: set[str]) -> str:
    return mask_b64(f["properties"]["id"] in ids for f in collection["features"])


#: Before the control model starts (1991) there were no front lines: Soviet administration.
SOVIET_NOTE = (
    "Before 1991: Soviet administration. The NKAO was an autonomous oblast of the Azerbaijan "
    "SSR; no front lines or held areas are drawn"
)
SOVIET_LEGEND = {
    "label": "Soviet period: NKAO (autonomous oblast of the Azerbaijan SSR), no held areas",
    "kind": "line",
    "color": "#333333",
    "fill": None,
    "dash": True,
}


def control_periods_at(day: dt.date) -> list:
    """Control periods in force on `day`; none before the model starts (Soviet period)."""
    return control.control_at(day) if control.modelled(day) else []


def control_mask(day: dt.date) -> str:
    """Bit mask over control_collection() of the periods in force on `day`."""
    return _ids_mask(control_collection(), {p.id for p in control_periods_at(day)})


def zone_kinds_on(v: ViewState) -> set[str]:
    """Zone kinds whose layer toggle is on (peacekeeping, corridor, missions)."""
    return {kind for kind, toggle in ZONE_TOGGLE.items() if toggle in v.layers}


def datasets_on(v: ViewState) -> set[str]:
    """Time datasets the view needs: control, zones, events."""
    out = {name for name in ("control", "events") if name in v.layers}
    if zone_kinds_on(v):
        out.add("zones")
    return out


def zones_in_force(day: dt.date, kinds: set[str]) -> list:
    """Zones in force on `day` whose kind is shown."""
    return [z for z in zones.zones_at(day) if z.kind in kinds]


def zones_mask(day: dt.date, kinds: set[str] | None = None) -> str:
    """Bit mask over zones_collection() of the zones in force on `day` (of the given kinds)."""
    kinds = set(ZONE_TOGGLE) if kinds is None else kinds
    return _ids_mask(zones_collection(), {z.id for z in zones_in_force(day, kinds)})


@dataclass(frozen=True)
class Situation:
    """Everything the map and panels show for one view."""

    shown: list[ResolvedEvent]
    masks: dict[str, str]
    banner: list[str]
    legend: list[dict]
    #: Positions of `shown` in the event list given to situation() (numpy ints), or None.
    index: Any = field(default=None, compare=False, repr=False)
    #: Events matching the filters that have no place on the map (table and exports only).
    unmapped: list[ResolvedEvent] = field(default_factory=list)


def situation(
    events: Sequence[ResolvedEvent], v: ViewState, placeless: Sequence[ResolvedEvent] = ()
) -> Situation:
    """Filtered events, the masks for every time layer and the as-of banner for a view.

    `placeless` events (no place on the map) are filtered the same way into `unmapped`."""
    shown: list[ResolvedEvent] = []
    masks: dict[str, str] = {}
    controllers: set[str] = set()
    kinds: set[str] = set()
    idx = None
    present: set[str] = set()
    approx = False
    if "events" in v.layers:
        ix = event_index(events)
        idx = _selection(ix, v)
        shown = _pick(ix, idx)
        flags = np.zeros(len(ix), dtype=bool)
        flags[idx] = True
        masks["events"] = mask_b64(flags[ix.order])  # over events_collection's order
        present, approx = ix.present_types(idx), ix.any_approximate(idx)
    if "control" in v.layers:
        masks["control"] = control_mask(v.as_of)
        controllers = {p.controller for p in control_periods_at(v.as_of)}
    if zone_kinds_on(v):
        masks["zones"] = zones_mask(v.as_of, zone_kinds_on(v))
        kinds = {z.kind for z in zones_in_force(v.as_of, zone_kinds_on(v))}
    banner = [
        f"Situation as of {date_in_words(v.as_of)}",
        f"Events {date_range_in_words(v.start, v.end)}: {len(shown)} shown",
    ]
    legend = _legend_rows(v, present, approx, controllers, kinds)
    if not control.modelled(v.as_of):
        banner.insert(1, SOVIET_NOTE)
        legend.insert(0, SOVIET_LEGEND)
    unmapped = (
        filter_events(
            placeless,
            v.start,
            v.end,
            v.types or None,
            v.actors or None,
            v.text or None,
            v.precisions or None,
            v.exact_only,
        )
        if placeless and "events" in v.layers
        else []
    )
    if unmapped:
        banner[-1] += f" (and {len(unmapped)} with no place on the map: see the table)"
    return Situation(shown, masks, banner, legend, idx, unmapped)


def _shift(day: dt.date, unit: str, n: int) -> dt.date:
    """`day` moved by n days/weeks/months; a month end stays a month end (31 Jan -> 28 Feb ->
    31 Mar), so stepping forward then back returns to the same window."""
    from dateutil.relativedelta import relativedelta

    if unit == "day":
        return day + dt.timedelta(days=n)
    if unit == "week":
        return day + dt.timedelta(weeks=n)
    if unit != "month":
        raise ValueError(f"unknown step {unit!r}: day, week or month")
    moved = day + relativedelta(months=n)
    if (day + dt.timedelta(days=1)).day == 1:  # a month end
        moved += relativedelta(day=31)  # relativedelta clamps to that month's last day
    return moved


def step_window(
    start: dt.date, end: dt.date, unit: str, direction: int, last: dt.date | None = None
) -> tuple[dt.date, dt.date]:
    """Slide the date window by one day/week/month (playback), clamped to [EARLIEST, today]."""
    last = last or dt.date.today()
    new_start, new_end = _shift(start, unit, direction), _shift(end, unit, direction)
    if new_end > last:
        new_start, new_end = new_start - (new_end - last), last
    if new_start < EARLIEST:
        new_end, new_start = new_end + (EARLIEST - new_start), EARLIEST
    return new_start, min(new_end, last)


def preset_of(start: dt.date, end: dt.date) -> str:
    """The preset whose dates are exactly (start, end), else "(custom)"."""
    return next((name for name, dates in PRESETS.items() if dates == (start, end)), CUSTOM)


def legend_entries(
    v: ViewState,
    shown: Sequence[ResolvedEvent] = (),
    controllers: Iterable[str] = (),
    zone_kinds: Iterable[str] = (),
) -> list[dict]:
    """Legend rows for exactly what the time layers draw: controllers and zone kinds in force
    on the as-of day, and the event types and precisions among the shown events."""
    present = {ev.event.type.value for ev in shown}
    approx = any(ev.geo_precision.value != "exact" for ev in shown)
    return _legend_rows(v, present, approx, controllers, zone_kinds)


def _legend_rows(
    v: ViewState,
    present: set[str],
    approx: bool,
    controllers: Iterable[str] = (),
    zone_kinds: Iterable[str] = (),
) -> list[dict]:
    rows: list[dict] = []
    if "control" in v.layers:
        rows += [s.legend() for k, s in CONTROL_STYLES.items() if k in set(controllers)]
    if zone_kinds_on(v):
        rows += [s.legend() for k, s in ZONE_STYLES.items() if k in set(zone_kinds)]
    if "events" in v.layers and present:
        rows += [s.legend() for k, s in EVENT_STYLES.items() if k in present]
        if approx:
            rows.append(
                {
                    "label": "Hollow/dashed: approximate location",
                    "kind": "ring",
                    "color": "#555",
                    "fill": None,
                    "dash": True,
                }
            )
    return rows


def events_table(events: Sequence[ResolvedEvent], sit: Situation) -> Any:
    """charts.events_frame of sit.shown, cut from a frame built once per event list.

    `sit` must come from situation(events, ...) with the same list.
    """
    if sit.index is None:
        return charts.events_frame(sit.shown)
    return _table_frame(event_index(events)).iloc[sit.index].reset_index(drop=True)


def _table_frame(ix: EventIndex) -> Any:
    """charts.events_frame of every event of the index, built once per event list."""
    if "frame" not in ix.cache:
        ix.cache["frame"] = charts.events_frame(ix.events)
    return ix.cache["frame"]


#: Rows per page of the events table. A page, not the whole set, travels on each rerun: a
#: slider move over 10^5 events sends ~10 kB of table, not megabytes.
TABLE_PAGE_SIZES = (25, 50, 100, 250)


def events_page(
    events: Sequence[ResolvedEvent],
    sit: Situation,
    page: int = 1,
    size: int = TABLE_PAGE_SIZES[0],
    newest_first: bool = False,
) -> tuple[Any, int]:
    """One page (1-based, clamped) of the shown events by date, and how many pages there are.

    The rows are charts.events_frame rows, cut from a frame built once per event list.
    `sit` must come from situation(events, ...) with the same list.
    """
    if sit.index is None:
        frame = charts.events_frame(sorted(sit.shown, key=lambda ev: ev.event.date))
        positions = np.arange(len(frame))
    else:
        ix = event_index(events)
        frame = _table_frame(ix)
        flags = np.zeros(len(ix), dtype=bool)
        flags[sit.index] = True
        positions = ix.order[flags[ix.order]]  # shown, in date order
    if newest_first:
        positions = positions[::-1]
    pages = max(1, -(-len(positions) // size))
    page = min(max(1, page), pages)
    rows = positions[(page - 1) * size : page * size]
    return frame.iloc[rows].reset_index(drop=True), pages


#: Bins of the timeline; "auto" picks one from the window's length (auto_bin).
TIMELINE_BINS = ("auto", "year", "month", "week")


def auto_bin(start: dt.date, end: dt.date) -> str:
    """Week for a window up to a year, month up to ten years, else year: at most ~120 bars
    per type, so the chart sent on each slider move stays small for any number of events."""
    days = abs((end - start).days)
    return "week" if days <= 366 else "month" if days <= 3653 else "year"


def timeline(events: Sequence[ResolvedEvent], sit: Situation, freq: str = "month") -> Any:
    """charts.timeline_chart of sit.shown, counted from the index's columns (no event loop).

    `sit` must come from situation(events, ...) with the same list.
    """
    if sit.index is None:
        return charts.timeline_chart(sit.shown, freq)
    ix = event_index(events)
    values = np.array(list(ix.type_values), dtype=object)
    idx = sit.index
    return charts.timeline_chart_of(ix.first[idx], values[ix.type_codes[idx]], freq)


def map_key(v: ViewState) -> str:
    """Key of the map component: it changes (re-mounting the map) only with the base view."""
    return f"{v.basemap}-{v.toponyms}-{'-'.join(sorted(v.layers))}"


def view_signature(v: ViewState, bounds: object, *extra: object) -> str:
    """What a made file depends on: the view but the map's position, plus `bounds` and any
    `extra` (a briefing's extent, title, classification, shape): a file made for another
    signature is stale (briefings, table exports)."""
    from dataclasses import replace

    base = replace(v, center=ViewState().center, zoom=ViewState().zoom, present=False)
    return repr((base, bounds, extra))


#: The events table's export formats: label -> (mime type, file extension).
TABLE_EXPORTS: dict[str, tuple[str, str]] = {
    "CSV": ("text/csv", "csv"),
    "GeoJSON": ("application/geo+json", "geojson"),
    "KML": ("application/vnd.google-earth.kml+xml", "kml"),
}


def table_export(shown: Sequence[ResolvedEvent], fmt: str) -> tuple[bytes, str, str]:
    """(file bytes, mime type, extension) of the shown events in one of TABLE_EXPORTS."""
    from events.exporters import to_csv, to_geojson, to_kml

    mime, ext = TABLE_EXPORTS[fmt]
    if fmt == "CSV":
        text = to_csv(shown)
    elif fmt == "GeoJSON":
        text = json_text(to_geojson(shown))
    else:
        text = to_kml(shown)
    return text.encode("utf-8"), mime, ext


def outside_map_note(events: Sequence[ResolvedEvent]) -> str | None:
    """Why some uploaded events are not on the map: the map covers the South Caucasus only
    (kmap.builder.MAP_BOUNDS). None when every event with a place lies inside."""
    from kmap.builder import MAP_BOUNDS

    x0, y0, x1, y1 = MAP_BOUNDS
    n = sum(
        1 for ev in events if not ev.placeless and not (x0 <= ev.lon <= x1 and y0 <= ev.lat <= y1)
    )
    if not n:
        return None
    return (
        f"{n:,} event(s) of this file lie outside the map's area ({x0:g}-{x1:g}°E, "
        f"{y0:g}-{y1:g}°N), which covers the South Caucasus only: they are not drawn, but "
        "they are in the events table and its exports."
    )


def json_text(obj: object) -> str:
    """Compact UTF-8 JSON for downloads."""
    import json

    return json.dumps(obj, ensure_ascii=False, indent=1)


def area_series(today: dt.date | None = None) -> list[tuple[dt.date, str, float]]:
    """(date, controller, km²) at every change date and today: the area chart's data.

    Kept per day, so a server running past midnight gets the new day's point; a few ms to
    compute once the control model is loaded (geo.cache), so it is not kept on disk."""
    return list(_area_series_until(today or dt.date.today()))


@lru_cache(maxsize=2)
def _area_series_until(today: dt.date) -> tuple[tuple[dt.date, str, float], ...]:
    days = sorted({*control.change_dates(), dt.date(1991, 1, 1), today})
    out = []
    for d in days:
        for who, km2 in control.areas_km2(d).items():
            out.append((d, who, round(km2, 1)))
    return tuple(out)


def areas_caption(day: dt.date) -> str:
    """One line: km² held by each side on a day, in the modelled area."""
    if not control.modelled(day):
        return f"As of {date_in_words(day)}: {SOVIET_NOTE}; control is modelled from 1991."
    parts = [
        f"{CONTROL_STYLES[k].label if k in CONTROL_STYLES else k}: {v:,.0f} km²"
        for k, v in sorted(control.areas_km2(day).items())
    ]
    return f"As of {date_in_words(day)} (modelled area, equal-area projection): " + "; ".join(parts)


@lru_cache(maxsize=32)
def _changes_between(a: dt.date, b: dt.date) -> tuple[dict, ...]:
    """control.changes_between, kept per pair of dates (the panel asks on every rerun). Dates
    before the model are taken as its first day (nothing was held by either side's forces)."""
    start = control.MODEL_START
    return tuple(control.changes_between(max(a, start), max(b, start)))


def changes_frame(a: dt.date, b: dt.date):  # noqa: ANN201 - pandas DataFrame
    """Table of the areas that changed hands between two dates, with km²."""
    import pandas as pd

    rows = [
        {
            "from": CONTROL_STYLES[c["from"]].label if c["from"] in CONTROL_STYLES else c["from"],
            "to": CONTROL_STYLES[c["to"]].label if c["to"] in CONTROL_STYLES else c["to"],
            "km²": round(c["km2"], 1),
        }
        for c in _changes_between(a, b)
    ]
    return pd.DataFrame(rows, columns=["from", "to", "km²"])


def changes_geojson(a: dt.date, b: dt.date) -> dict:
    """The changed areas as a small GeoJSON (drawn hatched on the map)."""
    from shapely.geometry import mapping

    feats = []
    for c in _changes_between(a, b):
        feats.append(
            {
                "type": "Feature",
                "geometry": mapping(c["geometry"].simplify(0.002)),
                "properties": {
                    "label": f"{date_in_words(a)} \u2192 {date_in_words(b)}: "
                    f"{c['from']} \u2192 {c['to']}, {c['km2']:,.0f} km²",
                    "to": c["to"],
                },
            }
        )
    return feature_collection(feats)


def rejections_frame(rejected: Sequence) -> object:
    """Rejected import rows as a table: file, row, field, reason."""
    import pandas as pd

    return pd.DataFrame(
        [{"file": r.file, "row": r.row, "field": r.field, "reason": r.reason} for r in rejected],
        columns=["file", "row", "field", "reason"],
    )


def bounds_bbox(bounds: dict | None) -> tuple[float, float, float, float] | None:
    """Leaflet bounds from st_folium -> (lon_min, lat_min, lon_max, lat_max), or None."""
    try:
        sw, ne = bounds["_southWest"], bounds["_northEast"]
        bbox = (float(sw["lng"]), float(sw["lat"]), float(ne["lng"]), float(ne["lat"]))
    except (TypeError, KeyError, ValueError):
        return None
    return bbox if bbox[0] < bbox[2] and bbox[1] < bbox[3] else None


#: Extent exported when the map has not reported its bounds yet (the default view).
DEFAULT_EXPORT_BBOX = (44.6, 38.8, 47.8, 40.8)


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


def briefing_spec(
    v: ViewState,
    sit: Situation,
    bbox: tuple[float, float, float, float] | None,
    title: str,
    classification: str | None,
):  # noqa: ANN201 - kmap.briefing.BriefingSpec
    """The briefing export of exactly what the map shows: view, date, layers, data in force."""
    from kmap.briefing import BriefingSpec

    with gc_paused():
        features = tuple(map(_briefing_feature, sit.shown))
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
        zones=_only_kinds(zones.zones_geojson(v.as_of), zone_kinds_on(v))
        if zone_kinds_on(v)
        else None,
    )


def _only_kinds(fc: dict, kinds: set[str]) -> dict:
    return feature_collection([f for f in fc["features"] if f["properties"].get("kind") in kinds])
