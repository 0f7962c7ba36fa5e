"""The words around a briefing's map: the classification bands, the header (title wrapped
to two lines, the dates, the filters in words) and the footer (credits, disclaimer,
sources), sized relative to the page so that they stay legible on a projector.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from kmap.briefing.captions import basemap_note, subtitle
from kmap.briefing.spec import DATA_CREDITS, DISCLAIMER, TOPONYM_NOTE, BriefingSpec, Page
from kmap.briefing.style import INK
from kmap.words import date_in_words

#: Footer font size per inch of page width: the footer has the same height whatever the
#: page's size once the image is shown at a given width (at 1024 px wide, a 16:9 page's
#: footer text is ~12 px tall); never below FOOT_MIN_PT.
FOOT_PT_PER_IN = 0.78
FOOT_MIN_PT = 7.4
#: The classification line's size per inch of page width (bold, in its band), and at least.
CLASS_PT_PER_IN = 0.75
CLASS_MIN_PT = 8.5
FOOT_SPACING = 1.45  # footer line height, in font sizes
#: The sources line (the footer's top line) may take this many lines.
SOURCES_LINES = 2
SUBTITLE_PT = 12.0
FILTERS_PT = 11.0
#: A title is shrunk by these steps (as a share of the page's title size) when it does not
#: fit on two lines; cut with "…" only when it does not fit at the smallest.
TITLE_STEPS = (1.0, 0.9, 0.8, 0.7, 0.6)


def foot_pt(pg: Page) -> float:
    """The footer's font size on page pg (points)."""
    return max(FOOT_MIN_PT, round(FOOT_PT_PER_IN * pg.width_in, 1))


def class_pt(pg: Page) -> float:
    """The classification line's font size on page pg (points)."""
    return max(CLASS_MIN_PT, round(CLASS_PT_PER_IN * pg.width_in, 1))


def fit_text(fig: Figure, t: Any, max_width_px: float, min_size: float) -> None:
    """Shrink a text artist until it fits max_width_px (then clip by ellipsis)."""
    renderer = fig.canvas.get_renderer()
    size = t.get_fontsize()
    while t.get_window_extent(renderer).width > max_width_px and size > min_size:
        size -= 0.5
        t.set_fontsize(size)
    text = t.get_text()
    while t.get_window_extent(renderer).width > max_width_px and len(text) > 10:
        text = text[:-2]
        t.set_text(text.rstrip() + "…")


def _width(fig: Figure, t: Any, text: str) -> float:
    t.set_text(text)
    return t.get_window_extent(fig.canvas.get_renderer()).width


def _greedy_lines(fig: Figure, t: Any, words: list[str], max_px: float) -> list[str] | None:
    """Words broken into lines of at most max_px at t's size; None if one word is wider."""
    lines: list[str] = []
    line = ""
    for w in words:
        trial = f"{line} {w}" if line else w
        if _width(fig, t, trial) <= max_px:
            line = trial
            continue
        if not line or _width(fig, t, w) > max_px:
            return None
        lines.append(line)
        line = w
    lines.append(line)
    return lines


def _cut(fig: Figure, t: Any, text: str, max_px: float) -> str:
    """text cut at a word (or a letter) and ended with "…" so that it fits max_px."""
    while text and _width(fig, t, text + "…") > max_px:
        cut = text.rstrip().rfind(" ")
        text = text[:cut] if cut > 0 else text[:-1]
    return text.rstrip() + "…"


def wrap_text(
    fig: Figure, t: Any, max_px: float, sizes: Sequence[float], max_lines: int = 2
) -> None:
    """Set t's text on at most max_lines lines of max_px: at the first of `sizes` where the
    words fit; else at the last size, the last line cut with "…" (the last resort)."""
    text = " ".join(t.get_text().split())
    words = text.split(" ")
    for size in sizes:
        t.set_fontsize(size)
        lines = _greedy_lines(fig, t, words, max_px)
        if lines is not None and len(lines) <= max_lines:
            t.set_text("\n".join(lines))
            return
    out: list[str] = []
    rest = words
    while rest and len(out) < max_lines - 1:
        n = 0  # as many words as fit on a line
        while n < len(rest) and _width(fig, t, " ".join(rest[: n + 1])) <= max_px:
            n += 1
        if n == 0:  # a word wider than the line: cut below
            break
        out.append(" ".join(rest[:n]))
        rest = rest[n:]
    if rest:
        out.append(_cut(fig, t, " ".join(rest), max_px))
    t.set_text("\n".join(out))


def classification_bands(fig: Figure, text: str, band: float, pg: Page) -> None:
    """The classification / handling line in a grey band at the top and the bottom
    (band: its height, inches)."""
    H = pg.height_in
    for yb in (H - band, 0.0):
        fig.add_artist(
            Rectangle(
                (0, yb / H),
                1,
                band / H,
                transform=fig.transFigure,
                facecolor="#ececec",
                edgecolor="none",
            )
        )
        t = fig.text(
            0.5,
            (yb + band / 2) / H,
            text,
            ha="center",
            va="center",
            fontsize=class_pt(pg),
            fontweight="bold",
            color=INK,
            gid="classification",
        )
        fit_text(fig, t, pg.width_in * pg.dpi * 0.96, CLASS_MIN_PT)


