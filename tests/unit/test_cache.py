"""geo.cache (on-disk cache of derived geodata) and what is cached with it: the control model,
the zones and the two map collections. A cached result must equal the computed one, and any
change of an input must give a new key (so a stale result is never read)."""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import shutil
from pathlib import Path

import pytest
import shapely

from geo import cache, control, zones
from geo.control import timeline
from kmap import areas as kmap_areas
from kmap import datasets

pytestmark = pytest.mark.unit


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private, empty cache folder for the test."""
    d = tmp_path / "cache"
    monkeypatch.setenv("KARABAKH_MAP_CACHE_DIR", str(d))
    monkeypatch.delenv("KARABAKH_MAP_CACHE", raising=False)
    return d


class Counter:
    """A compute function that counts its calls."""

    def __init__(self, value: object) -> None:
        self.value, self.calls = value, 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


# --- the cache itself ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["pickle", "json"])
def test_computed_once_then_read(cache_dir: Path, fmt: str) -> None:
    value = {"a": [1, 2.5, "x"], "b": None}
    f = Counter(value)
    assert cache.cached("thing", "k1", f, fmt) == value
    assert cache.cached("thing", "k1", f, fmt) == value
    assert f.calls == 1
    assert [p.name for p in cache_dir.iterdir()] == [f"thing-k1.{fmt}"]


def test_a_new_key_recomputes(cache_dir: Path) -> None:
    f, g = Counter(1), Counter(2)
    assert cache.cached("thing", cache.make_key("a"), f) == 1
    assert cache.cached("thing", cache.make_key("b"), g) == 2
    assert cache.cached("thing", cache.make_key("a"), g) == 1  # the old entry is still there
    assert (f.calls, g.calls) == (1, 1)


def test_a_corrupt_entry_is_rebuilt(cache_dir: Path) -> None:
    cache.cached("thing", "k", Counter([1]))
    path = cache_dir / "thing-k.pickle"
    path.write_bytes(b"\x80\x05not a pickle")
    f = Counter([2])
    assert cache.cached("thing", "k", f) == [2]
    assert f.calls == 1
    assert pickle.loads(path.read_bytes()) == [2]


def test_turned_off_computes_every_time_and_writes_nothing(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KARABAKH_MAP_CACHE", "off")
    f = Counter(3)
    assert cache.cached("thing", "k", f) == 3
    assert cache.cached("thing", "k", f) == 3
    assert f.calls == 2
    assert not cache_dir.exists()


def test_unwritable_folder_still_computes(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: object, **_k: object) -> None:
        raise PermissionError("read-only file system")

    monkeypatch.setattr(cache, "_write", refuse)
    f = Counter(5)
    assert cache.cached("thing", "k", f) == 5
    assert cache.cached("thing", "k", f) == 5
    assert f.calls == 2


def test_old_keys_are_pruned(cache_dir: Path) -> None:
    for i in range(5):
        key = cache.make_key(str(i))
        cache.cached("thing", key, Counter(i))
        os.utime(cache_dir / f"thing-{key}.pickle", (1000 + i, 1000 + i))
    cache.cached("other", cache.make_key("x"), Counter(0))
    names = sorted(p.name for p in cache_dir.iterdir())
    assert len([n for n in names if n.startswith("thing-")]) == cache.KEEP_PER_NAME
    assert f"thing-{cache.make_key('4')}.pickle" in names  # the newest stays
    assert any(n.startswith("other-") for n in names)


def test_file_digest_follows_the_bytes(tmp_path: Path) -> None:
    a = tmp_path / "a.yaml"
    a.write_text("x: 1\n")
    d1 = cache.file_digest([a])
    a.write_text("x: 2\n")
    d2 = cache.file_digest([a])
    a.unlink()
    d3 = cache.file_digest([a])
    assert len({d1, d2, d3}) == 3


# --- the control model ---------------------------------------------------------------------------


def _copy_model_inputs(dst: Path) -> tuple[Path, Path]:
    """Only the files control.model_inputs() names, in a fresh folder pair."""
    data, ctl = dst / "data", dst / "data" / "control"
    ctl.mkdir(parents=True)
    src = control.model_inputs()
    for s, d in zip(src, control.model_inputs(ctl, data), strict=True):
        shutil.copyfile(s, d)
    return ctl, data


def test_model_inputs_name_every_file_the_model_reads(tmp_path: Path) -> None:
    ctl, data = _copy_model_inputs(tmp_path)
    m = control.ControlModel(ctl, data)  # would fail on a file missing from the list
    assert len(m.periods) == len(control.model().periods)


def test_model_key_changes_with_any_input(tmp_path: Path) -> None:
    ctl, data = _copy_model_inputs(tmp_path)
    keys = {control.model_key(ctl, data)}
    assert control.model_key(ctl, data) in keys  # stable
    for path in control.model_inputs(ctl, data):
        path.write_bytes(path.read_bytes() + b"\n")
        keys.add(control.model_key(ctl, data))
    assert len(keys) == 1 + len(control.model_inputs())


def test_model_key_changes_with_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    before = control.model_key()
    real = cache.source_digest
    monkeypatch.setattr(cache, "source_digest", lambda *m: real(*m) + "-edited")
    assert control.model_key() != before
    assert zones.zones_key() != before


def _same_geometry(a: shapely.Geometry, b: shapely.Geometry) -> bool:
    return shapely.to_wkb(a) == shapely.to_wkb(b)


def test_pickled_model_equals_the_built_one(cache_dir: Path) -> None:
    built = control.ControlModel()
    loaded = cache.cached("control-model", "t", control.ControlModel)  # written...
    loaded = cache.cached("control-model", "t", lambda: pytest.fail("not read"))  # ...and read
    assert loaded is not built
    assert loaded.change_dates == built.change_dates
    assert [p.properties() for p in loaded.periods] == [p.properties() for p in built.periods]
    assert all(
        _same_geometry(a.geometry, b.geometry)
        for a, b in zip(loaded.periods, built.periods, strict=True)
    )
    assert all(_same_geometry(a, b) for a, b in zip(loaded._display, built._display, strict=True))
    assert [c.entries for c in loaded.cells] == [c.entries for c in built.cells]
    # the spatial index and prepared geometries are rebuilt on load
    for lon, lat in ((46.75, 39.76), (46.5, 39.5), (47.2, 40.2), (44.5, 40.2)):
        pt = shapely.Point(lon, lat)
        assert list(loaded._tree.query(pt)) == list(built._tree.query(pt))
    assert all(shapely.is_prepared(c.geometry) for c in loaded.cells)


DAYS = (dt.date(1993, 8, 1), dt.date(2020, 11, 1), dt.date(2023, 1, 1), dt.date(2024, 6, 1))
POINTS = ((46.75, 39.76), (46.76, 39.60), (47.0, 39.4), (46.5, 39.9), (45.5, 40.9), (49.8, 40.4))


def _clear_control_caches() -> None:
    for f in (timeline._state, timeline._geojson_state):
        f.cache_clear()


def _answers() -> list:
    """What the app asks the model: periods, areas, who holds a point, the day's GeoJSON."""
    _clear_control_caches()
    out: list = []
    for day in DAYS:
        out.append([p.properties() for p in control.control_at(day)])
        out.append(control.areas_km2(day))
        out.append(control.control_geojson(day))
        out += [control.controller_at(lon, lat, day) for lon, lat in POINTS]
    out.append(control.changes_between(DAYS[1], DAYS[3])[0]["km2"])
    return out


