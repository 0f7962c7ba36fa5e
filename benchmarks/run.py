"""Benchmark suite: the app at 1k, 20k and 100k uploaded events, against the common approach.

Run (from the repository root; about 15-20 minutes on 2 cores, it stops by itself):

    .venv/bin/python -m benchmarks.run

For each size it writes a synthetic ACLED export (benchmarks.synth), starts
`streamlit run app.py` on a free loopback port, uploads the file through the sidebar's
"Your data" widget in headless Chromium (the catalogue stays included) and measures:

* upload -> map painted with every event;
* slider move -> map painted, one key press per move on a thumb of "Events between": PageDown
  on the end thumb and PageUp on the start thumb in turn, so each move shifts one end of the
  window by ~10 % of the range (about 3.9 years) and every move is a window not seen before
  (Streamlit re-sends an identical element as a short reference, which would flatter the
  bytes);
  "painted" = the map container's `data-kmap-events-state` changed to the new token and a
  requestAnimationFrame plus a task have passed (so layout and paint of that frame are in);
* bytes the browser received over the websocket per move (all frames until 1 s of silence);
* server time per rerun: the rerun message leaving the browser -> the server's
  `script_finished` message arriving (both seen on the websocket);
* peak server memory: VmHWM of the streamlit process;
* the briefing PNG (kmap.briefing.render_png) of the same view, in-process.

The same browser steps run against benchmarks/baseline_app.py (one folium.Marker per event,
map rebuilt every rerun, no feature_group_to_add), each scenario capped by a time budget.
Cold start with the shipped catalogue (no upload) is measured on a freshly started server.

Results go to benchmarks/results/<label>.json; docs/benchmarks.md is regenerated between its
result markers from every results file (e.g. "before" and "after" a change).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.synth import write_acled_csv  # noqa: E402
from tests.browser.conftest import (  # noqa: E402
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    start_streamlit,
)

RESULTS = REPO / "benchmarks" / "results"
DOC = REPO / "docs" / "benchmarks.md"
DATA_DIR = ARTIFACTS / "bench-data"
SIZES = (1_000, 20_000, 100_000)
MARK_START = "<!-- results:start -->"
MARK_END = "<!-- results:end -->"

#: Targets from the issue.
TARGET_MOVE_MS = {20_000: 250, 100_000: 600}
TARGET_KB = 50
TARGET_COLD_S = 4.0
TARGET_PNG_S = 5.0

#: In every frame: report key presses and each paint after data-kmap-events-state changes.
INIT_JS = """
(() => {
  const now = () => performance.timeOrigin + performance.now();
  const report = (x) => { if (window.kbReport) window.kbReport(x); };
  window.addEventListener("keydown", () => report({kind: "key", t: now()}), true);
  const obs = new MutationObserver((muts) => {
    for (const m of muts) {
      if (m.attributeName !== "data-kmap-events-state") continue;
      const el = m.target, t = now();
      const tok = el.getAttribute("data-kmap-events-state");
      const shown = Number(el.getAttribute("data-kmap-events-shown") || -1);
      requestAnimationFrame(() => setTimeout(() => report(
        {kind: "paint", tok: tok, shown: shown, t_attr: t, t: now()}), 0));
    }
  });
  // The first document of an iframe may be replaced while the window is kept: (re)attach.
  const install = () => {
    if (document.__kbObserved) return;
    document.__kbObserved = true;
    obs.observe(document,
      {attributes: true, subtree: true, attributeFilter: ["data-kmap-events-state"]});
  };
  install();
  window.addEventListener("DOMContentLoaded", install, true);
  window.addEventListener("load", install, true);
  setInterval(install, 100);
})();
"""

#: In the map's frame: absolute times (ms since the epoch) of the events dataset's steps, from
#: the Resource Timing of its fetch and the marks kmap.js leaves on its first drawing.
SPLIT_JS = """
() => {
  const ds = window.KMap && KMap.datasets && KMap.datasets.events;
  if (!ds || typeof ds.spec.src !== "string") return null;
  const t = (x) => performance.timeOrigin + x, out = {frame: performance.timeOrigin};
  const res = performance.getEntriesByName(new URL(ds.spec.src, location.href).href).pop();
  if (res) {
    out.request = t(res.requestStart || res.fetchStart);
    out.response_start = t(res.responseStart);
    out.response_end = t(res.responseEnd);
    out.kb = Math.round((res.transferSize || res.encodedBodySize || 0) / 1024);
  }
  for (const m of performance.getEntriesByType("mark")) {
    if (m.name.startsWith("kmap-events-")) out[m.name.slice(12)] = t(m.startTime);
  }
  return out;
}
"""

SLIDER_THUMBS = '[data-testid="stSlider"] input[type=range]'
BASELINE = "benchmarks/baseline_app.py"  # one folium.Marker per event, map rebuilt per rerun
TIMELINE_TRACK = ".tl-track"  # our timeline strip (kmap/js/timeline.js): keys step the window
UPLOAD_INPUT = '[data-testid="stFileUploader"] input[type=file]'


# ---------------------------------------------------------------------------------------------
# one browser session against one server


@dataclass
class WsFrame:
    t: float  # time.time() when Python saw it
    sent: bool
    size: int
    kind: str


@dataclass
class Probe:
    """Websocket frames and in-page reports of one page."""

    frames: list[WsFrame] = field(default_factory=list)
    reports: list[dict] = field(default_factory=list)

    def on_ws(self, ws) -> None:
        if "_stcore/stream" not in ws.url:
            return
        ws.on("framereceived", lambda p: self._frame(p, sent=False))
        ws.on("framesent", lambda p: self._frame(p, sent=True))

    def _frame(self, payload: bytes | str, sent: bool) -> None:
        t = time.time()
        raw = payload if isinstance(payload, bytes) else payload.encode()
        kind = ""
        try:
            if sent:
                from streamlit.proto.BackMsg_pb2 import BackMsg

                kind = BackMsg.FromString(raw).WhichOneof("type") or ""
            else:
                from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

                msg = ForwardMsg.FromString(raw)
                kind = msg.WhichOneof("type") or ""
                if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                    kind = "element:" + (msg.delta.new_element.WhichOneof("type") or "")
        except Exception:
            kind = "?"
        self.frames.append(WsFrame(t, sent, len(raw), kind))

    def report(self, data: dict) -> None:
        self.reports.append(data)

    def paints(self, since: int = 0) -> list[dict]:
        return [r for r in self.reports[since:] if r.get("kind") == "paint"]

    def keys(self) -> list[dict]:
        return [r for r in self.reports if r.get("kind") == "key"]


def _wait(page, cond, timeout_s: float, step_ms: int = 25):
    """Poll cond() while letting Playwright dispatch events; the value, or None on timeout."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        v = cond()
        if v:
            return v
        page.wait_for_timeout(step_ms)
    return None


