"""Server memory of one large upload: what it adds, and what is given back after removal.

Runs in one process what the app does with an uploaded ACLED file (import, the map's GeoJSON
kept for the session by ui.sessiondata, the event index and the table frame), then what
*Remove this file's events* does (drop the session's data, kmap.map.memory.freeze_loaded), and
reports the resident set size (RSS) at each step. Usage:

    .venv/bin/python -m benchmarks.upload_memory [--events N] [--json OUT]

N defaults to the number of synthetic ACLED rows that make a ~50 MB file (the upload cap).
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import time
from pathlib import Path


def rss_mb() -> float:
    """Current resident set size of this process, MiB (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run(n: int) -> dict:
    """Measure the steps for n synthetic events; returns the figures."""
    from benchmarks.synth import acled_csv
    from events.io.detect import import_file
    from events.query import event_index, forget_event_indexes
    from kmap import dashboard, sessiondata
    from kmap.map.memory import freeze_loaded

    data = acled_csv(n)
    out: dict = {"events": n, "file_mb": round(len(data) / 2**20, 1)}
    freeze_loaded()
    out["rss_start_mb"] = round(rss_mb(), 1)
    t = time.perf_counter()
    result = import_file(data, "big.csv", "acled")
    del data
    events = list(result.events)
    path = sessiondata.put("s-bench", dashboard.events_collection(events), alive=lambda s: True)
    event_index(events)
    dashboard.charts.events_frame(events[:1000])
    freeze_loaded()
    out["load_s"] = round(time.perf_counter() - t, 1)
    out["rss_loaded_mb"] = round(rss_mb(), 1)
    out["served_gzip_mb"] = round(sessiondata.held_bytes() / 2**20, 1)
    assert path
    # Remove this file's events
    sessiondata.drop_session("s-bench")
    forget_event_indexes(events)
    del result, events
    gc.collect()
    freeze_loaded()
    out["rss_after_remove_mb"] = round(rss_mb(), 1)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    out["kept_after_remove_mb"] = round(out["rss_after_remove_mb"] - out["rss_start_mb"], 1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=140_000, help="synthetic ACLED rows")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    figures = run(args.events)
    print(json.dumps(figures, indent=1))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n")


if __name__ == "__main__":
    main()
