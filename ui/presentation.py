"""Presentation mode: the map full-width, no sidebar or Streamlit chrome, for clean captures."""

from __future__ import annotations

#: CSS injected by app.py in presentation mode (Streamlit's own chrome is hidden; the map's
#: banner and legend, drawn by Leaflet inside the iframe, carry the as-of date and key).
PRESENTATION_CSS = """
<style>
  header[data-testid="stHeader"], [data-testid="stSidebar"],
  [data-testid="stSidebarCollapsedControl"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  footer, .kmap-hide-in-presentation { display: none !important; }
  .block-container, [data-testid="stMainBlockContainer"] {
    padding: 0.5rem 0.75rem 0 0.75rem !important; max-width: 100% !important;
  }
</style>
"""

#: Map height (px) in presentation mode (normal mode: MAP_HEIGHT).
PRESENTATION_MAP_HEIGHT = 900
MAP_HEIGHT = 640
