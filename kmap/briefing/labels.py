"""Town and area labels with a white halo, placed so that they do not collide.

Capitals first, then countries and areas, then towns. A town label goes right of its dot,
or left, or below it, or further out, when that collides or leaves the frame; a label that
fits nowhere is left out (the live map does the same by zoom level). Event symbols are
soft obstacles: a spot clear of them is preferred; a place label that has none is kept,
drawn over the symbols with its halo (labels are never under a symbol).

A place is named once: an area (district) label carrying a town's name ("Kovsakan /
Zangilan") is drawn only when that town's label is not.
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
#: Label layers: above every event symbol (kmap.briefing.symbols: z 5 to 9.02) and the
#: pile dots (8.5), below the scale bar and north arrow (10, 11).
LABEL_Z = 9.5

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


#: Where a label goes around its point (points): (ha, va, dx, dy), in order of preference.
#: A town: right of its dot, left, below right, below left, then further out (past a
#: ring of event symbols); an area: centred, then above, then below.
TOWN_SPOTS = (
    ("left", "bottom", 3, 1.5),
    ("right", "bottom", -3, 1.5),
    ("left", "top", 3, -1.5),
    ("right", "top", -3, -1.5),
    ("left", "center", 14, 0),
    ("right", "center", -14, 0),
)
AREA_SPOTS = (("center", "center", 0, 0), ("center", "center", 0, 12), ("center", "center", 0, -12))
Spot = tuple[str, str, float, float]


def _options(text: str, st: dict, px: float, py: float, scale: float) -> list[tuple[Spot, Box]]:
    """Candidate boxes of a label at display point (px, py), one per spot (TOWN_SPOTS or
    AREA_SPOTS; text width estimated from its length)."""
    w = len(text) * st["fontsize"] * 0.56 * scale
    h = st["fontsize"] * 1.2 * scale
    pad = 2 * scale
    out: list[tuple[Spot, Box]] = []
    for spot in AREA_SPOTS if st["ha"] == "center" else TOWN_SPOTS:
        ha, va, dx, dy = spot
        x = px + dx * scale
        y = py + dy * scale
        x0 = {"left": x - pad, "right": x - w, "center": x - w / 2}[ha]
        x1 = {"left": x + w, "right": x + pad, "center": x + w / 2}[ha]
        y0 = {"bottom": y - pad, "top": y - h, "center": y - h / 2}[va]
        y1 = {"bottom": y + h, "top": y + pad, "center": y + h / 2}[va]
        out.append((spot, (x0, y0, x1, y1)))
    return out


def _draw_label(ax: Any, g: shapely.Point, text: str, kind: str, st: dict, spot: Spot) -> None:
    """One label with its halo (a town's also with its dot) at spot (ha, va, dx, dy)."""
    ha, va, dx, dy = spot
    st = {**st, "ha": ha}
    if kind in ("capital", "place"):
        ax.plot(
            [g.x],
            [g.y],
            "o",
            ms=3.4 if kind == "capital" else 2.6,
            color="#333333",
            mec="white",
            mew=0.5,
            zorder=LABEL_Z - 0.1,
        )
    for effects, z in ((HALO, LABEL_Z), (None, LABEL_Z + 0.1)):
        ax.annotate(
            text,
            (g.x, g.y),
            xytext=(dx, dy),
            textcoords="offset points",
            va=va,
            path_effects=effects,
            zorder=z,
            annotation_clip=True,
            gid=None if effects else f"label:{kind}",
            **st,
        )


def _in_order(feats: list, towns: set[str]) -> list:
    """Labels in drawing order (KIND_ORDER), an area named like a town after the towns."""

    def rank(pg: tuple) -> float:
        kind = str(pg[0].get("kind"))
        if kind == "area" and str(pg[0].get("text") or "") in towns:
            return 3.5
        return KIND_ORDER.get(kind, 4)

    return sorted(feats, key=rank)


def draw_labels(
    ax: Any,
    clip: Clip,
    mode: str,
    symbols: Sequence[tuple[float, float]] | np.ndarray = (),
    symbol_pt: float = EVENT_SIZE_PT,
) -> list[tuple[str, str]]:
    """Town and area labels in toponym mode `mode`, placed around each other and the event
    symbols (data x/y, symbol_pt across); returns the labels drawn, (text, kind)."""
    feats = [(p, g) for p, g in clip.features(basedata.labels(mode)) if g.geom_type == "Point"]
    towns = {str(p.get("text") or "") for p, _ in feats if p.get("kind") in ("place", "capital")}
    scale = ax.figure.dpi / 72
    placer = Placer(ax, np.asarray(symbols, float), symbol_pt)
    drawn: list[tuple[str, str]] = []
    named: set[str] = set()  # towns drawn
    for props, g in _in_order(feats, towns):
        text = str(props.get("text") or "")
        kind = str(props.get("kind") or "place")
        if not text or not clip.frame.contains(g) or (kind == "area" and text in named):
            continue
        st = dict(LABEL_STYLE.get(kind, LABEL_STYLE["place"]))
        shown = text.upper() if kind == "country" else text
        px, py = ax.transData.transform((g.x, g.y))
        spot = placer.place(_options(shown, st, px, py, scale))
        if spot is None:
            continue
        _draw_label(ax, g, shown, kind, st, spot)
        drawn.append((text, kind))
        if kind in ("place", "capital"):
            named.add(text)
    return drawn
