"""Event symbols that would hide each other are moved apart, the static form of the live
map's spiderfied clusters: a few on a ring around their shared spot, many (more than
RING_MAX) packed on a sunflower disc around it. Every symbol stays drawn and in the frame.

Vectorised (a grid of neighbour pairs), so it scales to 100,000s of events.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

#: Overlapping symbols are set on a ring around their spot up to this many; bigger groups
#: on a sunflower disc (radius grows with the square root of the count, not the count).
RING_MAX = 40
PILE_MAX = 0.12  # radius of the biggest sunflower, as a share of the frame's shorter side
#: Above this many candidate pairs (a huge pile of distinct points in one spot), overlapping
#: symbols are grouped by grid cell instead of pair by pair (bounded memory).
PAIR_CAP = 4_000_000


@dataclass
class Spread:
    """Where the symbols go: xy (data), in_pile (on a sunflower disc), piles (disc centres)."""

    xy: np.ndarray
    in_pile: np.ndarray
    piles: np.ndarray


def spread(ax: Any, points: np.ndarray, size_pt: float) -> Spread:
    """Symbols that would hide each other (closer than half a symbol) are set on a small
    ring around their shared spot; groups of more than RING_MAX on a sunflower disc around
    it (a pile). Displaced symbols stay in the frame.

    Greedy in event order: each event not yet placed takes all unplaced ones within half a
    symbol of it.
    """
    points = np.asarray(points, float).reshape(-1, 2)
    n = len(points)
    unmoved = Spread(points.copy(), np.zeros(n, bool), np.empty((0, 2)))
    if n < 2:
        return unmoved
    px = ax.transData.transform(points)
    d = size_pt * ax.figure.dpi / 72
    seed = clusters(px, 0.5 * d)
    order = np.lexsort((np.arange(n), seed))  # by cluster, members in event order
    lab = seed[order]
    starts = np.flatnonzero(np.r_[True, lab[1:] != lab[:-1]])
    counts = np.diff(np.r_[starts, n])
    grp = np.repeat(np.arange(len(starts)), counts)
    rank = np.arange(n) - starts[grp]
    m = counts[grp]
    multi = m >= 2
    if not multi.any():
        return unmoved
    centre = np.column_stack(
        [np.bincount(grp, px[order, 0]) / counts, np.bincount(grp, px[order, 1]) / counts]
    )[grp]
    frame = ax.get_window_extent()
    ring = m <= RING_MAX
    pos = _positions(centre, rank, m, ring, d, frame)
    to_data = ax.transData.inverted()
    out = points.copy()
    out[order[multi]] = to_data.transform(pos[multi])
    in_pile = np.zeros(n, bool)
    in_pile[order[~ring]] = True
    piles = np.unique(centre[~ring], axis=0)
    return Spread(out, in_pile, to_data.transform(piles) if len(piles) else np.empty((0, 2)))


def _positions(
    centre: np.ndarray, rank: np.ndarray, m: np.ndarray, ring: np.ndarray, d: float, frame: Any
) -> np.ndarray:
    """Display positions of the rank-th of m symbols around centre: on a ring (ring True)
    or a sunflower disc, kept half a symbol inside the frame (d: symbol diameter, px)."""
    # sunflower: neighbours ~3/4 of a symbol apart (a compact pile, each symbol partly
    # visible); a huge pile stays within a disc of PILE_MAX of the frame (more overlap)
    step = np.minimum(0.4 * d, PILE_MAX * min(frame.width, frame.height) / np.sqrt(m))
    radius = np.where(
        ring, d * np.maximum(0.75, 1.1 * m / (2 * math.pi)), step * np.sqrt(rank + 0.5)
    )
    angle = np.where(
        ring, math.pi / 2 - 2 * math.pi * rank / m, math.pi / 2 - rank * math.pi * (3 - 5**0.5)
    )
    pos = centre + radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    half = min(d / 2, frame.width / 2, frame.height / 2)
    pos[:, 0] = np.clip(pos[:, 0], frame.x0 + half, frame.x1 - half)
    pos[:, 1] = np.clip(pos[:, 1], frame.y0 + half, frame.y1 - half)
    return pos


def clusters(px: np.ndarray, r: float) -> np.ndarray:
    """Greedy grouping (see spread): for each point, the index of its group's first point."""
    n = len(px)
    if not n:
        return np.empty(0, np.intp)
    # identical positions: sort by x, y, then event order (np.unique(axis=0) is slower)
    by_pos = np.lexsort((np.arange(n), px[:, 1], px[:, 0]))
    sp = px[by_pos]
    new = np.r_[True, np.any(sp[1:] != sp[:-1], axis=1)]
    uniq, first = sp[new], by_pos[new]  # first: the earliest event at each position
    inv = np.empty(n, np.intp)
    inv[by_pos] = np.cumsum(new) - 1
    u = len(uniq)
    seed_u = np.arange(u)
    if u >= 2 and r > 0:
        scan = np.argsort(first, kind="stable")  # unique points in event order
        seed_scan = _seeds(uniq[scan], r)
        seed_u = np.empty(u, np.intp)
        seed_u[scan] = scan[seed_scan]
    return first[seed_u][inv]


