"""Time layers: bit masks, published datasets, the per-rerun state group stays small."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from folium import Map

from kmap.map.datasets import publish
from kmap.map.elements import state_group
from kmap.map.masks import decode_mask, mask_b64


@pytest.mark.parametrize("n", [0, 1, 7, 8, 9, 1000, 100_003])
@pytest.mark.parametrize(
    "pattern",
    [
        lambda i, n: (i * 7) % 3 == 0,  # scattered: a bitset
        lambda i, n: n // 3 <= i < 2 * n // 3,  # a window: runs
        lambda i, n: i < n // 2,  # starts "on"
        lambda i, n: True,
        lambda i, n: False,
    ],
)
def test_mask_round_trip(n: int, pattern: Callable[[int, int], bool]) -> None:
    flags = [pattern(i, n) for i in range(n)]
    assert decode_mask(mask_b64(flags), n) == flags


def test_mask_is_compact_at_100k() -> None:
    scattered = [(i * 7) % 3 == 0 for i in range(100_000)]
    assert len(mask_b64(scattered)) <= 16_700  # 12.5 kB of bits, base64
    window = [30_000 <= i < 62_345 for i in range(100_000)]
    assert mask_b64(window) == "r30000,32345,37655"  # a date window: three runs
    assert mask_b64([True] * 100_000) == "r0,100000"


def test_publish_is_content_addressed(tmp_path) -> None:
    fc = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}}]}
    a = publish("events", fc, tmp_path)
    b = publish("events", fc, tmp_path)
    c = publish("events", {**fc, "features": []}, tmp_path)
    assert a.url == b.url != c.url
    assert a.url.startswith("/app/static/data/events-")
    assert json.loads(a.path.read_text()) == fc


def test_state_group_script_is_small_and_escaped() -> None:
    masks = {"events": mask_b64([True] * 20_000)}
    fg = state_group(masks, ["Situation as of 1 May 2021", "</script><b>x</b>"])
    m = Map(tiles=None)
    fg.add_to(m)
    js = m.get_root().render()
    assert "KMap.setState" in js
    assert "</script><b>" not in js


def test_source_dicts_match_the_json_dump_of_every_catalogue_source() -> None:
    """The fast attribute read gives what pydantic's JSON dump gives (empty fields left out)."""
    from events import load_catalogue
    from kmap.map.features import _source_dicts

    keys = ("url", "publisher", "published", "title")
    n = 0
    for ev in load_catalogue().events:
        sources = ev.event.sources
        want = [
            {k: v for k, v in s.model_dump(mode="json").items() if k in keys and v} for s in sources
        ]
        got = _source_dicts(sources)
        assert [{k: v for k, v in d.items() if k in keys} for d in got] == want
        assert _source_dicts([s.model_dump(mode="json") for s in sources]) == got
        for d, s in zip(got, sources, strict=True):  # who speaks, and where the link goes
            assert d["host"] and d["host"] in s.url
            assert d["label"]
        n += len(sources)
    assert n > 100


def test_sources_show_the_real_host_and_the_register_label() -> None:
    from kmap.map.features import _source_dicts

    spoof, real = _source_dicts(
        [
            {"url": "https://example.org@198.51.100.7/x", "publisher": "Reuters"},
            {"url": "https://www.reuters.com/world/x", "publisher": "Whoever"},
        ]
    )
    assert spoof["host"] == "198.51.100.7"  # the popup shows where the link really goes
    assert real["label"].startswith("Reuters")  # the register names who is speaking


def test_gc_paused_nests_and_restores_the_collector() -> None:
    import gc

    from kmap.map.memory import gc_paused

    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer use is still running
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # it was off before: left off
    finally:
        gc.enable()


def test_freeze_loaded_freezes_and_hands_back() -> None:
    """Frozen objects skip collections; the next call collects cycles dropped meanwhile."""
    import gc
    import weakref

    from kmap.map.memory import freeze_loaded

    class Node:
        pass

    try:
        node = Node()
        node.me = node  # a cycle: only the cyclic collector can free it
        ref = weakref.ref(node)
        freeze_loaded()
        assert gc.get_freeze_count() > 0
        del node
        gc.collect()
        assert ref() is not None  # frozen: the collector does not look at it
        freeze_loaded()
        assert ref() is None  # handed back and collected
    finally:
        gc.unfreeze()
