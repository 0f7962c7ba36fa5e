"""Briefing map: projection, scale bar, north arrow, layers as paths, and a legend that
lists exactly what is drawn."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from shapely.geometry import GeometryCollection, LineString, MultiPolygon, Point, Polygon

from kmap.briefing import (
    DEFAULT_LAYERS,
    Projection,
    basedata,
    build_figure,
    map_extent,
    scale_bar_km,
    scale_bar_lonlat,
)
from kmap.briefing.furniture import draw_north_arrow, nice, scale_bar_xy
from kmap.briefing.layers import borders, compound_path, parts
from palette import BASE_STYLES, CONTROL_STYLES, EVENT_STYLES, ZONE_STYLES
from tests.unit.test_briefing import (
    BBOX,
    CONTROL,
    EVENTS,
    GEOD,
    SYNTHETIC_LAYERS,
    _event,
    _fc,
    _labels,
    _legend,
    _spec,
    use_synthetic_basemap,
)


@pytest.fixture(autouse=True)
def synthetic_basemap(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Small synthetic base layers and labels for every test here."""
    use_synthetic_basemap(request, monkeypatch)


# ---------------------------------------------------------------- projection and scale bar


@pytest.mark.parametrize(
    "bbox", [BBOX, (43.0, 38.3, 48.5, 41.8), (46.6, 39.7, 46.9, 39.9), (44.8, 38.8, 47.9, 40.6)]
)
@pytest.mark.parametrize("aspect", [16 / 9, 4 / 3, 1.6, 0.8])
def test_scale_bar_is_true_length_on_the_ground(bbox: tuple, aspect: float) -> None:
    km = scale_bar_km(bbox, 0.2)
    assert km in {m * 10.0**e for m in (1, 2, 5) for e in range(-1, 4)}
    lat = (bbox[1] + bbox[3]) / 2
    width_km = GEOD.inv(bbox[0], lat, bbox[2], lat)[2] / 1000
    assert width_km * 0.2 / 2.5 < km <= width_km * 0.2
    (lon0, lat0), (lon1, lat1) = scale_bar_lonlat(bbox, km, aspect)
    ground_km = GEOD.inv(lon0, lat0, lon1, lat1)[2] / 1000
    assert ground_km == pytest.approx(km, rel=0.005)


def test_fifty_km_bar() -> None:
    bbox = (44.8, 38.8, 47.9, 40.6)
    assert scale_bar_km(bbox, 0.2) == 50
    (lon0, lat0), (lon1, lat1) = scale_bar_lonlat(bbox, 50, 16 / 9)
    assert GEOD.inv(lon0, lat0, lon1, lat1)[2] == pytest.approx(50_000, abs=150)
    # a naive plate carrée bar (degrees of longitude at the equator) would be far off: the
    # check above can fail
    assert GEOD.inv(lon0, lat0, lon0 + 50 / 111.32, lat0)[2] < 45_000


@pytest.mark.parametrize("aspect", [16 / 9, 4 / 3, 0.7])
def test_map_extent_holds_the_view_at_the_frame_aspect(aspect: float) -> None:
    x0, x1, y0, y1 = map_extent(BBOX, aspect)
    assert (x1 - x0) / (y1 - y0) == pytest.approx(aspect)
    proj = Projection(BBOX)
    for lon in (BBOX[0], (BBOX[0] + BBOX[2]) / 2, BBOX[2]):
        for lat in (BBOX[1], BBOX[3]):
            x, y = proj.forward(lon, lat)
            assert x0 - 1 <= float(x) <= x1 + 1 and y0 - 1 <= float(y) <= y1 + 1
    # tight: the bbox touches the frame on one axis
    xs, ys = proj.forward([BBOX[0], BBOX[2]], [BBOX[1], BBOX[3]])
    assert min(abs(xs[0] - x0), abs(ys[0] - y0)) < 0.02 * (x1 - x0)


