"""One rule for borders: control periods, the Lachin corridor bands and the peacekeeping zone stay
inside Azerbaijan's territory on every date (Armenia is never coloured as held), the only
exception being the sourced Artsvashen piece (an Armenian exclave held by Azerbaijani forces)."""

from __future__ import annotations

import datetime as dt

import pytest
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geo import boundaries, control, zones
from geo.control import area_km2, control_at, controller_at

pytestmark = pytest.mark.unit


def _shape(layer: str, fid: str) -> BaseGeometry:
    """The geometry of one feature of a shipped layer, by id."""
    return next(g for props, g in boundaries.layer_shapes(layer) if props.get("id") == fid)


#: km2 a period, band or zone may leave Azerbaijan by (overlay slivers along the border).
SLIVER_KM2 = 0.5
#: Zones drawn on the Armenian side by design (EU monitoring missions in Armenia).
ARMENIAN_SIDE_KINDS = {"eu_mission"}


def _allowed() -> shapely.Geometry:
    m = control.model()
    return shapely.union_all([m.territory, m.enclaves["enclave-artsvashen"][0]])


def _check_dates() -> list[dt.date]:
    days = {control.MODEL_START, *control.change_dates(), *zones.zone_change_dates()}
    return sorted(d for d in days if d >= control.MODEL_START)


def test_nothing_leaves_azerbaijan_on_any_change_date() -> None:
    allowed = _allowed()
    seen: set[str] = set()
    checked = 0
    for day in _check_dates():
        items = [(p.id, p.geometry) for p in control_at(day)]
        items += [(z.id, z.geometry) for z in zones.zones_at(day)]
        for key, geom in items:
            kind = next((z.kind for z in zones.zones() if z.id == key), "control")
            if key in seen or kind in ARMENIAN_SIDE_KINDS:
                continue
            seen.add(key)
            outside = area_km2(shapely.difference(geom, allowed))
            assert outside <= SLIVER_KM2, f"{day} {key}: {outside:.2f} km2 outside Azerbaijan"
            checked += 1
    kinds = {z.kind for z in zones.zones() if z.id in seen}
    assert {"corridor", "peacekeeping_zone"} <= kinds
    assert checked > len(control.change_dates())


def test_only_artsvashen_is_armenian_territory_in_the_model() -> None:
    arm = _shape("countries", "ARM")
    m = control.model()
    inside_armenia = area_km2(shapely.intersection(m.aoi, arm))
    artsvashen = area_km2(m.enclaves["enclave-artsvashen"][0])
    circles = sum(area_km2(control.circle(*m.waypoint(w), 1.5)) for w in ("karki", "sofulu"))
    # Artsvashen (sourced piece) and the circles standing for the point-only exclaves Karki and
    # Sofulu, which Natural Earth draws inside Armenia
    assert inside_armenia <= artsvashen + circles + SLIVER_KM2


@pytest.mark.parametrize(
    ("name", "lon", "lat"),
    [
        ("Kornidzor", 46.53046, 39.54763),  # at the corridor's Armenian end
        ("Khnatsakh", 46.39172, 39.60553),  # Syunik, on the Lachin border
        ("Tegh", 46.48054, 39.55826),
    ],
)
def test_armenian_border_villages_are_in_armenia_and_never_held(name, lon, lat) -> None:
    pt = Point(lon, lat)
    assert _shape("countries", "ARM").covers(pt), name
    assert _shape("admin_units", "marz-syunik").covers(pt), name
    assert not _shape("admin_units", "district-lachin").covers(pt), name
    for day in ("1995-01-01", "2021-06-01", "2022-09-01", "2024-01-01"):
        assert controller_at(lon, lat, dt.date.fromisoformat(day)) == "none", (name, day)
    for z in zones.zones():
        if z.kind in ("corridor", "peacekeeping_zone"):
            assert not z.geometry.covers(pt), (name, z.id)


def test_corridor_bands_stop_at_the_border() -> None:
    arm = _shape("countries", "ARM")
    corridors = [z for z in zones.zones() if z.kind == "corridor"]
    assert len(corridors) == 2
    for z in corridors:
        assert area_km2(shapely.intersection(z.geometry, arm)) <= SLIVER_KM2, z.id
