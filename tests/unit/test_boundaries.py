"""geo.boundaries and the shipped layers in geo/data (countries, admin units, NKAO, enclaves,
rivers, lakes): loading, required features, validity, extent, topology, toponyms, NKAO check."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import pytest
import shapely
from pyproj import Geod
from shapely.geometry import box, shape
from shapely.geometry.base import BaseGeometry

from geo import boundaries
from geo.boundaries import BBOX, LAYER_NAMES, layer_shapes, load_layer

pytestmark = pytest.mark.unit


def _shape(layer: str, fid: str) -> BaseGeometry:
    """The geometry of one feature of a shipped layer, by id."""
    return next(g for props, g in layer_shapes(layer) if props.get("id") == fid)


GEOD = Geod(ellps="WGS84")
BOX = box(*BBOX).buffer(1e-9)

SEVEN = {
    "district-kalbajar",
    "district-lachin",
    "district-qubadli",
    "district-zangilan",
    "district-jabrayil",
    "district-fuzuli",
    "district-aghdam",
}
ADMIN_KEYS = {
    "id",
    "name",
    "name_hy",
    "name_az",
    "kind",
    "country",
    "seven_districts",
    "source",
    "precision",
}
#: The outline is derived from the shared NE 1991 oblast polygon
#: (geo/builders/fix_boundaries.py): IoU 0.9998 after clipping to Azerbaijan and rounding to
#: ~10 m. See geo/data/README.md.
NKAO_MIN_IOU = 0.99


def km2(geom) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def ids(layer: str) -> set[str]:
    return {p["id"] for p, _ in layer_shapes(layer)}


# --- loader ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", LAYER_NAMES)
def test_every_layer_loads_as_feature_collection(name: str) -> None:
    fc = load_layer(name)
    assert fc["type"] == "FeatureCollection"
    assert fc["features"], name
    assert load_layer(name) is fc  # cached
    assert len(layer_shapes(name)) == len(fc["features"])


def test_unknown_layer_is_a_clear_error() -> None:
    with pytest.raises(boundaries.UnknownLayerError, match="unknown layer 'roads'"):
        load_layer("roads")


# --- every layer ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", LAYER_NAMES)
def test_geometries_valid_and_inside_box(name: str) -> None:
    for props, geom in layer_shapes(name):
        assert geom.is_valid, (name, props.get("id"), shapely.is_valid_reason(geom))
        assert not geom.is_empty, (name, props.get("id"))
        assert BOX.contains(geom), (name, props.get("id"), geom.bounds)


@pytest.mark.parametrize("name", LAYER_NAMES)
def test_every_feature_has_source_and_name(name: str) -> None:
    for props, _ in layer_shapes(name):
        assert props.get("source"), (name, props)
        assert props.get("name"), (name, props)
        assert props.get("id"), (name, props)
        if name != "rivers" and name != "lakes":
            assert props.get("precision"), (name, props)


@pytest.mark.parametrize("name", LAYER_NAMES)
def test_coordinates_are_rounded(name: str) -> None:
    coords = shapely.get_coordinates([g for _, g in layer_shapes(name)])
    assert (abs(coords * 1e5 - (coords * 1e5).round()) < 1e-6).all(), name


def test_shipped_set_is_small() -> None:
    data = Path(boundaries.__file__).parent / "data"
    total = sum((data / f"{n}.geojson").stat().st_size for n in LAYER_NAMES)
    assert total < 600_000, total


# --- countries ------------------------------------------------------------------------------


def test_six_countries() -> None:
    assert ids("countries") == {"ARM", "AZE", "GEO", "IRN", "TUR", "RUS"}


def test_armenia_and_azerbaijan_do_not_overlap() -> None:
    arm = _shape("countries", "ARM")
    aze = _shape("countries", "AZE")
    assert km2(arm.intersection(aze)) < 0.05
    assert arm.touches(aze) or km2(arm.intersection(aze)) < 0.05


def test_countries_do_not_overlap() -> None:
    shapes = layer_shapes("countries")
    for (pa, a), (pb, b) in combinations(shapes, 2):
        assert km2(a.intersection(b)) < 0.05, (pa["id"], pb["id"])


def test_azerbaijan_includes_nakhchivan() -> None:
    aze = _shape("countries", "AZE")
    assert aze.contains(shapely.Point(45.41, 39.21))  # Nakhchivan city
    assert not _shape("countries", "ARM").contains(shapely.Point(45.41, 39.21))


# --- admin units ----------------------------------------------------------------------------


def test_admin_unit_properties_are_exactly_the_schema() -> None:
    for props, _ in layer_shapes("admin_units"):
        assert set(props) == ADMIN_KEYS, props["id"]
        assert props["kind"] in {"rayon", "city", "marz", "nakhchivan-rayon"}
        assert props["country"] in {"AZ", "AM"}
        assert isinstance(props["seven_districts"], bool)


def test_admin_unit_ids_are_unique() -> None:
    all_ids = [p["id"] for p, _ in layer_shapes("admin_units")]
    assert len(all_ids) == len(set(all_ids))


def test_named_admin_units_present() -> None:
    needed = SEVEN | {
        "district-tartar",
        "district-khojavend",
        "district-khojaly",
        "district-shusha",
        "city-khankendi",
        "district-goranboy",
        "district-gazakh",
        "marz-syunik",
        "marz-tavush",
        "nakhchivan-ordubad",
        "nakhchivan-sharur",
    }
    assert needed <= ids("admin_units")


def test_seven_districts_flag() -> None:
    flagged = {p["id"] for p, _ in layer_shapes("admin_units") if p["seven_districts"]}
    assert flagged == SEVEN


def test_both_toponyms_where_they_differ() -> None:
    by_id = {p["id"]: p for p, _ in layer_shapes("admin_units")}
    assert by_id["district-kalbajar"]["name_az"] == "Kalbajar"
    assert by_id["district-kalbajar"]["name_hy"] == "Karvachar"
    lachin_hy = by_id["district-lachin"]["name_hy"]
    assert "Kashatagh" in lachin_hy or "Berdzor" in lachin_hy
    assert by_id["district-lachin"]["name_az"] == "Lachin"
    assert by_id["city-khankendi"]["name_az"] == "Khankendi"
    assert by_id["city-khankendi"]["name_hy"] == "Stepanakert"
    assert by_id["district-shusha"]["name_hy"] == "Shushi"
    # an Aghdara/Martakert unit exists in no source (the raion was abolished in 1992)
    aghdara = [p for p in by_id.values() if "Aghdara" in p["name"] or "Martakert" in p["name"]]
    for p in aghdara:
        assert {p["name_az"], p["name_hy"]} == {"Aghdara", "Martakert"}


def test_ne_name_errors_are_fixed() -> None:
    names = {p["name"] for p, _ in layer_shapes("admin_units")}
    assert "Lankaran" not in names  # NE's label for Lachin District (no Lankaran in the box)
    khankendi = _shape("admin_units", "city-khankendi")
    assert khankendi.contains(shapely.Point(46.7517, 39.8153))  # Stepanakert centre
    assert 5 < km2(khankendi) < 60
    khojaly = _shape("admin_units", "district-khojaly")
    assert khojaly.contains(shapely.Point(46.7921, 39.9136))  # Khojaly town
    assert km2(khojaly) > 500


def test_admin_units_do_not_overlap() -> None:
    shapes = layer_shapes("admin_units")
    geoms = [g for _, g in shapes]
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    worst = 0.0
    for i, j in zip(left, right, strict=True):
        if i < j:
            worst = max(worst, km2(geoms[i].intersection(geoms[j])))
    assert worst < 0.01, worst  # km2: only rounding noise along shared edges


def test_admin_units_tile_their_countries() -> None:
    for a3, cc in (("ARM", "AM"), ("AZE", "AZ")):
        country = _shape("countries", a3)
        units = shapely.union_all([g for p, g in layer_shapes("admin_units") if p["country"] == cc])
        assert km2(country.symmetric_difference(units)) < 1.0, a3


# --- NKAO -----------------------------------------------------------------------------------


def test_nkao_is_one_polygon_with_plausible_area() -> None:
    (props, geom), *rest = layer_shapes("nkao")
    assert not rest
    assert geom.geom_type == "Polygon"
    # NE's generalised oblast lines give 4,282 km2: 2.4 % under the official 4,388 km2
    assert abs(km2(geom) - 4388) / 4388 < 0.03, km2(geom)
    assert "approximate" in props["precision"]
    for town in [(46.7517, 39.8153), (46.75, 39.7583), (46.8128, 40.2153), (46.8817, 39.7911)]:
        assert geom.contains(shapely.Point(town)), town  # Stepanakert, Shusha, Martakert, Askeran
    # Aghdam town, western Lachin District, Kalbajar town, Tartar town, Lachin town, Jabrayil
    for town in [
        (46.9274, 39.991),
        (46.25, 39.75),
        (46.0383, 40.1067),
        (46.9316, 40.342),
        (46.54977, 39.63742),
        (47.02835, 39.39917),
    ]:
        assert not geom.contains(shapely.Point(town)), town


def test_nkao_matches_reference(shared_geodata: Path) -> None:
    ref_path = shared_geodata / "nkao_1991_from_ne_lines.geojson"
    if not ref_path.is_file():
        pytest.skip(f"{ref_path} not found")
    ref = shape(json.loads(ref_path.read_text())["features"][0]["geometry"])
    (_, mine), *_ = layer_shapes("nkao")
    iou = km2(mine.intersection(ref)) / km2(mine.union(ref))
    print(f"NKAO IoU vs NE 1991 oblast lines: {iou:.3f}")
    assert iou >= NKAO_MIN_IOU, iou


# --- enclaves -------------------------------------------------------------------------------


def test_five_enclaves() -> None:
    expected = {
        "enclave-artsvashen",
        "enclave-yukhari-askipara",
        "enclave-barkhudarly",
        "enclave-sofulu",
        "enclave-karki",
    }
    assert ids("enclaves") == expected
    kinds = {p["id"]: (p["geometry_kind"], g.geom_type) for p, g in layer_shapes("enclaves")}
    assert kinds["enclave-karki"] == ("point-only", "Point")
    assert kinds["enclave-sofulu"] == ("point-only", "Point")
    for eid in ("enclave-artsvashen", "enclave-yukhari-askipara", "enclave-barkhudarly"):
        assert kinds[eid] == ("polygon", "Polygon"), eid


def test_enclave_properties() -> None:
    for props, geom in layer_shapes("enclaves"):
        for key in ("name_hy", "name_az", "de_jure", "surrounded_by", "source_url", "precision"):
            assert props.get(key), (props["id"], key)
        assert props["source_url"].startswith("https://")
        if geom.geom_type == "Polygon":
            assert 1 < km2(geom) < 60, props["id"]
    by_id = {p["id"]: p for p, _ in layer_shapes("enclaves")}
    assert by_id["enclave-artsvashen"]["name_az"] == "Bashkend"
    assert by_id["enclave-karki"]["name_hy"] == "Tigranashen"
    assert by_id["enclave-artsvashen"]["de_jure"] == "Armenian SSR"


def test_enclaves_lie_in_the_other_country() -> None:
    arm = _shape("countries", "ARM")
    aze = _shape("countries", "AZE")
    for props, geom in layer_shapes("enclaves"):
        host = aze if props["de_jure"].startswith("Armenian") else arm
        owner = arm if host is aze else aze
        probe = geom.representative_point()
        if props["geometry_kind"] == "polygon":
            assert owner.contains(probe), props["id"]  # de jure part of its SSR's successor
            assert host.distance(geom) < 0.01, props["id"]  # and surrounded by the other
        else:
            assert host.buffer(0.05).contains(probe) or owner.contains(probe), props["id"]


# --- basemap --------------------------------------------------------------------------------


def test_rivers_and_lakes() -> None:
    assert {"Kura", "Aras"} <= {p["name"] for p, _ in layer_shapes("rivers")}
    lakes = {p["name"]: g for p, g in layer_shapes("lakes")}
    assert {"Lake Sevan", "Mingachevir Reservoir"} <= set(lakes)
    assert 1000 < km2(lakes["Lake Sevan"]) < 1600
    for props, geom in layer_shapes("rivers"):
        assert geom.geom_type in ("LineString", "MultiLineString"), props["id"]
