"""The events layer: the point events inside the frame, projected in one call, drawn as
symbols grouped by (type, precision) (a fixed number of collections whatever their count),
decluttered (kmap.briefing.declutter), with the legend rows that say what is drawn."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from matplotlib.patches import PathPatch
from matplotlib.path import Path

from kmap.briefing.declutter import RING_MAX, Spread, spread
from kmap.briefing.legend import Row
from kmap.briefing.projection import Projection
from kmap.briefing.symbols import EVENT_SIZE_PT, GLYPH_MIN_PT, event_size, event_symbol
from kmap.legend import precision_rows
from palette import EVENT_STYLES, PRECISION_LABELS

PRECISION_ORDER = ("country", "region", "district", "near", "exact")  # drawn bottom to top
#: Colour and letter of an event type the style table does not know.
UNKNOWN_TYPE = ("#444444", "?")


@dataclass
class EventsInFrame:
    """Events inside the frame: projected points, (type, precision) group of each, citations."""

    xy: np.ndarray  # (n, 2) projected metres, in spec order
    group: np.ndarray  # (n,) index into groups
    groups: list[tuple[str, str]]  # (type, precision), in order of first appearance
    publishers: Counter[str]
    files: Counter[str] = field(default_factory=Counter)  # uploaded file -> events shown


@dataclass
class EventLayer:
    """What the events layer drew: legend rows, event count, symbol places and size (pt)."""

    rows: list[Row]
    count: int
    symbols: np.ndarray
    size: float


def _points(events: Iterable[Any]) -> tuple[list[float], list[float], list[dict]]:
    """lon, lat and properties of the point features (anything else is not a point event)."""
    lons: list[float] = []
    lats: list[float] = []
    props_of: list[dict] = []
    for f in events:
        try:
            geom = f.get("geometry")
            if not geom or geom.get("type") != "Point":
                continue
            c = geom["coordinates"]
            lon, lat = float(c[0]), float(c[1])
        except (AttributeError, TypeError, ValueError, KeyError, IndexError):
            continue
        props = f.get("properties")
        lons.append(lon)
        lats.append(lat)
        props_of.append(props if isinstance(props, dict) else {})
    return lons, lats, props_of


def events_in_frame(events: Iterable[Any], proj: Projection, extent: tuple) -> EventsInFrame:
    """The point events strictly inside the frame, projected in one call (GeoJSON features)."""
    lons, lats, props_of = _points(events)
    ex0, ex1, ey0, ey1 = extent
    if lons:
        with np.errstate(invalid="ignore"):
            x, y = proj.forward(np.asarray(lons), np.asarray(lats))
            inside = np.isfinite(x) & np.isfinite(y) & (ex0 < x) & (x < ex1) & (ey0 < y) & (y < ey1)
    else:
        x = y = np.empty(0)
        inside = np.zeros(0, bool)
    keep = np.flatnonzero(inside)
    index: dict[tuple[str, str], int] = {}
    group = []
    cited: list[str] = []
    files: Counter[str] = Counter()
    known = PRECISION_LABELS.keys()
    for i in keep.tolist():
        props = props_of[i]
        if props.get("from_file"):
            files[str(props["from_file"])] += 1
        prec = str(props.get("geo_precision") or "exact")
        key = (str(props.get("type", "")), prec if prec in known else "exact")
        group.append(index.setdefault(key, len(index)))
        for src in props.get("sources") or ():  # inline publishers_of: 100,000s of calls
            if isinstance(src, dict):
                name = src.get("publisher")
                if name:
                    cited.append(str(name))
    return EventsInFrame(
        np.column_stack([x[keep], y[keep]]),
        np.asarray(group, np.intp),
        list(index),
        Counter(cited),
        files,
    )


def _draw_displacement(ax: Any, true_xy: np.ndarray, placed: Spread, k: float) -> None:
    """On a ring: a leader line from each moved symbol to its true place, marked by a dot;
    on a pile (sunflower disc): a dot over the pile's centre, no leaders."""
    xy = placed.xy
    moved = np.any(xy != true_xy, axis=1) & ~placed.in_pile
    if len(placed.piles):
        ax.plot(
            placed.piles[:, 0],
            placed.piles[:, 1],
            "o",
            linestyle="none",
            ms=max(3.4 * k, 2.4),
            color="#333333",
            mec="white",
            mew=0.5,
            zorder=8.5,
        )
    if not moved.any():
        return
    leaders = np.stack([true_xy[moved], xy[moved]], axis=1).reshape(-1, 2)
    codes = np.tile(np.array([Path.MOVETO, Path.LINETO], np.uint8), int(moved.sum()))
    ax.add_artist(  # not add_patch: no data-limit pass over every segment
        PathPatch(
            Path(leaders, codes),
            facecolor="none",
            edgecolor="#333333",
            linewidth=max(0.4 * k, 0.15),
            zorder=4.9,
        )
    )
    spots = np.unique(true_xy[moved], axis=0)
    ax.plot(
        spots[:, 0],
        spots[:, 1],
        "o",
        linestyle="none",
        ms=max(1.8 * k, 0.6),
        color="#333333",
        zorder=4.9,
    )