def _wait_quiet(page, probe: Probe, quiet_s: float = 1.0, timeout_s: float = 60.0) -> bool:
    """Until no websocket frame for quiet_s and every rerun has finished."""

    def quiet() -> bool:
        if not probe.frames:
            return False
        last_rerun = max(
            (i for i, f in enumerate(probe.frames) if f.sent and f.kind == "rerun_script"),
            default=-1,
        )
        finished = any(
            not f.sent and f.kind == "script_finished" for f in probe.frames[last_rerun + 1 :]
        )
        return time.time() - probe.frames[-1].t >= quiet_s and finished

    return bool(_wait(page, quiet, timeout_s, 50))


def _by_element(frames: list[WsFrame]) -> dict[str, float]:
    """KB received per kind of Streamlit element (the map is 'component_instance')."""
    out: dict[str, float] = {}
    for f in frames:
        if not f.sent:
            key = f.kind.removeprefix("element:") if f.kind.startswith("element:") else "other"
            out[key] = out.get(key, 0.0) + f.size / 1024
    return {k: round(v, 1) for k, v in sorted(out.items(), key=lambda kv: -kv[1])}


def cpu_idle(seconds: float = 1.0) -> float:
    """Share of all CPUs idle over `seconds` (from /proc/stat; 1.0 if unreadable)."""

    def sample() -> tuple[int, int]:
        vals = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        return vals[3] + vals[4], sum(vals)  # idle + iowait, total

    try:
        i0, t0 = sample()
        time.sleep(seconds)
        i1, t1 = sample()
    except (OSError, ValueError, IndexError):
        return 1.0
    return (i1 - i0) / max(1, t1 - t0)