def class_band(pg: Page) -> float:
    """Height of a classification band (inches)."""
    return max(0.26, class_pt(pg) / 72 * 1.8)


def _text_height(fig: Figure, t: Any) -> float:
    """Height of a text artist, inches."""
    return t.get_window_extent(fig.canvas.get_renderer()).height / fig.dpi


def header(
    fig: Figure, spec: BriefingSpec, pg: Page, m: float, top: float, sub: str | None = None
) -> float:
    """Title (wrapped to two lines, shrunk, cut only as a last resort), the dates in words
    (or `sub`), the filters in words (when the spec has them) and a rule; returns the
    rule's height (inches)."""
    W, H = pg.width_in, pg.height_in
    width = W - 2 * m
    t = fig.text(
        m / W,
        (top - 0.08) / H,
        spec.title or "Untitled",
        fontsize=pg.title_pt,
        fontweight="bold",
        va="top",
        color=INK,
        linespacing=1.1,
        gid="title",
    )
    wrap_text(fig, t, width * pg.dpi, [pg.title_pt * k for k in TITLE_STEPS])
    y = top - 0.08 - _text_height(fig, t) - 0.05
    line = sub if sub is not None else subtitle(spec)
    st = fig.text(m / W, y / H, line, fontsize=SUBTITLE_PT, va="top", color="#333333")
    fit_text(fig, st, width * pg.dpi, 9)
    y -= SUBTITLE_PT / 72 * 1.2
    if spec.filters:
        y -= 0.03
        f = fig.text(
            m / W,
            y / H,
            spec.filters,
            fontsize=FILTERS_PT,
            va="top",
            color="#5b2a86",
            linespacing=1.1,
            gid="filters",
        )
        wrap_text(fig, f, width * pg.dpi, (FILTERS_PT, FILTERS_PT - 1, FILTERS_PT - 2))
        y -= _text_height(fig, f)
    header_bottom = y - 0.14
    fig.add_artist(
        Rectangle(
            (m / W, header_bottom / H),
            width / W,
            0.9 / 72 / H,
            transform=fig.transFigure,
            facecolor="#5b2a86",
            edgecolor="none",
        )
    )
    return header_bottom


def footer_lines(spec: BriefingSpec) -> list[str]:
    """Footer lines, bottom up: made-on, disclaimer, basemap + projection, data credits
    (the sources line, known only once the map is drawn, goes on top)."""
    made = spec.made_on or date.today()
    projection = (
        "Projection: Lambert azimuthal equal-area, centred "
        f"{(spec.bbox[0] + spec.bbox[2]) / 2:.2f}°E {(spec.bbox[1] + spec.bbox[3]) / 2:.2f}°N"
    )
    note = basemap_note(spec.basemap)
    # an online basemap's note names its provider and attribution: the projection gets its
    # own line rather than the note being cut
    basemap = [projection, note] if spec.basemap != "offline" else [f"{note} · {projection}"]
    return [
        f"Made {date_in_words(made)} with karabakh-map (open source) · "
        + TOPONYM_NOTE[spec.toponyms],
        DISCLAIMER,
        *basemap,
        "Data: " + " · ".join(DATA_CREDITS),
    ]


def footer_height(pg: Page, n_lines: int) -> float:
    """Height of n_lines footer lines (inches)."""
    return foot_pt(pg) / 72 * FOOT_SPACING * n_lines


def footer_chars(pg: Page, m: float) -> int:
    """About how many footer characters fit across the page (for the sources line)."""
    return int((pg.width_in - 2 * m) * 72 / (foot_pt(pg) * 0.53))


def draw_footer(fig: Figure, foot: list[str], pg: Page, m: float, bottom: float) -> None:
    """The footer lines, bottom up from `bottom` (in), each fitted to the page width without
    going below legibility (FOOT_MIN_PT); the last (top) one, the sources line, wraps onto
    up to SOURCES_LINES lines."""
    W, H = pg.width_in, pg.height_in
    size = foot_pt(pg)
    line_h = size / 72 * FOOT_SPACING
    for i, text in enumerate(foot):
        style = "italic" if text == DISCLAIMER else "normal"
        ft = fig.text(
            m / W,
            (bottom + i * line_h) / H,
            text,
            fontsize=size,
            va="bottom",
            color="#333333",
            fontstyle=style,
            gid="footer",
            linespacing=FOOT_SPACING / 1.2,  # matplotlib's line height is 1.2 font sizes
        )
        if i == len(foot) - 1 and text.startswith("Sources"):
            wrap_text(fig, ft, (W - 2 * m) * pg.dpi, (size,), SOURCES_LINES)
        else:
            fit_text(fig, ft, (W - 2 * m) * pg.dpi, max(FOOT_MIN_PT, size * 0.9))
