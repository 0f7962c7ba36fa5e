"""The as-of days of an animation's frames: one per step (day, week or month), at most
MAX_FRAMES. Apart from the animation itself (matplotlib, Pillow) so the Storyboard tab can
count frames without importing them on every page's first run."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Literal

from kmap.words import date_in_words

MAX_FRAMES = 120
Every = Literal["day", "week", "month"]


class TooManyFrames(ValueError):
    """The range and step ask for more frames than MAX_FRAMES."""


def _add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    y, m = d.year + y, m + 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def frame_days(
    start: dt.date, end: dt.date, every: Every = "day", cap: int = MAX_FRAMES
) -> list[dt.date]:
    """The as-of days of the frames: start, start + 1 step, …, and always end last.

    27 September – 10 November 2020 by day is 45 frames."""
    if start > end:
        raise ValueError(f"start {start} is after end {end}")
    if every not in ("day", "week", "month"):
        raise ValueError(f"unknown step {every!r}; use day, week or month")
    days: list[dt.date] = []
    k, d = 0, start
    while d < end:
        days.append(d)
        if len(days) >= cap:
            raise TooManyFrames(
                f"{date_in_words(start)} – {date_in_words(end)} by {every} is more than "
                f"{cap} frames: choose a coarser step or a shorter range"
            )
        k += 1
        d = (
            _add_months(start, k)
            if every == "month"
            else start + dt.timedelta(days=k * (7 if every == "week" else 1))
        )
    days.append(end)
    return days
