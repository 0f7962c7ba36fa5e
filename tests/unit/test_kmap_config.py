"""The map's settings load nothing heavy; the static folder follows $KARABAKH_MAP_STATIC_DIR."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kmap import config
from kmap.map.assets import ensure_static


def test_view_state_and_settings_load_no_map_stack() -> None:
    code = (
        "import sys, kmap.config, kmap.viewstate, kmap.legend; "
        "print(sorted(m for m in ('folium', 'branca', 'streamlit', 'geo.boundaries') "
        "if m in sys.modules))"
    )
    cmd = [sys.executable, "-c", code]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=config.REPO_DIR)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_static_dir_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(config.STATIC_DIR_ENV, str(tmp_path / "served"))
    assert config.static_dir() == tmp_path / "served"
    monkeypatch.setenv(config.STATIC_DIR_ENV, "  ")
    assert config.static_dir() == config.REPO_DIR / "static"  # blank: the default
    monkeypatch.delenv(config.STATIC_DIR_ENV)
    assert config.static_dir() == config.REPO_DIR / "static"


def test_ensure_static_writes_where_the_environment_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(config.STATIC_DIR_ENV, str(tmp_path))
    assert ensure_static() == tmp_path
    assert (tmp_path / "kmap" / "kmap.js").read_bytes() == (
        config.KMAP_DIR / "js" / "kmap.js"
    ).read_bytes()
    assert (tmp_path / "data" / "nkao.geojson").is_file()


def test_the_map_bounds_hold_the_region_and_the_default_view() -> None:
    x0, y0, x1, y1 = config.MAP_BOUNDS
    rx0, ry0, rx1, ry1 = config.REGION_BBOX
    assert x0 < rx0 < rx1 < x1 and y0 < ry0 < ry1 < y1
    lon, lat = config.DEFAULT_CENTER
    assert rx0 < lon < rx1 and ry0 < lat < ry1
    assert set(config.BASEMAPS) == {"offline", *config.ONLINE_TILES}


def test_the_default_frame_is_the_bounds_of_karabakh_the_corridor_and_the_enclaves() -> None:
    """DEFAULT_FRAME = bounds of the NKAO, the seven districts, the enclaves and the Lachin
    corridor in geo/data, rounded outwards to 0.01 degree; the default centre is its middle."""
    import math

    from shapely.geometry import shape
    from shapely.ops import unary_union

    from kmap.datasets import zones_collection
    from kmap.map.basemap import static_layers

    layers = static_layers()
    feats = [
        f
        for lid in ("nkao", "districts", "enclaves", "enclave_points")
        for f in layers[lid]["features"]
    ]
    corridor = [f for f in zones_collection()["features"] if f["properties"]["kind"] == "corridor"]
    assert corridor and feats
    x0, y0, x1, y1 = unary_union([shape(f["geometry"]) for f in feats + corridor]).bounds
    want = (
        math.floor(x0 * 100) / 100,
        math.floor(y0 * 100) / 100,
        math.ceil(x1 * 100) / 100,
        math.ceil(y1 * 100) / 100,
    )
    assert pytest.approx(want, abs=1e-9) == config.DEFAULT_FRAME
    fx0, fy0, fx1, fy1 = config.DEFAULT_FRAME
    assert pytest.approx(((fx0 + fx1) / 2, (fy0 + fy1) / 2), abs=1e-4) == config.DEFAULT_CENTER
