"""The map's vector layers, drawn as the live map's panes are stacked: the offline basemap
(land, lakes, rivers, borders), territorial control, zones, then the reference outlines.

Each layer is one compound matplotlib path (holes kept), whatever its number of features,
styled from palette. Each ``draw_*`` returns the legend rows of what it drew, so the legend
lists exactly what is on the map.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import shapely
from matplotlib.colors import to_rgba
from matplotlib.patches import PathPatch
from matplotlib.path import Path
from shapely.geometry import shape
from shapely.geometry.polygon import orient

from kmap import legend as shared_legend
from kmap.briefing.legend import Row
from kmap.briefing.projection import Clip
from kmap.briefing.style import PX, dash
from palette import BASE_STYLES, CONTROL_STYLES, ZONE_STYLES, LayerStyle

#: Draw order of the static layers (as the live map's panes), and which toggle shows each.
BASE_ORDER = ("land", "lakes", "rivers")
OUTLINE_ORDER = ("admin", "nakhchivan", "districts", "nkao", "enclaves", "enclave_points")
TOGGLE_OF = {"enclave_points": "enclaves"}


def parts(geoms: Iterable[shapely.Geometry | None]) -> np.ndarray:
    """The simple parts (points, lines, polygons) of geometries, nested collections
    flattened, empty ones left out, in order."""
    out = shapely.get_parts([g for g in geoms if g is not None])
    while (shapely.get_type_id(out) >= 4).any():  # Multi* and GeometryCollection
        out = shapely.get_parts(out)
    return out[~shapely.is_empty(out)]


def _ring_codes(n: int, closed: bool) -> np.ndarray:
    k = np.full(n, Path.LINETO, dtype=np.uint8)
    k[0] = Path.MOVETO
    if closed:
        k[-1] = Path.CLOSEPOLY
    return k


def compound_path(geoms: Iterable[shapely.Geometry | None]) -> tuple[Path | None, bool]:
    """One compound path of all polygons (holes kept) or lines; (path, is_area)."""
    verts: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    area = False
    for part in parts(geoms):
        if part.geom_type == "Polygon":
            area = True
            ccw = orient(part, 1.0)
            for ring in (ccw.exterior, *ccw.interiors):
                c = np.asarray(ring.coords)[:, :2]
                if len(c) >= 4:
                    verts.append(c)
                    codes.append(_ring_codes(len(c), closed=True))
        elif part.geom_type in ("LineString", "LinearRing"):
            c = np.asarray(part.coords)[:, :2]
            if len(c) >= 2:
                verts.append(c)
                codes.append(_ring_codes(len(c), closed=False))
    if not verts:
        return None, area
    return Path(np.concatenate(verts), np.concatenate(codes)), area


def add_path_patch(ax: Any, patch: PathPatch) -> None:
    """ax.add_patch without its Python pass over every curve segment (seconds for the
    rivers and borders): these paths are straight segments in data coordinates, so their
    vertices are their extent."""
    ax.add_artist(patch)
    ax.update_datalim(patch.get_path().vertices)


def draw_area_layer(ax: Any, geoms: list, style: LayerStyle, z: float) -> None:
    """Polygons and lines of a layer as one path; its points as ring symbols."""
    path, area = compound_path(geoms)
    points = [g for g in parts(geoms) if g.geom_type == "Point"]
    color, weight = style.color, style.weight
    if path is not None:
        filled = bool(style.fill) and area
        add_path_patch(
            ax,
            PathPatch(
                path,
                facecolor=to_rgba(style.fill, style.fill_opacity) if filled else "none",
                edgecolor=to_rgba(color, 0.9) if weight > 0 else "none",
                linewidth=weight * PX,
                linestyle=dash(style),
                joinstyle="round",
                capstyle="round",
                zorder=z,
            ),
        )
    if points:
        draw_ring(ax, [p.x for p in points], [p.y for p in points], style, z, 7 * PX * 1.3)


def draw_ring(
    ax: Any, xs: Sequence[float], ys: Sequence[float], style: LayerStyle, z: float, radius_pt: float
) -> None:
    """Ring symbols (one collection for all points of a layer)."""
    ax.scatter(
        xs,
        ys,
        s=(2 * radius_pt) ** 2,
        facecolors=[to_rgba(style.fill or "white", style.fill_opacity)],
        edgecolors=[to_rgba(style.color, 0.9)],
        linewidths=style.weight * PX,
        linestyles=[dash(style)],
        zorder=z,
    )


_BORDERS: dict[int, tuple[dict, shapely.Geometry]] = {}


def borders(land: dict | None) -> shapely.Geometry | None:
    """Land outlines (borders and coasts) without the straight edges where the layer's data
    was cut to the app's region: those are no border and must not be drawn as one.

    Kept per land layer (by identity: the layers are loaded once), as the map and the
    locator both draw them."""
    if not land or not land.get("features"):
        return None
    hit = _BORDERS.get(id(land))
    if hit is not None and hit[0] is land:
        return hit[1]
    polys = [shape(f["geometry"]) for f in land["features"] if f.get("geometry")]
    lines = shapely.union_all([p.boundary for p in polys if not p.is_empty])
    cut = shapely.box(*shapely.union_all(polys).bounds).boundary.buffer(1e-4)
    out = lines.difference(cut)
    if len(_BORDERS) > 8:
        _BORDERS.clear()
    _BORDERS[id(land)] = (land, out)
    return out


def publishers_of(props: dict) -> list[str]:
    """The publishers a feature's sources cite (one name per citation)."""
    return [
        str(s["publisher"])
        for s in props.get("sources") or ()
        if isinstance(s, dict) and s.get("publisher")
    ]


