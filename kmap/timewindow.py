"""The date window: stepping it by a day, week or month (step buttons, Play) and naming it
(the preset whose dates it is)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from kmap.viewstate import EARLIEST, PRESETS

#: The preset box's value when the window matches no preset.
CUSTOM = "(custom)"


def _shift(day: dt.date, unit: str, n: int) -> dt.date:
    """`day` moved by n days/weeks/months; a month end stays a month end (31 Jan -> 28 Feb ->
    31 Mar), so stepping forward then back returns to the same window."""
    from dateutil.relativedelta import relativedelta

    if unit == "day":
        return day + dt.timedelta(days=n)
    if unit == "week":
        return day + dt.timedelta(weeks=n)
    if unit != "month":
        raise ValueError(f"unknown step {unit!r}: day, week or month")
    moved = day + relativedelta(months=n)
    if (day + dt.timedelta(days=1)).day == 1:  # a month end
        moved += relativedelta(day=31)  # relativedelta clamps to that month's last day
    return moved


def step_window(
    start: dt.date, end: dt.date, unit: str, direction: int, last: dt.date | None = None
) -> tuple[dt.date, dt.date]:
    """Slide the date window by one day/week/month (playback), clamped to [EARLIEST, today]."""
    last = last or dt.date.today()
    new_start, new_end = _shift(start, unit, direction), _shift(end, unit, direction)
    if new_end > last:
        new_start, new_end = new_start - (new_end - last), last
    if new_start < EARLIEST:
        new_end, new_start = new_end + (EARLIEST - new_start), EARLIEST
    return new_start, min(new_end, last)


def preset_of(start: dt.date, end: dt.date) -> str:
    """The preset whose dates are exactly (start, end), else CUSTOM."""
    return next((name for name, dates in PRESETS.items() if dates == (start, end)), CUSTOM)


@lru_cache(maxsize=1)
def time_marks() -> dict[str, list[str]]:
    """Days the timeline marks (ISO): where control changes, and where a zone (peacekeepers,
    corridor, missions) starts or ends."""
    from geo import control, zones

    return {
        "control": [d.isoformat() for d in control.change_dates()],
        "zones": [d.isoformat() for d in zones.zone_change_dates()],
    }
