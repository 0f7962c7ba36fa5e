"""kmap.situation: what the map shows for a view, and what it cannot show."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from events import Catalogue, load_catalogue
from events.io.detect import import_file
from events.query import filter_events
from kmap.datasets import control_collection, zones_collection
from kmap.map.masks import decode_mask
from kmap.situation import (
    SOVIET_NOTE,
    control_periods_at,
    datasets_on,
    outside_map_note,
    situation,
    zone_kinds_on,
    zones_in_force,
)
from kmap.viewstate import ZONE_TOGGLE, ViewState
from palette import ZONE_STYLES


def test_uploads_outside_the_map_are_explained() -> None:
    head = "id,date,type,title,summary,lon,lat,geo_precision,sources\n"
    rows = [
        "in-1,2021-05-12,clash,Inside,An event inside the map.,46.75,39.81,exact,https://e.org\n",
        "far-1,2021-05-12,clash,Donbas,An event far outside.,38.5,48.1,exact,https://e.org\n",
    ]
    events = import_file((head + "".join(rows)).encode(), "x.csv", "csv").events
    assert len(events) == 2  # kept
    note = outside_map_note(events)
    assert note and note.startswith("1 event(s)") and "table" in note
    assert outside_map_note(events[:1]) is None


# ---- the situation of a view ---------------------------------------------------------------
D = dt.date


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def test_datasets_follow_the_layer_toggles() -> None:
    assert datasets_on(ViewState(layers=frozenset({"events", "nkao"}))) == {"events"}
    assert datasets_on(ViewState(layers=frozenset({"corridor"}))) == {"zones"}
    assert zone_kinds_on(ViewState(layers=frozenset({"peacekeeping"}))) == {
        k for k, toggle in ZONE_TOGGLE.items() if toggle == "peacekeeping"
    }
    assert zone_kinds_on(ViewState(layers=frozenset({"control", "events"}))) == set()


def test_masks_pick_what_is_in_force_on_the_as_of_day(catalogue: Catalogue) -> None:
    day = D(2021, 6, 1)
    sit = situation(catalogue.events, ViewState(start=D(2021, 1, 1), end=day))
    control_ids = [f["properties"]["id"] for f in control_collection()["features"]]
    on = decode_mask(sit.masks["control"], len(control_ids))
    assert {i for i, bit in zip(control_ids, on, strict=True) if bit} == {
        p.id for p in control_periods_at(day)
    }
    zone_ids = [f["properties"]["id"] for f in zones_collection()["features"]]
    on = decode_mask(sit.masks["zones"], len(zone_ids))
    assert {i for i, bit in zip(zone_ids, on, strict=True) if bit} == {
        z.id for z in zones_in_force(day, set(ZONE_TOGGLE))
    }
    assert "Situation as of 1 June 2021" in sit.banner[0]
    assert f": {len(sit.shown)} shown" in sit.banner[-1]


def test_only_the_corridor_layer_shows_only_corridor_zones(catalogue: Catalogue) -> None:
    day = D(2021, 6, 1)
    sit = situation(catalogue.events, ViewState(end=day, layers=frozenset({"corridor"})))
    assert set(sit.masks) == {"zones"} and sit.shown == []
    assert {r["label"] for r in sit.legend} == {ZONE_STYLES["corridor"].label}


def test_before_1991_there_are_no_held_areas(catalogue: Catalogue) -> None:
    sit = situation(catalogue.events, ViewState(start=D(1988, 1, 1), end=D(1990, 6, 1)))
    assert SOVIET_NOTE in sit.banner
    assert sit.legend[0]["label"].startswith("Soviet period")
    assert not any(decode_mask(sit.masks["control"], len(control_collection()["features"])))
    assert control_periods_at(D(1990, 6, 1)) == []


def test_events_with_no_place_are_filtered_into_unmapped(catalogue: Catalogue) -> None:
    placeless = list(catalogue.placeless)
    assert placeless  # the catalogue has events with no place; this test needs some
    day = placeless[0].date
    view = ViewState(start=day, end=day)
    sit = situation(catalogue.events, view, placeless)
    expected = filter_events(placeless, start=day, end=day)
    assert sit.unmapped == expected and expected
    assert f"and {len(expected)} with no place on the map" in sit.banner[-1]
    assert not set(map(id, sit.unmapped)) & set(map(id, sit.shown))
    hidden = situation(catalogue.events, replace(view, layers=frozenset({"control"})), placeless)
    assert hidden.unmapped == [] and hidden.shown == []  # events layer off: none listed
