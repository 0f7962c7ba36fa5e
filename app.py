"""karabakh-map: Streamlit entry point. Widgets -> ViewState -> calls into kmap/geo/events."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from dataclasses import replace
from functools import partial
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from events import load_catalogue
from events.importers import UPLOAD_EXTENSIONS, ImportFormatError, import_file
from events.query import forget_event_indexes
from kmap import charts, dashboard, sessiondata
from kmap.assets import DEFAULT_STATIC_DIR, STATIC_URL, ensure_static
from kmap.builder import BASEMAPS, ONLINE_TILES, MapView
from kmap.component import draw_map
from kmap.dynamic import dataset_specs, freeze_loaded, publish, state_group
from kmap.presentation import MAP_HEIGHT, PRESENTATION_CSS, PRESENTATION_MAP_HEIGHT
from kmap.safetext import md_escape
from kmap.viewstate import ALL_LAYERS, EARLIEST, PRESETS, ViewState, from_query, to_query
from palette import EVENT_STYLES, PRECISION_LABELS, TOPONYM_MODES

#: Widgets inside the panels (tabs) whose values outlive the tab being closed.
PANEL_KEYS = (
    "table_order",
    "table_size",
    "table_page",
    "bin",
    "cmp_a",
    "cmp_b",
    "show_changes",
    "brief_title",
    "brief_class",
    "brief_aspect",
)

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


def _events_source(event_list: list, key: tuple) -> str | dict:
    """Where the map gets this session's events: the catalogue alone is a shared static file
    (written once per names mode); with an upload, the events are this session's own and are
    served only to it (kmap.sessiondata), or passed inline when that route is not mounted."""
    cache = st.session_state.setdefault("_events_src", {})
    if key in cache and (not isinstance(cache[key], Path) or cache[key].exists()):
        src = cache[key]
        return src if not isinstance(src, Path) else _static_url(src)
    cache.clear()
    collection = dashboard.events_collection(event_list, key[-1])
    if key[1] is None:  # no upload: the shared catalogue file
        published = publish("events", collection, DEFAULT_STATIC_DIR)
        cache[key] = published.path
        return published.url
    if sessiondata.route_mounted():
        cache[key] = sessiondata.put(get_script_run_ctx().session_id, collection)
    else:
        cache[key] = collection
    return cache[key]


def _static_url(path: Path) -> str:
    return f"{STATIC_URL}/{path.relative_to(DEFAULT_STATIC_DIR).as_posix()}"


def _upload_key() -> str:
    """The uploader's key: a new (empty) uploader after each successful import, so the file's
    bytes are not held, and deep-copied by Streamlit, on every rerun (tens of MB)."""
    gen = st.session_state.setdefault("upload_gen", 0)
    return "upload" if gen == 0 else f"upload-{gen}"


def _forget_upload() -> None:
    """Let go of the loaded file's events now (removed, or replaced by another file): its
    filters' index, the copy served to this session and the per-session caches."""
    if st.session_state.get("imported"):
        forget_event_indexes(st.session_state.imported[2].events)
    sessiondata.drop_session(get_script_run_ctx().session_id)
    for key in ("_events", "_events_src", "_table_export"):
        st.session_state.pop(key, None)


def _remove_upload() -> None:
    _forget_upload()
    st.session_state.imported = None
    st.session_state.upload_error = None
    freeze_loaded()


def _on_upload() -> None:
    """Import an uploaded file (ACLED, UCDP GED, our CSV/GeoJSON); report rejected rows."""
    up = st.session_state.get(_upload_key())
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
    result.refuse_ids({ev.id for ev in catalogue.events})  # no stand-ins for curated events
    _forget_upload()  # a file replaced by another
    digest = hashlib.sha256(up.getvalue()).hexdigest()[:12]
    st.session_state.imported = (up.name, digest, result)
    st.session_state.upload_gen += 1  # imported: the next run shows an empty uploader
    freeze_loaded()  # 10^5 events: keep them out of every later garbage collection