def test_drawn_scale_bar_and_map_are_undistorted() -> None:
    fig, info = build_figure(_spec(), "16:9")
    fig.canvas.draw()
    ax = fig.axes[0]
    bars = [p for p in ax.patches if p.get_gid() == "scalebar"]
    assert len(bars) == 1
    bar = bars[0]
    assert bar.get_width() == pytest.approx(info["scale_km"] * 1000)
    x, y = bar.get_x(), bar.get_y()
    lons, lats = Projection(BBOX).inverse([x, x + bar.get_width()], [y, y])
    assert GEOD.inv(lons[0], lats[0], lons[1], lats[1])[2] / 1000 == pytest.approx(
        info["scale_km"], rel=0.005
    )
    # same metres per pixel across and up (equal aspect)
    (px0, py0), (px1, py1) = ax.transData.transform([(0, 0), (10_000, 10_000)])
    assert (px1 - px0) == pytest.approx(py1 - py0, rel=0.005)
    assert any(t.get_text() == f"{info['scale_km']:g} km" for t in ax.texts)


# ---------------------------------------------------------------- legend = exactly what is drawn


def test_legend_lists_only_event_types_present() -> None:
    legend = _legend(events=(EVENTS[1], EVENTS[3]))
    assert any(label.startswith("Clash / strike (2)") for label in legend)
    assert not any(label.startswith(EVENT_STYLES["ceasefire"].label) for label in legend)
    assert not any(label.startswith(EVENT_STYLES["control_change"].label) for label in legend)


def test_no_events_no_event_legend() -> None:
    for kw in ({"events": ()}, {"layers": DEFAULT_LAYERS - {"events"}}):
        legend = _legend(**kw)
        labels = {st.label for st in EVENT_STYLES.values()}
        assert not any(label.split(" (")[0] in labels for label in legend), kw
        assert not any("Exact place" in label for label in legend)


def test_events_outside_the_frame_are_not_counted() -> None:
    far = _event(9, 44.0, 41.6, "blockade")
    _, info = build_figure(_spec(events=(*EVENTS, far)), "16:9")
    assert info["events"] == len(EVENTS)
    assert not any(label.startswith("Blockade") for label in info["legend"])


def test_legend_follows_layer_toggles() -> None:
    legend = _legend(layers=frozenset({"admin", "events"}))
    assert BASE_STYLES["admin"].label in legend
    for lid in ("nkao", "districts", "nakhchivan", "enclaves", "enclave_points"):
        assert BASE_STYLES[lid].label not in legend
    assert CONTROL_STYLES["armenian"].label not in legend
    assert ZONE_STYLES["corridor"].label not in legend
    assert "Town / city" not in legend
    # the offline basemap is always drawn (and so in the legend)
    assert BASE_STYLES["borders"].label in legend and BASE_STYLES["lakes"].label in legend


def test_legend_lists_control_and_zone_kinds_present() -> None:
    legend = _legend(control=_fc(CONTROL["features"][0]), zones=None)
    assert CONTROL_STYLES["armenian"].label in legend
    assert CONTROL_STYLES["azerbaijani"].label not in legend
    assert not any(st.label in legend for st in ZONE_STYLES.values())


def test_toponym_mode_reaches_the_labels(monkeypatch: pytest.MonkeyPatch) -> None:
    modes: list[str] = []
    monkeypatch.setattr(basedata, "labels", lambda mode: modes.append(mode) or _labels(mode))
    build_figure(_spec(toponyms="armenian"), "4:3")
    assert modes == ["armenian"]


def test_data_cut_edges_are_not_drawn_as_borders() -> None:
    lines = borders(SYNTHETIC_LAYERS["land"])
    # only the shared edge at 46°E is a border; the outer rectangle is where the data stops
    assert lines.bounds[0] == pytest.approx(46.0) and lines.bounds[2] == pytest.approx(46.0)
    assert lines.length == pytest.approx(4.0, abs=0.01)
    legend = build_figure(_spec(bbox=(43.2, 38.2, 43.4, 38.4), events=()), "a4")[1]["legend"]
    assert BASE_STYLES["borders"].label not in legend


# ---------------------------------------------------------------- furniture and paths


@pytest.mark.parametrize(
    "value,expected",
    [(7.3, 5.0), (5.0, 5.0), (19.99, 10.0), (20.0, 20.0), (0.034, 0.02), (1234.0, 1000.0)],
)
def test_scale_bar_length_is_the_largest_round_number_not_above(
    value: float, expected: float
) -> None:
    assert nice(value) == pytest.approx(expected)


