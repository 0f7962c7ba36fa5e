"""docs/deployment.md documents every setting of .streamlit/config.toml, with its value."""

from __future__ import annotations

import json
import re
import tomllib

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.unit

CONFIG = REPO / ".streamlit" / "config.toml"
DOC = REPO / "docs" / "deployment.md"


def _settings() -> dict[str, object]:
    data = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    return {
        f"{section}.{key}": value for section, opts in data.items() for key, value in opts.items()
    }


def _toml_value(value: object) -> str:
    """The value as TOML writes it: true, 50, "none"."""
    return json.dumps(value)


def test_every_setting_is_documented_with_its_value() -> None:
    doc = DOC.read_text(encoding="utf-8")
    rows = {
        m.group(1): m.group(2)
        for m in re.finditer(r"^\| `([\w.]+)` \| `([^`]*)` \|", doc, re.MULTILINE)
    }
    settings = _settings()
    assert settings, "no settings read"
    missing = [k for k in settings if k not in rows]
    assert not missing, f"settings not documented in {DOC.name}: {missing}"
    stale = {k: (rows[k], _toml_value(v)) for k, v in settings.items() if rows[k] != _toml_value(v)}
    assert not stale, f"documented value differs from config.toml (doc, file): {stale}"
    unknown = [k for k in rows if k not in settings]
    assert not unknown, f"{DOC.name} documents settings that config.toml does not set: {unknown}"


def test_production_values() -> None:
    s = _settings()
    assert s["client.showErrorDetails"] == "none"  # false would mean "stacktrace"
    assert s["client.toolbarMode"] == "viewer"
    assert s["server.enableXsrfProtection"] is True
    assert s["server.enableCORS"] is True  # true restricts cross-origin access
    assert s["browser.gatherUsageStats"] is False
    assert s["server.enableStaticServing"] is True
    assert 0 < s["server.maxUploadSize"] <= 200


def test_deployment_doc_covers_the_operations_topics() -> None:
    doc = DOC.read_text(encoding="utf-8").lower()
    for topic in (
        "/_stcore/health",
        "sticky",
        "replica",
        "tls",
        "air-gapped",
        "maxuploadsize",
        "hash of its content",
    ):
        assert topic in doc, topic
