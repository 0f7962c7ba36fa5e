"""kmap.view_export: a made file's signature, the exported extent, the briefing spec."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from events import load_catalogue
from geo import control
from kmap.situation import situation
from kmap.view_export import DEFAULT_EXPORT_BBOX, bounds_bbox, briefing_spec, view_signature
from kmap.viewstate import ViewState

WAR = ViewState(start=dt.date(2020, 9, 27), end=dt.date(2020, 11, 10))


def _bounds(w: object, s: object, e: object, n: object) -> dict:
    return {"_southWest": {"lng": w, "lat": s}, "_northEast": {"lng": e, "lat": n}}


def test_bounds_bbox_reads_leaflet_bounds_or_none() -> None:
    assert bounds_bbox(_bounds(45, 39, 47.5, 40.5)) == (45.0, 39.0, 47.5, 40.5)
    assert bounds_bbox(_bounds("45.5", 39, 47, 40)) == (45.5, 39.0, 47.0, 40.0)
    assert bounds_bbox(None) is None
    assert bounds_bbox({"_southWest": {"lng": 45}}) is None
    assert bounds_bbox(_bounds("west", 39, 47, 40)) is None
    assert bounds_bbox(_bounds(47, 39, 45, 40)) is None  # west of east: not an extent
    assert bounds_bbox(_bounds(45, 39, 45, 40)) is None  # empty


def test_signature_ignores_the_map_position_only() -> None:
    sig = view_signature(WAR, None)
    moved = replace(WAR, center=(46.1, 40.2), zoom=11, present=True)
    assert view_signature(moved, None) == sig
    assert view_signature(replace(WAR, end=dt.date(2020, 11, 9)), None) != sig
    assert view_signature(replace(WAR, layers=frozenset({"events"})), None) != sig
    assert view_signature(replace(WAR, toponyms="armenian"), None) != sig
    assert view_signature(WAR, (45, 39, 47, 40)) != sig
    assert view_signature(WAR, None, "title") != view_signature(WAR, None, "other title")


@pytest.fixture(scope="module")
def events() -> list:
    return list(load_catalogue().events)


def test_briefing_spec_holds_what_the_map_shows(events: list) -> None:
    sit = situation(events, WAR)
    spec = briefing_spec(WAR, sit, None, "", None)
    assert spec.title == "karabakh-map" and spec.bbox == DEFAULT_EXPORT_BBOX
    assert (spec.as_of, spec.event_start, spec.event_end) == (WAR.end, WAR.start, WAR.end)
    assert len(spec.events) == len(sit.shown)
    assert spec.control is not None and spec.control["features"]
    assert spec.zones is not None


def test_briefing_spec_leaves_out_layers_that_are_off(events: list) -> None:
    view = replace(WAR, end=dt.date(2021, 6, 1), layers=frozenset({"corridor", "nkao"}))
    spec = briefing_spec(view, situation(events, view), (45, 39, 47, 40), "T", "Restricted")
    assert spec.control is None and spec.events == ()
    assert spec.zones["features"]
    assert {f["properties"]["kind"] for f in spec.zones["features"]} == {"corridor"}
    assert spec.bbox == (45, 39, 47, 40) and spec.classification == "Restricted"
    soviet = replace(WAR, start=dt.date(1988, 1, 1), end=dt.date(1989, 1, 1))
    assert not control.modelled(soviet.as_of)
    assert briefing_spec(soviet, situation(events, soviet), None, "T", None).control is None
