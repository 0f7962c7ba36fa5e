"""Bad UCDP GED and ACLED files never crash their importer, and nothing is lost silently.

Property-based, with the strategies and invariants of test_import_robustness.py (see there).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from events.io.acled import ACLED_COLUMNS, import_acled
from events.io.result import ImportFormatError
from events.io.ucdp import UCDP_GED_COLUMNS, import_ucdp_ged
from tests.unit.test_import_robustness import (
    FAST,
    NASTY_CELL,
    REGION_LAT,
    REGION_LON,
    TEXTS,
    TODAY,
    check_invariants,
    data_rows,
    encode,
)

pytestmark = pytest.mark.unit

# ---------------------------------------------------------------------------- UCDP GED

UCDP_KINDS = ["valid"] * 6 + [
    "odd_violence",
    "bad_id",
    "bad_start",
    "end_before",
    "bad_date_prec",
    "bad_where_prec",
    "bad_lat",
    "swapped",
    "zero",
    "dup",
    "blank",
    "short",
]


#: What each row kind changes in a good record (draw, its date_start) -> cells.
UCDP_CORRUPTIONS: dict[str, Callable[[Any, dt.date], dict[str, str]]] = {
    # unknown types are described, not rejected
    "odd_violence": lambda draw, start: {
        "type_of_violence": draw(st.sampled_from(["inf", "-inf", "nan", "x", "", "9"]))
    },
    "bad_id": lambda draw, start: {"id": draw(st.sampled_from(["", "abc", "-3", "1.5", "1e400"]))},
    "bad_start": lambda draw, start: {
        "date_start": draw(st.sampled_from(["", "2020-13-01", "yesterday"]))
    },
    "end_before": lambda draw, start: {
        "date_end": (start - dt.timedelta(days=draw(st.integers(1, 30)))).isoformat()
    },
    "bad_date_prec": lambda draw, start: {
        "date_prec": draw(st.sampled_from(["0", "6", "", "x", "inf"]))
    },
    "bad_where_prec": lambda draw, start: {
        "where_prec": draw(st.sampled_from(["0", "8", "", "x", "1e400"]))
    },
    "bad_lat": lambda draw, start: {
        "latitude": draw(st.sampled_from(["91", "-1e400", "nan", "", "north"]))
    },
    "zero": lambda draw, start: {"latitude": "0", "longitude": "0"},
}


@st.composite
def ucdp_files(draw):
    header = draw(st.booleans())
    rows, kept, rejected = [], [], []
    anchors: list[tuple[str, str]] = []  # (longitude, latitude) of kept rows
    swapped_once = False
    for i in range(draw(st.integers(1 if not header else 0, 12))):
        kind = draw(st.sampled_from(UCDP_KINDS if header or i else ["valid"]))
        if kind == "swapped" and (swapped_once or not anchors):  # see our_csv_files
            kind = "valid"
        start = draw(st.dates(dt.date(1989, 1, 1), TODAY))
        rec = dict.fromkeys(UCDP_GED_COLUMNS, "")
        rec.update(
            id=str(1000 + i),
            type_of_violence=draw(st.sampled_from(["1", "2", "3"])),
            where_prec=str(draw(st.integers(1, 7))),
            date_prec=str(draw(st.integers(1, 5))),
            latitude=repr(draw(REGION_LAT)),
            longitude=repr(draw(REGION_LON)),
            date_start=start.isoformat(),
            date_end=(start + dt.timedelta(days=draw(st.integers(0, 3)))).isoformat(),
            where_description=draw(TEXTS),
            dyad_name=draw(TEXTS),
            side_a=draw(TEXTS),
            side_b=draw(TEXTS),
            source_article=draw(TEXTS),
            best=draw(st.sampled_from(["", "0", "12"])),
        )
        if kind in UCDP_CORRUPTIONS:
            rec.update(UCDP_CORRUPTIONS[kind](draw, start))
        elif kind == "swapped":
            rec["latitude"], rec["longitude"] = draw(st.sampled_from(anchors))
            swapped_once = True
        elif kind == "dup":
            if kept:
                rec["id"] = draw(st.sampled_from(kept)).removeprefix("ucdp-")
            else:
                kind = "valid"
        values = [rec[c] for c in UCDP_GED_COLUMNS]
        if kind == "blank":
            values = [""] * len(values)
        elif kind == "short":
            values = values[: draw(st.integers(1, 48))]
        rows.append(values)
        row_no = i + (2 if header else 1)
        if kind in ("valid", "odd_violence"):
            kept.append(f"ucdp-{rec['id']}")
            anchors.append((rec["longitude"], rec["latitude"]))
        elif kind != "blank":
            rejected.append(row_no)
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    if header:
        w.writerow(UCDP_GED_COLUMNS)
    w.writerows(rows)
    text = buf.getvalue()
    how = draw(st.sampled_from(["utf-8", "utf-8-sig"]))
    return encode(text, how), kept, rejected, header


@settings(FAST, max_examples=200)
@given(ucdp_files())
def test_ucdp_keeps_valid_rows_and_reports_the_rest(case) -> None:
    data, kept, rejected, header = case
    r = import_ucdp_ged(io.BytesIO(data))
    assert [e.id for e in r.events] == kept, r.rejected
    assert [x.row for x in r.rejected] == rejected, r.rejected
    check_invariants(r, "<upload>", {n for n, _ in data_rows(data, header)})


@settings(FAST, max_examples=120)
@given(
    st.lists(st.lists(NASTY_CELL, min_size=49, max_size=49), min_size=1, max_size=6),
    st.booleans(),
)
def test_ucdp_chaos(rows: list[list[str]], header: bool) -> None:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    if header:
        w.writerow(UCDP_GED_COLUMNS)
    w.writerows(rows)
    data = buf.getvalue().encode()
    try:
        r = import_ucdp_ged(io.BytesIO(data))
    except ImportFormatError:
        assert not header  # only a headerless file whose row 1 is not 49 fields wide
        return
    has_header = not any("no header row" in w for w in r.warnings)
    check_invariants(r, "<upload>", {n for n, _ in data_rows(data, has_header)})


# ---------------------------------------------------------------------------- ACLED (layout)


@settings(FAST, max_examples=120)
@given(
    st.permutations(ACLED_COLUMNS),
    st.lists(st.fixed_dictionaries({c: NASTY_CELL for c in ACLED_COLUMNS}), max_size=6),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
    st.sampled_from([",", ";", "\t"]),
)
def test_acled_chaos_any_column_order_and_delimiter(
    cols: list[str], rows: list[dict], how: str, delim: str
) -> None:
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=cols, delimiter=delim, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    data = encode(buf.getvalue(), how)
    r = import_acled(io.BytesIO(data))
    check_invariants(r, "<upload>", {n for n, _ in data_rows(data)})
