"""Briefing exports: a slide-ready PNG and an A4-landscape PDF of the current view and date.

Drawn offline with matplotlib from the same vector layers (kmap.map.basemap) and the same style
table (palette) as the live map, in a Lambert azimuthal equal-area projection centred on
the view, so distances, the scale bar and the north arrow are true for the drawn map.
See docs/briefing.md.

The modules, in the order a briefing is made:

- ``spec``: what to show (BriefingSpec) and the page formats; ``style``: shared ink and
  matplotlib settings; ``captions``: subtitle, sources line, basemap note.
- ``projection``: the local projection, the map's extent, clipping features to the frame.
- ``basedata``: the offline base layers and labels (kmap.map.basemap), replaceable in tests.
- ``layers``: basemap, control, zones and reference outlines as compound paths.
- ``eventlayer``: the events in the frame, drawn as ``symbols``, moved apart by
  ``declutter`` where they overlap.
- ``labels``: town and area labels placed around each other and the event symbols.
- ``furniture``: scale bar, north arrow, graticule, locator map.
- ``legend``: the legend panel of exactly what was drawn.
- ``page``: the words around the map: classification bands, header (title wrapped to two
  lines, dates, filters in words), footer sized to the page (legible at 1024 px wide).
- ``render``: the page (header, map, panel, footer) and the PNG / PDF files.
- ``compare``: two as-of days side by side on one slide, the changed areas hatched.
"""

from __future__ import annotations

from kmap.briefing.captions import basemap_note, sources_line, subtitle
from kmap.briefing.eventlayer import PRECISION_ORDER
from kmap.briefing.furniture import scale_bar_km, scale_bar_lonlat
from kmap.briefing.projection import Projection, map_extent
from kmap.briefing.render import build_figure, render_pdf, render_png
from kmap.briefing.spec import (
    BASE_TOGGLES,
    DATA_CREDITS,
    DEFAULT_LAYERS,
    DISCLAIMER,
    DYNAMIC_LAYERS,
    PAGES,
    TOPONYM_MODES,
    BriefingSpec,
    Page,
)
from kmap.words import date_in_words, date_range_in_words

__all__ = [
    "BASE_TOGGLES",
    "DATA_CREDITS",
    "DEFAULT_LAYERS",
    "DISCLAIMER",
    "DYNAMIC_LAYERS",
    "PAGES",
    "PRECISION_ORDER",
    "TOPONYM_MODES",
    "BriefingSpec",
    "Page",
    "Projection",
    "basemap_note",
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
