"""Time-dependent datasets: written once under static/data, fetched once by the browser.

A dataset (the events, all control periods, all zones) is a GeoJSON file with a content hash
in its name; what a view shows of it is a mask (kmap.map.masks) sent on each slider move. Event
sets differ per upload, so old ones are pruned; :func:`dataset_specs` tells the map's
JavaScript how to draw each dataset, with the shared palette. An upload's events are not
published here: ui.sessiondata serves them to their session only, as compact columns
(kmap.map.eventcols; kmap/js/kmap-events.js reads either form).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from geo.files import write_atomic
from kmap.config import STATIC_URL
from palette import CONTROL_STYLES, EVENT_STYLES, PRECISION_RADIUS_M, ZONE_STYLES

DATASETS = ("control", "zones", "events")

#: Per dataset name: (files kept, total bytes kept) under static/data/. Event sets differ per
#: upload, so they are pruned; control and zones are written once per process, never pruned.
PRUNE: dict[str, tuple[int, int]] = {"events": (64, 512 * 2**20)}
#: Files younger than this are never pruned (a browser may be about to fetch them).
PRUNE_MIN_AGE_S = 120.0
_HASHED_NAME = re.compile(r"^(?P<name>[a-z_]+)-[0-9a-f]{16}\.geojson$")


@dataclass(frozen=True)
class DatasetFile:
    """A dataset written under static/data/ with a content hash in its name."""

    name: str
    url: str
    path: Path
    count: int


def publish(name: str, fc: dict, static_dir: Path, static_url: str = STATIC_URL) -> DatasetFile:
    """Write a dataset to static/data/<name>-<hash>.geojson (once) and return its URL.

    The hash in the name makes the URL change whenever the content does (browser caches stay
    correct) and lets concurrent sessions with the same data share one file. Each writer uses
    its own temporary file, so sessions publishing the same data at once never collide.
    Datasets named in :data:`PRUNE` are pruned after each new file (see prune_datasets).
    """
    text = json.dumps(fc, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    rel = f"data/{name}-{digest}.geojson"
    path = static_dir / rel
    if path.exists():
        with contextlib.suppress(OSError):
            os.utime(path)  # used again: the pruning keeps recently used files
    else:
        write_atomic(path, text, mode=0o644)  # static files are world-readable
        if name in PRUNE:
            prune_datasets(path.parent, name, *PRUNE[name], keep_path=path)
    return DatasetFile(name, f"{static_url}/{rel}", path, len(fc["features"]))


def prune_datasets(
    folder: Path,
    name: str,
    keep: int,
    max_bytes: int,
    keep_path: Path | None = None,
    min_age_s: float | None = None,
) -> list[Path]:
    """Delete the least recently used <name>-<hash>.geojson files beyond `keep` files or
    `max_bytes` in total, and stale temporary files; returns what was deleted.

    ``keep_path`` (the file just written) and files younger than ``min_age_s`` (default
    :data:`PRUNE_MIN_AGE_S`) are never deleted. A session whose file was pruned writes it
    again on its next rerun (same content, same name).
    """
    min_age = PRUNE_MIN_AGE_S if min_age_s is None else min_age_s
    now = time.time()
    files: list[tuple[float, int, Path]] = []
    removed: list[Path] = []
    for p in folder.glob(f"*{name}-*"):
        try:
            st = p.stat()
        except OSError:
            continue
        m = _HASHED_NAME.match(p.name)
        if m and m["name"] == name:
            files.append((st.st_mtime, st.st_size, p))
        elif p.name.startswith(f".{name}-") and p.suffix == ".tmp" and now - st.st_mtime > 3600:
            p.unlink(missing_ok=True)  # left by a writer that died
            removed.append(p)
    files.sort(key=lambda t: t[0], reverse=True)
    total = 0
    for n, (mtime, size, p) in enumerate(files):
        total += size
        if (n < keep and total <= max_bytes) or p == keep_path or now - mtime < min_age:
            continue
        p.unlink(missing_ok=True)
        removed.append(p)
    return removed


def _events_spec(src: str | dict) -> dict:
    return {
        "name": "events",
        "src": src,
        "kind": "events",
        "styles": {k: {"color": s.color, "glyph": s.glyph} for k, s in EVENT_STYLES.items()},
        "precisionRadius": {k: v for k, v in PRECISION_RADIUS_M.items() if v},
    }


def _areas_spec(name: str, src: str | dict) -> dict:
    table = CONTROL_STYLES if name == "control" else ZONE_STYLES
    return {
        "name": name,
        "src": src,
        "kind": "areas",
        "pane": "kmapAreas" if name == "control" else "kmapZones",
        "styles": {k: s.leaflet() for k, s in table.items()},
        "labels": {k: s.label for k, s in table.items()},  # "Held by ..." in popups
    }


def dataset_specs(sources: dict[str, str | dict]) -> list[dict]:
    """KMap.addDataset specs, with the shared styles, for datasets given as a URL (published
    under static/) or inline GeoJSON (standalone exports)."""
    unknown = set(sources).difference(DATASETS)
    if unknown:
        raise ValueError(f"unknown dataset(s) {sorted(unknown)}; expected {list(DATASETS)}")
    return [
        _events_spec(sources[name]) if name == "events" else _areas_spec(name, sources[name])
        for name in DATASETS
        if name in sources
    ]
