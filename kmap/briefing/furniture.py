"""Map furniture: the scale bar (a true ground length), the north arrow (true north at its
spot), the graticule with degree labels, and the locator map of where the view lies."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyBboxPatch, PathPatch, Polygon, Rectangle
from pyproj import Geod

from kmap.briefing import basedata
from kmap.briefing.layers import add_path_patch, borders, compound_path
from kmap.briefing.projection import Clip, Projection, bbox_ring, map_extent
from kmap.briefing.spec import BriefingSpec
from kmap.briefing.style import INK, MAP_BACKGROUND, MUTED
from kmap.config import REGION_BBOX
from palette import BASE_STYLES

# ---------------------------------------------------------------- scale bar


def nice(value: float) -> float:
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
    return nice(width_m / 1000 * width_fraction)


def scale_bar_lonlat(
    bbox: tuple[float, float, float, float], km: float, aspect: float
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Ends (lon, lat) of the km-long bar as drawn in the lower left of a map of that aspect."""
    (x0, y), (x1, _) = scale_bar_xy(map_extent(bbox, aspect), km)
    lons, lats = Projection(bbox).inverse([x0, x1], [y, y])
    return (float(lons[0]), float(lats[0])), (float(lons[1]), float(lats[1]))


def scale_bar_xy(
    extent: tuple[float, float, float, float], km: float
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Ends (projected metres) of the km-long bar in the lower left of the extent."""
    ex0, ex1, ey0, ey1 = extent
    x0 = ex0 + 0.035 * (ex1 - ex0)
    y = ey0 + 0.05 * (ey1 - ey0)
    return (x0, y), (x0 + km * 1000.0, y)


def draw_scale_bar(ax: Any, extent: tuple, km: float) -> None:
    """Two-segment black/white bar, labelled 0 · km/2 · km km (gid 'scalebar')."""
    (x0, y), (x1, _) = scale_bar_xy(extent, km)
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


# ---------------------------------------------------------------- north arrow and graticule


def draw_north_arrow(ax: Any, proj: Projection, extent: tuple) -> None:
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


#: Graticule spacings tried (degrees), the first giving at most 8 lines across the frame.
GRATICULE_STEPS = (0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0)
GRATICULE_LINE = {"color": "#7d8c99", "lw": 0.35, "alpha": 0.55, "zorder": 1.5}
GRATICULE_LABEL = {"textcoords": "offset points", "fontsize": 6.5, "color": MUTED}


def draw_graticule(ax: Any, proj: Projection, clip: Clip, extent: tuple) -> None:
    """Faint meridians and parallels with degree labels outside the frame edges."""
    f0, g0, f1, g1 = clip.frame_lonlat
    span = max(f1 - f0, g1 - g0)
    step = next((s for s in GRATICULE_STEPS if span / s <= 8), 30.0)
    lon0, lat0, lon1, lat1 = f0 - step, g0 - step, f1 + step, g1 + step
    ex0, ex1, ey0, ey1 = extent
    lons = np.arange(math.ceil(lon0 / step) * step, lon1, step)
    lats = np.arange(math.ceil(lat0 / step) * step, lat1, step)
    t = np.linspace(0, 1, 60)
    for lon in lons:
        x, y = proj.forward(np.full_like(t, lon), lat0 + (lat1 - lat0) * t)
        ax.plot(x, y, **GRATICULE_LINE)
        xb = float(np.interp(ey0, y, x))
        if ex0 + 0.02 * (ex1 - ex0) < xb < ex1 - 0.02 * (ex1 - ex0):
            ax.annotate(
                f"{lon:g}°E",
                (xb, ey0),
                xytext=(0, -2),
                ha="center",
                va="top",
                annotation_clip=False,
                **GRATICULE_LABEL,
            )
    for lat in lats:
        x, y = proj.forward(lon0 + (lon1 - lon0) * t, np.full_like(t, lat))
        ax.plot(x, y, **GRATICULE_LINE)
        yl = float(np.interp(ex0, x, y))
        if ey0 + 0.03 * (ey1 - ey0) < yl < ey1 - 0.03 * (ey1 - ey0):
            ax.annotate(
                f"{lat:g}°N",
                (ex0, yl),
                xytext=(-2, 0),
                ha="right",
                va="center",
                rotation=90,
                annotation_clip=False,
                **GRATICULE_LABEL,
            )


# ---------------------------------------------------------------- locator map


def _locator_axes(fig: Figure, box: tuple[float, float, float, float], extent: tuple) -> Any:
    """The locator's framed axes under its title, showing extent."""
    left, bottom, width, height = box
    fw, fh = fig.get_figwidth(), fig.get_figheight()
    ax = fig.add_axes((left / fw, bottom / fh, width / fw, height / fh))
    ax.set_facecolor(MAP_BACKGROUND)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_xticks([])
    ax.set_yticks([])
    for sp in ax.spines.values():
        sp.set_edgecolor("#888888")
        sp.set_linewidth(0.6)
    return ax


def draw_locator(fig: Figure, spec: BriefingSpec, box: tuple[float, float, float, float]) -> None:
    """Small overview map: the region's land, NKAO and Nakhchivan, and the view's frame."""
    left, bottom, width, height = box
    fw, fh = fig.get_figwidth(), fig.get_figheight()
    title_h = 0.2
    lon0, lat0, lon1, lat1 = spec.bbox
    region = (  # the app's region, and the view if it reaches beyond
        min(REGION_BBOX[0], lon0),
        min(REGION_BBOX[1], lat0),
        max(REGION_BBOX[2], lon1),
        max(REGION_BBOX[3], lat1),
    )
    extent = map_extent(region, width / (height - title_h))
    ax = _locator_axes(fig, (left, bottom, width, height - title_h), extent)
    fig.text(
        left / fw,
        (bottom + height - 0.02) / fh,
        "Location of the map",
        fontsize=7.5,
        fontweight="bold",
        color=MUTED,
        va="top",
    )
    proj = Projection(region)
    clip = Clip(proj, extent)
    layers = basedata.static_layers()
    for lid, z in (("land", 1), ("lakes", 1.1), ("nakhchivan", 2), ("nkao", 2.1)):
        style = BASE_STYLES[lid]
        path, _ = compound_path(g for _, g in clip.features(layers.get(lid)))
        if path is not None:
            face = to_rgba(style.fill, style.fill_opacity) if style.fill else "none"
            edge = "none" if lid == "land" else style.color
            add_path_patch(ax, PathPatch(path, facecolor=face, edgecolor=edge, lw=0.7, zorder=z))
    lines = clip.geometry(borders(layers.get("land")))
    path, _ = compound_path([lines])
    if path is not None:
        edge = BASE_STYLES["land"].color
        add_path_patch(ax, PathPatch(path, facecolor="none", edgecolor=edge, lw=0.4, zorder=1.05))
    x, y = proj.forward(*bbox_ring(spec.bbox))
    ax.fill(x, y, facecolor=(0.84, 0.15, 0.16, 0.12), edgecolor="#d62728", lw=1.2, zorder=3)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
