"""Map builder: local assets only, layers per view, escaping, coordinates in one place."""

from __future__ import annotations

import json
import math
import re

import pytest

from kmap.config import BASEMAPS
from kmap.coords import bounds_to_leaflet, to_leaflet
from kmap.map.assets import asset_sources, ensure_static
from kmap.map.basemap import MAIN_TOWNS, labels, static_layers
from kmap.map.builder import MapView, build_map


def _html(view: MapView) -> str:
    return build_map(view).get_root().render()


def test_assets_are_local_only() -> None:
    html = _html(MapView())
    srcs = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert srcs, "no asset tags rendered"
    assert all(s.startswith("/app/static/") for s in srcs), srcs
    assert "cdn" not in html.lower()


def test_every_vendored_file_exists() -> None:
    missing = [rel for rel, src in asset_sources().items() if not src.is_file()]
    assert missing == []


def test_ensure_static_copies_assets_and_layers(tmp_path) -> None:
    ensure_static(tmp_path)
    assert (tmp_path / "vendor/leaflet/leaflet.js").stat().st_size > 100_000
    assert (tmp_path / "kmap/kmap.js").is_file()
    nkao = json.loads((tmp_path / "data/nkao.geojson").read_text())
    assert len(nkao["features"]) == 1


@pytest.mark.parametrize("basemap", list(BASEMAPS))
def test_basemaps(basemap: str) -> None:
    html = _html(MapView(basemap=basemap))
    if basemap == "offline":
        assert "/app/static/data/land.geojson" in html
        assert "L.tileLayer" not in html
    else:
        assert "L.tileLayer" in html
        assert "/app/static/data/land.geojson" not in html


def test_unknown_basemap_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown basemap"):
        build_map(MapView(basemap="nope"))


def test_layer_toggles_and_legend_follow_view() -> None:
    view = MapView(layers=frozenset({"nkao"}))
    assert view.visible_base_layers() == ["land", "lakes", "rivers", "borders", "nkao"]
    legend = _legend_labels(view)
    assert "Former NKAO (1991)" in legend
    assert not any("Seven districts" in e for e in legend)
    assert legend[0] == "International border"  # the offline land layer draws the borders
    online = _legend_labels(MapView(basemap="osm", layers=frozenset({"districts", "admin"})))
    assert online == ["Seven districts around the former NKAO"]  # no borders, no admin lines


def _legend_labels(view: MapView) -> list[str]:
    """Labels of the static legend rows in the built map's page."""
    html = _html(view)
    found = re.search(r'KMap\.addLegend\([^,]+, "Legend", (\[.*?\]), "bottomleft"\)', html)
    assert found, "no legend in the page"
    return [e["label"] for e in json.loads(found.group(1))]


def test_static_layers_have_named_features() -> None:
    layers = static_layers()
    assert len(layers["districts"]["features"]) == 7
    assert len(layers["nkao"]["features"]) == 1
    assert len(layers["nakhchivan"]["features"]) == 1
    kinds = {f["geometry"]["type"] for f in layers["enclave_points"]["features"]}
    assert kinds == {"Point"}
    names = {f["properties"]["label"] for f in layers["districts"]["features"]}
    assert any("Kalbajar" in n and "Karvachar" in n for n in names), names


@pytest.mark.parametrize("mode", ["both", "armenian", "azerbaijani"])
def test_labels_all_main_towns_and_both_toponyms(mode: str) -> None:
    texts = [f["properties"]["text"] for f in labels(mode)["features"]]
    assert len(texts) >= len(MAIN_TOWNS)
    expect = {
        "both": ["Stepanakert / Khankendi", "Shushi / Shusha", "Berdzor / Lachin"],
        "armenian": ["Stepanakert", "Shushi", "Berdzor"],
        "azerbaijani": ["Khankendi", "Shusha", "Lachin"],
    }[mode]
    for t in expect:
        assert t in texts, (t, texts)


def test_coords_convert_in_one_place() -> None:
    assert to_leaflet(46.75, 39.82) == [39.82, 46.75]
    assert bounds_to_leaflet((43, 38.3, 48.5, 41.8)) == [[38.3, 43], [41.8, 48.5]]
    with pytest.raises(ValueError):
        to_leaflet(39.8, 146.7)


