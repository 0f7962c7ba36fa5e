"""A storyboard as a PowerPoint deck (python-pptx, 16:9): one slide per page, then sources.

Each page's slide: the title (wrapped to at most two lines, the font shrunk rather than the
text cut), the as-of line, the filters in words, the classification line when set, and the
map as the full-resolution briefing PNG; the speaker notes carry the step's note, the
filters and the page's sources. The last slide(s) list every cited source once, with
publisher, kind, date and the URL as a link.
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Callable, Sequence

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from kmap.deck.pages import DeckPage, FramedPage, SourceRef, merged_sources
from kmap.deck.render import Rendered, render_map

SLIDE_W, SLIDE_H = Emu(12_192_000), Inches(7.5)  # PowerPoint's 16:9: 13.333 x 7.5 in
MARGIN = Inches(0.35)
#: Title sizes tried in turn until the title fits on two lines.
TITLE_PT = (26, 22, 19, 16)
SOURCES_PER_SLIDE = 10  # two-line entries at 11 pt still fit the 5.9 in box
INK = RGBColor(0x1F, 0x1F, 0x1F)
MUTED = RGBColor(0x4D, 0x4D, 0x4D)
# Characters XML 1.0 cannot hold (from uploaded source titles, say).
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _safe(text: str) -> str:
    return _NOT_XML.sub("", text)


def wrap_title(title: str, width_in: float) -> tuple[list[str], int]:
    """The title as at most two lines and the font size (pt) that makes it fit: the largest
    of TITLE_PT; the smallest size is used, wrapped, if nothing fits (never cut)."""
    for pt in TITLE_PT:
        chars = max(10, int(width_in * 72 / (pt * 0.55)))  # bold sans: ~0.55 em per char
        lines = textwrap.wrap(title, chars) or [""]
        if len(lines) <= 2:
            return lines, pt
    return lines, TITLE_PT[-1]


def _text(
    slide: object, box: tuple[int, int, int, int], lines: Sequence[str], pt: float, **kw: object
) -> object:
    shape = slide.shapes.add_textbox(*box)
    tf = shape.text_frame
    tf.word_wrap = True
    for i, line in enumerate(lines):
        para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        para.alignment = kw.get("align", PP_ALIGN.LEFT)
        run = para.add_run()
        run.text = _safe(line)
        run.font.size = Pt(pt)
        run.font.bold = bool(kw.get("bold"))
        run.font.color.rgb = kw.get("color", INK)
    return shape


def _page_slide(prs: Presentation, framed: FramedPage, classification: str, png: bytes) -> None:
    page = framed.page
    slide = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only": a real slide title
    width = SLIDE_W - 2 * MARGIN
    y = Inches(0.12)
    if classification:
        _text(
            slide,
            (MARGIN, y, width, Inches(0.3)),
            [classification],
            11,
            bold=True,
            align=PP_ALIGN.CENTER,
        )
        y += Inches(0.3)
    lines, pt = wrap_title(page.title, width / 914400)
    title = slide.shapes.title
    title.left, title.top, title.width = MARGIN, y, width
    title.height = Emu(int(Pt(pt * 1.2 * len(lines)) + Inches(0.1)))
    tf = title.text_frame
    tf.word_wrap = True
    tf.text = _safe("\n".join(lines)).replace("\n", "\v")  # a line break, one paragraph
    for para in tf.paragraphs:
        para.alignment = PP_ALIGN.LEFT
        for run in para.runs:
            run.font.size, run.font.bold, run.font.color.rgb = Pt(pt), True, INK
    y += title.height
    _text(
        slide,
        (MARGIN, y, width, Inches(0.5)),
        [page.as_of_line, framed.filters_line],
        12,
        color=MUTED,
    )
    y += Inches(0.55)
    bottom = SLIDE_H - (Inches(0.35) if classification else Inches(0.1))
    h = bottom - y
    w = int(h * 16 / 9)
    if w > width:
        w, h = width, int(width * 9 / 16)
    slide.shapes.add_picture(io.BytesIO(png), int((SLIDE_W - w) / 2), y, w, h)
    if classification:
        _text(
            slide,
            (MARGIN, bottom, width, Inches(0.3)),
            [classification],
            11,
            bold=True,
            align=PP_ALIGN.CENTER,
        )
    notes = [page.note, "", page.as_of_line, framed.filters_line]
    if framed.sources:
        notes += ["", "Sources on this slide:"]
        notes += [f"{s.line()} — {s.url}" for s in framed.sources]
    slide.notes_slide.notes_text_frame.text = _safe("\n".join(notes).strip())


def _sources_slides(prs: Presentation, sources: Sequence[SourceRef], classification: str) -> None:
    chunks = [sources[i : i + SOURCES_PER_SLIDE] for i in range(0, len(sources), SOURCES_PER_SLIDE)]
    for n, chunk in enumerate(chunks or [()], 1):
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        title = slide.shapes.title
        title.left, title.top = MARGIN, Inches(0.2)
        title.width, title.height = SLIDE_W - 2 * MARGIN, Inches(0.8)
        more = f" ({n} of {len(chunks)})" if len(chunks) > 1 else ""
        title.text_frame.text = f"Sources{more}"
        box = slide.shapes.add_textbox(MARGIN, Inches(1.1), SLIDE_W - 2 * MARGIN, Inches(5.9))
        tf = box.text_frame
        tf.word_wrap = True
        if not chunk:
            tf.text = "No sourced events on these slides."
        for i, s in enumerate(chunk):
            para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            head = para.add_run()
            head.text = _safe(s.line())
            head.font.size = Pt(11)
            para.add_line_break()
            link = para.add_run()
            link.text = _safe(s.url)
            link.font.size = Pt(9)
            if s.url.startswith(("https://", "http://")):  # never a javascript: or file: link
                link.hyperlink.address = s.url
            para.space_after = Pt(6)
        if classification:
            _text(
                slide,
                (MARGIN, SLIDE_H - Inches(0.4), SLIDE_W - 2 * MARGIN, Inches(0.3)),
                [classification],
                11,
                bold=True,
                align=PP_ALIGN.CENTER,
            )


def deck_pptx(
    pages: Sequence[DeckPage],
    classification: str = "",
    render: Callable[[DeckPage], Rendered] | None = None,
) -> bytes:
    """The deck as .pptx bytes: a slide per page, then the sources slide(s) listing the
    sources of the events inside the drawn maps' frames.

    render: how a page's map is drawn (default: the 16:9 briefing PNG with annotations)."""
    draw = render or (lambda p: render_map(p.spec, p.annotations, "16:9"))
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    cited = []
    for page in pages:
        drawn = draw(page)
        framed = page.in_frame(drawn.extent)
        _page_slide(prs, framed, classification, drawn.data)
        cited.append(framed.sources)
    _sources_slides(prs, merged_sources(cited), classification)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


__all__ = ["deck_pptx", "wrap_title"]
