"""Time in the browser draws what the server would: kmap/js/kmap-time.js runs here in node on
the real datasets (catalogue events, every control period, every zone) and must pick, for any
window and filters, exactly the features kmap.situation's masks show; its window steps and
date words must match kmap.timewindow and kmap.words."""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
import subprocess
from collections.abc import Callable, Iterator

import pytest

from events import load_catalogue
from geo import control, zones
from kmap.config import KMAP_DIR
from kmap.datasets import (
    control_collection,
    events_collection,
    events_dataset,
    zones_collection,
)
from kmap.map.masks import decode_mask
from kmap.situation import situation
from kmap.timewindow import step_window
from kmap.viewstate import EARLIEST, ViewState
from kmap.words import date_range_in_words

#: Loads kmap.js, kmap-events.js and kmap-time.js as the page does, then answers JSON lines:
#: {"datasets": {name: data as fetched}, "kinds": {name: kind}} registers the data (the
#: events read by KMap.events.load, as in KMap.addDataset);
#: {"state": {...}, "a": iso, "b": iso} -> {name: "0101..."} of KMap.time.bits;
#: {"call": name, "args": [...]} -> the result of KMap.time[name](...args).
NODE = """
globalThis.window = globalThis;
const fs = require("fs"), vm = require("vm");
for (const f of process.argv.slice(1)) vm.runInThisContext(fs.readFileSync(f, "utf8"));
const T = window.KMap.time;
const rl = require("readline").createInterface({ input: process.stdin });
rl.on("line", (line) => {
  const msg = JSON.parse(line);
  let out = null;
  if (msg.datasets) {
    window.KMap.datasets = {};
    for (const [name, data] of Object.entries(msg.datasets)) {
      const ds = { spec: { kind: msg.kinds[name] }, ready: true };
      if (ds.spec.kind === "events") window.KMap.events.load(ds, data);
      else { ds.features = data.features; ds.n = ds.features.length; }
      window.KMap.datasets[name] = ds;
    }
  } else if (msg.state) {
    T.last = msg.state;
    out = {};
    const on = {};
    for (const name of Object.keys(window.KMap.datasets)) {
      const r = T.bits(name, T.dayOf(msg.a), T.dayOf(msg.b));
      let s = "";
      for (let i = 0; r && i < window.KMap.datasets[name].n; i++) {
        s += (r.bits[i >> 3] >> (i & 7)) & 1;
      }
      out[name] = r ? s : null;
      if (r) on[name] = r;
    }
    out.legend = T.legend(on, T.dayOf(msg.b));
  } else {
    const day = (x) => (typeof x === "string" && /^\\d{4}-/.test(x) ? T.dayOf(x) : x);
    const args = msg.args.map(day);
    out = T[msg.call](...args);
    if (Array.isArray(out)) out = out.map(T.isoOf);
  }
  process.stdout.write(JSON.stringify(out) + "\\n");
});
"""

LAYERS = frozenset({"events", "control", "peacekeeping", "corridor", "missions"})


@pytest.fixture(scope="module", params=["columns", "geojson"])
def node(request: pytest.FixtureRequest) -> Iterator[Callable[[dict], object]]:
    """A node process with kmap.js, kmap-events.js and kmap-time.js loaded: message ->
    answer. The events come as an upload's compact columns (kmap.datasets.events_dataset) or
    as the catalogue's GeoJSON file (events_collection): both must draw the same."""
    exe = shutil.which("node")
    if exe is None:
        pytest.fail("node is needed to test kmap-time.js (apt install nodejs)")
    files = [str(KMAP_DIR / "js" / name) for name in ("kmap.js", "kmap-events.js", "kmap-time.js")]
    proc = subprocess.Popen(
        [exe, "-e", NODE, *files], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdin is not None and proc.stdout is not None

    def ask(msg: dict) -> object:
        proc.stdin.write(json.dumps(msg) + "\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
        assert line.endswith("\n"), f"node stopped: {proc.poll()}"
        return json.loads(line)

    events = list(load_catalogue().events)
    data = {
        "events": events_dataset(events)
        if request.param == "columns"
        else events_collection(events),
        "control": control_collection(),
        "zones": zones_collection(),
    }
    ask({"datasets": data, "kinds": {"events": "events", "control": "areas", "zones": "areas"}})
    try:
        yield ask
    finally:
        proc.stdin.close()
        proc.wait(timeout=10)


def _windows() -> list[tuple[dt.date, dt.date]]:
    """Windows ending on every change of control or zones, the day before, and at random."""
    rng = random.Random(18)
    days = {*control.change_dates(), *zones.zone_change_dates(), control.MODEL_START}
    ends = sorted(days | {d - dt.timedelta(days=1) for d in days})
    ends += [EARLIEST + dt.timedelta(days=rng.randrange(14_000)) for _ in range(40)]
    return [(end - dt.timedelta(days=rng.choice([0, 6, 44, 400, 4000])), end) for end in ends]


VIEWS = {
    "default": {},
    "two types": {"types": ("clash", "ceasefire")},
    "exact places, no zones": {"exact_only": True, "layers": frozenset({"events", "control"})},
    "corridor only": {"layers": frozenset({"control", "corridor"})},
}


@pytest.mark.parametrize("name", VIEWS)
def test_the_browser_draws_what_the_server_would(node, name: str) -> None:
    events = list(load_catalogue().events)
    checked = 0
    for start, end in _windows():
        if start < EARLIEST or end > dt.date.today():
            continue
        options = {"layers": LAYERS, **VIEWS[name]}
        v = ViewState(start=start, end=end, **options)
        sit = situation(events, v)
        # the browser knows only the state of some other window (it never saw this one)
        other = situation(events, ViewState(**options))
        state = {"masks": other.masks, "time": other.time, "legend": other.legend}
        got = node({"state": state, "a": str(start), "b": str(end)})
        assert got.pop("legend") == sit.legend, (name, start, end)  # the same rows, in order
        for dataset, mask in sit.masks.items():
            want = "".join("1" if b else "0" for b in decode_mask(mask, len(got[dataset])))
            assert got[dataset] == want, (name, dataset, start, end)
            checked += 1
        assert {k for k, v in got.items() if v is not None} == set(sit.masks)
    assert checked > 100


@pytest.mark.parametrize("unit", ["day", "week", "month"])
def test_steps_and_words_match_the_server(node, unit: str) -> None:
    rng = random.Random(unit)
    today = dt.date.today()
    for _ in range(200):
        end = EARLIEST + dt.timedelta(days=rng.randrange((today - EARLIEST).days))
        if rng.random() < 0.3:  # month ends, where months are hardest
            end = dt.date(end.year, end.month, 1) - dt.timedelta(days=1)
        start = max(EARLIEST, end - dt.timedelta(days=rng.randrange(0, 800)))
        direction = rng.choice([-1, 1])
        want = step_window(start, end, unit, direction, today)
        got = node(
            {
                "call": "stepWindow",
                "args": [str(start), str(end), unit, direction, str(EARLIEST), str(today)],
            }
        )
        assert got == [want[0].isoformat(), want[1].isoformat()], (start, end, unit, direction)
        words = node({"call": "rangeInWords", "args": [str(start), str(end)]})
        assert words == date_range_in_words(start, end)
