"""Facade (until the import sites move): kmap.map.component, which takes the session state
as a parameter so that kmap imports nothing of Streamlit. This facade still passes
st.session_state itself; it goes once ui/ calls kmap.map.component.draw_map directly."""

from __future__ import annotations

from collections.abc import Iterable

import folium
import streamlit as st

from kmap.map import component as _impl
from kmap.map.builder import MapView
from kmap.map.component import component_args


def draw_map(
    view: MapView,
    specs: list[dict],
    state: folium.FeatureGroup,
    *,
    key: str,
    height: int,
    returned_objects: Iterable[str] = ("center", "zoom", "bounds"),
) -> dict | None:
    """kmap.map.component.draw_map with Streamlit's session state."""
    return _impl.draw_map(
        view,
        specs,
        state,
        key=key,
        height=height,
        session_state=st.session_state,
        returned_objects=returned_objects,
    )


__all__ = ["component_args", "draw_map"]
