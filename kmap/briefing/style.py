"""Drawing settings every part of a briefing shares: ink colours, CSS px -> points, the
matplotlib rc, and the two conversions of a palette style (dash pattern, colour mixed with
white) the map and the legend both use."""

from __future__ import annotations

from typing import Any

from matplotlib import patheffects
from matplotlib.colors import to_rgb

from palette import LayerStyle

#: Points per CSS pixel of the live map: line weights and dashes in palette are CSS px.
PX = 0.6
#: Outside the offline basemap's box (43-48.5°E, 38.3-41.8°N) there is no data: a neutral grey, as
#: the live map shows it (.kmap.leaflet-container in kmap.css), never a sea colour that would
#: read as a coastline (lakes are drawn from their own layer).
MAP_BACKGROUND = "#e6e6e3"
INK = "#1f1f1f"
MUTED = "#4d4d4d"
#: matplotlib settings for every briefing: embedded TrueType (extractable text), literal $.
RC = {
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


def dash(style: LayerStyle) -> Any:
    """matplotlib linestyle of a palette style (its CSS-px dash pattern in points)."""
    if not style.dash:
        return "solid"
    return (0, tuple(float(v) * PX for v in style.dash.split()))


def mix(color: str, share: float) -> tuple[float, float, float]:
    """color mixed with white (share = part of color), like CSS color-mix."""
    r, g, b = to_rgb(color)
    return (r * share + 1 - share, g * share + 1 - share, b * share + 1 - share)
