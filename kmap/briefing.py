"""Briefing exports: a slide-ready PNG and an A4-landscape PDF of the current view and date.

Drawn offline with matplotlib from the same vector layers (kmap.basemap) and the same style
table (palette) as the live map, in a Lambert azimuthal equal-area projection centred on
the view, so distances, the scale bar and the north arrow are true for the drawn map.
See docs/briefing.md.
"""

from __future__ import annotations

import gc
import html
import io
import math
import textwrap
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from matplotlib import patheffects, rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb, to_rgba
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.markers import MarkerStyle
from matplotlib.patches import Circle, FancyBboxPatch, PathPatch, Polygon, Rectangle
from matplotlib.path import Path
from matplotlib.textpath import TextPath
from PIL import Image
from PIL.PngImagePlugin import PngInfo
from pyproj import CRS, Geod, Transformer
from shapely.geometry import shape
from shapely.geometry.polygon import orient

from geo.control import modelled
from kmap.words import date_in_words, date_range_in_words
from palette import (
    BASE_STYLES,
    CONTROL_STYLES,
    EVENT_STYLES,
    PRECISION_LABELS,
    ZONE_STYLES,
    LayerStyle,
)

#: Layer toggles a briefing understands: kmap.builder.TOGGLEABLE plus the dynamic layers.
BASE_TOGGLES: frozenset[str] = frozenset(
    {"admin", "nakhchivan", "districts", "nkao", "enclaves", "labels"}
)
DYNAMIC_LAYERS: frozenset[str] = frozenset({"control", "zones", "events"})
DEFAULT_LAYERS: frozenset[str] = BASE_TOGGLES | DYNAMIC_LAYERS

TOPONYM_MODES = ("both", "armenian", "azerbaijani")
TOPONYM_NOTE = {
    "both": "Place names: Armenian-side / Azerbaijani-side forms",
    "armenian": "Place names: Armenian-side forms",
    "azerbaijani": "Place names: Azerbaijani-side forms",
}

DISCLAIMER = (
    "Boundaries and lines are shown for reference and imply no judgement "
    "on the legal status of any territory."
)
#: Data credits printed on every briefing (kmap.builder.DATA_ATTRIBUTION, in short form).
DATA_CREDITS = (
    "Boundaries, rivers, lakes: Natural Earth (public domain)",
    "Places: GeoNames (CC BY 4.0)",
    "Events & control: karabakh-map contributors, sourced per item",
)

#: Draw order of the static layers (as the live map's panes), and which toggle shows each.
BASE_ORDER = ("land", "lakes", "rivers")
OUTLINE_ORDER = ("admin", "nakhchivan", "districts", "nkao", "enclaves", "enclave_points")
TOGGLE_OF = {"enclave_points": "enclaves"}

#: Points per CSS pixel of the live map: line weights and dashes in palette are CSS px.
PX = 0.6
MAP_BACKGROUND = "#dbe4ea"  # .kmap.leaflet-container background (water / outside land)
INK = "#1f1f1f"
MUTED = "#4d4d4d"
#: The app's region (kmap.builder.REGION_BBOX): the locator map shows at least this.
REGION = (43.0, 38.3, 48.5, 41.8)
EVENT_SIZE_PT = 11.0  # event symbol diameter (the live map's 16 px icon)
#: Many events: symbols shrink (to MIN_EVENT_PT) so that together they cover at most this
#: share of the map, and every event is still drawn; below GLYPH_MIN_PT they carry no letter
#: (colour shows the type, the legend says so).
EVENT_COVER = 0.5
MIN_EVENT_PT = 2.0
GLYPH_MIN_PT = 6.0
#: Overlapping symbols are set on a ring around their spot up to this many; bigger groups
#: on a sunflower disc (radius grows with the square root of the count, not the count).
RING_MAX = 40
PILE_MAX = 0.12  # radius of the biggest sunflower, as a share of the frame's shorter side
PRECISION_ORDER = ("country", "region", "district", "near", "exact")  # drawn bottom to top
#: matplotlib settings for every briefing: embedded TrueType (extractable text), literal $.
_RC = {
    "font.family": "DejaVu Sans",
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "text.parse_math": False,
    "lines.scale_dashes": False,
    "path.simplify": True,
    "agg.path.chunksize": 20000,
}
#: Draw a text as outlines: symbol glyphs stay out of the PDF's extractable text.
AS_PATH = [patheffects.Normal()]


@dataclass(frozen=True)
class BriefingSpec:
    """Everything a briefing shows: the user's view, date, layers and the data in force."""

    title: str
    as_of: date
    event_start: date
    event_end: date
    bbox: tuple[float, float, float, float]  # lon_min, lat_min, lon_max, lat_max
    toponyms: str = "both"
    layers: frozenset[str] = field(default=DEFAULT_LAYERS)
    basemap: str = "offline"
    classification: str | None = None
    events: tuple[dict, ...] = ()
    control: dict | None = None
    zones: dict | None = None
    made_on: date | None = None

    def __post_init__(self) -> None:
        lon0, lat0, lon1, lat1 = self.bbox
        if not (-180 <= lon0 < lon1 <= 180 and -85 <= lat0 < lat1 <= 85):
            raise ValueError(f"bad bbox {self.bbox!r}: want lon_min < lon_max, lat_min < lat_max")
        if self.toponyms not in TOPONYM_MODES:
            raise ValueError(f"unknown toponym mode {self.toponyms!r}")
        if self.event_start > self.event_end:
            raise ValueError("event_start is after event_end")


@dataclass(frozen=True)
class Page:
    """A page format: size in inches, raster resolution, legend panel width."""

    width_in: float
    height_in: float
    dpi: float
    panel_in: float
    title_pt: float


#: 16:9 and 4:3 are the standard slide sizes (13.33x7.5 in, 10x7.5 in) at 2x of
#: 1920x1080 / 1600x1200 CSS pixels; A4 landscape is 297x210 mm.
PAGES: dict[str, Page] = {
    "16:9": Page(3840 / 288, 2160 / 288, 288, 3.15, 22),
    "4:3": Page(3200 / 320, 2400 / 320, 320, 2.8, 20),
    "a4": Page(297 / 25.4, 210 / 25.4, 72, 3.0, 20),
}


# ---------------------------------------------------------------- words


def subtitle(spec: BriefingSpec) -> str:
    """'Situation as of 10 November 2020 · events 27 September – 10 November 2020'."""
    soviet = "" if modelled(spec.as_of) else " (Soviet period: no held areas)"
    return (
        f"Situation as of {date_in_words(spec.as_of)}{soviet} · "
        f"events {date_range_in_words(spec.event_start, spec.event_end)}"
    )


def sources_line(publishers: Iterable[str] | Mapping[str, int], max_chars: int = 160) -> str:
    """'Sources: A, B, C … and N more' within max_chars (most-cited publishers first).

    publishers: one name per citation, or a mapping name -> number of citations.
    """
    counts: Counter[str] = Counter()
    if isinstance(publishers, Mapping):
        for p, c in publishers.items():
            if p and p.strip():
                counts[p.strip()] += int(c)
    else:
        counts.update(p.strip() for p in publishers if p and p.strip())
    names = sorted(counts, key=lambda p: (-counts[p], p.casefold()))
    if not names:
        return ""
    # length of "Sources: " + the first n names joined by ", " (n = 1 .. len(names))
    head = len("Sources: ") - 2
    lengths = []
    for name in names:
        head += len(name) + 2
        lengths.append(head)
    for n in range(len(names), 0, -1):
        more = len(names) - n
        tail = len(f" … and {more} more") if more else 0
        if lengths[n - 1] + tail <= max_chars:
            text = "Sources: " + ", ".join(names[:n])
            return text + (f" … and {more} more" if more else "")
    return f"Sources: {names[0][: max(10, max_chars - 30)]} … and {len(names) - 1} more"


def basemap_note(basemap: str) -> str:
    """What the export's basemap is, naming the tile provider the user had on screen."""
    if basemap == "offline":
        return "Basemap: offline vector"
    provider = basemap
    try:
        from kmap.builder import ONLINE_TILES

        tiles = ONLINE_TILES.get(basemap)
        if tiles is not None:
            provider = f"{tiles.label}, {html.unescape(tiles.attribution)}"
    except ImportError:  # pragma: no cover - builder unavailable: name the key only
        pass
    return f"Basemap: offline vector (online tiles not embedded; on screen: {provider})"


