"""The cached map component sends what st_folium would send, and renders the base once."""

from __future__ import annotations

import pytest
import streamlit_folium as sf

from kmap.map import component
from kmap.map.builder import MapView, build_map
from kmap.map.elements import state_group

VIEW = MapView(basemap="offline", toponyms="both", layers=frozenset({"events", "control"}))


def _state(end: int) -> object:
    return state_group({"events": f"r0,{end}"}, ["Situation as of", f"day {end}"])


def _reference(state: object) -> dict:
    """The component arguments of a plain st_folium call on a freshly built map."""
    return component._capture_args(
        build_map(VIEW),
        height=500,
        use_container_width=True,
        returned_objects=["zoom"],
        feature_group_to_add=state,
    )


def _strip_ids(text: str) -> str:
    """folium gives every element a random id: compare the code without them."""
    import re

    return re.sub(r"_[0-9a-f]{32}", "_ID", text)


def test_same_arguments_as_st_folium() -> None:
    builds: list[int] = []

    def build() -> object:
        builds.append(1)
        return build_map(VIEW)

    for end in (3, 7):
        got = component.component_args(
            ("test-same", VIEW), build, _state(end), height=500, returned_objects=["zoom"]
        )
        want = _reference(_state(end))
        assert set(got) == set(want) - {"key", "on_change"}
        for name in got:
            assert _strip_ids(str(got[name])) == _strip_ids(str(want[name])), name
        assert f"r0,{end}" in got["feature_group"]
    assert len(builds) == 1  # the base map was built and rendered once for both reruns


def test_setups_are_separate_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(component, "MAX_SETUPS", 2)
    monkeypatch.setattr(component, "_setups", type(component._setups)())
    other = MapView(basemap="osm", layers=frozenset({"events"}))
    scripts = {}
    for i, view in enumerate((VIEW, other, VIEW, other)):
        args = component.component_args(
            ("test-bounded", view, i),
            lambda v=view: build_map(v),
            _state(1),
            height=500,
            returned_objects=[],
        )
        scripts[i] = args["script"]
    assert len(component._setups) == 2
    assert _strip_ids(scripts[0]) == _strip_ids(scripts[2])
    assert _strip_ids(scripts[0]) != _strip_ids(scripts[1])


def test_capture_restores_the_component() -> None:
    component.component_args(
        ("test-restore",), lambda: build_map(VIEW), _state(1), height=500, returned_objects=[]
    )
    assert sf._component_func is component._component