_static_ready()
catalogue = load_catalogue()
TODAY = dt.date.today()
st.session_state.setdefault("imported", None)
st.session_state.setdefault("upload_error", None)
st.session_state.setdefault("use_catalogue", True)
imported = st.session_state.imported
_events_key = (id(catalogue), st.session_state.use_catalogue, imported[1] if imported else None)
if st.session_state.get("_events", (None,))[0] != _events_key:
    # one list object per data set: the filters' index finds it again in O(1) on each rerun
    st.session_state._events = (
        _events_key,
        (list(catalogue.events) if st.session_state.use_catalogue else [])
        + (list(imported[2].events) if imported else []),
    )
events = st.session_state._events[1]

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
        basemap="offline",  # an online basemap from a link is asked for first (below)
        link_basemap=v0.basemap if v0.basemap != "offline" else None,
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


#: Play steps the window by *Step* this often (seconds).
PLAY_INTERVAL_S = 1.0


def _play_tick() -> None:
    """While Play is on, step the window once per interval (before any widget is drawn, so the
    slider's key may be written); stop at today."""
    if not st.session_state.get("play"):
        return
    now = time.monotonic()
    if now - st.session_state.get("_play_t", 0.0) < PLAY_INTERVAL_S * 0.9:
        return  # a rerun for another reason (a zoom, a click): not a tick
    st.session_state._play_t = now
    if st.session_state.dates[1] >= TODAY:
        st.session_state.play = False
    else:
        _step(1)


def _use_link_basemap() -> None:
    st.session_state.basemap = st.session_state.link_basemap
    st.session_state.link_basemap = None


def _link_notices() -> None:
    """Next to the map: what was wrong in the opened link (escaped: link text is untrusted),
    and a question before an online basemap asked for by a link is loaded."""
    if st.session_state.url_problems:
        with st.container(key="link_problems"):
            for msg in st.session_state.url_problems:
                st.warning(msg)  # link values inside are code spans (viewstate.from_query)
            st.button(
                "Dismiss",
                key="dismiss_link_problems",
                on_click=st.session_state.update,
                kwargs={"url_problems": []},
            )
    asked = st.session_state.get("link_basemap")
    if asked:
        c1, c2, c3 = st.columns([6, 2, 2], vertical_alignment="center")
        c1.info(
            f"This link asks for online map tiles ({md_escape(ONLINE_TILES[asked].label)}). "
            "They are fetched from the internet, so requests would leave this machine. The offline "
            "basemap is shown until you choose."
        )
        c2.button("Load online tiles", key="link_basemap_yes", on_click=_use_link_basemap)
        c3.button(
            "Stay offline",
            key="link_basemap_no",
            on_click=st.session_state.update,
            kwargs={"link_basemap": None},
        )
    elif st.session_state.basemap != "offline":
        st.caption(
            f"Online basemap: {md_escape(BASEMAPS[st.session_state.basemap])} tiles are "
            "fetched from the internet. Choose *Offline vector* under Map for an offline room."
        )


def _make_briefing(ext: str, spec: partial, view: ViewState) -> bytes | str:
    """The briefing file of one kind for the view on screen (heavy modules imported on use)."""
    if ext == "html":
        from kmap.standalone import standalone_html

        return standalone_html(events, view, st.session_state.brief_title)
    from kmap.briefing import render_pdf, render_png  # matplotlib: ~1 s at first use

    return render_png(spec(), st.session_state.brief_aspect) if ext == "png" else render_pdf(spec())