def draw_base(ax: Any, clip: Clip, layers: dict[str, dict]) -> list[str]:
    """The offline basemap (land fill, borders, lakes, rivers); the ids of what was drawn."""
    shown: list[str] = []
    for z, lid in enumerate(BASE_ORDER):
        feats = clip.features(layers.get(lid))
        if not feats:
            continue
        style = BASE_STYLES[lid]
        if lid == "land":  # fill only; the border lines come from borders()
            draw_area_layer(ax, [g for _, g in feats], replace(style, weight=0.0), 1)
            lines = clip.geometry(borders(layers.get("land")))
            if lines is not None:
                draw_area_layer(ax, [lines], BASE_STYLES["borders"], 1.05)
                shown.append("borders")
            continue
        draw_area_layer(ax, [g for _, g in feats], style, 1 + z * 0.1)
        shown.append(lid)
    return shown


def draw_control(ax: Any, clip: Clip, control: dict, publishers: Counter[str]) -> list[Row]:
    """Territorial control in force, one layer per controller; counts its citations."""
    by: dict[str, list] = {}
    for props, g in clip.features(control):
        by.setdefault(str(props.get("controller", "")), []).append(g)
        publishers.update(publishers_of(props))
    rows: list[Row] = []
    for controller, geoms in by.items():
        style = CONTROL_STYLES.get(controller) or LayerStyle(
            controller.replace("_", " ").capitalize() or "Other",
            "fill",
            "#555555",
            "#999999",
            0.2,
            0.8,
        )
        draw_area_layer(ax, geoms, style, 2)
        rows.append(("fill", style, style.label))
    return rows


def draw_zones(ax: Any, clip: Clip, zones: dict, publishers: Counter[str]) -> list[Row]:
    """Zones in force, one layer per kind (a point zone is a disc of its radius_m)."""
    byk: dict[str, list] = {}
    for props, g in clip.features(zones):
        kind = str(props.get("kind", ""))
        if g.geom_type == "Point":
            g = g.buffer(float(props.get("radius_m") or 1500), 48)
        byk.setdefault(kind, []).append(g)
        publishers.update(publishers_of(props))
    rows: list[Row] = []
    for kind, geoms in byk.items():
        style = ZONE_STYLES.get(kind) or LayerStyle(
            kind.replace("_", " ").capitalize() or "Zone", "fill", "#555555"
        )
        draw_area_layer(ax, geoms, style, 3)
        rows.append((style.kind, style, style.label))
    return rows


def draw_outlines(ax: Any, clip: Clip, layers: dict[str, dict], on: frozenset[str]) -> list[str]:
    """Reference outlines (NKAO, districts, enclaves ...) per the user's toggles; ids drawn."""
    shown: list[str] = []
    for lid in OUTLINE_ORDER:
        if TOGGLE_OF.get(lid, lid) not in on:
            continue
        feats = clip.features(layers.get(lid))
        if not feats:
            continue
        draw_area_layer(ax, [g for _, g in feats], BASE_STYLES[lid], 4)
        shown.append(lid)
    return shown


def reference_legend(shown: Iterable[str], towns: bool) -> list[Row]:
    """Legend rows of the reference layers drawn (ids as draw_base/draw_outlines return
    them), and of the town labels if on: rows and order of the shared legend model
    (kmap.legend), swatches in the layer's palette style."""
    ids = ["land" if lid == "borders" else lid for lid in shown]  # kmap.legend: land = border
    return [
        ("town", None, row.label)
        if row.kind == "town"
        else (row.kind, BASE_STYLES["borders" if row.key == "land" else row.key], row.label)
        for row in shared_legend.reference_rows(ids, towns=towns)
    ]
