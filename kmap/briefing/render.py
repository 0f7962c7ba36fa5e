"""The page: header (title, dates, classification), the map with its furniture, the legend
and locator panel, the footer (credits, disclaimer, sources); and the PNG and PDF files.

Drawn with matplotlib's object API (no pyplot, so it is safe inside Streamlit), in the
settings of kmap.briefing.style.RC.
"""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

import numpy as np
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from kmap.briefing import basedata
from kmap.briefing.captions import sources_line, subtitle
from kmap.briefing.eventlayer import draw_events
from kmap.briefing.furniture import (
    draw_graticule,
    draw_locator,
    draw_north_arrow,
    draw_scale_bar,
    scale_bar_km,
)
from kmap.briefing.labels import draw_labels
from kmap.briefing.layers import (
    draw_base,
    draw_control,
    draw_outlines,
    draw_zones,
    reference_legend,
)
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
from kmap.briefing.spec import PAGES, BriefingSpec, Page
from kmap.briefing.style import MAP_BACKGROUND, RC
from kmap.briefing.symbols import EVENT_SIZE_PT
from kmap.map.memory import gc_paused

MARGIN_IN = 0.28  # outer margin of the page, inches

# ---------------------------------------------------------------- the map


def draw_map(ax: Any, spec: BriefingSpec, extent: tuple, legend: Legend) -> dict[str, Any]:
    """Draw all layers on ax in the live map's pane order; fill legend with exactly what
    was drawn; return what was shown (publishers cited, number of events)."""
    proj = Projection(spec.bbox)
    clip = Clip(proj, extent)
    layers = basedata.static_layers()
    shown_ref = draw_base(ax, clip, layers)
    publishers: Counter[str] = Counter()
    control_rows: list[Row] = []
    zone_rows: list[Row] = []
    event_rows: list[Row] = []
    if "control" in spec.layers and spec.control:
        control_rows = draw_control(ax, clip, spec.control, publishers)
    if "zones" in spec.layers and spec.zones:
        zone_rows = draw_zones(ax, clip, spec.zones, publishers)
    shown_ref += draw_outlines(ax, clip, layers, spec.layers)
    n_events, symbols, size = 0, np.empty((0, 2)), EVENT_SIZE_PT
    if "events" in spec.layers and spec.events:
        drawn = draw_events(ax, spec.events, proj, extent, publishers)
        event_rows, n_events, symbols, size = drawn.rows, drawn.count, drawn.symbols, drawn.size
    if event_rows:
        legend.add(f"Events ({n_events:,} shown)", event_rows)
    legend.add("Territorial control", control_rows)
    legend.add("Zones", zone_rows)
    legend.add("Reference", reference_legend(shown_ref, towns="labels" in spec.layers))
    labels = draw_labels(ax, clip, spec.toponyms, symbols, size) if "labels" in spec.layers else []
    return {"publishers": publishers, "events": n_events, "labels": labels}


def map_axes(fig: Figure, pg: Page, box: tuple[float, float, float, float], extent: tuple) -> Any:
    """The map's axes at box (left, bottom, width, height, inches): extent, equal aspect."""
    left, bottom, width, height = box
    W, H = pg.width_in, pg.height_in
    ax = fig.add_axes((left / W, bottom / H, width / W, height / H))
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
    return ax