def _time_controls() -> bool:
    """The date window above the map: preset, slider, exact dates, step and play."""
    r1 = st.columns([2, 5, 2, 2], vertical_alignment="bottom")
    st.session_state.preset = dashboard.preset_of(*st.session_state.dates)  # before the box
    r1[0].selectbox(
        "Preset",
        [dashboard.CUSTOM, *PRESETS],
        key="preset",
        on_change=_apply_preset,
        help="Sets the date range; its end is the 'as of' day of the map.",
    )
    r1[1].slider(
        "Events between",
        min_value=EARLIEST,
        max_value=TODAY,
        key="dates",
        format="YYYY-MM-DD",
        help="The range's end is the 'as of' day: control, peacekeepers and corridor as they "
        "stood that day.",
    )
    st.session_state.date_from, st.session_state.date_to = st.session_state.dates
    r1[2].date_input(
        "From", min_value=EARLIEST, max_value=TODAY, key="date_from", on_change=_set_from
    )
    r1[3].date_input("As of", min_value=EARLIEST, max_value=TODAY, key="date_to", on_change=_set_to)
    r2 = st.columns([1, 1, 1, 1, 4], vertical_alignment="bottom")
    r2[0].button(
        "◀ Back",
        key="step_back",
        on_click=_step,
        args=(-1,),
        width="stretch",
        help="Move the date window back by one step",
    )
    r2[1].button(
        "Forward ▶",
        key="step_fwd",
        on_click=_step,
        args=(1,),
        width="stretch",
        help="Move the date window forward by one step",
    )
    r2[2].selectbox("Step", ["day", "week", "month"], index=1, key="step_unit")
    return r2[3].toggle("Play", key="play", help="Step forward every second until today")


