"""kmap.areas: km² held per side (caption, chart series) and what changed hands between dates."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from geo import control
from kmap.areas import area_series, areas_caption, changes_frame, changes_geojson
from kmap.situation import SOVIET_NOTE
from palette import CONTROL_STYLES

D = dt.date


def test_caption_names_each_side_with_its_area() -> None:
    day = D(2021, 6, 1)
    caption = areas_caption(day)
    assert caption.startswith("As of 1 June 2021 (modelled area, equal-area projection): ")
    for side, km2 in control.areas_km2(day).items():
        label = CONTROL_STYLES[side].label if side in CONTROL_STYLES else side
        assert f"{label}: {km2:,.0f} km²" in caption


def test_caption_before_the_model_says_soviet_period() -> None:
    caption = areas_caption(D(1990, 1, 1))
    assert SOVIET_NOTE in caption and "modelled from 1991" in caption


def test_series_has_every_change_date_and_its_areas() -> None:
    today = D(2030, 1, 1)
    series = area_series(today)
    days = {d for d, _, _ in series}
    assert set(control.change_dates()) <= days and today in days
    day = max(control.change_dates())
    assert {who: km2 for d, who, km2 in series if d == day} == {
        who: round(km2, 1) for who, km2 in control.areas_km2(day).items()
    }


@pytest.mark.parametrize(
    ("a", "b"), [(D(2020, 9, 26), D(2020, 12, 2)), (D(1992, 1, 1), D(1994, 5, 12))]
)
def test_changes_table_and_map_overlay_agree(a: dt.date, b: dt.date) -> None:
    frame = changes_frame(a, b)
    overlay = changes_geojson(a, b)
    assert len(frame) == len(overlay["features"]) > 0
    assert list(frame.columns) == ["from", "to", "km²"]
    for km2, feature in zip(frame["km²"], overlay["features"], strict=True):
        shown = re.search(r", ([\d,]+) km²$", feature["properties"]["label"])
        assert shown and abs(float(shown[1].replace(",", "")) - km2) <= 0.5 + 0.05
    assert changes_frame(b, b).empty and changes_geojson(b, b)["features"] == []


def test_dates_before_the_model_count_from_its_start() -> None:
    start = control.MODEL_START
    later = D(1993, 6, 1)
    assert changes_frame(D(1989, 1, 1), later).equals(changes_frame(start, later))