def wait_idle(max_wait_s: float = 180.0, idle: float = 0.85) -> float:
    """Wait (up to max_wait_s) for 3 s in a row with the machine >= `idle` idle: other work
    on the same cores would be measured as ours. Returns the idle share finally seen."""
    deadline, streak, seen = time.monotonic() + max_wait_s, 0, 1.0
    while time.monotonic() < deadline:
        seen = cpu_idle(1.0)
        streak = streak + 1 if seen >= idle else 0
        if streak >= 3:
            break
    return round(seen, 2)


def _server_ms(frames: list[WsFrame]) -> list[float]:
    """Rerun sent -> script_finished received, per rerun, in ms."""
    out, start = [], None
    for f in frames:
        if f.sent and f.kind == "rerun_script":
            start = f.t
        elif not f.sent and f.kind == "script_finished" and start is not None:
            out.append((f.t - start) * 1000)
            start = None
    return out


def _vmhwm_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


def upload_split(page, t0: float, painted: float) -> dict | None:
    """Upload -> painted in steps, seconds each (from the map frame that drew the upload):
    server (the file sent -> the map's frame starts: import, dataset, rerun), page (its scripts,
    until the dataset is requested), transfer, parse (JSON.parse of the dataset), build (columns
    read, symbols made), cluster (added to the cluster layer, in chunks), paint."""
    best = None
    for frame in page.frames:
        with contextlib.suppress(Exception):  # frames come and go
            got = frame.evaluate(SPLIT_JS)
            if got and got.get("drawn", 0) >= t0 and (not best or got["drawn"] > best["drawn"]):
                best = got
    if not best or "request" not in best:
        return None
    steps = [t0, best["frame"], best["request"], best["response_end"]]
    steps += [best.get(k, best["response_end"]) for k in ("parsed", "built", "drawn")]
    names = ("server", "page", "transfer", "parse", "build", "cluster", "paint")
    ends = [*steps[1:], painted]
    out = {k: round((b - a) / 1000, 2) for k, a, b in zip(names, steps, ends, strict=True)}
    return {**out, "dataset_kb": best.get("kb")}


