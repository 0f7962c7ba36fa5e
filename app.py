"""karabakh-map: Streamlit entry point. Widgets -> view state -> calls into kmap/geo/events."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from kmap.assets import ensure_static
from kmap.builder import BASEMAPS, TOGGLEABLE, MapView, build_map
from kmap.styles import TOPONYM_MODES

st.set_page_config(page_title="karabakh-map", page_icon=":world_map:", layout="wide")


@st.cache_resource
def _static_ready() -> str:
    """Copy vendored assets and basemap layers into ./static once per server process."""
    return str(ensure_static())


_static_ready()

with st.sidebar:
    st.header("Map")
    basemap = st.selectbox(
        "Basemap", list(BASEMAPS), format_func=BASEMAPS.__getitem__, key="basemap"
    )
    toponyms = st.radio(
        "Place names", list(TOPONYM_MODES), format_func=TOPONYM_MODES.__getitem__, key="toponyms"
    )
    layers = st.multiselect(
        "Layers",
        list(TOGGLEABLE),
        default=list(TOGGLEABLE),
        format_func=TOGGLEABLE.__getitem__,
        key="layers",
    )

view = MapView(basemap=basemap, toponyms=toponyms, layers=frozenset(layers))

st.title("karabakh-map")
st.caption(
    "Karabakh, the Lachin corridor, Nakhchivan and the Soviet-era enclaves. "
    "Boundaries are shown for reference; they imply no judgement on legal status."
)
st_folium(
    build_map(view),
    key=f"map-{view.basemap}-{view.toponyms}-{'-'.join(sorted(view.layers))}",
    height=680,
    use_container_width=True,
    returned_objects=[],
)
