"""The server's warm-up (ui.warmup, run by server.py before it listens) builds what a first
run needs and never imports a Streamlit component: one declared before Streamlit's runtime
exists is not served, and the map's frame would stay blank."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO

PROBE = """
import json, sys
from ui.warmup import warm_up
warm_up()
from events.query import _INDEXES
from kmap.datasets import control_collection, zones_collection
print(json.dumps({
    "components": sorted(m for m in sys.modules if m.startswith(("streamlit_folium", "ui."))
                         and m != "ui.warmup"),
    "folium": "folium" in sys.modules,
    "indexes": len(_INDEXES),
    "cached": [control_collection.cache_info().currsize, zones_collection.cache_info().currsize],
}))
"""


def test_warm_up_builds_the_first_run_and_imports_no_component() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, check=True
    )
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["components"] == []
    assert got["folium"] is True
    assert got["indexes"] >= 1  # the catalogue's event index
    assert got["cached"] == [1, 1]
