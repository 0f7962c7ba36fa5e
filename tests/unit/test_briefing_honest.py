"""Every briefing image honest and legible (issue #19): the filters in words on the image,
titles wrapped to two lines, a legible footer at projector size, one name per publisher,
a place named once and labels never under event symbols."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace

import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.text import Text

from events import load_catalogue
from events.publishers import shipped_register
from events.query import filter_events
from geo.control import control_geojson
from geo.zones import zones_geojson
from kmap.briefing import DISCLAIMER, PAGES, build_figure, render_pdf, render_png
from kmap.briefing.captions import MORE_WHERE, sources_line
from kmap.briefing.labels import LABEL_Z
from kmap.situation import situation
from kmap.view_export import briefing_spec, compare_specs, filters_in_words, publisher_name
from kmap.viewstate import ViewState
from tests.unit.test_briefing import _event, _fc, _point, _spec, use_synthetic_basemap

FILTERS = (
    "Event types: clash, control change · text 'Lachin' · exact locations only: "
    "12 of 37 events in the window shown"
)
TITLE_113 = (
    "Karabakh, the Lachin corridor and the southern districts: the situation after the "
    "ceasefire of 9–10 November 2020"
)
#: The town labels of the real basemap (kmap.map.basemap) the pile test puts events on.
TOWNS = {
    "Stepanakert / Khankendi": (46.7528, 39.8177),
    "Shushi / Shusha": (46.74989, 39.76006),
    "Kovsakan / Zangilan": (46.65988, 39.08371),
}


@pytest.fixture(autouse=True)
def synthetic_basemap(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    use_synthetic_basemap(request, monkeypatch)


@pytest.fixture
def real_basemap() -> None:
    """The real offline layers and labels (left alone by synthetic_basemap)."""


def _texts(fig: object, gid: str) -> list:
    return [t for t in fig.findobj(lambda a: getattr(a, "get_gid", lambda: None)() == gid)]


def _pdf_words(data: bytes) -> str:
    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(data)).pages[0]
    return " ".join(page.extract_text().split())


# ---------------------------------------------------------------- filters in words


def test_the_filters_are_printed_under_the_subtitle() -> None:
    fig, _ = build_figure(_spec(filters=FILTERS), "16:9")
    (line,) = _texts(fig, "filters")
    assert " ".join(line.get_text().split()) == FILTERS
    (title,) = _texts(fig, "title")
    renderer = fig.canvas.get_renderer()
    assert line.get_window_extent(renderer).y1 < title.get_window_extent(renderer).y0
    assert FILTERS in _pdf_words(render_pdf(_spec(filters=FILTERS)))
    assert not _texts(build_figure(_spec(), "16:9")[0], "filters")  # no line: none drawn


@pytest.fixture(scope="module")
def catalogue() -> list:
    return list(load_catalogue().events)


def test_briefing_spec_says_the_filters_and_counts_the_window(catalogue: list) -> None:
    view = ViewState(
        start=dt.date(2020, 9, 27),
        end=dt.date(2020, 11, 10),
        types=("clash", "control_change"),
        text="Lachin",
    )
    sit = situation(catalogue, view)
    spec = briefing_spec(view, sit, None, "T", None, catalogue)
    in_window = len(filter_events(catalogue, view.start, view.end))
    assert in_window > len(sit.shown)  # the filters leave some events out: the image says so
    assert spec.filters == filters_in_words(view, len(sit.shown), in_window)
    assert spec.filters.startswith("Event types: clash, control change · text 'Lachin'")
    assert f"{len(sit.shown):,} of {in_window:,} events in the window shown" in spec.filters
    # without the events it was filtered from, no count can be honest: no line
    assert briefing_spec(view, sit, None, "T", None).filters is None


def test_the_deck_words_are_the_same_function() -> None:
    from kmap.deck import pages

    assert pages.filters_in_words is filters_in_words


# ---------------------------------------------------------------- titles


def _title_lines(spec_kw: dict, page: str) -> list[str]:
    fig, _ = build_figure(_spec(**spec_kw), page)
    (t,) = _texts(fig, "title")
    renderer = fig.canvas.get_renderer()
    assert t.get_window_extent(renderer).x1 <= fig.bbox.x1  # inside the page
    return t.get_text().split("\n")


@pytest.mark.parametrize("page", ["16:9", "a4"])
def test_a_113_character_title_wraps_to_two_lines_in_full(page: str) -> None:
    assert len(TITLE_113) == 113
    lines = _title_lines({"title": TITLE_113}, page)
    assert len(lines) == 2
    assert " ".join(lines) == TITLE_113
    assert TITLE_113 in _pdf_words(render_pdf(_spec(title=TITLE_113)))


def test_a_200_character_title_is_shrunk_to_two_lines_and_kept_whole() -> None:
    title = (
        TITLE_113 + " and the villages of the Hadrut, Shusha and Lachin districts as reported "
        "by either side"
    )
    assert len(title) == 200
    lines = _title_lines({"title": title}, "a4")
    assert len(lines) == 2 and " ".join(lines) == title
    fig, _ = build_figure(_spec(title=title), "a4")
    assert _texts(fig, "title")[0].get_fontsize() < PAGES["a4"].title_pt  # a step smaller
    assert title in _pdf_words(render_pdf(_spec(title=title)))


def test_a_title_too_long_for_two_lines_is_cut_as_the_last_resort() -> None:
    title = " ".join(f"word{i}" for i in range(150))
    lines = _title_lines({"title": title}, "16:9")
    assert len(lines) == 2 and lines[1].endswith("…")
    assert title.startswith(" ".join(lines)[:-1].rstrip())


# ---------------------------------------------------------------- footer


@pytest.mark.parametrize(("basemap", "lines"), [("offline", 5), ("satellite", 6)])
def test_footer_is_legible_when_the_slide_is_shown_1024_px_wide(basemap: str, lines: int) -> None:
    fig, _ = build_figure(_spec(basemap=basemap), "16:9")
    footer = _texts(fig, "footer")
    # sources, credits, basemap and projection (two lines for an online basemap's long
    # attribution), disclaimer, made-on: every one whole, none cut with "…"
    assert len(footer) == lines
    assert not any(t.get_text().endswith("…") for t in footer)
    renderer = fig.canvas.get_renderer()
    shown = 1024 / (PAGES["16:9"].width_in * PAGES["16:9"].dpi)  # displayed px per page px
    for t in footer:
        height = t.get_window_extent(renderer).height * shown
        assert height >= 11, (t.get_text(), height)
        assert t.get_window_extent(renderer).x1 <= fig.bbox.x1


# ---------------------------------------------------------------- sources


def test_sources_line_names_each_publisher_once_by_the_register(catalogue: list) -> None:
    reg = shipped_register()
    view = ViewState(start=dt.date(2020, 9, 27), end=dt.date(2020, 11, 10))
    sit = situation(catalogue, view)
    spec = briefing_spec(view, sit, None, "T", None, catalogue)
    cited = [(s.url, s.publisher) for ev in sit.shown for s in ev.event.sources]
    for fc in (spec.control, spec.zones):
        raw = {f["properties"].get("id"): f for f in (fc or {"features": []})["features"]}
        assert raw  # control and zones are on: their sources are credited too
    for geo_fc in (control_geojson(view.as_of), zones_geojson(view.as_of)):
        for f in geo_fc["features"]:
            cited += [(s["url"], s["publisher"]) for s in f["properties"].get("sources", [])]
    expected = {publisher_name(u, p) for u, p in cited}
    in_register = [(u, p) for u, p in cited if reg.lookup(u) is not None]
    assert in_register  # the test means something: the data cite registered publishers
    for u, p in in_register:
        assert publisher_name(u, p) == reg.lookup(u).name  # "AzerNews", not "AzerNews — …"
    drawn = {s["publisher"] for f in spec.events for s in f["properties"]["sources"]}
    for fc in (spec.control, spec.zones):
        drawn |= {s["publisher"] for f in fc["features"] for s in f["properties"]["sources"]}
    assert drawn <= expected
    labels = {reg.lookup(u).label for u, _ in in_register}
    assert not drawn & labels  # the register's "NAME — KIND" labels are not names
    line = build_figure(spec, "a4")[1]["sources"]
    listed = line.removeprefix("Sources: ").split(" … and ")[0].split(", ")
    assert len(listed) == len(set(listed)) and set(listed) <= expected


def test_a_capped_sources_line_says_where_the_full_list_is() -> None:
    line = sources_line([f"Outlet {i}" for i in range(60)], max_chars=120)
    assert line.endswith(f"more{MORE_WHERE}") and len(line) <= 120


# ---------------------------------------------------------------- labels


def _labels_with_district(mode: str) -> dict:
    return _fc(
        _point(46.75, 39.82, text="Twin", kind="place"),
        _point(46.76, 39.80, text="Twin", kind="area"),
        _point(46.2, 39.4, text="Far", kind="place"),
        _point(47.6, 40.5, text="Far", kind="place"),  # outside the frame
        _point(46.1, 39.45, text="Lone", kind="area"),
    )


def test_a_place_is_named_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from kmap.briefing import basedata

    monkeypatch.setattr(basedata, "labels", _labels_with_district)
    drawn = build_figure(_spec(events=()), "16:9")[1]["labels"]
    assert drawn.count(("Twin", "place")) == 1 and ("Twin", "area") not in drawn
    assert ("Lone", "area") in drawn
    # the town out of the frame: its district's label is drawn
    far = build_figure(_spec(events=(), bbox=(46.3, 39.6, 47.0, 40.1)), "16:9")[1]["labels"]
    assert ("Twin", "place") in far


def test_town_out_of_frame_leaves_the_district_label(monkeypatch: pytest.MonkeyPatch) -> None:
    from kmap.briefing import basedata

    def labels(mode: str) -> dict:
        return _fc(
            _point(47.5, 40.5, text="Twin", kind="place"),
            _point(46.5, 39.6, text="Twin", kind="area"),
        )

    monkeypatch.setattr(basedata, "labels", labels)
    drawn = build_figure(_spec(events=()), "16:9")[1]["labels"]
    assert drawn == [("Twin", "area")]


def _pile() -> tuple[dict, ...]:
    kinds = ("clash", "shelling", "control_change")
    return tuple(
        _event(i, lon + (i % 3) * 1e-4, lat, kinds[i % 3], "exact", f"Outlet {i % 7}")
        for k, (lon, lat) in enumerate(TOWNS.values())
        for i in range(30 * k, 30 * k + 30)
    )


def test_labels_over_piles_of_events_are_kept_and_never_under_a_symbol(
    real_basemap: None,
) -> None:
    spec = _spec(events=_pile(), bbox=(46.0, 38.9, 47.4, 40.2), control=None, zones=None)
    fig, info = build_figure(spec, "16:9")
    drawn = info["labels"]
    texts = [t for t, _ in drawn]
    for town in TOWNS:  # the place labels stay, each once
        assert texts.count(town) == 1, town
    assert len(texts) == len(set(texts))  # no place named twice (town and district)
    symbols = [c for c in fig.findobj(PathCollection) if len(c.get_offsets()) >= 1]
    assert symbols
    top_symbol = max(c.get_zorder() for c in symbols)
    labels = [a for a in fig.findobj() if str(a.get_gid() or "").startswith("label:")]
    assert len(labels) == len(drawn)
    assert all(a.get_zorder() > top_symbol and a.get_zorder() >= LABEL_Z for a in labels)


def test_labels_move_off_a_symbol_to_a_free_spot() -> None:
    """A town whose right and left spots are covered takes the spot below."""
    from kmap.briefing.labels import Placer, _options
    from tests.unit.test_briefing_events import _pixel_axes

    ax = _pixel_axes()
    st = {"fontsize": 7.6, "ha": "left"}
    opts = _options("Town", st, 400.0, 200.0, 100 / 72)
    above = [b for spot, b in opts if spot[1] == "bottom"]
    blockers = np.array([[(b[0] + b[2]) / 2, b[3]] for b in above])  # atop both spots
    spot = Placer(ax, blockers, 11.0).place(list(opts))
    assert spot is not None and spot[1] == "top"  # below the dot, clear of the symbols


def test_png_still_renders_at_full_size_with_everything() -> None:
    from PIL import Image

    spec = replace(_spec(title=TITLE_113, filters=FILTERS), classification="RESTRICTED")
    im = Image.open(io.BytesIO(render_png(spec)))
    assert im.size == (3840, 2160)


# ---------------------------------------------------------------- two dates on one slide


def test_two_dates_side_by_side_with_the_changed_areas(catalogue: list) -> None:
    from PIL import Image

    from kmap.briefing.compare import build_compare, render_compare

    view = ViewState(start=dt.date(2020, 9, 27), end=dt.date(2020, 11, 10))
    a, b = dt.date(2020, 9, 26), dt.date(2020, 12, 1)
    spec_a, spec_b, changes = compare_specs(
        view, situation(catalogue, view), None, (a, b), "Before and after", "RESTRICTED"
    )
    assert (spec_a.as_of, spec_b.as_of) == (a, b) and spec_a.bbox == spec_b.bbox
    assert changes and all(c.km2 > 0 for c in changes)
    fig, info = build_compare(spec_a, spec_b, changes)
    assert info["panels"] == (a, b)
    texts = [t.get_text() for t in fig.findobj(Text)]
    assert "As of 26 September 2020" in texts and "As of 1 December 2020" in texts
    maps = [ax for ax in fig.axes if np.allclose(ax.get_xlim(), info["extent"][:2])]
    assert len(maps) == 2  # two maps, one frame
    for c in changes:  # km² with thousands separators, as changes_between sizes them
        assert any(f"{c.km2:,.0f} km²" in label for label in info["legend"])
    assert any("," in f"{c.km2:,.0f}" for c in changes)  # the test sees a separator
    assert texts.count("RESTRICTED") == 2
    assert any(DISCLAIMER in t for t in texts)
    im = Image.open(io.BytesIO(render_compare(spec_a, spec_b, changes)))
    assert im.size == (3840, 2160)
    with pytest.raises(ValueError, match="one frame"):
        build_compare(spec_a, replace(spec_b, bbox=(45.0, 39.0, 46.0, 40.0)), changes)


def test_compare_without_changes_says_so() -> None:
    from kmap.briefing.compare import build_compare

    a = _spec(events=(), as_of=dt.date(2021, 1, 1))
    b = replace(a, as_of=dt.date(2021, 1, 2))
    _, info = build_compare(a, b, [])
    assert "No area changed hands between the dates" in info["legend"]


# ---------------------------------------------------------------- standalone HTML


def test_standalone_html_carries_classification_disclaimer_and_filters(catalogue: list) -> None:
    from html import escape

    from kmap.map.standalone import standalone_html

    view = ViewState(
        start=dt.date(2020, 9, 27), end=dt.date(2020, 11, 10), types=("clash",), text="Lachin"
    )
    cls = "<b>SECRET</b> & {{7*7}} {% raw %}"
    html = standalone_html(catalogue, view, "T", cls)
    sit = situation(catalogue, view)
    words = filters_in_words(
        view, len(sit.shown), len(filter_events(catalogue, view.start, view.end))
    )
    assert html.count(f'<div class="kmap-class top" role="note">{escape(cls)}</div>') == 1
    assert html.count(f'<div class="kmap-class bottom" role="note">{escape(cls)}</div>') == 1
    assert "<b>SECRET" not in html and "{{7*7}}" in html  # literal: no template ran on it
    assert f'<div class="kmap-filters">{escape(words)}</div>' in html
    assert escape(DISCLAIMER) in html
    plain = standalone_html(catalogue, replace(view, types=(), text=""), "T")
    assert "kmap-class top" not in plain and escape(DISCLAIMER) in plain
