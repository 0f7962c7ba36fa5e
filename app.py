"""karabakh-map: Streamlit entry point. Widgets -> ViewState -> calls into kmap/geo/events."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from functools import partial

import streamlit as st
from streamlit_folium import st_folium

from events import load_catalogue
from events.exporters import to_csv, to_geojson, to_kml
from events.importers import ImportFormatError, import_file
from kmap import charts, dashboard
from kmap.assets import DEFAULT_STATIC_DIR, ensure_static
from kmap.builder import BASEMAPS, MapView, build_map
from kmap.dynamic import DatasetSetup, dataset_specs, publish, state_group
from kmap.presentation import MAP_HEIGHT, PRESENTATION_CSS, PRESENTATION_MAP_HEIGHT
from kmap.safetext import md_escape
from kmap.styles import EVENT_STYLES, PRECISION_LABELS, TOPONYM_MODES
from kmap.viewstate import ALL_LAYERS, EARLIEST, PRESETS, ViewState, from_query, to_query

st.set_page_config(page_title="karabakh-map", page_icon=":world_map:", layout="wide")


@st.cache_resource(max_entries=1)
def _static_ready() -> str:
    """Copy vendored assets and basemap layers into ./static once per server process."""
    return str(ensure_static())


@st.cache_resource(max_entries=1)
def _published_situation() -> dict:
    """Write control periods and zones once per process; the browser fetches them once."""
    return {
        "control": publish("control", dashboard.control_collection(), DEFAULT_STATIC_DIR),
        "zones": publish("zones", dashboard.zones_collection(), DEFAULT_STATIC_DIR),
    }


def _published_events(event_list: list, key: tuple) -> object:
    """Publish this session's event set once per (data, names) key; reruns reuse the file."""
    cache = st.session_state.setdefault("_events_file", {})
    if key not in cache or not cache[key].path.exists():  # pruned: write it again
        cache.clear()
        cache[key] = publish(
            "events", dashboard.events_collection(event_list, key[-1]), DEFAULT_STATIC_DIR
        )
    return cache[key]


def _on_upload() -> None:
    """Import an uploaded file (ACLED, UCDP GED, our CSV/GeoJSON); report rejected rows."""
    up = st.session_state.get("upload")
    st.session_state.upload_error = None
    if up is None:
        st.session_state.imported = None
        return
    try:
        result = import_file(up.getvalue(), up.name, st.session_state.upload_format)
    except (ImportFormatError, UnicodeError, ValueError) as exc:
        st.session_state.imported = None
        st.session_state.upload_error = str(exc)
        return
    except Exception as exc:  # a bad upload must never stop the app; details go to the log
        logging.getLogger("karabakh-map").exception("import of %r failed", up.name)
        st.session_state.imported = None
        st.session_state.upload_error = f"{up.name}: could not be read ({type(exc).__name__})"
        return
    digest = hashlib.sha256(up.getvalue()).hexdigest()[:12]
    st.session_state.imported = (up.name, digest, result)


@st.cache_data(max_entries=1)
def _area_series() -> list:
    return dashboard.area_series()


_static_ready()
catalogue = load_catalogue()
TODAY = dt.date.today()
st.session_state.setdefault("imported", None)
st.session_state.setdefault("upload_error", None)
st.session_state.setdefault("use_catalogue", True)
imported = st.session_state.imported
events = (list(catalogue.events) if st.session_state.use_catalogue else []) + (
    list(imported[2].events) if imported else []
)

# ---- first run of a session: the URL is the initial state ---------------------------------
if "_init" not in st.session_state:
    v0, problems = from_query(st.query_params.to_dict())
    st.session_state.update(
        _init=True,
        url_problems=problems,
        dates=(v0.start, v0.end),
        types=list(v0.types),
        actors=list(v0.actors),
        text=v0.text,
        precisions=list(v0.precisions),
        exact_only=v0.exact_only,
        layers=[k for k in ALL_LAYERS if k in v0.layers],
        basemap=v0.basemap,
        toponyms=v0.toponyms,
        center=v0.center,
        zoom=v0.zoom,
        map_origin=(v0.center, v0.zoom),  # where this session's map was first drawn
        present=v0.present,
    )


