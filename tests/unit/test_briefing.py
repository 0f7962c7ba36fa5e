"""Briefing exports: page sizes, what the legend/footer say, the scale bar, the colours."""

from __future__ import annotations

import io
import math
import re
from datetime import date

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from PIL import Image
from pyproj import Geod

from kmap import briefing
from kmap.briefing import (
    DISCLAIMER,
    BriefingSpec,
    Projection,
    build_figure,
    date_in_words,
    date_range_in_words,
    map_extent,
    render_pdf,
    render_png,
    scale_bar_km,
    scale_bar_lonlat,
    sources_line,
    subtitle,
)
from palette import BASE_STYLES, CONTROL_STYLES, EVENT_STYLES, ZONE_STYLES

GEOD = Geod(ellps="WGS84")
BBOX = (45.0, 39.0, 47.5, 40.5)


def _fc(*features: dict) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def _poly(coords: list[tuple[float, float]], **props: object) -> dict:
    ring = [list(c) for c in coords] + [list(coords[0])]
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def _point(lon: float, lat: float, **props: object) -> dict:
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
    }


def _rect(lon0: float, lat0: float, lon1: float, lat1: float, **props: object) -> dict:
    return _poly([(lon0, lat0), (lon1, lat0), (lon1, lat1), (lon0, lat1)], **props)


SYNTHETIC_LAYERS = {
    "land": _fc(
        _rect(43.0, 38.0, 46.0, 42.0, name="West"), _rect(46.0, 38.0, 49.0, 42.0, name="East")
    ),
    "lakes": _fc(_rect(45.0, 40.2, 45.4, 40.45, name="Lake")),
    "rivers": {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "River"},
                "geometry": {"type": "LineString", "coordinates": [[45.0, 39.1], [47.5, 39.4]]},
            }
        ],
    },
    "admin": _fc(_rect(45.5, 39.2, 46.0, 39.6, name="Admin")),
    "districts": _fc(_rect(46.0, 39.2, 46.4, 39.6, name="District")),
    "nakhchivan": _fc(_rect(45.0, 39.0, 45.4, 39.3, name="Nakhchivan")),
    "nkao": _fc(_rect(46.4, 39.6, 47.0, 40.2, name="NKAO")),
    "enclaves": _fc(_rect(45.2, 40.0, 45.3, 40.08, name="Enclave")),
    "enclave_points": _fc(_point(46.2, 40.3, name="Point enclave")),
}


def _labels(mode: str) -> dict:
    name = {"both": "Stepanakert / Khankendi", "armenian": "Stepanakert"}.get(mode, "Khankendi")
    return _fc(
        _point(46.75, 39.82, text=name, kind="place"),
        _point(45.5, 40.18, text="Yerevan", kind="capital"),
        _point(46.2, 39.4, text="District area", kind="area"),
    )


