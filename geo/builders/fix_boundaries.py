"""Correct the shipped boundary layers where Natural Earth's 1:10m lines put a named place in the
wrong unit, and derive the NKAO outline from Natural Earth's 1991 oblast lines.

Run ``python -m geo.builders.fix_boundaries`` from the repository root
(``python -m geo.builders.data`` runs it too, after a rebuild). It rewrites ``admin_units``,
``countries``, ``enclaves`` and ``nkao`` in geo/data and logs every correction in
``geo/data/unit_fixes.csv``. The app and CI never run it; the corrected files are committed.

Why: Natural Earth's admin-0/admin-1 lines, generalised at 1:10m and simplified by 0.005° in
the build, put Kornidzor and Khnatsakh (Syunik) inside Azerbaijan's Lachin District, Lachin
town inside Shusha District, Jabrayil town inside Khojavend District, and enclave villages
outside their enclaves. The rule applied here: **a gazetteer place whose region names a unit
(GeoNames admin-1, or the ``region`` column of places_manual.csv) lies inside that unit**. For
each place that does not, a patch (a disc round the place plus a band of the same width to the
nearest point of its unit) is moved from the unit that holds it to its own unit, and the
countries are re-dissolved from the units, so the layers still tile without gaps or overlaps.
Enclave villages are moved into their enclave's part of the unit. Patches are idempotent: a
second run finds nothing to correct.

NKAO: ``nkao_1991_from_ne_lines.geojson`` from the shared reference folder (Natural Earth 4.0.0
"Former USSR oblast in 1991" lines, public domain), clipped to Azerbaijan and rounded; see
geo/data/README.md for its area and intersection-over-union figures.
"""

from __future__ import annotations

import argparse
import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import LineString, Point, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from geo.boundaries import BBOX, REGION_UNITS, units_for_region
from geo.control.geometry import to_degrees, to_metres

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
REPO_DIR = DATA_DIR.parents[1]
#: Where the shared reference layers live (read-only; only this script reads them).
SHARED_GEODATA = REPO_DIR.parent / "shared" / "geodata"
NKAO_SOURCE = "nkao_1991_from_ne_lines.geojson"
NKAO_OFFICIAL_KM2 = 4388.0
GRID = 1e-4  # the layers' coordinate grid (4 decimals, ~10 m)
#: Patch half-widths in metres: a town's centre area, or a village's.
RADIUS_M = {"capital": 1000.0, "city": 1000.0, "town": 1000.0}
DEFAULT_RADIUS_M = 500.0
#: No correction is made for a place farther than this from its unit (likely a wrong
#: coordinate or region: fix the gazetteer instead).
MAX_SHIFT_M = 5000.0
#: Enclave villages (gazetteer id -> enclave id): each must lie in its enclave's polygon.
ENCLAVE_VILLAGES = {
    "az-yukhari-askipara": "enclave-yukhari-askipara",
    "az-barkhudarly": "enclave-barkhudarly",
    "am-artsvashen": "enclave-artsvashen",
}
PRECISION_NOTE = (
    "; corrected near named places (geo/data/unit_fixes.csv): a gazetteer place lies in "
    "its own unit, patches of 0.5-1 km round the place"
)

GEOD = Geod(ellps="WGS84")


def geodesic_km2(geom: BaseGeometry) -> float:
    """Area on the WGS84 ellipsoid in km2."""
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def _poly(g: BaseGeometry) -> BaseGeometry:
    if g.geom_type in ("Polygon", "MultiPolygon") or g.is_empty:
        return g
    parts = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts, grid_size=GRID) if parts else shapely.Polygon()


def _round(g: BaseGeometry) -> BaseGeometry:
    out = shapely.set_precision(g, GRID)
    return shapely.transform(out, lambda xy: np.round(xy, 4))


@dataclass
class Fix:
    """One correction: area moved from one unit (or country) to another round a place."""

    place: str
    lon: float
    lat: float
    from_unit: str
    to_unit: str
    shift_m: float
    km2: float
    reason: str


