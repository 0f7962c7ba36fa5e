"""Briefing exports: page sizes, what the footer and the PDF say, the colours, the real layers.

Shared by the other briefing tests (test_briefing_map, test_briefing_events): the small
synthetic base layers and labels (autouse fixture), the sample events, control and zones.
"""

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

from kmap.briefing import (
    DEFAULT_LAYERS,
    DISCLAIMER,
    BriefingSpec,
    Projection,
    basedata,
    build_figure,
    date_in_words,
    date_range_in_words,
    render_pdf,
    render_png,
    scale_bar_km,
    sources_line,
    subtitle,
)
from kmap.briefing.captions import basemap_note
from kmap.config import ONLINE_TILES
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


def use_synthetic_basemap(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Draw briefings on the small synthetic base layers and labels, unless the test asks
    for real_basemap (kmap.map.basemap). Each briefing test file calls it in an autouse
    fixture."""
    if "real_basemap" in request.fixturenames:
        return
    monkeypatch.setattr(basedata, "static_layers", lambda: SYNTHETIC_LAYERS)
    monkeypatch.setattr(basedata, "labels", _labels)


@pytest.fixture(autouse=True)
def synthetic_basemap(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Small synthetic base layers and labels for every test here (see use_synthetic_basemap)."""
    use_synthetic_basemap(request, monkeypatch)


@pytest.fixture
def real_basemap() -> None:
    """Use the real offline layers (kmap.map.basemap): a test asking for it is left alone
    by synthetic_basemap. The layers ship with the repository: if they cannot load, the
    test fails."""


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


def _legend(**kw: object) -> list[str]:
    """The legend rows of the A4 briefing of _spec(**kw)."""
    return build_figure(_spec(**kw), "a4")[1]["legend"]


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
    more = int(re.search(r"… and (\d+) more — full list in the deck/CSV$", line).group(1))
    assert len(shown) + more == 43
    assert sources_line(["A", "B"]) == "Sources: A, B"
    assert sources_line([]) == ""


def test_sources_line_takes_counts() -> None:
    counts = {f"P{i:05d}": 1 for i in range(50_000)} | {"Zeta (most cited)": 7, " ": 3}
    line = sources_line(counts, max_chars=120)
    assert line.startswith("Sources: Zeta (most cited), P00000, P00001")
    assert len(line) <= 120
    more = int(re.search(r"… and (\d+) more — full list in the deck/CSV$", line).group(1))
    assert len(line.removeprefix("Sources: ").split(" … and ")[0].split(", ")) + more == 50_001
    assert sources_line({"A": 2, "B": 1}) == "Sources: A, B"


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
    from kmap.config import TOGGLEABLE

    assert frozenset(TOGGLEABLE) | {"control", "zones", "events"} == DEFAULT_LAYERS


def test_basemap_note_names_the_tiles_on_screen() -> None:
    assert basemap_note("offline") == "Basemap: offline vector"
    osm = ONLINE_TILES["osm"]
    note = basemap_note("osm")
    assert note.startswith("Basemap: offline vector (online tiles not embedded; on screen: ")
    assert osm.label in note and "&copy;" not in note and "©" in note  # entities decoded
    assert basemap_note("my-tiles").endswith("on screen: my-tiles)")  # unknown key: named


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


# ---------------------------------------------------------------- real offline layers


def test_real_basemap_renders(real_basemap: None) -> None:
    spec = _spec(bbox=(44.8, 38.8, 47.9, 40.6), toponyms="azerbaijani")
    img = Image.open(io.BytesIO(render_png(spec, "16:9")))
    assert img.size == (3840, 2160)
    text, _ = _pdf_text(render_pdf(spec))
    assert "Khankendi" in text
    assert BASE_STYLES["nkao"].label in text
    assert not math.isnan(scale_bar_km(spec.bbox))


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
