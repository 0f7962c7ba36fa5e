"""The Storyboard tab: collect views as steps, then make a PowerPoint deck, a multi-page PDF or
an animation of the date window (kmap.deck). The storyboard lives in the session; it is saved
and loaded as a small JSON file and, when short enough, carried in a share link (``sb=``).
A made file is offered only for the storyboard (or view) it was made from."""

from __future__ import annotations

import hashlib
import re
from dataclasses import fields
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from geo.gazetteer import GeocodeError, geocode
from kmap.deck.frames import MAX_FRAMES, TooManyFrames, frame_days
from kmap.deck.storyboard import (
    Annotation,
    Arrow,
    Callout,
    CircleArea,
    Step,
    Storyboard,
    StoryboardError,
)
from kmap.safetext import md_code
from kmap.view_export import DEFAULT_EXPORT_BBOX, bounds_bbox, view_signature
from kmap.viewstate import ViewState, to_query
from kmap.words import date_in_words
from ui import session
from ui.upload import Loaded

#: Frames offered for a step: the map's extent as it is on screen, or a named frame.
FRAMES = {
    "view": "The map as it is on screen",
    "box": "A box: two corners picked on the map",
    "karabakh": "Karabakh (former NKAO and the seven districts)",
    "lachin_corridor": "Lachin corridor",
    "nakhchivan": "Nakhchivan",
    "region": "Whole region",
}
PAPERS = {"a4": "A4", "a3": "A3", "letter": "Letter"}
#: Widgets of this tab whose values outlive the tab being closed (see ui.panels).
STORYBOARD_KEYS = (
    "sb_frame",
    "sb_paper",
    "sb_every",
    "sb_anim_fmt",
    "sb_deck_class",
    "sb_deck_title",
)
LINK_PARAM = "sb"


def board() -> Storyboard:
    """This session's storyboard (empty at first)."""
    return st.session_state.get("_storyboard") or Storyboard()


def _headed(b: Storyboard) -> Storyboard:
    """The storyboard with the deck title and classification line as typed in the tab."""
    state = st.session_state
    return b.model_copy(
        update={
            "title": state.get("sb_deck_title", ""),
            "classification": state.get("sb_deck_class", ""),
        }
    )


def _set(new: Storyboard) -> None:
    st.session_state._storyboard = new


def load_from_link(params: dict[str, str]) -> None:
    """First run only: a link's ``sb=`` parameter becomes the session's storyboard."""
    state = st.session_state
    if "_sb_link_read" in state:
        return
    state._sb_link_read = True
    if LINK_PARAM in params:
        try:
            loaded = Storyboard.from_link_param(params[LINK_PARAM])
        except StoryboardError as exc:
            state._sb_problem = f"The link's storyboard was not loaded: {exc}"
            return
        _set(loaded)
        session.write_widget("sb_deck_title", loaded.title, state)
        session.write_widget("sb_deck_class", loaded.classification, state)


def _add_step(view: ViewState) -> None:
    state = st.session_state
    frame = state.get("sb_frame", "view")
    bbox = bounds_bbox(state.get("bounds")) or DEFAULT_EXPORT_BBOX
    if frame == "box":
        try:
            if not (state.get("sb_box_a", "").strip() and state.get("sb_box_b", "").strip()):
                raise ValueError("a box needs two corners: pick them on the map")
            x0, y0 = _point("sb_box_a", "Corner", view)
            x1, y1 = _point("sb_box_b", "Corner", view)
        except (GeocodeError, ValueError) as exc:
            state._sb_problem = f"The step was not added: {exc}"
            return
        bbox, frame = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)), "view"
    title = state.get("sb_title", "").strip() or f"Situation as of {date_in_words(view.as_of)}"
    notes = tuple(state.get("_sb_pending", ()))
    try:
        step = Step(
            title=title,
            note=state.get("sb_note", ""),
            query=to_query(view),
            frame=bbox if frame == "view" else frame,
            annotations=notes,
        )
        _set(board().add(step))
    except (StoryboardError, ValueError) as exc:
        state._sb_problem = f"The step was not added: {exc}"
        return
    state.sb_title = state.sb_note = ""
    state._sb_pending = []


#: The fields a click on the map can fill, and what the page asks for meanwhile.
PICKABLE = {
    "sb_a_place": "the annotation's place (or an arrow's start)",
    "sb_a_to": "the arrow's end",
    "sb_box_a": "one corner of the box",
    "sb_box_b": "the opposite corner of the box",
}
_LATLON = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


