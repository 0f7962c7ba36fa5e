"""The map component with its base map rendered once per map setup, not on every rerun.

`st_folium` renders the whole folium map to HTML and JavaScript on every call: at 20k events
that was 50-90 ms of each slider move, most of it Jinja compiling the same link templates again.
The base map changes only with its setup (basemap, names, layers, where it was first drawn,
the published data files); a slider move changes only the small state group. So the component
arguments of a setup are made once, by `st_folium` itself with its component call captured, and
reused; each rerun renders only the state group and sends both. What reaches the browser is what
`st_folium` would send (tests/unit/test_component.py compares them).

This is the one module that knows streamlit-folium's internals (`_component_func`,
`_get_feature_group_string`, `generate_js_hash`); the test above pins them. It does not import
Streamlit itself: the caller passes its session state (`st.session_state`).
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, MutableMapping

import folium
import streamlit_folium as sf

from kmap.map.builder import MapView, build_map
from kmap.map.elements import DatasetSetup

#: Map setups kept (each ~20-40 kB of strings): a few per session's layer choices.
MAX_SETUPS = 64

_component = sf._component_func  # the real Streamlit component, called directly below
_lock = threading.Lock()  # st_folium's helpers mutate the map; sessions run in threads
_setups: OrderedDict[Hashable, tuple[dict, folium.Map]] = OrderedDict()


def _capture_args(fmap: folium.Map, **kwargs: object) -> dict:
    """The arguments `st_folium(fmap, **kwargs)` would give the component (nothing rendered)."""
    captured: dict = {}

    def record(**args: object) -> None:
        captured.update(args)

    sf._component_func = record  # only our own calls reach st_folium, and only under _lock
    try:
        sf.st_folium(fmap, **kwargs)
    finally:
        sf._component_func = _component
    return captured


def component_args(
    setup_key: Hashable,
    build: Callable[[], folium.Map],
    state: folium.FeatureGroup,
    *,
    height: int,
    returned_objects: Iterable[str],
) -> dict:
    """Component arguments for the map of `setup_key` (built by `build` on first use) with
    `state` as the feature group sent this rerun. Without key/on_change (see `map_component`)."""
    returned = list(returned_objects)
    cache_key = (setup_key, height, tuple(returned))
    with _lock:
        hit = _setups.get(cache_key)
        if hit is None:
            fmap = build()
            args = _capture_args(
                fmap, height=height, use_container_width=True, returned_objects=returned
            )
            hit = ({k: v for k, v in args.items() if k not in ("key", "on_change")}, fmap)
            _setups[cache_key] = hit
            while len(_setups) > MAX_SETUPS:
                _setups.popitem(last=False)
        else:
            _setups.move_to_end(cache_key)
        base, fmap = hit
        feature_group = sf._get_feature_group_string(state, map=fmap, idx=0)
    return {**base, "feature_group": feature_group}


def map_component(
    setup_key: Hashable,
    build: Callable[[], folium.Map],
    state: folium.FeatureGroup,
    *,
    key: str,
    height: int,
    returned_objects: Iterable[str],
    session_state: MutableMapping,
) -> dict | None:
    """Draw the map (like `st_folium(build(), key=key, feature_group_to_add=state, ...)`) and
    return what the browser reported (center, zoom, bounds). `session_state`: Streamlit's."""
    args = component_args(setup_key, build, state, height=height, returned_objects=returned_objects)
    hash_key = sf.generate_js_hash(args["script"], key, args["return_on_hover"])

    def on_change() -> None:  # what st_folium does: mirror the value under the caller's key
        session_state[key] = session_state.get(hash_key, {})

    return _component(**args, key=hash_key, on_change=on_change)


def draw_map(
    view: MapView,
    specs: list[dict],
    state: folium.FeatureGroup,
    *,
    key: str,
    height: int,
    session_state: MutableMapping,
    returned_objects: Iterable[str] = ("center", "zoom", "bounds"),
) -> dict | None:
    """The app's map: the base map of `view` with the datasets of `specs` (made once per such
    setup) and this rerun's state group; returns what the browser reported.
    `session_state`: Streamlit's (st.session_state)."""

    def build() -> folium.Map:
        fmap = build_map(view)
        DatasetSetup(specs).add_to(fmap)
        return fmap

    setup = (view, json.dumps(specs, sort_keys=True))
    return map_component(
        setup,
        build,
        state,
        key=key,
        height=height,
        returned_objects=returned_objects,
        session_state=session_state,
    )