@pytest.fixture(autouse=True)
def synthetic_basemap(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Small synthetic base layers and labels (tests marked real_basemap use kmap.basemap)."""
    if "real_basemap" in request.fixturenames:
        return
    monkeypatch.setattr(briefing, "_static_layers", lambda: SYNTHETIC_LAYERS)
    monkeypatch.setattr(briefing, "_labels", _labels)


@pytest.fixture
def real_basemap() -> None:
    """Use the real offline layers; skip while geo/ data is not available."""
    try:
        from kmap.basemap import static_layers

        static_layers()
    except (ImportError, FileNotFoundError, OSError) as exc:
        pytest.skip(f"kmap.basemap not usable yet: {exc}")


def _event(
    i: int, lon: float, lat: float, etype: str, prec: str = "exact", pub: str = "Reuters"
) -> dict:
    return _point(
        lon,
        lat,
        id=f"ev-{i}",
        title=f"Event {i}",
        date="2020-10-01",
        type=etype,
        geo_precision=prec,
        sources=[{"publisher": pub, "url": f"https://example.org/{i}"}],
    )


EVENTS = (
    _event(1, 46.75, 39.85, "control_change", "exact", "Reuters"),
    _event(2, 46.3, 39.5, "clash", "near", "BBC"),
    _event(3, 46.9, 39.3, "ceasefire", "district", "OSCE"),
    _event(4, 45.6, 40.0, "clash", "region", "Reuters"),
)
CONTROL = _fc(
    _rect(
        46.45, 39.65, 46.95, 40.15, controller="armenian", label="A", sources=[{"publisher": "ISW"}]
    ),
    _rect(47.05, 39.0, 47.45, 39.5, controller="azerbaijani", label="B"),
)
ZONES = _fc(
    _poly(
        [(46.45, 39.55), (46.6, 39.62), (46.62, 39.6), (46.47, 39.53)],
        kind="corridor",
        name="Lachin",
    )
)


def _spec(**kw: object) -> BriefingSpec:
    base: dict = dict(
        title="Karabakh: the ceasefire line",
        as_of=date(2020, 11, 10),
        event_start=date(2020, 9, 27),
        event_end=date(2020, 11, 10),
        bbox=BBOX,
        events=EVENTS,
        control=CONTROL,
        zones=ZONES,
        made_on=date(2025, 5, 12),
    )
    base.update(kw)
    return BriefingSpec(**base)


def _pdf_text(data: bytes) -> tuple[str, tuple[float, float]]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    text = " ".join(page.extract_text().split())
    return text, (float(page.mediabox.width), float(page.mediabox.height))


# ---------------------------------------------------------------- words


def test_dates_in_words() -> None:
    assert date_in_words(date(2020, 11, 10)) == "10 November 2020"
    assert date_in_words(date(2023, 9, 1)) == "1 September 2023"
    assert (
        date_range_in_words(date(2020, 9, 27), date(2020, 11, 10))
        == "27 September – 10 November 2020"
    )
    assert date_range_in_words(date(2020, 11, 1), date(2020, 11, 10)) == "1 – 10 November 2020"
    assert (
        date_range_in_words(date(2020, 9, 27), date(2023, 9, 19))
        == "27 September 2020 – 19 September 2023"
    )
    assert date_range_in_words(date(2020, 11, 10), date(2020, 11, 10)) == "10 November 2020"


def test_subtitle() -> None:
    assert (
        subtitle(_spec())
        == "Situation as of 10 November 2020 · events 27 September – 10 November 2020"
    )


def test_sources_line_orders_by_citations_and_truncates() -> None:
    pubs = ["BBC", "Reuters", "Reuters", "OSCE", " ", ""] + [f"Outlet {i:02d}" for i in range(40)]
    line = sources_line(pubs, max_chars=80)
    assert line.startswith("Sources: Reuters, BBC, OSCE")
    assert len(line) <= 80
    shown = line.removeprefix("Sources: ").split(" … and ")[0].split(", ")
    more = int(re.search(r"… and (\d+) more$", line).group(1))
    assert len(shown) + more == 43
    assert sources_line(["A", "B"]) == "Sources: A, B"
    assert sources_line([]) == ""


@pytest.mark.parametrize(
    "kw",
    [
        {"bbox": (47.0, 39.0, 46.0, 40.0)},
        {"bbox": (46.0, 40.0, 47.0, 39.0)},
        {"event_start": date(2021, 1, 1)},
        {"toponyms": "russian"},
    ],
)
def test_spec_rejects_bad_input(kw: dict) -> None:
    with pytest.raises(ValueError):
        _spec(**kw)


def test_default_layers_match_the_live_map_toggles() -> None:
    builder = pytest.importorskip("kmap.builder")
    assert frozenset(builder.TOGGLEABLE) | {"control", "zones", "events"} == briefing.DEFAULT_LAYERS


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


# ---------------------------------------------------------------- PNG


@pytest.mark.parametrize("aspect,size", [("16:9", (3840, 2160)), ("4:3", (3200, 2400))])
def test_png_exact_size_and_not_blank(aspect: str, size: tuple[int, int]) -> None:
    data = render_png(_spec(classification="UNCLASSIFIED // FOR TRAINING"), aspect)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    img = Image.open(io.BytesIO(data))
    assert img.size == size
    arr = np.asarray(img.convert("RGB"))
    assert arr.std() > 20
    small = arr[::4, ::4].reshape(-1, 3)
    assert len(np.unique(small, axis=0)) > 200


def test_png_rejects_unknown_aspect() -> None:
    with pytest.raises(ValueError):
        render_png(_spec(), "21:9")


def _pixel(fig: object, ax: object, lon: float, lat: float) -> np.ndarray:
    fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba())
    x, y = Projection(BBOX).forward(lon, lat)
    px, py = ax.transData.transform((float(x), float(y)))
    return rgba[int(rgba.shape[0] - py), int(px), :3] / 255


def _over(color: str, alpha: float, under: np.ndarray) -> np.ndarray:
    return np.array(to_rgb(color)) * alpha + under * (1 - alpha)


def test_colours_come_from_the_shared_style_table() -> None:
    spec = _spec(events=(), zones=None, layers=frozenset({"control"}))
    fig, _ = build_figure(spec, "16:9")
    ax = fig.axes[0]
    land = np.array(to_rgb(BASE_STYLES["land"].fill))
    assert _pixel(fig, ax, 45.8, 39.8) == pytest.approx(land, abs=4 / 255)
    held = CONTROL_STYLES["armenian"]
    expected = _over(held.fill, held.fill_opacity, land)
    assert _pixel(fig, ax, 46.7, 39.9) == pytest.approx(expected, abs=4 / 255)
    az = CONTROL_STYLES["azerbaijani"]
    assert _pixel(fig, ax, 47.25, 39.25) == pytest.approx(
        _over(az.fill, az.fill_opacity, land), abs=4 / 255
    )


# ---------------------------------------------------------------- PDF


def test_pdf_is_a4_landscape_with_extractable_text() -> None:
    spec = _spec(basemap="osm", classification="UNCLASSIFIED // FOR TRAINING")
    data = render_pdf(spec)
    assert data.startswith(b"%PDF")
    text, (w, h) = _pdf_text(data)
    assert w == pytest.approx(842, abs=1) and h == pytest.approx(595, abs=1)
    for needle in (
        "Karabakh: the ceasefire line",
        "Situation as of 10 November 2020",
        "events 27 September – 10 November 2020",
        DISCLAIMER,
        "Natural Earth (public domain)",
        "GeoNames (CC BY 4.0)",
        "online tiles not embedded",
        "OpenStreetMap",
        "Made 12 May 2025",
        EVENT_STYLES["control_change"].label,
        EVENT_STYLES["clash"].label,
        EVENT_STYLES["ceasefire"].label,
        CONTROL_STYLES["armenian"].label,
        CONTROL_STYLES["azerbaijani"].label,
        ZONE_STYLES["corridor"].label,
        BASE_STYLES["nkao"].label,
        "Sources: Reuters, BBC, ISW, OSCE",
        "Stepanakert / Khankendi",
        "km",
    ):
        assert needle in text, needle
    assert text.count("UNCLASSIFIED // FOR TRAINING") == 2
    assert "basemap: offline vector (online tiles not embedded" in text.lower()


def test_pdf_without_classification_events_or_online_basemap() -> None:
    spec = _spec(events=(), title="Quiet day", toponyms="azerbaijani")
    text, _ = _pdf_text(render_pdf(spec))
    assert "Quiet day" in text
    assert "UNCLASSIFIED" not in text
    assert "tiles not embedded" not in text
    assert "Basemap: offline vector" in text
    assert not any(st.label in text for st in EVENT_STYLES.values())
    assert "Events (" not in text
    assert "Khankendi" in text and "Stepanakert" not in text


def test_literal_dollar_signs_in_title() -> None:
    text, _ = _pdf_text(render_pdf(_spec(title="Costs: $5 and $10 per day")))
    assert "Costs: $5 and $10 per day" in text


# ---------------------------------------------------------------- legend = exactly what is drawn


def _legend(**kw: object) -> list[str]:
    return build_figure(_spec(**kw), "a4")[1]["legend"]


def test_legend_lists_only_event_types_present() -> None:
    legend = _legend(events=(EVENTS[1], EVENTS[3]))
    assert any(label.startswith("Clash / strike (2)") for label in legend)
    assert not any(label.startswith(EVENT_STYLES["ceasefire"].label) for label in legend)
    assert not any(label.startswith(EVENT_STYLES["control_change"].label) for label in legend)


def test_no_events_no_event_legend() -> None:
    for kw in ({"events": ()}, {"layers": briefing.DEFAULT_LAYERS - {"events"}}):
        legend = _legend(**kw)
        labels = {st.label for st in EVENT_STYLES.values()}
        assert not any(label.split(" (")[0] in labels for label in legend), kw
        assert not any("Exact place" in label for label in legend)


def test_events_outside_the_frame_are_not_counted() -> None:
    far = _event(9, 44.0, 41.6, "blockade")
    fig, info = build_figure(_spec(events=(*EVENTS, far)), "16:9")
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
    monkeypatch.setattr(briefing, "_labels", lambda mode: modes.append(mode) or _labels(mode))
    build_figure(_spec(toponyms="armenian"), "4:3")
    assert modes == ["armenian"]


# ---------------------------------------------------------------- real offline layers


def test_real_basemap_renders(real_basemap: None) -> None:
    spec = _spec(bbox=(44.8, 38.8, 47.9, 40.6), toponyms="azerbaijani")
    img = Image.open(io.BytesIO(render_png(spec, "16:9")))
    assert img.size == (3840, 2160)
    text, _ = _pdf_text(render_pdf(spec))
    assert "Khankendi" in text
    assert BASE_STYLES["nkao"].label in text
    assert not math.isnan(scale_bar_km(spec.bbox))


def test_data_cut_edges_are_not_drawn_as_borders() -> None:
    borders = briefing._borders(SYNTHETIC_LAYERS["land"])
    # only the shared edge at 46°E is a border; the outer rectangle is where the data stops
    assert borders.bounds[0] == pytest.approx(46.0) and borders.bounds[2] == pytest.approx(46.0)
    assert borders.length == pytest.approx(4.0, abs=0.01)
    legend = build_figure(_spec(bbox=(43.2, 38.2, 43.4, 38.4), events=()), "a4")[1]["legend"]
    assert BASE_STYLES["borders"].label not in legend


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
        and c.get_zorder() in {5 + i for i in range(len(briefing.PRECISION_ORDER))}
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
    assert any("1 place with over" in label for label in info["legend"])


def test_events_sharing_a_spot_are_set_on_a_ring_around_it() -> None:
    events = tuple(_event(i, 46.2, 39.7, "clash") for i in range(3))
    fig, _ = build_figure(_spec(events=events, zones=None, control=None), "16:9")
    ax = fig.axes[0]
    (offsets,) = [c.get_offsets() for c in _event_collections(ax)]
    x, y = Projection(BBOX).forward(46.2, 39.7)
    px = ax.transData.transform(np.asarray(offsets))
    spot = ax.transData.transform((float(x), float(y)))
    d = briefing.EVENT_SIZE_PT * fig.dpi / 72
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
    more = int(re.search(r"… and (\d+) more$", line).group(1))
    listed = line.removeprefix("Sources: ").split(" … and ")[0].split(", ")
    assert len(listed) + more == len(cited)
    assert more > 0 and len(listed) >= 3
    counts = {p: 0 for p in cited}
    for e in events:
        counts[e["properties"]["sources"][0]["publisher"]] += 1
    top = sorted(counts, key=lambda p: (-counts[p], p))[: len(listed)]
    assert listed == top


def test_sources_line_takes_counts() -> None:
    counts = {f"P{i:05d}": 1 for i in range(50_000)} | {"Zeta (most cited)": 7, " ": 3}
    line = sources_line(counts, max_chars=120)
    assert line.startswith("Sources: Zeta (most cited), P00000, P00001")
    assert len(line) <= 120
    more = int(re.search(r"… and (\d+) more$", line).group(1))
    assert len(line.removeprefix("Sources: ").split(" … and ")[0].split(", ")) + more == 50_001
    assert sources_line({"A": 2, "B": 1}) == "Sources: A, B"


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
            marker, area = briefing._glyph_marker("C", 11 * 0.56, 288.0)
            ax.scatter([0.5], [0.5], s=area, marker=marker, facecolors=["black"], linewidths=0)
        else:
            ax.text(
                0.5, 0.5, "C", fontsize=11 * 0.56, fontweight="bold", ha="center",
                va="center_baseline", path_effects=briefing.AS_PATH,
            )  # fmt: skip
        fig.canvas.draw()
        return 255 - np.asarray(fig.canvas.buffer_rgba())[..., 0].astype(float)

    with briefing.rc_context(briefing._RC):
        text, marker = draw(False), draw(True)
    assert marker.sum() == pytest.approx(text.sum(), rel=0.05)
    yy, xx = np.indices(text.shape)
    for w in (xx, yy):
        assert (w * marker).sum() / marker.sum() == pytest.approx(
            (w * text).sum() / text.sum(), abs=0.6
        )


def test_rendering_restores_the_garbage_collector() -> None:
    import gc

    assert gc.isenabled()
    render_png(_spec(events=EVENTS[:1]), "4:3")
    assert gc.isenabled()
    gc.disable()
    try:
        build_figure(_spec(events=()), "a4")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_country_level_events_are_drawn_hollow_and_named_in_the_legend() -> None:
    """UCDP where_prec 6: the point stands for a whole country, never shown as exact."""
    country = _event(8, 46.9, 39.9, "clash", "country", "UCDP")
    legend = _legend(events=(EVENTS[0], country))
    assert any(label.startswith("Country only") for label in legend), legend
    png = briefing.render_png(_spec(events=(country,)))
    assert png.startswith(b"\x89PNG")


def test_every_event_precision_has_a_label_and_a_radius() -> None:
    from events.schema import GeoPrecision
    from palette import PRECISION_LABELS, PRECISION_RADIUS_M

    for p in GeoPrecision:
        assert p.value in PRECISION_LABELS and p.value in PRECISION_RADIUS_M
        assert p.value in briefing.PRECISION_ORDER
