"""What a slider move sends: which features of a published dataset are shown, as a short text.

A dataset (events, control periods, zones) is fetched by the browser once; each view sends
a mask over its features. Decoded in the browser by ``KMap.decodeMask`` (kmap/js/kmap.js);
tests/unit/test_kmap_masks.py runs that decoder in node against :func:`mask_b64`.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable

import numpy as np


def mask_b64(flags: Iterable[bool]) -> str:
    """Encode a boolean mask compactly: the shorter of two forms, told apart by their first
    character.

    * ``"b"`` followed by a little-endian bitset in base64 (1 bit per feature, ~n/6
      characters), or
    * ``"r"`` followed by comma-separated run lengths, alternating off/on and starting with
      "off" (``"r3,2"`` = off, off, off, on, on). A date window over a dataset published in
      date order is one or two runs, so a slider move sends a few bytes, not n/6.

    The bitset needs its "b": base64 itself may begin with "r" (a first byte 0xAC-0xAF).
    """
    if isinstance(flags, np.ndarray):  # fast path (10^5 features per slider move)
        arr = flags.astype(bool, copy=False).ravel()
    else:
        arr = np.fromiter((bool(f) for f in flags), dtype=bool)
    bitset = "b" + base64.b64encode(np.packbits(arr, bitorder="little").tobytes()).decode("ascii")
    edges = np.flatnonzero(np.diff(arr.astype(np.int8))) + 1
    if len(edges) * 2 >= len(bitset):  # runs cannot be shorter: skip building the text
        return bitset
    bounds = np.concatenate(([0], edges, [len(arr)]))
    runs = np.diff(bounds).tolist()
    if len(arr) and arr[0]:
        runs.insert(0, 0)  # runs start with "off"
    rle = "r" + ",".join(map(str, runs))
    return rle if len(rle) < len(bitset) else bitset


def decode_mask(mask: str, n: int | None = None) -> list[bool]:
    """Inverse of mask_b64 (tests read the masks the app sends with it). ``n``: the number of
    features (a bitset is padded to whole bytes; run lengths carry their own length)."""
    if mask.startswith("r"):
        out: list[bool] = []
        for k, run in enumerate(mask[1:].split(",") if len(mask) > 1 else []):
            out.extend([k % 2 == 1] * int(run))
        return out if n is None else (out + [False] * n)[:n]
    if not mask.startswith("b"):
        raise ValueError(f"not a mask from mask_b64 (starts with neither r nor b): {mask[:20]!r}")
    raw = np.frombuffer(base64.b64decode(mask[1:]), dtype=np.uint8)
    bits = [bool(b) for b in np.unpackbits(raw, bitorder="little")]
    return bits if n is None else bits[:n]