@pytest.mark.parametrize("value", [0.0, -3.0])
def test_scale_bar_length_must_be_positive(value: float) -> None:
    with pytest.raises(ValueError, match="positive"):
        nice(value)


def test_scale_bar_sits_in_the_lower_left_and_is_km_long() -> None:
    extent = (-50_000.0, 50_000.0, -20_000.0, 20_000.0)
    (x0, y0), (x1, y1) = scale_bar_xy(extent, 20)
    assert x1 - x0 == pytest.approx(20_000) and y0 == y1
    assert extent[0] < x0 < 0 and extent[2] < y0 < 0


@pytest.mark.parametrize("bbox", [BBOX, (40.0, 60.0, 60.0, 70.0)])
def test_north_arrow_points_to_true_north(bbox: tuple) -> None:
    """The arrow's 'N' lies from its centre towards the pole at that spot (far from the
    projection's centre, north is not straight up: the check can fail)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure()
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    extent = map_extent(bbox, 16 / 9)
    proj = Projection(bbox)
    draw_north_arrow(ax, proj, extent)
    (circle,) = [p for p in ax.patches if p.__class__.__name__ == "Circle"]
    (label,) = [t for t in ax.texts if t.get_text() == "N"]
    cx, cy = circle.center
    tx, ty = label.get_position()
    lon, lat = proj.inverse([cx], [cy])
    nx, ny = proj.forward(lon, lat + 0.5)
    want = math.atan2(float(nx[0]) - cx, float(ny[0]) - cy)
    assert math.atan2(tx - cx, ty - cy) == pytest.approx(want, abs=math.radians(0.5))
    if bbox != BBOX:
        assert abs(math.degrees(want)) > 2  # the arrow is turned off straight up here


def test_parts_flattens_nested_collections_and_drops_empty_ones() -> None:
    square = Polygon([(0, 0), (1, 0), (1, 1), (0, 1)])
    nested = GeometryCollection(
        [MultiPolygon([square, square]), GeometryCollection([Point(5, 5), Polygon()])]
    )
    got = parts([nested, None, LineString([(0, 0), (1, 1)]), Point()])
    assert [g.geom_type for g in got] == ["Polygon", "Polygon", "Point", "LineString"]


def test_compound_path_keeps_holes_and_lines() -> None:
    outer = [(0, 0), (0, 10), (10, 10), (10, 0)]  # clockwise, as some data has it
    hole = [(4, 4), (6, 4), (6, 6), (4, 6)]
    path, area = compound_path([Polygon(outer, [hole])])
    assert area

    def signed_area(ring: np.ndarray) -> float:
        x, y = ring[:, 0], ring[:, 1]
        return 0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))

    # exterior anticlockwise, hole clockwise: matplotlib's non-zero fill leaves the hole empty
    outer_ring, hole_ring = path.to_polygons()
    assert signed_area(outer_ring) == pytest.approx(100.0)
    assert signed_area(hole_ring) == pytest.approx(-4.0)
    path, area = compound_path([LineString([(0, 0), (3, 4)])])
    assert not area and len(path.vertices) == 2
    assert compound_path([Point(1, 1)]) == (None, False)


def test_borders_are_the_same_object_for_the_same_land_layer() -> None:
    land = SYNTHETIC_LAYERS["land"]
    assert borders(land) is borders(land)
    assert borders(None) is None and borders(_fc()) is None


def test_clip_drops_what_is_outside_the_frame() -> None:
    from kmap.briefing.projection import Clip

    extent = map_extent(BBOX, 16 / 9)
    clip = Clip(Projection(BBOX), extent)
    far = shapely.box(30.0, 30.0, 31.0, 31.0)
    assert clip.geometry(far) is None
    inside = clip.geometry(shapely.box(46.0, 39.5, 46.5, 40.0))
    assert inside is not None and clip.frame.contains(inside)
    x0, x1, y0, y1 = extent
    assert np.isclose(clip.frame.area, (x1 - x0) * (y1 - y0))
