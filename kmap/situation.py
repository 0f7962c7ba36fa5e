"""What the map shows for a view: the filtered events, the masks of every time layer, the
as-of banner and the legend of exactly what is drawn.

Pure functions over the event list and geo.control/geo.zones, so the app stays thin and
everything here is unit-tested. The same filtered set feeds the map masks, the table, the
charts and the exports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from events.query import EventIndex, actor_names, event_index, filter_events
from events.schema import ResolvedEvent
from geo import control, zones
from kmap import legend
from kmap.datasets import control_collection, events_at, zones_collection
from kmap.legend import APPROXIMATE_ROW, SOVIET_ROW, LegendRow, entries, legend_rows
from kmap.map.masks import mask_b64
from kmap.viewstate import ZONE_TOGGLE, ViewState
from kmap.words import date_in_words, date_range_in_words

#: Before the control model starts (1991) there were no front lines: Soviet administration.
SOVIET_NOTE = (
    "Before 1991: Soviet administration. The NKAO was an autonomous oblast of the Azerbaijan "
    "SSR; no front lines or held areas are drawn"
)


def _filtered(ix: EventIndex, v: ViewState) -> np.ndarray:
    """Positions in ix of the events the view's filters keep, whatever their dates."""
    return ix.select(
        types=v.types or None,
        actors=v.actors or None,
        text=v.text or None,
        precisions=v.precisions or None,
        exact_only=v.exact_only,
    )


def _in_window(ix: EventIndex, idx: np.ndarray, v: ViewState) -> np.ndarray:
    """The positions of idx whose interval overlaps the view's window (filter_events
    semantics: [date, last day] meets [start, end]); the browser draws other windows the same
    way (KMap.time.bits, kmap/js/kmap-time.js)."""
    start, end = sorted((v.start, v.end))
    keep = (ix.last[idx] >= start.toordinal()) & (ix.first[idx] <= end.toordinal())
    return idx[keep]


def actor_choices(events: Sequence[ResolvedEvent]) -> list[str]:
    """events.query.actor_names of the list, computed once per event list."""
    ix = event_index(events)
    if "actors" not in ix.cache:
        ix.cache["actors"] = actor_names(ix.events)
    return list(ix.cache["actors"])


def _ids_mask(collection: dict, ids: set[str]) -> str:
    return mask_b64(f["properties"]["id"] in ids for f in collection["features"])


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


def zones_kind_mask(kinds: set[str]) -> str:
    """Bit mask over zones_collection() of the zones of the given kinds, at any date."""
    return mask_b64(f["properties"]["kind"] in kinds for f in zones_collection()["features"])


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
    index: np.ndarray | None = field(default=None, compare=False, repr=False)
    #: Events matching the filters that have no place on the map (table and exports only).
    unmapped: list[ResolvedEvent] = field(default_factory=list)
    #: What the browser needs to draw other dates itself (kmap/js/kmap-time.js): the start of
    #: the control model, per dataset what is kept whatever the date, the legend's rows.
    time: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass
class _Drawn:
    """What the time layers draw for a view, collected for the masks and the legend."""

    shown: list[ResolvedEvent] = field(default_factory=list)
    masks: dict[str, str] = field(default_factory=dict)
    index: np.ndarray | None = None
    types: set[str] = field(default_factory=set)
    precisions: set[str] = field(default_factory=set)
    controllers: set[str] = field(default_factory=set)
    zone_kinds: set[str] = field(default_factory=set)
    #: Per dataset, the mask of what the filters and layers keep whatever the date.
    base: dict[str, str] = field(default_factory=dict)
    #: The types of the events the filters keep at any date (the legend's possible rows).
    all_types: set[str] = field(default_factory=set)


def _events_drawn(drawn: _Drawn, events: Sequence[ResolvedEvent], v: ViewState) -> None:
    ix = event_index(events)
    filtered = _filtered(ix, v)
    drawn.index = _in_window(ix, filtered, v)
    drawn.shown = events_at(ix, drawn.index)
    drawn.masks["events"] = _positions_mask(ix, drawn.index)
    drawn.base["events"] = _positions_mask(ix, filtered)
    drawn.all_types = ix.present_types(filtered)
    drawn.types = ix.present_types(drawn.index)
    # precisions among the shown: a count per code (no sort), cheap at 10^5 events
    counts = np.bincount(ix.prec_codes[drawn.index], minlength=len(ix.prec_values))
    names = list(ix.prec_values)
    drawn.precisions = {names[c] for c in np.flatnonzero(counts)}


