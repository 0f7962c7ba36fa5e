"""Baseline for the benchmarks: the common tutorial approach, on the same offline assets.

One folium.Marker per event (with a tooltip: folium's popups need jQuery, which the offline
asset set leaves out), in a map rebuilt on every rerun and handed to st_folium without
`feature_group_to_add` (so the whole map, markers included, is re-sent and re-drawn on each
slider move). Events come from an ACLED CSV uploaded through st.file_uploader, like the app.
Leaflet and the marker images are served locally (kmap.map.assets.use_local_assets), so it runs
offline. A small script at the end of the map marks the container with the same
`data-kmap-events-state` / `data-kmap-events-shown` attributes the app sets, so "painted" is
measured the same way for both.

Run by benchmarks/run.py: streamlit run benchmarks/baseline_app.py
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import sys
from pathlib import Path

import folium
import pandas as pd
import streamlit as st
from branca.element import MacroElement
from jinja2 import Template
from streamlit_folium import st_folium

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kmap.map.assets import ensure_static, use_local_assets

EARLIEST = dt.date(1988, 1, 1)


class _IconPath(MacroElement):
    """Point Leaflet's default marker icon at the local copy (st_folium loads CSS late)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
L.Icon.Default.imagePath = "/app/static/vendor/leaflet/images/";
{% endmacro %}
"""
    )


class _Mark(MacroElement):
    """Set the container attributes the benchmark waits for (after every marker is added)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (c) {
  c.setAttribute("data-kmap-events-shown", "{{ this.n }}");
  c.setAttribute("data-kmap-events-state", "{{ this.token }}");
})({{ this._parent.get_name() }}.getContainer());
{% endmacro %}
"""
    )

    def __init__(self, token: str, n: int) -> None:
        super().__init__()
        self._name = "BenchMark"
        self.token, self.n = token, n


@st.cache_resource
def _static() -> str:
    """Streamlit serves ./static next to the main script: benchmarks/static (git-ignored)."""
    return str(ensure_static(Path(__file__).resolve().parent / "static"))


@st.cache_data
def _read(data: bytes) -> pd.DataFrame:
    df = pd.read_csv(io.BytesIO(data), usecols=["event_date", "latitude", "longitude", "location"])
    df["date"] = pd.to_datetime(df["event_date"]).dt.date
    return df


_static()
up = st.sidebar.file_uploader("Your data", type=["csv"], key="upload")
df = _read(up.getvalue()) if up is not None else None
start, end = st.sidebar.slider(
    "Events between",
    min_value=EARLIEST,
    max_value=dt.date.today(),
    value=(EARLIEST, dt.date.today()),
    format="YYYY-MM-DD",
    key="dates",
)

m = folium.Map(location=[39.75, 46.2], zoom_start=8, tiles=None)
m.options["max_zoom"] = 14
use_local_assets(m)
_IconPath().add_to(m)
n = 0
if df is not None:
    shown = df[(df["date"] >= start) & (df["date"] <= end)]
    rows = zip(shown["latitude"], shown["longitude"], shown["location"], strict=True)
    for lat, lon, place in rows:
        folium.Marker([lat, lon], tooltip=str(place)).add_to(m)
    n = len(shown)
token = hashlib.sha1(f"{start}|{end}|{n}|{up is not None}".encode()).hexdigest()[:12]
_Mark(token, n).add_to(m)
st.write(f"{n} events shown")
st_folium(m, key="map", height=600, use_container_width=True, returned_objects=[])