def read_fc(name: str) -> dict:
    return json.loads((DATA_DIR / f"{name}.geojson").read_text(encoding="utf-8"))


def write_fc(name: str, fc: dict) -> None:
    text = json.dumps(fc, ensure_ascii=False, separators=(",", ":"))
    text = text.replace(',{"type":"Feature"', ',\n{"type":"Feature"')
    (DATA_DIR / f"{name}.geojson").write_text(text + "\n", encoding="utf-8")


def read_places(path: Path = DATA_DIR / "gazetteer.csv") -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _inside_box(lon: float, lat: float) -> bool:
    x0, y0, x1, y1 = BBOX
    return x0 <= lon <= x1 and y0 <= lat <= y1


def _patch(pt: Point, target: BaseGeometry, radius_m: float) -> tuple[BaseGeometry, float]:
    """Disc round ``pt`` plus a band to the nearest point of ``target`` (lon/lat), and the
    distance in metres from the place to its unit."""
    pm, tm = to_metres(pt), to_metres(target)
    near = nearest_points(tm, pm)[0]
    shift = pm.distance(near)
    band = LineString([pm, near]).buffer(radius_m) if shift > 0 else pm.buffer(radius_m)
    disc = shapely.union_all([band, pm.buffer(radius_m), near.buffer(radius_m / 2)])
    return to_degrees(disc), shift


def _holder(pt: Point, geoms: dict[str, BaseGeometry], skip: set[str]) -> str | None:
    for k, g in geoms.items():
        if k not in skip and g.covers(pt):
            return k
    return None


def plan_fixes(
    units: dict[str, BaseGeometry],
    others: dict[str, BaseGeometry],
    enclaves: dict[str, BaseGeometry],
    places: list[dict],
) -> list[tuple[Fix, BaseGeometry, str | None]]:
    """Corrections needed (fix, patch geometry, enclave id the patch must join or None)."""
    plan = []
    by_id = {p["id"]: p for p in places}
    for pid, eid in ENCLAVE_VILLAGES.items():
        p = by_id[pid]
        pt = Point(float(p["lon"]), float(p["lat"]))
        enc = enclaves[eid]
        if enc.covers(pt):
            continue
        patch, shift = _patch(pt, enc, DEFAULT_RADIUS_M)
        unit = next(k for k, g in units.items() if g.intersects(enc.representative_point()))
        holder = _holder(pt, units, {unit}) or _holder(pt, others, set())
        plan.append(
            (
                Fix(pid, pt.x, pt.y, holder or "?", unit, shift, 0.0, f"village of {eid}"),
                patch,
                eid,
            )
        )
    for p in places:
        lon, lat = float(p["lon"]), float(p["lat"])
        targets = units_for_region(p.get("region", ""))
        if not targets or not _inside_box(lon, lat) or p["id"] in ENCLAVE_VILLAGES:
            continue
        pt = Point(lon, lat)
        if any(units[t].covers(pt) for t in targets):
            continue
        target = min(targets, key=lambda t: units[t].distance(pt))
        holder = _holder(pt, units, {target}) or _holder(pt, others, set())
        if holder is None:
            continue  # outside every layer (sea or beyond the box): nothing to take from
        radius = RADIUS_M.get(p["kind"], DEFAULT_RADIUS_M)
        patch, shift = _patch(pt, units[target], radius)
        if shift > MAX_SHIFT_M:
            raise SystemExit(
                f"gazetteer.csv row {p['id']}: {shift / 1000:.1f} km from its region "
                f"{p['region']!r} ({target}); check its coordinate or region"
            )
        reason = f"gazetteer region {p['region']!r}"
        plan.append((Fix(p["id"], lon, lat, holder, target, shift, 0.0, reason), patch, None))
    return plan


