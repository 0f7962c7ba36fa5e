"""Bad files never crash an importer or the catalogue loader, and nothing is lost silently.

Property-based (hypothesis), over UCDP GED, ACLED, our CSV, our GeoJSON and the YAML
catalogue; about 1,300 generated inputs per run. This module holds the shared pieces and our
CSV and GeoJSON; test_events_robustness_ucdp_acled.py the UCDP GED and ACLED files,
test_events_robustness_catalogue.py the YAML catalogue. Two kinds of strategy:

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
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.io.export import to_csv, to_geojson, to_kml
from events.io.native import CSV_COLUMNS, csv_guard, import_csv, import_geojson
from events.io.reading import decode, sniff_delimiter
from events.io.result import ImportFormatError, ImportResult
from kmap.map.features import event_feature
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


def data_rows(data: bytes, header: bool = True) -> list[tuple[int, list[str]]]:
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


def encode(text: str, how: str) -> bytes:
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


#: What each row kind changes in a good row (swapped, dup and blank depend on the file).
CSV_CORRUPTIONS: dict[str, Callable[[Any, int], dict[str, str]]] = {
    "geocoded": lambda draw, i: {"lon": "", "lat": "", "place": "Shusha"},
    "bad_date": lambda draw, i: {
        "date": draw(st.sampled_from(["2020-02-30", "10/11/2020", "", "soon"]))
    },
    # Two days ahead at least: TODAY is read once at import, and a run that crosses
    # midnight would otherwise see "tomorrow" become today (CI failed so on 2026-12-05).
    "future": lambda draw, i: {
        "date": (TODAY + dt.timedelta(days=draw(st.integers(2, 900)))).isoformat()
    },
    "bad_type": lambda draw, i: {"type": draw(st.sampled_from(["battle", "", "<script>"]))},
    "js_url": lambda draw, i: {
        "sources": json.dumps([{"url": "javascript:alert(1)", "publisher": "x"}])
    },
    "data_url": lambda draw, i: {"sources": "data:text/html,<script>alert(1)</script>"},
    "no_source": lambda draw, i: {"sources": draw(st.sampled_from(["", "[]", " "]))},
    "deep_sources": lambda draw, i: {"sources": "[" * draw(st.integers(1000, 5000))},
    "huge_json": lambda draw, i: {"sources": "[" + "7" * 5000 + "]"},
    "bad_lon": lambda draw, i: {"lon": draw(st.sampled_from(["181", "-200", "east", "1e400"]))},
    "nan_lat": lambda draw, i: {"lat": draw(st.sampled_from(["nan", "inf", "-inf"]))},
    "unknown_place": lambda draw, i: {"lon": "", "lat": "", "place": "Atlantis " + str(i)},
    "long_place": lambda draw, i: {"lon": "", "lat": "", "place": "Shusha" + " x" * 5000},
    "short_title": lambda draw, i: {"title": "ab"},
    # a JSON-looking actors cell that is not JSON: kept as text
    "bad_actors": lambda draw, i: {"actors": "[" * 3000},
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
        if kind in CSV_CORRUPTIONS:
            row.update(CSV_CORRUPTIONS[kind](draw, i))
        elif kind == "swapped":
            row["lat"], row["lon"] = draw(st.sampled_from(anchors))
            swapped_once = True
        elif kind == "dup":
            if kept:
                row["id"] = draw(st.sampled_from(kept))
            else:
                kind = "valid"
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
    return encode(buf.getvalue(), how), kept, rejected


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
    data = encode(buf.getvalue(), how)
    r = import_csv(io.BytesIO(data), geocoder=fake_geocode)
    check_invariants(r, "<upload>", {n for n, _ in data_rows(data)})


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


def _point(*coordinates: object) -> dict:
    return {"type": "Point", "coordinates": list(coordinates)}


#: What each feature kind makes of a good feature (draw, feature, its properties) -> feature.
GEO_CORRUPTIONS: dict[str, Callable[[Any, dict, dict], object]] = {
    "not_dict": lambda draw, f, p: draw(st.sampled_from(["junk", 5, None, [1, 2]])),
    "no_type": lambda draw, f, p: {k: v for k, v in f.items() if k != "type"},
    "line": lambda draw, f, p: {
        **f,
        "geometry": {"type": "LineString", "coordinates": [[46, 39], [47, 40]]},
    },
    "coords_str": lambda draw, f, p: {**f, "geometry": _point("46.7", "39.8")},
    "coords_huge": lambda draw, f, p: {**f, "geometry": _point(10**400, 39.8)},
    "coords_nan": lambda draw, f, p: {**f, "geometry": _point(float("nan"), 39.8)},
    "props_list": lambda draw, f, p: {**f, "properties": [p]},
    "null_geom_place_num": lambda draw, f, p: {
        **f,
        "geometry": None,
        "properties": {**p, "place": draw(st.sampled_from([5, 4.5, True, {"a": 1}]))},
    },
    "null_geom_place_list": lambda draw, f, p: {
        **f,
        "geometry": None,
        "properties": {**p, "place": ["Shusha"]},
    },
    "place_hy_num": lambda draw, f, p: {
        **f,
        "properties": {**p, "place_hy": draw(st.sampled_from([5, ["x"], {"a": 1}]))},
    },
    "id_obj": lambda draw, f, p: {**f, "properties": {**p, "id": {"id": "x"}}},
    "js_url": lambda draw, f, p: {
        **f,
        "properties": {**p, "sources": [{"url": "javascript:alert(1)", "publisher": "x"}]},
    },
}


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
        if kind in GEO_CORRUPTIONS:
            feat = GEO_CORRUPTIONS[kind](draw, feat, props)
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
    return encode(text, how), kept, rejected


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
