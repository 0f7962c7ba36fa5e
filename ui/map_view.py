"""The map: its data published once (static files, or this session's upload), the base map
built per (basemap, names, layers) and the time state (masks, banner, legend) sent as a small
group on every run. The map reports its position back into the view."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from kmap.areas import changes_overlay
from kmap.config import DEFAULT_CENTER, DEFAULT_STATIC_DIR, DEFAULT_ZOOM, STATIC_URL
from kmap.datasets import (
    control_collection,
    events_collection,
    events_dataset,
    events_dataset_gz,
    zones_collection,
)
from kmap.map.assets import ensure_static
from kmap.map.builder import MapView, shows_default_frame
from kmap.map.component import draw_map
from kmap.map.datasets import dataset_specs, publish
from kmap.map.elements import state_group
from kmap.situation import Situation, datasets_on
from kmap.view_export import bounds_bbox
from kmap.viewstate import ViewState
from ui import session, sessiondata, storyboard
from ui.presentation import MAP_HEIGHT
from ui.upload import Loaded


@st.cache_resource(max_entries=1)
def static_ready() -> str:
    """Copy vendored assets and basemap layers into ./static once per server process."""
    return str(ensure_static())


@st.cache_resource(max_entries=1)
def situation_urls() -> dict[str, str]:
    """Write control periods and zones once per process (the browser fetches them once; the
    Compare tab's maps read the same files): their URLs."""
    return {
        "control": publish("control", control_collection(), DEFAULT_STATIC_DIR).url,
        "zones": publish("zones", zones_collection(), DEFAULT_STATIC_DIR).url,
    }


def _static_url(path: Path) -> str:
    return f"{STATIC_URL}/{path.relative_to(DEFAULT_STATIC_DIR).as_posix()}"


def _events_source(data: Loaded, toponyms: str) -> str | dict:
    """Where the map gets this session's events: the catalogue alone is a shared static file
    (written once per names mode); with an upload, the events are this session's own and are
    served only to it (ui.sessiondata), or passed inline when that route is not mounted."""
    key = (data.key[1], data.key[2], toponyms)
    cache = st.session_state.setdefault("_events_src", {})
    if key in cache and (not isinstance(cache[key], Path) or cache[key].exists()):
        src = cache[key]
        return src if not isinstance(src, Path) else _static_url(src)
    cache.clear()
    if key[1] is None:  # no upload: the shared catalogue file
        published = publish("events", events_collection(data.events, toponyms), DEFAULT_STATIC_DIR)
        cache[key] = published.path
        return published.url
    if sessiondata.route_mounted():  # compact columns (kmap.map.eventcols), gzipped
        gz = events_dataset_gz(data.events, toponyms)
        cache[key] = sessiondata.put_gzip(get_script_run_ctx().session_id, gz)
    else:
        cache[key] = events_dataset(data.events, toponyms)
    return cache[key]


def map_key(v: ViewState) -> str:
    """Key of the map component: it changes (re-mounting the map) only with the base view."""
    return f"{v.basemap}-{v.toponyms}-{'-'.join(sorted(v.layers))}"


def _base_view(view: ViewState) -> MapView:
    """The base map, drawn where this session's map was first drawn; a new base map (layers,
    basemap, names; waiting for a click to pick a point) is drawn where the user was."""
    setup = (view.basemap, view.toponyms, view.layers, storyboard.picking() is not None)
    if st.session_state.get("_map_setup", setup) != setup:
        st.session_state.map_origin = (view.center, view.zoom)
    st.session_state._map_setup = setup
    origin_center, origin_zoom = st.session_state.map_origin
    return MapView(
        basemap=view.basemap,
        toponyms=view.toponyms,
        layers=view.layers,
        center=origin_center,
        zoom=origin_zoom,
    )


#: Title of the map in presentation mode when none was typed (the briefing's Title box).
DEFAULT_TITLE = "Karabakh: situation map"


def _banner(view: ViewState, sit: Situation, extra: list[str]) -> list[str]:
    """The map's banner lines (and `extra`, the changed areas' line); in presentation mode the
    title first and the optional classification line last (the briefing's boxes, shared
    through the session)."""
    if not view.present:
        return [*sit.banner, *extra]
    title = str(st.session_state.get("brief_title") or DEFAULT_TITLE)
    classification = str(st.session_state.get("brief_class") or "").strip()
    return [title, *sit.banner, *extra, *([classification] if classification else [])]


def draw(view: ViewState, sit: Situation, data: Loaded) -> None:
    """Draw the map of the view; its reported centre and zoom go back into the view (through
    ui.session) and its bounds are kept as the extent of briefing exports."""
    sources: dict[str, str | dict] = dict(situation_urls())
    sources["events"] = _events_source(data, view.toponyms)
    on = datasets_on(view)
    state = st.session_state
    base = _base_view(view)
    # compare mode (the Compare tab's toggle): banner line, legend row and the areas
    line, entry, changes = (
        changes_overlay(state.cmp_a, state.cmp_b) if state.get("show_changes") else ("", {}, None)
    )
    key = "map-" + map_key(view) + ("-pick" if storyboard.picking() else "")
    out = draw_map(
        base,
        dataset_specs({k: src for k, src in sources.items() if k in on}),
        state_group(
            sit.masks,
            _banner(view, sit, [line] if changes else []),
            changes,
            [*sit.legend, *([entry] if changes else [])],
            sit.time,
        ),
        # waiting for a click is another map: streamlit-folium reads returned_objects only
        # when it mounts a map
        key=key,
        height=MAP_HEIGHT,  # a first paint: the page's CSS sizes the map from the window
        session_state=st.session_state,
        # a click is reported only while the storyboard waits for one (a point picked on the
        # map): otherwise every click on the map would rerun the page
        returned_objects=("center", "zoom", "bounds")
        + (("last_clicked",) if storyboard.picking() else ()),
    )
    session.note_seen(key)  # the next run tells a new report from this one
    if out and storyboard.picking():
        storyboard.picked(out.get("last_clicked"))
    if out and out.get("center") and out.get("zoom"):
        center = (round(out["center"]["lng"], 4), round(out["center"]["lat"], 4))
        state.bounds = bounds_bbox(out.get("bounds"))
        fitted = base.is_default_position() and state.bounds is not None
        if fitted and shows_default_frame(state.bounds, int(out["zoom"])):
            center, zoom = DEFAULT_CENTER, DEFAULT_ZOOM  # still the fitted default frame
        else:
            zoom = int(out["zoom"])
        session.update_view(center=center, zoom=zoom)
