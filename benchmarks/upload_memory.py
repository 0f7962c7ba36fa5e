"""Server memory and time of one large upload, in one process, step by step as the app does it.

What a session does with an uploaded ACLED file, in the order the app does it:

1. ``import``: ui/upload.py's ``_on_upload``: ``events.io.detect.import_file`` of the bytes,
   ``refuse_ids`` (no stand-ins for curated events), the file's digest, ``freeze_loaded``;
2. ``events``: ``ui.upload.loaded``: the catalogue's events + the file's, one list;
3. ``situation``: ``kmap.situation.situation`` of the default view (builds
   ``events.query.event_index``);
4. ``publish``: ``ui.map_view``: the events' dataset (``kmap.datasets.events_dataset_gz``)
   kept for the session by ``ui.sessiondata`` (gzip, served at a random address);
5. ``table``: the *Events table* tab (open by default): ``kmap.tables.events_page`` (builds the
   table frame once per event list);
6. ``sidebar``: the actor choices and the "outside the map" note.

The uploaded bytes stay referenced until the end, as Streamlit's uploader holds them until the
run after the import. Then *Remove this file's events* (drop the session's data and index,
``freeze_loaded``). Reported: seconds per step, upload -> data ready (steps 1-4), resident set
size (RSS) after each step and the peak (VmHWM: what ``benchmarks/run.py`` reports for the
server), and with ``--trace`` the top allocation sites (tracemalloc; slows everything down).
Usage:

    .venv/bin/python -m benchmarks.upload_memory [--events N] [--json OUT] [--trace]
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import inspect
import json
import time
from pathlib import Path


def _status_mb(field: str) -> float:
    """A /proc/self/status figure (VmRSS, VmHWM), MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def rss_mb() -> float:
    """Current resident set size of this process, MiB (Linux /proc)."""
    return _status_mb("VmRSS")


def reset_peak() -> bool:
    """Start VmHWM again from the current RSS (Linux 4.0+: clear_refs 5); False if refused.

    Without it the peak was the synthetic file's making (before the upload's steps start):
    ~380 MB at 10^5 events, more than any step of the app reached once events were compact."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _publish(events: list, session_id: str) -> str:
    """What ui/map_view.py does with an upload: the events' dataset, kept by ui.sessiondata.

    The compact columns (kmap.datasets.events_dataset_gz) when this tree has them, else the
    streamed GeoJSON (events_geojson_gz), else the GeoJSON dict given to sessiondata.put
    (the code before each)."""
    from kmap import datasets
    from ui import sessiondata

    alive = lambda s: True  # noqa: E731 - no Streamlit runtime here
    for writer in ("events_dataset_gz", "events_geojson_gz"):
        if hasattr(datasets, writer):
            gz = getattr(datasets, writer)(events)
            return sessiondata.put_gzip(session_id, gz, alive=alive)
    return sessiondata.put(session_id, datasets.events_collection(events), alive=alive)


#: freeze_loaded's arguments after an import, as ui/upload.py calls it (set by run()).
_FREEZE_AFTER_IMPORT: dict = {}


def _import(data: bytes, catalogue: object) -> object:
    """What ui/upload.py's _on_upload does with the file's bytes: ui.upload.read_upload when
    this tree has it, else the same steps as the code before it did them."""
    from ui import upload

    if hasattr(upload, "read_upload"):
        return upload.read_upload(data, "big.csv", "acled", catalogue)[1]
    from events.io.detect import import_file

    result = import_file(data, "big.csv", "acled")
    result.refuse_ids({ev.id for ev in catalogue.events})
    hashlib.sha256(data).hexdigest()
    return result


class _Steps:
    """Times and RSS after each step."""

    def __init__(self, out: dict) -> None:
        self.out = out
        self.t = time.perf_counter()

    def done(self, name: str) -> None:
        now = time.perf_counter()
        self.out[f"{name}_s"] = round(now - self.t, 2)
        self.out[f"rss_after_{name}_mb"] = rss_mb()
        self.t = time.perf_counter()


def _trace_top(out: dict, limit: int = 12) -> None:
    import tracemalloc

    if tracemalloc.is_tracing():
        snap = tracemalloc.take_snapshot()
        out["traced_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        out["top_held"] = [
            f"{s.size / 2**20:.1f} MiB {s.traceback[0].filename}:{s.traceback[0].lineno}"
            for s in snap.statistics("lineno")[:limit]
        ]


def run(n: int, trace: bool = False) -> dict:
    """Measure the steps for n synthetic ACLED events; returns the figures."""
    from benchmarks.synth import acled_csv
    from events import load_catalogue
    from events.query import forget_event_indexes
    from kmap.datasets import control_collection, zones_collection
    from kmap.map.memory import freeze_loaded
    from kmap.situation import actor_choices, outside_map_note, situation
    from kmap.tables import events_page
    from kmap.viewstate import ViewState
    from ui import sessiondata, upload  # noqa: F401 - imported before the start figure

    if "collect" in inspect.signature(freeze_loaded).parameters:
        _FREEZE_AFTER_IMPORT["collect"] = False
    catalogue = load_catalogue()
    control_collection(), zones_collection()  # published once per process, before any upload
    data = acled_csv(n)
    out: dict = {"events": n, "file_mb": round(len(data) / 2**20, 1)}
    freeze_loaded()
    out["rss_start_mb"] = rss_mb()
    out["peak_before_start_mb"] = _status_mb("VmHWM")  # making the file, not the app's steps
    out["peak_reset"] = reset_peak()
    if trace:
        import tracemalloc

        tracemalloc.start()
    step = _Steps(out)
    result = _import(data, catalogue)
    freeze_loaded(**_FREEZE_AFTER_IMPORT)
    step.done("import")
    events = list(catalogue.events) + list(result.events)
    step.done("events")
    sit = situation(events, ViewState(), catalogue.placeless)
    step.done("situation")
    path = _publish(events, "s-bench")
    step.done("publish")
    ready = ("import", "events", "situation", "publish")
    out["data_ready_s"] = round(sum(out[f"{k}_s"] for k in ready), 2)
    events_page(events, sit)
    step.done("table")
    actor_choices(events), outside_map_note(result.events)
    step.done("sidebar")
    out["served_gzip_mb"] = round(sessiondata.held_bytes() / 2**20, 1)
    assert path and len(result.events) == n, (path, len(result.events))
    _trace_top(out)
    del data  # the uploader lets go of the file on the next run
    gc.collect()
    out["rss_loaded_mb"] = rss_mb()
    # Remove this file's events
    sessiondata.drop_session("s-bench")
    forget_event_indexes(result.events)
    del result, events, sit
    freeze_loaded()
    out["rss_after_remove_mb"] = rss_mb()
    out["peak_rss_mb"] = _status_mb("VmHWM")
    out["peak_above_start_mb"] = round(out["peak_rss_mb"] - out["rss_start_mb"], 1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000, help="synthetic ACLED rows")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--trace", action="store_true", help="top allocation sites (slow)")
    args = ap.parse_args()
    figures = run(args.events, args.trace)
    print(json.dumps(figures, indent=1))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n")


if __name__ == "__main__":
    main()
