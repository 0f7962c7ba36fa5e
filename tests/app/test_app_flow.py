"""Streamlit AppTest: app.py runs and the map component carries the layers."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO


def _map_component(at: AppTest):
    """The st_folium component element (AppTest sees it as an unknown element)."""
    found = [
        el
        for el in at.get("component_instance")
        if "st_folium" in getattr(el.proto, "component_name", "")
    ]
    assert found, "no st_folium component rendered"
    return found[0]


@pytest.fixture()
def at() -> AppTest:
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    app.run()
    assert not app.exception, app.exception
    return app


def _script(at: AppTest) -> str:
    args = json.loads(_map_component(at).proto.json_args)
    return args["script"]


def test_app_runs_and_map_has_layers(at: AppTest) -> None:
    script = _script(at)
    for layer in ("land", "lakes", "rivers", "districts", "nkao", "enclaves", "enclave_points"):
        assert f'"name":"{layer}"' in script, layer
    assert "/app/static/data/nkao.geojson" in script
    assert "Stepanakert / Khankendi" in script
    assert "cdn." not in script and "https://" not in script.split("attribution")[0]


def test_layer_toggle_removes_layer(at: AppTest) -> None:
    at.multiselect(key="layers").set_value(["districts", "labels"]).run()
    script = _script(at)
    assert '"name":"districts"' in script
    assert '"name":"nkao"' not in script


def test_toponym_mode(at: AppTest) -> None:
    at.radio(key="toponyms").set_value("azerbaijani").run()
    script = _script(at)
    assert '"text":"Khankendi"' in script
    assert "Stepanakert / Khankendi" not in script


def test_online_basemap_is_optional(at: AppTest) -> None:
    at.selectbox(key="basemap").set_value("osm").run()
    script = _script(at)
    assert "tile.openstreetmap.org" in script
    assert '"name":"land"' not in script  # tiles draw land; the vector land layer is off
