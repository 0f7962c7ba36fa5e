"""Peacekeeping zone, Lachin corridor, monitoring centre and EU missions over time.

Zones are read from the ``zones`` section of ``geo/data/control/periods.yaml`` and built on the
control model (:mod:`geo.control`):

* the Russian peacekeeping zone of responsibility is, on each day from 10 Nov 2020, the
  Armenian-held part of the former NKAO plus the Lachin corridor in force that day; after the
  Azerbaijani takeover of 20 Sept 2023 it is kept at its last extent until the withdrawal was
  completed (12 June 2024), because the contingent stayed (nominally) until then;
* the Lachin corridor is a 5 km band (2.5 km each side) of an authored route (plus places handed
  over with it), minus Shusha, clipped to Azerbaijan's territory;
* the monitoring centre is a small circle; EU missions are the Armenian border marzes.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geo import cache, control

__all__ = [
    "ZONE_KINDS",
    "Zone",
    "build_zones",
    "zone_change_dates",
    "zones",
    "zones_at",
    "zones_geojson",
    "zones_key",
]

ZONE_KINDS = ("peacekeeping_zone", "corridor", "monitoring_centre", "eu_mission")


@dataclass(frozen=True)
class Zone:
    """A zone in force over a date range (valid_to inclusive; None = still in force)."""

    id: str
    kind: str
    name: str
    valid_from: dt.date
    valid_to: dt.date | None
    geometry: BaseGeometry
    sources: tuple[dict, ...]
    precision: str

    def in_force(self, day: dt.date) -> bool:
        """True if the zone applies on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def properties(self) -> dict[str, Any]:
        """JSON-ready properties."""
        return {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "precision": self.precision,
            "sources": [dict(s) for s in self.sources],
        }


def _d(value: Any) -> dt.date | None:
    if value is None:
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _sources(m: control.ControlModel, keys: list[str], where: str) -> tuple[dict, ...]:
    if not keys:
        raise control.ModelError(f"zone {where}: needs at least one source")
    try:
        return tuple(m.sources[k] for k in keys)
    except KeyError as exc:
        raise control.ModelError(f"zone {where}: unknown source {exc}") from exc


def _corridors(m: control.ControlModel, spec: dict, shusha: BaseGeometry) -> list[Zone]:
    out = []
    for c in spec["corridors"]:
        band = control.buffer_line(
            m.geom(f"authored:{c['route']}", c["id"]), float(c["half_width_km"])
        )
        extra = [m.geom(e, c["id"]) for e in c.get("extra", [])]
        # the corridor runs through Azerbaijan: Armenia's territory is never part of it
        band = control.inter(control.union([band, *extra]), m.territory)
        out.append(
            Zone(
                id=c["id"],
                kind="corridor",
                name=c["name"],
                valid_from=_d(c["valid_from"]),
                valid_to=_d(c["valid_to"]),
                geometry=control.minus(band, shusha),
                sources=_sources(m, c["sources"], c["id"]),
                precision=c["precision"],
            )
        )
    return out


def _peacekeeping(m: control.ControlModel, spec: dict, corridors: list[Zone]) -> list[Zone]:
    pk = spec["peacekeeping"]
    start, frozen, end = _d(pk["valid_from"]), _d(pk["frozen_from"]), _d(pk["valid_to"])
    exclaves = control.union(
        m.geom(e, pk["id"])
        for e in (
            "enclave:enclave-yukhari-askipara",
            "enclave:enclave-barkhudarly",
            "circle:sofulu:1.5",
            "circle:karki:1.5",
            "authored:gazakh-four-villages",
        )
    )
    # what Armenian forces still held once the 2020 handovers were done = the area of responsibility
    mask = control.minus(control.held_area(_d(pk["handovers_done"]), "armenian"), exclaves)
    cuts = sorted(
        {
            start,
            *(d for d in m.change_dates if start < d < frozen),
            *(c.valid_from for c in corridors if start < c.valid_from < frozen),
        }
    )
    sources = _sources(m, pk["sources"], pk["id"])
    out = []
    for i, day in enumerate(cuts):
        last = cuts[i + 1] - dt.timedelta(days=1) if i + 1 < len(cuts) else end
        held = control.inter(control.held_area(day, "armenian"), mask)
        corridor = [c.geometry for c in corridors if c.in_force(day)]
        geom = control.union([held, *corridor])
        if (
            out
            and control.area_km2(shapely.symmetric_difference(out[-1].geometry, geom))
            < control.MIN_CELL_KM2
        ):
            prev = out.pop()  # nothing changed inside the zone: extend the previous segment
            day = prev.valid_from
        out.append(
            Zone(
                id=f"{pk['id']}-{day.isoformat()}",
                kind="peacekeeping_zone",
                name=pk["name"],
                valid_from=day,
                valid_to=last,
                geometry=geom,
                sources=sources,
                precision=pk["precision"]
                + (" This extent is frozen after 19 Sept 2023." if i + 1 == len(cuts) else ""),
            )
        )
    return out


