"""What the dashboard shows for a view: filtered events, the situation as of a day, the banner.

Pure functions over the catalogue and geo.control, so the app stays thin and everything here
is unit-tested. The same filtered set feeds the map masks, the table, the charts and exports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from events.query import filter_events
from events.schema import ResolvedEvent
from geo import control
from kmap.dynamic import event_feature, feature_collection, mask_b64
from kmap.viewstate import ViewState


def date_in_words(d: dt.date) -> str:
    """10 November 2020 (no leading zero, English month)."""
    return f"{d.day} {d.strftime('%B')} {d.year}"


def filtered_events(events: Sequence[ResolvedEvent], v: ViewState) -> list[ResolvedEvent]:
    """Events in the view's date window matching its filters (empty filter = all)."""
    return filter_events(
        events,
        start=v.start,
        end=v.end,
        types=v.types or None,
        actors=v.actors or None,
        text=v.text or None,
        precisions=v.precisions or None,
        exact_only=v.exact_only,
    )


def events_collection(events: Sequence[ResolvedEvent], toponyms: str = "both") -> dict:
    """All events as GeoJSON, in catalogue order (the order the masks index)."""
    return feature_collection([event_feature(ev, toponyms) for ev in events])


def events_mask(events: Sequence[ResolvedEvent], shown: Sequence[ResolvedEvent]) -> str:
    """Bit mask over `events` of those in `shown`."""
    ids = {id(ev) for ev in shown}
    return mask_b64(id(ev) in ids for ev in events)


@lru_cache(maxsize=1)
def _all_periods() -> tuple:
    return tuple(control.all_periods())


@lru_cache(maxsize=1)
def _all_zones() -> tuple:
    return tuple(control.all_zones())


def control_collection() -> dict:
    """Every control period ever (fetched once by the browser; masks pick the day's)."""
    return feature_collection([control.period_feature(p) for p in _all_periods()])


def zones_collection() -> dict:
    """Every zone ever (peacekeeping zone, corridor, monitoring centre, EU mission)."""
    return feature_collection([control.zone_feature(z) for z in _all_zones()])


def control_mask(day: dt.date) -> str:
    """Bit mask over control_collection() of the periods in force on `day`."""
    ids = {p.id for p in control.control_at(day)}
    return mask_b64(p.id in ids for p in _all_periods())


def zones_mask(day: dt.date) -> str:
    """Bit mask over zones_collection() of the zones in force on `day`."""
    ids = {z.id for z in control.zones_at(day)}
    return mask_b64(z.id in ids for z in _all_zones())


@dataclass(frozen=True)
class Situation:
    """Everything the map and panels show for one view."""

    shown: list[ResolvedEvent]
    masks: dict[str, str]
    banner: list[str]


def situation(events: Sequence[ResolvedEvent], v: ViewState) -> Situation:
    """Filtered events, the masks for every time layer and the as-of banner for a view."""
    shown = filtered_events(events, v) if "events" in v.layers else []
    masks: dict[str, str] = {}
    if "events" in v.layers:
        masks["events"] = events_mask(events, shown)
    if "control" in v.layers:
        masks["control"] = control_mask(v.as_of)
    if "zones" in v.layers:
        masks["zones"] = zones_mask(v.as_of)
    banner = [
        f"Situation as of {date_in_words(v.as_of)}",
        f"Events {date_in_words(v.start)} \u2013 {date_in_words(v.end)}: {len(shown)} shown",
    ]
    return Situation(shown, masks, banner)
