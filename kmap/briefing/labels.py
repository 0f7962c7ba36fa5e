"""Town and area labels with a white halo, placed so that they do not collide.

Capitals first, then countries and areas, then towns. A town label goes right of its dot,
or left when that collides or leaves the frame; a label that fits nowhere is left out (the
live map does the same by zoom level). Event symbols are soft obstacles: a side clear of
them is preferred.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from matplotlib import patheffects

from kmap.briefing import basedata
from kmap.briefing.projection import Clip
from kmap.briefing.symbols import EVENT_SIZE_PT

LABEL_STYLE = {
    "country": {"fontsize": 9.5, "fontweight": "bold", "color": "#6b6b6b", "ha": "center"},
    "area": {"fontsize": 8.0, "fontstyle": "italic", "color": "#4a3b66", "ha": "center"},
    "capital": {"fontsize": 8.6, "fontweight": "bold", "color": "#1a1a1a", "ha": "left"},
    "place": {"fontsize": 7.6, "color": "#222222", "ha": "left"},
}
#: Drawing order of label kinds (others last).
KIND_ORDER = {"capital": 0, "country": 1, "area": 2, "place": 3}
HALO = [patheffects.Stroke(linewidth=2.2, foreground="white")]

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in display pixels


class Placer:
    """Where labels may go: inside the frame, clear of labels placed, preferably clear of
    event symbols (display pixels)."""

    def __init__(self, ax: Any, symbols: np.ndarray, symbol_pt: float) -> None:
        self.frame = ax.get_window_extent()
        self.placed: list[Box] = []
        self.r = symbol_pt / 2 * (ax.figure.dpi / 72)
        sym = np.asarray(symbols, float).reshape(-1, 2)
        sym = ax.transData.transform(sym) if len(sym) else sym
        self.sym = sym[np.argsort(sym[:, 0], kind="stable")]  # by x: a box looks at a slice

    def hits_symbol(self, b: Box) -> bool:
        """Whether box b covers part of an event symbol."""
        sym, r = self.sym, self.r
        lo = np.searchsorted(sym[:, 0], b[0] - r, side="right")
        hi = np.searchsorted(sym[:, 0], b[2] + r, side="left")
        ys = sym[lo:hi, 1]
        return bool(np.any((b[1] < ys + r) & (ys - r < b[3])))

    def free(self, b: Box) -> bool:
        """Whether box b is inside the frame and clear of the labels placed so far."""
        f = self.frame
        inside = f.x0 <= b[0] and b[2] <= f.x1 and f.y0 <= b[1] and b[3] <= f.y1
        return inside and not any(
            b[0] < o[2] and o[0] < b[2] and b[1] < o[3] and o[1] < b[3] for o in self.placed
        )

    def place(self, options: list[tuple[str, Box]]) -> str | None:
        """The first free option (those clear of symbols first), taken; None if none is."""
        options.sort(key=lambda o: self.hits_symbol(o[1]))  # stable: right before left
        choice = next(((ha, b) for ha, b in options if self.free(b)), None)
        if choice is None:
            return None
        self.placed.append(choice[1])
        return choice[0]


def _options(text: str, st: dict, px: float, py: float, scale: float) -> list[tuple[str, Box]]:
    """Candidate boxes of a label at display point (px, py): centred, or right then left
    of a town's dot (text width estimated from its length)."""
    w = len(text) * st["fontsize"] * 0.56 * scale
    h = st["fontsize"] * 1.2 * scale
    off = 3 * scale
    if st["ha"] == "center":
        return [("center", (px - w / 2, py - h / 2, px + w / 2, py + h / 2))]
    return [
        ("left", (px - 2 * scale, py - 2 * scale, px + off + w, py + h)),
        ("right", (px - off - w, py - 2 * scale, px + 2 * scale, py + h)),
    ]


def _draw_label(ax: Any, g: shapely.Point, text: str, kind: str, st: dict) -> None:
    """One label with its halo (a town's also with its dot), st['ha'] its side."""
    if st["ha"] == "center":
        for effects, z in ((HALO, 9), (None, 9.1)):
            ax.text(g.x, g.y, text, va="center", path_effects=effects, zorder=z, clip_on=True, **st)
        return
    ax.plot(
        [g.x],
        [g.y],
        "o",
        ms=3.4 if kind == "capital" else 2.6,
        color="#333333",
        mec="white",
        mew=0.5,
        zorder=8,
    )
    dx = 3 if st["ha"] == "left" else -3
    for effects, z in ((HALO, 9), (None, 9.1)):
        ax.annotate(
            text,
            (g.x, g.y),
            xytext=(dx, 1.5),
            textcoords="offset points",
            va="bottom",
            path_effects=effects,
            zorder=z,
            annotation_clip=True,
            **st,
        )


def draw_labels(
    ax: Any,
    clip: Clip,
    mode: str,
    symbols: Sequence[tuple[float, float]] | np.ndarray = (),
    symbol_pt: float = EVENT_SIZE_PT,
) -> None:
    """Town and area labels in toponym mode `mode`, placed around each other and the event
    symbols (data x/y, symbol_pt across)."""
    feats = [(p, g) for p, g in clip.features(basedata.labels(mode)) if g.geom_type == "Point"]
    feats.sort(key=lambda pg: KIND_ORDER.get(str(pg[0].get("kind")), 4))
    scale = ax.figure.dpi / 72
    placer = Placer(ax, np.asarray(symbols, float), symbol_pt)
    for props, g in feats:
        text = str(props.get("text") or "")
        if not text or not clip.frame.contains(g):
            continue
        kind = str(props.get("kind") or "place")
        st = dict(LABEL_STYLE.get(kind, LABEL_STYLE["place"]))
        if kind == "country":
            text = text.upper()
        px, py = ax.transData.transform((g.x, g.y))
        ha = placer.place(_options(text, st, px, py, scale))
        if ha is None:
            continue
        st["ha"] = ha
        _draw_label(ax, g, text, kind, st)