def _apply_preset() -> None:
    name = st.session_state.get("preset")
    if name in PRESETS:
        st.session_state.dates = PRESETS[name]


def _set_from() -> None:
    st.session_state.dates = (st.session_state.date_from, st.session_state.dates[1])


def _set_to() -> None:
    st.session_state.dates = (st.session_state.dates[0], st.session_state.date_to)


def _step(direction: int) -> None:
    start, end = st.session_state.dates
    start, end = dashboard.step_window(start, end, st.session_state.step_unit, direction)
    st.session_state.dates = (start, end)


# ---- sidebar: time, filters, layers -------------------------------------------------------
with st.sidebar:
    st.header("Time")
    st.selectbox(
        "Preset",
        ["(custom)", *PRESETS],
        key="preset",
        on_change=_apply_preset,
        help="Sets the date range; its end is the 'as of' day of the map.",
    )
    st.slider(
        "Events between",
        min_value=EARLIEST,
        max_value=TODAY,
        key="dates",
        format="YYYY-MM-DD",
        help="The range's end is the 'as of' day: control, peacekeepers and corridor as they "
        "stood that day.",
    )
    c1, c2 = st.columns(2)
    st.session_state.date_from, st.session_state.date_to = st.session_state.dates
    c1.date_input("From", min_value=EARLIEST, max_value=TODAY, key="date_from", on_change=_set_from)
    c2.date_input("As of", min_value=EARLIEST, max_value=TODAY, key="date_to", on_change=_set_to)
    p1, p2 = st.columns(2)
    p1.button(
        "◀ Back",
        key="step_back",
        on_click=_step,
        args=(-1,),
        width="stretch",
        help="Move the date window back by one step",
    )
    p2.button(
        "Forward ▶",
        key="step_fwd",
        on_click=_step,
        args=(1,),
        width="stretch",
        help="Move the date window forward by one step",
    )
    p3, p4 = st.columns(2)
    p3.selectbox("Step", ["day", "week", "month"], index=1, key="step_unit")
    playing = p4.toggle("Play", key="play", help="Step forward every second until today")

    st.header("Filters")
    st.multiselect(
        "Event types",
        list(EVENT_STYLES),
        key="types",
        format_func=lambda t: EVENT_STYLES[t].label,
        placeholder="All types",
    )
    st.multiselect(
        "Actors", dashboard.actor_choices(events), key="actors", placeholder="All actors"
    )
    st.text_input("Text", key="text", placeholder="Search title, summary, place…")
    st.multiselect(
        "Location precision",
        list(PRECISION_LABELS),
        key="precisions",
        format_func=PRECISION_LABELS.__getitem__,
        placeholder="Any precision",
    )
    st.checkbox("Exact locations only", key="exact_only")

    st.header("Map")
    st.multiselect("Layers", list(ALL_LAYERS), key="layers", format_func=ALL_LAYERS.__getitem__)
    st.selectbox("Basemap", list(BASEMAPS), key="basemap", format_func=BASEMAPS.__getitem__)
    st.radio(
        "Place names", list(TOPONYM_MODES), key="toponyms", format_func=TOPONYM_MODES.__getitem__
    )

    st.header("Your data")
    st.selectbox(
        "Format", ["auto", "acled", "ucdp", "csv", "geojson"], key="upload_format"
    )  # before the uploader: _on_upload reads it
    st.file_uploader(
        "ACLED, UCDP GED or karabakh-map CSV / GeoJSON",
        type=["csv", "geojson", "json"],
        key="upload",
        on_change=_on_upload,
    )
    st.checkbox("Include the curated catalogue", key="use_catalogue")
    if st.session_state.upload_error:
        st.error(md_escape(st.session_state.upload_error))
    if imported:
        res = imported[2]
        st.caption(
            f"{md_escape(imported[0])}: {len(res.events):,} events, {len(res.rejected):,} rejected"
        )
        for w in res.warnings:
            st.warning(md_escape(w))
        if res.rejected:
            with st.expander(f"{len(res.rejected):,} rejected row(s)"):
                st.dataframe(dashboard.rejections_frame(res.rejected[:1000]), hide_index=True)

    for msg in st.session_state.url_problems:
        st.warning(msg)
    if catalogue.issues:
        with st.expander(f"⚠ {len(catalogue.issues)} catalogue problem(s)"):
            st.text("\n".join(str(i) for i in catalogue.issues))

