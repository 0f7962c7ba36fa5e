"""The timeline strip at scale: drag -> map painted, Play frames per second, release -> server
informed, first visit, upload -> painted and peak server memory, with N uploaded events.

Usage (from the repository root; ~3-6 minutes at 100k on 2 cores):

    .venv/bin/python -m benchmarks.bench_timeline [--sizes 20000,100000] [--drags 15]
        [--play-s 6] [--baseline-budget 180] [--json OUT]

One fresh server (`streamlit run server.py`) and headless Chromium, offline on loopback, the
probe of benchmarks.run (paints = the map's `data-kmap-events-state` changing, then a
requestAnimationFrame and a task). Steps:

* first visit: goto -> the catalogue's events painted (a freshly started server);
* upload N synthetic ACLED events (benchmarks.synth) through *Your data* -> all painted;
* the window set to 2019-01-01 .. 2020-12-31 (typed in the strip), then `--drags` pointer
  moves of 6 px on the window's right edge, the button held: each move -> the browser-drawn
  window painted (no server round trip);
* release -> the browser sends the rerun (server informed) -> the server's state painted;
* Play at 20 steps a second (Step: week) for `--play-s` seconds with every layer on:
  frames painted per second;
* peak server memory: VmHWM of the streamlit process at the end.

`--baseline-budget S` also runs benchmarks.run's scenario on benchmarks/baseline_app.py (one
folium.Marker per event, a slider; 3 moves within S seconds) with the same file, in the same
run, for comparison. A markdown table of every size ends the output.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import time
from pathlib import Path

from benchmarks.run import BASELINE, DATA_DIR, Session, _wait, _wait_quiet, scenario
from benchmarks.synth import write_acled_csv

HOST = ".st-key-timeline [data-testid='stBidiComponentIsolated']"
#: Reports pointer moves and releases in the page (the probe's clock: epoch ms).
POINTER_JS = """() => {
  const now = () => performance.timeOrigin + performance.now();
  for (const kind of ["pointermove", "pointerup"]) {
    window.addEventListener(kind, () => window.kbReport({kind, t: now()}), true);
  }
}"""


def _median(xs: list[float]) -> float | None:
    return round(statistics.median(xs), 1) if xs else None


def _type_window(page, start: str, end: str) -> None:
    page.get_by_label("From (YYYY-MM-DD, Enter applies)").fill(start)
    box = page.get_by_label("As of (YYYY-MM-DD, Enter applies)")
    box.fill(end)
    box.press("Enter")


def _edge(page) -> tuple[float, float]:
    """Page coordinates of the middle of the window's right edge in the strip."""
    box = page.locator(".tl-track canvas").bounding_box()
    x = page.locator(HOST).evaluate(
        "(h) => { const t = h.shadowRoot.__kmapTimeline; return t.xOf(t.win[1] + 1); }"
    )
    return box["x"] + x, box["y"] + box["height"] / 2


def drag(s: Session, moves: int, timeout_s: float = 60.0) -> dict:
    """Hold the window's right edge and move it `moves` times by 6 px; then release."""
    page, probe = s.page, s.probe
    page.evaluate(POINTER_JS)
    x, y = _edge(page)
    page.mouse.move(x, y)
    page.mouse.down()
    latencies: list[float] = []
    for k in range(1, moves + 1):
        n = len(probe.reports)
        page.mouse.move(x - 6 * k, y)
        p = _wait(page, lambda n=n: [r for r in probe.paints(n) if r["tok"].startswith("t")], 30)
        ptr = [r for r in probe.reports[n:] if r.get("kind") == "pointermove"]
        if p and ptr:
            latencies.append(p[0]["t"] - ptr[0]["t"])
    n, n_frames = len(probe.reports), len(probe.frames)
    page.mouse.up()
    served = _wait(
        page, lambda: [r for r in probe.paints(n) if not r["tok"].startswith("t")], timeout_s
    )
    ups = [r for r in probe.reports[n:] if r.get("kind") == "pointerup"]
    sent = [f for f in probe.frames[n_frames:] if f.sent and f.kind == "rerun_script"]
    t_up = ups[0]["t"] if ups else None
    return {
        "drag_ms": [round(v, 1) for v in latencies],
        "drag_median_ms": _median(latencies),
        "release_to_sent_ms": round(sent[0].t * 1000 - t_up, 1) if sent and t_up else None,
        "release_to_server_painted_ms": round(served[0]["t"] - t_up, 1)
        if served and t_up
        else None,
    }


