"""Compose the folium map: offline basemap, reference layers, labels and legend.

The base map is built once per view setting (basemap, toponyms, layer toggles); what changes
with the date slider travels separately as a small state group (kmap.map.elements.StateUpdate),
so the browser keeps the same map, zoom and centre.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import folium
from jinja2 import Template

from kmap.config import (
    BASE_LAYERS,
    BASEMAPS,
    DATA_ATTRIBUTION,
    DEFAULT_CENTER,
    DEFAULT_FRAME,
    DEFAULT_LAYERS,
    DEFAULT_ZOOM,
    MAP_BOUNDS,
    MIN_ZOOM,
    OFFLINE_MAX_ZOOM,
    OFFLINE_ONLY,
    ONLINE_TILES,
    STATIC_URL,
)
from kmap.coords import to_leaflet
from kmap.legend import entries, reference_rows
from kmap.map.assets import use_local_assets
from kmap.map.basemap import labels
from kmap.map.elements import ScriptMacro, js_json
from palette import BASE_STYLES

POPUP_FIELDS = [
    {"key": "label", "label": None},
    {"key": "de_jure", "label": "De jure (Soviet era)"},
    {"key": "geometry_kind", "label": "Geometry"},
    {"key": "precision", "label": "Precision"},
    {"key": "source", "label": "Source", "link": "source_url"},
]
#: Reference layers drawn without a popup (background, or too dense to click).
PASSIVE_LAYERS = frozenset({"land", "lakes", "rivers", "borders", "admin"})


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

    def is_default_position(self) -> bool:
        """Whether the map opens at the default centre and zoom (then it fits DEFAULT_FRAME)."""
        return tuple(self.center) == tuple(DEFAULT_CENTER) and self.zoom == DEFAULT_ZOOM

    def legend_layers(self) -> list[str]:
        """Reference layers the legend lists: those drawn, except the faint district lines
        and the border lines (the legend's "land" row stands for them)."""
        return [lid for lid in self.visible_base_layers() if lid not in ("admin", "borders")]


class KMapSetup(ScriptMacro):
    """Script that sets up panes, attribution, static layers, labels and legend."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
KMap.init({{ this._parent.get_name() }}, {{ this.opts }});
KMap.trackSize({{ this._parent.get_name() }});
{% if this.fit %}KMap.fitFrame({{ this._parent.get_name() }}, {{ this.fit }});
{% endif %}{% for spec in this.specs %}KMap.addGeoJson({{ this._parent.get_name() }}, {{ spec }});
{% endfor %}{% if this.labels %}
KMap.addLabels({{ this._parent.get_name() }}, "labels", {{ this.labels }});
{% endif %}
{% endmacro %}
"""
    )

    def __init__(self, view: MapView) -> None:
        super().__init__()
        self._name = "KMapSetup"
        self.opts = js_json(
            {
                "imagePath": f"{view.static_url}/vendor/leaflet/images/",
                "prefix": "karabakh-map",
                "attribution": list(DATA_ATTRIBUTION),
            }
        )
        self.specs = [js_json(_layer_spec(lid, view)) for lid in view.visible_base_layers()]
        # the default view is a frame, fitted to the window (a link's centre/zoom is kept)
        self.fit = js_json(_frame_bounds(DEFAULT_FRAME)) if view.is_default_position() else ""
        self.labels = js_json(labels(view.toponyms)) if "labels" in view.layers else ""


def _frame_bounds(bbox: tuple[float, float, float, float]) -> list[list[float]]:
    """Leaflet bounds [[south, west], [north, east]] of a (lon_min, lat_min, lon_max, lat_max)."""
    return [list(to_leaflet(bbox[0], bbox[1])), list(to_leaflet(bbox[2], bbox[3]))]


def _mercator_px(lon: float, lat: float, zoom: int) -> tuple[float, float]:
    """Web Mercator pixel coordinates of (lon, lat) at `zoom` (Leaflet's EPSG:3857, 256 px)."""
    size = 256 * 2**zoom
    phi = math.radians(lat)
    y = (1 - math.log(math.tan(phi) + 1 / math.cos(phi)) / math.pi) / 2
    return (lon + 180) / 360 * size, y * size