def picking() -> str | None:
    """The field waiting for a click on the map, if any (the map reports clicks only then)."""
    return st.session_state.get("_sb_pick")


def _arm(field: str) -> None:
    """Wait for a click on the map for ``field``; a click reported before this one is stale."""
    state = st.session_state
    state._sb_pick = field
    state._sb_pick_seen = state.get("_sb_last_click")


def _cancel_pick() -> None:
    st.session_state._sb_pick = None


def picked(click: dict | None) -> None:
    """The map reported a click (``{"lat", "lng"}``): a new one fills the waiting field with
    "latitude, longitude". Called before the tab's widgets are drawn in the run."""
    state = st.session_state
    if not click or click == state.get("_sb_pick_seen"):
        return
    state._sb_last_click = click
    state[state._sb_pick] = f"{float(click['lat']):.4f}, {float(click['lng']):.4f}"
    state._sb_pick = None


def _point(field: str, label: str, view: ViewState) -> tuple[float, float]:
    """The lon/lat of ``field``: "latitude, longitude" (as a click on the map writes it) or a
    place (gazetteer, either toponym); the map's centre when empty. Errors name the field."""
    name = st.session_state.get(field, "").strip()
    if not name:
        return view.center
    if m := _LATLON.match(name):
        lat, lon = float(m[1]), float(m[2])
        if not (-85 <= lat <= 85 and -180 <= lon <= 180):
            raise ValueError(f"{label}: {name!r} is not a latitude, longitude")
        return (lon, lat)
    try:
        place = geocode(name)
    except GeocodeError as exc:
        raise GeocodeError(f"{label}: {exc}", []) from exc
    return (place.lon, place.lat)


def _add_annotation(view: ViewState) -> None:
    """Add the annotation described by the form to the step being prepared."""
    state = st.session_state
    kind, text = state.get("sb_a_kind", "Callout"), state.get("sb_a_text", "").strip()
    try:
        at = _point("sb_a_place", "At / from", view)
        if kind == "Arrow":
            note: Annotation = Arrow(start=at, end=_point("sb_a_to", "To", view), text=text)
        elif kind == "Circle":
            note = CircleArea(centre=at, radius_km=float(state.get("sb_a_radius", 10)), text=text)
        else:
            note = Callout(at=at, text=text)
    except (GeocodeError, ValueError) as exc:
        state._sb_problem = f"The annotation was not added: {exc}"
        return
    state._sb_pending = [*state.get("_sb_pending", []), note]
    state.sb_a_text = state.sb_a_place = state.sb_a_to = ""


def _drop_annotation(i: int) -> None:
    pending = list(st.session_state.get("_sb_pending", []))
    del pending[i]
    st.session_state._sb_pending = pending


def _describe(note: Annotation) -> str:
    def pt(p: tuple[float, float]) -> str:
        return f"{p[1]:.3f}° N {p[0]:.3f}° E"

    if isinstance(note, Arrow):
        return f"arrow {pt(note.start)} → {pt(note.end)}" + (f": {note.text}" if note.text else "")
    if isinstance(note, CircleArea):
        return f"circle {note.radius_km:g} km round {pt(note.centre)}" + (
            f": {note.text}" if note.text else ""
        )
    return f"callout at {pt(note.at)}: {note.text}"


def _annotations_form(view: ViewState) -> None:
    """Arrows, callouts and circled areas for the next step, placed at gazetteer places (either
    toponym) or at the map's centre; drawn on the step's slide, PDF page and in its JSON."""
    state = st.session_state
    busy = any(state.get(k) for k in ("sb_a_place", "sb_a_to", "sb_a_text", "_sb_pending"))
    with st.expander(
        "Annotations for the next step (arrows, callouts, circled areas)",
        expanded=busy or picking() in ("sb_a_place", "sb_a_to"),  # open while in use
    ):
        a1, a2, a3 = st.columns(3)
        kind = a1.radio("Kind", ["Callout", "Arrow", "Circle"], horizontal=True, key="sb_a_kind")
        a2.text_input("At / from (a place, or latitude, longitude)", key="sb_a_place")
        a2.button("Pick on the map", key="sb_pick_place", on_click=_arm, args=("sb_a_place",))
        if kind == "Arrow":
            a3.text_input("To (a place, or latitude, longitude)", key="sb_a_to")
            a3.button("Pick on the map", key="sb_pick_to", on_click=_arm, args=("sb_a_to",))
        elif kind == "Circle":
            a3.number_input("Radius (km)", 1.0, 500.0, 10.0, key="sb_a_radius")
        st.text_input("Text", key="sb_a_text", max_chars=200)
        st.button("Add annotation", key="sb_a_add", on_click=_add_annotation, args=(view,))
        for i, note in enumerate(st.session_state.get("_sb_pending", [])):
            n1, n2 = st.columns([8, 1])
            n1.markdown(md_code(_describe(note)))
            n2.button("✕", key=f"sb_a_rm_{i}", on_click=_drop_annotation, args=(i,))