# ---- time, map and panels: a fragment. A slider move reruns only this part, so the browser
# re-renders the map state and the open panel, not the sidebar. ----------------------------
def _time_map_panels() -> None:
    _play_tick()
    # Widgets of a closed tab are not drawn (only the open tab runs): keep what the user set.
    for key in PANEL_KEYS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
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
    _link_notices()

    # ---- map: base built per (basemap, names, layers); time state travels as a small group --
    sit = dashboard.situation(
        events, view, catalogue.placeless if st.session_state.use_catalogue else ()
    )
    if not view.present:
        st.markdown(f"**{sit.banner[0]}** · {sit.banner[1]}")

    sources: dict[str, str | dict] = {k: f.url for k, f in _published_situation().items()}
    sources["events"] = _events_source(
        events,
        (st.session_state.use_catalogue, imported[1] if imported else None, view.toponyms),
    )
    setup = (view.basemap, view.toponyms, view.layers)
    if st.session_state.get("_map_setup", setup) != setup:
        # a new base map (layers, basemap, names): drawn where the user was, not at the start
        st.session_state.map_origin = (st.session_state.center, st.session_state.zoom)
    st.session_state._map_setup = setup
    origin_center, origin_zoom = st.session_state.map_origin
    mv = MapView(
        basemap=view.basemap,
        toponyms=view.toponyms,
        layers=view.layers,
        center=origin_center,
        zoom=origin_zoom,
    )
    on = dashboard.datasets_on(view)
    out = draw_map(
        mv,
        dataset_specs({k: src for k, src in sources.items() if k in on}),
        state_group(
            sit.masks,
            sit.banner,
            dashboard.changes_geojson(st.session_state.cmp_a, st.session_state.cmp_b)
            if st.session_state.get("show_changes")
            else None,
            sit.legend,
        ),
        key="map-" + dashboard.map_key(view),
        height=PRESENTATION_MAP_HEIGHT if view.present else MAP_HEIGHT,
    )
    if out and out.get("center") and out.get("zoom"):
        st.session_state.center = (round(out["center"]["lng"], 4), round(out["center"]["lat"], 4))
        st.session_state.zoom = int(out["zoom"])
        st.session_state.bounds = dashboard.bounds_bbox(out.get("bounds"))
    # the address bar, written after the map reported its position: never one move behind
    st.query_params.from_dict(
        to_query(replace(view, center=st.session_state.center, zoom=st.session_state.zoom))
    )

    if view.present:
        return
    playing = _time_controls()  # under the map, like a player's scrubber

    st.caption(
        "Boundaries and lines are shown for reference and imply no judgement on the legal status "
        "of any territory. Every event, control period and zone carries its sources and "
        "precision: click it."
    )

    # ---- panels: only the open tab runs (on_change="rerun"); a slider move re-sends the map
    # state and the open panel, not every table and chart. ----------------------------------
    tab_table, tab_time, tab_area, tab_compare, tab_export = st.tabs(
        ["Events table", "Timeline", "Area held", "Compare two dates", "Export briefing"],
        key="panel",
        on_change="rerun",
    )
    if tab_table.open:
        with tab_table:
            t1, t2, t3 = st.columns([1, 1, 2])
            t1.selectbox("Order", ["oldest first", "newest first"], key="table_order")
            t2.selectbox("Rows per page", dashboard.TABLE_PAGE_SIZES, key="table_size")
            page_rows, pages = dashboard.events_page(
                events,
                sit,
                st.session_state.get("table_page", 1),
                st.session_state.table_size,
                st.session_state.table_order == "newest first",
            )
            if st.session_state.get("table_page", 1) > pages:  # the window shrank
                st.session_state.table_page = pages
            t3.number_input(f"Page (of {pages:,})", min_value=1, max_value=pages, key="table_page")
            st.dataframe(
                page_rows,
                hide_index=True,
                width="stretch",
                column_config={"source": st.column_config.LinkColumn("source")},
                key="events_table",
            )
            st.caption(
                f"{len(sit.shown):,} events shown, {pages:,} page(s). The exports below hold all "
                "of them."
            )
            if sit.unmapped:
                st.markdown(f"**{len(sit.unmapped)} event(s) with no place on the map**")
                st.dataframe(
                    charts.events_frame(sit.unmapped),
                    hide_index=True,
                    width="stretch",
                    column_config={"source": st.column_config.LinkColumn("source")},
                    key="unmapped_table",
                )
            d1, d2, d3 = st.columns([1, 1, 1], vertical_alignment="bottom")
            fmt = d1.selectbox("Export format", list(dashboard.TABLE_EXPORTS), key="table_fmt")
            # Made on request and kept while the filters stay (paging does not drop it): the
            # download then holds exactly the filtered events, every click (a deferred file
            # could vanish between reruns), and a slider move costs no export work.
            n_rows = len(sit.shown) + len(sit.unmapped)
            export_key = (_events_key, dashboard.view_signature(view, None), fmt)
            if d2.button(f"Make {fmt} of {n_rows:,} events", key="make_table"):
                rows = [*sit.shown, *sit.unmapped]
                st.session_state._table_export = (export_key, dashboard.table_export(rows, fmt))
            made = st.session_state.get("_table_export")
            if made and made[0] == export_key:
                data, mime, ext = made[1]
                d3.download_button(
                    f"Download {n_rows:,} events ({fmt})",
                    data,
                    f"karabakh-map-events-{view.start}-{view.end}.{ext}",
                    mime,
                    key="dl_table",
                )
            elif made:
                d3.caption("The filters changed since the file was made: make it again.")
    if tab_time.open:
        with tab_time:
            freq = st.radio("Bin", dashboard.TIMELINE_BINS, horizontal=True, key="bin")
            if freq == "auto":
                freq = dashboard.auto_bin(view.start, view.end)
                st.caption(f"Events per {freq} (auto: from the length of the date window).")
            st.altair_chart(dashboard.timeline(events, sit, freq), width="stretch")
    if tab_area.open:
        with tab_area:
            st.altair_chart(charts.area_chart(dashboard.area_series(), view.as_of), width="stretch")
            st.caption(dashboard.areas_caption(view.as_of))
    if tab_compare.open:
        with tab_compare:
            c1, c2 = st.columns(2)
            st.session_state.setdefault("cmp_a", dt.date(2020, 9, 26))
            st.session_state.setdefault("cmp_b", view.as_of)  # the as-of day when first opened
            cmp_a = c1.date_input("First date", min_value=EARLIEST, max_value=TODAY, key="cmp_a")
            cmp_b = c2.date_input("Second date", min_value=EARLIEST, max_value=TODAY, key="cmp_b")
            st.dataframe(
                dashboard.changes_frame(cmp_a, cmp_b), hide_index=True, key="changes_table"
            )
            st.toggle("Show the changed areas on the map", key="show_changes")

    if tab_export.open:
        with tab_export:
            e1, e2 = st.columns(2)
            st.session_state.setdefault("brief_title", "Karabakh: situation map")
            e1.text_input("Title", key="brief_title", max_chars=120)
            e2.text_input(
                "Classification / handling line (optional)", key="brief_class", max_chars=80
            )
            st.radio("Image shape", ["16:9", "4:3"], horizontal=True, key="brief_aspect")
            spec = partial(  # built on click only: it holds a GeoJSON feature per shown event
                dashboard.briefing_spec,
                view,
                sit,
                st.session_state.get("bounds"),
                st.session_state.brief_title,
                st.session_state.brief_class or None,
            )
            # A file is offered only for the view it was made for: any change (dates, filters,
            # layers, names, extent, title, shape) drops the offer until it is made again.
            made_for = dashboard.view_signature(
                view,
                st.session_state.get("bounds"),
                st.session_state.brief_title,
                st.session_state.brief_class,
                st.session_state.brief_aspect,
            )
            b1, b2, b3 = st.columns(3)
            makers = (
                (b1, "png", "Make PNG", "Download PNG", "image/png"),
                (b2, "pdf", "Make PDF (A4 landscape)", "Download PDF", "application/pdf"),
                (b3, "html", "Make interactive HTML", "Download HTML", "text/html"),
            )
            for col, ext, make_label, label, mime in makers:
                if col.button(make_label, key=f"make_{ext}"):
                    st.session_state[f"brief_{ext}"] = (
                        made_for,
                        view.as_of,
                        _make_briefing(ext, spec, view),
                    )
                made = st.session_state.get(f"brief_{ext}")
                if made and made[0] == made_for:
                    col.download_button(
                        label, made[2], f"karabakh-map-{made[1]}.{ext}", mime, key=f"dl_{ext}"
                    )
                elif made:
                    col.caption("The view changed since this file was made: make it again.")
            st.caption(
                "Exports draw the offline vector basemap, the layers and date shown, a legend of "
                "exactly those layers, scale bar, north arrow, sources, the date made and a "
                "boundary disclaimer."
            )

    if playing != st.session_state.get("_play_timer", False):
        st.rerun()  # Play turned on or off: the whole app reruns to (un)set the fragment's timer


