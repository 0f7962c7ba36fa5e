"""Compose the folium map: offline basemap, reference layers, labels and legend.

The base map is built once per view setting (basemap, toponyms, layer toggles); what changes
with the date slider travels separately as a feature group (see kmap.dynamic), so the
browser keeps the same map, zoom and centre.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import folium
from jinja2 import Template

from kmap.assets import STATIC_URL, use_local_assets
from kmap.basemap import labels
from kmap.coords import bounds_to_leaflet, to_leaflet
from kmap.jsembed import ScriptMacro, js_json
from kmap.legend import entries, reference_rows
from palette import BASE_STYLES

#: Default view: Karabakh, the Lachin corridor and Nakhchivan in one frame.
DEFAULT_CENTER = (46.2, 39.75)  # lon, lat
DEFAULT_ZOOM = 8
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

#: Reference layers the user can toggle, in drawing order, with the pane each goes in.
BASE_LAYERS: dict[str, str] = {
    "land": "kmapBasemap",
    "lakes": "kmapBasemap",
    "rivers": "kmapBasemap",
    "admin": "kmapOutlines",
    "nakhchivan": "kmapOutlines",
    "districts": "kmapOutlines",
    "nkao": "kmapOutlines",
    "enclaves": "kmapOutlines",
    "enclave_points": "kmapOutlines",
}
#: Layers shown only with the offline basemap (online tiles already draw land and water).
OFFLINE_ONLY = {"land", "lakes", "rivers"}
TOGGLEABLE = {
    "admin": "District boundaries",
    "nakhchivan": "Nakhchivan",
    "districts": "Seven districts",
    "nkao": "NKAO outline",
    "enclaves": "Enclaves",
    "labels": "Labels",
}
DEFAULT_LAYERS = frozenset(TOGGLEABLE)

POPUP_FIELDS = [
    {"key": "label", "label": None},
    {"key": "de_jure", "label": "De jure (Soviet era)"},
    {"key": "geometry_kind", "label": "Geometry"},
    {"key": "precision", "label": "Precision"},
    {"key": "source", "label": "Source", "link": "source_url"},
]


@dataclass(frozen=True)
class MapView:
    """Everything that defines the base map (a change here re-mounts the map)."""

    basemap: str = "offline"
    toponyms: str = "both"
    layers: frozenset[str] = field(default=DEFAULT_LAYERS)
    center: tuple[float, float] = DEFAULT_CENTER  # lon, lat
    zoom: int = DEFAULT_ZOOM
    static_url: str = STATIC_URL
    inline_data: dict[str, dict] | None = None  # layer id -> GeoJSON, for standalone exports

    def visible_base_layers(self) -> list[str]:
        """Base layer ids drawn for this view, in drawing order."""
        out = []
        for lid in BASE_LAYERS:
            if lid in OFFLINE_ONLY:
                if self.basemap == "offline":
                    out.append(lid)
                continue
            toggle = "enclaves" if lid == "enclave_points" else lid
            if toggle in self.layers:
                out.append(lid)
        return out

    def legend_layers(self) -> list[str]:
        """Reference layers the legend lists: those drawn, except the faint district lines."""
        return [lid for lid in self.visible_base_layers() if lid != "admin"]


class KMapSetup(ScriptMacro):
    """Script that sets up panes, attribution, static layers, labels and legend."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
KMap.init({{ this._parent.get_name() }}, {{ this.opts }});
{% for spec in this.specs %}KMap.addGeoJson({{ this._parent.get_name() }}, {{ spec }});
{% endfor %}{% if this.labels %}
KMap.addLabels({{ this._parent.get_name() }}, "labels", {{ this.labels }});
{% endif %}
{% endmacro %}
"""
    )

    def __init__(self, view: MapView) -> None:
        super().__init__()
        self._name = "KMapSetup"
        attribution = list(DATA_ATTRIBUTION)
        self.opts = js_json(
            {
                "imagePath": f"{view.static_url}/vendor/leaflet/images/",
                "prefix": "karabakh-map",
                "attribution": attribution,
            }
        )
        self.specs = [js_json(_layer_spec(lid, view)) for lid in view.visible_base_layers()]
        self.labels = js_json(labels(view.toponyms)) if "labels" in view.layers else ""


def _layer_spec(lid: str, view: MapView) -> dict:
    style = BASE_STYLES["land" if lid == "land" else lid].leaflet()
    src: object = (
        view.inline_data[lid]
        if view.inline_data is not None
        else f"{view.static_url}/data/{lid}.geojson"
    )
    spec = {
        "name": lid,
        "src": src,
        "pane": BASE_LAYERS[lid],
        "style": style,
        "interactive": lid not in ("land", "lakes", "rivers", "admin"),
        "className": f"kmap-{lid}",
    }
    if lid == "land":
        borders = BASE_STYLES["borders"].leaflet()
        spec["style"] = {**style, "color": borders["color"], "weight": borders["weight"]}
    if lid == "enclave_points":
        spec["pointStyle"] = {**style, "radius": 7}
    if spec["interactive"]:
        spec["tooltipKey"] = "label"
        spec["popupFields"] = POPUP_FIELDS
    return spec


class Legend(ScriptMacro):
    """Always-visible legend control listing exactly the layers shown."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
KMap.addLegend({{ this._parent.get_name() }}, {{ this.title }}, {{ this.entries }}, "bottomright");
{% endmacro %}
"""
    )

    def __init__(self, title: str, entries: list[dict]) -> None:
        super().__init__()
        self._name = "KMapLegend"
        self.title = js_json(title)
        self.entries = js_json(entries)


def build_map(view: MapView = MapView()) -> folium.Map:
    """The base map for a view: offline basemap (or an online tile layer), reference
    layers, labels, scale bar and legend, with every asset served locally."""
    tiles = ONLINE_TILES.get(view.basemap)
    if view.basemap != "offline" and tiles is None:
        raise ValueError(f"unknown basemap {view.basemap!r}; choose from {', '.join(BASEMAPS)}")
    max_zoom = tiles.max_zoom if tiles else 14
    m = folium.Map(
        location=to_leaflet(*view.center),
        zoom_start=view.zoom,
        tiles=None,
        control_scale=True,
        min_zoom=6,
        max_zoom=max_zoom,
        max_bounds=True,
        min_lat=MAP_BOUNDS[1],
        max_lat=MAP_BOUNDS[3],
        min_lon=MAP_BOUNDS[0],
        max_lon=MAP_BOUNDS[2],
    )
    m.options["max_zoom"] = max_zoom  # MarkerCluster needs it when tiles=None
    use_local_assets(m, view.static_url)
    if tiles:
        folium.TileLayer(
            tiles=tiles.url, attr=tiles.attribution, name=tiles.label, max_zoom=tiles.max_zoom
        ).add_to(m)
    KMapSetup(view).add_to(m)
    Legend("Legend", entries(reference_rows(view.legend_layers()))).add_to(m)
    return m


__all__ = [
    "BASEMAPS",
    "DEFAULT_LAYERS",
    "ONLINE_TILES",
    "TOGGLEABLE",
    "MapView",
    "bounds_to_leaflet",
    "build_map",
    "js_json",
]
