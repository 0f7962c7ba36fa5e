"""The compact events dataset (kmap.map.eventcols, read by kmap/js/kmap-events.js) carries
exactly what the GeoJSON features did: node reads it back, event by event, and must give the
features of kmap.datasets.events_collection, for the catalogue and an uploaded ACLED file."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from functools import lru_cache

import pytest

from benchmarks.synth import acled_csv
from events import load_catalogue
from events.io.detect import import_file
from kmap.config import KMAP_DIR
from kmap.datasets import events_collection, events_dataset, events_dataset_gz
from kmap.map.eventcols import FORMAT, column
from palette import EVENT_STYLES

#: Loads kmap.js and kmap-events.js, reads one dataset from stdin (KMap.events.load, as
#: KMap.addDataset does), prints every event as a GeoJSON feature, then KMap.time.histogram.
NODE = """
globalThis.window = globalThis;
const fs = require("fs"), vm = require("vm");
for (const f of process.argv.slice(1)) vm.runInThisContext(fs.readFileSync(f, "utf8"));
const data = JSON.parse(fs.readFileSync(0, "utf8"));
const ds = { spec: { kind: "events", styles: data.styles }, ready: true };
window.KMap.events.load(ds, data.dataset);
window.KMap.datasets = { events: ds };
window.KMap.time.last = { time: { base: {} } };
const out = [];
for (let i = 0; i < ds.n; i++) out.push(window.KMap.events.feature(ds, i));
const h = window.KMap.time.histogram(data.a, data.b, 1);
process.stdout.write(JSON.stringify({ features: out, histogram: Array.from(h.counts) }));
"""


@lru_cache(maxsize=1)
def _events() -> list:
    """The catalogue and 3,000 synthetic ACLED events (as an upload brings them)."""
    upload = import_file(acled_csv(3_000), "big.csv", "acled")
    return [*load_catalogue().events, *upload.events]


def _read_back(dataset: dict, styles: dict, a: int, b: int) -> dict:
    exe = shutil.which("node")
    if exe is None:
        pytest.fail("node is needed to test kmap-events.js (apt install nodejs)")
    files = [str(KMAP_DIR / "js" / n) for n in ("kmap.js", "kmap-events.js", "kmap-time.js")]
    msg = json.dumps({"dataset": dataset, "styles": styles, "a": a, "b": b})
    done = subprocess.run(
        [exe, "-e", NODE, *files], input=msg, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("toponyms", ["both", "armenian"])
@pytest.mark.parametrize("fmt", ["columns", "geojson"])
def test_the_browser_reads_back_every_event_as_its_geojson_feature(
    fmt: str, toponyms: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # small batches: unique columns (ids, summaries) turn plain part way through
    monkeypatch.setattr("kmap.map.eventcols.BATCH", 97)
    events = _events()
    want = events_collection(events, toponyms)["features"]
    dataset = (
        events_dataset(events, toponyms)
        if fmt == "columns"
        else events_collection(events, toponyms)
    )
    styles = {t: {} for t in EVENT_STYLES}
    got = _read_back(dataset, styles, -(10**6), 10**6)
    assert len(got["features"]) == len(want) > 3_000
    for g, w in zip(got["features"], want, strict=True):
        assert g == json.loads(json.dumps(w)), w["properties"]["id"]
    # the histogram's type codes: every event of a styled type, counted under its type
    counts = [sum(f["properties"]["type"] == t for f in want) for t in styles]
    assert got["histogram"] == counts and sum(counts) == len(want)


def test_the_compact_dataset_is_a_fraction_of_the_geojson() -> None:
    events = _events()
    data = events_dataset(events)
    assert data["format"] == FORMAT and data["n"] == len(events)
    compact = len(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    geojson = len(json.dumps(events_collection(events), ensure_ascii=False, separators=(",", ":")))
    assert compact < geojson / 2, (compact, geojson)
    # repeated values are sent once: types, precisions and a source's publisher are coded
    assert set(data["cols"]["type"]) == {"v", "c"}
    assert set(data["sources"]["publisher"]) == {"v", "c"}
    assert isinstance(data["cols"]["id"], list)  # unique: plain


def test_the_gzip_served_to_a_session_is_the_compact_dataset(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("kmap.datasets.JSON_PIECE", 7)  # long columns written in pieces
    events = _events()[:500]
    body = events_dataset_gz(events, "azerbaijani")
    assert body[:2] == b"\x1f\x8b"
    want = json.loads(json.dumps(events_dataset(events, "azerbaijani")))
    assert json.loads(gzip.decompress(body)) == want
    assert json.loads(gzip.decompress(events_dataset_gz([]))) == events_dataset([])


def test_a_column_codes_only_repeated_values() -> None:
    assert column(["a", "b", "a", "a"]) == {"v": ["a", "b"], "c": [0, 1, 0, 0]}
    assert column(["a", "b", "c"]) == ["a", "b", "c"]
    pairs = [("x", "y"), ("x", "y"), None, None]
    assert column(pairs) == {"v": [("x", "y"), None], "c": [0, 0, 1, 1]}
    assert column([]) == []