def _edit(op: str, i: int) -> None:
    b = board()
    if op == "remove":
        _set(b.remove(i))
    elif op == "up":
        _set(b.move(i, i - 1))
    elif op == "down":
        _set(b.move(i, i + 1))
    elif op == "retitle":
        new = st.session_state.get("sb_new_title", "").strip()
        if new:
            _set(b.retitle(i, new))


def _replay(i: int) -> None:
    """Show step i on the map: its view becomes the view (one owner: ui.session)."""
    view, _ = board().steps[i].view()
    session.update_view(
        **{f.name: getattr(view, f.name) for f in fields(view) if f.name != "present"}
    )


def _load_file() -> None:
    up = st.session_state.get("sb_file")
    if up is None:
        return
    try:
        loaded = Storyboard.from_json(up.getvalue(), up.name)
    except StoryboardError as exc:
        st.session_state._sb_problem = str(exc)
        return
    _set(loaded)
    session.write_widget("sb_deck_title", loaded.title)  # kept from a stale request
    session.write_widget("sb_deck_class", loaded.classification)


def _steps_list(b: Storyboard) -> None:
    for i, step in enumerate(b.steps):
        view, _ = step.view()
        c0, c1, c2, c3, c4 = st.columns([6, 1, 1, 1, 1.3])
        frame = "map extent" if isinstance(step.frame, tuple) else FRAMES[step.frame]
        c0.markdown(
            f"**{i + 1}.** {md_code(step.title)} · as of {date_in_words(view.as_of)} · {frame}"
            + (" · note" if step.note else "")
            + (f" · {len(step.annotations)} annotation(s)" if step.annotations else "")
        )
        c1.button("↑", key=f"sb_up_{i}", on_click=_edit, args=("up", i), disabled=i == 0)
        c2.button(
            "↓",
            key=f"sb_down_{i}",
            on_click=_edit,
            args=("down", i),
            disabled=i == len(b.steps) - 1,
        )
        c3.button("✕", key=f"sb_rm_{i}", on_click=_edit, args=("remove", i), help="Remove")
        c4.button("Show", key=f"sb_show_{i}", on_click=_replay, args=(i,), help="Show on the map")
    r1, r2, r3 = st.columns([1, 4, 1.5])
    which = r1.selectbox(
        "Step", range(len(b.steps)), format_func=lambda i: str(i + 1), key="sb_which"
    )
    r2.text_input("New title", key="sb_new_title", max_chars=200)
    r3.button("Retitle", key="sb_retitle", on_click=_edit, args=("retitle", which))


def _offer(
    name: str, made_for: str, make: Any, label: str, fname: str, mime: str, col: Any
) -> None:
    """Make on click; offer the download only for what it was made from (else say so)."""
    state = st.session_state
    if col.button(label, key=f"make_{name}"):
        try:
            state[f"_sb_{name}"] = (made_for, make())
        except TooManyFrames as exc:
            state._sb_problem = str(exc)
    made = state.get(f"_sb_{name}")
    if made and made[0] == made_for:
        col.download_button(f"Download {fname}", made[1], fname, mime, key=f"dl_{name}")
    elif made:
        col.caption("Changed since this file was made: make it again.")


def _deck(b: Storyboard, data: Loaded) -> None:
    from kmap.deck.build import pages_for  # matplotlib, python-pptx: on use only

    st.text_input("Classification / handling line (optional)", key="sb_deck_class", max_chars=80)
    board_for = _headed(b)
    signature = hashlib.sha256(board_for.to_json() + repr(data.key).encode()).hexdigest()
    d1, d2, d3 = st.columns(3)
    paper = d3.selectbox("PDF paper", list(PAPERS), format_func=PAPERS.get, key="sb_paper")

    def pptx() -> bytes:
        from kmap.deck.pptx_deck import deck_pptx

        return deck_pptx(
            pages_for(board_for, data.events, data.placeless), board_for.classification
        )

    def pdf() -> bytes:
        from kmap.deck.pdf_deck import deck_pdf

        pages = pages_for(board_for, data.events, data.placeless)
        return deck_pdf(pages, paper, board_for.classification)

    pptx_mime = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    _offer("pptx", signature, pptx, "Make PowerPoint deck", "karabakh-map-deck.pptx", pptx_mime, d1)
    _offer("deckpdf", signature + paper, pdf, "Make PDF deck", f"karabakh-map-deck-{paper}.pdf",
           "application/pdf", d2)  # fmt: skip


