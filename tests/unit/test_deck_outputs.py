"""Deck outputs read back: PPTX (python-pptx), PDF (pypdf), GIF (Pillow), MP4 (imageio)."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from dataclasses import replace

import numpy as np
import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from kmap.briefing import build_figure, render_png
from kmap.deck.animation import MAX_FRAMES, TooManyFrames, animation, frame_days
from kmap.deck.pdf_deck import PAPERS, deck_pdf
from kmap.deck.pptx_deck import TITLE_PT, deck_pptx, wrap_title
from kmap.deck.render import Rendered, render_map
from kmap.deck.storyboard import Arrow, Callout, CircleArea
from tests.unit.test_deck_pages import EVENTS, event, page, spec

D = dt.date
LONG_TITLE = (
    "Nagorno-Karabakh and the seven districts: situation at the ceasefire of 10 November 2020, "
    "with the Lachin corridor"
)
FAR = event("far", "https://example.net/far", lonlat=(44.0, 41.5))  # outside every frame
ANNOTATIONS = (
    Arrow(start=(46.9, 39.5), end=(46.75, 39.75), text="arrow"),
    Callout(at=(46.75, 39.8), text="callout"),
    CircleArea(centre=(46.6, 39.6), radius_km=10),
)


@pytest.fixture(scope="module")
def pages() -> list:
    return [
        page("Before {{7*7}}", EVENTS[:1], note="First: the situation before."),
        page(LONG_TITLE, EVENTS[1:3], note="Second note"),
        page("After", [*EVENTS[3:], FAR], note="Third note", annotations=ANNOTATIONS),
    ]


def _all_urls(pages: list) -> set[str]:
    return {s.url for p in pages for s in p.sources}


def _slide_text(slide: object) -> str:
    return "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)


def test_wrap_title_two_lines_never_cut() -> None:
    lines, _ = wrap_title(LONG_TITLE, 12.6)
    assert len(LONG_TITLE) > 110 and len(lines) == 2
    assert " ".join(lines) == LONG_TITLE
    assert wrap_title("Short", 12.6) == (["Short"], TITLE_PT[0])
    longer = " ".join([LONG_TITLE, "as reported by both sides and by the peacekeepers"])
    lines2, pt2 = wrap_title(longer, 12.6)
    assert len(lines2) == 2 and " ".join(lines2) == longer and pt2 < TITLE_PT[0]


def test_pptx_slides_images_notes_and_sources(pages: list, tmp_path: object) -> None:
    data = deck_pptx(pages, classification="UNCLASSIFIED // TEST")
    (tmp_path / "deck.pptx").write_bytes(data)
    prs = Presentation(io.BytesIO(data))
    slides = list(prs.slides)
    assert len(slides) >= len(pages) + 1
    assert prs.slide_width * 9 == prs.slide_height * 16
    for p, slide in zip(pages, slides, strict=False):
        assert slide.shapes.title.text_frame.text.replace("\v", " ") == p.title
        pics = [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pics) == 1
        with Image.open(io.BytesIO(pics[0].image.blob)) as im:
            assert im.size == (3840, 2160)  # full resolution
        text = _slide_text(slide)
        assert p.as_of_line in text and p.filters_line in text
        assert text.count("UNCLASSIFIED // TEST") == 2
        notes = slide.notes_slide.notes_text_frame.text
        assert p.note in notes and p.filters_line in notes
    # the third page's far event is counted out and not cited
    assert "2 of them inside this map's frame" in _slide_text(slides[2])
    # the long title wraps to two lines on its slide, in full
    assert slides[1].shapes.title.text_frame.text.count("\v") == 1
    assert "{{7*7}}" in slides[0].shapes.title.text_frame.text  # kept literally
    source_slides = slides[len(pages) :]
    assert all(s.shapes.title.text_frame.text.startswith("Sources") for s in source_slides)
    links = {
        r.hyperlink.address
        for s in source_slides
        for sh in s.shapes
        if sh.has_text_frame
        for para in sh.text_frame.paragraphs
        for r in para.runs
        if r.hyperlink.address
    }
    assert links == _all_urls(pages) - {FAR.event.sources[0].url}
    text = "\n".join(_slide_text(s) for s in source_slides)
    assert "Example Wire · wire agency · 1 October 2020" in text
    assert text.count("https://example.org/a") == 1  # cited twice, listed once


def test_pptx_many_sources_spill_onto_several_slides(pages: list) -> None:
    from kmap.deck.pages import SourceRef
    from kmap.deck.pptx_deck import SOURCES_PER_SLIDE

    many = tuple(
        SourceRef(f"https://example.org/{i}", "Example Wire", "wire agency")
        for i in range(SOURCES_PER_SLIDE * 2 + 1)
    )
    one = replace(pages[0], sources=many, cites=(tuple(range(len(many))),))
    tiny = Rendered(_tiny_png(), (-1e7, 1e7, -1e7, 1e7), 0)
    prs = Presentation(io.BytesIO(deck_pptx([one], render=lambda p: tiny)))
    slides = list(prs.slides)
    assert len(slides) == 1 + 3
    assert slides[-1].shapes.title.text_frame.text == "Sources (3 of 3)"


def _tiny_png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (16, 9), "white").save(buf, format="png")
    return buf.getvalue()


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_pdf_pages_titles_and_sources(pages: list, paper: str, tmp_path: object) -> None:
    data = deck_pdf(pages, paper=paper, classification="UNCLASSIFIED // TEST")
    (tmp_path / f"deck-{paper}.pdf").write_bytes(data)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == len(pages) + 1  # three slides and one closing page
    w, h = PAPERS[paper]
    for pg in reader.pages:
        assert float(pg.mediabox.width) == pytest.approx(w, abs=0.5)
        assert float(pg.mediabox.height) == pytest.approx(h, abs=0.5)
    for p, pg in zip(pages, reader.pages, strict=False):
        text = " ".join(pg.extract_text().split())
        assert " ".join(p.title.split()[:4]) in text
    closing = " ".join(reader.pages[-1].extract_text().split())
    for p in pages:
        assert p.filters_line in closing and p.note in closing
    assert "2 of them inside this map's frame" in closing
    for url in _all_urls(pages) - {FAR.event.sources[0].url}:
        assert url in closing
    assert FAR.event.sources[0].url not in closing
    assert "UNCLASSIFIED // TEST" in closing


def test_pdf_unknown_paper(pages: list) -> None:
    with pytest.raises(ValueError, match="unknown paper"):
        deck_pdf(pages, paper="a5")


def test_frame_days() -> None:
    war = frame_days(D(2020, 9, 27), D(2020, 11, 10), "day")
    assert len(war) == (D(2020, 11, 10) - D(2020, 9, 27)).days + 1 == 45
    weeks = frame_days(D(2020, 9, 27), D(2020, 11, 10), "week")
    assert weeks[0] == D(2020, 9, 27) and weeks[-1] == D(2020, 11, 10)
    assert all((b - a).days == 7 for a, b in itertools.pairwise(weeks[:-1]))
    months = frame_days(D(2020, 1, 31), D(2020, 5, 1), "month")
    assert months == [D(2020, 1, 31), D(2020, 2, 29), D(2020, 3, 31), D(2020, 4, 30), D(2020, 5, 1)]
    assert frame_days(D(2020, 1, 1), D(2020, 1, 1)) == [D(2020, 1, 1)]
    with pytest.raises(TooManyFrames, match="coarser step"):
        frame_days(D(2020, 1, 1), D(2020, 1, 1) + dt.timedelta(days=MAX_FRAMES))
    assert (
        len(frame_days(D(2020, 1, 1), D(2020, 1, 1) + dt.timedelta(days=MAX_FRAMES - 1)))
        == MAX_FRAMES
    )


def _spec_for(day: dt.date) -> object:
    # the same picture every day except the date: the stamp keeps frames apart
    return replace(spec("Animation"), as_of=D(2020, 11, 10), event_end=D(2020, 11, 10))


def test_gif_has_one_frame_per_step(tmp_path: object) -> None:
    start, end = D(2020, 10, 1), D(2020, 10, 4)
    data = animation(start, end, _spec_for, "day", "gif")
    (tmp_path / "war.gif").write_bytes(data)
    with Image.open(io.BytesIO(data)) as im:
        assert im.format == "GIF"
        assert im.n_frames == len(frame_days(start, end, "day")) == 4
        assert im.size == (1280, 720)


def test_mp4_has_one_frame_per_step(tmp_path: object) -> None:
    import imageio.v3 as iio

    start, end = D(2020, 10, 1), D(2020, 10, 22)
    data = animation(start, end, _spec_for, "week", "mp4")
    path = tmp_path / "war.mp4"
    path.write_bytes(data)
    frames = list(iio.imiter(path, plugin="FFMPEG"))
    assert len(frames) == len(frame_days(start, end, "week")) == 4
    assert frames[0].shape == (720, 1280, 3)


def test_in_frame_counts_what_the_map_draws_and_cites_only_that() -> None:
    p = page("Frame", [*EVENTS[:2], FAR])
    drawn = render_map(p.spec, (), "16:9")
    assert drawn.data == render_png(p.spec, "16:9")  # without annotations: the briefing's PNG
    framed = p.in_frame(drawn.extent)
    assert framed.events == drawn.events == 2
    assert framed.filters_line == p.filters_line + " · 2 of them inside this map's frame"
    assert "https://example.net/far" not in {s.url for s in framed.sources}
    assert {s.url for s in framed.sources} == {e.event.sources[0].url for e in EVENTS[:2]}
    everything = page("All in", EVENTS[:2]).in_frame(drawn.extent)
    assert everything.filters_line == page("All in", EVENTS[:2]).filters_line  # no clause


def test_annotations_drawn_inside_the_map_only() -> None:
    s = spec("Annotated")
    outside = (Arrow(start=(40.0, 36.0), end=(46.7, 39.75)), *ANNOTATIONS[1:])
    plain = np.asarray(Image.open(io.BytesIO(render_map(s).data)))
    marked = np.asarray(Image.open(io.BytesIO(render_map(s, outside).data)))
    changed = np.argwhere((plain != marked).any(axis=2))
    assert len(changed)  # something was drawn
    fig, _ = build_figure(s, "16:9")
    box = fig.axes[0].get_window_extent()  # the map, pixels from the bottom left
    height = plain.shape[0]
    rows, cols = changed[:, 0], changed[:, 1]
    assert cols.min() >= box.x0 - 1 and cols.max() <= box.x1 + 1
    assert rows.min() >= height - box.y1 - 1 and rows.max() <= height - box.y0 + 1


def test_pptx_survives_hostile_source_text(pages: list) -> None:
    from kmap.deck.pages import SourceRef

    bad = (
        SourceRef(
            "javascript:alert(1)",
            "Evil\x00 Outlet",
            "not in the publisher register",
            title="tab\there, bell\x07, {{7*7}} <b>bold</b>",
        ),
        SourceRef("https://example.org/ok", "Example Wire", "wire agency"),
    )
    one = replace(pages[0], sources=bad, cites=((0, 1),), note="note\x0b with a vertical tab")
    tiny = Rendered(_tiny_png(), (-1e7, 1e7, -1e7, 1e7), 0)
    prs = Presentation(io.BytesIO(deck_pptx([one], render=lambda p: tiny)))
    slides = list(prs.slides)
    text = _slide_text(slides[-1])
    assert "Evil Outlet" in text and "{{7*7}} <b>bold</b>" in text  # literal, control chars gone
    links = {
        r.hyperlink.address
        for sh in slides[-1].shapes
        if sh.has_text_frame
        for para in sh.text_frame.paragraphs
        for r in para.runs
        if r.hyperlink.address
    }
    assert links == {"https://example.org/ok"}  # a javascript: URL is listed, never linked


def _tiny_a4_pdf(text: str) -> bytes:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(PAPERS["a4"][0] / 72, PAPERS["a4"][1] / 72))
    fig.text(0.5, 0.5, text)
    buf = io.BytesIO()
    fig.savefig(buf, format="pdf")
    return buf.getvalue()


def test_pdf_a3_scales_pages_and_keeps_text(pages: list) -> None:
    stub = Rendered(_tiny_a4_pdf("page text stays text"), (-1e7, 1e7, -1e7, 1e7), 0)
    reader = PdfReader(io.BytesIO(deck_pdf(pages, "a3", render=lambda p: stub)))
    assert len(reader.pages) >= len(pages) + 1
    for pg in reader.pages:
        assert float(pg.mediabox.width) == pytest.approx(PAPERS["a3"][0], abs=0.5)
    assert "page text stays text" in reader.pages[0].extract_text()