view = ViewState(
    start=st.session_state.dates[0],
    end=st.session_state.dates[1],
    types=tuple(st.session_state.types),
    actors=tuple(st.session_state.actors),
    text=st.session_state.text,
    precisions=tuple(st.session_state.precisions),
    exact_only=st.session_state.exact_only,
    layers=frozenset(st.session_state.layers),
    basemap=st.session_state.basemap,
    toponyms=st.session_state.toponyms,
    center=st.session_state.center,
    zoom=st.session_state.zoom,
    present=st.session_state.present,
)
st.query_params.from_dict(to_query(view))
if view.present:
    st.markdown(PRESENTATION_CSS, unsafe_allow_html=True)
    st.button(
        "Exit presentation mode",
        key="exit_present",
        on_click=lambda: st.session_state.update(present=False),
    )

# ---- map: base built per (basemap, names, layers); time state travels as a small group ----
sit = dashboard.situation(events, view)
if not view.present:
    st.title("karabakh-map")
    st.markdown(f"**{sit.banner[0]}** · {sit.banner[1]}")

files = dict(_published_situation())
files["events"] = _published_events(
    events,
    (st.session_state.use_catalogue, imported[1] if imported else None, view.toponyms),
)
origin_center, origin_zoom = st.session_state.map_origin
mv = MapView(
    basemap=view.basemap,
    toponyms=view.toponyms,
    layers=view.layers,
    center=origin_center,
    zoom=origin_zoom,
)
fmap = build_map(mv)
on = dashboard.datasets_on(view)
DatasetSetup(dataset_specs({k: f.url for k, f in files.items() if k in on})).add_to(fmap)
out = st_folium(
    fmap,
    key="map-" + dashboard.map_key(view),
    height=PRESENTATION_MAP_HEIGHT if view.present else MAP_HEIGHT,
    use_container_width=True,
    feature_group_to_add=state_group(
        sit.masks,
        sit.banner,
        dashboard.changes_geojson(st.session_state.cmp_a, st.session_state.cmp_b)
        if st.session_state.get("show_changes")
        else None,
        sit.legend,
    ),
    returned_objects=["center", "zoom", "bounds"],
)
if out and out.get("center") and out.get("zoom"):
    st.session_state.center = (round(out["center"]["lng"], 4), round(out["center"]["lat"], 4))
    st.session_state.zoom = int(out["zoom"])
    st.session_state.bounds = dashboard.bounds_bbox(out.get("bounds"))

if view.present:
    st.stop()

st.caption(
    "Boundaries and lines are shown for reference and imply no judgement on the legal status of "
    "any territory. Every event, control period and zone carries its sources and precision: "
    "click it."
)

