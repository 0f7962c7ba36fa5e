"""The offline vector basemap and the region's reference layers, as small GeoJSON files.

Layers are derived from geo/data (built from registry packages) and written to the app's
static folder once (kmap.map.assets.ensure_static), so the browser fetches them once instead
of receiving them on every Streamlit rerun. Labels are small and depend on the toponym mode,
so they travel inline.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from shapely.geometry import box, mapping, shape
from shapely.ops import unary_union

from geo.boundaries import BBOX, load_layer
from geo.gazetteer import GeocodeError, geocode
from geo.toponyms import toponym

#: Places labelled on the base map (resolved through the gazetteer; a test checks each one).
MAIN_TOWNS: tuple[str, ...] = (
    "Stepanakert",
    "Shusha",
    "Lachin",
    "Kalbajar",
    "Martakert",
    "Martuni",
    "Hadrut",
    "Aghdam",
    "Fuzuli",
    "Jabrayil",
    "Qubadli",
    "Zangilan",
    "Tartar",
    "Barda",
    "Ganja",
    "Goris",
    "Kapan",
    "Yerevan",
    "Nakhchivan",
    "Sisian",
    "Jermuk",
    "Ijevan",
    "Gazakh",
    "Tbilisi",
    "Mingachevir",
)
CAPITALS = {"Yerevan", "Tbilisi"}
#: Where a country's name is written (lon, lat): inside the part of it the default view shows.
COUNTRY_LABELS: dict[str, tuple[float, float]] = {
    "Armenia": (44.9, 40.55),
    "Azerbaijan": (47.6, 40.55),
    "Georgia": (44.6, 41.6),
    "Iran": (46.6, 38.55),
    "Turkey": (43.4, 39.6),
}


def _collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def _select(layer: str, pred: Callable[[dict], object] = lambda p: True) -> list[dict]:
    """The features of a geo.boundaries layer whose properties satisfy pred."""
    return [f for f in load_layer(layer)["features"] if pred(f["properties"])]


def _with_label(features: list[dict], mode: str = "both") -> list[dict]:
    """Copy features adding a `label` property with the toponym(s) for the popup/tooltip."""
    out = []
    for f in features:
        p = dict(f["properties"])
        p["label"] = toponym(p.get("name", ""), p.get("name_hy"), p.get("name_az"), mode)
        out.append({"type": "Feature", "properties": p, "geometry": f["geometry"]})
    return out


def _is_nakhchivan(p: dict) -> bool:
    return str(p.get("kind", "")).startswith("nakhchivan") or str(p.get("id", "")).startswith(
        "nakhchivan"
    )


def _borders(countries: dict) -> dict:
    """The international borders as lines: the countries' outlines, each shared edge once,
    without the edge of the box geo/data is clipped to (drawn, it would look like a coast)."""
    lines = unary_union([shape(f["geometry"]).boundary for f in countries["features"]])
    clip_edge = box(*BBOX).exterior.buffer(1e-4)  # ~10 m: the clipped outlines lie on it
    return _collection(
        [
            {
                "type": "Feature",
                "properties": {"name": "International borders"},
                "geometry": mapping(lines.difference(clip_edge)),
            }
        ]
    )


@lru_cache(maxsize=1)
def static_layers() -> dict[str, dict]:
    """Map-layer id -> GeoJSON FeatureCollection for every static reference layer."""
    enclaves = _select("enclaves")
    nakh = _select("admin_units", _is_nakhchivan)
    if nakh:
        merged = unary_union([shape(f["geometry"]) for f in nakh])
        nakh_fc = [
            {
                "type": "Feature",
                "properties": {
                    "id": "nakhchivan",
                    "name": "Nakhchivan",
                    "name_hy": "Nakhichevan",
                    "name_az": "Nakhchivan",
                    "source": nakh[0]["properties"].get("source", ""),
                    "precision": nakh[0]["properties"].get("precision", ""),
                },
                "geometry": mapping(merged),
            }
        ]
    else:
        nakh_fc = []
    countries = load_layer("countries")
    return {
        "land": countries,
        "borders": _borders(countries),
        "lakes": load_layer("lakes"),
        "rivers": load_layer("rivers"),
        "admin": load_layer("admin_units"),
        "districts": _collection(
            _with_label(_select("admin_units", lambda p: p.get("seven_districts")))
        ),
        "nakhchivan": _collection(_with_label(nakh_fc)),
        "nkao": _collection(_with_label(_select("nkao"))),
        "enclaves": _collection(
            _with_label([f for f in enclaves if f["geometry"]["type"] != "Point"])
        ),
        "enclave_points": _collection(
            _with_label([f for f in enclaves if f["geometry"]["type"] == "Point"])
        ),
    }


def write_static_layers(folder: Path) -> list[Path]:
    """Write every static layer to folder/<id>.geojson (only when content changed)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, fc in static_layers().items():
        path = folder / f"{name}.geojson"
        text = json.dumps(fc, separators=(",", ":"), ensure_ascii=False)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _point(lon: float, lat: float, text: str, kind: str) -> dict:
    return {
        "type": "Feature",
        "properties": {"text": text, "kind": kind},
        "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
    }


@lru_cache(maxsize=8)
def labels(mode: str = "both") -> dict:
    """Label points (towns, areas, enclaves, countries) in the given toponym mode.

    Raises GeocodeError if a main town is missing from the gazetteer, so a gap is loud.
    """
    feats: list[dict] = []
    for name in MAIN_TOWNS:
        place = geocode(name)
        kind = "capital" if name in CAPITALS else "place"
        feats.append(
            _point(
                place.lon, place.lat, toponym(place.name, place.name_hy, place.name_az, mode), kind
            )
        )
    layers = static_layers()
    for f in layers["land"]["features"]:
        p = f["properties"]
        if p.get("name") in COUNTRY_LABELS:
            lon, lat = COUNTRY_LABELS[p["name"]]
            feats.append(_point(lon, lat, p["name"], "country"))
    for layer in ("districts", "nkao", "nakhchivan", "enclaves", "enclave_points"):
        for f in layers[layer]["features"]:
            p = f["properties"]
            pt = shape(f["geometry"]).representative_point()
            kind = "area" if layer in ("districts", "nkao", "nakhchivan") else "place"
            text = toponym(p.get("name", ""), p.get("name_hy"), p.get("name_az"), mode)
            if layer == "nkao":
                text = "Former NKAO"
            feats.append(_point(pt.x, pt.y, text, kind))
    return _collection(feats)


__all__ = ["MAIN_TOWNS", "GeocodeError", "labels", "static_layers", "write_static_layers"]