def _build_figure(spec: BriefingSpec, pg: Page) -> tuple[Figure, dict[str, Any]]:
    W, H = pg.width_in, pg.height_in
    fig = Figure(figsize=(W, H), dpi=pg.dpi, facecolor="white")
    FigureCanvasAgg(fig)
    m = MARGIN_IN
    band = class_band(pg) if spec.classification else 0.0
    bottom = m * 0.7 + band
    if spec.classification:
        classification_bands(fig, spec.classification, band, pg)
    header_bottom = header(fig, spec, pg, m, H - m * 0.7 - band)
    foot = footer_lines(spec)
    # map + panel; the sources line is known only after drawing: reserve its line now
    legend = Legend()
    map_left = m + 0.22  # room for latitude labels
    map_w = W - map_left - m - pg.panel_in - 0.18
    foot_h = footer_height(pg, len(foot) + SOURCES_LINES) + 0.06
    map_bottom = bottom + foot_h + 0.2  # room for longitude labels
    map_h = header_bottom - 0.14 - map_bottom
    extent = map_extent(spec.bbox, map_w / map_h)
    ax = map_axes(fig, pg, (map_left, map_bottom, map_w, map_h), extent)
    proj = Projection(spec.bbox)
    shown = draw_map(ax, spec, extent, legend)
    draw_graticule(ax, proj, Clip(proj, extent), extent)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    km = scale_bar_km(spec.bbox, 0.2)
    draw_scale_bar(ax, extent, km)
    draw_north_arrow(ax, proj, extent)
    src = sources_line(shown["publishers"], int(SOURCES_LINES * footer_chars(pg, m) * 0.9))
    foot.append(src or "Sources: none (no sourced events or control areas in view)")
    draw_footer(fig, foot, pg, m, bottom)
    panel_x = W - m - pg.panel_in
    used = draw_legend(fig, legend, (panel_x, map_bottom, pg.panel_in, map_h))
    room = map_h - used - 0.15
    if room >= 1.1:
        loc_h = min(room, pg.panel_in * 0.8)
        draw_locator(fig, spec, (panel_x, map_bottom, pg.panel_in, loc_h))
    info = {
        "legend": legend.labels(),
        "scale_km": km,
        "extent": extent,
        "events": shown["events"],
        "sources": src,
        "labels": shown["labels"],
    }
    return fig, info


# ---------------------------------------------------------------- files


def build_figure(spec: BriefingSpec, page: str = "16:9") -> tuple[Figure, dict[str, Any]]:
    """The briefing as a matplotlib Figure for a page format, plus what it shows.

    The info dict has 'legend' (row labels), 'scale_km', 'extent', 'events', 'sources',
    'labels' (the place labels drawn: (text, kind)).
    Drawing allocates many small objects: the cyclic garbage collector is held meanwhile
    (kmap.map.memory.gc_paused), as a full collection over a big catalogue in memory takes
    about a second and frees nothing of ours.
    """
    if page not in PAGES:
        raise ValueError(f"unknown page {page!r}; choose from {', '.join(PAGES)}")
    with rc_context(RC), gc_paused():
        return _build_figure(spec, PAGES[page])


def render_png(spec: BriefingSpec, aspect: str = "16:9") -> bytes:
    """Slide-ready PNG: '16:9' -> 3840x2160, '4:3' -> 3200x2400 (2x of 1920x1080 / 1600x1200).

    Opaque RGB (the page is white): a quarter less to compress than matplotlib's RGBA.
    """
    if aspect not in ("16:9", "4:3"):
        raise ValueError(f"unknown aspect {aspect!r}; use '16:9' or '4:3'")
    with rc_context(RC), gc_paused():
        fig, _ = build_figure(spec, aspect)
        return figure_png(fig, spec.title, PAGES[aspect].dpi)


def figure_png(fig: Figure, title: str, dpi: float) -> bytes:
    """A drawn briefing figure as an opaque RGB PNG with its title and resolution stored."""
    fig.canvas.draw()
    rgb = np.asarray(fig.canvas.buffer_rgba())[..., :3]
    info = PngInfo()
    info.add_text("Title", title)
    info.add_text("Software", "karabakh-map (matplotlib)")
    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgb)).save(buf, format="png", pnginfo=info, dpi=(dpi, dpi))
    return buf.getvalue()


def render_pdf(spec: BriefingSpec) -> bytes:
    """A4-landscape vector PDF with selectable, extractable text (TrueType fonts embedded)."""
    with rc_context(RC), gc_paused():
        fig, _ = build_figure(spec, "a4")
        buf = io.BytesIO()
        fig.savefig(
            buf,
            format="pdf",
            metadata={"Title": spec.title, "Subject": subtitle(spec), "Creator": "karabakh-map"},
        )
    return buf.getvalue()
