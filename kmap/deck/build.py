"""Storyboard -> deck pages and animations, built from the app's own situation of each view:
the same filtering, control and zones as the map (kmap.situation) and the same briefing spec
as the single-image export (kmap.view_export.briefing_spec). Used by ui/ and the benchmark."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

from events.query import filter_events
from events.schema import ResolvedEvent
from kmap.briefing.spec import BriefingSpec
from kmap.deck.animation import animation
from kmap.deck.pages import DeckPage, deck_page, framed
from kmap.deck.storyboard import Step, Storyboard
from kmap.situation import situation
from kmap.view_export import briefing_spec
from kmap.viewstate import ViewState


def page_for(
    step: Step,
    events: Sequence[ResolvedEvent],
    classification: str,
    placeless: Sequence[ResolvedEvent] = (),
) -> DeckPage:
    """One step's page: its view's situation (filtered events, control, zones in force) and
    briefing spec, framed by the step and filled to the slide."""
    view, _problems = step.view()  # problems were shown when the step was added or loaded
    sit = situation(events, view, placeless)
    in_window = len(filter_events(events, view.start, view.end))
    spec = briefing_spec(view, sit, step.bbox(), step.title, classification)
    return deck_page(
        view, sit.shown, in_window, framed(spec, step), note=step.note, annotations=step.annotations
    )


def pages_for(
    board: Storyboard,
    events: Sequence[ResolvedEvent],
    placeless: Sequence[ResolvedEvent] = (),
) -> list[DeckPage]:
    """Every step's page, in the storyboard's order."""
    return [page_for(s, events, board.classification, placeless) for s in board.steps]


def window_animation(
    view: ViewState,
    events: Sequence[ResolvedEvent],
    bbox: tuple[float, float, float, float],
    title: str,
    every: Literal["day", "week", "month"] = "week",
    fmt: Literal["gif", "mp4"] = "gif",
    classification: str | None = None,
) -> bytes:
    """The view's date window played as-of day by as-of day (the window's start fixed, so
    events accumulate): one frame per day/week/month step, the window's end last."""

    def spec_for(day: dt.date) -> BriefingSpec:
        v = replace(view, end=day)
        return briefing_spec(v, situation(events, v), bbox, title, classification)

    return animation(view.start, view.end, spec_for, every, fmt)
