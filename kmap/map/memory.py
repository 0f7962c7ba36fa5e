"""Memory around large event sets: no collector passes while building, a frozen heap after.

An upload of 10^5 events makes 10^5 long-lived objects and, while its GeoJSON is built, as many
small dicts. Python's cyclic collector would walk all of them again and again; these helpers
keep it out of the way and hand freed pages back to the system.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import threading
from collections.abc import Iterator

_gc_lock = threading.Lock()
_gc_users = 0
_gc_was_enabled = True


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while building 10^5 small dicts (GeoJSON features).

    Each full collection walks every object of the loaded events; building the features of
    10^5 events triggered many of them (2-4 s instead of 1 s). Reference counting still frees
    memory meanwhile. Nested and concurrent uses are counted: the collector is restored as it
    was once the last one ends."""
    global _gc_users, _gc_was_enabled
    with _gc_lock:
        if _gc_users == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_users += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_users -= 1
            if _gc_users == 0 and _gc_was_enabled:
                gc.enable()


def freeze_loaded(collect: bool = True) -> None:
    """After loading (or dropping) a large event set: collect, then freeze the heap.

    Python's cyclic collector otherwise walks the 10^5 long-lived events of an upload again at
    every full collection (a 100k briefing spent ~1.5 s in it). Frozen objects are still freed
    by reference counting when dropped; the next call hands everything back to the collector
    first (`gc.unfreeze`), so cycles among dropped objects are collected then.

    ``collect=False`` (right after an import) freezes without that pass: it walks every new
    object (0.7 s at 10^5 events) to find hardly any garbage, events hold no cycles; what
    cycles there are wait for the next call with a collection."""
    gc.unfreeze()
    if collect:
        gc.collect()
    release_memory()
    gc.freeze()


def release_memory() -> None:
    """Hand freed heap pages back to the operating system (glibc's malloc_trim).

    After a large upload is dropped, Python frees its objects but glibc keeps the pages for
    reuse: a removed 50 MB file left ~740 MB resident (benchmarks/upload_memory.py). No-op
    where glibc is not the allocator."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):
        pass