def apply_fixes(
    units: dict[str, BaseGeometry],
    others: dict[str, BaseGeometry],
    enclaves: dict[str, BaseGeometry],
    plan: list[tuple[Fix, BaseGeometry, str | None]],
) -> list[Fix]:
    """Move each patch from its holder to its unit, in place; return the fixes with km2."""
    done = []
    for fix, patch, eid in plan:
        pool = units if fix.from_unit in units else others
        if fix.from_unit not in pool:
            raise SystemExit(f"{fix.place}: no layer holds it; cannot correct")
        taken = _poly(shapely.intersection(pool[fix.from_unit], patch, grid_size=GRID))
        if taken.is_empty:
            continue
        pool[fix.from_unit] = _poly(shapely.difference(pool[fix.from_unit], taken, grid_size=GRID))
        units[fix.to_unit] = _poly(shapely.union(units[fix.to_unit], taken, grid_size=GRID))
        if eid is not None:
            enclaves[eid] = _poly(shapely.union(enclaves[eid], taken, grid_size=GRID))
        fix.km2 = round(geodesic_km2(taken), 2)
        done.append(fix)
    return done


def nkao_feature(source: Path, azerbaijan: BaseGeometry) -> dict:
    """The NKAO feature derived from the shared Natural Earth oblast polygon."""
    fc = json.loads(source.read_text(encoding="utf-8"))
    ref = shape(fc["features"][0]["geometry"])
    geom = _round(_poly(shapely.intersection(ref, azerbaijan, grid_size=GRID)))
    if geom.geom_type == "MultiPolygon":  # clipping slivers: keep the oblast itself
        geom = max(geom.geoms, key=lambda g: g.area)
    km2 = geodesic_km2(geom)
    iou = geodesic_km2(geom.intersection(ref)) / geodesic_km2(geom.union(ref))
    props = {
        "id": "nkao-1991",
        "name": "Nagorno-Karabakh Autonomous Oblast (1991)",
        "name_hy": "Lernayin Gharabaghi Inknavar Marz",
        "name_az": "Dagliq Qarabag Muxtar Vilayeti",
        "area_km2": round(km2, 1),
        "official_area_km2": NKAO_OFFICIAL_KM2,
        "iou_vs_source": round(iou, 4),
        "source": (
            "Natural Earth 4.0.0 'Former USSR oblast in 1991' lines (public domain), closed "
            f"into a polygon ({source.name}, gaps < 220 m), clipped to Azerbaijan and rounded "
            "to 4 decimals by geo/fix_boundaries.py"
        ),
        "precision": (
            "approximate: Natural Earth 1:10m generalisation, ~1 km near towns; "
            f"{km2:,.0f} km2 against the official {NKAO_OFFICIAL_KM2:,.0f} km2"
        ),
    }
    return {"type": "Feature", "properties": props, "geometry": mapping(geom)}


def write_log(fixes: list[Fix], path: Path = DATA_DIR / "unit_fixes.csv") -> None:
    """Record the corrections, keeping those of earlier runs (a place's newest row wins)."""
    old: dict[str, list[str]] = {}
    if path.is_file():
        with path.open(encoding="utf-8", newline="") as fh:
            old = {row[0]: row for row in list(csv.reader(fh))[1:]}
    for f in fixes:
        old.pop(f.place, None)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(
            ["place", "lon", "lat", "from_unit", "to_unit", "shift_m", "km2_moved", "reason"]
        )
        rows = [
            [
                f.place,
                f"{f.lon:.6f}",
                f"{f.lat:.6f}",
                f.from_unit,
                f.to_unit,
                round(f.shift_m),
                f.km2,
                f.reason,
            ]
            for f in fixes
        ]
        w.writerows(sorted([*old.values(), *rows], key=lambda r: r[0]))