class Session:
    """A server process + a fresh Chromium page with the probe attached."""

    def __init__(self, pw, script: str) -> None:
        self.proc, self.base, self.log = start_streamlit(script)
        self.browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        self.probe = Probe()
        self.split: dict | None = None
        self.new_page()

    def new_page(self) -> None:
        self.context = self.browser.new_context(viewport={"width": 1400, "height": 900})
        self.context.expose_function("kbReport", self.probe.report)
        self.context.add_init_script(INIT_JS)
        self.page = self.context.new_page()
        self.page.on("websocket", self.probe.on_ws)
        self.page.set_default_timeout(120_000)

    def close(self) -> float | None:
        peak = _vmhwm_mb(self.proc.pid)
        with contextlib.suppress(Exception):  # a hung renderer must not stop the suite
            self.browser.close()
        _stop(self.proc)
        return peak

    def open(self, timeout_s: float) -> float | None:
        """goto -> first events paint; seconds, or None on timeout."""
        n = len(self.probe.reports)
        t0 = time.time()
        self.page.goto(self.base, wait_until="commit")
        p = _wait(self.page, lambda: self.probe.paints(n), timeout_s)
        return (p[0]["t"] / 1000 - t0) if p else None

    def upload(self, path: Path, expect: int, timeout_s: float) -> float | None:
        """Upload through the sidebar widget -> paint showing >= expect events; seconds."""
        n = len(self.probe.reports)
        self.page.locator(UPLOAD_INPUT).first.wait_for(state="attached", timeout=60_000)
        t0 = self.page.evaluate("performance.timeOrigin + performance.now()")
        self.page.locator(UPLOAD_INPUT).first.set_input_files(str(path))
        p = _wait(
            self.page,
            lambda: [x for x in self.probe.paints(n) if x["shown"] >= expect],
            timeout_s,
            100,
        )
        if not p:
            return None
        self.split = upload_split(self.page, t0, p[0]["t"])
        return (p[0]["t"] - t0) / 1000

    def move(self, thumb_index: int, key: str, timeout_s: float) -> dict | None:
        """One key press on a slider thumb (the baseline) or on our timeline strip (thumb
        index -1) -> painted; latency, bytes, server ms."""
        thumb = (
            self.page.locator(TIMELINE_TRACK)
            if thumb_index < 0
            else self.page.locator(SLIDER_THUMBS).nth(thumb_index)
        )
        thumb.focus()
        paints = self.probe.paints()
        old = paints[-1]["tok"] if paints else None
        n_rep, n_frames = len(self.probe.reports), len(self.probe.frames)
        thumb.press(key)
        p = _wait(
            self.page,
            lambda: [x for x in self.probe.paints(n_rep) if x["tok"] != old],
            timeout_s,
        )
        if not p:
            return None
        keys = [r for r in self.probe.reports[n_rep:] if r.get("kind") == "key"]
        t_key = keys[0]["t"] if keys else None
        _wait_quiet(self.page, self.probe, 1.0, timeout_s)
        frames = self.probe.frames[n_frames:]
        return {
            "ms": round(p[0]["t"] - t_key, 1) if t_key else None,
            "kb": round(sum(f.size for f in frames if not f.sent) / 1024, 1),
            "kb_by_element": _by_element(frames),
            "reruns": sum(1 for f in frames if f.sent and f.kind == "rerun_script"),
            "server_ms": [round(x, 1) for x in _server_ms(frames)],
            "shown": p[-1]["shown"],
        }


# ---------------------------------------------------------------------------------------------
# scenarios


def _summary(moves: list[dict]) -> dict:
    ms = [m["ms"] for m in moves if m.get("ms") is not None]
    srv = [x for m in moves for x in m["server_ms"]]
    return {
        "median_ms": round(statistics.median(ms), 1) if ms else None,
        "median_kb": round(statistics.median(m["kb"] for m in moves), 1) if moves else None,
        "max_kb": max((m["kb"] for m in moves), default=None),
        "median_map_kb": round(
            statistics.median(
                m.get("kb_by_element", {}).get("component_instance", 0) for m in moves
            ),
            1,
        )
        if moves
        else None,
        "median_server_ms": round(statistics.median(srv), 1) if srv else None,
    }