if st.session_state.present:  # outside the fragment: entering/leaving reruns the whole app
    st.markdown(PRESENTATION_CSS, unsafe_allow_html=True)
    st.button(
        "Exit presentation mode",
        key="exit_present",
        on_click=lambda: st.session_state.update(present=False),
    )
else:
    st.title("karabakh-map")
# Play: the fragment reruns itself every PLAY_INTERVAL_S (in the browser's timer), and each run
# steps the window first (_play_tick). No sleep on the server.
st.session_state._play_timer = bool(st.session_state.get("play"))
st.fragment(_time_map_panels, run_every=PLAY_INTERVAL_S if st.session_state._play_timer else None)()

# ---- sidebar: filters, layers, data (a change reruns the whole app) ------------------------
with st.sidebar:
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
        "ACLED, UCDP GED (CSV, Excel .xlsx, tab-separated) or karabakh-map CSV / GeoJSON",
        type=list(UPLOAD_EXTENSIONS),
        key=_upload_key(),
        on_change=_on_upload,
        help="The file is read once; another file replaces it.",
    )
    st.checkbox("Include the curated catalogue", key="use_catalogue")
    if st.session_state.upload_error:
        st.error(md_escape(st.session_state.upload_error))
    if imported:
        res = imported[2]
        st.caption(
            f"{md_escape(imported[0])}: {len(res.events):,} events, {len(res.rejected):,} rejected"
        )
        st.button("Remove this file's events", key="remove_upload", on_click=_remove_upload)
        outside = dashboard.outside_map_note(res.events)
        if outside:
            st.info(outside)
        for w in res.warnings:
            st.warning(md_escape(w))
        if res.rejected:
            with st.expander(f"{len(res.rejected):,} rejected row(s)"):
                st.dataframe(dashboard.rejections_frame(res.rejected[:1000]), hide_index=True)

    if catalogue.issues:
        with st.expander(f"⚠ {len(catalogue.issues)} catalogue problem(s)"):
            st.text("\n".join(str(i) for i in catalogue.issues))
