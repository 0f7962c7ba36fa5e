"""kmap.timewindow: stepping and naming the date window."""

from __future__ import annotations

import datetime as dt

import pytest

from kmap.timewindow import CUSTOM, preset_of, step_window
from kmap.viewstate import EARLIEST, PRESETS

D = dt.date
LAST = D(2026, 12, 4)


@pytest.mark.parametrize(
    ("window", "unit"),
    [
        ((D(2020, 12, 1), D(2021, 1, 31)), "month"),  # a month end: 28 Feb, then back to 31 Jan
        ((D(2020, 1, 31), D(2020, 3, 31)), "month"),
        ((D(2019, 2, 28), D(2019, 2, 28)), "month"),
        ((D(2020, 9, 27), D(2020, 11, 10)), "week"),
        ((D(2020, 9, 27), D(2020, 11, 10)), "day"),
    ],
)
def test_step_forward_then_back_returns(window: tuple[D, D], unit: str) -> None:
    there = step_window(*window, unit, 1, LAST)
    assert there != window
    assert step_window(*there, unit, -1, LAST) == window


def test_month_step_keeps_month_ends() -> None:
    assert step_window(D(2020, 12, 1), D(2021, 1, 31), "month", 1, LAST) == (
        D(2021, 1, 1),
        D(2021, 2, 28),
    )


def test_step_is_clamped_to_the_range() -> None:
    assert step_window(D(2026, 11, 1), D(2026, 12, 1), "week", 1, LAST)[1] == LAST
    assert step_window(EARLIEST, D(1988, 2, 1), "month", -1, LAST)[0] == EARLIEST
    with pytest.raises(ValueError, match="unknown step"):
        step_window(EARLIEST, LAST, "fortnight", 1, LAST)


def test_preset_of_names_exact_windows_only() -> None:
    for name, (a, b) in PRESETS.items():
        assert preset_of(a, b) == name
        assert preset_of(a, b + dt.timedelta(days=1)) == CUSTOM
