"""Two dates on one slide: the maps of two as-of days side by side in the same frame, the
areas that changed hands between them hatched on both, their km² in the legend, and the
page's header, classification line, disclaimer and sources like a single briefing's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import shapely
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch

from kmap.briefing.captions import sources_line
from kmap.briefing.furniture import draw_north_arrow, draw_scale_bar, scale_bar_km
from kmap.briefing.layers import add_path_patch, compound_path
from kmap.briefing.legend import Legend, Row, draw_legend
from kmap.briefing.page import (
    SOURCES_LINES,
    class_band,
    classification_bands,
    draw_footer,
    footer_chars,
    footer_height,
    footer_lines,
    header,
)
from kmap.briefing.projection import Clip, Projection, map_extent
from kmap.briefing.render import MARGIN_IN, draw_map, figure_png, map_axes
from kmap.briefing.spec import PAGES, BriefingSpec
from kmap.briefing.style import INK, RC
from kmap.map.memory import gc_paused
from kmap.words import date_in_words
from palette import CONTROL_STYLES, LayerStyle

#: How a changed area is drawn: hatched, in a red used for changes on the live map too
#: (the control-change event colour), dashed outline.
CHANGED = LayerStyle("Changed hands", "fill", "#d62728", None, 0.0, 1.6, "5 3")


@dataclass(frozen=True)
class Change:
    """An area that changed hands between the two dates: geometry (lon, lat), the
    controllers before and after (control keys), its area in km²."""

    geometry: shapely.Geometry
    before: str
    after: str
    km2: float


def _side(key: str) -> str:
    return CONTROL_STYLES[key].label if key in CONTROL_STYLES else key.replace("_", " ")


def change_rows(changes: Sequence[Change]) -> list[Row]:
    """Legend rows of the changes, largest first: 'Held by A → Held by B: 1,234 km²', and
    the total when there are several."""
    rows: list[Row] = [
        ("fill", CHANGED, f"{_side(c.before)} → {_side(c.after)}: {c.km2:,.0f} km²")
        for c in sorted(changes, key=lambda c: -c.km2)
    ]
    if len(changes) > 1:
        rows.append(("note", None, f"Total changed: {sum(c.km2 for c in changes):,.0f} km²"))
    return rows


def _draw_changes(ax: Any, clip: Clip, changes: Sequence[Change]) -> None:
    path, _ = compound_path(clip.geometry(c.geometry) for c in changes)
    if path is None:
        return
    add_path_patch(
        ax,
        PathPatch(
            path,
            facecolor="none",
            edgecolor=CHANGED.color,
            hatch="////",
            linewidth=CHANGED.weight,
            linestyle=(0, (5, 3)),
            zorder=4.5,
        ),
    )


def _panel_title(fig: Figure, ax: Any, text: str) -> None:
    box = ax.get_position()
    fig.text(box.x0, box.y1 + 0.006, text, fontsize=13, fontweight="bold", va="bottom", color=INK)


def _merge(legends: Sequence[Legend]) -> Legend:
    """One legend of both maps: each section once, its rows once (by label), in order."""
    out = Legend()
    titles: list[str] = []
    rows: dict[str, dict[str, Row]] = {}
    for legend in legends:
        for title, section in legend.sections:
            if title.startswith("Events"):
                continue  # the compare maps draw no events
            if title not in rows:
                titles.append(title)
                rows[title] = {}
            for row in section:
                rows[title].setdefault(row[2], row)
    for title in titles:
        out.add(title, list(rows[title].values()))
    return out


def build_compare(
    spec_a: BriefingSpec, spec_b: BriefingSpec, changes: Sequence[Change], page: str = "16:9"
) -> tuple[Figure, dict[str, Any]]:
    """The side-by-side figure: spec_a's map on the left, spec_b's on the right (same
    frame: spec_a's bbox), the changes hatched on both; plus what it shows ('legend',
    'panels' (the two dates), 'sources', 'extent')."""
    if page not in PAGES:
        raise ValueError(f"unknown page {page!r}; choose from {', '.join(PAGES)}")
    if spec_a.bbox != spec_b.bbox:
        raise ValueError("spec_a and spec_b must share one frame (bbox)")
    with rc_context(RC), gc_paused():
        return _build(spec_a, spec_b, changes, page)


def _build(
    spec_a: BriefingSpec, spec_b: BriefingSpec, changes: Sequence[Change], page: str
) -> tuple[Figure, dict[str, Any]]:
    pg = PAGES[page]
    W, H = pg.width_in, pg.height_in
    fig = Figure(figsize=(W, H), dpi=pg.dpi, facecolor="white")
    FigureCanvasAgg(fig)
    m = MARGIN_IN
    band = class_band(pg) if spec_a.classification else 0.0
    if spec_a.classification:
        classification_bands(fig, spec_a.classification, band, pg)
    a, b = spec_a.as_of, spec_b.as_of
    sub = (
        f"Territorial control on {date_in_words(a)} and on {date_in_words(b)} · "
        "areas that changed hands between the two dates hatched on both maps"
    )
    header_bottom = header(fig, spec_a, pg, m, H - m * 0.7 - band, sub)
    foot = footer_lines(spec_b)
    bottom = m * 0.7 + band
    map_bottom = bottom + footer_height(pg, len(foot) + SOURCES_LINES) + 0.12
    map_top = header_bottom - 0.42  # room for each map's date
    gap = 0.3
    map_w = (W - 2 * m - pg.panel_in - 0.18 - gap) / 2
    map_h = map_top - map_bottom
    extent = map_extent(spec_a.bbox, map_w / map_h)
    proj = Projection(spec_a.bbox)
    legends: list[Legend] = []
    publishers: Counter[str] = Counter()
    for i, spec in enumerate((spec_a, spec_b)):
        ax = map_axes(fig, pg, (m + i * (map_w + gap), map_bottom, map_w, map_h), extent)
        legend = Legend()
        shown = draw_map(ax, spec, extent, legend)
        publishers.update(shown["publishers"])
        _draw_changes(ax, Clip(proj, extent), changes)
        draw_scale_bar(ax, extent, scale_bar_km(spec.bbox, 0.2))
        draw_north_arrow(ax, proj, extent)
        ax.set_xlim(extent[0], extent[1])
        ax.set_ylim(extent[2], extent[3])
        _panel_title(fig, ax, f"As of {date_in_words(spec.as_of)}")
        legends.append(legend)
    legend = _merge(legends)
    rows = change_rows(changes) or [("note", None, "No area changed hands between the dates")]
    legend.sections.insert(0, (f"Changed hands, {date_in_words(a)} → {date_in_words(b)}", rows))
    src = sources_line(publishers, int(SOURCES_LINES * footer_chars(pg, m) * 0.9))
    foot.append(src or "Sources: none (no sourced control areas in view)")
    draw_footer(fig, foot, pg, m, bottom)
    panel_x = W - m - pg.panel_in
    draw_legend(fig, legend, (panel_x, map_bottom, pg.panel_in, map_top - map_bottom))
    info = {
        "legend": legend.labels(),
        "panels": (a, b),
        "sources": src,
        "extent": extent,
    }
    return fig, info


def render_compare(
    spec_a: BriefingSpec,
    spec_b: BriefingSpec,
    changes: Sequence[Change],
    aspect: str = "16:9",
) -> bytes:
    """The side-by-side slide as a full-resolution PNG (16:9: 3840x2160)."""
    if aspect not in ("16:9", "4:3"):
        raise ValueError(f"unknown aspect {aspect!r}; use '16:9' or '4:3'")
    with rc_context(RC), gc_paused():
        fig, _ = build_compare(spec_a, spec_b, changes, aspect)
        return figure_png(fig, spec_a.title, PAGES[aspect].dpi)