def _zone_from_spec(m: control.ControlModel, spec: dict, geometry: BaseGeometry) -> Zone:
    """A Zone from one `points`/`regions` entry of periods.yaml and its geometry."""
    return Zone(
        id=spec["id"],
        kind=spec["kind"],
        name=spec["name"],
        valid_from=_d(spec["valid_from"]),
        valid_to=_d(spec["valid_to"]),
        geometry=geometry,
        sources=_sources(m, spec["sources"], spec["id"]),
        precision=spec["precision"],
    )


def zones_key() -> str:
    """Hash of the control model's key and of this module's code (geo.cache key)."""
    return cache.make_key("zones", control.model_key(), cache.source_digest(sys.modules[__name__]))


@lru_cache(maxsize=1)
def zones() -> tuple[Zone, ...]:
    """Every zone period of the model, in date order (from the on-disk cache when the model
    and this code are unchanged, see geo.cache)."""
    return cache.cached("zones", zones_key(), build_zones)


def build_zones() -> tuple[Zone, ...]:
    """Every zone period of the model, in date order, computed."""
    m = control.model()
    spec = m.spec["zones"]
    shusha = control.circle(
        *m.waypoint("shusha"), float(spec["peacekeeping"]["shusha_exclusion_km"])
    )
    corridors = _corridors(m, spec, shusha)
    out: list[Zone] = [*_peacekeeping(m, spec, corridors), *corridors]
    for p in spec["points"]:
        circle = control.circle(*m.waypoint(p["waypoint"]), float(p["radius_km"]))
        out.append(_zone_from_spec(m, p, circle))
    for r in spec["regions"]:
        units = control.union(m.geom(f"unit:{u}", r["id"]) for u in r["units"])
        out.append(_zone_from_spec(m, r, units))
    for z in out:
        if z.kind not in ZONE_KINDS:
            raise control.ModelError(f"zone {z.id}: unknown kind {z.kind!r}")
        if z.valid_to is not None and z.valid_to < z.valid_from:
            raise control.ModelError(f"zone {z.id}: ends before it starts")
    return tuple(sorted(out, key=lambda z: (z.valid_from, z.id)))


def zones_at(day: dt.date) -> list[Zone]:
    """Zones in force on ``day``."""
    d = control.as_day(day)
    return [z for z in zones() if z.in_force(d)]


def zone_change_dates() -> list[dt.date]:
    """Days on which a zone starts or the day after one ends."""
    days = set()
    for z in zones():
        days.add(z.valid_from)
        if z.valid_to is not None:
            days.add(z.valid_to + dt.timedelta(days=1))
    return sorted(days)


@lru_cache(maxsize=128)
def _geojson(key: tuple[str, ...]) -> str:
    by_id = {z.id: z for z in zones()}
    feats = []
    for zid in key:
        z = by_id[zid]
        g = shapely.set_precision(
            shapely.simplify(z.geometry, control.SIMPLIFY_DEG), control.ROUND_DEG
        )
        feats.append({"type": "Feature", "geometry": mapping(g), "properties": z.properties()})
    return json.dumps({"type": "FeatureCollection", "features": feats}, separators=(",", ":"))


def zones_geojson(day: dt.date) -> dict:
    """FeatureCollection of the zones in force on ``day`` (simplified ~200 m)."""
    return json.loads(_geojson(tuple(z.id for z in zones_at(day))))