def run(shared: Path = SHARED_GEODATA) -> list[Fix]:
    """Correct the committed layers in geo/data; return the corrections made."""
    ufc, cfc, efc = read_fc("admin_units"), read_fc("countries"), read_fc("enclaves")
    units = {f["properties"]["id"]: shape(f["geometry"]) for f in ufc["features"]}
    country_of = {f["properties"]["id"]: f["properties"]["country"] for f in ufc["features"]}
    others = {
        f["properties"]["id"]: shape(f["geometry"])
        for f in cfc["features"]
        if f["properties"]["id"] not in ("ARM", "AZE")
    }
    enclaves = {
        f["properties"]["id"]: shape(f["geometry"])
        for f in efc["features"]
        if f["geometry"]["type"] != "Point"
    }
    places = read_places()
    fixes = apply_fixes(units, others, enclaves, plan_fixes(units, others, enclaves, places))
    left = plan_fixes(units, others, enclaves, places)
    if left:
        raise SystemExit(f"places still outside their unit after correction: {left}")
    if fixes:
        # rewrite only what changed, so a re-run leaves untouched features byte-identical
        touched = {x.to_unit for x in fixes} | {x.from_unit for x in fixes}
        touched_countries = {x for x in touched if x in others}
        touched_countries |= {
            {"AM": "ARM", "AZ": "AZE"}[country_of[u]] for u in touched if u in country_of
        }
        for f in ufc["features"]:
            uid = f["properties"]["id"]
            if uid not in touched:
                continue
            f["geometry"] = mapping(_round(units[uid]))
            if PRECISION_NOTE not in f["properties"]["precision"]:
                f["properties"]["precision"] += PRECISION_NOTE
        dissolved = {
            "ARM": shapely.union_all(
                [g for k, g in units.items() if country_of[k] == "AM"], grid_size=GRID
            ),
            "AZE": shapely.union_all(
                [g for k, g in units.items() if country_of[k] == "AZ"], grid_size=GRID
            ),
            **others,
        }
        for f in cfc["features"]:
            if f["properties"]["id"] in touched_countries:
                f["geometry"] = mapping(_round(_poly(dissolved[f["properties"]["id"]])))
        moved_into = {ENCLAVE_VILLAGES[x.place] for x in fixes if x.place in ENCLAVE_VILLAGES}
        for f in efc["features"]:
            eid = f["properties"]["id"]
            if eid in moved_into:
                g = _round(enclaves[eid])
                f["geometry"] = mapping(g)
                f["properties"]["area_km2"] = round(geodesic_km2(g), 1)
                if "widened" not in f["properties"]["precision"]:
                    f["properties"]["precision"] += (
                        "; widened by a 500 m band to take in its village, whose sourced "
                        "coordinate the 1:10m outline misses"
                    )
        write_fc("admin_units", ufc)
        write_fc("countries", cfc)
        write_fc("enclaves", efc)
        write_log(fixes)
    src = shared / NKAO_SOURCE
    if src.is_file():
        aze = shape(next(f for f in cfc["features"] if f["properties"]["id"] == "AZE")["geometry"])
        write_fc(
            "nkao",
            {
                "type": "FeatureCollection",
                "name": "nkao",
                "metadata": {"bbox": list(BBOX), "source_file": NKAO_SOURCE},
                "features": [nkao_feature(src, aze)],
            },
        )
    else:  # the only producer of nkao.geojson: never leave a stale or missing outline
        raise SystemExit(f"{src} not found: the NKAO outline is derived from it (../shared)")
    return fixes


def main(argv: list[str] | None = None) -> int:
    """CLI: correct the layers and print each correction."""
    ap = argparse.ArgumentParser(prog="python -m geo.builders.fix_boundaries", description=__doc__)
    ap.add_argument("--shared", type=Path, default=SHARED_GEODATA, help="reference geodata dir")
    args = ap.parse_args(argv)
    fixes = run(args.shared)
    for f in fixes:
        print(f"{f.place}: {f.from_unit} -> {f.to_unit} ({f.shift_m:.0f} m, {f.km2} km2)")
    print(f"{len(fixes)} corrections; regions mapped: {len(REGION_UNITS)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
