"""events.frame: events as a GeoDataFrame (rows kept, placeless kept, dates as dates, GPKG)."""

from __future__ import annotations

import datetime as dt
import json
import math

import pandas as pd
import pyogrio
import pytest

from events.catalogue import load_catalogue
from events.frame import FRAME_COLUMNS, to_geodataframe
from events.io.export import actors_text
from events.schema import Event, ResolvedEvent

pytestmark = pytest.mark.unit


def _event(id_: str, location: dict, lonlat: tuple[float, float], **kw) -> ResolvedEvent:
    data = {
        "id": id_,
        "date": dt.date(2020, 11, 10),
        "type": "agreement",
        "title": "Trilateral statement signed",
        "summary": "Armenia, Azerbaijan and Russia signed a statement ending the fighting.",
        "location": location,
        "actors": ["Government of Armenia", "Government of Azerbaijan"],
        "sources": [{"url": "https://example.org/a?x=1&y=2", "publisher": "Example"}],
        **kw,
    }
    if not location.get("none"):
        data.setdefault("geo_precision", "exact")
    ev = Event.model_validate(data)
    return ResolvedEvent(ev, lonlat[0], lonlat[1], ev.geo_precision, location.get("place"))


PLACED = _event("placed", {"place": "Moscow"}, (37.6173, 55.7558))
SPELL = _event(
    "blockade-1",
    {"lon": 46.55, "lat": 39.59},
    (46.55, 39.59),
    type="blockade",
    date=dt.date(2022, 12, 12),
    end_date=dt.date(2023, 9, 19),
    actors=["a; b", "c"],
)
PLACELESS = _event("no-place", {"none": True}, (math.nan, math.nan))
EVENTS = [PLACED, SPELL, PLACELESS]


def test_one_row_per_event_in_order_with_the_columns() -> None:
    gdf = to_geodataframe(EVENTS)
    assert len(gdf) == len(EVENTS)
    assert gdf["id"].tolist() == [ev.id for ev in EVENTS]
    assert list(gdf.columns) == [*FRAME_COLUMNS, "geometry"]
    assert gdf.crs.to_epsg() == 4326


def test_points_are_lon_lat_and_placeless_is_kept_empty() -> None:
    gdf = to_geodataframe(EVENTS).set_index("id")
    assert (gdf.geometry["placed"].x, gdf.geometry["placed"].y) == (37.6173, 55.7558)
    assert gdf.geometry["no-place"].is_empty
    assert not gdf.geometry["placed"].is_empty
    assert gdf["no_place"].tolist() == [False, False, True]
    assert gdf["geo_precision"]["no-place"] == "region"


def test_dates_are_dates() -> None:
    gdf = to_geodataframe(EVENTS).set_index("id")
    assert pd.api.types.is_datetime64_any_dtype(gdf["date"])
    assert pd.api.types.is_datetime64_any_dtype(gdf["end_date"])
    assert gdf["date"]["blockade-1"].date() == dt.date(2022, 12, 12)
    assert gdf["end_date"]["blockade-1"].date() == dt.date(2023, 9, 19)
    assert pd.isna(gdf["end_date"]["placed"])
    assert gdf["kind"].tolist() == ["incident", "situation", "incident"]


def test_actors_text_and_sources_json() -> None:
    gdf = to_geodataframe(EVENTS).set_index("id")
    assert gdf["actors"]["placed"] == "Government of Armenia; Government of Azerbaijan"
    assert json.loads(gdf["actors"]["blockade-1"]) == ["a; b", "c"]  # joining would lose it
    assert json.loads(gdf["sources"]["placed"]) == [
        {"url": "https://example.org/a?x=1&y=2", "publisher": "Example"}
    ]
    assert actors_text([]) == ""
    assert json.loads(actors_text(["x", "x"])) == ["x", "x"]


def test_empty_input_gives_an_empty_frame_with_the_columns() -> None:
    gdf = to_geodataframe([])
    assert len(gdf) == 0
    assert list(gdf.columns) == [*FRAME_COLUMNS, "geometry"]


def test_geopackage_round_trip(tmp_path) -> None:
    gdf = to_geodataframe(EVENTS)
    path = tmp_path / "events.gpkg"
    pyogrio.write_dataframe(gdf, path, layer="events")
    back = pyogrio.read_dataframe(path, layer="events")
    assert len(back) == len(EVENTS)
    assert back["id"].tolist() == gdf["id"].tolist()
    assert back.crs.to_epsg() == 4326
    assert back["date"].dt.date.tolist() == [ev.date for ev in EVENTS]
    assert back.geometry.is_empty.tolist() == [False, False, True]
    assert back.geometry.iloc[1].equals(gdf.geometry.iloc[1])
    assert back["no_place"].astype(bool).tolist() == [False, False, True]
    for col in ("title", "summary", "sources", "actors", "type", "date_precision"):
        assert back[col].tolist() == gdf[col].tolist(), col


def test_the_catalogue_as_a_frame() -> None:
    cat = load_catalogue()
    events = [*cat.events, *cat.placeless]
    gdf = to_geodataframe(events)
    assert len(gdf) == len(events)
    assert int(gdf["no_place"].sum()) == len(cat.placeless)
    assert gdf.geometry.is_empty.tolist() == gdf["no_place"].tolist()
    assert gdf["id"].tolist() == [ev.id for ev in events]
