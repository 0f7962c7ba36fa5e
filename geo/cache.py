"""On-disk cache of derived geodata, keyed by a hash of everything the result depends on.

Building the control model (YAML, GeoJSON, shapely overlays) and the collections the map
fetches takes seconds; the inputs change only when geo/data or the code that derives from it
changes. So a result is stored under ``.cache/derived/<name>-<key>.<fmt>`` where ``key`` hashes
the input files' bytes, the deriving modules' source and the library versions: any change
gives a new key (the old file is never read again and is pruned), an unchanged input is
computed at most once per checkout instead of once per process.

The folder is git-ignored and private to the app (never under ``static/``). Pickles are read
only from it; it holds nothing that the code in the checkout could not rebuild. If it cannot
be written (read-only deployment) results are simply computed in memory. Environment:
``KARABAKH_MAP_CACHE_DIR`` moves it; ``KARABAKH_MAP_CACHE=off`` turns it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import pickle
import platform
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from geo.files import write_atomic

__all__ = ["cache_dir", "cached", "enabled", "file_digest", "make_key", "source_digest"]

REPO_DIR = Path(__file__).resolve().parents[1]
DEFAULT_DIR = REPO_DIR / ".cache" / "derived"
#: Files kept per name (older keys are pruned after a new one is written).
KEEP_PER_NAME = 2
#: Bump to invalidate every entry (e.g. when the storage format changes).
FORMAT_VERSION = "1"
#: Libraries whose version is part of every key (pickled objects, geometry results).
LIBRARIES = ("shapely", "pyproj", "numpy", "pyyaml")

T = TypeVar("T")
_log = logging.getLogger(__name__)


def enabled() -> bool:
    """False when KARABAKH_MAP_CACHE is off/0/false/no."""
    return os.environ.get("KARABAKH_MAP_CACHE", "on").strip().lower() not in (
        "off",
        "0",
        "false",
        "no",
    )


def cache_dir() -> Path:
    """Where entries live (KARABAKH_MAP_CACHE_DIR or .cache/derived in the checkout)."""
    env = os.environ.get("KARABAKH_MAP_CACHE_DIR")
    return Path(env) if env else DEFAULT_DIR


def file_digest(paths: Iterable[Path | str]) -> str:
    """sha256 over the names and bytes of files (a missing file counts as absent)."""
    h = hashlib.sha256()
    for p in paths:
        p = Path(p)
        h.update(p.name.encode() + b"\0")
        try:
            h.update(p.read_bytes())
        except FileNotFoundError:
            h.update(b"<missing>")
        h.update(b"\0")
    return h.hexdigest()


def source_digest(*modules: Any) -> str:
    """sha256 of the source files of modules (the code that derives a result)."""
    return file_digest(Path(m.__file__) for m in modules)


@lru_cache(maxsize=1)
def _versions() -> str:
    out = [FORMAT_VERSION, platform.python_version(), str(pickle.HIGHEST_PROTOCOL)]
    for lib in LIBRARIES:
        try:
            out.append(f"{lib}={metadata.version(lib)}")
        except metadata.PackageNotFoundError:
            out.append(f"{lib}=?")
    try:
        import shapely

        out.append(f"geos={shapely.geos_version_string}")
    except ImportError:  # pragma: no cover - shapely is a dependency
        pass
    return ";".join(out)


def make_key(*parts: str) -> str:
    """A short key from digests/strings plus the Python and library versions."""
    h = hashlib.sha256(_versions().encode())
    for part in parts:
        h.update(b"\0" + str(part).encode())
    return h.hexdigest()[:20]


def _path(name: str, key: str, fmt: str) -> Path:
    return cache_dir() / f"{name}-{key}.{fmt}"


def _read(path: Path, fmt: str) -> Any:
    data = path.read_bytes()
    if fmt == "json":
        return json.loads(data.decode("utf-8"))
    return pickle.loads(data)  # only our own private cache folder, see module doc


def _write(path: Path, value: Any, fmt: str) -> None:
    if fmt == "json":
        data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    else:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    write_atomic(path, data)  # readers see the whole file or none


def _prune(name: str, fmt: str, keep: Path) -> None:
    """Delete older entries of `name` beyond KEEP_PER_NAME (most recently written kept)."""
    entries = []
    for p in cache_dir().glob(f"{name}-*.{fmt}"):
        stem = p.name[len(name) + 1 : -len(fmt) - 1]
        if len(stem) != 20 or not all(c in "0123456789abcdef" for c in stem):
            continue  # another name that merely starts with ours
        with contextlib.suppress(OSError):
            entries.append((p.stat().st_mtime, p))
    entries.sort(reverse=True)
    for _, p in entries[KEEP_PER_NAME:]:
        if p != keep:
            p.unlink(missing_ok=True)


def cached(name: str, key: str, compute: Callable[[], T], fmt: str = "pickle") -> T:
    """The stored result for (name, key), or compute() stored for next time.

    ``fmt`` is "pickle" (any picklable object, e.g. shapely geometries) or "json". An
    unreadable entry is recomputed and replaced; a failed write is ignored (logged).
    """
    if fmt not in ("pickle", "json"):
        raise ValueError(f"unknown cache format {fmt!r}")
    if not enabled():
        return compute()
    path = _path(name, key, fmt)
    try:
        return _read(path, fmt)
    except FileNotFoundError:
        pass
    except Exception:  # a truncated/stale entry must never stop the app
        _log.warning("cache entry %s unreadable; rebuilding it", path, exc_info=True)
    value = compute()
    try:
        _write(path, value, fmt)
        _prune(name, fmt, path)
    except OSError as exc:  # read-only checkout: fine, just slower next start
        _log.info("cannot write cache entry %s: %s", path, exc)
    return value