def _positions_mask(ix: EventIndex, idx: np.ndarray) -> str:
    """Mask over events_collection's order (date order) of the events at positions idx."""
    flags = np.zeros(len(ix), dtype=bool)
    flags[idx] = True
    return mask_b64(flags[ix.order])


def _unmapped(placeless: Sequence[ResolvedEvent], v: ViewState) -> list[ResolvedEvent]:
    """The placeless events the view's filters keep (table and exports only)."""
    if not placeless or "events" not in v.layers:
        return []
    return filter_events(
        placeless,
        v.start,
        v.end,
        v.types or None,
        v.actors or None,
        v.text or None,
        v.precisions or None,
        v.exact_only,
    )


def _tag(row: LegendRow) -> str:
    return f"{row.section}:{row.key}"


@lru_cache(maxsize=1)
def _all_controllers() -> frozenset[str]:
    """Every controller of any control period (the legend's possible control rows)."""
    return frozenset(f["properties"]["controller"] for f in control_collection()["features"])


def legend_catalogue(v: ViewState, event_types: set[str]) -> dict:
    """Every legend row the time layers of this view could need on any date, tagged
    "<section>:<key>", in the legend's order; the browser keeps those of what it draws while
    time moves (KMap.time.legend) and so shows what legend_rows gives for that date."""
    rows = legend_rows(
        controllers=_all_controllers() if "control" in v.layers else (),
        zone_kinds=zone_kinds_on(v),
        event_types=event_types,
        precisions={"exact", "near"} if event_types else (),
        soviet=True,
    )
    return {
        "rows": [[_tag(r), r.entry()] for r in rows],
        "soviet": _tag(SOVIET_ROW),
        "approx": _tag(APPROXIMATE_ROW),
        "sections": {"control": legend.CONTROL, "zones": legend.ZONES, "events": legend.EVENTS},
    }


def situation(
    events: Sequence[ResolvedEvent], v: ViewState, placeless: Sequence[ResolvedEvent] = ()
) -> Situation:
    """Filtered events, the masks for every time layer and the as-of banner for a view.

    `placeless` events (no place on the map) are filtered the same way into `unmapped`."""
    drawn = _Drawn()
    if "events" in v.layers:
        _events_drawn(drawn, events, v)
    if "control" in v.layers:
        drawn.masks["control"] = control_mask(v.as_of)
        drawn.controllers = {p.controller for p in control_periods_at(v.as_of)}
    if zone_kinds_on(v):
        drawn.masks["zones"] = zones_mask(v.as_of, zone_kinds_on(v))
        drawn.base["zones"] = zones_kind_mask(zone_kinds_on(v))
        drawn.zone_kinds = {z.kind for z in zones_in_force(v.as_of, zone_kinds_on(v))}
    banner = [
        f"Situation as of {date_in_words(v.as_of)}",
        f"Events {date_range_in_words(v.start, v.end)}: {len(drawn.shown)} shown",
    ]
    soviet = not control.modelled(v.as_of)
    if soviet:
        banner.insert(1, SOVIET_NOTE)
    legend = entries(
        legend_rows(  # exactly what the time layers draw (kmap.legend: map and briefing too)
            controllers=drawn.controllers,
            zone_kinds=drawn.zone_kinds,
            event_types=drawn.types,
            precisions=drawn.precisions,
            soviet=soviet,
        )
    )
    unmapped = _unmapped(placeless, v)
    if unmapped:
        banner[-1] += f" (and {len(unmapped)} with no place on the map: see the table)"
    time = {
        "modelStart": control.MODEL_START.isoformat(),
        "sovietNote": SOVIET_NOTE,
        "base": drawn.base,
        "legend": legend_catalogue(v, drawn.all_types),
    }
    return Situation(drawn.shown, drawn.masks, banner, legend, drawn.index, unmapped, time)


def outside_map_note(events: Sequence[ResolvedEvent]) -> str | None:
    """Why some uploaded events are not on the map: the map covers the South Caucasus only
    (kmap.config.MAP_BOUNDS). None when every event with a place lies inside."""
    from kmap.config import MAP_BOUNDS

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
