"""kmap.tables: pages of the shown events, the table's file exports, rejected rows."""

from __future__ import annotations

import datetime as dt
import io
import json

import pandas as pd
import pytest

from benchmarks.synth import acled_csv
from events import load_catalogue
from events.io.detect import import_file
from kmap import charts
from kmap.situation import Situation, situation
from kmap.tables import TABLE_EXPORTS, events_page, rejections_frame, table_export
from kmap.viewstate import ViewState


@pytest.fixture(scope="module")
def events() -> list:
    return list(load_catalogue().events) + list(import_file(acled_csv(300, seed=3), "s.csv").events)


@pytest.fixture(scope="module")
def sit(events: list) -> Situation:
    return situation(events, ViewState(start=dt.date(1990, 1, 1), end=dt.date(2025, 12, 31)))


def test_pages_cover_the_shown_events_once_in_date_order(events: list, sit: Situation) -> None:
    size = 25
    first, pages = events_page(events, sit, 1, size)
    assert pages == -(-len(sit.shown) // size) and pages > 1
    all_rows = pd.concat(
        [events_page(events, sit, p, size)[0] for p in range(1, pages + 1)], ignore_index=True
    )
    assert all_rows.equals(charts.events_frame(sorted(sit.shown, key=lambda ev: ev.event.date)))
    assert events_page(events, sit, 0, size)[0].equals(first)  # clamped to the first page
    last = events_page(events, sit, pages, size)[0]
    assert events_page(events, sit, pages + 7, size)[0].equals(last)  # and to the last
    newest, _ = events_page(events, sit, 1, size, newest_first=True)
    assert list(newest["id"]) == list(all_rows["id"])[::-1][:size]


def test_a_situation_without_index_pages_the_same(events: list, sit: Situation) -> None:
    bare = Situation(sit.shown, sit.masks, sit.banner, sit.legend)  # index None
    for page in (1, 3):
        assert events_page(events, bare, page, 50)[0].equals(events_page(events, sit, page, 50)[0])
    assert events_page(events, Situation([], {}, [], []))[1] == 1  # nothing shown: one page


@pytest.mark.parametrize("fmt", list(TABLE_EXPORTS))
def test_table_exports_hold_every_row(fmt: str, sit: Situation) -> None:
    rows = sit.shown[:40]
    data, mime, ext = table_export(rows, fmt)
    assert (mime, ext) == TABLE_EXPORTS[fmt]
    text = data.decode("utf-8")
    if fmt == "GeoJSON":
        assert [f["properties"]["id"] for f in json.loads(text)["features"]] == [
            ev.event.id for ev in rows
        ]
    elif fmt == "CSV":
        assert len(pd.read_csv(io.StringIO(text))) == len(rows)
    else:
        assert text.count("<Placemark") == len(rows)


def test_rejections_frame_lists_file_row_field_and_reason() -> None:
    head = "id,date,type,title,summary,lon,lat,geo_precision,sources\n"
    bad = "x-1,not-a-date,clash,T,S,46.7,39.8,exact,https://e.org\n"
    result = import_file((head + bad).encode(), "bad.csv", "csv")
    assert result.rejected
    frame = rejections_frame(result.rejected)
    assert list(frame.columns) == ["file", "row", "field", "reason"]
    assert list(frame["file"]) == [r.file for r in result.rejected]
    assert list(frame["field"]) == [r.field for r in result.rejected]
    assert rejections_frame([]).empty
