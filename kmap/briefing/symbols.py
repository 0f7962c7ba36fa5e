"""Event symbols as the live map draws them (.kmap-ev-*): a coloured disc with the type's
letter, solid for an exact place, pale and dashed for "near", a hollow dashed ring for
district/region/country precision; and their size when many events share the map."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.markers import MarkerStyle
from matplotlib.textpath import TextPath

from kmap.briefing.style import RC, mix

EVENT_SIZE_PT = 11.0  # event symbol diameter (the live map's 16 px icon)
#: Many events: symbols shrink (to MIN_EVENT_PT) so that together they cover at most this
#: share of the map, and every event is still drawn; below GLYPH_MIN_PT they carry no letter
#: (colour shows the type, the legend says so).
EVENT_COVER = 0.5
MIN_EVENT_PT = 2.0
GLYPH_MIN_PT = 6.0


def event_size(ax: Any, n: int) -> float:
    """Symbol diameter (points): full size unless n symbols would cover more than
    EVENT_COVER of the map; then smaller (never below MIN_EVENT_PT), so all still show."""
    box = ax.get_window_extent()
    area = box.width * box.height * (72.0 / ax.figure.dpi) ** 2
    if n * EVENT_SIZE_PT**2 <= EVENT_COVER * area:
        return EVENT_SIZE_PT
    return max(MIN_EVENT_PT, math.sqrt(EVENT_COVER * area / n))


def event_symbol(
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
        face = color if precision == "exact" else mix(color, 0.55)
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
        marker, area = glyph_marker(glyph, round(size * 0.56, 3), float(ax.figure.dpi))
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
def glyph_marker(glyph: str, fontsize: float, dpi: float) -> tuple[MarkerStyle, float]:
    """A letter as a scatter marker (bold, centred like text with ha='center' and
    va='center_baseline') and the scatter size that keeps it at fontsize points."""
    prop = FontProperties(family=RC["font.family"], weight="bold", size=fontsize)
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
