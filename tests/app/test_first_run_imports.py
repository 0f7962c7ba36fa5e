"""A page's first run leaves the libraries only briefings, decks and animations need
(matplotlib, pyproj, python-pptx) unimported: each server holds ~40 MB less until someone
asks for one (docs/benchmarks.md, "One session with 100,000 events")."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO

PROBE = """
import json, sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("app.py", default_timeout=120)
at.run()
print(json.dumps({
    "exceptions": [e.value for e in at.exception],
    "tabs": [t.label for t in at.tabs],
    "loaded": sorted(m for m in ("matplotlib", "pyproj", "pptx") if m in sys.modules),
}))
"""


def test_the_first_run_imports_no_briefing_library() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, check=True
    )
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["exceptions"] == []
    assert "Export briefing" in got["tabs"]  # the page was drawn, its briefing tab included
    assert got["loaded"] == []
