"""The legend panel beside the map: sections of rows in drawing order, each row a swatch
(area, line, ring, event symbol, town dot, or none for a note) and its label, wrapped and
shrunk until the panel holds them all.

A row is (kind, payload, label): the payload is the palette LayerStyle of an area/line/ring,
(colour, glyph, precision) of an event symbol, None for a town dot or a note.

Shared legend model: the reference and location-precision rows come from kmap.legend (same
rows, same order). The control, zone and event-type rows are still built here, because
taking them from kmap.legend would change the output: it orders controllers and zone kinds
by the palette, the briefing in the order it draws them (first appearance in the data); an
unknown controller's fallback style differs (weight 0.8 here) and an unknown event type is
#444444 here (map and legend) but #555555 there; event rows carry counts and the notes
(piles, uploaded files, small symbols) have no LegendRow. A swatch also needs the whole
palette style (fill opacity, weight, dash pattern), which LegendRow does not carry, so rows
are looked up in palette by key.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Any

from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Rectangle

from kmap.briefing.style import AS_PATH, INK, MUTED, PX, dash
from kmap.briefing.symbols import event_symbol
from palette import LayerStyle

#: A legend row: (swatch kind, payload, label), see the module docstring.
Row = tuple[str, Any, str]
#: Font scales tried, largest first, until the legend fits its panel.
SCALES = (1.0, 0.94, 0.88, 0.82, 0.76, 0.7, 0.64)


@dataclass
class Legend:
    """Legend sections in drawing order: (title, rows); row = (kind, payload, label)."""

    sections: list[tuple[str, list[Row]]] = field(default_factory=list)

    def add(self, title: str, rows: list[Row]) -> None:
        """A section, if it has rows."""
        if rows:
            self.sections.append((title, rows))

    def labels(self) -> list[str]:
        """Every row label (for tests and the PDF text)."""
        return [label for _, rows in self.sections for _, _, label in rows]


def panel_axes(fig: Figure, box: tuple[float, float, float, float]) -> Any:
    """Axes at box (left, bottom, width, height, inches) with point coordinates, no axis."""
    left, bottom, width, height = box
    fw, fh = fig.get_figwidth(), fig.get_figheight()
    ax = fig.add_axes((left / fw, bottom / fh, width / fw, height / fh))
    ax.set_xlim(0, width * 72)
    ax.set_ylim(0, height * 72)
    ax.axis("off")
    return ax


def _fit(legend: Legend, text_w: float, room: float, pad: float) -> tuple[float, float, list]:
    """(scale, font size, wrapped sections) of the largest scale whose rows fit in room (pt)
    at text width text_w (pt); the smallest scale if none does. Section titles wrap too (over
    the swatch's width as well): a long one (the compare slide's dates) stays in the panel."""
    for scale in SCALES:
        fs = 8.2 * scale
        chars = max(12, int(text_w / (fs * 0.55)))
        title_chars = max(12, int((text_w + 26) / (fs * 0.62)))
        wrapped = [
            (
                "\n".join(textwrap.wrap(title, title_chars)),
                [(k, p, textwrap.wrap(label, chars)) for k, p, label in rows],
            )
            for title, rows in legend.sections
        ]
        need = 13 * scale + 6 + 2 * pad
        for title, rows in wrapped:
            need += fs * 1.9 + fs * 1.22 * title.count("\n")
            need += sum(fs * 1.22 * len(lines) + fs * 0.55 for _, _, lines in rows)
        if need <= room:
            break
    return scale, fs, wrapped


def draw_legend(fig: Figure, legend: Legend, box: tuple[float, float, float, float]) -> float:
    """Draw the legend panel at the top of box (left, bottom, width, height, inches).

    Fonts shrink (to 64 %) until every row fits; returns the height used, in inches.
    """
    _, _, width, height = box
    ax = panel_axes(fig, box)
    pad = 8.0
    sw = 20.0  # swatch width, pt
    scale, fs, wrapped = _fit(legend, width * 72 - 2 * pad - sw - 6, height * 72, pad)
    y = height * 72 - pad
    ax.text(pad, y, "Legend", fontsize=11 * scale, fontweight="bold", va="top", color=INK)
    y -= 13 * scale + 6
    if not wrapped:
        ax.text(pad, y, "Reference layers off", fontsize=fs, va="top", color=MUTED)
        y -= fs * 1.5
    for title, rows in wrapped:
        y -= fs * 0.4
        ax.text(
            pad, y, title, fontsize=fs * 1.02, fontweight="bold", va="top", color=MUTED,
            linespacing=1.12,
        )  # fmt: skip
        y -= fs * 1.5 + fs * 1.22 * title.count("\n")
        for kind, payload, lines in rows:
            swatch(ax, kind, payload, pad, y - fs * 0.62, sw, fs)
            ax.text(
                pad + sw + 6,
                y,
                "\n".join(lines),
                fontsize=fs,
                va="top",
                color=INK,
                linespacing=1.12,
            )
            y -= fs * 1.22 * len(lines) + fs * 0.55
    used = min(height * 72, height * 72 - y + pad * 0.5)
    ax.add_patch(
        Rectangle(
            (0, height * 72 - used),
            width * 72,
            used,
            facecolor="#fbfaf7",
            edgecolor="#bbbbbb",
            lw=0.6,
            zorder=0,
        )
    )
    return used / 72


def _style_swatch(
    ax: Any, kind: str, style: LayerStyle, x: float, cy: float, sw: float, h: float
) -> None:
    """A line, ring or filled box in a palette style."""
    lw = max(style.weight * PX, 0.6)
    if kind == "line":
        ax.plot(
            [x, x + sw],
            [cy, cy],
            color=style.color,
            lw=max(lw, 1.0),
            linestyle=dash(style),
            solid_capstyle="butt",
            zorder=2,
        )
    elif kind == "ring":
        ax.add_patch(
            Circle(
                (x + sw / 2, cy),
                h * 0.45,
                facecolor=to_rgba(style.fill or "white", style.fill_opacity),
                edgecolor=style.color,
                lw=lw,
                linestyle=dash(style),
                zorder=2,
            )
        )
    else:
        ax.add_patch(
            Rectangle(
                (x, cy - h / 2),
                sw,
                h,
                facecolor=to_rgba(style.fill, max(style.fill_opacity, 0.12))
                if style.fill
                else "none",
                edgecolor=to_rgba(style.color, 0.9),
                lw=lw,
                linestyle=dash(style),
                zorder=2,
            )
        )


def swatch(ax: Any, kind: str, payload: Any, x: float, cy: float, sw: float, fs: float) -> None:
    """One legend symbol, centred vertically on cy (panel coordinates are points)."""
    if kind == "note":  # a line of text without a symbol
        return
    if kind == "event":
        color, glyph, prec = payload
        event_symbol(ax, [x + sw / 2], [cy], color, glyph, prec, fs * 1.3, 2)
        return
    if kind == "town":
        ax.plot([x + 4], [cy], "o", ms=2.6, color="#333333", zorder=2)
        ax.text(
            x + 8, cy, "Aa", fontsize=fs * 0.85, va="center", color="#222222", path_effects=AS_PATH
        )
        return
    _style_swatch(ax, kind, payload, x, cy, sw, fs * 1.05)
