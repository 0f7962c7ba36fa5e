"""The user's own file ("Your data" in the sidebar): import it, show what was kept and
rejected, let go of it; and the event list this session shows (catalogue and/or upload)."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from events import Catalogue
from events.io import detect
from events.io.result import ImportFormatError, ImportResult
from events.query import forget_event_indexes
from events.schema import ResolvedEvent
from kmap.map.memory import freeze_loaded, gc_paused
from kmap.safetext import md_escape
from kmap.situation import outside_map_note
from kmap.tables import rejections_frame
from ui import sessiondata


@dataclass(frozen=True)
class Loaded:
    """The events this session shows and where they come from."""

    events: list[ResolvedEvent]
    #: (id of the catalogue, catalogue included?, upload digest or None): changes with the data.
    key: tuple
    #: (file name, digest, ImportResult) of the uploaded file, or None.
    imported: tuple | None
    #: Catalogue events with no place on the map (table and exports only).
    placeless: tuple


def loaded(catalogue: Catalogue) -> Loaded:
    """The session's events: the curated catalogue (if included) and the uploaded file's.
    One list object per data set, kept in the session: the filters' index finds it again in
    O(1) on each rerun."""
    state = st.session_state
    state.setdefault("imported", None)
    state.setdefault("upload_error", None)
    state.setdefault("use_catalogue", True)
    imported = state.imported
    key = (id(catalogue), state.use_catalogue, imported[1] if imported else None)
    if state.get("_events", (None,))[0] != key:
        state._events = (
            key,
            (list(catalogue.events) if state.use_catalogue else [])
            + (list(imported[2].events) if imported else []),
        )
    placeless = catalogue.placeless if state.use_catalogue else ()
    return Loaded(state._events[1], key, imported, placeless)


def upload_key() -> str:
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


def read_upload(data: bytes, name: str, fmt: str, catalogue: Catalogue) -> tuple[str, ImportResult]:
    """(digest, ImportResult) of an uploaded file's bytes; a curated event's id is refused.

    No cyclic garbage collection meanwhile: each full pass walked every event made so far
    (10^5 of them), a quarter of the import's time."""
    with gc_paused():
        result = detect.import_file(data, name, fmt)
    result.refuse_ids({ev.id for ev in catalogue.events})  # no stand-ins for curated events
    return hashlib.sha256(data).hexdigest()[:12], result


def release_upload(ctx: object, file_id: str) -> bool:
    """Let Streamlit's uploader drop an imported file's bytes now; True if it held them.

    Streamlit (1.67) keeps every file a session uploaded until the session ends, unless the
    user clicks its ✕; after the import the uploader is a new, empty one, so each file's bytes
    (up to 50 MB) stayed for the whole session. st.chat_input drops its files the same way."""
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager

    mgr = getattr(ctx, "uploaded_file_mgr", None)
    session_id = getattr(ctx, "session_id", None)
    if not isinstance(mgr, MemoryUploadedFileManager) or session_id is None:
        return False
    held = bool(mgr.get_files(session_id, [file_id]))
    mgr.remove_file(session_id=session_id, file_id=file_id)
    return held


def _on_upload(catalogue: Catalogue) -> None:
    """Import an uploaded file (ACLED, UCDP GED, our CSV/GeoJSON); report rejected rows."""
    up = st.session_state.get(upload_key())
    st.session_state.upload_error = None
    if up is None:
        st.session_state.imported = None
        return
    try:
        digest, result = read_upload(
            up.getvalue(), up.name, st.session_state.upload_format, catalogue
        )
    except (ImportFormatError, UnicodeError, ValueError) as exc:
        st.session_state.imported = None
        st.session_state.upload_error = str(exc)
        return
    except Exception as exc:  # a bad upload must never stop the app; details go to the log
        logging.getLogger("karabakh-map").exception("import of %r failed", up.name)
        st.session_state.imported = None
        st.session_state.upload_error = f"{up.name}: could not be read ({type(exc).__name__})"
        return
    _forget_upload()  # a file replaced by another
    release_upload(get_script_run_ctx(), up.file_id)  # imported: its bytes are not needed
    st.session_state.imported = (up.name, digest, result)
    st.session_state.upload_gen += 1  # imported: the next run shows an empty uploader
    freeze_loaded(collect=False)  # 10^5 events: kept out of every later collection, at once


def _imported_summary(imported: tuple) -> None:
    """What the loaded file gave: counts, a remove button, warnings, rejected rows."""
    res = imported[2]
    st.caption(
        f"{md_escape(imported[0])}: {len(res.events):,} events, {len(res.rejected):,} rejected"
    )
    st.button("Remove this file's events", key="remove_upload", on_click=_remove_upload)
    outside = outside_map_note(res.events)
    if outside:
        st.info(outside)
    for w in res.warnings:
        st.warning(md_escape(w))
    if res.rejected:
        with st.expander(f"{len(res.rejected):,} rejected row(s)"):
            st.dataframe(rejections_frame(res.rejected[:1000]), hide_index=True)


def data_section(catalogue: Catalogue, data: Loaded) -> None:
    """The sidebar's "Your data": format, uploader, catalogue switch, what was imported."""
    st.header("Your data")
    st.selectbox(
        "Format", ["auto", "acled", "ucdp", "csv", "geojson"], key="upload_format"
    )  # before the uploader: _on_upload reads it
    st.file_uploader(
        "ACLED, UCDP GED (CSV, Excel .xlsx, tab-separated) or karabakh-map CSV / GeoJSON",
        type=list(detect.UPLOAD_EXTENSIONS),
        key=upload_key(),
        on_change=_on_upload,
        args=(catalogue,),
        help="The file is read once; another file replaces it.",
    )
    st.checkbox("Include the curated catalogue", key="use_catalogue")
    if st.session_state.upload_error:
        st.error(md_escape(st.session_state.upload_error))
    if data.imported:
        _imported_summary(data.imported)