def scenario(
    pw,
    script: str,
    csv: Path | None,
    n: int,
    moves: int,
    budget_s: float,
    idle_wait_s: float = 60.0,
) -> dict:
    """Open, upload, move the slider `moves` times; everything within budget_s seconds
    (after waiting up to idle_wait_s for the machine to be idle)."""
    left = lambda: max(5.0, t_end - time.monotonic())  # noqa: E731
    out: dict = {"script": script, "events": n, "moves": [], "finished": False, "note": None}
    out["idle_before"] = wait_idle(idle_wait_s)
    t_end = time.monotonic() + budget_s
    s = Session(pw, script)
    try:
        out["open_s"] = s.open(min(120.0, left()))
        if out["open_s"] is None:
            out["note"] = "map never painted on open"
            return out
        _wait_quiet(s.page, s.probe, 1.0, min(60.0, left()))
        if csv is not None:
            out["upload_to_painted_s"] = s.upload(csv, n, left())
            out["upload_split_s"] = getattr(s, "split", None)
            if out["upload_to_painted_s"] is None:
                out["note"] = f"upload did not finish in {budget_s:.0f} s"
                return out
            _wait_quiet(s.page, s.probe, 1.0, left())
        for i in range(moves):
            if time.monotonic() >= t_end:
                break
            if script == BASELINE:  # end thumb back, start thumb forward: every window new
                m = s.move(1, "PageDown", left()) if i % 2 == 0 else s.move(0, "PageUp", left())
            else:  # the timeline: one month back per key press, every window new
                m = s.move(-1, "PageUp", left())
            if m is None:
                out["note"] = f"move {i + 1} did not finish within the {budget_s:.0f} s budget"
                break
            out["moves"].append(m)
        out["finished"] = len(out["moves"]) == moves
        if not out["finished"] and out["note"] is None:
            out["note"] = f"{len(out['moves'])} of {moves} moves within {budget_s:.0f} s"
    except Exception as exc:
        out["note"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    finally:
        out["peak_server_mb"] = s.close()
        out.update(_summary(out["moves"]))
    out["idle_after"] = cpu_idle(1.0)
    return out


def cold_start(pw, budget_s: float, idle_wait_s: float = 60.0, runs: int = 3) -> dict:
    """Shipped catalogue, no upload: the first visit on a freshly started server, then two
    more visits in new browser contexts (warm server, empty browser cache); `runs` servers,
    medians reported."""
    out: dict = {"idle_before": wait_idle(idle_wait_s), "first": [], "later": []}
    for _ in range(runs):
        s = Session(pw, "server.py")
        try:
            out["first"].append(s.open(budget_s))
            for _ in range(2):
                _wait_quiet(s.page, s.probe, 1.0, 60)
                s.context.close()
                s.new_page()
                out["later"].append(s.open(budget_s))
            out["events"] = (s.probe.paints() or [{}])[-1].get("shown")
        finally:
            out["peak_server_mb"] = max(out.get("peak_server_mb") or 0, s.close() or 0)
    for key, name in (("first", "first_visit_s"), ("later", "second_visit_s")):
        ok = [x for x in out[key] if x is not None]
        out[name] = round(statistics.median(ok), 2) if ok else None
        out[key] = [None if x is None else round(x, 2) for x in out[key]]
    return out


def briefing_time(csv: Path | None) -> dict:
    """render_png of the app's default view (catalogue + the upload), in-process.

    The first render of a process (imports, fonts, basemap layers) and the situation of the
    view (the app has drawn the map before) are done before timing.
    """
    from events import load_catalogue
    from events.io.detect import import_file
    from kmap.briefing import render_png
    from kmap.map.memory import freeze_loaded
    from kmap.situation import situation
    from kmap.view_export import briefing_spec
    from kmap.viewstate import ViewState

    events = list(load_catalogue().events)
    view = ViewState()
    render_png(briefing_spec(view, situation(events, view), None, "x", None))
    if csv is not None:
        events += import_file(csv.read_bytes(), csv.name).events
        freeze_loaded()  # as the app does after an upload
    # as in the app: the map of this view was drawn before the export was asked for, so the
    # event list's index exists; the click reruns the situation, then makes the PNG
    situation(events, view)
    t0 = time.perf_counter()
    sit = situation(events, view)
    spec = briefing_spec(view, sit, None, "Benchmark", None)
    t1 = time.perf_counter()
    png = render_png(spec, "16:9")
    t2 = time.perf_counter()
    return {
        "png_s": round(t2 - t0, 2),
        "spec_s": round(t1 - t0, 2),
        "render_s": round(t2 - t1, 2),
        "png_mb": round(len(png) / 1e6, 2),
        "events": len(sit.shown),
    }


def briefing_in_subprocess(csv: Path | None, timeout_s: float) -> dict:
    """briefing_time in a child process, so a slow render cannot outlive its budget."""
    cmd = [sys.executable, "-m", "benchmarks.run", "--briefing-only", str(csv or "")]
    try:
        done = subprocess.run(
            cmd, cwd=REPO, capture_output=True, text=True, timeout=timeout_s, check=False
        )
    except subprocess.TimeoutExpired:
        return {"png_s": None, "note": f"did not finish in {timeout_s:.0f} s"}
    lines = [x for x in done.stdout.splitlines() if x.startswith("{")]
    if done.returncode != 0 or not lines:
        return {"png_s": None, "note": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(lines[-1])


# ---------------------------------------------------------------------------------------------
# environment


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def _ram_gb() -> float | None:
    try:
        kb = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
        return round(kb / 1024 / 1024, 1)
    except (OSError, ValueError, IndexError):
        return None


def environment(browser_version: str) -> dict:
    def ver(pkg: str) -> str:
        try:
            return metadata.version(pkg)
        except metadata.PackageNotFoundError:
            return "?"

    return {
        "nproc": os.cpu_count(),
        "ram_gb": _ram_gb(),
        "cpu": _cpu_model(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "streamlit": ver("streamlit"),
        "streamlit-folium": ver("streamlit-folium"),
        "folium": ver("folium"),
        "chromium": browser_version,
    }


# ---------------------------------------------------------------------------------------------
# report


def _f(x: float | None, fmt: str = "{:,.0f}") -> str:
    return "–" if x is None else fmt.format(x)


def _cell(sc: dict | None, key: str, fmt: str = "{:,.0f}") -> str:
    if not sc:
        return "not run"
    v = sc.get(key)
    if v is None and key in ("median_ms", "upload_to_painted_s") and sc.get("note"):
        return "did not finish"
    return _f(v, fmt)


def _ratio(ours: dict | None, base: dict | None) -> str:
    if not ours or not base or not ours.get("median_ms"):
        return "–"
    if base.get("median_ms"):
        return f"{base['median_ms'] / ours['median_ms']:,.1f}×"
    if base.get("note"):
        return "baseline did not finish a move"
    return "–"


def render_results(res: dict) -> str:
    """Markdown tables for one results file."""
    env = res["env"]
    lines = [
        f"### {res['label']} — {res['date']}",
        "",
        f"Machine: {env['nproc']} CPUs ({env['cpu']}), {env['ram_gb']} GB RAM, {env['os']}. "
        f"Python {env['python']}, Streamlit {env['streamlit']}, streamlit-folium "
        f"{env['streamlit-folium']}, folium {env['folium']}, Chromium {env['chromium']} "
        "(headless, same machine as the server).",
        "",
        "| events uploaded | app | slider → painted, median ms | KB per move, median (max)"
        " | of which the map | open → painted s (fresh server) | upload → painted s"
        " | server ms per rerun, median"
        " | peak server MB | briefing PNG s | baseline ÷ ours, slider → painted |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for n in res["sizes"]:
        row = res["results"].get(str(n), {})
        ours, base = row.get("ours"), row.get("baseline")
        png = row.get("briefing") or {}
        for name, sc in (("ours", ours), ("baseline", base)):
            if sc is None and name == "baseline":
                continue
            moved = bool(sc and sc.get("moves"))
            kb = (
                f"{_cell(sc, 'median_kb', '{:,.1f}')} ({_cell(sc, 'max_kb', '{:,.1f}')})"
                if moved
                else "–"
            )
            map_kb = _cell(sc, "median_map_kb", "{:,.1f}") if moved else "–"
            lines.append(
                f"| {n:,} | {name} | {_cell(sc, 'median_ms')} "
                f"({len(sc['moves']) if sc else 0} moves) | {kb} | {map_kb} "
                f"| {_cell(sc, 'open_s', '{:,.1f}')} "
                f"| {_cell(sc, 'upload_to_painted_s', '{:,.1f}')} "
                f"| {_cell(sc, 'median_server_ms')} | {_cell(sc, 'peak_server_mb')} "
                f"| {_f(png.get('png_s'), '{:,.1f}') if name == 'ours' else ''} "
                f"| {_ratio(ours, base) if name == 'ours' else ''} |"
            )
    notes = [
        f"- {n:,} {name}: {sc['note']}"
        for n in res["sizes"]
        for name, sc in (
            ("ours", res["results"].get(str(n), {}).get("ours")),
            ("baseline", res["results"].get(str(n), {}).get("baseline")),
        )
        if sc and sc.get("note")
    ] + [
        f"- {n:,} briefing PNG: {b['note']}"
        for n in res["sizes"]
        if (b := res["results"].get(str(n), {}).get("briefing") or {}).get("note")
    ]
    cold = res.get("cold") or {}
    lines += [
        "",
        f"Cold start, shipped catalogue ({cold.get('events', '?')} events), no upload: "
        f"first visit after the server started {_f(cold.get('first_visit_s'), '{:.1f}')} s, "
        f"later visits {_f(cold.get('second_visit_s'), '{:.1f}')} s "
        f"(medians; first {cold.get('first', '?')}, later {cold.get('later', '?')}) "
        f"(peak server {_f(cold.get('peak_server_mb'))} MB).",
    ]
    if notes:
        lines += ["", "Scenario notes:", "", *notes]
    lines += ["", *targets(res), ""]
    return "\n".join(lines)


def targets(res: dict) -> list[str]:
    """One line per target: met or missed, by how much."""

    def verdict(value: float | None, limit: float, unit: str) -> str:
        if value is None:
            return "not measured"
        if value <= limit:
            return f"met ({value:,.1f} {unit} ≤ {limit:,.0f} {unit})"
        return (
            f"**missed** by {value - limit:,.1f} {unit} ({value:,.1f} {unit} > {limit:,.0f} {unit})"
        )

    out = ["Targets:", ""]
    for n, limit in TARGET_MOVE_MS.items():
        sc = (res["results"].get(str(n)) or {}).get("ours") or {}
        out.append(f"- slider → painted at {n:,}: {verdict(sc.get('median_ms'), limit, 'ms')}")
    kbs = [
        ((res["results"].get(str(n)) or {}).get("ours") or {}).get("max_kb") for n in res["sizes"]
    ]
    kbs = [k for k in kbs if k is not None]
    out.append(
        f"- ≤ {TARGET_KB} KB per move at every size (worst move): "
        + verdict(max(kbs) if kbs else None, TARGET_KB, "KB")
    )
    out.append(
        "- cold start with the shipped catalogue (first visit): "
        + verdict((res.get("cold") or {}).get("first_visit_s"), TARGET_COLD_S, "s")
    )
    pngs = [
        ((res["results"].get(str(n)) or {}).get("briefing") or {}).get("png_s")
        for n in res["sizes"]
    ]
    pngs = [p for p in pngs if p is not None]
    out.append(
        "- briefing PNG (worst size): " + verdict(max(pngs) if pngs else None, TARGET_PNG_S, "s")
    )
    return out


def write_doc(doc: Path = DOC) -> None:
    """Regenerate the results section of docs/benchmarks.md from benchmarks/results/*.json."""
    files = sorted(RESULTS.glob("*.json"), key=lambda p: json.loads(p.read_text())["date"])
    body = "\n".join(render_results(json.loads(p.read_text())) for p in files)
    block = f"{MARK_START}\n\n{body}\n{MARK_END}"
    empty = f"# Benchmarks\n\n{MARK_START}\n{MARK_END}\n"
    text = doc.read_text(encoding="utf-8") if doc.exists() else empty
    if MARK_START in text and MARK_END in text:
        head, rest = text.split(MARK_START, 1)
        text = head + block + rest.split(MARK_END, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    doc.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    ap.add_argument("--moves", type=int, default=7, help="slider moves per scenario (>= 5)")
    ap.add_argument("--label", default="latest", help="results/<label>.json")
    ap.add_argument("--budget", type=float, default=240, help="seconds per app scenario")
    ap.add_argument("--baseline-budget", type=float, default=300, help="seconds per baseline")
    ap.add_argument(
        "--deadline",
        type=float,
        default=20 * 60,
        help="skip a scenario that could end after this (s)",
    )
    ap.add_argument("--no-app", action="store_true", help="skip our app's scenarios")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--no-briefing", action="store_true")
    ap.add_argument("--no-cold", action="store_true", help="skip the cold-start scenario")
    ap.add_argument(
        "--merge", action="store_true", help="update results/<label>.json instead of replacing it"
    )
    ap.add_argument("--briefing-budget", type=float, default=120, help="seconds per PNG")
    ap.add_argument(
        "--idle-wait",
        type=float,
        default=60,
        help="seconds to wait, before each scenario, for other work on the machine to stop",
    )
    ap.add_argument("--report-only", action="store_true", help="only regenerate the doc")
    ap.add_argument("--briefing-only", metavar="CSV", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.briefing_only is not None:
        print(json.dumps(briefing_time(Path(args.briefing_only) if args.briefing_only else None)))
        return 0
    if args.report_only:
        write_doc()
        print(f"wrote {DOC}")
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    # `kill <pid>` of the suite: unwind, so every server and browser it started is stopped
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    out_file = RESULTS / f"{args.label}.json"
    old = json.loads(out_file.read_text()) if args.merge and out_file.exists() else {}
    res: dict = {
        **old,
        "label": args.label,
        "date": dt.datetime.now().isoformat(timespec="minutes"),
        "sizes": sorted({*sizes, *old.get("sizes", [])}),
        "moves": args.moves,
        "results": old.get("results", {}),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)

    def save() -> None:
        out_file.write_text(json.dumps(res, indent=1), encoding="utf-8")

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        res["env"] = environment(b.version)
        b.close()
        if not args.no_cold:
            print("cold start (catalogue)...", flush=True)
            res["cold"] = cold_start(pw, 120, args.idle_wait)
            print(" ", res["cold"], flush=True)
            save()

        def late(budget: float) -> bool:
            return time.monotonic() - started + budget + args.idle_wait > args.deadline

        skipped = {"moves": [], "note": "skipped: the suite's time limit"}
        csvs = {n: write_acled_csv(n, DATA_DIR) for n in sizes}
        rows: dict[int, dict] = {n: res["results"].setdefault(str(n), {}) for n in sizes}
        # ours first, then the briefings, then the baselines (the slowest, cut by the deadline)
        for n in [] if args.no_app else sizes:
            print(f"{n:,} events: app...", flush=True)
            if late(args.budget):
                rows[n]["ours"] = dict(skipped)
                continue
            rows[n]["ours"] = scenario(
                pw, "server.py", csvs[n], n, args.moves, args.budget, args.idle_wait
            )
            print(" ", {k: v for k, v in rows[n]["ours"].items() if k != "moves"}, flush=True)
            save()
        for n in [] if args.no_briefing else sizes:
            print(f"{n:,} events: briefing PNG...", flush=True)
            if late(args.briefing_budget):
                rows[n]["briefing"] = {"png_s": None, "note": skipped["note"]}
                continue
            rows[n]["briefing"] = briefing_in_subprocess(csvs[n], args.briefing_budget)
            print(" ", rows[n]["briefing"], flush=True)
            save()
        for n in [] if args.no_baseline else sizes:
            print(f"{n:,} events: baseline...", flush=True)
            if late(args.baseline_budget):
                rows[n]["baseline"] = dict(skipped)
                continue
            rows[n]["baseline"] = scenario(
                pw,
                BASELINE,
                csvs[n],
                n,
                args.moves,
                args.baseline_budget,
                args.idle_wait,
            )
            print(" ", {k: v for k, v in rows[n]["baseline"].items() if k != "moves"}, flush=True)
            save()
    res["total_s"] = round(time.monotonic() - started)
    save()
    write_doc()
    print(f"done in {res['total_s']} s: {out_file}, {DOC}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