# ---------------------------------------------------------------- projection


@lru_cache(maxsize=32)
def _transformers(lon0: float, lat0: float) -> tuple[Transformer, Transformer]:
    crs = CRS.from_proj4(
        f"+proj=laea +lat_0={lat0:.6f} +lon_0={lon0:.6f} +datum=WGS84 +units=m +no_defs"
    )
    return (
        Transformer.from_crs("EPSG:4326", crs, always_xy=True),
        Transformer.from_crs(crs, "EPSG:4326", always_xy=True),
    )


class Projection:
    """Local Lambert azimuthal equal-area projection centred on a bbox (metres)."""

    def __init__(self, bbox: tuple[float, float, float, float]) -> None:
        self.lon0 = (bbox[0] + bbox[2]) / 2
        self.lat0 = (bbox[1] + bbox[3]) / 2
        self._fwd, self._inv = _transformers(round(self.lon0, 6), round(self.lat0, 6))

    def forward(self, lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
        """lon/lat (degrees) -> x/y (metres)."""
        x, y = self._fwd.transform(np.asarray(lon, float), np.asarray(lat, float))
        return np.asarray(x), np.asarray(y)

    def inverse(self, x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
        """x/y (metres) -> lon/lat (degrees)."""
        lon, lat = self._inv.transform(np.asarray(x, float), np.asarray(y, float))
        return np.asarray(lon), np.asarray(lat)

    def geometry(self, geom: shapely.Geometry) -> shapely.Geometry:
        """A shapely geometry in lon/lat, projected."""
        return shapely.transform(geom, lambda xy: np.column_stack(self.forward(xy[:, 0], xy[:, 1])))


def _bbox_ring(bbox: tuple[float, float, float, float], n: int = 25) -> tuple[np.ndarray, ...]:
    lon0, lat0, lon1, lat1 = bbox
    t = np.linspace(0, 1, n)
    lons = np.concatenate([lon0 + (lon1 - lon0) * t, np.full(n, lon1), lon1 - (lon1 - lon0) * t])
    lats = np.concatenate([np.full(n, lat0), lat0 + (lat1 - lat0) * t, np.full(n, lat1)])
    lons = np.concatenate([lons, np.full(n, lon0)])
    lats = np.concatenate([lats, lat1 - (lat1 - lat0) * t])
    return lons, lats


def map_extent(
    bbox: tuple[float, float, float, float], aspect: float
) -> tuple[float, float, float, float]:
    """Projected extent (x0, x1, y0, y1) holding the whole bbox, widened to width/height=aspect."""
    x, y = Projection(bbox).forward(*_bbox_ring(bbox))
    x0, x1, y0, y1 = float(x.min()), float(x.max()), float(y.min()), float(y.max())
    w, h = x1 - x0, y1 - y0
    if w / h < aspect:
        grow = (h * aspect - w) / 2
        x0, x1 = x0 - grow, x1 + grow
    else:
        grow = (w / aspect - h) / 2
        y0, y1 = y0 - grow, y1 + grow
    return x0, x1, y0, y1


def _nice(value: float) -> float:
    """Largest 1/2/5 x 10^n not above value."""
    if value <= 0:
        raise ValueError("scale bar length must be positive")
    exp = math.floor(math.log10(value))
    for m in (5, 2, 1):
        if m * 10**exp <= value * (1 + 1e-9):
            return float(m * 10**exp)
    return float(10 ** (exp - 1) * 5)  # pragma: no cover


def scale_bar_km(bbox: tuple[float, float, float, float], width_fraction: float = 0.2) -> float:
    """A round scale-bar length (1/2/5 x 10^n km) at most width_fraction of the bbox's
    ground width, measured along its centre latitude."""
    lat = (bbox[1] + bbox[3]) / 2
    _, _, width_m = Geod(ellps="WGS84").inv(bbox[0], lat, bbox[2], lat)
    return _nice(width_m / 1000 * width_fraction)


def scale_bar_lonlat(
    bbox: tuple[float, float, float, float], km: float, aspect: float
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Ends (lon, lat) of the km-long bar as drawn in the lower left of a map of that aspect."""
    (x0, y), (x1, _) = _scale_bar_xy(map_extent(bbox, aspect), km)
    lons, lats = Projection(bbox).inverse([x0, x1], [y, y])
    return (float(lons[0]), float(lats[0])), (float(lons[1]), float(lats[1]))


def _scale_bar_xy(
    extent: tuple[float, float, float, float], km: float
) -> tuple[tuple[float, float], tuple[float, float]]:
    ex0, ex1, ey0, ey1 = extent
    x0 = ex0 + 0.035 * (ex1 - ex0)
    y = ey0 + 0.05 * (ey1 - ey0)
    return (x0, y), (x0 + km * 1000.0, y)


# ---------------------------------------------------------------- data access (patched in tests)


def _static_layers() -> dict[str, dict]:
    from kmap.basemap import static_layers

    return static_layers()


def _labels(mode: str) -> dict:
    from kmap.basemap import labels

    return labels(mode)


# ---------------------------------------------------------------- geometry -> matplotlib


def _parts(geom: shapely.Geometry) -> Iterator[shapely.Geometry]:
    if geom is None or geom.is_empty:
        return
    if geom.geom_type.startswith("Multi") or geom.geom_type == "GeometryCollection":
        for g in geom.geoms:
            yield from _parts(g)
    else:
        yield geom


def _path(geoms: Iterable[shapely.Geometry]) -> tuple[Path | None, bool]:
    """One compound path of all polygons (holes kept) or lines; (path, is_area)."""
    verts: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    area = False
    for geom in geoms:
        for part in _parts(geom):
            if part.geom_type == "Polygon":
                area = True
                rings = [orient(part, 1.0).exterior, *orient(part, 1.0).interiors]
                for ring in rings:
                    c = np.asarray(ring.coords)[:, :2]
                    if len(c) < 4:
                        continue
                    k = np.full(len(c), Path.LINETO, dtype=np.uint8)
                    k[0], k[-1] = Path.MOVETO, Path.CLOSEPOLY
                    verts.append(c)
                    codes.append(k)
            elif part.geom_type in ("LineString", "LinearRing"):
                c = np.asarray(part.coords)[:, :2]
                if len(c) < 2:
                    continue
                k = np.full(len(c), Path.LINETO, dtype=np.uint8)
                k[0] = Path.MOVETO
                verts.append(c)
                codes.append(k)
    if not verts:
        return None, area
    return Path(np.concatenate(verts), np.concatenate(codes)), area


def _dash(style: LayerStyle) -> Any:
    if not style.dash:
        return "solid"
    return (0, tuple(float(v) * PX for v in style.dash.split()))


def _mix(color: str, share: float) -> tuple[float, float, float]:
    """color mixed with white (share = part of color), like CSS color-mix."""
    r, g, b = to_rgb(color)
    return (r * share + 1 - share, g * share + 1 - share, b * share + 1 - share)


class _Clip:
    """Clips lon/lat features to the frame (plus a margin) and projects them."""

    def __init__(self, proj: Projection, extent: tuple[float, float, float, float]) -> None:
        self.proj = proj
        ex0, ex1, ey0, ey1 = extent
        self.extent = extent
        t = np.linspace(0, 1, 16)
        xs = np.concatenate([ex0 + (ex1 - ex0) * t, np.full(16, ex1), ex0 + (ex1 - ex0) * t])
        ys = np.concatenate([np.full(16, ey0), ey0 + (ey1 - ey0) * t, np.full(16, ey1)])
        xs = np.concatenate([xs, np.full(16, ex0)])
        ys = np.concatenate([ys, ey0 + (ey1 - ey0) * t])
        lon, lat = proj.inverse(xs, ys)
        self.frame_lonlat = (float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max()))
        m = 0.25
        self.lonlat = (lon.min() - m, lat.min() - m, lon.max() + m, lat.max() + m)
        self.frame = shapely.box(ex0, ey0, ex1, ey1)

    def geometry(self, g: shapely.Geometry | None) -> shapely.Geometry | None:
        """A lon/lat geometry clipped near the frame and projected (None if nothing left)."""
        if g is None or g.is_empty:
            return None
        if g.geom_type != "Point":
            g = shapely.clip_by_rect(g, *self.lonlat)
            if g.is_empty:
                return None
        g = self.proj.geometry(g)
        return g if g.intersects(self.frame) else None

    def features(self, fc: dict | None) -> list[tuple[dict, shapely.Geometry]]:
        """(properties, projected geometry) of the features that reach into the frame."""
        out = []
        for f in (fc or {}).get("features", []):
            if not f.get("geometry"):
                continue
            try:
                g = shape(f["geometry"])
            except (ValueError, TypeError, KeyError, AttributeError):
                continue
            g = self.geometry(g)
            if g is not None:
                out.append((f.get("properties") or {}, g))
        return out


_BORDERS: dict[int, tuple[dict, shapely.Geometry]] = {}


def _borders(land: dict | None) -> shapely.Geometry | None:
    """Land outlines (borders and coasts) without the straight edges where the layer's data
    was cut to the app's region: those are no border and must not be drawn as one."""
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


# ---------------------------------------------------------------- drawing


def _add_path_patch(ax: Any, patch: PathPatch) -> None:
    """ax.add_patch without its Python pass over every curve segment (seconds for the
    rivers and borders): these paths are straight segments in data coordinates, so their
    vertices are their extent."""
    ax.add_artist(patch)
    ax.update_datalim(patch.get_path().vertices)


def _draw_area_layer(ax: Any, geoms: list, style: LayerStyle, z: float) -> None:
    path, area = _path(geoms)
    points = [g for geom in geoms for g in _parts(geom) if g.geom_type == "Point"]
    color, weight = style.color, style.weight
    if path is not None:
        filled = bool(style.fill) and area
        _add_path_patch(
            ax,
            PathPatch(
                path,
                facecolor=to_rgba(style.fill, style.fill_opacity) if filled else "none",
                edgecolor=to_rgba(color, 0.9) if weight > 0 else "none",
                linewidth=weight * PX,
                linestyle=_dash(style),
                joinstyle="round",
                capstyle="round",
                zorder=z,
            ),
        )
    if points:
        _draw_ring(ax, [p.x for p in points], [p.y for p in points], style, z, 7 * PX * 1.3)


def _draw_ring(
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
        linestyles=[_dash(style)],
        zorder=z,
    )


def _event_symbol(
    ax: Any,
    xs: Sequence[float],
    ys: Sequence[float],
    color: str,
    glyph: str,
    precision: str,
    size: float,
    z: float,
) -> None:
    """Draw event symbols as in the live map (.kmap-ev-*): solid, pale dashed or hollow.

    Two or three collections for any number of symbols. Symbols smaller than GLYPH_MIN_PT
    (many events) carry no letter and no dashes: both are unreadable at that size, and
    solid rims draw many times faster; pale or hollow still shows the precision.
    """
    s = size**2
    rim = max(1.6 * size / EVENT_SIZE_PT, 0.35)
    dashed: Any = (0, (2.2, 1.4)) if size >= GLYPH_MIN_PT else "solid"
    if precision in ("district", "region", "country"):
        ax.scatter(
            xs,
            ys,
            s=s,
            facecolors=[(1, 1, 1, 0.8)],
            edgecolors=[color],
            linewidths=rim,
            linestyles=[dashed],
            zorder=z,
        )
        text_color = color
    else:
        face = color if precision == "exact" else _mix(color, 0.55)
        ax.scatter(xs, ys, s=(size + 2 * rim) ** 2, facecolors=[color], linewidths=0, zorder=z)
        ax.scatter(
            xs,
            ys,
            s=s,
            facecolors=[face],
            edgecolors=["white"],
            linewidths=rim,
            linestyles=["solid" if precision == "exact" else dashed],
            zorder=z + 0.01,
        )
        text_color = "white"
    if glyph and size >= GLYPH_MIN_PT:
        marker, area = _glyph_marker(glyph, round(size * 0.56, 3), float(ax.figure.dpi))
        ax.scatter(
            xs,
            ys,
            s=area,
            marker=marker,
            facecolors=[text_color],
            edgecolors="none",
            linewidths=0,
            zorder=z + 0.02,
        )


@lru_cache(maxsize=256)
def _glyph_marker(glyph: str, fontsize: float, dpi: float) -> tuple[MarkerStyle, float]:
    """A letter as a scatter marker (bold, centred like text with ha='center' and
    va='center_baseline') and the scatter size that keeps it at fontsize points."""
    prop = FontProperties(family=_RC["font.family"], weight="bold", size=fontsize)
    fig = Figure(dpi=dpi)
    renderer = FigureCanvasAgg(fig).get_renderer()
    on_base = fig.text(0, 0, glyph, fontproperties=prop, ha="center", va="baseline")
    centred = fig.text(0, 0, glyph, fontproperties=prop, ha="center", va="center_baseline")
    b0, b1 = on_base.get_window_extent(renderer), centred.get_window_extent(renderer)
    to_pt = 72.0 / dpi
    path = TextPath((b1.x0 * to_pt, (b1.y0 - b0.y0) * to_pt), glyph, size=fontsize, prop=prop)
    # MarkerStyle scales a path so that its largest |coordinate| is 0.5 (x sqrt(s) points)
    reach = float(np.max(np.abs(path.vertices))) if len(path.vertices) else 0.5
    return MarkerStyle(path), (2 * reach) ** 2


@dataclass
class _Legend:
    """Legend sections in drawing order: (title, rows); row = (kind, payload, label)."""

    sections: list[tuple[str, list[tuple[str, Any, str]]]] = field(default_factory=list)

    def add(self, title: str, rows: list[tuple[str, Any, str]]) -> None:
        if rows:
            self.sections.append((title, rows))

    def labels(self) -> list[str]:
        """Every row label (for tests and the PDF text)."""
        return [label for _, rows in self.sections for _, _, label in rows]


def _draw_map(ax: Any, spec: BriefingSpec, extent: tuple, legend: _Legend) -> dict[str, Any]:
    """Draw all layers on ax; fill legend; return what was shown (publishers, counts)."""
    proj = Projection(spec.bbox)
    clip = _Clip(proj, extent)
    layers = _static_layers()
    shown_ref: list[str] = []

    # Base map: always the offline vector layers (land, lakes, rivers).
    for z, lid in enumerate(BASE_ORDER):
        feats = clip.features(layers.get(lid))
        if not feats:
            continue
        style = BASE_STYLES[lid]
        if lid == "land":  # fill only; the border lines come from _borders
            _draw_area_layer(ax, [g for _, g in feats], replace(style, weight=0.0), 1)
            borders = clip.geometry(_borders(layers.get("land")))
            if borders is not None:
                _draw_area_layer(ax, [borders], BASE_STYLES["borders"], 1.05)
                shown_ref.append("borders")
            continue
        _draw_area_layer(ax, [g for _, g in feats], style, 1 + z * 0.1)
        shown_ref.append(lid)

    publishers: Counter[str] = Counter()

    # Territorial control (kmapAreas) then zones (kmapZones).
    control_rows: list[tuple[str, Any, str]] = []
    if "control" in spec.layers and spec.control:
        by: dict[str, list] = {}
        for props, g in clip.features(spec.control):
            by.setdefault(str(props.get("controller", "")), []).append(g)
            publishers.update(_publishers(props))
        for controller, geoms in by.items():
            style = CONTROL_STYLES.get(controller) or LayerStyle(
                controller.replace("_", " ").capitalize() or "Other",
                "fill",
                "#555555",
                "#999999",
                0.2,
                0.8,
            )
            _draw_area_layer(ax, geoms, style, 2)
            control_rows.append(("fill", style, style.label))
    zone_rows: list[tuple[str, Any, str]] = []
    if "zones" in spec.layers and spec.zones:
        byk: dict[str, list] = {}
        for props, g in clip.features(spec.zones):
            kind = str(props.get("kind", ""))
            if g.geom_type == "Point":
                g = g.buffer(float(props.get("radius_m") or 1500), 48)
            byk.setdefault(kind, []).append(g)
            publishers.update(_publishers(props))
        for kind, geoms in byk.items():
            style = ZONE_STYLES.get(kind) or LayerStyle(
                kind.replace("_", " ").capitalize() or "Zone", "fill", "#555555"
            )
            _draw_area_layer(ax, geoms, style, 3)
            zone_rows.append((style.kind, style, style.label))

    # Reference outlines (kmapOutlines), per the user's toggles.
    for lid in OUTLINE_ORDER:
        if TOGGLE_OF.get(lid, lid) not in spec.layers:
            continue
        feats = clip.features(layers.get(lid))
        if not feats:
            continue
        _draw_area_layer(ax, [g for _, g in feats], BASE_STYLES[lid], 4)
        shown_ref.append(lid)

    # Events (kmapEvents): only those inside the frame, every one drawn.
    event_rows: list[tuple[str, Any, str]] = []
    n_events = 0
    symbols = np.empty((0, 2))
    size = EVENT_SIZE_PT
    if "events" in spec.layers and spec.events:
        ev = _events_in_frame(spec.events, proj, extent)
        publishers.update(ev.publishers)
        n_events = len(ev.xy)
        size = _event_size(ax, n_events)
        spread = _spread(ax, ev.xy, size)
        xy = symbols = spread.xy
        k = size / EVENT_SIZE_PT
        # on a ring: a leader line from each symbol to its true place, marked by a dot;
        # on a pile (sunflower disc): a dot over the pile's centre, no leaders
        moved = np.any(xy != ev.xy, axis=1) & ~spread.in_pile
        if len(spread.piles):
            ax.plot(
                spread.piles[:, 0],
                spread.piles[:, 1],
                "o",
                linestyle="none",
                ms=max(3.4 * k, 2.4),
                color="#333333",
                mec="white",
                mew=0.5,
                zorder=8.5,
            )
        if moved.any():
            leaders = np.stack([ev.xy[moved], xy[moved]], axis=1).reshape(-1, 2)
            codes = np.tile(np.array([Path.MOVETO, Path.LINETO], np.uint8), int(moved.sum()))
            ax.add_artist(  # not add_patch: no data-limit pass over every segment
                PathPatch(
                    Path(leaders, codes),
                    facecolor="none",
                    edgecolor="#333333",
                    linewidth=max(0.4 * k, 0.15),
                    zorder=4.9,
                )
            )
            spots = np.unique(ev.xy[moved], axis=0)
            ax.plot(
                spots[:, 0],
                spots[:, 1],
                "o",
                linestyle="none",
                ms=max(1.8 * k, 0.6),
                color="#333333",
                zorder=4.9,
            )
        # one set of collections per (type, precision); groups in order of first appearance
        order = np.argsort(ev.group, kind="stable")
        bounds = np.searchsorted(ev.group[order], np.arange(len(ev.groups) + 1))
        drawn = sorted(range(len(ev.groups)), key=lambda g: PRECISION_ORDER.index(ev.groups[g][1]))
        for g in drawn:
            etype, prec = ev.groups[g]
            sel = order[bounds[g] : bounds[g + 1]]
            st = EVENT_STYLES.get(etype)
            color, glyph = (st.color, st.glyph) if st else ("#444444", "?")
            z = 5 + PRECISION_ORDER.index(prec)
            _event_symbol(ax, xy[sel, 0], xy[sel, 1], color, glyph, prec, size, z)
        types: Counter[str] = Counter()
        precisions: set[str] = set()
        for (etype, prec), count in zip(
            ev.groups, np.bincount(ev.group, minlength=len(ev.groups)), strict=True
        ):
            types[etype] += int(count)
            precisions.add(prec)
        for etype in [t for t in EVENT_STYLES if t in types] + sorted(
            t for t in types if t not in EVENT_STYLES
        ):
            st = EVENT_STYLES.get(etype)
            label = st.label if st else (etype.replace("_", " ").capitalize() or "Other")
            color, glyph = (st.color, st.glyph) if st else ("#444444", "?")
            event_rows.append(("event", (color, glyph, "exact"), f"{label} ({types[etype]:,})"))
        if len(precisions - {"exact"}) > 0:
            for prec in ("exact", "near", "district", "region", "country"):
                if prec in precisions:
                    event_rows.append(("event", ("#555555", "", prec), PRECISION_LABELS[prec]))
        if len(spread.piles):
            n_piles = len(spread.piles)
            event_rows.append(
                (
                    "note",
                    None,
                    f"{n_piles:,} place{'s' if n_piles > 1 else ''} with over {RING_MAX} events:"
                    " symbols packed in a disc around the place (dark dot)",
                )
            )
        for name, count in sorted(ev.files.items()):  # uploaded events say so on the slide
            event_rows.append(
                ("note", None, f"{count:,} from the user's file {name} (not reviewed)")
            )
        if size < EVENT_SIZE_PT:
            note = f"Symbols drawn small to show all {n_events:,} events"
            if size < GLYPH_MIN_PT:
                note += " (no letters or dashes; colour shows the type)"
            event_rows.append(("note", None, note))

    if event_rows:
        legend.add(f"Events ({n_events:,} shown)", event_rows)
    legend.add("Territorial control", control_rows)
    legend.add("Zones", zone_rows)
    ref_rows = [
        (BASE_STYLES[lid].kind, BASE_STYLES[lid], BASE_STYLES[lid].label) for lid in shown_ref
    ]
    if "labels" in spec.layers:
        ref_rows.append(("town", None, "Town / city"))
    legend.add("Reference", ref_rows)

    if "labels" in spec.layers:
        _draw_labels(ax, clip, spec.toponyms, symbols, size)
    return {"publishers": publishers, "events": n_events}


@dataclass
class _Events:
    """Events inside the frame: projected points, (type, precision) group of each, citations."""

    xy: np.ndarray  # (n, 2) projected metres, in spec order
    group: np.ndarray  # (n,) index into groups
    groups: list[tuple[str, str]]  # (type, precision), in order of first appearance
    publishers: Counter[str]
    files: Counter[str] = field(default_factory=Counter)  # uploaded file -> events shown


def _events_in_frame(events: Iterable[Any], proj: Projection, extent: tuple) -> _Events:
    """The point events strictly inside the frame, projected in one call (GeoJSON features)."""
    lons: list[float] = []
    lats: list[float] = []
    props_of: list[dict] = []
    for f in events:
        try:
            geom = f.get("geometry")
            if not geom or geom.get("type") != "Point":
                continue
            c = geom["coordinates"]
            lon, lat = float(c[0]), float(c[1])
        except (AttributeError, TypeError, ValueError, KeyError, IndexError):
            continue
        props = f.get("properties")
        lons.append(lon)
        lats.append(lat)
        props_of.append(props if isinstance(props, dict) else {})
    ex0, ex1, ey0, ey1 = extent
    if lons:
        with np.errstate(invalid="ignore"):
            x, y = proj.forward(np.asarray(lons), np.asarray(lats))
            inside = np.isfinite(x) & np.isfinite(y) & (ex0 < x) & (x < ex1) & (ey0 < y) & (y < ey1)
    else:
        x = y = np.empty(0)
        inside = np.zeros(0, bool)
    keep = np.flatnonzero(inside)
    index: dict[tuple[str, str], int] = {}
    group = []
    cited: list[str] = []
    files: Counter[str] = Counter()
    known = PRECISION_LABELS.keys()
    for i in keep.tolist():
        props = props_of[i]
        if props.get("from_file"):
            files[str(props["from_file"])] += 1
        prec = str(props.get("geo_precision") or "exact")
        key = (str(props.get("type", "")), prec if prec in known else "exact")
        g = index.get(key)
        if g is None:
            g = index[key] = len(index)
        group.append(g)
        for src in props.get("sources") or ():  # inline _publishers: 100,000s of calls
            if isinstance(src, dict):
                name = src.get("publisher")
                if name:
                    cited.append(str(name))
    return _Events(
        np.column_stack([x[keep], y[keep]]),
        np.asarray(group, np.intp),
        list(index),
        Counter(cited),
        files,
    )


def _event_size(ax: Any, n: int) -> float:
    """Symbol diameter (points): full size unless n symbols would cover more than
    EVENT_COVER of the map; then smaller (never below MIN_EVENT_PT), so all still show."""
    box = ax.get_window_extent()
    area = box.width * box.height * (72.0 / ax.figure.dpi) ** 2
    if n * EVENT_SIZE_PT**2 <= EVENT_COVER * area:
        return EVENT_SIZE_PT
    return max(MIN_EVENT_PT, math.sqrt(EVENT_COVER * area / n))


@dataclass
class _Spread:
    """Where the symbols go: xy (data), in_pile (on a sunflower disc), piles (disc centres)."""

    xy: np.ndarray
    in_pile: np.ndarray
    piles: np.ndarray


def _spread(ax: Any, points: np.ndarray, size_pt: float) -> _Spread:
    """Symbols that would hide each other (closer than half a symbol) are set on a small
    ring around their shared spot, the static form of the live map's spiderfied clusters;
    groups of more than RING_MAX on a sunflower disc around it (a pile). Displaced symbols
    stay in the frame.

    Greedy in event order: each event not yet placed takes all unplaced ones within half a
    symbol of it. Vectorised (a grid of neighbour pairs), so it scales to 100,000s of events.
    """
    points = np.asarray(points, float).reshape(-1, 2)
    n = len(points)
    unmoved = _Spread(points.copy(), np.zeros(n, bool), np.empty((0, 2)))
    if n < 2:
        return unmoved
    px = ax.transData.transform(points)
    d = size_pt * ax.figure.dpi / 72
    seed = _clusters(px, 0.5 * d)
    order = np.lexsort((np.arange(n), seed))  # by cluster, members in event order
    lab = seed[order]
    starts = np.flatnonzero(np.r_[True, lab[1:] != lab[:-1]])
    counts = np.diff(np.r_[starts, n])
    grp = np.repeat(np.arange(len(starts)), counts)
    rank = np.arange(n) - starts[grp]
    m = counts[grp]
    multi = m >= 2
    if not multi.any():
        return unmoved
    centre = np.column_stack(
        [np.bincount(grp, px[order, 0]) / counts, np.bincount(grp, px[order, 1]) / counts]
    )[grp]
    frame = ax.get_window_extent()
    ring = m <= RING_MAX
    # sunflower: neighbours ~3/4 of a symbol apart (a compact pile, each symbol partly
    # visible); a huge pile stays within a disc of PILE_MAX of the frame (more overlap)
    step = np.minimum(0.4 * d, PILE_MAX * min(frame.width, frame.height) / np.sqrt(m))
    radius = np.where(
        ring, d * np.maximum(0.75, 1.1 * m / (2 * math.pi)), step * np.sqrt(rank + 0.5)
    )
    angle = np.where(
        ring, math.pi / 2 - 2 * math.pi * rank / m, math.pi / 2 - rank * math.pi * (3 - 5**0.5)
    )
    pos = centre + radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    half = min(d / 2, frame.width / 2, frame.height / 2)
    pos[:, 0] = np.clip(pos[:, 0], frame.x0 + half, frame.x1 - half)
    pos[:, 1] = np.clip(pos[:, 1], frame.y0 + half, frame.y1 - half)
    to_data = ax.transData.inverted()
    out = points.copy()
    out[order[multi]] = to_data.transform(pos[multi])
    in_pile = np.zeros(n, bool)
    in_pile[order[~ring]] = True
    piles = np.unique(centre[~ring], axis=0)
    return _Spread(out, in_pile, to_data.transform(piles) if len(piles) else np.empty((0, 2)))


#: Above this many candidate pairs (a huge pile of distinct points in one spot), overlapping
#: symbols are grouped by grid cell instead of pair by pair (bounded memory).
PAIR_CAP = 4_000_000


def _clusters(px: np.ndarray, r: float) -> np.ndarray:
    """Greedy grouping (see _spread): for each point, the index of its group's first point."""
    n = len(px)
    if not n:
        return np.empty(0, np.intp)
    # identical positions: sort by x, y, then event order (np.unique(axis=0) is slower)
    by_pos = np.lexsort((np.arange(n), px[:, 1], px[:, 0]))
    sp = px[by_pos]
    new = np.r_[True, np.any(sp[1:] != sp[:-1], axis=1)]
    uniq, first = sp[new], by_pos[new]  # first: the earliest event at each position
    inv = np.empty(n, np.intp)
    inv[by_pos] = np.cumsum(new) - 1
    u = len(uniq)
    seed_u = np.arange(u)
    if u >= 2 and r > 0:
        scan = np.argsort(first, kind="stable")  # unique points in event order
        upx = uniq[scan]
        cell = np.floor((upx - upx.min(axis=0)) / r).astype(np.int64)
        width = int(cell[:, 0].max()) + 3
        key = cell[:, 1] * width + cell[:, 0]
        by = np.argsort(key, kind="stable")
        keys, start, cnt = np.unique(key[by], return_index=True, return_counts=True)
        pairs = _cell_pairs(keys, start, cnt, by, width)
        if pairs is None:  # pathological pile-up: one group per grid cell
            cell_of = np.searchsorted(keys, key)
            first_in_cell = np.full(len(keys), u)
            np.minimum.at(first_in_cell, cell_of, np.arange(u))
            seed_scan = first_in_cell[cell_of]
        else:
            a, b = pairs
            close = np.hypot(*(upx[a] - upx[b]).T) < r
            a, b = a[close], b[close]
            seed_scan = _greedy(u, np.concatenate([a, b]), np.concatenate([b, a]))
        seed_u = np.empty(u, np.intp)
        seed_u[scan] = scan[seed_scan]
    return first[seed_u][inv]


def _cell_pairs(
    keys: np.ndarray, start: np.ndarray, cnt: np.ndarray, by: np.ndarray, width: int
) -> tuple[np.ndarray, np.ndarray] | None:
    """All pairs (i, j) of points in the same or neighbouring grid cells (each pair once);
    None if there would be more than PAIR_CAP."""
    out_a, out_b, total = [], [], 0
    for dx, dy in ((0, 0), (1, 0), (-1, 1), (0, 1), (1, 1)):
        want = keys + dy * width + dx
        pos = np.minimum(np.searchsorted(keys, want), len(keys) - 1)
        ca = np.flatnonzero(keys[pos] == want)
        cb = pos[ca]
        na, nb = cnt[ca], cnt[cb]
        tot = na * nb
        total += int(tot.sum())
        if total > PAIR_CAP:
            return None
        which = np.repeat(np.arange(len(ca)), tot)
        within = np.arange(int(tot.sum())) - np.repeat(np.cumsum(tot) - tot, tot)
        ia = by[start[ca][which] + within // nb[which]]
        ib = by[start[cb][which] + within % nb[which]]
        if (dx, dy) == (0, 0):
            keep = ia < ib
            ia, ib = ia[keep], ib[keep]
        out_a.append(ia)
        out_b.append(ib)
    return np.concatenate(out_a), np.concatenate(out_b)


def _greedy(n: int, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Seed of each point: in index order, each point not yet taken takes its untaken
    neighbours (src -> dst, both directions listed)."""
    seed = np.arange(n)
    if not len(src):
        return seed
    order = np.argsort(src, kind="stable")
    src, dst = src[order], dst[order]
    indptr = np.searchsorted(src, np.arange(n + 1)).tolist()
    nbrs = dst.tolist()
    taken = bytearray(n)
    for i in np.unique(src).tolist():
        if taken[i]:
            continue
        taken[i] = 1
        for j in nbrs[indptr[i] : indptr[i + 1]]:
            if not taken[j]:
                taken[j] = 1
                seed[j] = i
    return seed


def _publishers(props: dict) -> list[str]:
    out = []
    for s in props.get("sources") or ():
        if isinstance(s, dict) and s.get("publisher"):
            out.append(str(s["publisher"]))
    return out


LABEL_STYLE = {
    "country": {"fontsize": 9.5, "fontweight": "bold", "color": "#6b6b6b", "ha": "center"},
    "area": {"fontsize": 8.0, "fontstyle": "italic", "color": "#4a3b66", "ha": "center"},
    "capital": {"fontsize": 8.6, "fontweight": "bold", "color": "#1a1a1a", "ha": "left"},
    "place": {"fontsize": 7.6, "color": "#222222", "ha": "left"},
}


def _draw_labels(
    ax: Any,
    clip: _Clip,
    mode: str,
    symbols: Sequence[tuple[float, float]] | np.ndarray = (),
    symbol_pt: float = EVENT_SIZE_PT,
) -> None:
    """Town and area labels with a white halo; capitals first, then areas, then towns.

    A town label goes right of its dot, or left when that collides or leaves the frame;
    a label that fits nowhere is left out (the live map does the same by zoom level).
    Event symbols (data x/y) are soft obstacles: a side clear of them is preferred.
    """
    feats = [(p, g) for p, g in clip.features(_labels(mode)) if g.geom_type == "Point"]
    order = {"capital": 0, "country": 1, "area": 2, "place": 3}
    feats.sort(key=lambda pg: order.get(str(pg[0].get("kind")), 4))
    scale = ax.figure.dpi / 72
    frame = ax.get_window_extent()
    placed: list[tuple[float, float, float, float]] = []
    halo = [patheffects.Stroke(linewidth=2.2, foreground="white")]

    r = symbol_pt / 2 * scale
    sym = np.asarray(symbols, float).reshape(-1, 2)
    sym = ax.transData.transform(sym) if len(sym) else sym
    sym = sym[np.argsort(sym[:, 0], kind="stable")]  # by x: a box looks at a slice only

    def hits_symbol(b: tuple[float, float, float, float]) -> bool:
        lo = np.searchsorted(sym[:, 0], b[0] - r, side="right")
        hi = np.searchsorted(sym[:, 0], b[2] + r, side="left")
        ys = sym[lo:hi, 1]
        return bool(np.any((b[1] < ys + r) & (ys - r < b[3])))

    def hits(b: tuple[float, float, float, float], boxes: list) -> bool:
        return any(b[0] < o[2] and o[0] < b[2] and b[1] < o[3] and o[1] < b[3] for o in boxes)

    def free(b: tuple[float, float, float, float]) -> bool:
        inside = frame.x0 <= b[0] and b[2] <= frame.x1 and frame.y0 <= b[1] and b[3] <= frame.y1
        return inside and not hits(b, placed)

    for props, g in feats:
        text = str(props.get("text") or "")
        if not text or not clip.frame.contains(g):
            continue
        kind = str(props.get("kind") or "place")
        st = dict(LABEL_STYLE.get(kind, LABEL_STYLE["place"]))
        if kind == "country":
            text = text.upper()
        px, py = ax.transData.transform((g.x, g.y))
        w = len(text) * st["fontsize"] * 0.56 * scale
        h = st["fontsize"] * 1.2 * scale
        off = 3 * scale
        if st["ha"] == "center":
            options = [("center", (px - w / 2, py - h / 2, px + w / 2, py + h / 2))]
        else:
            options = [
                ("left", (px - 2 * scale, py - 2 * scale, px + off + w, py + h)),
                ("right", (px - off - w, py - 2 * scale, px + 2 * scale, py + h)),
            ]
        options.sort(key=lambda o: hits_symbol(o[1]))  # stable: right before left
        choice = next(((ha, b) for ha, b in options if free(b)), None)
        if choice is None:
            continue
        ha, box = choice
        placed.append(box)
        st["ha"] = ha
        if ha == "center":
            for effects, z in ((halo, 9), (None, 9.1)):
                ax.text(
                    g.x, g.y, text, va="center", path_effects=effects, zorder=z, clip_on=True, **st
                )
            continue
        ax.plot(
            [g.x],
            [g.y],
            "o",
            ms=3.4 if kind == "capital" else 2.6,
            color="#333333",
            mec="white",
            mew=0.5,
            zorder=8,
        )
        dx = 3 if ha == "left" else -3
        for effects, z in ((halo, 9), (None, 9.1)):
            ax.annotate(
                text,
                (g.x, g.y),
                xytext=(dx, 1.5),
                textcoords="offset points",
                va="bottom",
                path_effects=effects,
                zorder=z,
                annotation_clip=True,
                **st,
            )


def _north_arrow(ax: Any, proj: Projection, extent: tuple) -> None:
    """A north arrow in the upper right, pointing to true north at that spot."""
    ex0, ex1, ey0, ey1 = extent
    w, h = ex1 - ex0, ey1 - ey0
    span = min(w, h)
    cx, cy = ex1 - 0.045 * span - 0.01 * w, ey1 - 0.085 * span
    lon, lat = proj.inverse([cx], [cy])
    nx, ny = proj.forward(lon, lat + 0.05)
    ang = math.atan2(float(nx[0]) - cx, float(ny[0]) - cy)  # clockwise from up
    r = 0.032 * span

    def rot(dx: float, dy: float) -> tuple[float, float]:
        c, s = math.cos(-ang), math.sin(-ang)
        return cx + dx * c - dy * s, cy + dx * s + dy * c

    ax.add_patch(
        Circle(
            (cx, cy),
            r * 1.55,
            facecolor=(1, 1, 1, 0.85),
            edgecolor="#777777",
            linewidth=0.5,
            zorder=10,
        )
    )
    left = [rot(0, r), rot(-0.42 * r, -0.75 * r), rot(0, -0.4 * r)]
    right = [rot(0, r), rot(0.42 * r, -0.75 * r), rot(0, -0.4 * r)]
    ax.add_patch(Polygon(left, closed=True, facecolor=INK, edgecolor=INK, lw=0.6, zorder=11))
    ax.add_patch(Polygon(right, closed=True, facecolor="white", edgecolor=INK, lw=0.6, zorder=11))
    tx, ty = rot(0, r * 1.22)
    ax.text(
        tx, ty, "N", ha="center", va="bottom", fontsize=8.5, fontweight="bold", color=INK, zorder=11
    )


def _scale_bar(ax: Any, extent: tuple, km: float) -> None:
    """Two-segment black/white bar, labelled 0 · km/2 · km km (gid 'scalebar')."""
    (x0, y), (x1, _) = _scale_bar_xy(extent, km)
    ex0, ex1, ey0, ey1 = extent
    h = 0.011 * (ey1 - ey0)
    pad_x, pad_y = 0.012 * (ex1 - ex0), 0.012 * (ey1 - ey0)
    ax.add_patch(
        FancyBboxPatch(
            (x0 - pad_x, y - pad_y),
            (x1 - x0) + 2.6 * pad_x + 0.05 * (ex1 - ex0),
            h + 4.4 * pad_y,
            boxstyle="round,pad=0,rounding_size=" + str(0.006 * (ex1 - ex0)),
            facecolor=(1, 1, 1, 0.85),
            edgecolor="#888888",
            linewidth=0.4,
            zorder=10,
        )
    )
    half = (x1 - x0) / 2
    ax.add_patch(Rectangle((x0, y), half, h, facecolor=INK, edgecolor=INK, lw=0.6, zorder=11))
    ax.add_patch(
        Rectangle((x0 + half, y), half, h, facecolor="white", edgecolor=INK, lw=0.6, zorder=11)
    )
    ax.add_patch(
        Rectangle((x0, y), x1 - x0, h, fill=False, edgecolor=INK, lw=0.6, zorder=11, gid="scalebar")
    )
    for xx, t in ((x0, "0"), (x0 + half, f"{km / 2:g}"), (x1, f"{km:g} km")):
        ax.text(
            xx, y + h + 0.6 * pad_y, t, ha="center", va="bottom", fontsize=7.5, color=INK, zorder=11
        )


def _graticule(ax: Any, proj: Projection, clip: _Clip, extent: tuple) -> None:
    """Faint meridians and parallels with degree labels outside the frame edges."""
    f0, g0, f1, g1 = clip.frame_lonlat
    span = max(f1 - f0, g1 - g0)
    steps = (0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0)
    step = next((s for s in steps if span / s <= 8), 30.0)
    lon0, lat0, lon1, lat1 = f0 - step, g0 - step, f1 + step, g1 + step
    ex0, ex1, ey0, ey1 = extent
    lons = np.arange(math.ceil(lon0 / step) * step, lon1, step)
    lats = np.arange(math.ceil(lat0 / step) * step, lat1, step)
    t = np.linspace(0, 1, 60)
    kw = {"color": "#7d8c99", "lw": 0.35, "alpha": 0.55, "zorder": 1.5}
    for lon in lons:
        x, y = proj.forward(np.full_like(t, lon), lat0 + (lat1 - lat0) * t)
        ax.plot(x, y, **kw)
        xb = float(np.interp(ey0, y, x))
        if ex0 + 0.02 * (ex1 - ex0) < xb < ex1 - 0.02 * (ex1 - ex0):
            ax.annotate(
                f"{lon:g}°E",
                (xb, ey0),
                xytext=(0, -2),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize=6.5,
                color=MUTED,
                annotation_clip=False,
            )
    for lat in lats:
        x, y = proj.forward(lon0 + (lon1 - lon0) * t, np.full_like(t, lat))
        ax.plot(x, y, **kw)
        yl = float(np.interp(ex0, x, y))
        if ey0 + 0.03 * (ey1 - ey0) < yl < ey1 - 0.03 * (ey1 - ey0):
            ax.annotate(
                f"{lat:g}°N",
                (ex0, yl),
                xytext=(-2, 0),
                textcoords="offset points",
                ha="right",
                va="center",
                fontsize=6.5,
                color=MUTED,
                rotation=90,
                annotation_clip=False,
            )


# ---------------------------------------------------------------- page layout


def _fit_text(fig: Figure, t: Any, max_width_px: float, min_size: float) -> None:
    """Shrink a text artist until it fits max_width_px (then clip by ellipsis)."""
    renderer = fig.canvas.get_renderer()
    size = t.get_fontsize()
    while t.get_window_extent(renderer).width > max_width_px and size > min_size:
        size -= 0.5
        t.set_fontsize(size)
    text = t.get_text()
    while t.get_window_extent(renderer).width > max_width_px and len(text) > 10:
        text = text[:-2]
        t.set_text(text.rstrip() + "…")


def _panel_axes(fig: Figure, box: tuple[float, float, float, float]) -> Any:
    """Axes at box (left, bottom, width, height, inches) with point coordinates, no axis."""
    left, bottom, width, height = box
    fw, fh = fig.get_figwidth(), fig.get_figheight()
    ax = fig.add_axes((left / fw, bottom / fh, width / fw, height / fh))
    ax.set_xlim(0, width * 72)
    ax.set_ylim(0, height * 72)
    ax.axis("off")
    return ax


def _draw_legend(fig: Figure, legend: _Legend, box: tuple[float, float, float, float]) -> float:
    """Draw the legend panel at the top of box (left, bottom, width, height, inches).

    Fonts shrink (to 64 %) until every row fits; returns the height used, in inches.
    """
    _, _, width, height = box
    ax = _panel_axes(fig, box)
    pad = 8.0
    sw = 20.0  # swatch width, pt
    text_w = width * 72 - 2 * pad - sw - 6
    for scale in (1.0, 0.94, 0.88, 0.82, 0.76, 0.7, 0.64):
        fs = 8.2 * scale
        chars = max(12, int(text_w / (fs * 0.55)))
        wrapped = [
            (title, [(k, p, textwrap.wrap(label, chars)) for k, p, label in rows])
            for title, rows in legend.sections
        ]
        need = 13 * scale + 6 + 2 * pad
        for _, rows in wrapped:
            need += fs * 1.9
            need += sum(fs * 1.22 * len(lines) + fs * 0.55 for _, _, lines in rows)
        if need <= height * 72:
            break
    y = height * 72 - pad
    ax.text(pad, y, "Legend", fontsize=11 * scale, fontweight="bold", va="top", color=INK)
    y -= 13 * scale + 6
    if not wrapped:
        ax.text(pad, y, "Reference layers off", fontsize=fs, va="top", color=MUTED)
        y -= fs * 1.5
    for title, rows in wrapped:
        y -= fs * 0.4
        ax.text(pad, y, title, fontsize=fs * 1.02, fontweight="bold", va="top", color=MUTED)
        y -= fs * 1.5
        for kind, payload, lines in rows:
            _swatch(ax, kind, payload, pad, y - fs * 0.62, sw, fs)
            ax.text(
                pad + sw + 6,
                y,
                "\n".join(lines),
                fontsize=fs,
                va="top",
                color=INK,
                linespacing=1.12,
            )
            y -= fs * 1.22 * len(lines) + fs * 0.55
    used = min(height * 72, height * 72 - y + pad * 0.5)
    ax.add_patch(
        Rectangle(
            (0, height * 72 - used),
            width * 72,
            used,
            facecolor="#fbfaf7",
            edgecolor="#bbbbbb",
            lw=0.6,
            zorder=0,
        )
    )
    return used / 72


def _draw_locator(fig: Figure, spec: BriefingSpec, box: tuple[float, float, float, float]) -> None:
    """Small overview map: the region's land, NKAO and Nakhchivan, and the view's frame."""
    left, bottom, width, height = box
    fw, fh = fig.get_figwidth(), fig.get_figheight()
    title_h = 0.2
    ax = fig.add_axes((left / fw, bottom / fh, width / fw, (height - title_h) / fh))
    fig.text(
        left / fw,
        (bottom + height - 0.02) / fh,
        "Location of the map",
        fontsize=7.5,
        fontweight="bold",
        color=MUTED,
        va="top",
    )
    lon0, lat0, lon1, lat1 = spec.bbox
    region = (
        min(REGION[0], lon0),
        min(REGION[1], lat0),
        max(REGION[2], lon1),
        max(REGION[3], lat1),
    )
    extent = map_extent(region, width / (height - title_h))
    proj = Projection(region)
    clip = _Clip(proj, extent)
    ax.set_facecolor(MAP_BACKGROUND)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_xticks([])
    ax.set_yticks([])
    for sp in ax.spines.values():
        sp.set_edgecolor("#888888")
        sp.set_linewidth(0.6)
    layers = _static_layers()
    land = BASE_STYLES["land"]
    for lid, z in (("land", 1), ("lakes", 1.1), ("nakhchivan", 2), ("nkao", 2.1)):
        feats = clip.features(layers.get(lid))
        if feats:
            style = BASE_STYLES[lid]
            path, _ = _path(g for _, g in feats)
            if path is not None:
                face = to_rgba(style.fill, style.fill_opacity) if style.fill else "none"
                _add_path_patch(
                    ax,
                    PathPatch(
                        path,
                        facecolor=face,
                        edgecolor="none" if lid == "land" else style.color,
                        lw=0.7,
                        zorder=z,
                    ),
                )
    borders = clip.geometry(_borders(layers.get("land")))
    path, _ = _path([borders] if borders is not None else [])
    if path is not None:
        _add_path_patch(
            ax, PathPatch(path, facecolor="none", edgecolor=land.color, lw=0.4, zorder=1.05)
        )
    x, y = proj.forward(*_bbox_ring(spec.bbox))
    ax.fill(x, y, facecolor=(0.84, 0.15, 0.16, 0.12), edgecolor="#d62728", lw=1.2, zorder=3)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])


def _swatch(ax: Any, kind: str, payload: Any, x: float, cy: float, sw: float, fs: float) -> None:
    """One legend symbol, centred vertically on cy (panel coordinates are points)."""
    h = fs * 1.05
    if kind == "note":  # a line of text without a symbol
        return
    if kind == "event":
        color, glyph, prec = payload
        _event_symbol(ax, [x + sw / 2], [cy], color, glyph, prec, fs * 1.3, 2)
        return
    if kind == "town":
        ax.plot([x + 4], [cy], "o", ms=2.6, color="#333333", zorder=2)
        ax.text(
            x + 8, cy, "Aa", fontsize=fs * 0.85, va="center", color="#222222", path_effects=AS_PATH
        )
        return
    style: LayerStyle = payload
    lw = max(style.weight * PX, 0.6)
    if kind == "line":
        ax.plot(
            [x, x + sw],
            [cy, cy],
            color=style.color,
            lw=max(lw, 1.0),
            linestyle=_dash(style),
            solid_capstyle="butt",
            zorder=2,
        )
    elif kind == "ring":
        ax.add_patch(
            Circle(
                (x + sw / 2, cy),
                h * 0.45,
                facecolor=to_rgba(style.fill or "white", style.fill_opacity),
                edgecolor=style.color,
                lw=lw,
                linestyle=_dash(style),
                zorder=2,
            )
        )
    else:
        ax.add_patch(
            Rectangle(
                (x, cy - h / 2),
                sw,
                h,
                facecolor=to_rgba(style.fill, max(style.fill_opacity, 0.12))
                if style.fill
                else "none",
                edgecolor=to_rgba(style.color, 0.9),
                lw=lw,
                linestyle=_dash(style),
                zorder=2,
            )
        )


_GC_LOCK = threading.Lock()
_GC_HOLD = {"renders": 0, "was_on": True}


@contextmanager
def _no_gc_pauses() -> Iterator[None]:
    """Hold the cyclic garbage collector while a briefing is drawn.

    Drawing allocates many small objects; with a big catalogue in memory (a million objects
    for 100,000 event features) each full collection they trigger takes about a second and
    frees nothing of ours. Reference counting still frees as usual; the collector is back
    on when the last of any concurrent renders ends (only if it was on when the first began).
    """
    with _GC_LOCK:
        if _GC_HOLD["renders"] == 0:
            _GC_HOLD["was_on"] = gc.isenabled()
            gc.disable()
        _GC_HOLD["renders"] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_HOLD["renders"] -= 1
            if _GC_HOLD["renders"] == 0 and _GC_HOLD["was_on"]:
                gc.enable()


def build_figure(spec: BriefingSpec, page: str = "16:9") -> tuple[Figure, dict[str, Any]]:
    """The briefing as a matplotlib Figure for a page format, plus what it shows.

    The info dict has 'legend' (row labels), 'scale_km', 'extent', 'events', 'sources'.
    """
    if page not in PAGES:
        raise ValueError(f"unknown page {page!r}; choose from {', '.join(PAGES)}")
    with rc_context(_RC), _no_gc_pauses():
        return _build_figure(spec, PAGES[page])


def _build_figure(spec: BriefingSpec, pg: Page) -> tuple[Figure, dict[str, Any]]:
    W, H = pg.width_in, pg.height_in
    fig = Figure(figsize=(W, H), dpi=pg.dpi, facecolor="white")
    FigureCanvasAgg(fig)
    m = 0.28  # outer margin, in
    band = 0.26 if spec.classification else 0.0
    top = H - m * 0.7 - band
    bottom = m * 0.7 + band

    if spec.classification:
        for yb in (H - band, 0.0):
            fig.add_artist(
                Rectangle(
                    (0, yb / H),
                    1,
                    band / H,
                    transform=fig.transFigure,
                    facecolor="#ececec",
                    edgecolor="none",
                )
            )
            fig.text(
                0.5,
                (yb + band / 2) / H,
                spec.classification,
                ha="center",
                va="center",
                fontsize=8.5,
                fontweight="bold",
                color=INK,
            )

    # Header: title and dates.
    t = fig.text(
        m / W,
        (top - 0.08) / H,
        spec.title or "Untitled",
        fontsize=pg.title_pt,
        fontweight="bold",
        va="top",
        color=INK,
    )
    _fit_text(fig, t, (W - 2 * m) * pg.dpi, 12)
    title_h = t.get_fontsize() / 72 * 1.15
    sub_y = top - 0.08 - title_h - 0.05
    fig.text(m / W, sub_y / H, subtitle(spec), fontsize=12, va="top", color="#333333")
    header_bottom = sub_y - 12 / 72 * 1.2 - 0.14
    fig.add_artist(
        Rectangle(
            (m / W, header_bottom / H),
            (W - 2 * m) / W,
            0.9 / 72 / H,
            transform=fig.transFigure,
            facecolor="#5b2a86",
            edgecolor="none",
        )
    )

    # Footer lines (bottom up): made-on, disclaimer, credits + basemap, sources.
    fs_foot = 7.4
    line_h = fs_foot / 72 * 1.45
    chars = int((W - 2 * m) * 72 / (fs_foot * 0.53))
    made = spec.made_on or date.today()
    foot = [
        f"Made {date_in_words(made)} with karabakh-map (open source) · "
        + TOPONYM_NOTE[spec.toponyms],
        DISCLAIMER,
        basemap_note(spec.basemap) + " · Projection: Lambert azimuthal equal-area, centred "
        f"{(spec.bbox[0] + spec.bbox[2]) / 2:.2f}°E {(spec.bbox[1] + spec.bbox[3]) / 2:.2f}°N",
        "Data: " + " · ".join(DATA_CREDITS),
    ]
    body_top = header_bottom - 0.14
    # map + panel
    legend = _Legend()
    panel_w = pg.panel_in
    gap = 0.18
    map_left = m + 0.22  # room for latitude labels
    map_w = W - map_left - m - panel_w - gap
    # the sources line is known only after drawing: reserve its line now
    foot_h = line_h * (len(foot) + 1) + 0.06
    map_bottom = bottom + foot_h + 0.2  # room for longitude labels
    map_h = body_top - map_bottom
    extent = map_extent(spec.bbox, map_w / map_h)
    ax = fig.add_axes((map_left / W, map_bottom / H, map_w / W, map_h / H))
    ax.set_facecolor(MAP_BACKGROUND)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xticks([])
    ax.set_yticks([])
    for s in ax.spines.values():
        s.set_edgecolor("#333333")
        s.set_linewidth(0.8)
        s.set_zorder(20)
    proj = Projection(spec.bbox)
    shown = _draw_map(ax, spec, extent, legend)
    _graticule(ax, proj, _Clip(proj, extent), extent)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    km = scale_bar_km(spec.bbox, 0.2)
    _scale_bar(ax, extent, km)
    _north_arrow(ax, proj, extent)

    src = sources_line(shown["publishers"], chars)
    foot.append(src or "Sources: none (no sourced events or control areas in view)")
    for i, text in enumerate(foot):
        style = "italic" if text == DISCLAIMER else "normal"
        ft = fig.text(
            m / W,
            (bottom + i * line_h) / H,
            text,
            fontsize=fs_foot,
            va="bottom",
            color="#333333",
            fontstyle=style,
        )
        _fit_text(fig, ft, (W - 2 * m) * pg.dpi, 5.5)

    used = _draw_legend(fig, legend, (W - m - panel_w, map_bottom, panel_w, map_h))
    room = map_h - used - 0.15
    if room >= 1.1:
        loc_h = min(room, panel_w * 0.8)
        _draw_locator(fig, spec, (W - m - panel_w, map_bottom, panel_w, loc_h))
    info = {
        "legend": legend.labels(),
        "scale_km": km,
        "extent": extent,
        "events": shown["events"],
        "sources": src,
    }
    return fig, info


def render_png(spec: BriefingSpec, aspect: str = "16:9") -> bytes:
    """Slide-ready PNG: '16:9' -> 3840x2160, '4:3' -> 3200x2400 (2x of 1920x1080 / 1600x1200).

    Opaque RGB (the page is white): a quarter less to compress than matplotlib's RGBA.
    """
    if aspect not in ("16:9", "4:3"):
        raise ValueError(f"unknown aspect {aspect!r}; use '16:9' or '4:3'")
    with rc_context(_RC), _no_gc_pauses():
        fig, _ = build_figure(spec, aspect)
        fig.canvas.draw()
        rgb = np.asarray(fig.canvas.buffer_rgba())[..., :3]
        info = PngInfo()
        info.add_text("Title", spec.title)
        info.add_text("Software", "karabakh-map (matplotlib)")
        buf = io.BytesIO()
        dpi = PAGES[aspect].dpi
        Image.fromarray(np.ascontiguousarray(rgb)).save(
            buf, format="png", pnginfo=info, dpi=(dpi, dpi)
        )
    return buf.getvalue()


def render_pdf(spec: BriefingSpec) -> bytes:
    """A4-landscape vector PDF with selectable, extractable text (TrueType fonts embedded)."""
    with rc_context(_RC), _no_gc_pauses():
        fig, _ = build_figure(spec, "a4")
        buf = io.BytesIO()
        fig.savefig(
            buf,
            format="pdf",
            metadata={"Title": spec.title, "Subject": subtitle(spec), "Creator": "karabakh-map"},
        )
    return buf.getvalue()


__all__ = [
    "DEFAULT_LAYERS",
    "DISCLAIMER",
    "PAGES",
    "BriefingSpec",
    "Projection",
    "build_figure",
    "date_in_words",
    "date_range_in_words",
    "map_extent",
    "render_pdf",
    "render_png",
    "scale_bar_km",
    "scale_bar_lonlat",
    "sources_line",
    "subtitle",
]