def _animation(view: ViewState, data: Loaded) -> None:
    st.markdown("**Animate the date window** (the map day by day, week by week or month by month)")
    a1, a2, a3 = st.columns(3)
    st.session_state.setdefault("sb_every", "week")  # a default without the widget's index
    every = a1.radio("Step", ["day", "week", "month"], horizontal=True, key="sb_every")
    fmt = a2.radio("Format", ["gif", "mp4"], horizontal=True, key="sb_anim_fmt")
    try:
        n = len(frame_days(view.start, view.end, every))
    except TooManyFrames:
        a3.caption(f"More than {MAX_FRAMES} frames: choose a coarser step or a shorter window.")
        return
    a3.caption(f"{n} frames, {date_in_words(view.start)} to {date_in_words(view.end)}")
    state = st.session_state
    bbox = bounds_bbox(state.get("bounds")) or DEFAULT_EXPORT_BBOX
    made_for = view_signature(view, state.get("bounds"), every, fmt, data.key)

    def make() -> bytes:
        from kmap.deck.build import window_animation

        title = state.get("sb_deck_title") or f"Events from {date_in_words(view.start)}"
        return window_animation(view, data.events, bbox, title, every, fmt)

    mime = "image/gif" if fmt == "gif" else "video/mp4"
    name = f"karabakh-map-{view.start}-{view.end}-{every}.{fmt}"
    _offer("anim", made_for, make, f"Make {fmt.upper()} of {n} frames", name, mime, a3)


def draw(view: ViewState, data: Loaded) -> None:
    """The tab: add this view, the steps, save/load/link, deck and animation downloads."""
    state = st.session_state
    if problem := state.pop("_sb_problem", None):
        st.error(md_code(problem))
    if field := picking():
        p1, p2 = st.columns([5, 1])
        p1.info(f"Click the map at {PICKABLE[field]}.")
        p2.button("Cancel", key="sb_pick_cancel", on_click=_cancel_pick)
    b = board()
    st.text_input("Deck title (names the saved storyboard and the animation)", key="sb_deck_title",
                  max_chars=200, placeholder="e.g. The 2020 war in three maps")  # fmt: skip
    st.markdown("**Add the view on screen as a step** (dates, filters, layers, names, extent)")
    s1, s2 = st.columns(2)
    s1.text_input("Step title", key="sb_title", max_chars=200, placeholder="Situation as of …")
    s2.selectbox("Frame", list(FRAMES), format_func=FRAMES.get, key="sb_frame")
    s1.text_area("Speaker note (optional)", key="sb_note", max_chars=4000, height=68)
    if state.get("sb_frame") == "box":
        b1, b2 = st.columns(2)
        for col, field in ((b1, "sb_box_a"), (b2, "sb_box_b")):
            col.text_input(f"Box corner (latitude, longitude, or a place): {PICKABLE[field]}",
                           key=field)  # fmt: skip
            col.button("Pick on the map", key=f"sb_pick_{field}", on_click=_arm, args=(field,))
    _annotations_form(view)
    st.button("Add this view as a step", key="sb_add", on_click=_add_step, args=(view,))
    if not len(b.steps):
        st.caption("No steps yet: set the map up, then add it. Or load a saved storyboard.")
    else:
        _steps_list(b)
    f1, f2 = st.columns(2)
    saved = _headed(b)
    f1.download_button(
        "Save storyboard (JSON)", saved.to_json(), "karabakh-map-storyboard.json",
        "application/json", key="sb_save", disabled=not len(b.steps),
    )  # fmt: skip
    f2.file_uploader("Load a storyboard (JSON)", type=["json"], key="sb_file", on_change=_load_file)
    if len(b.steps) and (param := saved.to_link_param()):
        base = (st.context.url or "").split("?")[0]
        st.caption("Link to this view with this storyboard (copy it):")
        st.code(base + "?" + urlencode({**to_query(view), LINK_PARAM: param}), language=None)
    elif len(b.steps):
        st.caption("This storyboard is too long for a link: save it as a file instead.")
    if len(b.steps):
        _deck(b, data)
    _animation(view, data)
