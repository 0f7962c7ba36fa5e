"""Time-dependent layers: data go to the browser once, each slider move sends a tiny state.

A dataset (the events, all control periods, all zones) is a GeoJSON file fetched once by the
map. What is shown on a given view is a bit mask over the dataset's features, computed in
Python (one filtering implementation, shared with the table, charts and exports) and sent as
base64 in a small feature group (streamlit-folium's `feature_group_to_add`), so the map
updates in place: same iframe, same zoom, no rebuild.
"""

from __future__ import annotations

import base64
import contextlib
import ctypes
import datetime as dt
import gc
import hashlib
import json
import os
import re
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import folium
import numpy as np
from jinja2 import Template

from geo.areas import area_label
from geo.toponyms import toponym
from kmap.assets import STATIC_URL
from kmap.jsembed import ScriptMacro, js_json
from palette import CONTROL_STYLES, EVENT_STYLES, PRECISION_RADIUS_M, ZONE_STYLES

DATASETS = ("control", "zones", "events")


def mask_b64(flags: Iterable[bool]) -> str:
    """Encode a boolean mask compactly: the shorter of two forms.

    * a little-endian bitset in base64 (1 bit per feature, ~n/6 characters), or
    * ``"r"`` followed by comma-separated run lengths, alternating off/on and starting with
      "off" (``"r3,2"`` = off, off, off, on, on). A date window over a dataset published in
      date order is one or two runs, so a slider move sends a few bytes, not n/6.
    """
    if isinstance(flags, np.ndarray):  # fast path (10^5 features per slider move)
        arr = flags.astype(bool, copy=False).ravel()
    else:
        arr = np.fromiter((bool(f) for f in flags), dtype=bool)
    bitset = base64.b64encode(np.packbits(arr, bitorder="little").tobytes()).decode("ascii")
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
    """Inverse of mask_b64 (used by tests). ``n``: the number of features (a bitset is
    padded to whole bytes; run lengths carry their own length)."""
    if mask.startswith("r"):
        out: list[bool] = []
        for k, run in enumerate(mask[1:].split(",") if len(mask) > 1 else []):
            out.extend([k % 2 == 1] * int(run))
        return out if n is None else (out + [False] * n)[:n]
    raw = np.frombuffer(base64.b64decode(mask), dtype=np.uint8)
    bits = [bool(b) for b in np.unpackbits(raw, bitorder="little")]
    return bits if n is None else bits[:n]


_gc_lock = threading.Lock()
_gc_users = 0
_gc_was_enabled = True


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while building 10^5 small dicts (GeoJSON features).

    Each full collection walks every object of the loaded events; building the features of
    10^5 events triggered many of them (2-4 s instead of 1 s). Reference counting still frees
    memory meanwhile. Nested and concurrent uses are counted: the collector is restored as it
    was once the last one ends."""
    global _gc_users, _gc_was_enabled
    with _gc_lock:
        if _gc_users == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_users += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_users -= 1
            if _gc_users == 0 and _gc_was_enabled:
                gc.enable()


def freeze_loaded() -> None:
    """After loading (or dropping) a large event set: collect, then freeze the heap.

    Python's cyclic collector otherwise walks the 10^5 long-lived events of an upload again at
    every full collection (a 100k briefing spent ~1.5 s in it). Frozen objects are still freed
    by reference counting when dropped; the next call hands everything back to the collector
    first (`gc.unfreeze`), so cycles among dropped objects are collected then."""
    gc.unfreeze()
    gc.collect()
    release_memory()
    gc.freeze()


def release_memory() -> None:
    """Hand freed heap pages back to the operating system (glibc's malloc_trim).

    After a large upload is dropped, Python frees its objects but glibc keeps the pages for
    reuse: a removed 50 MB file left ~740 MB resident (benchmarks/upload_memory.py). No-op
    where glibc is not the allocator."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _source_dicts(sources: Iterable) -> list[dict]:
    """url, publisher, published (ISO date) and title of each source, the empty ones left out.

    Read as attributes: `model_dump(mode="json")` took 45 µs a source, 4.6 s at 10^5 events."""
    out = []
    for s in sources:
        if isinstance(s, dict):
            d = {k: s.get(k) for k in ("url", "publisher", "published", "title")}
        else:
            d = {"url": s.url, "publisher": s.publisher, "published": s.published, "title": s.title}
        if isinstance(d["published"], dt.date):
            d["published"] = d["published"].isoformat()
        if d["url"]:
            d["host"], d["label"] = _who(str(d["url"]), str(d["publisher"] or ""))
        out.append({k: v for k, v in d.items() if v})
    return out


@lru_cache(maxsize=65_536)
def _who(url: str, publisher: str) -> tuple[str, str]:
    """(the URL's real host, who is speaking) for a source: the host is what a link really
    opens (``https://reuters.com@198.51.100.7/`` opens 198.51.100.7), the label comes from the
    publisher register ("Armenpress — Armenian state or aligned media"), else the publisher as
    written. Cached: an imported file cites the same few URLs 10^5 times."""
    from urllib.parse import urlsplit

    from events.publishers import source_label

    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        host = ""
    return host, source_label(url, publisher)


def event_feature(ev, toponyms: str = "both") -> dict:  # noqa: ANN001 - ResolvedEvent
    """GeoJSON Feature with everything the popup shows (text is escaped client-side)."""
    e = ev.event
    place = toponym(ev.place or "", ev.place_hy, ev.place_az, toponyms) if ev.place else None
    style = EVENT_STYLES.get(str(e.type.value))
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(ev.lon, 5), round(ev.lat, 5)]},
        "properties": {
            "id": e.id,
            "title": e.title,
            "date": e.date.isoformat(),
            "end_date": e.end_date.isoformat() if e.end_date else None,
            "date_precision": e.date_precision.value,
            "type": e.type.value,
            "type_label": style.label if style else e.type.value,
            "summary": e.summary,
            "place": place,
            "geo_precision": ev.geo_precision.value,
            "actors": list(e.actors),
            "sources": _source_dicts(e.sources),
            "confidence": e.confidence.value,
            "area": area_label(e.related_area, toponyms) if e.related_area else None,
            "from_file": ev.from_file,  # an upload says so in its popup
            "kind": ev.kind.value,
        },
    }


