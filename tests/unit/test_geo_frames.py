"""geo.frames: the GeoDataFrames agree with the per-day calls the app uses."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geo import control, frames, gazetteer, zones

pytestmark = pytest.mark.unit


def _days() -> list[dt.date]:
    """The model start, every fifth change date, and a few fixed days."""
    fixed = [dt.date(1994, 6, 1), dt.date(2020, 12, 2), dt.date(2023, 10, 1), dt.date.today()]
    return sorted({control.MODEL_START, *control.change_dates()[::5], *fixed})


@pytest.mark.parametrize("day", _days())
def test_in_force_is_the_situation_of_the_day(day):
    periods = frames.in_force(frames.control_periods(), day)
    assert set(periods["id"]) == {p.id for p in control.control_at(day)}
    got = frames.areas_km2(periods)
    for side, km2 in control.areas_km2(day).items():
        assert got.get(side, 0.0) == pytest.approx(km2, abs=0.2), side
    zs = frames.in_force(frames.zones_frame(), day)
    assert set(zs["id"]) == {z.id for z in zones.zones_at(day)}


def test_frames_are_wgs84_with_dates():
    for name in frames.FRAME_NAMES:
        gdf = frames.frame(name)
        assert gdf.crs == frames.CRS, name
        assert len(gdf) and gdf.geometry.notna().all(), name
    for gdf in (frames.control_periods(), frames.zones_frame()):
        assert pd.api.types.is_datetime64_any_dtype(gdf["valid_from"])
        assert pd.api.types.is_datetime64_any_dtype(gdf["valid_to"])
        assert gdf["valid_from"].notna().all()
    assert len(frames.places()) == len(gazetteer.places())
    assert set(frames.districts()["id"]) == {
        "district-aghdam",
        "district-fuzuli",
        "district-jabrayil",
        "district-kalbajar",
        "district-lachin",
        "district-qubadli",
        "district-zangilan",
    }
    with pytest.raises(ValueError, match="unknown frame 'roads'"):
        frames.frame("roads")


def test_timeless_frame_is_returned_whole():
    assert frames.in_force(frames.nkao(), dt.date(2000, 1, 1)) is frames.nkao()


def test_controllers_at_matches_controller_at():
    pts = [
        (46.74989, 39.76006, "1992-05-07"),  # Shusha
        (46.74989, 39.76006, "1993-01-01"),
        (46.74989, 39.76006, "2020-11-09"),
        (46.92736, 39.99096, "1994-01-01"),  # Aghdam
        (46.92736, 39.99096, "2020-11-21"),
        (46.54977, 39.63742, "2022-08-27"),  # Lachin
        (49.8671, 40.4093, "2000-01-01"),  # Baku: outside the modelled area
    ]
    gdf = gpd.GeoDataFrame(
        {"date": pd.to_datetime([d for _, _, d in pts])},
        geometry=[Point(lon, lat) for lon, lat, _ in pts],
        crs=frames.CRS,
        index=[10 * i for i in range(len(pts))],  # any index is kept
    )
    got = frames.controllers_at(gdf)
    assert list(got.index) == list(gdf.index)
    want = [control.controller_at(lon, lat, dt.date.fromisoformat(d)) for lon, lat, d in pts]
    assert got.tolist() == want
    assert "none" in want and "armenian" in want and "azerbaijani" in want


def test_controllers_at_is_null_where_nothing_is_modelled():
    gdf = gpd.GeoDataFrame(
        {"when": pd.to_datetime(["1988-02-20", None, "2000-01-01"])},
        geometry=[Point(46.75, 39.82), Point(46.75, 39.82), Point()],
        crs=frames.CRS,
    )
    assert frames.controllers_at(gdf, "when").tolist() == [None, None, None]
