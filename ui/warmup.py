"""What every first run of the app needs, made once when the server process starts: the
libraries and our modules imported (folium, geopandas, shapely, matplotlib... ~2 s), the
curated catalogue loaded, the control and zone collections built, the static files copied.
Without it the first visitor after a (re)start waits for all of that before the map appears;
later visitors never did.

Called by server.py before the server listens (its health check answers after it), never from
a script run. Nothing here may import Streamlit components (streamlit_folium, ui.*): a
component declared before Streamlit's runtime exists is not served (its frame stays blank)."""

from __future__ import annotations

import importlib

#: Modules every first run imports (through ui.*), without Streamlit: reused by every run.
MODULES = (
    "folium",
    "kmap.areas",
    "kmap.charts",
    "kmap.map.builder",
    "kmap.map.elements",
    "kmap.situation",
    "kmap.tables",
    "kmap.view_export",
)


def warm_up() -> None:
    """Import the page's modules and build the data every first run reads (all cached)."""
    for name in MODULES:
        importlib.import_module(name)
    from events import load_catalogue
    from events.query import event_index
    from kmap.datasets import control_collection, zones_collection
    from kmap.map.assets import ensure_static

    ensure_static()
    event_index(list(load_catalogue().events))
    control_collection()
    zones_collection()
