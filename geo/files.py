"""The one atomic writer: a file appears whole or not at all, for readers in other threads and
processes (the derived-data cache, published datasets, exports). A temporary file beside the
target is written and then moved onto it (``os.replace`` is atomic on one file system); on any
error the temporary file is removed and the target is left as it was."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(target: Path | str, mode: int | None = None) -> Iterator[Path]:
    """A fresh temporary path beside ``target`` (no file there yet: a writer such as GDAL makes
    it); moved onto ``target`` when the block ends without error, else removed. ``mode`` sets
    the permissions (mkstemp's are 0600; files served to browsers want 0644)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}-", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    tmp.unlink()  # each caller's own unique name; the writer creates the file
    try:
        yield tmp
        if mode is not None:
            tmp.chmod(mode)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_atomic(target: Path | str, data: bytes | str, mode: int | None = None) -> None:
    """Write ``data`` (text as UTF-8) to ``target`` atomically."""
    with replacing(target, mode) as tmp:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