def test_model_from_the_cache_answers_like_a_built_one(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = control.ControlModel()
    with monkeypatch.context() as mp:
        mp.setattr(control, "model", lambda: built)
        expected = _answers()
    control.model.cache_clear()
    try:
        control.model()  # built and stored in cache_dir
        assert len(list(cache_dir.glob("control-model-*.pickle"))) == 1
        control.model.cache_clear()
        monkeypatch.setattr(  # unpickling does not call __init__; building does
            control.ControlModel, "__init__", lambda *a: pytest.fail("rebuilt, not read")
        )
        assert _answers() == expected
    finally:
        control.model.cache_clear()
        _clear_control_caches()


# --- zones and the map collections -------------------------------------------------------------


def _plain(zs: tuple) -> list:
    return [(z.properties(), shapely.to_wkb(z.geometry)) for z in zs]


def test_cached_zones_equal_the_computed_ones(cache_dir: Path) -> None:
    zones.zones.cache_clear()
    try:
        first = zones.zones()
        zones.zones.cache_clear()
        again = zones.zones()  # read back
        assert again is not first
        assert _plain(again) == _plain(zones.build_zones())
        assert len(list(cache_dir.glob("zones-*.pickle"))) == 1
    finally:
        zones.zones.cache_clear()


@pytest.mark.parametrize(
    ("name", "func", "day_collection"),
    [
        ("control-collection", datasets.control_collection, control.control_geojson),
        ("zones-collection", datasets.zones_collection, zones.zones_geojson),
    ],
)
def test_cached_collections_equal_the_computed_ones(
    cache_dir: Path, name: str, func, day_collection
) -> None:
    func.cache_clear()
    try:
        computed = datasets.collect(day_collection)
        assert func() == computed  # computed and stored
        (path,) = cache_dir.glob(f"{name}-*.json")
        assert json.loads(path.read_text(encoding="utf-8")) == computed
        func.cache_clear()
        assert func() == computed  # read back
        assert len(list(cache_dir.glob(f"{name}-*.json"))) == 1
    finally:
        func.cache_clear()


def test_collections_follow_a_model_change(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    datasets.control_collection.cache_clear()
    try:
        datasets.control_collection()
        monkeypatch.setattr(control, "model_key", lambda *a: "another-model")
        datasets.control_collection.cache_clear()
        datasets.control_collection()
        assert len(list(cache_dir.glob("control-collection-*.json"))) == 2
    finally:
        datasets.control_collection.cache_clear()


def test_area_series_is_kept_per_day() -> None:
    d1, d2 = dt.date(2030, 1, 1), dt.date(2030, 1, 2)
    a, b = kmap_areas.area_series(d1), kmap_areas.area_series(d2)
    assert max(d for d, _, _ in a) == d1
    assert max(d for d, _, _ in b) == d2
    assert [r for r in a if r[0] != d1] == [r for r in b if r[0] != d2]
    assert max(d for d, _, _ in kmap_areas.area_series()) == dt.date.today()
    a.clear()  # callers get a copy
    assert kmap_areas.area_series(d1)
