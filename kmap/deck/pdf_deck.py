"""A storyboard as one multi-page vector PDF (A4, A3 or Letter landscape), then sources.

Each page is the briefing's vector A4 page (kmap.briefing.render_pdf, annotations drawn),
scaled onto the chosen paper with pypdf (vector stays vector, text stays extractable).
The closing page(s) list, per page, the as-of line, the filters in words and the note,
then every cited source once with publisher, kind, date and URL; drawn with matplotlib
text (embedded TrueType fonts), so they are vector and searchable too.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Sequence

from matplotlib import rc_context
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from pypdf import PageObject, PdfReader, PdfWriter, Transformation

from kmap.deck.pages import DeckPage, FramedPage, SourceRef, merged_sources
from kmap.deck.render import Rendered, render_map

#: Landscape paper sizes in PostScript points (1/72 in): ISO 216 A4/A3, US Letter.
PAPERS: dict[str, tuple[float, float]] = {
    "a4": (841.89, 595.28),
    "a3": (1190.55, 841.89),
    "letter": (792.0, 612.0),
}
LINES_PER_PAGE = 44
WRAP = 150
_RC = {"pdf.fonttype": 42, "font.family": "DejaVu Sans", "text.parse_math": False}


def _fit(src: PageObject, paper: tuple[float, float]) -> PageObject:
    """The page scaled (aspect kept) and centred on a blank page of the paper size."""
    w, h = float(src.mediabox.width), float(src.mediabox.height)
    s = min(paper[0] / w, paper[1] / h)
    out = PageObject.create_blank_page(width=paper[0], height=paper[1])
    tx, ty = (paper[0] - w * s) / 2, (paper[1] - h * s) / 2
    out.merge_transformed_page(src, Transformation().scale(s, s).translate(tx, ty))
    return out


def _text_lines(pages: Sequence[FramedPage], sources: Sequence[SourceRef]) -> list[tuple[str, str]]:
    """(style, text) lines of the closing pages: 'h' heading, 'b' body, 'u' URL."""
    out: list[tuple[str, str]] = [("h", "Pages")]
    for i, f in enumerate(pages, 1):
        out.append(("b", f"{i}. {f.page.title}"))
        for text in (f.page.as_of_line, f.filters_line, f.page.note):
            out += [("s", line) for line in textwrap.wrap(text, WRAP)]
    out += [("b", ""), ("h", "Sources")]
    if not sources:
        out.append(("b", "No sourced events on these pages."))
    for s in sources:
        out += [("b", line) for line in textwrap.wrap(s.line(), WRAP)]
        out += [("u", line) for line in textwrap.wrap(s.url, WRAP, break_on_hyphens=False)]
    return out


def sources_pdf(
    pages: Sequence[FramedPage], paper: tuple[float, float], classification: str = ""
) -> bytes:
    """The closing pages (pages' filters and notes, then every source) as vector PDF."""
    lines = _text_lines(pages, merged_sources(f.sources for f in pages))
    chunks = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    style = {
        "h": (13, "bold", "#1f1f1f"),
        "b": (8.5, "normal", "#1f1f1f"),
        "s": (7.5, "normal", "#4d4d4d"),
        "u": (7.5, "normal", "#1a4f9c"),
    }
    buf = io.BytesIO()
    with rc_context(_RC), PdfPages(buf, metadata={"Creator": "karabakh-map"}) as pdf:
        for chunk in chunks:
            fig = Figure(figsize=(841.89 / 72, 595.28 / 72))
            if classification:
                for y in (0.975, 0.015):
                    fig.text(0.5, y, classification, ha="center", fontsize=8.5, weight="bold")
            y = 0.94
            for kind, text in chunk:
                size, weight, color = style[kind]
                fig.text(0.05, y, text, fontsize=size, weight=weight, color=color, va="top")
                y -= (size + 5.5) / 595.28
            pdf.savefig(fig)
    reader = PdfReader(io.BytesIO(buf.getvalue()))
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(_fit(page, paper))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def deck_pdf(
    pages: Sequence[DeckPage],
    paper: str = "a4",
    classification: str = "",
    render: Callable[[DeckPage], Rendered] | None = None,
) -> bytes:
    """The deck as one PDF on ``paper`` ('a4', 'a3', 'letter'): a page per deck page, then
    the closing page(s). render: how a page is drawn (default: the briefing's A4 vector
    page with annotations)."""
    if paper not in PAPERS:
        raise ValueError(f"unknown paper {paper!r}; choose from {', '.join(PAPERS)}")
    size = PAPERS[paper]
    draw = render or (lambda p: render_map(p.spec, p.annotations, "a4"))
    writer = PdfWriter()
    framed = []
    for page in pages:
        drawn = draw(page)
        framed.append(page.in_frame(drawn.extent))
        for src in PdfReader(io.BytesIO(drawn.data)).pages:
            writer.add_page(src if paper == "a4" else _fit(src, size))
    for src in PdfReader(io.BytesIO(sources_pdf(framed, size, classification))).pages:
        writer.add_page(src)
    for pg in writer.pages:  # merged (scaled) pages come out uncompressed
        pg.compress_content_streams()
    writer.add_metadata({"/Title": pages[0].title if pages else "Deck", "/Creator": "karabakh-map"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


__all__ = ["PAPERS", "deck_pdf", "sources_pdf"]
