"""The panels under the map, as tabs of which only the open one runs: events table (paged,
with its exports), timeline, area held, compare two dates, briefing exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

import streamlit as st

from kmap import charts
from kmap.areas import area_series, areas_caption
from kmap.gisdata import GIS_FORMATS, gis_file
from kmap.situation import Situation
from kmap.tables import TABLE_EXPORTS, TABLE_PAGE_SIZES, events_page, table_export
from kmap.view_export import briefing_spec, view_signature
from kmap.viewstate import ViewState
from ui import compare as compare_tab
from ui import storyboard
from ui.upload import Loaded

#: Widgets inside the panels (tabs) whose values outlive the tab being closed.
PANEL_KEYS = (
    "table_order",
    "table_size",
    "table_page",
    "bin",
    *compare_tab.COMPARE_KEYS,
    "brief_title",
    "brief_class",
    "brief_aspect",
    "gis_fmt",
    "gis_scope",
    *storyboard.STORYBOARD_KEYS,
)
#: The tabs, in order.
TABS = (
    "Events table",
    "Timeline",
    "Area held",
    "Compare two dates",
    "Export briefing",
    "Storyboard",
)


def _source_link() -> dict:
    """Column config: the source column as a link (charts.events_frame keeps http(s) only)."""
    return {"source": st.column_config.LinkColumn("source")}


def keep_panel_values() -> None:
    """Widgets of a closed tab are not drawn (only the open tab runs): keep what the user set."""
    for key in PANEL_KEYS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def _table_page(sit: Situation, data: Loaded) -> None:
    """Order, page size and page number, and the page of the shown events."""
    t1, t2, t3 = st.columns([1, 1, 2])
    t1.selectbox("Order", ["oldest first", "newest first"], key="table_order")
    t2.selectbox("Rows per page", TABLE_PAGE_SIZES, key="table_size")
    page_rows, pages = events_page(
        data.events,
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
        column_config=_source_link(),
        key="events_table",
    )
    st.caption(
        f"{len(sit.shown):,} events shown, {pages:,} page(s). The exports below hold all of them."
    )
    if sit.unmapped:
        st.markdown(f"**{len(sit.unmapped)} event(s) with no place on the map**")
        st.dataframe(
            charts.events_frame(sit.unmapped),
            hide_index=True,
            width="stretch",
            column_config=_source_link(),
            key="unmapped_table",
        )


def _table_download(view: ViewState, sit: Situation, data: Loaded) -> None:
    """Export of every filtered event. Made on request and kept while the filters stay (paging
    does not drop it): the download then holds exactly the filtered events, every click (a
    deferred file could vanish between reruns), and a slider move costs no export work."""
    d1, d2, d3 = st.columns([1, 1, 1], vertical_alignment="bottom")
    fmt = d1.selectbox("Export format", list(TABLE_EXPORTS), key="table_fmt")
    n_rows = len(sit.shown) + len(sit.unmapped)
    export_key = (data.key, view_signature(view, None), fmt)
    if d2.button(f"Make {fmt} of {n_rows:,} events", key="make_table"):
        rows = [*sit.shown, *sit.unmapped]
        st.session_state._table_export = (export_key, table_export(rows, fmt))
    made = st.session_state.get("_table_export")
    if made and made[0] == export_key:
        payload, mime, ext = made[1]
        d3.download_button(
            f"Download {n_rows:,} events ({fmt})",
            payload,
            f"karabakh-map-events-{view.start}-{view.end}.{ext}",
            mime,
            key="dl_table",
        )
    elif made:
        d3.caption("The filters changed since the file was made: make it again.")


def _timeline(view: ViewState, sit: Situation, data: Loaded) -> None:
    freq = st.radio("Bin", charts.TIMELINE_BINS, horizontal=True, key="bin")
    if freq == "auto":
        freq = charts.auto_bin(view.start, view.end)
        st.caption(f"Events per {freq} (auto: from the length of the date window).")
    st.altair_chart(charts.shown_timeline(data.events, sit, freq), width="stretch")


def _area_held(view: ViewState) -> None:
    st.altair_chart(charts.area_chart(area_series(), view.as_of), width="stretch")
    st.caption(areas_caption(view.as_of))


def _gis_download(view: ViewState) -> None:
    """Control periods and zones as GIS data: the whole timeline or the as-of day."""
    st.markdown("**Control and zones as GIS data** (QGIS, ArcGIS, Google Earth)")
    g1, g2, g3 = st.columns(3)
    fmt = g1.selectbox("GIS format", list(GIS_FORMATS), key="gis_fmt")
    names = {"all": "Every period (valid_from / valid_to)", "day": f"As of {view.as_of:%d %b %Y}"}
    scope = g2.radio("Periods", list(names), format_func=names.get, key="gis_scope")
    day = None if scope == "all" else view.as_of
    wanted = (fmt, day)
    if g3.button("Make GIS file", key="make_gis"):
        st.session_state._gis_file = (wanted, gis_file(fmt, day))
    made = st.session_state.get("_gis_file")
    if made and made[0] == wanted:
        data, name, mime = made[1]
        g3.download_button(f"Download {name}", data, name, mime, key="dl_gis")
    elif made:
        g3.caption("The choice changed since this file was made: make it again.")
    st.caption(
        "Layers control_periods and zones, with controller, sources and precision per row; "
        "how to use them in QGIS's Temporal Controller: docs/geodata-export.md."
    )


def _make_briefing(ext: str, spec: Callable, view: ViewState, data: Loaded) -> bytes | str:
    """The briefing file of one kind for the view on screen (heavy modules imported on use)."""
    if ext == "html":
        from kmap.map.standalone import standalone_html

        state = st.session_state
        return standalone_html(data.events, view, state.brief_title, state.brief_class or None)
    from kmap.briefing import render_pdf, render_png  # matplotlib: ~1 s at first use

    return render_png(spec(), st.session_state.brief_aspect) if ext == "png" else render_pdf(spec())


#: The briefing files: (extension, make label, download label, mime type).
BRIEFING_MAKERS = (
    ("png", "Make PNG", "Download PNG", "image/png"),
    ("pdf", "Make PDF (A4 landscape)", "Download PDF", "application/pdf"),
    ("html", "Make interactive HTML", "Download HTML", "text/html"),
)


def _export_briefing(view: ViewState, sit: Situation, data: Loaded) -> None:
    state = st.session_state
    e1, e2 = st.columns(2)
    state.setdefault("brief_title", "Karabakh: situation map")
    e1.text_input("Title", key="brief_title", max_chars=120)
    e2.text_input("Classification / handling line (optional)", key="brief_class", max_chars=80)
    st.radio("Image shape", ["16:9", "4:3"], horizontal=True, key="brief_aspect")
    bounds = state.get("bounds")
    # built on click only: it holds a GeoJSON feature per shown event
    spec = partial(
        briefing_spec, view, sit, bounds, state.brief_title, state.brief_class or None, data.events
    )
    # A file is offered only for the view it was made for: any change (dates, filters,
    # layers, names, extent, title, shape) drops the offer until it is made again.
    made_for = view_signature(
        view, bounds, state.brief_title, state.brief_class, state.brief_aspect
    )
    for col, (ext, make_label, label, mime) in zip(st.columns(3), BRIEFING_MAKERS, strict=True):
        if col.button(make_label, key=f"make_{ext}"):
            state[f"brief_{ext}"] = (made_for, view.as_of, _make_briefing(ext, spec, view, data))
        made = state.get(f"brief_{ext}")
        if made and made[0] == made_for:
            col.download_button(
                label, made[2], f"karabakh-map-{made[1]}.{ext}", mime, key=f"dl_{ext}"
            )
        elif made:
            col.caption("The view changed since this file was made: make it again.")
    st.caption(
        "Exports draw the offline vector basemap, the layers and date shown, a legend of "
        "exactly those layers, scale bar, north arrow, sources, the date made, the filters "
        "in words and a boundary disclaimer (the interactive HTML too, with the "
        "classification line)."
    )


def draw(view: ViewState, sit: Situation, data: Loaded, today: dt.date) -> None:
    """The tabs; only the open one runs (on_change="rerun"): a slider move re-sends the map
    state and the open panel, not every table and chart."""
    table, timeline, area, compare, export, story = st.tabs(
        list(TABS), key="panel", on_change="rerun"
    )
    if table.open:
        with table:
            _table_page(sit, data)
            _table_download(view, sit, data)
    if timeline.open:
        with timeline:
            _timeline(view, sit, data)
    if area.open:
        with area:
            _area_held(view)
            _gis_download(view)
    if compare.open:
        with compare:
            compare_tab.draw(view, sit, today)
    if export.open:
        with export:
            _export_briefing(view, sit, data)
    if story.open:
        with story:
            storyboard.draw(view, data)
