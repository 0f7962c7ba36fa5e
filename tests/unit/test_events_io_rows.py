"""events.io.rows: the one row loop every importer shares, and its small helpers."""

from __future__ import annotations

import datetime as dt

import pytest

from events.io.result import ImportResult, Rejection, RowError
from events.io.rows import build_event, cell, clip, import_rows, int_code, split_actors
from events.schema import Event, ResolvedEvent

pytestmark = pytest.mark.unit


def _event(id_: str, lon: float = 46.75, lat: float = 39.8) -> ResolvedEvent:
    ev = Event.model_validate(
        {
            "id": id_,
            "date": dt.date(2020, 11, 10),
            "type": "clash",
            "title": "A clash",
            "summary": "A clash near the line of contact.",
            "location": {"lon": lon, "lat": lat},
            "geo_precision": "exact",
            "sources": [{"url": "https://example.org/", "publisher": "Example"}],
        }
    )
    return ResolvedEvent(ev, lon, lat, ev.geo_precision)


def _make(rec: dict[str, str], row: int) -> ResolvedEvent:
    if rec.get("bad"):
        raise RowError("bad", f"row {row} is bad: {rec['bad']}")
    return _event(rec["id"], float(rec.get("lon", 46.75)), 39.8)


def test_every_record_becomes_an_event_or_a_rejection_in_order() -> None:
    records = [
        (2, {"id": "a-1"}),
        (3, {"id": "a-2", "bad": "no date"}),
        (4, {"id": "a-1"}),  # a repeated id: rejected naming the first row
        (5, {"id": "a-3", "lon": "30.0"}),  # outside the region box: kept, with a warning
    ]
    result = ImportResult(file="f.csv")
    import_rows(iter(records), result, _make, "event_id")
    assert [e.id for e in result.events] == ["a-1", "a-3"]
    assert result.rejected == [
        Rejection("f.csv", 3, "bad", "row 3 is bad: no date"),
        Rejection("f.csv", 4, "event_id", "duplicate id 'a-1' (first on row 2)"),
    ]
    assert result.warnings == ["f.csv: 1 imported event(s) lie outside the region box (kept)"]


def test_no_records_no_events_no_warning() -> None:
    result = ImportResult(file="empty.csv")
    import_rows(iter([]), result, _make, "id")
    assert (result.events, result.rejected, result.warnings) == ([], [], [])


def test_build_event_names_the_input_column() -> None:
    data = {
        "id": "x-1",
        "date": dt.date(2020, 1, 1),
        "type": "clash",
        "title": "ab",  # too short
        "summary": "A summary long enough.",
        "location": {"lon": 46.7, "lat": 39.8},
        "geo_precision": "exact",
        "sources": [{"url": "https://example.org/", "publisher": "Example"}],
    }
    with pytest.raises(RowError) as exc:
        build_event(data, {"title": "location"})
    assert exc.value.field == "location" and "3 characters" in exc.value.reason


def test_small_helpers() -> None:
    assert cell({"a": "  x "}, "a") == "x" and cell({}, "a") == "" and cell({"a": None}, "a") == ""
    assert clip("a  b\nc", 10) == "a b c"
    assert clip("abcdefghij", 5) == "abcd…"
    assert split_actors("A; B", "B;  C ", "") == ["A", "B", "C"]
    assert int_code(" 2.0 ", "geo_precision", {1: "x", 2: "y"}) == 2
    for bad in ("2.5", "3", "", "x", "1e400"):
        with pytest.raises(RowError) as exc:
            int_code(bad, "geo_precision", {1: "x", 2: "y"})
        assert exc.value.field == "geo_precision" and "[1, 2]" in exc.value.reason
