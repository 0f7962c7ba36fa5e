"""A deck page's map as PNG or PDF, with the step's annotations drawn on the map.

The briefing's figure (kmap.briefing.build_figure) is built, the arrows, callouts and
circles are drawn on its map in the same projection, and the figure is saved as
kmap.briefing's render_png / render_pdf save it (without annotations: the same file).
The caller also learns the map's extent and how many events it drew, so a slide can say
how many of the filtered events lie inside its frame.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib import rc_context
from matplotlib.patches import Circle

from kmap.briefing import PAGES, BriefingSpec, Projection, build_figure, subtitle
from kmap.briefing.render import figure_png
from kmap.briefing.style import RC
from kmap.deck.storyboard import Annotation, Arrow, Callout, CircleArea

#: Annotation ink: a dark magenta used by no layer of the map (palette), so an analyst's
#: marks never read as data.
INK = "#b0006e"
HALO = "white"


def _map_axes(fig: Any, extent: tuple) -> Any:
    """The figure's map: the axes whose x limits are the briefing's extent."""
    for ax in fig.axes:
        if np.allclose(ax.get_xlim(), extent[:2]):
            return ax
    raise RuntimeError("briefing figure has no map axes")  # pragma: no cover


def _label(ax: Any, xy: tuple[float, float], text: str) -> None:
    ax.annotate(
        text,
        xy=xy,
        xytext=(8, 8),
        textcoords="offset points",
        fontsize=9,
        fontweight="bold",
        color=INK,
        zorder=41,
        bbox={"boxstyle": "round,pad=0.25", "fc": HALO, "ec": INK, "lw": 0.8, "alpha": 0.92},
    )


def draw_annotations(ax: Any, proj: Projection, annotations: Sequence[Annotation]) -> None:
    """Draw arrows, callouts and circles (lon/lat) on a briefing map in projection ``proj``."""

    def xy(p: tuple[float, float]) -> tuple[float, float]:
        x, y = proj.forward(p[0], p[1])
        return float(x), float(y)

    for a in annotations:
        if isinstance(a, Arrow):
            arrow = ax.annotate(
                "",
                xy=xy(a.end),
                xytext=xy(a.start),
                annotation_clip=False,
                zorder=40,
                arrowprops={
                    "arrowstyle": "-|>,head_width=0.5,head_length=0.9",
                    "lw": 2.4,
                    "color": INK,
                    "shrinkA": 0,
                    "shrinkB": 0,
                },
            )
            # an end may lie outside the frame: the arrow stops at the map's edge
            arrow.arrow_patch.set_clip_box(ax.bbox)
            arrow.arrow_patch.set_clip_on(True)
            if a.text:
                _label(ax, xy(a.start), a.text)
        elif isinstance(a, CircleArea):
            c = xy(a.centre)
            # the projection is equal-area and centred on the frame: km are true near it
            ax.add_patch(
                Circle(c, a.radius_km * 1000, fill=False, ec=INK, lw=2.0, ls="--", zorder=40)
            )
            if a.text:
                _label(ax, c, a.text)
        elif isinstance(a, Callout):
            ax.plot(*xy(a.at), marker="o", ms=5, color=INK, zorder=41)
            _label(ax, xy(a.at), a.text)


@dataclass(frozen=True)
class Rendered:
    """A drawn page: the file, the map's projected extent (x0, x1, y0, y1) and the number of
    events drawn (those inside the extent)."""

    data: bytes
    extent: tuple[float, float, float, float]
    events: int


def render_map(
    spec: BriefingSpec, annotations: Sequence[Annotation] = (), page: str = "16:9"
) -> Rendered:
    """The briefing page as PNG ('16:9', '4:3': full resolution) or vector PDF ('a4'), the
    annotations drawn on its map; the same figure and settings as kmap.briefing's
    render_png / render_pdf, plus what the map holds."""
    with rc_context(RC):
        fig, info = build_figure(spec, page)
        extent = info["extent"]
        if annotations:
            ax = _map_axes(fig, extent)
            draw_annotations(ax, Projection(spec.bbox), annotations)
            ax.set_xlim(extent[0], extent[1])
            ax.set_ylim(extent[2], extent[3])
        if page == "a4":
            buf = io.BytesIO()
            meta = {"Title": spec.title, "Subject": subtitle(spec), "Creator": "karabakh-map"}
            fig.savefig(buf, format="pdf", metadata=meta)
            data = buf.getvalue()
        else:
            data = figure_png(fig, spec.title, PAGES[page].dpi)
    return Rendered(data, tuple(map(float, extent)), int(info["events"]))


def map_png(
    spec: BriefingSpec, annotations: Sequence[Annotation] = (), aspect: str = "16:9"
) -> bytes:
    """The page's full-resolution PNG (3840x2160 at 16:9), annotations drawn."""
    return render_map(spec, annotations, aspect).data


def map_pdf(spec: BriefingSpec, annotations: Sequence[Annotation] = ()) -> bytes:
    """The page's vector A4-landscape PDF, annotations drawn."""
    return render_map(spec, annotations, "a4").data


__all__ = ["Rendered", "draw_annotations", "map_pdf", "map_png", "render_map"]
