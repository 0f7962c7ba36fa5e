"""The *Compare two dates* tab: the two dates side by side as two maps that pan and zoom
together, the km² that changed hands (in all and per district, with a CSV), the changed areas
on the main map (its toggle), and the side-by-side PNG slide and HTML file."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from kmap.areas import (
    changes_frame,
    changes_line,
    changes_overlay,
    district_csv,
    district_frame,
)
from kmap.situation import Situation
from kmap.view_export import compare_specs, view_signature
from kmap.viewstate import EARLIEST, ViewState
from ui.map_view import situation_urls

#: Widgets of the tab whose values outlive it being closed (ui.panels.PANEL_KEYS).
COMPARE_KEYS = ("cmp_a", "cmp_b", "show_changes", "cmp_title")
#: Height of the side-by-side maps in the tab (px).
SIDE_BY_SIDE_HEIGHT = 560
#: km² in the tab's tables: thousands separated, 0.1 km² (Streamlit's printf format).
KM2_COLUMN = {"km²": st.column_config.NumberColumn("km²", format="%,.1f")}


def _dates(view: ViewState, today: dt.date) -> tuple[dt.date, dt.date]:
    c1, c2 = st.columns(2)
    st.session_state.setdefault("cmp_a", dt.date(2020, 9, 26))
    st.session_state.setdefault("cmp_b", view.as_of)  # the as-of day when first opened
    a = c1.date_input("First date", min_value=EARLIEST, max_value=today, key="cmp_a")
    b = c2.date_input("Second date", min_value=EARLIEST, max_value=today, key="cmp_b")
    return a, b


def _side_by_side(view: ViewState, dates: tuple[dt.date, dt.date], changes: bool) -> None:
    """The two maps. Made again only when the dates, the base map (basemap, names, layers) or
    the changes toggle change (a pan of the main map keeps them, and their own position)."""
    from kmap.map.sidebyside import compare_html

    key = (dates, view.basemap, view.toponyms, view.layers, changes)
    made = st.session_state.get("_cmp_maps")
    if not made or made[0] != key:
        overlay = changes_overlay(*dates) if changes else None
        html = compare_html(view, dates, dict(situation_urls()), overlay)
        st.session_state._cmp_maps = made = (key, html)
    st.iframe(made[1], height=SIDE_BY_SIDE_HEIGHT)


def _breakdown(dates: tuple[dt.date, dt.date]) -> None:
    """km² per direction and per district (both names), and the district table as CSV."""
    a, b = dates
    st.markdown(f"**{changes_line(a, b)}**")
    st.dataframe(
        changes_frame(a, b), hide_index=True, column_config=KM2_COLUMN, key="changes_table"
    )
    districts = district_frame(a, b)
    st.markdown(
        "**By district** (rayons as drawn by Natural Earth, both names; a changed area is "
        "shared out by the part of it in each district)"
    )
    # a plain table (a few rows): its km² are written out, separators and all, in the page
    st.table(
        districts.assign(**{"km²": districts["km²"].map("{:,.1f}".format)}),
        hide_index=True,
        alt=f"Changed km² by district, {a} to {b}",
    )
    st.download_button(
        f"Download the breakdown (CSV, {len(districts)} districts)",
        district_csv(a, b),
        f"karabakh-map-changes-{a}-{b}.csv",
        "text/csv",
        key="dl_districts",
    )


def draw(view: ViewState, sit: Situation, today: dt.date) -> None:
    """The tab: dates, the two maps side by side, the breakdown and the exports."""
    dates = _dates(view, today)
    st.toggle("Show the changed areas on the map", key="show_changes")
    _side_by_side(view, dates, bool(st.session_state.get("show_changes")))
    st.caption(
        "Two maps, one per date (control and zones as they stood that day): pan or zoom "
        "either and the other follows."
    )
    _breakdown(dates)
    _compare_files(view, sit, dates)


def _compare_files(view: ViewState, sit: Situation, dates: tuple[dt.date, dt.date]) -> None:
    """The two dates on one slide (PNG) and as one offline HTML file, offered only for the
    view, dates, title and classification they were made for (a stale file is never
    offered)."""
    state = st.session_state
    state.setdefault("cmp_title", "Karabakh: territorial control on two dates")
    s1, s2 = st.columns(2)
    s1.text_input("Slide title", key="cmp_title", max_chars=120)
    s2.caption(
        "Same frame as the map, the changed areas hatched, km² in the legend; the "
        "classification line and image shape are the *Export briefing* tab's."
    )
    cls = state.get("brief_class") or None
    aspect = state.get("brief_aspect", "16:9")
    bounds = state.get("bounds")
    made_for = view_signature(view, bounds, dates, state.cmp_title, cls, aspect)
    a, b = dates
    m1, m2, m3, m4 = st.columns(4)
    if m1.button("Make side-by-side PNG", key="make_cmp"):
        from kmap.briefing.compare import render_compare  # matplotlib: ~1 s at first use

        specs = compare_specs(view, sit, bounds, dates, state.cmp_title, cls)
        state._cmp_png = (made_for, render_compare(*specs, aspect))
    if m3.button("Make side-by-side HTML", key="make_cmp_html"):
        from kmap.map.sidebyside import compare_html, inline_sources

        overlay = changes_overlay(a, b)
        html = compare_html(
            view, dates, inline_sources(), overlay, title=state.cmp_title,
            classification=cls, inline=True,
        )  # fmt: skip
        state._cmp_html = (made_for, html)
    for col, made, label, ext, mime in (
        (m2, state.get("_cmp_png"), "Download side-by-side PNG", "png", "image/png"),
        (m4, state.get("_cmp_html"), "Download side-by-side HTML", "html", "text/html"),
    ):
        if made and made[0] == made_for:
            name = f"karabakh-map-{a}-vs-{b}.{ext}"
            key = "dl_cmp" if ext == "png" else f"dl_cmp_{ext}"
            col.download_button(label, made[1], name, mime, key=key)
        elif made:
            col.caption("The view or the dates changed since this file was made: make it again.")
