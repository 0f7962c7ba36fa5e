"""Bad files never crash an importer or the catalogue loader, and nothing is lost silently.

Property-based (hypothesis), over UCDP GED, ACLED, our CSV, our GeoJSON and the YAML
catalogue; about 1,300 generated inputs per run. Two kinds of strategy:

* structured: files built row by row from known-good rows and known corruptions (bad dates,
  out-of-range / swapped / non-finite coordinates, non-http(s) sources, duplicate ids,
  hostile text, BOMs, UTF-16, CRLF); the test knows exactly which rows must be kept and which
  rejected, and checks both lists.
* chaos: cells, properties and YAML values drawn from a pool of nasty values (huge numbers,
  deep brackets, NUL, lone BOMs, formula starts, HTML); the test checks the invariants only:
  no exception but the documented ImportFormatError, every non-blank row either kept or
  rejected (never both, never neither), every rejection names file, row, field and reason,
  and every kept event is sane enough for the exporters and the map.

tests/unit/test_events_importers.py holds the ACLED row-kind property and arbitrary bytes;
this module does not repeat those.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.catalogue import load_catalogue
from events.exporters import to_csv, to_geojson, to_kml
from events.importers import (
    ACLED_COLUMNS,
    CSV_COLUMNS,
    UCDP_GED_COLUMNS,
    ImportFormatError,
    ImportResult,
    csv_guard,
    import_acled,
    import_csv,
    import_geojson,
    import_ucdp_ged,
)
from events.io.reading import decode, sniff_delimiter
from kmap.dynamic import event_feature
from tests.hostile import PAYLOADS, PLAIN

pytestmark = pytest.mark.unit

FAST = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
TODAY = dt.date.today()

# ---------------------------------------------------------------------------- shared pieces


class _Place:
    def __init__(self, name: str, lon: float, lat: float) -> None:
        self.name, self.lon, self.lat = name, lon, lat
        self.name_hy = self.name_az = None
        self.precision = "exact"


_PLACES = {"shusha": _Place("Shusha", 46.7489, 39.7581)}


def fake_geocode(name: str) -> _Place:
    """Knows one place; anything else is unknown (LookupError, as the gazetteer raises)."""
    key = name.strip().casefold() if isinstance(name, str) else None
    if key in _PLACES:
        return _PLACES[key]
    raise LookupError(f"unknown place {name!r}")


NASTY = [
    "",
    " ",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "1e400",
    "-1e400",
    "9" * 5000,
    "[" * 3000,
    "[" + "1" * 5000 + "]",
    "[]",
    "{}",
    "null",
    '[{"url":"javascript:alert(1)","publisher":"x"}]',
    '[{"url":"data:text/html,x","publisher":"x"}]',
    '[{"url":"https://example.org/","publisher":"x"}]',
    "\x00",
    "\ufeff",
    "\u2028",
    "2020-02-30",
    "0000-00-00",
    "99999-01-01",
    "1987-12-31",
    "2020-11-10",
    "16 May 2025",
    "=cmd|' /C calc'!A0",
    "'=1+1",
    "@SUM(A1)",
    "😀" * 3,
    "\r",
    "\n",
    '"',
    ",",
    ";",
    "\t",
    "0",
    "1",
    "2",
    "7",
    "-1",
    "1.5",
    "46.75",
    "39.8",
    "120",
    "-95",
    "exact",
    "clash",
    "https://example.org/x",
    "javascript:alert(1)",
    "x" * 3000,
    *PAYLOADS,
    *PLAIN,
]
NASTY_CELL = st.one_of(st.sampled_from(NASTY), st.text(max_size=25))


def _data_rows(data: bytes, header: bool = True) -> list[tuple[int, list[str]]]:
    """Non-blank data records, numbered as the importers number rows.

    Decoded and split exactly as the importers do (their BOM handling and delimiter sniffing),
    so that the accounting below compares like with like.
    """
    text = decode(data, "x")[0]
    delim = sniff_delimiter(text.split("\n", 1)[0])
    recs = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
    start = 1 if header else 0
    return [(i + 1, r) for i, r in enumerate(recs) if i >= start and any(f.strip() for f in r)]


def _row_of(origin: str | None) -> int:
    m = re.search(r" row (\d+)$", origin or "")
    assert m, origin
    return int(m.group(1))


def check_invariants(r: ImportResult, name: str, candidate_rows: set[int]) -> None:
    """Nothing lost, nothing doubled, every rejection explained, kept events sane."""
    kept = [_row_of(e.origin) for e in r.events]
    rejected = [x.row for x in r.rejected]
    assert len(set(kept)) == len(kept)
    assert len(set(rejected)) == len(rejected), r.rejected
    assert not set(kept) & set(rejected)
    assert set(kept) | set(rejected) == candidate_rows
    for x in r.rejected:
        assert x.file == name
        assert isinstance(x.row, int) and x.row >= 1
        assert isinstance(x.field, str) and x.field
        assert isinstance(x.reason, str) and x.reason
    for e in r.events:
        assert math.isfinite(e.lon) and math.isfinite(e.lat)
        assert -180 <= e.lon <= 180 and -90 <= e.lat <= 90
        for t in (e.place, e.place_hy, e.place_az):
            assert t is None or isinstance(t, str)
        assert all(re.match(r"https?://", s.url, re.IGNORECASE) for s in e.event.sources)
    # whatever was kept can be exported and drawn
    to_csv(r.events)
    to_geojson(r.events)
    to_kml(r.events)
    for e in r.events:
        event_feature(e)


def _encode(text: str, how: str) -> bytes:
    if how == "utf-8-sig":
        return text.encode("utf-8-sig")
    if how == "utf-16":
        return text.encode("utf-16")  # with BOM
    return text.encode("utf-8")


# ---------------------------------------------------------------------------- our CSV

REGION_LON = st.floats(44.0, 48.0)
REGION_LAT = st.floats(38.8, 41.5)
TEXTS = st.one_of(st.sampled_from([*PAYLOADS, *PLAIN]), st.text(min_size=0, max_size=30))
CSV_KINDS = ["valid"] * 8 + [
    "geocoded",
    "bad_date",
    "future",
    "bad_type",
    "js_url",
    "data_url",
    "no_source",
    "deep_sources",
    "huge_json",
    "bad_lon",
    "nan_lat",
    "swapped",
    "unknown_place",
    "long_place",
    "short_title",
    "dup",
    "blank",
    "bad_actors",
]


def _good_row(draw, i: int) -> dict[str, str]:
    title = "Title " + draw(TEXTS)
    summary = "Summary text: " + draw(TEXTS)
    return {
        "id": f"ev-{i}",
        "date": draw(st.dates(dt.date(1988, 1, 1), TODAY)).isoformat(),
        "type": draw(st.sampled_from(["clash", "blockade", "agreement", "political"])),
        "title": csv_guard(title[:200]),
        "summary": csv_guard(summary),
        "place": csv_guard(draw(TEXTS)),
        "place_hy": csv_guard(draw(TEXTS)),
        "lon": repr(draw(REGION_LON)),
        "lat": repr(draw(REGION_LAT)),
        "geo_precision": draw(st.sampled_from(["exact", "near", "district", "region"])),
        "actors": csv_guard(json.dumps([draw(TEXTS)])),
        "confidence": draw(st.sampled_from(["high", "medium", "low", ""])),
        "sources": csv_guard(
            json.dumps([{"url": "https://example.org/" + str(i), "publisher": "P " + draw(TEXTS)}])
        ),
    }


@st.composite
def our_csv_files(draw):
    """(bytes, kept ids, rejected rows)."""
    rows, kept, rejected = [], [], []
    anchors: list[tuple[str, str]] = []  # (lon, lat) of kept rows with coordinates
    swapped_once = False
    for i in range(draw(st.integers(1, 14))):
        kind = draw(st.sampled_from(CSV_KINDS))
        # A swapped row mirrors a kept row's point, so that swapping it back lands where the
        # file's other rows are; one per file, else two mirrors would vouch for each other.
        if kind == "swapped" and (swapped_once or not anchors):
            kind = "valid"
        row = _good_row(draw, i)
        if kind == "geocoded":
            row.update(lon="", lat="", place="Shusha")
        elif kind == "bad_date":
            row["date"] = draw(st.sampled_from(["2020-02-30", "10/11/2020", "", "soon"]))
        elif kind == "future":
            # Two days ahead at least: TODAY is read once at import, and a run that crosses
            # midnight would otherwise see "tomorrow" become today (CI failed so on 2026-12-05).
            row["date"] = (TODAY + dt.timedelta(days=draw(st.integers(2, 900)))).isoformat()
        elif kind == "bad_type":
            row["type"] = draw(st.sampled_from(["battle", "", "<script>"]))
        elif kind == "js_url":
            row["sources"] = json.dumps([{"url": "javascript:alert(1)", "publisher": "x"}])
        elif kind == "data_url":
            row["sources"] = "data:text/html,<script>alert(1)</script>"
        elif kind == "no_source":
            row["sources"] = draw(st.sampled_from(["", "[]", " "]))
        elif kind == "deep_sources":
            row["sources"] = "[" * draw(st.integers(1000, 5000))
        elif kind == "huge_json":
            row["sources"] = "[" + "7" * 5000 + "]"
        elif kind == "bad_lon":
            row["lon"] = draw(st.sampled_from(["181", "-200", "east", "1e400"]))
        elif kind == "nan_lat":
            row["lat"] = draw(st.sampled_from(["nan", "inf", "-inf"]))
        elif kind == "swapped":
            row["lat"], row["lon"] = draw(st.sampled_from(anchors))
            swapped_once = True
        elif kind == "unknown_place":
            row.update(lon="", lat="", place="Atlantis " + str(i))
        elif kind == "long_place":
            row.update(lon="", lat="", place="Shusha" + " x" * 5000)
        elif kind == "short_title":
            row["title"] = "ab"
        elif kind == "dup":
            if kept:
                row["id"] = draw(st.sampled_from(kept))
            else:
                kind = "valid"
        elif kind == "bad_actors":  # a JSON-looking actors cell that is not JSON: kept as text
            row["actors"] = "[" * 3000
        if kind == "blank":
            row = dict.fromkeys(row, "")
        rows.append(row)
        if kind in ("valid", "geocoded", "bad_actors"):
            kept.append(row["id"])
            if kind != "geocoded":
                anchors.append((row["lon"], row["lat"]))
        elif kind != "blank":
            rejected.append(i + 2)
    buf = io.StringIO(newline="")
    cols = list(CSV_COLUMNS)
    # With "\n" line ends, csv quotes a field holding a bare "\r" only under QUOTE_ALL
    # (as spreadsheets do); unquoted, that "\r" ends the record (a reported misaligned row).
    end = draw(st.sampled_from(["\r\n", "\n"]))
    quoting = csv.QUOTE_MINIMAL if end == "\r\n" else csv.QUOTE_ALL
    w = csv.DictWriter(buf, fieldnames=cols, lineterminator=end, restval="", quoting=quoting)
    w.writeheader()
    w.writerows(rows)
    how = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
    return _encode(buf.getvalue(), how), kept, rejected


@settings(FAST, max_examples=220)
@given(our_csv_files())
def test_our_csv_keeps_valid_rows_and_reports_the_rest(case) -> None:
    data, kept, rejected = case
    r = import_csv(io.BytesIO(data), geocoder=fake_geocode)
    assert [e.id for e in r.events] == kept, r.rejected
    assert [x.row for x in r.rejected] == rejected, r.rejected
    name = "<upload>"
    check_invariants(r, name, set(rejected) | {_row_of(e.origin) for e in r.events})


@settings(FAST, max_examples=150)
@given(
    st.lists(st.fixed_dictionaries({c: NASTY_CELL for c in CSV_COLUMNS}), min_size=0, max_size=8),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_our_csv_chaos(rows: list[dict], how: str) -> None:
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    data = _encode(buf.getvalue(), how)
    r = import_csv(io.BytesIO(data), geocoder=fake_geocode)
    check_invariants(r, "<upload>", {n for n, _ in _data_rows(data)})


# ---------------------------------------------------------------------------- our GeoJSON

JSON_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**300, max_value=10**320),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(NASTY),
    st.text(max_size=15),
)
JSON_ANY = st.recursive(
    JSON_LEAF,
    lambda kids: st.one_of(
        st.lists(kids, max_size=3), st.dictionaries(st.text(max_size=8), kids, max_size=3)
    ),
    max_leaves=8,
)
GEO_KINDS = ["valid"] * 6 + [
    "not_dict",
    "no_type",
    "line",
    "coords_str",
    "coords_huge",
    "coords_nan",
    "props_list",
    "null_geom_place_num",
    "null_geom_place_list",
    "place_hy_num",
    "id_obj",
    "js_url",
    "dup",
]


@st.composite
def geojson_files(draw):
    feats, kept, rejected = [], [], []
    for i in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(GEO_KINDS))
        row = _good_row(draw, i)
        props: dict = {
            k: v for k, v in row.items() if k not in ("lon", "lat", "actors", "sources") and v
        }
        props["title"] = "Title " + draw(TEXTS)
        props["summary"] = "Summary text: " + draw(TEXTS)
        props["actors"] = [draw(TEXTS)]
        props["sources"] = [{"url": "https://example.org/", "publisher": "P " + draw(TEXTS)}]
        feat: object = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(row["lon"]), float(row["lat"])]},
            "properties": props,
        }
        if kind == "not_dict":
            feat = draw(st.sampled_from(["junk", 5, None, [1, 2]]))
        elif kind == "no_type":
            del feat["type"]
        elif kind == "line":
            feat["geometry"] = {"type": "LineString", "coordinates": [[46, 39], [47, 40]]}
        elif kind == "coords_str":
            feat["geometry"]["coordinates"] = ["46.7", "39.8"]
        elif kind == "coords_huge":
            feat["geometry"]["coordinates"] = [10**400, 39.8]
        elif kind == "coords_nan":
            feat["geometry"]["coordinates"] = [float("nan"), 39.8]
        elif kind == "props_list":
            feat["properties"] = [props]
        elif kind == "null_geom_place_num":
            feat["geometry"] = None
            props["place"] = draw(st.sampled_from([5, 4.5, True, {"a": 1}]))
        elif kind == "null_geom_place_list":
            feat["geometry"] = None
            props["place"] = ["Shusha"]
        elif kind == "place_hy_num":
            props["place_hy"] = draw(st.sampled_from([5, ["x"], {"a": 1}]))
        elif kind == "id_obj":
            props["id"] = {"id": "x"}
        elif kind == "js_url":
            props["sources"] = [{"url": "javascript:alert(1)", "publisher": "x"}]
        elif kind == "dup":
            if kept:
                props["id"] = draw(st.sampled_from(kept))
            else:
                kind = "valid"
        feats.append(feat)
        if kind == "valid":
            kept.append(props["id"])
        else:
            rejected.append(i + 1)
    text = json.dumps({"type": "FeatureCollection", "features": feats})
    how = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
    return _encode(text, how), kept, rejected


@settings(FAST, max_examples=200)
@given(geojson_files())
def test_our_geojson_keeps_valid_features_and_reports_the_rest(case) -> None:
    data, kept, rejected = case
    r = import_geojson(io.BytesIO(data), geocoder=fake_geocode)
    assert [e.id for e in r.events] == kept, r.rejected
    assert [x.row for x in r.rejected] == rejected, r.rejected
    check_invariants(r, "<upload>", set(range(1, r.rows + 1)))


@settings(FAST, max_examples=150)
@given(
    st.lists(
        st.one_of(
            JSON_ANY,
            st.fixed_dictionaries(
                {"type": st.just("Feature"), "geometry": JSON_ANY, "properties": JSON_ANY}
            ),
            st.fixed_dictionaries(
                {
                    "type": st.just("Feature"),
                    "geometry": st.fixed_dictionaries(
                        {"type": st.just("Point"), "coordinates": st.lists(JSON_LEAF, max_size=3)}
                    ),
                    "properties": st.dictionaries(
                        st.sampled_from([*CSV_COLUMNS, "x"]), JSON_ANY, max_size=10
                    ),
                }
            ),
        ),
        max_size=6,
    )
)
def test_our_geojson_chaos(features: list) -> None:
    text = json.dumps({"type": "FeatureCollection", "features": features})
    r = import_geojson(io.BytesIO(text.encode()), geocoder=fake_geocode)
    assert r.rows == len(features)
    check_invariants(r, "<upload>", set(range(1, len(features) + 1)))


@settings(FAST, max_examples=100)
@given(
    st.one_of(
        st.binary(max_size=300),
        st.sampled_from(
            [
                "[" * 100_000,
                '{"type":"FeatureCollection","features":' + "[" * 50_000,
                '{"type":"FeatureCollection","features":[' + "1" * 5000 + "]}",
                '{"type":"FeatureCollection","features":{}}',
                '{"type":"Feature"}',
                "\ufeff",
                "null",
                "[]",
                '"x"',
            ]
        ).map(str.encode),
    )
)
def test_geojson_whole_file_problems_are_import_format_errors(data: bytes) -> None:
    try:
        r = import_geojson(io.BytesIO(data))
    except ImportFormatError as exc:
        assert "<upload>" in str(exc)
        return
    check_invariants(r, "<upload>", set(range(1, r.rows + 1)))


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
        if kind == "odd_violence":  # unknown types are described, not rejected
            rec["type_of_violence"] = draw(st.sampled_from(["inf", "-inf", "nan", "x", "", "9"]))
        elif kind == "bad_id":
            rec["id"] = draw(st.sampled_from(["", "abc", "-3", "1.5", "1e400"]))
        elif kind == "bad_start":
            rec["date_start"] = draw(st.sampled_from(["", "2020-13-01", "yesterday"]))
        elif kind == "end_before":
            rec["date_end"] = (start - dt.timedelta(days=draw(st.integers(1, 30)))).isoformat()
        elif kind == "bad_date_prec":
            rec["date_prec"] = draw(st.sampled_from(["0", "6", "", "x", "inf"]))
        elif kind == "bad_where_prec":
            rec["where_prec"] = draw(st.sampled_from(["0", "8", "", "x", "1e400"]))
        elif kind == "bad_lat":
            rec["latitude"] = draw(st.sampled_from(["91", "-1e400", "nan", "", "north"]))
        elif kind == "swapped":
            rec["latitude"], rec["longitude"] = draw(st.sampled_from(anchors))
            swapped_once = True
        elif kind == "zero":
            rec["latitude"] = rec["longitude"] = "0"
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
    return _encode(text, how), kept, rejected, header


@settings(FAST, max_examples=200)
@given(ucdp_files())
def test_ucdp_keeps_valid_rows_and_reports_the_rest(case) -> None:
    data, kept, rejected, header = case
    r = import_ucdp_ged(io.BytesIO(data))
    assert [e.id for e in r.events] == kept, r.rejected
    assert [x.row for x in r.rejected] == rejected, r.rejected
    check_invariants(r, "<upload>", {n for n, _ in _data_rows(data, header)})


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
    check_invariants(r, "<upload>", {n for n, _ in _data_rows(data, has_header)})


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
    data = _encode(buf.getvalue(), how)
    r = import_acled(io.BytesIO(data))
    check_invariants(r, "<upload>", {n for n, _ in _data_rows(data)})


# ---------------------------------------------------------------------------- YAML catalogue

YAML_SCALARS = st.one_of(
    st.sampled_from(
        [
            "2020-11-10",
            "2020-13-45",
            "1987-01-01",
            "3020-01-01",
            "clash",
            "agreement",
            "bogus",
            "exact",
            "near",
            "nowhere",
            "https://example.org/a",
            "javascript:alert(1)",
            "data:text/html,x",
            "Shusha",
            "Atlantis",
            "~",
            "[",
            "{",
            "&a",
            "*a",
            "!!python/object:os.system",
            "!!binary x",
            "'",
            '"',
            ": x",
            "- x",
            "1e400",
            ".nan",
            "a" * 300,
            *PLAIN,
        ]
    ),
    st.text(max_size=12),
)
YAML_FIELDS = [
    "id",
    "date",
    "end_date",
    "type",
    "title",
    "summary",
    "geo_precision",
    "confidence",
    "notes",
    "related_area",
    "bogus_key",
]


def _yaml_entry(i: int, kind: str, place: str, title: str) -> str:
    loc = (
        "  location: {place: Shusha}\n"
        if place == "place"
        else "  location: {lon: 46.75, lat: 39.8}\n"
    )
    body = {
        "id": f"ev-{i}",
        "date": "2020-11-10",
        "type": "clash",
        "title": json.dumps("Title " + title, ensure_ascii=False),
        "summary": json.dumps("Summary text: " + title, ensure_ascii=False),
        "geo_precision": "exact",
    }
    src = "  sources:\n    - url: https://example.org/a\n      publisher: Example\n"
    if kind == "bad_date":
        body["date"] = "2020-13-45"
    elif kind == "future":
        body["date"] = "3020-01-01"
    elif kind == "bad_type":
        body["type"] = "battle"
    elif kind == "js_url":
        src = "  sources:\n    - url: 'javascript:alert(1)'\n      publisher: Example\n"
    elif kind == "no_sources":
        src = "  sources: []\n"
    elif kind == "outside":
        loc = "  location: {lon: 39.8, lat: 46.75}\n"
    elif kind == "unknown_place":
        loc = "  location: {place: Atlantis}\n"
    elif kind == "extra_key":
        body["colour"] = "red"
    elif kind == "dup_key":
        src += "  type: clash\n"
    elif kind == "scalar":
        return f"- just a string {i}\n"
    lines = "".join(f"  {k}: {v}\n" for k, v in body.items())
    return "- " + lines[2:] + loc + src


#: Text YAML can carry in a double-quoted scalar (no control or format characters).
YAML_TEXT = st.one_of(
    st.sampled_from([*PAYLOADS, *PLAIN]),
    st.text(st.characters(categories=["L", "N", "P", "S", "Zs"]), max_size=30),
)
YAML_KINDS = ["valid"] * 5 + [
    "bad_date",
    "future",
    "bad_type",
    "js_url",
    "no_sources",
    "outside",
    "unknown_place",
    "extra_key",
    "dup_key",
    "scalar",
    "dup_id",
]


@settings(FAST, max_examples=130)
@given(
    st.lists(
        st.tuples(st.sampled_from(YAML_KINDS), st.sampled_from(["place", "point"]), YAML_TEXT),
        max_size=8,
    ),
    st.sampled_from(["utf-8", "utf-8-sig"]),
)
def test_catalogue_keeps_valid_entries_and_reports_the_rest(entries: list, how: str) -> None:
    text, kept, bad = "", [], []
    for i, (kind, place, title) in enumerate(entries, start=1):
        if kind == "dup_id":
            if not kept:
                kind = "valid"
            else:
                e = _yaml_entry(i, "valid", place, title).replace(f"id: ev-{i}", f"id: {kept[0]}")
                text += e
                bad.append(i)
                continue
        text += _yaml_entry(i, kind, place, title)
        (kept if kind == "valid" else bad).append(f"ev-{i}" if kind == "valid" else i)
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "events.yaml"
        p.write_bytes(text.encode(how))
        cat = load_catalogue([p], geocoder=fake_geocode)
    assert sorted(e.id for e in cat.events) == sorted(kept), [str(i) for i in cat.issues]
    assert {i.entry_index for i in cat.issues} == set(bad), [str(i) for i in cat.issues]
    for issue in cat.issues:
        assert issue.file == str(p) and issue.line >= 1 and issue.field and issue.message


@settings(FAST, max_examples=130)
@given(
    st.lists(
        st.dictionaries(st.sampled_from(YAML_FIELDS), YAML_SCALARS, max_size=8),
        max_size=5,
    ),
    st.sampled_from(["list", "mapping", "garbage"]),
    st.binary(max_size=40),
)
def test_catalogue_chaos_never_raises(entries: list[dict], form: str, junk: bytes) -> None:
    body = "".join(
        "- " + ("\n  ".join(f"{k}: {v}" for k, v in e.items()) or "{}") + "\n" for e in entries
    )
    if form == "mapping":
        body = "schema_version: 1\nevents:\n" + "".join(
            "  " + ln + "\n" for ln in body.splitlines()
        )
    elif form == "garbage":
        body = body.encode("utf-8", "replace").decode("utf-8") + junk.decode("latin-1")
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "chaos.yaml"
        p.write_bytes(body.encode("utf-8", "surrogatepass") if form != "garbage" else body.encode())
        cat = load_catalogue([p], geocoder=fake_geocode)
    for issue in cat.issues:
        assert issue.file == str(p) and issue.line >= 1 and issue.field and issue.message
    for ev in cat.events:
        assert ev.event.sources and all(s.url.startswith("http") for s in ev.event.sources)
