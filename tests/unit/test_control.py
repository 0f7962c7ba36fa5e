"""Tests for geo.control (control periods) and geo.zones (peacekeepers, corridor, missions)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import shapely
import yaml
from shapely.geometry import Point, shape

from geo import control, zones
from geo.control import (
    MODEL_START,
    ModelError,
    area_km2,
    areas_km2,
    change_dates,
    changes_between,
    control_at,
    control_geojson,
    controller_at,
)

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "geodata"
TODAY = dt.date.today()


def _d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def _test_dates() -> list[dt.date]:
    """Every 1st of the month 1991-2025 plus each change date and the days either side."""
    days = {dt.date(y, m, 1) for y in range(1991, 2026) for m in range(1, 13)}
    for c in change_dates():
        days |= {c - dt.timedelta(days=1), c, c + dt.timedelta(days=1)}
    return sorted(d for d in days if d >= MODEL_START)


# --- tiling ---------------------------------------------------------------------------------------


def test_periods_tile_the_aoi_on_every_test_date():
    aoi_km2 = area_km2(control.model().aoi)
    checked = set()
    for day in _test_dates():
        periods = control_at(day)
        assert periods, day
        key = tuple(sorted(p.id for p in periods))
        if key in checked:
            continue
        checked.add(key)
        total = sum(area_km2(p.geometry) for p in periods)
        union = area_km2(shapely.union_all([p.geometry for p in periods]))
        # no gap: the pieces add up to the AOI; no overlap: the sum equals the union
        assert total == pytest.approx(aoi_km2, rel=1e-4), day
        assert total - union < 0.5, f"{day}: {total - union:.2f} km2 of overlap"
        assert all(p.in_force(day) for p in periods)
    assert len(checked) >= 30  # the slider really passes through that many distinct states


def test_controller_at_agrees_with_the_periods():
    for day in (_d("1992-08-01"), _d("1995-01-01"), _d("2020-10-20"), _d("2021-06-01")):
        for p in control_at(day):
            pt = p.geometry.representative_point()
            assert controller_at(pt.x, pt.y, day) == p.controller, (day, p.id)


def test_areas_add_up_and_change_over_time():
    a = areas_km2(_d("2000-01-01"))
    assert set(a) == {"armenian", "azerbaijani"}
    assert sum(a.values()) == pytest.approx(area_km2(control.model().aoi), rel=1e-3)


# --- known facts ----------------------------------------------------------------------------------

SHUSHA = (46.74989, 39.76006)
AGHDAM = (46.92736, 39.99096)
KALBAJAR = (46.04446, 40.10984)
LACHIN = (46.54977, 39.63742)
STEPANAKERT = (46.7528, 39.8177)
JABRAYIL = (47.02835, 39.39917)
FUZULI = (47.14529, 39.60094)
HADRUT = (47.0319, 39.52003)
ZANGILAN = (46.65988, 39.08371)
QUBADLI = (46.58183, 39.34441)
MADAGIZ = (46.72944, 40.33139)
MARTAKERT = (46.82135, 40.21127)
HIN_TAGHER = (46.82361, 39.5075)
LALATAPA = (47.26869, 39.40851)
KHOJALY = (46.79213, 39.91361)
ASHAGHI_ASKIPARA = (45.0828, 41.0756)
ARTSVASHEN = (45.5156, 40.6461)
KARKI = (44.9436, 39.7856)
BAKU = (49.8671, 40.4093)
TARTAR = (46.93161, 40.34201)  # never Armenian-held
HORADIZ = (47.33496, 39.45015)  # east of the 1994 line
METS_SHEN = (46.60194, 39.65833)  # on the 2022 road, Armenian-held until Sept 2023
SUS = (46.512778, 39.626944)
KORNIDZOR = (46.53046, 39.54763)  # Armenia

FACTS = [
    (SHUSHA, "1991-06-01", "azerbaijani"),
    (SHUSHA, "1992-05-07", "azerbaijani"),
    (SHUSHA, "1993-01-01", "armenian"),
    (SHUSHA, "2020-11-01", "armenian"),
    (SHUSHA, "2020-11-09", "azerbaijani"),
    (KHOJALY, "1992-02-25", "azerbaijani"),
    (KHOJALY, "1992-03-01", "armenian"),
    (AGHDAM, "1993-07-01", "azerbaijani"),
    (AGHDAM, "1994-01-01", "armenian"),
    (AGHDAM, "2020-11-19", "armenian"),
    (AGHDAM, "2020-11-21", "azerbaijani"),
    (KALBAJAR, "1993-01-01", "azerbaijani"),
    (KALBAJAR, "1993-05-01", "armenian"),
    (KALBAJAR, "2020-11-24", "armenian"),
    (KALBAJAR, "2020-11-26", "azerbaijani"),
    (LACHIN, "1992-05-17", "azerbaijani"),
    (LACHIN, "1992-06-01", "armenian"),
    (LACHIN, "2021-06-01", "armenian"),
    (LACHIN, "2022-08-01", "armenian"),
    (LACHIN, "2022-08-27", "azerbaijani"),
    (STEPANAKERT, "2023-09-01", "armenian"),
    (STEPANAKERT, "2023-10-15", "azerbaijani"),
    (MARTAKERT, "1992-09-01", "azerbaijani"),
    (MARTAKERT, "1993-07-01", "armenian"),
    (MADAGIZ, "1994-05-01", "armenian"),
    (MADAGIZ, "2020-10-02", "armenian"),
    (MADAGIZ, "2020-10-04", "azerbaijani"),
    (JABRAYIL, "1993-09-01", "armenian"),
    (JABRAYIL, "2020-10-03", "armenian"),
    (JABRAYIL, "2020-10-05", "azerbaijani"),
    (HADRUT, "2020-10-13", "armenian"),
    (HADRUT, "2020-10-16", "azerbaijani"),
    (FUZULI, "2020-10-16", "armenian"),
    (FUZULI, "2020-10-18", "azerbaijani"),
    (ZANGILAN, "2020-10-19", "armenian"),
    (ZANGILAN, "2020-10-23", "azerbaijani"),
    (QUBADLI, "2020-10-24", "armenian"),
    (QUBADLI, "2020-10-26", "azerbaijani"),
    (HIN_TAGHER, "2020-11-15", "armenian"),
    (HIN_TAGHER, "2020-12-14", "azerbaijani"),
    (LALATAPA, "2000-01-01", "armenian"),
    (LALATAPA, "2016-05-01", "azerbaijani"),
    (TARTAR, "1995-01-01", "azerbaijani"),
    (HORADIZ, "2000-01-01", "azerbaijani"),
    (HORADIZ, "1993-09-26", "azerbaijani"),
    (HORADIZ, "1993-11-15", "armenian"),  # seized 27 Sep 1993 (HRW)
    (HORADIZ, "1994-01-07", "azerbaijani"),  # retaken 6 Jan 1994
    (JABRAYIL, "1992-06-01", "azerbaijani"),  # outside the NKAO: taken on 23 Aug 1993
    (METS_SHEN, "2021-06-01", "armenian"),
    (METS_SHEN, "2023-10-01", "azerbaijani"),
    (SUS, "2022-08-25", "armenian"),
    (SUS, "2022-08-27", "azerbaijani"),
    (KORNIDZOR, "2000-01-01", "none"),  # Armenia: never coloured as held
    (ASHAGHI_ASKIPARA, "1991-06-01", "azerbaijani"),
    (ASHAGHI_ASKIPARA, "2000-01-01", "armenian"),
    (ASHAGHI_ASKIPARA, "2024-05-23", "armenian"),
    (ASHAGHI_ASKIPARA, "2024-05-25", "azerbaijani"),
    (ARTSVASHEN, "1991-06-01", "armenian"),
    (ARTSVASHEN, "1993-01-01", "azerbaijani"),
    (KARKI, "2000-01-01", "armenian"),
    (KARKI, "2025-01-01", "armenian"),
    (BAKU, "2000-01-01", "none"),  # outside the modelled area: Baku is not in the AOI
]


@pytest.mark.parametrize(("point", "day", "expected"), FACTS)
def test_known_facts(point, day, expected):
    assert controller_at(*point, _d(day)) == expected


def test_before_model_start_is_an_error():
    with pytest.raises(ValueError):
        control_at(dt.date(1990, 12, 31))
    with pytest.raises(ValueError):
        controller_at(*SHUSHA, dt.date(1988, 1, 1))


def test_every_period_is_sourced_with_precision():
    for p in control.model().periods:
        assert p.controller in control.CONTROLLERS
        assert p.sources, p.id
        assert all(
            s["url"].startswith(("http://", "https://")) and s["publisher"] for s in p.sources
        )
        assert p.precision.strip(), p.id
        assert p.confidence in ("low", "medium", "high"), p.id
        assert p.label.strip(), p.id
        assert p.valid_to is None or p.valid_to >= p.valid_from, p.id
    ids = [p.id for p in control.model().periods]
    assert len(ids) == len(set(ids))


def test_every_zone_is_sourced_with_precision():
    assert zones.zones()
    for z in zones.zones():
        assert z.kind in zones.ZONE_KINDS
        assert z.sources and all(s["url"].startswith("http") for s in z.sources), z.id
        assert z.precision.strip(), z.id
        assert z.geometry.is_valid and not z.geometry.is_empty, z.id


def test_authored_features_cite_sourced_waypoints():
    m = control.model()
    for fid, (geom, props) in m.authored.items():
        assert geom.is_valid and not geom.is_empty, fid
        assert props["precision"] and props["description"], fid
        assert props["waypoints"], fid
        for w in props["waypoints"]:
            assert w in m.waypoints, (fid, w)
    for w in m.waypoints.values():
        assert w["source"]["url"].startswith("http"), w["id"]


# --- reference checks (shared/ is only present on the team's machines and CI) ---------------------


def _reference(name: str):
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"reference geodata absent ({path}); it lives in ../shared and is not shipped")
    with path.open(encoding="utf-8") as fh:
        return shape(json.load(fh)["features"][0]["geometry"])


@pytest.mark.parametrize("day", ["1995-01-01", "2016-03-01"])
def test_1994_area_matches_natural_earth_breakaway(day, record_property):
    ref = _reference("ne10m_breakaway_nagorno_karabakh_1994.geojson")
    held = control.held_area(_d(day), "armenian")
    iou = area_km2(held.intersection(ref)) / area_km2(held.union(ref))
    record_property("iou_vs_ne_1994", round(iou, 3))
    print(f"IoU vs NE 1994 breakaway on {day}: {iou:.3f}")
    assert iou >= 0.8


def test_line_of_contact_near_natural_earth_line(record_property):
    ref = _reference("line_of_contact_1994_ne.geojson")
    mine = control.model().authored["loc-1994-line"][0]
    km = control.to_metres(ref).hausdorff_distance(control.to_metres(mine)) / 1000
    record_property("hausdorff_km_vs_ne_line", round(km, 1))
    assert km < 20


# --- areas, changes, dates ---------------------------------------------------------------------


def test_areas_are_sensible():
    a1995 = areas_km2(_d("1995-01-01"))["armenian"]
    assert 11_000 <= a1995 <= 12_500
    a2021 = areas_km2(_d("2021-06-01"))["armenian"]
    assert 2_800 <= a2021 <= 3_700  # remainder + corridor + exclaves
    a2024 = areas_km2(_d("2024-06-01"))["armenian"]
    assert 0 < a2024 < 100  # only the Azerbaijani exclaves inside Armenia
    # the war only takes: each weekly snapshot holds no more than the previous one
    war = [dt.date(2020, 9, 26) + dt.timedelta(days=7 * k) for k in range(8)]
    held = [areas_km2(d)["armenian"] for d in war]
    assert held == sorted(held, reverse=True) and held[0] - held[-1] > 2_000


def test_changes_between():
    ch = changes_between(_d("2020-09-26"), _d("2020-12-02"))
    lost = [c for c in ch if c["from"] == "armenian"]
    assert len(lost) == 1 and 7_500 < lost[0]["km2"] < 9_500
    assert not [c for c in ch if c["from"] == "azerbaijani"]
    assert changes_between(_d("2000-01-01"), _d("2010-01-01")) == []
    back = changes_between(_d("1992-09-01"), _d("1994-06-01"))
    assert any(c["to"] == "armenian" and c["km2"] > 5_000 for c in back)


def test_change_dates_cover_the_key_events():
    days = change_dates()
    assert days == sorted(set(days))
    for key in (
        "1992-05-08",
        "1992-05-18",
        "1993-04-02",
        "1993-07-23",
        "1993-08-23",
        "2016-04-02",
        "2020-09-27",
        "2020-10-03",
        "2020-10-04",
        "2020-11-08",
        "2020-11-20",
        "2020-11-25",
        "2020-12-01",
        "2020-12-13",
        "2022-08-26",
        "2023-09-20",
        "2024-05-24",
    ):
        assert _d(key) in days, key
    war = [d for d in days if _d("2020-09-27") <= d <= _d("2020-11-10")]
    gaps = [(b - a).days for a, b in itertools.pairwise(war)]
    assert max(gaps) <= 7  # at least a weekly front during the 2020 war


# --- GeoJSON and speed ----------------------------------------------------------------------------


def test_control_geojson_shape_and_size():
    fc = control_geojson(_d("2021-06-01"))
    assert fc["type"] == "FeatureCollection" and fc["features"]
    for f in fc["features"]:
        props = f["properties"]
        assert {
            "id",
            "controller",
            "valid_from",
            "valid_to",
            "precision",
            "confidence",
            "label",
            "sources",
        } <= set(props)
        assert shape(f["geometry"]).is_valid
    assert len(json.dumps(fc)) < 200_000
    controllers = {f["properties"]["controller"] for f in fc["features"]}
    assert controllers == {"armenian", "azerbaijani"}


# --- zones ----------------------------------------------------------------------------------------


def _zone_ids(day: str) -> set[str]:
    return {
        z.id.rsplit("-20", 1)[0] if z.kind == "peacekeeping_zone" else z.id
        for z in zones.zones_at(_d(day))
    }


def test_peacekeeping_zone_follows_the_armenian_remainder():
    assert not zones.zones_at(_d("2020-11-09"))
    z2021 = [z for z in zones.zones_at(_d("2021-06-01")) if z.kind == "peacekeeping_zone"]
    assert len(z2021) == 1
    assert z2021[0].geometry.covers(Point(*STEPANAKERT))
    assert not z2021[0].geometry.covers(Point(*SHUSHA))
    assert not z2021[0].geometry.covers(Point(*AGHDAM))
    assert 2_800 < area_km2(z2021[0].geometry) < 3_700
    # frozen after the takeover, gone after the withdrawal of June 2024
    late = [z for z in zones.zones_at(_d("2024-01-01")) if z.kind == "peacekeeping_zone"]
    assert late and late[0].geometry.covers(Point(*STEPANAKERT))
    assert not [z for z in zones.zones_at(_d("2024-07-01")) if z.kind == "peacekeeping_zone"]


def test_lachin_corridor_moves_in_august_2022():
    old = [z for z in zones.zones_at(_d("2021-06-01")) if z.kind == "corridor"]
    new = [z for z in zones.zones_at(_d("2022-09-01")) if z.kind == "corridor"]
    assert len(old) == 1 and len(new) == 1 and old[0].id != new[0].id
    assert old[0].geometry.covers(Point(*LACHIN))
    assert not new[0].geometry.covers(Point(*LACHIN))
    assert not old[0].geometry.covers(Point(*SHUSHA))  # statement point 6: not Shusha
    assert area_km2(old[0].geometry) > 100


def test_monitoring_centre_and_eu_missions():
    assert "russian-turkish-monitoring-centre" in _zone_ids("2022-01-01")
    assert "russian-turkish-monitoring-centre" not in _zone_ids("2024-05-01")
    assert "eumcap" in _zone_ids("2022-11-01")
    assert "eumcap" not in _zone_ids("2023-01-15")
    goris, ijevan = Point(46.34168, 39.51111), Point(45.1478, 40.8804)
    spring = [z for z in zones.zones_at(_d("2023-03-01")) if z.kind == "eu_mission"]
    assert (
        len(spring) == 1
        and spring[0].geometry.covers(goris)
        and not spring[0].geometry.covers(ijevan)
    )
    autumn = [z for z in zones.zones_at(_d("2023-10-01")) if z.kind == "eu_mission"]
    assert len(autumn) == 1 and autumn[0].geometry.covers(ijevan)
    fc = zones.zones_geojson(_d("2022-11-01"))
    assert {f["properties"]["kind"] for f in fc["features"]} >= {
        "peacekeeping_zone",
        "corridor",
        "eu_mission",
    }


# --- the model rejects bad data -------------------------------------------------------------------


def _broken_copy(tmp_path: Path, edit) -> Path:
    d = tmp_path / "control"
    shutil.copytree(control.CONTROL_DIR, d)
    spec = yaml.safe_load((d / "periods.yaml").read_text(encoding="utf-8"))
    edit(spec)
    (d / "periods.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return d


def test_unsourced_period_is_rejected(tmp_path):
    def edit(spec):
        spec["before_2020"]["pieces"][0]["timeline"][0]["sources"] = []

    with pytest.raises(ModelError, match="source"):
        control.ControlModel(_broken_copy(tmp_path, edit))


def test_unknown_source_key_is_rejected(tmp_path):
    def edit(spec):
        spec["from_2020"]["pieces"][0]["changes"][0]["sources"] = ["no-such-source"]

    with pytest.raises(ModelError, match="unknown source"):
        control.ControlModel(_broken_copy(tmp_path, edit))


def test_unordered_timeline_is_rejected(tmp_path):
    def edit(spec):
        spec["before_2020"]["pieces"][1]["timeline"].reverse()

    with pytest.raises(ModelError):
        control.ControlModel(_broken_copy(tmp_path, edit))


# --- CLI ---------------------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geo.control", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_prints_one_word():
    r = _cli("--date", "2020-11-01", "--point", str(SHUSHA[0]), str(SHUSHA[1]))
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["armenian"]
    r = _cli("--date", "2020-11-09", "--point", str(SHUSHA[0]), str(SHUSHA[1]))
    assert r.stdout.strip() == "azerbaijani"
    r = _cli("--date", "2000-01-01", "--point", str(BAKU[0]), str(BAKU[1]))
    assert r.stdout.strip() == "none"


def test_cli_json_and_areas():
    r = _cli("--date", "2022-08-01", "--point", str(LACHIN[0]), str(LACHIN[1]), "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["controller"] == "armenian" and out["sources"] and out["valid_to"] == "2022-08-25"
    r = _cli("--date", "1995-01-01", "--areas")
    assert r.returncode == 0, r.stderr
    rows = dict(line.split("\t") for line in r.stdout.strip().splitlines())
    assert set(rows) == {"armenian", "azerbaijani"} and 11_000 < float(rows["armenian"]) < 12_500


def test_cli_geojson_prints_periods_and_zones():
    r = _cli("--date", "2021-06-01", "--geojson")
    assert r.returncode == 0, r.stderr
    fc = json.loads(r.stdout)
    assert fc["type"] == "FeatureCollection" and fc["date"] == "2021-06-01"
    kinds = {f["properties"]["kind"] for f in fc["features"]}
    assert {"control", "peacekeeping_zone", "corridor"} <= kinds
    for f in fc["features"]:
        props = f["properties"]
        assert {"kind", "controller", "valid_from", "valid_to", "sources", "precision"} <= set(
            props
        )
        assert props["sources"] and props["precision"]
        assert shape(f["geometry"]).is_valid
        if props["kind"] == "control":
            assert props["controller"] in control.CONTROLLERS
        else:
            assert props["controller"] is None
    control_ids = {
        f["properties"]["id"] for f in fc["features"] if f["properties"]["kind"] == "control"
    }
    assert control_ids == {p.id for p in control_at(_d("2021-06-01"))}


@pytest.mark.parametrize(
    "args",
    [
        ("--date", "2020-13-01", "--areas"),
        ("--date", "1985-01-01", "--areas"),
        ("--date", "2020-01-01", "--point", "46.7"),
        ("--date", "2020-01-01", "--point", "500", "40"),
        ("--date", "2020-01-01"),
        ("--date", "2020-01-01", "--areas", "--geojson"),
        ("--point", "46.7", "39.8"),
    ],
)
def test_cli_bad_input_exits_2(args):
    r = _cli(*args)
    assert r.returncode == 2
    assert "error" in r.stderr and not r.stdout.strip()
