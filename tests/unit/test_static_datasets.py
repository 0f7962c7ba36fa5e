"""static/data stays bounded under many uploads and many sessions; no write collisions.

Also: md_escape (untrusted text in Streamlit markdown) shows text literally.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from pathlib import Path

import pytest

from kmap.map import datasets as dynamic
from kmap.map.datasets import prune_datasets, publish
from kmap.safetext import md_escape

pytestmark = pytest.mark.unit


def _fc(i: int, size: int = 1) -> dict:
    props = {"i": i, "pad": "x" * size}
    return {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": props}]}


def _age(path: Path, seconds: float) -> None:
    t = time.time() - seconds
    os.utime(path, (t, t))


def test_sessions_publishing_the_same_data_at_once_never_collide(tmp_path: Path) -> None:
    fc = _fc(1, 200_000)
    errors: list[BaseException] = []
    start = threading.Barrier(16)

    def work() -> None:
        try:
            start.wait()
            for _ in range(5):
                publish("events", fc, tmp_path)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    files = sorted(p.name for p in (tmp_path / "data").iterdir())
    assert len(files) == 1 and files[0].startswith("events-")  # no .tmp left behind
    assert (tmp_path / "data" / files[0]).stat().st_mode & 0o777 == 0o644


def test_many_uploads_keep_only_the_newest_event_sets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(dynamic.PRUNE, "events", (5, 10**9))
    monkeypatch.setattr(dynamic, "PRUNE_MIN_AGE_S", 0.0)
    control = publish("control", _fc(-1), tmp_path)
    zones = publish("zones", _fc(-2), tmp_path)
    _age(control.path, 10_000)
    _age(zones.path, 10_000)
    made = []
    for i in range(20):
        made.append(publish("events", _fc(i), tmp_path))
        _age(made[-1].path, 1000 - i)  # older first
    left = {p.name for p in (tmp_path / "data").glob("events-*")}
    assert left == {f.path.name for f in made[-5:]}
    assert control.path.exists() and zones.path.exists()  # never pruned


def test_reuse_refreshes_a_file_and_pruned_files_come_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(dynamic.PRUNE, "events", (2, 10**9))
    monkeypatch.setattr(dynamic, "PRUNE_MIN_AGE_S", 0.0)
    a = publish("events", _fc(0), tmp_path)
    _age(a.path, 500)
    b = publish("events", _fc(1), tmp_path)
    _age(b.path, 400)
    publish("events", _fc(0), tmp_path)  # a is in use again: now the most recent
    publish("events", _fc(2), tmp_path)
    assert a.path.exists() and not b.path.exists()
    again = publish("events", _fc(1), tmp_path)  # what app.py does when its file is gone
    assert again.url == b.url and b.path.exists()


def test_byte_budget_young_files_and_stale_temporaries(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    paths = []
    for i in range(6):
        p = folder / f"events-{i:016x}.geojson"
        p.write_text("x" * 1000)
        _age(p, 1000 - i * 100)  # events-...5 is the newest
        paths.append(p)
    young = folder / f"events-{99:016x}.geojson"
    young.write_text("x" * 5000)  # newest and over the budget on its own, but young
    stale = folder / ".events-abc.tmp"
    stale.write_text("partial")
    _age(stale, 7200)
    fresh_tmp = folder / ".events-def.tmp"
    fresh_tmp.write_text("writing")
    other = folder / "land.geojson"
    other.write_text("{}")
    removed = prune_datasets(folder, "events", keep=10, max_bytes=7000, min_age_s=60)
    assert young.exists() and fresh_tmp.exists() and other.exists()
    assert not stale.exists()
    assert [p.exists() for p in paths] == [False, False, False, False, True, True]
    assert len(removed) == 5


def test_prune_never_removes_the_file_just_written(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    p = folder / f"events-{1:016x}.geojson"
    p.write_text("x" * 100)
    _age(p, 10_000)
    assert prune_datasets(folder, "events", 0, 0, keep_path=p, min_age_s=0) == []
    assert p.exists()
    assert prune_datasets(folder, "events", 0, 0, min_age_s=0) == [p]


@pytest.mark.parametrize(
    "text",
    [
        "![x](http://198.51.100.7/t.png).csv",
        "[click](javascript:alert(1)).csv",
        "<img src=x onerror=alert(1)>.csv",
        ":red[alert] :skull: $\\href{javascript:x}{y}$ **b** _i_ `c` # h > q | t ~ s~",
        "a\\b & c &lt; d",
    ],
)
def test_md_escape_neutralises_markdown(text: str) -> None:
    out = md_escape(text)
    # every ASCII punctuation character is escaped, so no Markdown syntax survives ...
    i = 0
    while i < len(out):
        if out[i] == "\\":
            i += 2
            continue
        assert not ("!" <= out[i] <= "/" or ":" <= out[i] <= "@" or "[" <= out[i] <= "`"), out
        assert not ("{" <= out[i] <= "~"), out
        i += 1
    # ... and removing the escapes gives the text back
    assert re.sub(r"\\(.)", r"\1", out) == text


def test_publish_is_content_addressed(tmp_path) -> None:
    fc = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}}]}
    a = publish("events", fc, tmp_path)
    b = publish("events", fc, tmp_path)
    c = publish("events", {**fc, "features": []}, tmp_path)
    assert a.url == b.url != c.url
    assert a.url.startswith("/app/static/data/events-")
    assert json.loads(a.path.read_text()) == fc