def _seeds(upx: np.ndarray, r: float) -> np.ndarray:
    """Seed of each distinct point (in event order) among its neighbours closer than r;
    one group per grid cell when there would be more than PAIR_CAP candidate pairs."""
    u = len(upx)
    cell = np.floor((upx - upx.min(axis=0)) / r).astype(np.int64)
    width = int(cell[:, 0].max()) + 3
    key = cell[:, 1] * width + cell[:, 0]
    by = np.argsort(key, kind="stable")
    keys, start, cnt = np.unique(key[by], return_index=True, return_counts=True)
    pairs = cell_pairs(keys, start, cnt, by, width)
    if pairs is None:  # pathological pile-up: one group per grid cell
        cell_of = np.searchsorted(keys, key)
        first_in_cell = np.full(len(keys), u)
        np.minimum.at(first_in_cell, cell_of, np.arange(u))
        return first_in_cell[cell_of]
    a, b = pairs
    close = np.hypot(*(upx[a] - upx[b]).T) < r
    a, b = a[close], b[close]
    return greedy(u, np.concatenate([a, b]), np.concatenate([b, a]))


def cell_pairs(
    keys: np.ndarray, start: np.ndarray, cnt: np.ndarray, by: np.ndarray, width: int
) -> tuple[np.ndarray, np.ndarray] | None:
    """All pairs (i, j) of points in the same or neighbouring grid cells (each pair once);
    None if there would be more than PAIR_CAP."""
    out_a, out_b, total = [], [], 0
    for dx, dy in ((0, 0), (1, 0), (-1, 1), (0, 1), (1, 1)):
        want = keys + dy * width + dx
        pos = np.minimum(np.searchsorted(keys, want), len(keys) - 1)
        ca = np.flatnonzero(keys[pos] == want)
        cb = pos[ca]
        na, nb = cnt[ca], cnt[cb]
        tot = na * nb
        total += int(tot.sum())
        if total > PAIR_CAP:
            return None
        which = np.repeat(np.arange(len(ca)), tot)
        within = np.arange(int(tot.sum())) - np.repeat(np.cumsum(tot) - tot, tot)
        ia = by[start[ca][which] + within // nb[which]]
        ib = by[start[cb][which] + within % nb[which]]
        if (dx, dy) == (0, 0):
            keep = ia < ib
            ia, ib = ia[keep], ib[keep]
        out_a.append(ia)
        out_b.append(ib)
    return np.concatenate(out_a), np.concatenate(out_b)


def greedy(n: int, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Seed of each point: in index order, each point not yet taken takes its untaken
    neighbours (src -> dst, both directions listed)."""
    seed = np.arange(n)
    if not len(src):
        return seed
    order = np.argsort(src, kind="stable")
    src, dst = src[order], dst[order]
    indptr = np.searchsorted(src, np.arange(n + 1)).tolist()
    nbrs = dst.tolist()
    taken = bytearray(n)
    for i in np.unique(src).tolist():
        if taken[i]:
            continue
        taken[i] = 1
        for j in nbrs[indptr[i] : indptr[i + 1]]:
            if not taken[j]:
                taken[j] = 1
                seed[j] = i
    return seed
