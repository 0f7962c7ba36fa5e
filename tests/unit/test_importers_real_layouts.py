"""Layouts of real published ACLED / UCDP files that used to fail (issue 13).

Every fixture is synthetic (tests/fixtures/events/make_fixtures.py): only the layouts are
real. Covers spreadsheet dates (layout inferred per file and stated), the oldest ACLED layout,
.xlsx, UTF-16 "Unicode Text" auto-detection, the swapped-coordinates rule for points far from
this app's region, ACLED/GED type and precision semantics, and control characters in what
the CLI prints.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from events.__main__ import clean, main
from events.io.acled import ACLED_COLUMNS, acled_event_type, import_acled
from events.io.dates import DateReader
from events.io.detect import detect_format, import_file
from events.io.export import to_csv
from events.io.result import ImportFormatError, RowError
from events.io.ucdp import import_ucdp_ged
from events.schema import DatePrecision, EventType, GeoPrecision

pytestmark = pytest.mark.unit

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "events"
TERMINAL_CONTROLS = ("\x1b", "\x9b", "\x07", "\x00", "\u202e", "\u2066", "\x85")


def by_id(result):
    return {e.id: e for e in result.events}


def acled_bytes(rows: list[dict[str, str]], cols=ACLED_COLUMNS) -> bytes:
    """An ACLED CSV from partial rows (every other column empty)."""
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=list(cols), restval="", lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue().encode()


def row(eid: str, date: str = "2020-10-04", lat: str = "39.8414", lon: str = "45.6694", **kw):
    base = {
        "event_id_cnty": eid,
        "event_date": date,
        "time_precision": "1",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "location": "Synthetic place",
        "latitude": lat,
        "longitude": lon,
        "geo_precision": "1",
        "source": "Synthetic",
        "notes": "Synthetic row for a test, not a real event.",
    }
    return {**base, **kw}


# ------------------------------------------------------------------------------------ dates


def test_spreadsheet_dates_day_first_inferred_and_stated() -> None:
    r = import_acled(FIX / "acled_dates_dayfirst.csv")
    assert r.rejected == []
    dates = {k: e.date for k, e in by_id(r).items()}
    assert dates == {
        "acled-arm9101": dt.date(2020, 5, 9),  # 9-May-20
        "acled-arm9102": dt.date(2020, 3, 21),  # 21 March 2020
        "acled-arm9103": dt.date(2019, 12, 31),  # 31-12-19
        "acled-arm9104": dt.date(2020, 5, 9),  # 2020-05-09
        "acled-arm9105": dt.date(2020, 5, 9),  # 09/05/2020, day-first by row 4
    }
    [note] = [w for w in r.warnings if "event_date read" in w]
    assert "day-first, decided by row 4 ('31-12-19')" in note
    assert "day-first DD/MM/YYYY" in note and "day month-name YY" in note


def test_spreadsheet_dates_month_first_inferred() -> None:
    r = import_acled(FIX / "acled_dates_monthfirst.csv")
    assert r.rejected == []
    assert by_id(r)["acled-arm9111"].date == dt.date(2020, 5, 9)  # 05/09/2020
    assert by_id(r)["acled-arm9112"].date == dt.date(2019, 12, 31)
    assert any("month-first, decided by row 3 ('12/31/2019')" in w for w in r.warnings)


def test_truly_ambiguous_dates_rejected_with_both_readings() -> None:
    r = import_acled(FIX / "acled_dates_ambiguous.csv")
    assert sorted(by_id(r)) == ["acled-arm9122", "acled-arm9124"]  # 05/05/2020 and ISO
    assert [(x.row, x.field) for x in r.rejected] == [(2, "event_date"), (4, "event_date")]
    reason = r.rejected[0].reason
    assert "ambiguous" in reason and "9 May 2020" in reason and "5 September 2020" in reason
    assert "YYYY-MM-DD" in reason


def test_conflicting_orders_reject_only_the_ambiguous_rows() -> None:
    data = acled_bytes(
        [
            row("ARM1", "31/12/2019"),
            row("ARM2", "12/30/2019"),
            row("ARM3", "05/06/2020"),
        ]
    )
    r = import_acled(io.BytesIO(data))
    assert [e.date for e in r.events] == [dt.date(2019, 12, 31), dt.date(2019, 12, 30)]
    [rej] = r.rejected
    assert rej.row == 4 and rej.field == "event_date"
    assert "row 2: '31/12/2019'" in rej.reason and "row 3: '12/30/2019'" in rej.reason


def test_conflicting_orders_are_stated() -> None:
    r = import_acled(
        io.BytesIO(acled_bytes([row("ARM1", "31/12/2019"), row("ARM2", "05/13/2020")]))
    )
    assert [e.date for e in r.events] == [dt.date(2019, 12, 31), dt.date(2020, 5, 13)]
    assert any("numeric dates disagree (day-first on row 2" in w for w in r.warnings)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-05-09", dt.date(2020, 5, 9)),
        ("2020-05-09 00:00:00.000", dt.date(2020, 5, 9)),
        ("2020/05/09", dt.date(2020, 5, 9)),
        ("21 March 2020", dt.date(2020, 3, 21)),
        ("21-March-2020", dt.date(2020, 3, 21)),
        ("9-May-20", dt.date(2020, 5, 9)),
        ("09-May-2020", dt.date(2020, 5, 9)),
        ("9-May-99", dt.date(1999, 5, 9)),
        ("March 21, 2020", dt.date(2020, 3, 21)),
        ("31.12.2019", dt.date(2019, 12, 31)),
        ("31/12/2019 00:00", dt.date(2019, 12, 31)),
    ],
)
def test_date_reader_layouts(value: str, expected: dt.date) -> None:
    assert DateReader().scan([(2, value)]).read(value, "event_date") == expected


@pytest.mark.parametrize(
    "value", ["2020-02-30", "13/13/2020", "31/02/2020", "soon", "", "9-Mai-20"]
)
def test_date_reader_rejects_with_reason(value: str) -> None:
    with pytest.raises(RowError) as exc:
        DateReader().scan([(2, value)]).read(value, "event_date")
    assert exc.value.field == "event_date" and exc.value.reason


MONTHS = "January February March April May June July August September October November December"


def _fmt(d: dt.date, layout: str) -> str:
    month = MONTHS.split()[d.month - 1]
    return {
        "dmy": f"{d.day:02d}/{d.month:02d}/{d.year}",
        "mdy": f"{d.month:02d}/{d.day:02d}/{d.year}",
        "dmy2": f"{d.day}-{d.month}-{d.year % 100:02d}",
        "d-mon-yy": f"{d.day}-{month[:3]}-{d.year % 100:02d}",
        "d month yyyy": f"{d.day} {month} {d.year}",
        "iso": d.isoformat(),
    }[layout]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.dates(dt.date(1988, 1, 1), dt.date.today()), min_size=1, max_size=15),
    st.sampled_from(["dmy", "mdy", "dmy2", "d-mon-yy", "d month yyyy", "iso"]),
)
def test_any_date_in_a_decided_layout_reads_back(days: list[dt.date], layout: str) -> None:
    decider = dt.date(2019, 12, 31)  # day 31 decides day-first / month-first
    values = [(i + 2, _fmt(d, layout)) for i, d in enumerate([*days, decider])]
    reader = DateReader().scan(values)
    assert [reader.read(v, "event_date") for _, v in values] == [*days, decider]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.dates(dt.date(1988, 1, 1), dt.date.today()), min_size=1, max_size=15))
def test_undecidable_numeric_dates_are_never_guessed(days: list[dt.date]) -> None:
    values = [(i + 2, _fmt(d, "dmy")) for i, d in enumerate(d for d in days if d.day <= 12)]
    reader = DateReader().scan(values)
    for (_, v), d in zip(values, (d for d in days if d.day <= 12), strict=True):
        if d.day == d.month:
            assert reader.read(v, "event_date") == d
        else:
            with pytest.raises(RowError, match="ambiguous"):
                reader.read(v, "event_date")


def test_ucdp_spreadsheet_dates_use_the_same_reader() -> None:
    text = (FIX / "ucdp_header.csv").read_text(encoding="utf-8")
    for iso, sheet in (
        ("2020-10-04 00:00:00.000", "04/10/2020 00:00"),
        ("2020-10-09 00:00:00.000", "09/10/2020"),
        ("2020-10-12 00:00:00.000", "13/10/2020"),  # row 3's date_end: day-first
        ("2020-11-08 00:00:00.000", "08/11/2020"),
    ):
        assert iso in text
        text = text.replace(iso, sheet)
    r = import_ucdp_ged(io.StringIO(text))
    assert r.rejected == []
    assert by_id(r)["ucdp-900001"].date == dt.date(2020, 10, 4)
    assert by_id(r)["ucdp-900003"].date == dt.date(2020, 11, 8)
    assert any("day-first, decided by row 3 ('13/10/2020')" in w for w in r.warnings)


# ------------------------------------------------------------------------------ old layout


def test_acled_2015_layout_is_mapped() -> None:
    r = import_acled(FIX / "acled_2015.csv")
    assert r.rejected == []
    evs = by_id(r)
    assert {k: e.type for k, e in evs.items()} == {
        "acled-arm9201": EventType.clash,  # Battle-No change of territory
        "acled-aze9202": EventType.control_change,  # Battle-Government regains territory
        "acled-arm9203": EventType.political,  # Riots/Protests
        "acled-aze9204": EventType.political,  # Strategic development
    }
    e = evs["acled-arm9201"]
    assert e.date == dt.date(2016, 4, 2)  # 02/04/2016, day-first by row 3 (13/04/2016)
    assert "Militia X" in e.actors  # ALLY_ACTOR_1
    assert "gwno: 371" in e.notes and "ACLED event_type: Battle-No change of territory" in e.notes
    assert any("no sub_event_type column" in w for w in r.warnings)


def test_acled_still_names_truly_missing_columns() -> None:
    with pytest.raises(ImportFormatError, match="latitude"):
        import_acled(FIX / "acled_missing_columns.csv")


# ------------------------------------------------------------------------------------ xlsx


def test_xlsx_reads_like_the_csv() -> None:
    r = import_acled(FIX / "acled_current.xlsx")
    cur = by_id(import_acled(FIX / "acled_current.csv"))
    assert r.encoding == "xlsx" and r.rejected == []
    evs = by_id(r)
    assert list(evs) == list(cur)
    for k, e in evs.items():
        if k != "acled-aze9004":
            assert (e.date, e.lon, e.lat, e.type, e.title) == (
                cur[k].date,
                cur[k].lon,
                cur[k].lat,
                cur[k].type,
                cur[k].title,
            )
    assert evs["acled-aze9004"].date == dt.date(2020, 5, 9)  # a text cell "9-May-20"


def test_xlsx_through_import_file_and_auto_detection() -> None:
    data = (FIX / "acled_current.xlsx").read_bytes()
    assert detect_format(data, "anything.bin") == "acled"  # by content, not by name
    r = import_file(data, "export.xlsx")
    assert len(r.events) == 5 and r.file == "export.xlsx"


def test_xlsx_in_the_cli(capsys: pytest.CaptureFixture) -> None:
    code = main(["import", "acled", str(FIX / "acled_current.xlsx"), "--format", "geojson"])
    out, err = capsys.readouterr()
    assert code == 0 and len(json.loads(out)["features"]) == 5
    assert "5 imported, 0 rejected" in err and "read as xlsx" in err


def test_zip_that_is_not_a_workbook_gives_a_clean_error(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    z = tmp_path / "export.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("acled.csv", ",".join(ACLED_COLUMNS) + "\n")
    assert main(["import", "acled", str(z)]) == 2
    err = capsys.readouterr().err
    assert "not an Excel .xlsx workbook" in err
    assert "PK" not in err and "\\x" not in err and "\x00" not in err
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes((FIX / "acled_current.xlsx").read_bytes()[:3000])
    with pytest.raises(ImportFormatError, match=r"broken\.xlsx"):
        import_acled(broken)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=20),
    st.one_of(st.none(), st.integers(0, 10**6)),
)
def test_damaged_workbooks_fail_cleanly(flips: list[tuple[int, int]], cut: int | None) -> None:
    data = bytearray((FIX / "acled_current.xlsx").read_bytes())
    for pos, byte in flips:
        data[pos % len(data)] = byte
    blob = bytes(data[: cut % len(data)] if cut is not None else data)
    for call in (
        lambda: detect_format(blob, "x.xlsx"),
        lambda: import_file(blob, "x.xlsx", "acled"),
        lambda: import_file(blob, "x.xlsx", "ucdp"),
    ):
        try:
            call()
        except ImportFormatError as exc:
            assert "x.xlsx" in str(exc) and "PK" not in str(exc)


# ----------------------------------------------------------------------------- UTF-16 text


def test_unicode_text_files_are_detected_and_read() -> None:
    acled = (FIX / "acled_unicode_text.txt").read_bytes()
    ucdp = (FIX / "ucdp_unicode_text.txt").read_bytes()
    assert detect_format(acled, "acled.txt") == "acled"
    assert detect_format(ucdp, "ged.txt") == "ucdp"
    assert len(import_file(acled, "acled.txt").events) == 5
    assert len(import_file(ucdp, "ged.txt").events) == 3
    # ours, saved by Excel as Unicode Text (tab-separated UTF-16 LE, with and without BOM)
    cur = import_acled(FIX / "acled_current.csv").events
    text = to_csv(cur)
    tsv = "\r\n".join("\t".join(r) for r in csv.reader(io.StringIO(text)))  # no tabs in cells
    for data in (b"\xff\xfe" + tsv.encode("utf-16-le"), tsv.encode("utf-16-le")):
        assert detect_format(data, "ours.txt") == "csv"
        assert [e.id for e in import_file(data, "ours.txt").events] == [e.id for e in cur]


# ---------------------------------------------------------------------- swapped coordinates


def test_points_far_from_the_region_are_kept() -> None:
    r = import_acled(FIX / "acled_donbas.csv")
    assert r.rejected == []
    assert [round(e.lat) for e in r.events] == [48, 48, 48, 48]


def test_truly_swapped_row_rejected_next_to_a_far_point_kept() -> None:
    r = import_acled(FIX / "acled_mixed_far_and_swapped.csv")
    assert "acled-ukr991" in by_id(r)
    [rej] = r.rejected
    assert (rej.row, rej.field, rej.reason) == (4, "latitude/longitude", "coordinates look swapped")


def test_single_row_judged_by_its_country() -> None:
    # alone in its file: swapped into Armenia (a whole country in our data) -> rejected
    swapped = row("ARM1", lat="45.6694", lon="39.8414", country="Armenia")
    r = import_acled(io.BytesIO(acled_bytes([swapped])))
    assert [x.reason for x in r.rejected] == ["coordinates look swapped"]
    # the same numbers stated as a Ukrainian point: kept
    ua = row("UKR1", lat="45.6694", lon="39.8414", country="Ukraine")
    assert len(import_acled(io.BytesIO(acled_bytes([ua]))).events) == 1
    # no country and no other rows: nothing to judge against, kept
    bare = row("X1", lat="45.6694", lon="39.8414")
    assert len(import_acled(io.BytesIO(acled_bytes([bare]))).events) == 1


def test_far_point_in_a_caucasus_file_kept_when_its_country_says_so() -> None:
    rows = [row(f"AZE{i}", lat=f"40.{i}", lon=f"47.{i}", country="Azerbaijan") for i in range(5)]
    # lat 47.9 / lon 40.2: swapped it would sit among the Azerbaijani rows, but the row says
    # Russia (whose outline we hold only inside the region box) -> not enough to call it
    # swapped, since swapped it would lie in Azerbaijan, not in Russia
    rows.append(row("RUS1", lat="47.9", lon="40.2", country="Russia"))
    r = import_acled(io.BytesIO(acled_bytes(rows)))
    assert r.rejected == [] and "acled-rus1" in by_id(r)
    rows[-1] = row("AZE9", lat="47.9", lon="40.2", country="Azerbaijan")  # says Azerbaijan
    r = import_acled(io.BytesIO(acled_bytes(rows)))
    assert [(x.row, x.reason) for x in r.rejected] == [(7, "coordinates look swapped")]


# ---------------------------------------------------------------------------- semantics


@pytest.mark.parametrize(
    "sub", ["Looting/property destruction", "Other", "Disrupted weapons use", "Something new"]
)
def test_strategic_developments_are_not_clashes(sub: str) -> None:
    assert acled_event_type("Strategic developments", sub) is EventType.political


def test_acled_types_and_month_precision() -> None:
    evs = by_id(import_acled(FIX / "acled_types.csv"))
    for k in ("acled-aze9301", "acled-aze9302", "acled-aze9303"):
        assert evs[k].type is EventType.political
    e = evs["acled-arm9304"]
    assert e.date_precision is DatePrecision.month and e.date == dt.date(2020, 10, 1)
    assert "event_date as given: 2020-10-15" in e.notes


def test_ucdp_country_precision_and_month_start() -> None:
    r = import_ucdp_ged(FIX / "ucdp_precisions.csv")
    assert r.rejected == []
    evs = by_id(r)
    assert evs["ucdp-900011"].geo_precision is GeoPrecision.country
    assert "only the country is known" in evs["ucdp-900011"].notes
    m = evs["ucdp-900012"]
    assert m.date_precision is DatePrecision.month and m.date == dt.date(2020, 10, 1)
    assert evs["ucdp-900013"].date_precision is DatePrecision.week  # date_prec 3: the week


# ------------------------------------------------------------------------------------ CLI

HOSTILE = "\x1b[2J\x1b]0;pwned\x07\u202eevil\u202c\x9b31m\x00\x85"


def test_clean_strips_escapes_controls_and_bidi() -> None:
    out = clean("a" + HOSTILE + "\tb\nc")
    assert not any(c in out for c in TERMINAL_CONTROLS)
    assert out == "aevil\tb c"


def test_cli_never_prints_terminal_controls_from_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    # header names (missing columns: the error lists what was found)
    bad = tmp_path / "header.csv"
    bad.write_text("event_id_cnty," + HOSTILE + "\nARM1,x\n", encoding="utf-8")
    assert main(["import", "acled", str(bad)]) == 2
    # a file name, and cells quoted in rejections, warnings and the table
    odd = tmp_path / ("rows" + HOSTILE.replace("\x00", "") + ".csv")
    odd.write_bytes(
        acled_bytes(
            [
                row("ARM1", location="Place" + HOSTILE, notes="Notes " + HOSTILE),
                row("ARM2", date="09/05/2020" + HOSTILE),
            ]
        )
    )
    assert main(["import", "acled", str(odd), "--format", "table"]) == 0
    out, err = capsys.readouterr()
    assert "missing column" in err and "rejected: " in err and "acled-arm1" in out
    for c in TERMINAL_CONTROLS:
        assert c not in out and c not in err
