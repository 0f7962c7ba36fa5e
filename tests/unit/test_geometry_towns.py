"""Towns inside their own units: every gazetteer place whose region names a shipped unit lies in
that unit's polygon; enclaves contain their villages; the NKAO outline puts the named towns on
the right side; Lachin corridor places sit where the sources put them."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from geo import boundaries, control, zones
from geo.boundaries import BBOX, REGION_UNITS, layer_shapes, units_for_region
from geo.control import controller_at
from geo.gazetteer import geocode, places

pytestmark = pytest.mark.unit


def _shape(layer: str, fid: str) -> BaseGeometry:
    """The geometry of one feature of a shipped layer, by id."""
    return next(g for props, g in boundaries.layer_shapes(layer) if props.get("id") == fid)


DATA = Path(boundaries.__file__).parent / "data"


def _in_box(lon: float, lat: float) -> bool:
    x0, y0, x1, y1 = BBOX
    return x0 <= lon <= x1 and y0 <= lat <= y1


def _rows() -> list[dict]:
    with (DATA / "gazetteer.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_region_table_names_only_shipped_units() -> None:
    ids = {p["id"] for p, _ in layer_shapes("admin_units")}
    for region, units in REGION_UNITS.items():
        assert units and set(units) <= ids, region


def test_every_gazetteer_place_lies_in_the_unit_its_region_names() -> None:
    units = {p["id"]: g for p, g in layer_shapes("admin_units")}
    checked, wrong, unmapped = 0, [], []
    for r in _rows():
        lon, lat = float(r["lon"]), float(r["lat"])
        if r["country"] not in ("AM", "AZ") or not _in_box(lon, lat) or not r["region"]:
            continue
        targets = units_for_region(r["region"])
        if not targets:
            unmapped.append((r["id"], r["region"]))
            continue
        checked += 1
        if not any(units[t].covers(Point(lon, lat)) for t in targets):
            wrong.append((r["id"], r["region"], targets))
    # a region inside the map box that names no unit would silently skip its places
    assert not unmapped, unmapped
    assert not wrong, wrong
    assert checked > 500


@pytest.mark.parametrize(
    ("place", "unit"),
    [
        ("az-lachin", "district-lachin"),  # NE put Lachin town in Shusha district
        ("az-jabrayil", "district-jabrayil"),  # NE put Jabrayil town in Khojavend
        ("az-jojug-marjanli", "district-jabrayil"),  # NE put it in Fuzuli
        ("az-lalatapa", "district-jabrayil"),
        ("az-sus", "district-lachin"),
        ("az-zabukh", "district-lachin"),
        ("az-hakari-bridge", "district-lachin"),
        ("az-mets-shen", "district-shusha"),
        ("am-kornidzor", "marz-syunik"),
        ("am-khnatsakh", "marz-syunik"),
    ],
)
def test_named_places_in_their_units(place: str, unit: str) -> None:
    p = geocode(place)
    assert _shape("admin_units", unit).covers(Point(p.lon, p.lat)), place


@pytest.mark.parametrize(
    ("place", "enclave"),
    [
        ("az-yukhari-askipara", "enclave-yukhari-askipara"),
        ("az-barkhudarly", "enclave-barkhudarly"),
        ("am-artsvashen", "enclave-artsvashen"),
        ("az-sofulu", "enclave-sofulu"),
        ("az-karki", "enclave-karki"),
    ],
)
def test_enclaves_contain_their_villages(place: str, enclave: str) -> None:
    p = geocode(place)
    geom = _shape("enclaves", enclave)
    pt = Point(p.lon, p.lat)
    if geom.geom_type == "Point":  # point-only exclaves: the point is the village
        assert geom.distance(pt) < 1e-4, place
    else:
        assert geom.covers(pt), place
    # and the control model holds the village where the enclave is held
    assert controller_at(p.lon, p.lat, dt.date(2000, 1, 1)) != "none", place


@pytest.mark.parametrize(
    ("place", "day", "expected"),
    [
        ("az-yukhari-askipara", "2000-01-01", "armenian"),
        ("az-yukhari-askipara", "2025-01-01", "armenian"),
        ("az-barkhudarly", "2000-01-01", "armenian"),
        ("az-sofulu", "2000-01-01", "armenian"),
        ("az-karki", "2000-01-01", "armenian"),
        ("am-artsvashen", "2000-01-01", "azerbaijani"),
    ],
)
def test_enclave_villages_read_their_holder(place: str, day: str, expected: str) -> None:
    p = geocode(place)
    assert controller_at(p.lon, p.lat, dt.date.fromisoformat(day)) == expected


# --- NKAO --------------------------------------------------------------------------------------

NKAO_INSIDE = {
    "Stepanakert": (46.7528, 39.8177),
    "Shushi": (46.74989, 39.76006),
    "Hadrut": (47.0319, 39.52003),
    "Martuni": (47.1117, 39.79496),
    "Martakert": (46.82135, 40.21127),
}
NKAO_OUTSIDE = {
    "Berdzor": (46.54977, 39.63742),
    "Jabrayil": (47.02835, 39.39917),
    "Aghdam": (46.92736, 39.99096),
    "Fuzuli": (47.14529, 39.60094),
}


@pytest.mark.parametrize("town", sorted(NKAO_INSIDE))
def test_town_inside_nkao(town: str) -> None:
    assert _shape("nkao", "nkao-1991").covers(Point(NKAO_INSIDE[town])), town


@pytest.mark.parametrize("town", sorted(NKAO_OUTSIDE))
def test_town_outside_nkao(town: str) -> None:
    assert not _shape("nkao", "nkao-1991").covers(Point(NKAO_OUTSIDE[town]))


def test_jabrayil_azerbaijani_until_august_1993() -> None:
    # the old outline put Jabrayil inside the NKAO, Armenian-held from 1992
    lon, lat = NKAO_OUTSIDE["Jabrayil"]
    assert controller_at(lon, lat, dt.date(1992, 6, 1)) == "azerbaijani"
    assert controller_at(lon, lat, dt.date(1993, 8, 22)) == "azerbaijani"
    assert controller_at(lon, lat, dt.date(1993, 9, 1)) == "armenian"


def test_nkao_matches_natural_earth_source(shared_geodata: Path) -> None:
    ref = shape(
        json.loads((shared_geodata / "nkao_1991_from_ne_lines.geojson").read_text())["features"][0][
            "geometry"
        ]
    )
    mine = _shape("nkao", "nkao-1991")
    iou = control.area_km2(mine.intersection(ref)) / control.area_km2(mine.union(ref))
    assert iou >= 0.99, iou


# --- Lachin corridor places -------------------------------------------------------------------


def _corridor(day: str):
    (z,) = [z for z in zones.zones_at(dt.date.fromisoformat(day)) if z.kind == "corridor"]
    return z.geometry


def test_sus_inside_the_old_corridor_and_handed_over_with_it() -> None:
    sus = geocode("Sus")
    pt = Point(sus.lon, sus.lat)
    assert _corridor("2021-06-01").covers(pt)
    assert controller_at(sus.lon, sus.lat, dt.date(2022, 8, 25)) == "armenian"
    assert controller_at(sus.lon, sus.lat, dt.date(2022, 8, 26)) == "azerbaijani"
    assert not _corridor("2022-09-01").covers(pt)


def test_new_road_runs_through_mets_shen_and_the_hakari_bridge() -> None:
    route = control.model().authored["lachin-corridor-route-2022"][0]
    for name in ("Mets Shen", "Hakari bridge"):
        p = geocode(name)
        km = control.to_metres(route).distance(control.to_metres(Point(p.lon, p.lat))) / 1000
        assert km < 0.05, (name, km)
        assert _corridor("2022-09-01").covers(Point(p.lon, p.lat)), name


def test_hakari_bridge_is_about_10_km_south_of_lachin() -> None:
    bridge, lachin = geocode("Hakari bridge"), geocode("Lachin")
    km = control.to_metres(Point(bridge.lon, bridge.lat)).distance(
        control.to_metres(Point(lachin.lon, lachin.lat))
    )
    assert 8_000 < km < 12_000
    assert bridge.kind == "checkpoint" and bridge.precision == "near"


def test_every_place_in_the_gazetteer_module_matches_the_csv() -> None:
    # the checks above read the CSV; the app reads geo.gazetteer: same rows
    assert {p.id for p in places()} == {r["id"] for r in _rows()}
