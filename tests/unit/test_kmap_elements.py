"""Our scripts in folium's page: JSON that cannot break out, the small per-rerun state group."""

from __future__ import annotations

import json

from folium import Map

from kmap.map.elements import js_json, state_group
from kmap.map.masks import mask_b64


def test_js_json_cannot_break_out_of_script() -> None:
    s = js_json({"t": "</script><img src=x onerror=alert(1)>"})
    assert "</script>" not in s and "<img" not in s
    assert json.loads(s)["t"] == "</script><img src=x onerror=alert(1)>"


def test_state_group_script_is_small_and_escaped() -> None:
    masks = {"events": mask_b64([True] * 20_000)}
    fg = state_group(masks, ["Situation as of 1 May 2021", "</script><b>x</b>"])
    m = Map(tiles=None)
    fg.add_to(m)
    js = m.get_root().render()
    assert "KMap.time.receive" in js
    assert "</script><b>" not in js
