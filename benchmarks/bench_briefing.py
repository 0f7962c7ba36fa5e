"""Time the briefing exports on the real offline layers (budget: < 5 s each).

Run: .venv/bin/python benchmarks/bench_briefing.py [--out DIR] [--events N]

Uses the shipped event catalogue when it loads, else N synthetic events; writes the
sample outputs to --out (default: a temporary folder) and exits 1 over budget.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kmap.briefing import BriefingSpec, render_pdf, render_png
from palette import EVENT_STYLES

BUDGET_S = 5.0
BBOX = (44.8, 38.8, 47.9, 40.6)  # Karabakh, the Lachin corridor and the seven districts


def _catalogue_events() -> tuple[dict, ...]:
    try:
        from events.catalogue import load_catalogue
        from events.io.export import to_geojson
    except ImportError:
        return ()
    cat = load_catalogue()
    evs = [e for e in cat.events if date(2020, 9, 27) <= e.event.date <= date(2020, 11, 10)]
    return tuple(to_geojson(evs)["features"])


def _synthetic_events(n: int) -> tuple[dict, ...]:
    rng = random.Random(7)
    types = list(EVENT_STYLES)
    publishers = ["Reuters", "BBC", "OSCE", "ACLED", "Eurasianet", "RFE/RL", "ICG", "TASS"]
    out = []
    for i in range(n):
        lon, lat = rng.uniform(BBOX[0], BBOX[2]), rng.uniform(BBOX[1], BBOX[3])
        out.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "id": f"ev-{i}",
                    "title": f"Event {i}",
                    "date": "2020-10-01",
                    "type": rng.choice(types),
                    "geo_precision": rng.choice(["exact", "exact", "near", "district", "region"]),
                    "sources": [
                        {"publisher": rng.choice(publishers), "url": "https://example.org"}
                    ],
                },
            }
        )
    return tuple(out)


def _time(fn, repeat: int) -> tuple[float, bytes]:
    times, data = [], b""
    for _ in range(repeat):
        t = time.perf_counter()
        data = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), data


def main() -> int:
    """Render each format a few times, print median seconds, write the samples."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=Path(tempfile.mkdtemp(prefix="briefing-")))
    ap.add_argument("--events", type=int, default=300, help="synthetic events if no catalogue")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--synthetic", action="store_true", help="synthetic events, not the catalogue")
    args = ap.parse_args()
    events = (not args.synthetic and _catalogue_events()) or _synthetic_events(args.events)
    spec = BriefingSpec(
        title="Nagorno-Karabakh: situation at the 2020 ceasefire",
        as_of=date(2020, 11, 10),
        event_start=date(2020, 9, 27),
        event_end=date(2020, 11, 10),
        bbox=BBOX,
        events=events,
        classification="UNCLASSIFIED // FOR TRAINING",
    )
    t0 = time.perf_counter()
    render_png(spec, "16:9")  # first call: imports, font cache, layer loading
    print(f"first call (cold): {time.perf_counter() - t0:.2f} s with {len(events)} events")
    args.out.mkdir(parents=True, exist_ok=True)
    worst = 0.0
    for name, fn, fname in (
        ("PNG 16:9", lambda: render_png(spec, "16:9"), "briefing_16x9.png"),
        ("PNG 4:3", lambda: render_png(spec, "4:3"), "briefing_4x3.png"),
        ("PDF A4", lambda: render_pdf(spec), "briefing_a4.pdf"),
    ):
        secs, data = _time(fn, args.repeat)
        (args.out / fname).write_bytes(data)
        worst = max(worst, secs)
        print(f"{name}: {secs:.2f} s median of {args.repeat}, {len(data) / 1e6:.1f} MB")
    print(f"samples in {args.out}")
    return 0 if worst < BUDGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
