"""karabakh-map: Streamlit entry point, wiring only. The page's parts live in ui/ (the view's
one owner is ui.session); what they show is computed by kmap/events/geo."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from events import load_catalogue
from kmap.situation import situation
from ui import map_view, notices, panels, session, sidebar, storyboard, time_controls, upload
from ui.presentation import PRESENTATION_CSS, SCREEN_CSS

st.set_page_config(page_title="karabakh-map", page_icon=":world_map:", layout="wide")

map_view.static_ready()
catalogue = load_catalogue()
TODAY = dt.date.today()
session.start(st.query_params.to_dict())  # first run of a session: the URL is the view
session.keep_written()  # a whole-page run: the sidebar's values are the user's
storyboard.load_from_link(st.query_params.to_dict())  # and its storyboard, if it carries one
data = upload.loaded(catalogue)


# ---- time, map and panels: a fragment. A window move reruns only this part, so the browser
# re-renders the map state and the open panel, not the sidebar. ----------------------------
def _time_map_panels() -> None:
    session.keep_written(  # no undo by a stale request
        fragment_run=session.fragment_only_run(), auto=session.auto_report()
    )
    time_controls.keep_values()  # the window survives runs that do not draw the controls
    panels.keep_panel_values()
    view = session.current_view()
    notices.link_notices()
    sit = situation(data.events, view, data.placeless)
    if not view.present:  # one line (ui.presentation); the map's own banner says it in full
        st.container(key="kmap_banner").markdown(f"**{sit.banner[0]}** · {sit.banner[1]}")
    map_view.draw(view, sit, data)
    session.write_url()  # after the map reported its position: never one move behind
    if view.present:
        return
    time_controls.draw(TODAY)  # under the map, like a player's scrubber
    st.caption(
        "Boundaries and lines are shown for reference and imply no judgement on the legal status "
        "of any territory. Every event, control period and zone carries its sources and "
        "precision: click it."
    )
    panels.draw(view, sit, data, TODAY)


if st.session_state.present:  # outside the fragment: entering/leaving reruns the whole app
    st.html(PRESENTATION_CSS)
    st.button(  # invisible until pointed at (ui.presentation); Esc presses it (kmap-screen.js)
        "Exit presentation mode",
        key="exit_present",
        on_click=session.update_view,
        kwargs={"present": False},
    )
else:
    st.html(SCREEN_CSS)
    with st.container(key="kmap_heading"):
        h1, h2 = st.columns([3, 1], vertical_alignment="center")
        h1.markdown("#### karabakh-map")
        h2.button(
            "Presentation mode",
            key="enter_present",
            on_click=session.update_view,
            kwargs={"present": True},
            help="Only the map, filling the window (title and classification from *Export "
            "briefing*), for screen captures. Esc leaves.",
        )
        st.caption(
            "Events and control in Karabakh since 1988, each sourced: click any event, area or "
            "zone."
        )
st.fragment(_time_map_panels)()  # Play runs in the browser (ui.timeline): no timer here
sidebar.draw(catalogue, data)  # filters, layers, data: a change reruns the whole app
