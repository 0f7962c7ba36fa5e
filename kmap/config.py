"""The map's settings as plain data: view defaults, basemaps, layer toggles, static files.

Imports nothing heavy (no folium, no geodata), so the view state, the link parser and the
sidebar read them without loading the map stack.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: The default view frames the former NKAO, the seven districts, the Soviet-era enclaves and
#: the Lachin corridor (lon_min, lat_min, lon_max, lat_max): the bounds of those geo/data
#: layers, rounded outwards to 0.01 degree (tests/unit/test_kmap_config.py recomputes them).
#: The map fits it to the window on first load (kmap.map.builder), so a small window gets a
#: zoom level lower rather than a cut frame.
DEFAULT_FRAME = (44.94, 38.88, 47.63, 41.09)
DEFAULT_CENTER = (
    round((DEFAULT_FRAME[0] + DEFAULT_FRAME[2]) / 2, 4),
    round((DEFAULT_FRAME[1] + DEFAULT_FRAME[3]) / 2, 4),
)  # lon, lat
DEFAULT_ZOOM = 8  # before the fit, and in links (a 1920x1080 window's map fits the frame)
REGION_BBOX = (43.0, 38.3, 48.5, 41.8)
#: How far the map can be panned (lon_min, lat_min, lon_max, lat_max): the region and a margin.
MAP_BOUNDS = (REGION_BBOX[0] - 3, REGION_BBOX[1] - 2, REGION_BBOX[2] + 3, REGION_BBOX[3] + 2)

#: Attribution shown on every map (and in exports).
DATA_ATTRIBUTION = (
    "Natural Earth (public domain)",
    "GeoNames (CC BY 4.0)",
    "events &amp; control: sourced per item",
)


@dataclass(frozen=True)
class TileSource:
    """An optional online basemap (never required: the offline basemap is the default)."""

    label: str
    url: str
    attribution: str
    max_zoom: int = 18


ONLINE_TILES: dict[str, TileSource] = {
    "osm": TileSource(
        "OpenStreetMap",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "&copy; OpenStreetMap contributors",
        19,
    ),
    "opentopomap": TileSource(
        "OpenTopoMap",
        "https://{s}.tile.opentopomap.org/{z}/{x}/{y}.png",
        "&copy; OpenStreetMap contributors, SRTM | style &copy; OpenTopoMap (CC-BY-SA)",
        17,
    ),
    "satellite": TileSource(
        "Satellite (Esri World Imagery)",
        "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
        "Tiles &copy; Esri &mdash; Source: Esri, Maxar, Earthstar Geographics",
        18,
    ),
    "grey": TileSource(
        "Light grey (CARTO Positron)",
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}.png",
        "&copy; OpenStreetMap contributors &copy; CARTO",
        19,
    ),
}
BASEMAPS: dict[str, str] = {"offline": "Offline vector (no internet)"} | {
    k: v.label + " (online)" for k, v in ONLINE_TILES.items()
}
#: Deepest zoom of the offline basemap (online tiles allow their own max_zoom).
OFFLINE_MAX_ZOOM = 14
MIN_ZOOM = 6

#: Reference layers the user can toggle, in drawing order, with the pane each goes in.
BASE_LAYERS: dict[str, str] = {
    "land": "kmapBasemap",  # fill only: its outline would draw the clip box as a coast
    "lakes": "kmapBasemap",
    "rivers": "kmapBasemap",
    "borders": "kmapBasemap",  # the international borders, without the clip box's edge
    "admin": "kmapOutlines",
    "nakhchivan": "kmapOutlines",
    "districts": "kmapOutlines",
    "nkao": "kmapOutlines",
    "enclaves": "kmapOutlines",
    "enclave_points": "kmapOutlines",
}
#: Layers shown only with the offline basemap (online tiles already draw land and water).
OFFLINE_ONLY = frozenset({"land", "lakes", "rivers", "borders"})
TOGGLEABLE = {
    "admin": "District boundaries",
    "nakhchivan": "Nakhchivan",
    "districts": "Seven districts",
    "nkao": "NKAO outline",
    "enclaves": "Enclaves",
    "labels": "Labels",
}
DEFAULT_LAYERS = frozenset(TOGGLEABLE)

#: URL prefix under which the app's static folder is served (Streamlit's
#: `server.enableStaticServing` serves <app folder>/static there).
STATIC_URL = "/app/static"
#: Environment variable naming another static folder (tests, read-only checkouts). Streamlit
#: itself serves only <app folder>/static: a folder elsewhere needs a route of its own at
#: STATIC_URL (server.py's `st.App(routes=...)` puts user routes before Streamlit's).
STATIC_DIR_ENV = "KARABAKH_MAP_STATIC_DIR"
KMAP_DIR = Path(__file__).resolve().parent
REPO_DIR = KMAP_DIR.parent


def static_dir() -> Path:
    """The folder the app writes its static files to and serves at STATIC_URL:
    $KARABAKH_MAP_STATIC_DIR if set (made absolute), else ./static next to app.py."""
    env = os.environ.get(STATIC_DIR_ENV, "").strip()
    return Path(env).expanduser().resolve() if env else REPO_DIR / "static"


#: The static folder as resolved at import (read $KARABAKH_MAP_STATIC_DIR before importing).
DEFAULT_STATIC_DIR = static_dir()