def _draw_groups(ax: Any, ev: EventsInFrame, xy: np.ndarray, size: float) -> None:
    """One set of collections per (type, precision), less precise ones underneath."""
    order = np.argsort(ev.group, kind="stable")
    bounds = np.searchsorted(ev.group[order], np.arange(len(ev.groups) + 1))
    drawn = sorted(range(len(ev.groups)), key=lambda g: PRECISION_ORDER.index(ev.groups[g][1]))
    for g in drawn:
        etype, prec = ev.groups[g]
        sel = order[bounds[g] : bounds[g + 1]]
        st = EVENT_STYLES.get(etype)
        color, glyph = (st.color, st.glyph) if st else UNKNOWN_TYPE
        z = 5 + PRECISION_ORDER.index(prec)
        event_symbol(ax, xy[sel, 0], xy[sel, 1], color, glyph, prec, size, z)


def _type_rows(ev: EventsInFrame) -> tuple[list[Row], set[str]]:
    """A legend row per event type drawn (with its count), and the precisions drawn."""
    types: Counter[str] = Counter()
    precisions: set[str] = set()
    for (etype, prec), count in zip(
        ev.groups, np.bincount(ev.group, minlength=len(ev.groups)), strict=True
    ):
        types[etype] += int(count)
        precisions.add(prec)
    rows: list[Row] = []
    for etype in [t for t in EVENT_STYLES if t in types] + sorted(
        t for t in types if t not in EVENT_STYLES
    ):
        st = EVENT_STYLES.get(etype)
        label = st.label if st else (etype.replace("_", " ").capitalize() or "Other")
        color, glyph = (st.color, st.glyph) if st else UNKNOWN_TYPE
        rows.append(("event", (color, glyph, "exact"), f"{label} ({types[etype]:,})"))
    return rows, precisions


def _note_rows(ev: EventsInFrame, placed: Spread, size: float) -> list[Row]:
    """Notes under the event rows: piles, uploaded files, symbols drawn small."""
    rows: list[Row] = []
    if len(placed.piles):
        n_piles = len(placed.piles)
        rows.append(
            (
                "note",
                None,
                f"{n_piles:,} place{'s' if n_piles > 1 else ''} with over {RING_MAX} events:"
                " symbols packed in a disc around the place (dark dot)",
            )
        )
    for name, count in sorted(ev.files.items()):  # uploaded events say so on the slide
        rows.append(("note", None, f"{count:,} from the user's file {name} (not reviewed)"))
    if size < EVENT_SIZE_PT:
        note = f"Symbols drawn small to show all {len(ev.xy):,} events"
        if size < GLYPH_MIN_PT:
            note += " (no letters or dashes; colour shows the type)"
        rows.append(("note", None, note))
    return rows


def draw_events(
    ax: Any, events: Iterable[Any], proj: Projection, extent: tuple, publishers: Counter[str]
) -> EventLayer:
    """Every event inside the frame, drawn (smaller when many, moved apart where they
    overlap); counts their citations into publishers."""
    ev = events_in_frame(events, proj, extent)
    publishers.update(ev.publishers)
    size = event_size(ax, len(ev.xy))
    placed = spread(ax, ev.xy, size)
    _draw_displacement(ax, ev.xy, placed, size / EVENT_SIZE_PT)
    _draw_groups(ax, ev, placed.xy, size)
    rows, precisions = _type_rows(ev)
    # a row per precision drawn, when some event is not exactly placed (kmap.legend's rows)
    rows += [
        ("event", (row.color, "", row.key), row.label)
        for row in precision_rows(precisions, detail=True)
    ]
    rows += _note_rows(ev, placed, size)
    return EventLayer(rows, len(ev.xy), placed.xy, size)
