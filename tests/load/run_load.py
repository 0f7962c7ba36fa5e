"""Load test: many concurrent browser sessions against one `streamlit run app.py`.

Not collected by pytest (not a test_*.py file). Run it by hand:

    .venv/bin/python -m tests.load.run_load            # 20 sessions, 60 s, writes docs/load-test.md
    .venv/bin/python -m tests.load.run_load --sessions 5 --duration 20 --out /tmp/x.md

What it does, all on loopback and bounded in time (it stops by itself):

1. starts the app on a free 127.0.0.1 port (the same way the browser tests do);
2. opens N sessions (one headless Chromium, one context per session), each loading the map
   for the 2020 war window; with --upload (default) each session also uploads its own small
   karabakh-map CSV, so every session has a distinct event set (a distinct published file);
3. for --duration seconds every session moves time: the Forward / Back step buttons and the
   timeline strip (one arrow key: the window a day on or back), in turn; after each move it
   waits until the map in its iframe has applied the server's new state (the
   `data-kmap-server-state` token changes; the strip's own drawing in the browser does not
   count) and records that latency;
4. counts errors: Streamlit exception elements, console errors, failed requests and HTTP
   errors, WebSocket closes, moves whose map update never came (timeouts), and tracebacks in
   the server log;
5. samples the server's resident memory (VmRSS from /proc) every second, from before the
   first session until --settle seconds after the last one closed;
6. writes the figures into the results block of --out (docs/load-test.md).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import datetime as dt
import io
import json
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, MAP_IFRAME, start_streamlit  # noqa: E402

START = "<!-- load-results:start -->"
END = "<!-- load-results:end -->"
WINDOW = "/?from=2020-09-27&to=2020-11-10"
STATE_JS = (
    "() => { const f = document.querySelectorAll(" + json.dumps(MAP_IFRAME) + ");"
    " if (f.length !== 1) return null;"
    " const c = f[0].contentDocument && f[0].contentDocument.querySelector('.leaflet-container');"
    " return c ? c.getAttribute('data-kmap-server-state') : null; }"
)


@dataclass
class Stats:
    """What one session saw."""

    loaded: bool = False
    load_s: float = 0.0
    moves: int = 0
    latencies: list[float] = field(default_factory=list)
    timeouts: int = 0
    exceptions: int = 0
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    ws_closes: int = 0
    errors: list[str] = field(default_factory=list)


def rss_kib(pid: int) -> int | None:
    """Resident set size of a process in KiB (Linux /proc), or None once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU jiffies of the whole machine so far (Linux /proc/stat)."""
    vals = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = vals[3] + vals[4]
    return sum(vals) - idle, sum(vals)


class RssSampler(threading.Thread):
    """Samples a process's RSS every `period` seconds, with a label for each phase."""

    def __init__(self, pid: int, period: float = 1.0) -> None:
        super().__init__(daemon=True)
        self.pid, self.period = pid, period
        self.samples: list[tuple[float, str, int]] = []
        self.phase = "idle"
        self.cpu: dict[str, tuple[float, float, float, float]] = {}  # phase -> at its start
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            kib = rss_kib(self.pid)
            if kib is not None:
                self.samples.append((time.monotonic(), self.phase, kib))
            self._halt.wait(self.period)

    def mark(self, phase: str) -> None:
        """Start a phase; remember the server's and the machine's CPU counters."""
        self.cpu[phase] = (time.monotonic(), cpu_seconds(self.pid), *machine_busy())
        self.phase = phase

    def cpu_share(self, a: str, b: str) -> tuple[float, float]:
        """Between two phase marks: (server CPU in cores, machine busy fraction)."""
        t0, s0, busy0, tot0 = self.cpu[a]
        t1, s1, busy1, tot1 = self.cpu[b]
        return (s1 - s0) / max(1e-9, t1 - t0), (busy1 - busy0) / max(1, tot1 - tot0)

    def stop(self) -> None:
        self._halt.set()
        self.join(5)


