"""Facade (until the import sites move): the map builder is kmap.map.builder, its settings
kmap.config, js_json kmap.map.elements, the coordinate helpers kmap.coords."""

from __future__ import annotations

from kmap.config import (
    BASE_LAYERS,
    BASEMAPS,
    DATA_ATTRIBUTION,
    DEFAULT_CENTER,
    DEFAULT_LAYERS,
    DEFAULT_ZOOM,
    MAP_BOUNDS,
    OFFLINE_ONLY,
    ONLINE_TILES,
    REGION_BBOX,
    TOGGLEABLE,
    TileSource,
)
from kmap.coords import bounds_to_leaflet
from kmap.map.builder import POPUP_FIELDS, KMapSetup, Legend, MapView, build_map
from kmap.map.elements import js_json

__all__ = [
    "BASEMAPS",
    "BASE_LAYERS",
    "DATA_ATTRIBUTION",
    "DEFAULT_CENTER",
    "DEFAULT_LAYERS",
    "DEFAULT_ZOOM",
    "MAP_BOUNDS",
    "OFFLINE_ONLY",
    "ONLINE_TILES",
    "POPUP_FIELDS",
    "REGION_BBOX",
    "TOGGLEABLE",
    "KMapSetup",
    "Legend",
    "MapView",
    "TileSource",
    "bounds_to_leaflet",
    "build_map",
    "js_json",
]
