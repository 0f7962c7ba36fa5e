"""geo.files: the one atomic writer (cache entries, published datasets, exports)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from geo.files import replacing, write_atomic


def test_writes_whole_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "a.geojson"
    write_atomic(target, "ünïcode")
    assert target.read_text(encoding="utf-8") == "ünïcode"
    write_atomic(target, b"\x00bytes")
    assert target.read_bytes() == b"\x00bytes"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.geojson"]


def test_a_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "a.gpkg"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), replacing(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("writer failed")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.gpkg"]


def test_the_temporary_path_is_fresh_and_beside_the_target(tmp_path: Path) -> None:
    target = tmp_path / "layer.geojson"
    with replacing(target) as a, replacing(target) as b:
        assert a != b and a.parent == tmp_path and not a.exists()
        a.write_text("1")
        b.write_text("2")
    assert target.read_text() == "1"  # a finished last


def test_mode(tmp_path: Path) -> None:
    target = tmp_path / "served.js"
    write_atomic(target, "x", mode=0o644)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