def play(s: Session, seconds: float) -> dict:
    """Play at 20 steps a second for `seconds`; frames painted (browser-drawn) per second."""
    page, probe = s.page, s.probe
    page.locator(".tl-speed").select_option("20")
    n = len(probe.reports)
    page.get_by_role("button", name="▶ Play").click()
    t0 = time.time()
    page.wait_for_timeout(seconds * 1000)  # a benchmark's measuring interval, not a test wait
    paints = [r for r in probe.paints(n) if r["tok"].startswith("t")]
    page.get_by_role("button", name="❚❚ Pause").click()
    elapsed = time.time() - t0
    gaps = [b["t"] - a["t"] for a, b in itertools.pairwise(paints)]
    return {
        "play_s": round(elapsed, 2),
        "play_frames": len(paints),
        "play_fps": round(len(paints) / elapsed, 1),
        "play_median_frame_ms": _median(gaps),
    }


def run(n: int, drags: int, play_s: float, baseline_budget: float | None) -> dict:
    """Every step for n uploaded events (see the module docstring); with a baseline budget,
    the Marker baseline's scenario too (benchmarks.run.scenario, 3 slider moves)."""
    from playwright.sync_api import sync_playwright

    csv = write_acled_csv(n, DATA_DIR)
    out: dict = {"events": n, "when": time.strftime("%Y-%m-%d %H:%M")}
    with sync_playwright() as pw:
        s = Session(pw, "server.py")
        try:
            first = s.open(60)
            out["first_visit_s"] = round(first, 2) if first else None
            _wait_quiet(s.page, s.probe, 1.0, 60)
            up = s.upload(csv, n, 300)
            out["upload_to_painted_s"] = round(up, 2) if up else None
            _wait_quiet(s.page, s.probe, 1.0, 120)
            k = len(s.probe.reports)
            _type_window(s.page, "2019-01-01", "2020-12-31")
            _wait(s.page, lambda: [r for r in s.probe.paints(k) if r["tok"][:1] != "t"], 120)
            _wait_quiet(s.page, s.probe, 1.0, 120)
            s.page.locator(".tl[data-histogram=ready]").wait_for(timeout=60_000)
            out.update(drag(s, drags))
            _wait_quiet(s.page, s.probe, 1.0, 120)
            out.update(play(s, play_s))
            _wait_quiet(s.page, s.probe, 1.0, 120)
        finally:
            peak = s.close()
            out["peak_server_mb"] = round(peak) if peak else None
        if baseline_budget:
            base = scenario(pw, BASELINE, csv, n, 3, baseline_budget, 30.0)
            out["baseline"] = {k: v for k, v in base.items() if k != "moves"}
    return out


def table(results: list[dict]) -> str:
    """The results as the markdown table of docs/benchmarks.md."""
    rows = [
        "| events | first visit s | upload → painted s | drag → painted, median ms"
        " | Play frames/s (20 asked) | release → server told ms | release → server's map ms"
        " | peak server MB | baseline: slider → painted, median ms | baseline: upload s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        b = r.get("baseline") or {}
        base_move = b.get("median_ms") or (b.get("note") or "–")
        base_up = round(b["upload_to_painted_s"], 2) if b.get("upload_to_painted_s") else "–"
        rows.append(
            f"| {r['events']:,} | {r.get('first_visit_s')} | {r.get('upload_to_painted_s')}"
            f" | {r.get('drag_median_ms')} | {r.get('play_fps')}"
            f" | {r.get('release_to_sent_ms')} | {r.get('release_to_server_painted_ms')}"
            f" | {r.get('peak_server_mb')} | {base_move} | {base_up} |"
        )
    return "\n".join(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000", help="comma-separated event counts")
    ap.add_argument("--drags", type=int, default=15)
    ap.add_argument("--play-s", type=float, default=6.0)
    ap.add_argument(
        "--baseline-budget", type=float, default=0, help="seconds for the Marker baseline (0: skip)"
    )
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    results = []
    for n in (int(x) for x in args.sizes.split(",")):
        results.append(run(n, args.drags, args.play_s, args.baseline_budget or None))
        print(json.dumps(results[-1], indent=2), flush=True)
        if args.json:
            args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))


if __name__ == "__main__":
    main()
