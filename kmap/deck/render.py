"""A deck page's map as PNG or PDF, with the step's annotations drawn on the map.

Without annotations this is exactly the briefing export (kmap.briefing.render_png /
render_pdf). With annotations the briefing's figure is built, the arrows, callouts and
circles are drawn on its map in the same projection, and the figure is saved the same way.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib import rc_context
from matplotlib.patches import Circle
from PIL import Image

from kmap.briefing import PAGES, BriefingSpec, Projection, build_figure, render_pdf, render_png
from kmap.deck.storyboard import Annotation, Arrow, Callout, CircleArea

#: Annotation ink: a dark magenta used by no layer of the map (palette), so an analyst's
#: marks never read as data.
INK = "#b0006e"
HALO = "white"
#: Save-time settings of the briefing (kmap.briefing's rc): embedded TrueType fonts keep
#: the PDF's text extractable.
_SAVE_RC = {"pdf.fonttype": 42, "ps.fonttype": 42, "path.simplify": True}


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
            ax.annotate(
                "",
                xy=xy(a.end),
                xytext=xy(a.start),
                zorder=40,
                arrowprops={
                    "arrowstyle": "-|>,head_width=0.5,head_length=0.9",
                    "lw": 2.4,
                    "color": INK,
                    "shrinkA": 0,
                    "shrinkB": 0,
                },
            )
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


def _annotated_figure(spec: BriefingSpec, page: str, annotations: Sequence[Annotation]) -> Any:
    fig, info = build_figure(spec, page)
    ax = _map_axes(fig, info["extent"])
    draw_annotations(ax, Projection(spec.bbox), annotations)
    ax.set_xlim(info["extent"][0], info["extent"][1])
    ax.set_ylim(info["extent"][2], info["extent"][3])
    return fig


def map_png(
    spec: BriefingSpec, annotations: Sequence[Annotation] = (), aspect: str = "16:9"
) -> bytes:
    """The page's full-resolution PNG (3840x2160 at 16:9), annotations drawn."""
    if not annotations:
        return render_png(spec, aspect)
    fig = _annotated_figure(spec, aspect, annotations)
    with rc_context(_SAVE_RC):
        fig.canvas.draw()
    rgb = np.asarray(fig.canvas.buffer_rgba())[..., :3]
    buf = io.BytesIO()
    dpi = PAGES[aspect].dpi
    Image.fromarray(np.ascontiguousarray(rgb)).save(buf, format="png", dpi=(dpi, dpi))
    return buf.getvalue()


def map_pdf(spec: BriefingSpec, annotations: Sequence[Annotation] = ()) -> bytes:
    """The page's vector A4-landscape PDF, annotations drawn."""
    if not annotations:
        return render_pdf(spec)
    fig = _annotated_figure(spec, "a4", annotations)
    buf = io.BytesIO()
    with rc_context(_SAVE_RC):
        fig.savefig(buf, format="pdf", metadata={"Title": spec.title, "Creator": "karabakh-map"})
    return buf.getvalue()


__all__ = ["draw_annotations", "map_pdf", "map_png"]