def session_csv(i: int) -> bytes:
    """A small valid karabakh-map CSV, different for each session (a distinct dataset)."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["id", "date", "type", "title", "summary", "lon", "lat", "geo_precision", "sources"])
    for k in range(40):
        day = dt.date(2020, 9, 27) + dt.timedelta(days=k)
        w.writerow(
            [
                f"load-{i}-{k}",
                day.isoformat(),
                "clash",
                f"Load test event {i}/{k}",
                f"Synthetic event {k} of session {i}, for the load test.",
                f"{46.2 + (i * 0.013 + k * 0.017) % 1.2:.4f}",
                f"{39.3 + (i * 0.011 + k * 0.007) % 0.9:.4f}",
                "near",
                json.dumps([{"url": "https://example.org/load", "publisher": "Load test"}]),
            ]
        )
    return buf.getvalue().encode()


async def _state(page) -> str | None:
    try:
        return await page.evaluate(STATE_JS)
    except Exception:
        return None


async def _wait_state_change(page, old: str | None, timeout: float) -> float | None:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        cur = await _state(page)
        if cur is not None and cur != old:
            return time.monotonic() - t0
        await asyncio.sleep(0.05)
    return None


async def run_session(
    i: int,
    browser,
    base: str,
    ready: asyncio.Barrier,
    go: asyncio.Event,
    end_at: list[float],
    args: argparse.Namespace,
    stats: Stats,
) -> None:
    ctx = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await ctx.new_page()
    page.on(
        "console",
        lambda m: m.type == "error" and stats.console_errors.append(m.text[:200]),
    )
    page.on(
        "requestfailed",
        lambda r: stats.failed_requests.append(f"{r.url[:120]} {r.failure}"),
    )
    page.on(
        "response",
        lambda r: r.status >= 400 and stats.failed_requests.append(f"{r.status} {r.url[:120]}"),
    )

    def on_ws(ws) -> None:
        if "_stcore/stream" in ws.url:
            ws.on("close", lambda _ws: setattr(stats, "ws_closes", stats.ws_closes + 1))

    page.on("websocket", on_ws)
    t0 = time.monotonic()
    try:
        await asyncio.sleep(i * args.ramp)  # do not open every session in the same instant
        wait_ms = args.load_timeout * 1000
        await page.goto(base + WINDOW, wait_until="domcontentloaded", timeout=wait_ms)
        await page.wait_for_selector(MAP_IFRAME, timeout=wait_ms)
        frame = page.frame_locator(MAP_IFRAME).last
        await frame.locator("[data-kmap-events-state]").wait_for(timeout=wait_ms)
        if args.upload:
            before = await _state(page)
            await page.locator('[data-testid="stFileUploader"] input[type=file]').set_input_files(
                files=[
                    {"name": f"session-{i}.csv", "mimeType": "text/csv", "buffer": session_csv(i)}
                ]
            )
            await page.get_by_text("40 events, 0 rejected").wait_for(timeout=wait_ms)
            if await _wait_state_change(page, before, 120) is None:
                stats.errors.append("upload never reached the map")
        stats.loaded = True
        stats.load_s = time.monotonic() - t0
    except Exception as exc:
        stats.errors.append(f"load: {type(exc).__name__}: {str(exc)[:200]}")
        if i < 3:  # a few screenshots for diagnosis, no more
            with contextlib.suppress(Exception):
                await page.screenshot(path=str(REPO / "test-artifacts" / f"load-session-{i}.png"))
    with contextlib.suppress(TimeoutError, asyncio.BrokenBarrierError):
        await asyncio.wait_for(ready.wait(), timeout=args.load_timeout + args.ramp * i)
    await go.wait()
    actions = ("fwd", "back", "right", "left")
    n = 0
    try:
        while stats.loaded and time.monotonic() < end_at[0]:
            old = await _state(page)
            act = actions[n % len(actions)]
            n += 1
            if act in ("fwd", "back"):
                key = "step_fwd" if act == "fwd" else "step_back"
                button = page.locator(f'.st-key-{key} button[data-testid^="stBaseButton"]')
                await button.first.click(timeout=30_000)
            else:
                strip = page.locator(".tl-track")  # the timeline strip: a key moves a day
                await strip.focus(timeout=30_000)
                await strip.press("ArrowRight" if act == "right" else "ArrowLeft")
            lat = await _wait_state_change(page, old, args.move_timeout)
            if lat is None:
                stats.timeouts += 1
            else:
                stats.latencies.append(lat)
                stats.moves += 1
        stats.exceptions = await page.locator('[data-testid="stException"]').count()
    except Exception as exc:
        stats.errors.append(f"moves: {type(exc).__name__}: {str(exc)[:200]}")
    finally:
        await ctx.close()


async def drive(base: str, args: argparse.Namespace, sampler: RssSampler) -> list[Stats]:
    from playwright.async_api import async_playwright

    stats = [Stats() for _ in range(args.sessions)]
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        ready = asyncio.Barrier(args.sessions + 1)
        go = asyncio.Event()
        end_at = [0.0]
        sampler.phase = "loading"
        tasks = [
            asyncio.create_task(run_session(i, browser, base, ready, go, end_at, args, stats[i]))
            for i in range(args.sessions)
        ]
        try:
            await asyncio.wait_for(
                ready.wait(), timeout=2 * args.load_timeout + args.ramp * args.sessions
            )
        except (TimeoutError, asyncio.BrokenBarrierError):
            print("not every session loaded in time; moving anyway", file=sys.stderr)
        sampler.mark("moving")
        end_at[0] = time.monotonic() + args.duration
        go.set()
        await asyncio.wait_for(
            asyncio.gather(*tasks, return_exceptions=True),
            timeout=args.duration + args.move_timeout + 120,
        )
        sampler.mark("closing")
        await browser.close()
    return stats


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def report(
    args: argparse.Namespace,
    stats: list[Stats],
    sampler: RssSampler,
    log: Path,
    files_before: int,
    files_after: int,
) -> str:
    lat = [x for s in stats for x in s.latencies]
    by_phase: dict[str, list[int]] = {}
    for _, phase, kib in sampler.samples:
        by_phase.setdefault(phase, []).append(kib)
    all_kib = [k for _, _, k in sampler.samples]
    mib = lambda kib: f"{kib / 1024:.0f} MiB"  # noqa: E731
    start = by_phase.get("idle", all_kib[:1])[-1] if all_kib else 0
    moving = by_phase.get("moving", [0])
    settled = by_phase.get("settled", all_kib[-1:])
    server_cores, busy = (
        sampler.cpu_share("moving", "closing")
        if {"moving", "closing"} <= set(sampler.cpu)
        else (float("nan"), float("nan"))
    )
    server_tracebacks = log.read_text(errors="replace").count("Traceback") if log.exists() else 0
    loaded = sum(s.loaded for s in stats)
    console = sum(len(s.console_errors) for s in stats)
    failed = sum(len(s.failed_requests) for s in stats)
    examples = sorted({e for s in stats for e in (*s.errors, *s.console_errors[:2])})[:8]
    lines = [
        START,
        f"Run {dt.datetime.now():%Y-%m-%d %H:%M} on {os.cpu_count()} CPU cores "
        f"(server and Chromium on the same machine; load average {args.load_before:.1f} "
        f"before the start), `{' '.join(sys.argv[1:]) or 'defaults'}`.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| concurrent sessions (one Chromium, one context each) | {args.sessions} "
        f"({loaded} loaded the map{', each with its own upload' if args.upload else ''}) |",
        f"| time moving | {args.duration:.0f} s per session, all at once |",
        f"| moves completed (map updated) | {len(lat):,} "
        f"({len(lat) / max(1, loaded) / args.duration * 60:.1f} per session-minute) |",
        f"| rerun latency seen by clients, median / 95th pct / max | "
        f"{pct(lat, 0.5):.2f} s / {pct(lat, 0.95):.2f} s / {pct(lat, 1.0):.2f} s |",
        f"| session load time (page + map{' + upload' if args.upload else ''}), median / max | "
        f"{pct([s.load_s for s in stats if s.loaded], 0.5):.1f} s / "
        f"{max((s.load_s for s in stats if s.loaded), default=float('nan')):.1f} s |",
        f"| CPU while moving: server process / whole machine | {server_cores:.2f} of "
        f"{os.cpu_count()} cores / {busy:.0%} busy |",
        f"| moves whose map update did not arrive within {args.move_timeout:.0f} s | "
        f"{sum(s.timeouts for s in stats)} |",
        f"| Streamlit exception elements | {sum(s.exceptions for s in stats)} |",
        f"| console errors | {console} |",
        f"| failed requests / HTTP errors | {failed} |",
        f"| WebSocket closes during the run | {sum(s.ws_closes for s in stats)} |",
        f"| session errors (load/move) | {sum(len(s.errors) for s in stats)} |",
        f"| tracebacks in the server log | {server_tracebacks} |",
        f"| server RSS: start / peak / end of moving | {mib(start)} / {mib(max(all_kib))} / "
        f"{mib(moving[-1])} |",
        f"| server RSS {args.settle:.0f} s after the sessions closed | {mib(settled[-1])} |",
        f"| event files in static/data before / after | {files_before} / {files_after} |",
        "",
    ]
    if examples:
        lines += ["Examples of errors seen:", ""] + [f"- `{e}`" for e in examples] + [""]
    lines.append(END)
    return "\n".join(lines)


def write_report(out: Path, block: str) -> None:
    text = out.read_text() if out.exists() else f"# Load test\n\n{START}\n{END}\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1]
        text = head + block + tail
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    out.write_text(text)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of moving")
    # 2 cores run the server and every browser: open the pages one after another (parsing
    # Streamlit's front end in 20 tabs at once starves everything), then move all at once.
    ap.add_argument("--ramp", type=float, default=6.0, help="seconds between session starts")
    ap.add_argument("--load-timeout", type=float, default=300.0, help="per page load step")
    ap.add_argument("--move-timeout", type=float, default=30.0)
    ap.add_argument("--settle", type=float, default=20.0, help="RSS sampling after the run")
    ap.add_argument("--no-upload", dest="upload", action="store_false")
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "load-test.md")
    args = ap.parse_args(argv)

    args.load_before = os.getloadavg()[0]
    data_dir = REPO / "static" / "data"
    count = lambda: len(list(data_dir.glob("events-*.geojson")))  # noqa: E731
    proc, base, log = start_streamlit()
    sampler = RssSampler(proc.pid)
    sampler.start()
    try:
        time.sleep(3)  # idle baseline
        files_before = count()
        stats = asyncio.run(drive(base, args, sampler))
        sampler.phase = "settled"
        time.sleep(args.settle)
        files_after = count()
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except Exception:
            proc.kill()
        sampler.stop()
    block = report(args, stats, sampler, log, files_before, files_after)
    write_report(args.out, block)
    print(block)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
