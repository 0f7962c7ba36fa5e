"""The sidebar: filters, map settings and the user's data (a change reruns the whole app)."""

from __future__ import annotations

import streamlit as st

from events import Catalogue
from kmap.config import BASEMAPS
from kmap.situation import actor_choices
from kmap.viewstate import ALL_LAYERS
from palette import EVENT_STYLES, PRECISION_LABELS, TOPONYM_MODES
from ui import upload
from ui.upload import Loaded


def _filters(data: Loaded) -> None:
    st.header("Filters")
    st.multiselect(
        "Event types",
        list(EVENT_STYLES),
        key="types",
        format_func=lambda t: EVENT_STYLES[t].label,
        placeholder="All types",
    )
    st.multiselect("Actors", actor_choices(data.events), key="actors", placeholder="All actors")
    st.text_input("Text", key="text", placeholder="Search title, summary, place…")
    st.multiselect(
        "Location precision",
        list(PRECISION_LABELS),
        key="precisions",
        format_func=PRECISION_LABELS.__getitem__,
        placeholder="Any precision",
    )
    st.checkbox("Exact locations only", key="exact_only")


def _map_settings() -> None:
    st.header("Map")
    st.multiselect("Layers", list(ALL_LAYERS), key="layers", format_func=ALL_LAYERS.__getitem__)
    st.selectbox("Basemap", list(BASEMAPS), key="basemap", format_func=BASEMAPS.__getitem__)
    st.radio(
        "Place names", list(TOPONYM_MODES), key="toponyms", format_func=TOPONYM_MODES.__getitem__
    )


def draw(catalogue: Catalogue, data: Loaded) -> None:
    """The whole sidebar, and the catalogue's problems if it has any."""
    with st.sidebar:
        _filters(data)
        _map_settings()
        upload.data_section(catalogue, data)
        if catalogue.issues:
            with st.expander(f"⚠ {len(catalogue.issues)} catalogue problem(s)"):
                st.text("\n".join(str(i) for i in catalogue.issues))
