"""Briefing events: symbols, decluttering (rings, piles), labels around them, and the
analyst scale (tens of thousands of events drawn in a fixed number of artists)."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from matplotlib import rc_context
from PIL import Image

from kmap.briefing import PRECISION_ORDER, Projection, build_figure, map_extent, render_png
from kmap.briefing import declutter as dc
from kmap.briefing.eventlayer import events_in_frame
from kmap.briefing.labels import Placer
from kmap.briefing.style import AS_PATH, RC
from kmap.briefing.symbols import EVENT_SIZE_PT, glyph_marker
from palette import EVENT_STYLES
from tests.unit.test_briefing import (
    BBOX,
    EVENTS,
    _event,
    _legend,
    _spec,
    use_synthetic_basemap,
)


@pytest.fixture(autouse=True)
def synthetic_basemap(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Small synthetic base layers and labels for every test here."""
    use_synthetic_basemap(request, monkeypatch)


# ---------------------------------------------------------------- analyst scale (many events)

PRECISIONS = ("exact", "near", "district", "region")


def _many(n: int, seed: int = 0, publisher: object = None) -> tuple[dict, ...]:
    """n events spread over BBOX; every (type, precision) pair occurs once n >= 52."""
    rng = np.random.default_rng(seed)
    lon = rng.uniform(BBOX[0] + 0.05, BBOX[2] - 0.05, n)
    lat = rng.uniform(BBOX[1] + 0.05, BBOX[3] - 0.05, n)
    types = list(EVENT_STYLES)
    return tuple(
        _event(
            i,
            float(lon[i]),
            float(lat[i]),
            types[i % len(types)],
            PRECISIONS[(i // len(types)) % len(PRECISIONS)],
            publisher(i) if publisher else "Reuters",
        )
        for i in range(n)
    )


def _event_collections(ax: object) -> list:
    """The base collection of each (type, precision) group: one offset per drawn event."""
    from matplotlib.collections import PathCollection

    return [
        c
        for c in ax.collections
        if isinstance(c, PathCollection)
        and c.get_zorder() in {5 + i for i in range(len(PRECISION_ORDER))}
    ]


def test_artists_do_not_grow_with_the_number_of_events() -> None:
    counts = {}
    for n in (104, 5_200):
        fig, info = build_figure(_spec(events=_many(n), zones=None, control=None), "16:9")
        ax = fig.axes[0]
        assert info["events"] == n
        counts[n] = (len(ax.get_children()), len(ax.collections), len(ax.texts), len(ax.lines))
        # letters are glyph markers in collections, not one text artist per event
        glyphs = {st.glyph for st in EVENT_STYLES.values()}
        assert not any(t.get_text() in glyphs for t in ax.texts)
        # 13 types x 4 precisions: at most 3 collections each, plus the reference layers
        assert len(ax.collections) <= 3 * 52 + 10
    small, big = counts[104], counts[5_200]
    assert big[0] <= small[0] + 2, counts  # at most the leader lines and dots appear
    assert big[1] <= small[1] and big[2] == small[2], counts


def test_every_event_is_drawn_inside_the_frame_at_scale() -> None:
    n = 20_000
    fig, info = build_figure(_spec(events=_many(n), zones=None, control=None), "16:9")
    ax = fig.axes[0]
    assert info["events"] == n
    offsets = np.concatenate([c.get_offsets() for c in _event_collections(ax)])
    assert len(offsets) == n
    x0, x1, y0, y1 = info["extent"]
    assert (offsets[:, 0] > x0).all() and (offsets[:, 0] < x1).all()
    assert (offsets[:, 1] > y0).all() and (offsets[:, 1] < y1).all()
    assert "Symbols drawn small to show all 20,000 events" in " ".join(info["legend"])
    assert any(label.startswith("Clash / strike (1,5") for label in info["legend"])


def test_a_pile_of_events_at_one_place_is_drawn_whole() -> None:
    pile = tuple(_event(i, 46.75, 39.85, "clash", "exact", "BBC") for i in range(300))
    fig, info = build_figure(_spec(events=pile, zones=None, control=None), "16:9")
    ax = fig.axes[0]
    offsets = np.concatenate([c.get_offsets() for c in _event_collections(ax)])
    assert len(offsets) == 300
    assert len(np.unique(np.round(offsets), axis=0)) == 300  # none hidden under another
    x0, x1, y0, y1 = info["extent"]
    assert (offsets[:, 0] > x0).all() and (offsets[:, 0] < x1).all()
    assert (offsets[:, 1] > y0).all() and (offsets[:, 1] < y1).all()
    assert any("1 place with over" in label for label in info["legend"])


def test_events_sharing_a_spot_are_set_on_a_ring_around_it() -> None:
    events = tuple(_event(i, 46.2, 39.7, "clash") for i in range(3))
    fig, _ = build_figure(_spec(events=events, zones=None, control=None), "16:9")
    ax = fig.axes[0]
    (offsets,) = [c.get_offsets() for c in _event_collections(ax)]
    x, y = Projection(BBOX).forward(46.2, 39.7)
    px = ax.transData.transform(np.asarray(offsets))
    spot = ax.transData.transform((float(x), float(y)))
    d = EVENT_SIZE_PT * fig.dpi / 72
    assert np.hypot(*(px - spot).T) == pytest.approx([0.75 * d] * 3, rel=1e-6)


def test_twenty_thousand_events_render_and_the_sources_say_how_many_more() -> None:
    # 3,000 publishers, cited 1..3,000 times over: the most cited come first
    def publisher(i: int) -> str:
        return f"Outlet {int(np.sqrt(2 * i)) % 3_000:04d}"

    events = _many(20_000, publisher=publisher)
    cited = {e["properties"]["sources"][0]["publisher"] for e in events}
    spec = _spec(events=events, zones=None, control=None)
    img = Image.open(io.BytesIO(render_png(spec, "16:9")))
    assert img.size == (3840, 2160)
    _, info = build_figure(spec, "16:9")
    line = info["sources"]
    more = int(re.search(r"… and (\d+) more — full list in the deck/CSV$", line).group(1))
    listed = line.removeprefix("Sources: ").split(" … and ")[0].split(", ")
    assert len(listed) + more == len(cited)
    assert more > 0 and len(listed) >= 3
    counts = {p: 0 for p in cited}
    for e in events:
        counts[e["properties"]["sources"][0]["publisher"]] += 1
    top = sorted(counts, key=lambda p: (-counts[p], p))[: len(listed)]
    assert listed == top


def test_glyph_markers_sit_where_the_text_did() -> None:
    """The type letter, now one scatter per group, lands on the pixels a centred text did."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    def draw(as_marker: bool) -> np.ndarray:
        fig = Figure(figsize=(0.5, 0.5), dpi=288, facecolor="white")
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.axis("off")
        if as_marker:
            marker, area = glyph_marker("C", 11 * 0.56, 288.0)
            ax.scatter([0.5], [0.5], s=area, marker=marker, facecolors=["black"], linewidths=0)
        else:
            ax.text(
                0.5, 0.5, "C", fontsize=11 * 0.56, fontweight="bold", ha="center",
                va="center_baseline", path_effects=AS_PATH,
            )  # fmt: skip
        fig.canvas.draw()
        return 255 - np.asarray(fig.canvas.buffer_rgba())[..., 0].astype(float)

    with rc_context(RC):
        text, marker = draw(False), draw(True)
    assert marker.sum() == pytest.approx(text.sum(), rel=0.05)
    yy, xx = np.indices(text.shape)
    for w in (xx, yy):
        assert (w * marker).sum() / marker.sum() == pytest.approx(
            (w * text).sum() / text.sum(), abs=0.6
        )


def test_country_level_events_are_drawn_hollow_and_named_in_the_legend() -> None:
    """UCDP where_prec 6: the point stands for a whole country, never shown as exact."""
    country = _event(8, 46.9, 39.9, "clash", "country", "UCDP")
    legend = _legend(events=(EVENTS[0], country))
    assert any(label.startswith("Country only") for label in legend), legend
    png = render_png(_spec(events=(country,)))
    assert png.startswith(b"\x89PNG")


def test_every_event_precision_has_a_label_and_a_radius() -> None:
    from events.schema import GeoPrecision
    from palette import PRECISION_LABELS, PRECISION_RADIUS_M

    for p in GeoPrecision:
        assert p.value in PRECISION_LABELS and p.value in PRECISION_RADIUS_M
        assert p.value in PRECISION_ORDER


# ---------------------------------------------------------------- declutter, frame, labels


def _pixel_axes(width_px: int = 800, height_px: int = 450) -> object:
    """Axes filling a 100-dpi figure whose data units are display pixels."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_px / 100, height_px / 100), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width_px)
    ax.set_ylim(0, height_px)
    return ax


def test_clusters_are_greedy_in_event_order() -> None:
    # the first event takes its neighbour within r; the third, out of its reach, starts
    # its own group although it is within r of the second (already taken)
    px = np.array([[0.0, 0.0], [4.0, 0.0], [8.0, 0.0], [100.0, 100.0]])
    assert dc.clusters(px, 5.0).tolist() == [0, 0, 2, 3]
    assert dc.clusters(px[::-1].copy(), 5.0).tolist() == [0, 1, 1, 3]
    same = np.array([[1.0, 1.0], [50.0, 50.0], [1.0, 1.0], [1.0, 1.0]])
    assert dc.clusters(same, 5.0).tolist() == [0, 1, 0, 0]
    assert dc.clusters(np.empty((0, 2)), 5.0).tolist() == []


def test_clusters_fall_back_to_grid_cells_over_the_pair_cap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    px = np.array([[0.0, 0.0], [4.9, 4.9]])  # one grid cell, but 6.9 apart
    assert dc.clusters(px, 5.0).tolist() == [0, 1]
    monkeypatch.setattr(dc, "PAIR_CAP", 0)
    assert dc.clusters(px, 5.0).tolist() == [0, 0]


def test_spread_leaves_lone_symbols_alone() -> None:
    ax = _pixel_axes()
    pts = np.array([[100.0, 100.0], [300.0, 200.0]])
    out = dc.spread(ax, pts, 11.0)
    assert np.array_equal(out.xy, pts) and not out.in_pile.any() and len(out.piles) == 0


@pytest.mark.parametrize("spot", [[400.0, 225.0], [795.0, 5.0]])
def test_spread_packs_a_big_group_on_a_disc_in_the_frame(spot: list[float]) -> None:
    ax = _pixel_axes()
    n = dc.RING_MAX + 10
    lone = [100.0, 400.0]
    out = dc.spread(ax, np.array([spot] * n + [lone]), 11.0)
    assert out.in_pile[:n].all() and not out.in_pile[n]
    assert out.piles == pytest.approx(np.array([spot]))
    assert out.xy[n] == pytest.approx(lone)
    half = 11.0 * 100 / 72 / 2  # half a symbol, in pixels: every symbol whole in the frame
    assert (out.xy[:n] >= half - 1e-6).all()
    assert (out.xy[:n, 0] <= 800 - half + 1e-6).all()
    assert (out.xy[:n, 1] <= 450 - half + 1e-6).all()
    if spot[0] == 400.0:  # away from the edges, no two symbols share a place
        assert len(np.unique(out.xy[:n].round(6), axis=0)) == n
        radius = np.hypot(*(out.xy[:n] - spot).T)
        assert radius.max() <= dc.PILE_MAX * 450 + 1e-6


def test_events_in_frame_keeps_point_events_inside_only() -> None:
    proj = Projection(BBOX)
    extent = map_extent(BBOX, 16 / 9)
    inside = _event(1, 46.0, 39.5, "clash", "near", "BBC")
    odd_precision = _event(2, 46.1, 39.6, "clash", "somewhere", "BBC")
    uploaded = _event(3, 46.2, 39.7, "shelling", "exact", "OSCE")
    uploaded["properties"]["from_file"] = "mine.csv"
    outside = _event(4, 30.0, 30.0, "clash")
    line = {"type": "Feature", "properties": {}, "geometry": {"type": "LineString"}}
    broken = {"type": "Feature", "geometry": {"type": "Point", "coordinates": ["x"]}}
    ev = events_in_frame(
        [inside, line, odd_precision, broken, None, outside, uploaded], proj, extent
    )
    assert len(ev.xy) == 3
    assert ev.groups == [("clash", "near"), ("clash", "exact"), ("shelling", "exact")]
    assert ev.group.tolist() == [0, 1, 2]
    assert ev.publishers == {"BBC": 2, "OSCE": 1}
    assert ev.files == {"mine.csv": 1}
    x, y = proj.forward(46.0, 39.5)
    assert ev.xy[0] == pytest.approx([float(x), float(y)])


def test_labels_prefer_the_side_clear_of_event_symbols() -> None:
    ax = _pixel_axes()
    right_box = (100.0, 100.0, 160.0, 112.0)  # a town label right of its dot
    left_box = (40.0, 100.0, 100.0, 112.0)
    symbol_right = np.array([[140.0, 106.0]])
    assert Placer(ax, symbol_right, 11.0).place([("left", right_box), ("right", left_box)]) == (
        "right"
    )
    placer = Placer(ax, np.empty((0, 2)), 11.0)
    assert placer.place([("left", right_box), ("right", left_box)]) == "left"
    # the next label may not overlap the first, nor leave the frame
    assert placer.place([("left", (150.0, 105.0, 200.0, 117.0))]) is None
    assert placer.place([("left", (790.0, 10.0, 850.0, 22.0))]) is None
    assert placer.place([("left", (200.0, 105.0, 250.0, 117.0))]) == "left"