def shows_default_frame(bbox: tuple[float, float, float, float], zoom: int) -> bool:
    """Whether a map showing `bbox` (lon_min, lat_min, lon_max, lat_max) at `zoom` is still
    the default view: the whole DEFAULT_FRAME in sight, at the zoom Leaflet's fitBounds picks
    for a map of that size (the largest whole zoom at which the frame fits). Such a view is
    the fitted default, not a position of the user's: its link stays short and reopens fitted
    to the next reader's window."""
    fx0, fy0, fx1, fy1 = DEFAULT_FRAME
    x0, y0, x1, y1 = bbox
    eps = 1e-6
    if not (x0 <= fx0 + eps and y0 <= fy0 + eps and x1 >= fx1 - eps and y1 >= fy1 - eps):
        return False
    (ax, ay), (bx, by) = _mercator_px(x0, y1, zoom), _mercator_px(x1, y0, zoom)
    (fax, fay), (fbx, fby) = _mercator_px(fx0, fy1, zoom), _mercator_px(fx1, fy0, zoom)
    scale = min((bx - ax) / (fbx - fax), (by - ay) / (fby - fay))
    return math.floor(zoom + math.log2(scale) + 1e-9) == zoom


def _layer_spec(lid: str, view: MapView) -> dict:
    """KMap.addGeoJson spec of a reference layer: where its GeoJSON is, pane, style, popup."""
    style = BASE_STYLES[lid].leaflet()
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
        "interactive": lid not in PASSIVE_LAYERS,
        "className": f"kmap-{lid}",
    }
    if lid == "land":  # fill only: the borders layer draws the borders, not the clip box
        spec["style"] = {**style, "stroke": False}
    if lid == "enclave_points":
        spec["pointStyle"] = {**style, "radius": 7}
    if spec["interactive"]:
        spec["tooltipKey"] = "label"
        spec["popupFields"] = POPUP_FIELDS
    return spec


class TileWatch(ScriptMacro):
    """Say on the map when an online basemap cannot load, and offer the offline one."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
KMap.watchTiles({{ this._parent.get_name() }}, {{ this.layer }}, {{ this.label }});
{% endmacro %}
"""
    )

    def __init__(self, layer: folium.TileLayer, label: str) -> None:
        super().__init__()
        self._name = "KMapTileWatch"
        self.layer = layer.get_name()
        self.label = js_json(label)


class Legend(ScriptMacro):
    """Legend control, bottom-left (it hides least there: the Caspian / Iran side of the
    default view), collapsing to a button: the reference rows of the view (kmap.legend); the
    time layers' rows arrive with each state update (KMap.setLegendExtra)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
KMap.addLegend({{ this._parent.get_name() }}, {{ this.title }}, {{ this.entries }}, "bottomleft");
{% endmacro %}
"""
    )

    def __init__(self, title: str, rows: list[dict]) -> None:
        super().__init__()
        self._name = "KMapLegend"
        self.title = js_json(title)
        self.entries = js_json(rows)


def build_map(view: MapView = MapView()) -> folium.Map:
    """The base map for a view: offline basemap (or an online tile layer), reference
    layers, labels, scale bar and legend, with every asset served locally."""
    tiles = ONLINE_TILES.get(view.basemap)
    if view.basemap != "offline" and tiles is None:
        raise ValueError(f"unknown basemap {view.basemap!r}; choose from {', '.join(BASEMAPS)}")
    max_zoom = tiles.max_zoom if tiles else OFFLINE_MAX_ZOOM
    m = folium.Map(
        location=to_leaflet(*view.center),
        zoom_start=view.zoom,
        tiles=None,
        control_scale=True,
        min_zoom=MIN_ZOOM,
        max_zoom=max_zoom,
        max_bounds=True,
        min_lat=MAP_BOUNDS[1],
        max_lat=MAP_BOUNDS[3],
        min_lon=MAP_BOUNDS[0],
        max_lon=MAP_BOUNDS[2],
    )
    # L.markerClusterGroup (the events, kmap.js) throws on a map without maxZoom; folium
    # leaves it out of the options when tiles=None
    m.options["max_zoom"] = max_zoom
    use_local_assets(m, view.static_url)
    if tiles:
        layer = folium.TileLayer(
            tiles=tiles.url, attr=tiles.attribution, name=tiles.label, max_zoom=tiles.max_zoom
        ).add_to(m)
        TileWatch(layer, tiles.label).add_to(m)
    KMapSetup(view).add_to(m)
    Legend("Legend", entries(reference_rows(view.legend_layers()))).add_to(m)
    return m