# ---- panels ----------------------------------------------------------------------------------
tab_table, tab_time, tab_area, tab_compare, tab_export = st.tabs(
    ["Events table", "Timeline", "Area held", "Compare two dates", "Export briefing"]
)
with tab_table:
    st.dataframe(
        dashboard.events_table(events, sit),  # rows cut from a frame built once per dataset
        hide_index=True,
        width="stretch",
        column_config={"source": st.column_config.LinkColumn("source")},
        key="events_table",
        lazy=True,  # > 1,000 rows: the browser gets the rows it shows, not all 10^5 per move
    )
    d1, d2, d3 = st.columns(3)
    stem = f"karabakh-map-events-{view.start}-{view.end}"
    # Exports are made on click (deferred), not on every rerun: less work and memory per move.
    shown_now = list(sit.shown)
    d1.download_button(
        "Export CSV", partial(to_csv, shown_now), f"{stem}.csv", "text/csv", key="dl_csv"
    )
    d2.download_button(
        "Export GeoJSON",
        lambda shown=shown_now: dashboard.json_text(to_geojson(shown)),
        f"{stem}.geojson",
        "application/geo+json",
        key="dl_geojson",
    )
    d3.download_button(
        "Export KML",
        partial(to_kml, shown_now),
        f"{stem}.kml",
        "application/vnd.google-earth.kml+xml",
        key="dl_kml",
    )
with tab_time:
    freq = st.radio("Bin", ["month", "week"], horizontal=True, key="bin")
    st.altair_chart(dashboard.timeline(events, sit, freq), width="stretch")
with tab_area:
    st.altair_chart(charts.area_chart(_area_series(), view.as_of), width="stretch")
    st.caption(dashboard.areas_caption(view.as_of))
with tab_compare:
    c1, c2 = st.columns(2)
    cmp_a = c1.date_input(
        "First date", value=dt.date(2020, 9, 26), min_value=EARLIEST, max_value=TODAY, key="cmp_a"
    )
    cmp_b = c2.date_input(
        "Second date", value=view.as_of, min_value=EARLIEST, max_value=TODAY, key="cmp_b"
    )
    st.dataframe(dashboard.changes_frame(cmp_a, cmp_b), hide_index=True, key="changes_table")
    st.toggle("Show the changed areas on the map", key="show_changes")


with tab_export:
    e1, e2 = st.columns(2)
    e1.text_input("Title", value="Karabakh: situation map", key="brief_title", max_chars=120)
    e2.text_input("Classification / handling line (optional)", key="brief_class", max_chars=80)
    st.radio("Image shape", ["16:9", "4:3"], horizontal=True, key="brief_aspect")
    spec = partial(  # built on click only: it holds a GeoJSON feature per shown event
        dashboard.briefing_spec,
        view,
        sit,
        st.session_state.get("bounds"),
        st.session_state.brief_title,
        st.session_state.brief_class or None,
    )
    b1, b2, b3 = st.columns(3)
    if b1.button("Make PNG", key="make_png"):
        from kmap.briefing import render_png  # imported on use: matplotlib, ~1 s at start

        st.session_state.brief_png = render_png(spec(), st.session_state.brief_aspect)
    if b2.button("Make PDF (A4 landscape)", key="make_pdf"):
        from kmap.briefing import render_pdf

        st.session_state.brief_pdf = render_pdf(spec())
    if b3.button("Make interactive HTML", key="make_html"):
        from kmap.standalone import standalone_html

        st.session_state.brief_html = standalone_html(events, view, st.session_state.brief_title)
    stem = f"karabakh-map-{view.as_of}"
    if st.session_state.get("brief_png"):
        b1.download_button(
            "Download PNG", st.session_state.brief_png, f"{stem}.png", "image/png", key="dl_png"
        )
    if st.session_state.get("brief_pdf"):
        b2.download_button(
            "Download PDF",
            st.session_state.brief_pdf,
            f"{stem}.pdf",
            "application/pdf",
            key="dl_pdf",
        )
    if st.session_state.get("brief_html"):
        b3.download_button(
            "Download HTML", st.session_state.brief_html, f"{stem}.html", "text/html", key="dl_html"
        )
    st.caption(
        "Exports draw the offline vector basemap, the layers and date shown, a legend of exactly "
        "those layers, scale bar, north arrow, sources, the date made and a boundary disclaimer."
    )

if playing and st.session_state.dates[1] < TODAY:
    time.sleep(1.0)
    _step(1)
    st.rerun()
