"""Helpers to read what the app sent to the map component (AppTest sees its JSON args)."""

from __future__ import annotations

import json
import re

from streamlit.testing.v1 import AppTest

from kmap.map.masks import decode_mask
from tests.conftest import REPO


def new_app(**query: str) -> AppTest:
    """AppTest of app.py with URL query parameters, run once, no exception."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def map_args(at: AppTest) -> dict:
    """JSON args of the st_folium component."""
    found = [
        el
        for el in at.get("component_instance")
        if "st_folium" in getattr(el.proto, "component_name", "")
    ]
    assert found, "no st_folium component rendered"
    return json.loads(found[0].proto.json_args)


def map_state(at: AppTest) -> dict:
    """The state object the feature group sends (masks, banner, legend, changes)."""
    fg = map_args(at)["feature_group"]
    m = re.search(r"KMap\.time\.receive\(window\.kmapMap, (\{.*\})\);\n", fg, re.S)
    assert m, "no state in the feature group"
    return json.loads(m.group(1))


def shown(at: AppTest, layer: str) -> int:
    """How many features of a dataset the map is told to show."""
    mask = map_state(at)["masks"].get(layer)
    if mask is None:
        return 0
    return sum(decode_mask(mask))  # padding bits are 0


def timeline_data(at: AppTest) -> dict:
    """The data the timeline strip (ui.timeline, a components v2 element) was sent."""
    found = [el for el in at.get("bidi_component") if el.proto.component_name == "kmap_timeline"]
    assert found, "no timeline strip rendered"
    return json.loads(found[0].proto.json)


def set_window(at: AppTest, start: object, end: object) -> AppTest:
    """What the strip does when the user lets go of it: its window through ui.timeline."""
    at.session_state["dates"] = (start, end)
    return at.run()
