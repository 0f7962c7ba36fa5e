"""Shared fixtures: repo paths, the reference geodata folder (../shared, optional).

Tests write nothing into the checkout: before any of our modules is imported, the derived-data
cache, the app's static files and hypothesis' example database are pointed at one temporary
folder per run (scripts/run-tests.sh checks the checkout is unchanged afterwards).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.database import DirectoryBasedExampleDatabase

REPO = Path(__file__).resolve().parents[1]
SCRATCH = Path(os.environ.get("KARABAKH_MAP_TEST_SCRATCH") or tempfile.mkdtemp(prefix="kmap-"))
os.environ.setdefault("KARABAKH_MAP_CACHE_DIR", str(SCRATCH / "cache"))
os.environ.setdefault("KARABAKH_MAP_STATIC_DIR", str(SCRATCH / "static"))
set_hypothesis_home_dir(SCRATCH / "hypothesis")  # its caches (e.g. constants/), not ./.hypothesis
settings.register_profile(
    "karabakh-map", database=DirectoryBasedExampleDatabase(SCRATCH / "hypothesis")
)
settings.load_profile("karabakh-map")


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    """The repository root."""
    return REPO


@pytest.fixture(scope="session")
def shared_geodata() -> Path:
    """../shared/geodata (reference layers, never committed); skip when absent."""
    path = REPO.parent / "shared" / "geodata"
    if not path.is_dir():
        pytest.skip(f"reference geodata not found at {path} (checkout without ../shared)")
    return path


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test by its layer folder, so `-m unit|app|browser` runs one layer alone."""
    for item in items:
        parts = Path(str(item.fspath)).relative_to(REPO).parts
        if len(parts) > 2 and parts[1] in ("unit", "app", "browser"):
            item.add_marker(getattr(pytest.mark, parts[1]))