def test_the_default_view_fits_its_frame_and_a_links_view_is_kept() -> None:
    from kmap.config import DEFAULT_FRAME

    fit = re.compile(r"KMap\.fitFrame\(\w+, (\[\[.*?\]\])\)")
    found = fit.search(_html(MapView()))
    assert found, "the default view does not fit the frame"
    x0, y0, x1, y1 = DEFAULT_FRAME
    assert json.loads(found[1]) == [[y0, x0], [y1, x1]]  # [lat, lon]
    assert not fit.search(_html(MapView(center=(46.75, 39.8), zoom=10)))


def test_an_online_basemap_is_watched_and_the_offline_one_is_not() -> None:
    online = _html(MapView(basemap="osm"))
    watched = re.search(r"KMap\.watchTiles\((\w+), (\w+), (\".*?\")\)", online)
    assert watched, "no tile watch on an online basemap"
    assert f"var {watched[2]} = L.tileLayer(" in online  # the layer it watches
    assert json.loads(watched[3]) == "OpenStreetMap"
    assert "KMap.watchTiles" not in _html(MapView())
    assert "kmap/kmap-screen.js" in online


def test_no_false_coastline_where_the_basemap_ends() -> None:
    """The land is drawn without an outline; the border lines leave out the clip box's edge
    (drawn, it looked like a coast at 48.5°E) but keep the borders between countries."""
    from shapely.geometry import box, shape

    from geo.boundaries import BBOX

    html = _html(MapView())
    land = re.search(r'KMap\.addGeoJson\(\w+, (\{"name":"land".*?\})\);', html)
    assert land and json.loads(land[1])["style"]["stroke"] is False
    assert '"name":"borders"' in html
    borders = shape(static_layers()["borders"]["features"][0]["geometry"])
    edge = box(*BBOX).exterior
    assert borders.length > 5  # degrees of border lines are drawn
    assert borders.intersection(edge.buffer(1e-5)).length < 1e-3
    # Armenia-Azerbaijan, as an example: a border between two countries is kept
    countries = {
        f["properties"]["name"]: shape(f["geometry"]) for f in static_layers()["land"]["features"]
    }
    shared = countries["Armenia"].boundary.intersection(countries["Azerbaijan"].boundary)
    assert shared.length > 1 and shared.difference(borders.buffer(1e-6)).length < 1e-6


def test_a_map_showing_the_fitted_frame_is_still_the_default_view() -> None:
    """What Leaflet's fitBounds gives for a map of some size counts as the default view; a
    zoom in (or a pan that cuts the frame) is the user's own position."""
    from kmap.config import DEFAULT_FRAME
    from kmap.map.builder import _mercator_px, shows_default_frame

    def bounds(center: tuple[float, float], zoom: int, w: int, h: int) -> tuple:
        cx, cy = _mercator_px(*center, zoom)
        size = 256 * 2**zoom

        def lonlat(x: float, y: float) -> tuple[float, float]:
            lon = x / size * 360 - 180
            lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / size))))
            return lon, lat

        (x0, y1), (x1, y0) = lonlat(cx - w / 2, cy - h / 2), lonlat(cx + w / 2, cy + h / 2)
        return (x0, y0, x1, y1)

    fx0, fy0, fx1, fy1 = DEFAULT_FRAME
    middle = ((fx0 + fx1) / 2, (fy0 + fy1) / 2)
    # 1572x740 (1920x1080 with the sidebar): the frame fits at 8, not at 9
    assert shows_default_frame(bounds(middle, 8, 1572, 740), 8)
    assert not shows_default_frame(bounds(middle, 9, 1572, 740), 9)  # zoomed in
    assert not shows_default_frame(bounds(middle, 7, 1572, 740), 7)  # zoomed out: not the fit
    # 1018x428 (1366x768): the frame is 500+ px tall at 8, so the fit is 7
    assert shows_default_frame(bounds(middle, 7, 1018, 428), 7)
    assert not shows_default_frame(bounds(middle, 8, 1018, 428), 8)  # frame cut
    assert not shows_default_frame(bounds((fx1, fy1), 8, 1572, 740), 8)  # panned off it
