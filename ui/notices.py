"""Notices next to the map about the opened link: what was wrong in it, a question before
an online basemap it asks for is loaded (requests would leave this machine), and the way back
to the offline basemap (the map presses that button when its tiles cannot load)."""

from __future__ import annotations

import streamlit as st

from kmap.config import BASEMAPS, ONLINE_TILES
from kmap.safetext import md_escape
from ui import session


def _set_basemap(basemap: str) -> None:
    """Change the basemap and rerun the whole page: the map runs in a fragment, and a change
    made there would leave the sidebar's Basemap box showing (and, on its next run, sending
    back) the old value."""
    session.update_view(basemap=basemap)
    st.rerun()


def _link_problems() -> None:
    """The link's problems, each a warning (link values inside are code spans:
    viewstate.from_query), with a button to dismiss them."""
    with st.container(key="link_problems"):
        for msg in st.session_state.url_problems:
            st.warning(msg)
        st.button(
            "Dismiss",
            key="dismiss_link_problems",
            on_click=st.session_state.update,
            kwargs={"url_problems": []},
        )


def link_notices() -> None:
    """Next to the map: what was wrong in the opened link (escaped: link text is untrusted),
    and a question before an online basemap asked for by a link is loaded."""
    if st.session_state.url_problems:
        _link_problems()
    asked = st.session_state.get("link_basemap")
    if asked:
        c1, c2, c3 = st.columns([6, 2, 2], vertical_alignment="center")
        c1.info(
            f"This link asks for online map tiles ({md_escape(ONLINE_TILES[asked].label)}). "
            "They are fetched from the internet, so requests would leave this machine. The offline "
            "basemap is shown until you choose."
        )
        if c2.button("Load online tiles", key="link_basemap_yes"):
            st.session_state.link_basemap = None
            _set_basemap(asked)
        c3.button(
            "Stay offline",
            key="link_basemap_no",
            on_click=st.session_state.update,
            kwargs={"link_basemap": None},
        )
    elif st.session_state.basemap != "offline":
        c1, c2 = st.columns([8, 2], vertical_alignment="center")
        c1.caption(
            f"Online basemap: {md_escape(BASEMAPS[st.session_state.basemap])} tiles are "
            "fetched from the internet. Choose *Offline vector* under Map for an offline room."
        )
        # also pressed by the map itself when its tiles cannot load (kmap-screen.js)
        if c2.button("Use the offline basemap", key="use_offline_basemap"):
            _set_basemap("offline")