def feature_collection(features: Sequence[dict]) -> dict:
    """Wrap features in a FeatureCollection."""
    return {"type": "FeatureCollection", "features": list(features)}


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
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}-", suffix=".tmp", dir=path.parent)
        try:
            os.fchmod(fd, 0o644)  # mkstemp makes 0600; static files are world-readable
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        if name in PRUNE:
            prune_datasets(path.parent, name, *PRUNE[name], keep_path=path)
    return DatasetFile(name, f"{static_url}/{rel}", path, len(fc["features"]))


#: Per dataset name: (files kept, total bytes kept) under static/data/. Event sets differ per
#: upload, so they are pruned; control and zones are written once per process, never pruned.
PRUNE: dict[str, tuple[int, int]] = {"events": (64, 512 * 2**20)}
#: Files younger than this are never pruned (a browser may be about to fetch them).
PRUNE_MIN_AGE_S = 120.0
_HASHED_NAME = re.compile(r"^(?P<name>[a-z_]+)-[0-9a-f]{16}\.geojson$")


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
        if n < keep and total <= max_bytes or p == keep_path or now - mtime < min_age:
            continue
        p.unlink(missing_ok=True)
        removed.append(p)
    return removed


def dataset_specs(sources: dict[str, str | dict]) -> list[dict]:
    """KMap.addDataset specs, with the shared styles, for datasets given as a URL (published
    under static/) or inline GeoJSON (standalone exports)."""
    specs = []
    for name in DATASETS:
        if name not in sources:
            continue
        src = sources[name]
        if name == "events":
            spec = {
                "name": name,
                "src": src,
                "kind": "events",
                "styles": {
                    k: {"color": s.color, "glyph": s.glyph} for k, s in EVENT_STYLES.items()
                },
                "precisionRadius": {k: v for k, v in PRECISION_RADIUS_M.items() if v},
            }
        else:
            table = CONTROL_STYLES if name == "control" else ZONE_STYLES
            spec = {
                "name": name,
                "src": src,
                "kind": "areas",
                "pane": "kmapAreas" if name == "control" else "kmapZones",
                "styles": {k: s.leaflet() for k, s in table.items()},
                "labels": {k: s.label for k, s in table.items()},  # "Held by ..." in popups
            }
        specs.append(spec)
    return specs


class DatasetSetup(ScriptMacro):
    """Base-map script registering the time-dependent datasets (fetched once)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
{% for spec in this.specs %}KMap.addDataset({{ this._parent.get_name() }}, {{ spec }});
{% endfor %}
{% endmacro %}
"""
    )

    def __init__(self, specs: list[dict]) -> None:
        super().__init__()
        self._name = "KMapDatasets"
        self.specs = [js_json(s) for s in specs]


class StateUpdate(ScriptMacro):
    """Feature-group script: apply masks and the banner. Runs on every slider move."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  var map = window.kmapMap;
  var state = {{ this.state }};
  Object.keys(state.masks).forEach(function (name) {
    KMap.setState(map, name, {mask: state.masks[name], token: state.token});
  });
  KMap.setBanner(map, state.banner);
  KMap.setChanges(map, state.changes);
  KMap.setLegendExtra(state.legend);
})();
{% endmacro %}
"""
    )

    def __init__(
        self,
        masks: dict[str, str],
        banner: list[str],
        token: str,
        changes: dict | None,
        legend: list[dict],
    ) -> None:
        super().__init__()
        self._name = "KMapState"
        self.state = js_json(
            {"masks": masks, "banner": banner, "token": token, "changes": changes, "legend": legend}
        )


def state_group(
    masks: dict[str, str],
    banner: list[str],
    changes: dict | None = None,
    legend: list[dict] | None = None,
) -> folium.FeatureGroup:
    """The small feature group sent on each rerun (st_folium feature_group_to_add).

    `changes` is an optional small GeoJSON of areas that changed hands (compare mode).
    """
    token = hashlib.sha1(json.dumps([masks, banner]).encode()).hexdigest()[:12]
    fg = folium.FeatureGroup(name="kmap-state", control=False)
    StateUpdate(masks, banner, token, changes, legend or []).add_to(fg)
    return fg
