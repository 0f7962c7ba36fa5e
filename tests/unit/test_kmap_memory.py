"""The collector stays out of the way while building large sets, and the heap is frozen after."""

from __future__ import annotations

import pytest


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


def test_freeze_after_an_import_skips_the_collection_pass() -> None:
    """collect=False freezes at once; the garbage cycles it leaves are collected by the next
    call that collects (a removal or another file)."""
    import gc
    import weakref

    from kmap.map.memory import freeze_loaded

    class Node:
        pass

    gc.disable()  # no automatic pass in between: only freeze_loaded decides
    try:
        node = Node()
        node.me = node
        ref = weakref.ref(node)
        del node  # garbage, but only the cyclic collector can tell
        freeze_loaded(collect=False)
        assert ref() is not None and gc.get_freeze_count() > 0  # frozen, not collected
        freeze_loaded()
        assert ref() is None
    finally:
        gc.unfreeze()
        gc.enable()
