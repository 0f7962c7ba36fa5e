"""Per-day questions to the control model: what was in force, who held a point, km2 per side,
what changed hands, and the day's GeoJSON for the map.

The app asks these on every slider move, so each answer is memoised per *state* (the index of
the last change on or before the day: every day between two changes has the same answer) and
the model itself is read from the on-disk cache (geo.cache) by a new process.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import shapely
from shapely.geometry import Point, mapping
from shapely.geometry.base import BaseGeometry

from geo import cache
from geo.control import geometry as _geometry
from geo.control import model as _model
from geo.control.geometry import MIN_CELL_KM2, ROUND_DEG, minus, union
from geo.control.model import (
    CONTROL_DIR,
    CONTROLLERS,
    DATA,
    MODEL_START,
    ControlModel,
    ControlPeriod,
    _Cell,
    model_inputs,
)

__all__ = [
    "areas_km2",
    "as_day",
    "change_dates",
    "changes_between",
    "control_at",
    "control_geojson",
    "controller_at",
    "day_geojson",
    "held_area",
    "model",
    "model_key",
    "modelled",
    "period_at",
]


def model_key(directory: Path = CONTROL_DIR, data_dir: Path = DATA) -> str:
    """Hash of the model's input files and of the code that builds it (geo.cache key)."""
    return cache.make_key(
        "control-model",
        cache.file_digest(model_inputs(directory, data_dir)),
        cache.source_digest(_model, _geometry),
    )


@lru_cache(maxsize=1)
def model() -> ControlModel:
    """The loaded model: built once per change of its inputs (~1-2 s), then read from the
    on-disk cache (geo.cache, a few ms) by every new process."""
    return cache.cached("control-model", model_key(), ControlModel)


def as_day(day: dt.date | str) -> dt.date:
    """A date from a date, a datetime or ISO text."""
    if isinstance(day, dt.datetime):
        return day.date()
    if isinstance(day, dt.date):
        return day
    return dt.date.fromisoformat(str(day))


def _state_day(index: int) -> dt.date:
    m = model()
    return m.change_dates[index - 1] if index > 0 else MODEL_START


@lru_cache(maxsize=256)
def _state(index: int) -> tuple[ControlPeriod, ...]:
    day = _state_day(index)
    return tuple(p for p in model().periods if p.in_force(day))


def modelled(day: dt.date) -> bool:
    """True from MODEL_START on; before it (1988-1990) the NKAO was under Soviet
    administration and no side's forces held areas: callers draw no control then."""
    return day >= MODEL_START


def control_at(day: dt.date) -> list[ControlPeriod]:
    """Control periods in force on ``day``; their polygons tile the area of interest."""
    return list(_state(model().state_index(as_day(day))))


def _cell_at(lon: float, lat: float, day: dt.date) -> _Cell | None:
    m = model()
    m.state_index(day)  # range check
    pt = Point(lon, lat)
    for i in m._tree.query(pt, predicate="intersects"):
        cell = m.cells[int(i)]
        if cell.geometry.covers(pt):
            return cell
    return None


def period_at(lon: float, lat: float, day: dt.date) -> ControlPeriod | None:
    """The period in force at a point on ``day`` (None outside the modelled area)."""
    d = as_day(day)
    if _cell_at(lon, lat, d) is None:
        return None
    pt = Point(lon, lat)
    return next((p for p in control_at(d) if p.geometry.covers(pt)), None)


def controller_at(lon: float, lat: float, day: dt.date) -> str:
    """``"armenian"``, ``"azerbaijani"`` or ``"none"`` (outside the modelled area)."""
    d = as_day(day)
    cell = _cell_at(lon, lat, d)
    if cell is None:
        return "none"
    return cell.entries[model().cell_entry(cell, d)].controller


def areas_km2(day: dt.date) -> dict[str, float]:
    """km2 held by each side on ``day`` within the modelled area (equal-area projection,
    computed once for every period when the model is built)."""
    km2 = model().period_km2
    out = dict.fromkeys(CONTROLLERS, 0.0)
    for p in control_at(day):
        out[p.controller] += km2[p.id]
    return {k: round(v, 1) for k, v in out.items()}


def held_area(day: dt.date, controller: str) -> BaseGeometry:
    """Union of the polygons held by ``controller`` on ``day`` (lon/lat)."""
    return union(p.geometry for p in control_at(day) if p.controller == controller)


def changes_between(d1: dt.date, d2: dt.date) -> list[dict]:
    """Areas that changed hands between ``d1`` and ``d2``: dicts with geometry, from, to, km2
    (km2: the sum of the model's cells that changed, sized once when the model is built)."""
    m = model()
    d1, d2 = as_day(d1), as_day(d2)
    a1, a2 = held_area(d1, "armenian"), held_area(d2, "armenian")
    moved = {"armenian": 0.0, "azerbaijani": 0.0}  # km2 by the side that lost it
    for cell, km2 in zip(m.cells, m.cell_km2, strict=True):
        before = cell.entries[m.cell_entry(cell, d1)].controller
        if before != cell.entries[m.cell_entry(cell, d2)].controller:
            moved[before] += km2
    out = []
    for geom, frm, to in (
        (minus(a1, a2), "armenian", "azerbaijani"),
        (minus(a2, a1), "azerbaijani", "armenian"),
    ):
        if moved[frm] >= MIN_CELL_KM2:
            out.append({"geometry": geom, "from": frm, "to": to, "km2": round(moved[frm], 1)})
    return out


def change_dates() -> list[dt.date]:
    """Every date on which control changes somewhere in the model (for the UI slider)."""
    return list(model().change_dates)


@lru_cache(maxsize=256)
def _geojson_state(index: int) -> str:
    m = model()
    day = _state_day(index)
    by_period: dict[str, list[BaseGeometry]] = defaultdict(list)
    periods = {p.id: p for p in _state(index)}
    for cell, disp in zip(m.cells, m._display, strict=True):
        e = cell.entries[m.cell_entry(cell, day)]
        for p in periods.values():
            if (
                p.controller == e.controller
                and p.valid_from == e.start
                and p.geometry.covers(cell.geometry.representative_point())
            ):
                by_period[p.id].append(disp)
                break
    features = [
        {
            "type": "Feature",
            "geometry": mapping(shapely.union_all(geoms)),
            "properties": periods[pid].properties(),
        }
        for pid, geoms in by_period.items()
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))


def control_geojson(day: dt.date) -> dict:
    """FeatureCollection of the periods in force on ``day`` (simplified ~200 m, coords ~10 m)."""
    return json.loads(_geojson_state(model().state_index(as_day(day))))


def day_geojson(day: dt.date) -> dict:
    """That day's control periods and zones as one FeatureCollection (full-precision geometry,
    coordinates rounded to ~10 m). Every feature has ``kind`` (``control`` or the zone kind),
    ``controller`` (``armenian``/``azerbaijani`` for control, else null), ``valid_from``,
    ``valid_to``, ``sources`` and ``precision``; for checks outside the app."""
    from geo import zones  # geo.zones imports this package: import on use

    d = as_day(day)
    feats = []
    for p in control_at(d):
        props = p.properties() | {"kind": "control"}
        geom = shapely.set_precision(p.geometry, ROUND_DEG)
        feats.append({"type": "Feature", "geometry": mapping(geom), "properties": props})
    for z in zones.zones_at(d):
        props = z.properties() | {"controller": None}
        geom = shapely.set_precision(z.geometry, ROUND_DEG)
        feats.append({"type": "Feature", "geometry": mapping(geom), "properties": props})
    return {"type": "FeatureCollection", "date": d.isoformat(), "features": feats}
