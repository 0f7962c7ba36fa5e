"""The page around the map: its size from the window, and presentation mode.

Normal mode: a compact heading, the map as tall as the window allows with the time controls
still on screen (1024x768 to 1920x1080, sidebar open). Presentation mode: the map fills the
window (banner with title and classification, legend and scale inside it), no Streamlit
chrome; the exit control is invisible until the pointer or keyboard reaches it, so a screen
capture holds only the map. Esc leaves (kmap/js/kmap-screen.js presses the exit button).
"""

from __future__ import annotations

#: The map iframe (streamlit-folium's component).
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
#: Height of the page around the map in normal mode (px): top padding, heading and intro, the
#: banner line, the two rows of time controls under the map, and the gaps between them. The
#: map takes the rest of the window, at least MAP_MIN_HEIGHT (tests/browser/test_screen.py
#: measures that the controls stay on screen).
PAGE_AROUND_MAP_PX = 340
MAP_MIN_HEIGHT = 340
#: The height streamlit-folium is given (px): a first paint before the CSS below applies.
MAP_HEIGHT = 480

#: CSS of the normal page (app.py, every run).
SCREEN_CSS = f"""
<style>
  [data-testid="stMainBlockContainer"] {{
    padding: 3.25rem 1.5rem 0.5rem 1.5rem !important; max-width: 100% !important;
  }}
  .st-key-kmap_banner p {{ white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
    margin: 0; font-size: 0.9rem; }}
  .st-key-kmap_banner.kmap-stale {{ opacity: 0.35; }} /* the timeline moves time */
  .st-key-kmap_heading {{ gap: 0; }}
  .st-key-kmap_heading h4 {{ padding: 0; margin: 0; line-height: 1.2; }}
  .st-key-kmap_heading [data-testid="stCaptionContainer"] {{ margin: 0; white-space: nowrap;
    overflow: hidden; text-overflow: ellipsis; }}
  {MAP_IFRAME} {{
    height: max({MAP_MIN_HEIGHT}px, calc(100vh - {PAGE_AROUND_MAP_PX}px)) !important;
  }}
</style>
"""

#: CSS of presentation mode (app.py, instead of SCREEN_CSS): Streamlit's chrome hidden, the
#: map fixed over the whole window, the exit control shown only under the pointer or focus.
PRESENTATION_CSS = f"""
<style>
  header[data-testid="stHeader"], [data-testid="stSidebar"],
  [data-testid="stSidebarCollapsedControl"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  footer, .kmap-hide-in-presentation {{ display: none !important; }}
  .block-container, [data-testid="stMainBlockContainer"] {{
    padding: 0 !important; max-width: 100% !important;
  }}
  {MAP_IFRAME} {{
    position: fixed !important; inset: 0 !important; width: 100vw !important;
    height: 100vh !important; z-index: 999990; border: 0;
  }}
  .st-key-exit_present {{
    position: fixed !important; top: 10px; left: 50%; transform: translateX(-50%);
    width: auto !important; z-index: 999991; opacity: 0; transition: opacity 0.2s;
  }}
  .st-key-exit_present:hover, .st-key-exit_present:focus-within {{ opacity: 1; }}
</style>
"""
