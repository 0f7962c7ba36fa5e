"""Importers: ACLED (both layouts), UCDP GED (with/without header), robustness, properties."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.io.acled import ACLED_COLUMNS, ACLED_COLUMNS_OLD, acled_event_type, import_acled
from events.io.native import import_csv, import_geojson
from events.io.result import ImportFormatError
from events.io.ucdp import UCDP_GED_COLUMNS, import_ucdp_ged
from events.schema import DatePrecision, EventType, GeoPrecision, in_region

pytestmark = pytest.mark.unit

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "events"


def by_id(result):
    return {e.id: e for e in result.events}


# ------------------------------------------------------------------------------------ ACLED


def test_fixture_layouts_are_the_documented_ones() -> None:
    assert len(ACLED_COLUMNS) == len(ACLED_COLUMNS_OLD) == 31
    assert len(UCDP_GED_COLUMNS) == 49
    with open(FIX / "acled_current.csv", encoding="utf-8", newline="") as f:
        assert tuple(next(csv.reader(f))) == ACLED_COLUMNS
    with open(FIX / "acled_old.csv", encoding="utf-8", newline="") as f:
        assert tuple(next(csv.reader(f))) == ACLED_COLUMNS_OLD
    with open(FIX / "ucdp_header.csv", encoding="utf-8", newline="") as f:
        assert tuple(next(csv.reader(f))) == UCDP_GED_COLUMNS


def test_acled_current_layout() -> None:
    r = import_acled(FIX / "acled_current.csv")
    assert r.rejected == [] and r.encoding == "utf-8"
    evs = by_id(r)
    assert list(evs) == [
        "acled-arm9001",
        "acled-arm9002",
        "acled-aze9003",
        "acled-aze9004",
        "acled-arm9005",
    ]
    e = evs["acled-arm9001"]
    assert (e.lon, e.lat, e.date) == (45.6694, 39.8414, dt.date(2022, 9, 13))
    assert e.type is EventType.clash and e.geo_precision is GeoPrecision.exact
    assert e.date_precision is DatePrecision.day and e.place == "Jermuk"
    assert e.actors == [
        "Military Forces of Azerbaijan (2003-)",
        "Military Forces of Armenia (2018-)",
    ]
    src = e.sources[0]
    assert (src.url, src.publisher) == ("https://acleddata.com/", "Armenpress; Azertac")
    assert "ACLED event_type: Battles" in e.notes and "sub_event_type: Armed clash" in e.notes
    assert "Each side blamed the other" in e.summary
    # multi-line quoted note, near precision
    assert "second line" in evs["acled-arm9002"].summary
    assert evs["acled-arm9002"].geo_precision is GeoPrecision.near
    # type mapping
    assert evs["acled-aze9003"].type is EventType.agreement
    assert evs["acled-aze9004"].type is EventType.control_change
    assert evs["acled-arm9005"].type is EventType.political
    assert evs["acled-arm9005"].date_precision is DatePrecision.week
    # Baku lies outside the region box: kept, with a warning
    assert not in_region(evs["acled-aze9003"].lon, evs["acled-aze9003"].lat)
    assert any("outside the region" in w for w in r.warnings)


def test_acled_old_layout_reads_the_same() -> None:
    old = by_id(import_acled(FIX / "acled_old.csv"))
    cur = by_id(import_acled(FIX / "acled_current.csv"))
    assert list(old) == ["acled-arm9001", "acled-arm9002", "acled-aze9003"]
    for k, e in old.items():  # "13 September 2022" dates, no disorder_type column
        assert (e.date, e.lon, e.lat, e.type, e.title) == (
            cur[k].date,
            cur[k].lon,
            cur[k].lat,
            cur[k].type,
            cur[k].title,
        )


def test_acled_bom_and_uppercase_headers() -> None:
    r = import_acled(FIX / "acled_bom.csv")
    assert r.rejected == [] and len(r.events) == 2
    upper = (FIX / "acled_current.csv").read_text(encoding="utf-8").split("\n", 1)
    r2 = import_acled(io.BytesIO((upper[0].upper() + "\n" + upper[1]).encode()))
    assert len(r2.events) == 5 and r2.file == "<upload>"


def test_acled_cp1252_is_read_and_reported() -> None:
    r = import_acled(FIX / "acled_cp1252.csv")
    assert r.encoding == "cp1252" and r.rejected == []
    assert any("not valid UTF-8" in w and "cp1252" in w for w in r.warnings)
    assert "\u2013 \u201cheavy\u201d fire, caf\u00e9" in by_id(r)["acled-arm9011"].summary


def test_acled_swapped_coordinates_rejected() -> None:
    r = import_acled(FIX / "acled_swapped.csv")
    assert [e.id for e in r.events] == ["acled-arm9001", "acled-aze9004"]
    [rej] = r.rejected
    assert (rej.row, rej.field, rej.reason) == (3, "latitude/longitude", "coordinates look swapped")
    assert rej.file.endswith("acled_swapped.csv")


def test_acled_bad_rows_each_reported_with_row_and_field() -> None:
    r = import_acled(FIX / "acled_bad_rows.csv")
    assert [e.id for e in r.events] == ["acled-arm9001", "acled-aze9035"]
    got = [(x.row, x.field) for x in r.rejected]
    assert got == [
        (3, "event_date"),
        (4, "event_id_cnty"),
        (5, "latitude"),
        (6, "geo_precision"),
        (7, "latitude"),
        (8, "event_date"),
    ]
    reasons = {x.row: x.reason for x in r.rejected}
    assert "duplicate" in reasons[4] and "row 2" in reasons[4]
    assert "1988" in reasons[8]
    assert r.rows == 8


def test_acled_missing_columns_named() -> None:
    with pytest.raises(ImportFormatError, match="latitude, geo_precision"):
        import_acled(FIX / "acled_missing_columns.csv")


@pytest.mark.parametrize("name", ["empty.csv", "header_only_acled.csv"])
def test_acled_empty_files(name: str) -> None:
    r = import_acled(FIX / name)
    assert r.events == [] and r.rejected == []


def test_acled_misaligned_and_blank_rows() -> None:
    with open(FIX / "acled_current.csv", encoding="utf-8", newline="") as f:
        lines = f.read().split("\r\n")
    text = "\r\n".join([lines[0], lines[1], "", "A,B,C", *lines[2:]])
    r = import_acled(io.StringIO(text))
    assert len(r.events) == 5
    [rej] = r.rejected
    assert rej.row == 4 and rej.field == "row" and "3 fields" in rej.reason


def test_acled_semicolon_delimited_with_decimal_commas() -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=ACLED_COLUMNS, delimiter=";")
    w.writeheader()
    row = dict.fromkeys(ACLED_COLUMNS, "")
    row.update(
        event_id_cnty="ARM1",
        event_date="2021-05-12",
        time_precision="1",
        event_type="Battles",
        sub_event_type="Armed clash",
        location="Sev Lich",
        latitude="39,7",
        longitude="45,9",
        geo_precision="2",
        source="Armenpress",
        notes="Short",
    )
    w.writerow(row)
    r = import_acled(io.BytesIO(buf.getvalue().encode("utf-8")))
    [e] = r.events
    assert (e.lon, e.lat) == (45.9, 39.7)
    assert len(e.summary) >= 10  # short notes replaced by a generated summary


@pytest.mark.parametrize(
    ("etype", "sub", "expected"),
    [
        ("Strategic developments", "Agreement", EventType.agreement),
        ("Strategic developments", "Non-violent transfer of territory", EventType.control_change),
        ("Battles", "Government regains territory", EventType.control_change),
        ("Battles", "Non-state actor overtakes territory", EventType.control_change),
        ("Protests", "Peaceful protest", EventType.political),
        ("Battles", "Armed clash", EventType.clash),
        ("Explosions/Remote violence", "Drone strike", EventType.clash),
        ("Riots", "Mob violence", EventType.clash),
    ],
)
def test_acled_type_mapping(etype: str, sub: str, expected: EventType) -> None:
    assert acled_event_type(etype, sub) is expected


# ------------------------------------------------------------------------------------ UCDP


def test_ucdp_with_header() -> None:
    r = import_ucdp_ged(FIX / "ucdp_header.csv")
    assert r.rejected == []
    evs = by_id(r)
    assert list(evs) == ["ucdp-900001", "ucdp-900002", "ucdp-900003"]
    e = evs["ucdp-900001"]
    assert (e.lon, e.lat, e.date) == (46.9981, 39.3999, dt.date(2020, 10, 4))
    assert e.type is EventType.clash and e.geo_precision is GeoPrecision.exact
    assert e.actors == ["Government of Armenia", "Government of Azerbaijan"]
    src = e.sources[0]
    assert src.url == "https://ucdp.uu.se/ged/"
    assert src.title == '"Reuters,2020-10-04,Azerbaijan says it took Jabrayil"'
    assert "type_of_violence: 1" in e.notes
    e2 = evs["ucdp-900002"]
    assert e2.date_precision is DatePrecision.week and e2.geo_precision is GeoPrecision.near
    assert e2.end_date is None and "date_end: 2020-10-12" in e2.notes
    assert e2.confidence.value == "low"  # event_clarity 2


def test_ucdp_without_header_uses_documented_order() -> None:
    r = import_ucdp_ged(FIX / "ucdp_noheader.csv")
    assert any("no header" in w for w in r.warnings)
    head = by_id(import_ucdp_ged(FIX / "ucdp_header.csv"))
    assert [e.id for e in r.events] == ["ucdp-900001", "ucdp-900002"]
    for e in r.events:
        assert e.event == head[e.id].event
    [rej] = r.rejected  # row 3 has latitude/longitude swapped; rows numbered from 1 here
    assert (rej.row, rej.reason) == (3, "coordinates look swapped")


def test_ucdp_wrong_file_and_missing_columns() -> None:
    with pytest.raises(ImportFormatError, match="49"):
        import_ucdp_ged(FIX / "acled_current.csv")
    with pytest.raises(ImportFormatError, match="date_start"):
        import_ucdp_ged(io.StringIO("id,latitude,longitude\n1,39.8,46.7\n"))
    assert import_ucdp_ged(FIX / "empty.csv").events == []


def test_ucdp_bad_values() -> None:
    text = (FIX / "ucdp_header.csv").read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    rows = list(csv.reader(io.StringIO("\n".join(text[1:]))))
    rows[0][header.index("date_prec")] = "9"
    rows[1][header.index("date_end")] = "2020-01-01"
    dup = list(rows[2])
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(header)
    w.writerows([*rows, dup])
    r = import_ucdp_ged(io.StringIO(out.getvalue()))
    assert [e.id for e in r.events] == ["ucdp-900003"]
    assert [(x.row, x.field) for x in r.rejected] == [(2, "date_prec"), (3, "date_end"), (5, "id")]


# ------------------------------------------------------------------------------- own formats


def test_import_csv_hand_made_and_geocoded() -> None:
    class P:
        lon, lat, name, name_hy, name_az = 46.75, 39.76, "Shusha", "Շուշի", "Şuşa"

    def geocode(name: str) -> P:
        if name == "Shushi":
            return P()
        raise LookupError(f"unknown place {name!r}")

    text = (
        "id,date,type,title,summary,place,lon,lat,geo_precision,sources\n"
        "hand-1,2020-11-08,control_change,Shusha taken,Azerbaijani forces took the town.,Shushi,,,"
        "exact,https://example.org/a https://example.com/b\n"
        "hand-2,2020-11-08,clash,Unknown place,Somewhere not in the gazetteer.,Nowhere,,,exact,"
        "https://example.org/a\n"
        "hand-3,2020-11-08,battle,Bad type,A type that does not exist here.,,46.7,39.7,exact,"
        "https://example.org/a\n"
    )
    r = import_csv(io.StringIO(text), geocoder=geocode)
    [e] = r.events
    assert (e.place, e.place_az, e.lon) == ("Shusha", "Şuşa", 46.75)
    assert [s.publisher for s in e.sources] == ["example.org", "example.com"]
    assert [(x.row, x.field) for x in r.rejected] == [(3, "place"), (4, "type")]


def test_import_geojson_rejections() -> None:
    good = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [46.75, 39.8]},
        "properties": {
            "id": "gj-1",
            "date": "2020-11-10",
            "type": "agreement",
            "title": "Statement signed",
            "summary": "A trilateral statement was signed.",
            "geo_precision": "exact",
            "sources": [{"url": "https://example.org/", "publisher": "Example"}],
        },
    }
    line = {**good, "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}}
    swapped = {**good, "geometry": {"type": "Point", "coordinates": [39.8, 46.75]}}
    doc = {"type": "FeatureCollection", "features": [good, line, swapped, good, "junk"]}
    r = import_geojson(io.StringIO(json.dumps(doc)))
    assert [e.id for e in r.events] == ["gj-1"]
    assert [(x.row, x.field) for x in r.rejected] == [
        (2, "geometry"),
        (3, "lat/lon"),
        (4, "id"),
        (5, "feature"),
    ]
    with pytest.raises(ImportFormatError, match="JSON"):
        import_geojson(io.StringIO("{not json"))
    assert import_geojson(FIX / "empty.csv").events == []


def test_outside_warning_counts_placed_events_only() -> None:
    """An event with no place lies nowhere: it is not "outside the region box"."""
    head = "id,date,type,title,summary,place,lon,lat,geo_precision,sources,no_place\n"
    tail = ",Statement signed,A trilateral statement was signed.,{},{},{},exact,https://e.org/,{}\n"
    rows = [
        ("nowhere", "", "", "", "true"),
        ("moscow", "Moscow", "37.6173", "55.7558", ""),
        ("shusha", "Shusha", "46.75", "39.76", ""),
    ]
    text = head + "".join(f"{i},2020-11-10,agreement" + tail.format(*r) for i, *r in rows)
    r = import_csv(io.StringIO(text))
    assert [e.id for e in r.events] == ["nowhere", "moscow", "shusha"] and r.rejected == []
    assert r.events[0].placeless
    assert [w for w in r.warnings if "outside the region" in w] == [
        "<upload>: 1 imported event(s) lie outside the region box (kept)"
    ]


# ------------------------------------------------------------------------- property tests

TEXT = st.text(max_size=40)
BBOX_LON = st.floats(43.01, 48.49)
BBOX_LAT = st.floats(38.31, 41.79)
WORLD = [(37.6173, 55.7558), (-77.0369, 38.9072), (4.3517, 50.8503), (49.8671, 40.4093)]
KINDS = ["valid"] * 6 + [
    "bad_date",
    "old_date",
    "bad_lat",
    "nan_lat",
    "swapped",
    "bad_precision",
    "empty_id",
    "bad_id",
    "dup",
]


#: Row kinds that replace one cell: kind -> (column, the value or a list to draw it from).
ACLED_CORRUPTIONS: dict[str, tuple[str, str | list[str]]] = {
    "bad_date": ("event_date", ["2020-02-30", "yesterday", "", "13/13/2020"]),
    "old_date": ("event_date", "1987-12-31"),
    "bad_lat": ("latitude", ["95.5", "-91", "abc", ""]),
    "nan_lat": ("latitude", ["nan", "inf", "1e400"]),
    "bad_precision": ("geo_precision", ["0", "4", "x", "", "1.5", "1e400"]),
    "empty_id": ("event_id_cnty", " "),
}


@st.composite
def acled_files(draw):
    """(csv bytes, expected kept ids, expected rejected row numbers)."""
    n = draw(st.integers(10, 25))
    rows, kept, rejected = [], [], []
    anchors: list[tuple[float, float]] = []  # in-box points of kept rows
    for i in range(n):
        kind = draw(st.sampled_from(KINDS))
        # A swapped row mirrors a kept row's point (so swapping it back lands where the
        # file's other rows are); one per file, else two mirrors would vouch for each other.
        if kind == "swapped" and (not anchors or any(r.get("_sw") for r in rows)):
            kind = "valid"
        row_no = i + 2
        eid = f"{draw(st.sampled_from(['ARM', 'AZE', 'GEO']))}{i}"
        day = draw(st.dates(dt.date(1988, 1, 1), dt.date.today()))
        date = day.strftime(draw(st.sampled_from(["%Y-%m-%d", "%d %B %Y"])))
        if draw(st.booleans()):
            lon, lat = draw(BBOX_LON), draw(BBOX_LAT)
        else:
            lon, lat = draw(st.sampled_from(WORLD))
        row = dict.fromkeys(ACLED_COLUMNS, "")
        for col in ("notes", "location", "actor1", "actor2", "source", "sub_event_type"):
            row[col] = draw(TEXT)
        row.update(
            event_id_cnty=eid,
            event_date=date,
            time_precision=draw(st.sampled_from(["1", "2", "3"])),
            geo_precision=draw(st.sampled_from(["1", "2", "3"])),
            event_type=draw(st.sampled_from(["Battles", "Protests", "Strategic developments", ""])),
            latitude=repr(lat),
            longitude=repr(lon),
        )
        if kind in ACLED_CORRUPTIONS:
            column, values = ACLED_CORRUPTIONS[kind]
            row[column] = draw(st.sampled_from(values)) if isinstance(values, list) else values
        elif kind == "bad_id":
            row["event_id_cnty"] = "ARM 1/" + str(i)
        elif kind == "swapped":
            lon, lat = draw(st.sampled_from(anchors))
            row["latitude"], row["longitude"] = repr(lon), repr(lat)
            row["_sw"] = "1"
        elif kind == "dup":
            if kept:
                row["event_id_cnty"] = draw(st.sampled_from(kept)).removeprefix("acled-").upper()
            else:
                kind = "valid"
        rows.append(row)
        if kind == "valid":
            kept.append(f"acled-{eid.lower()}")
            if in_region(lon, lat):
                anchors.append((lon, lat))
        else:
            rejected.append(row_no)
    buf = io.StringIO()
    csv.DictWriter(buf, fieldnames=ACLED_COLUMNS).writeheader()
    csv.DictWriter(buf, fieldnames=ACLED_COLUMNS, extrasaction="ignore").writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig"]))
    return buf.getvalue().encode(encoding), kept, rejected


# 120 files x 10-25 rows: at least 1200 generated rows per run.
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(acled_files())
def test_acled_property_keeps_every_valid_row_and_reports_every_rejected(case) -> None:
    data, kept, rejected = case
    r = import_acled(io.BytesIO(data))
    assert [e.id for e in r.events] == kept
    assert [x.row for x in r.rejected] == rejected
    assert all(x.field and x.reason for x in r.rejected)
    for e in r.events:
        assert -90 <= e.lat <= 90 and -180 <= e.lon <= 180


@settings(max_examples=1000, deadline=None)
@given(st.one_of(st.binary(max_size=400), st.text(max_size=400).map(lambda s: s.encode())))
def test_acled_never_crashes_on_arbitrary_bytes(data: bytes) -> None:
    header = ",".join(ACLED_COLUMNS).encode() + b"\n"
    for blob in (data, header + data):
        try:
            r = import_acled(io.BytesIO(blob))
        except ImportFormatError:
            continue
        assert r.rows >= len(r.events) + len(r.rejected)
