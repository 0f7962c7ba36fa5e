"""Shared fixtures: repo paths, the reference geodata folder (../shared, optional)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


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
