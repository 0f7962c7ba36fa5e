"""Large imports without holding everything at once: CSV rows read again from the text (not
kept as lists of cells), lines split as io.StringIO splits them, shared pydantic field-name
sets, interned repeated names, the source file set on the events themselves."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.synth import acled_csv
from events.io.detect import import_file
from events.io.reading import CsvText, TextRows, read_table, text_lines, utf8_text

pytestmark = pytest.mark.unit

_PIECES = ["a", "b,c", ",", ";", '"', '""', "\r", "\n", "\r\n", "é", "\u2028", "\x0c", " "]


def _parse(lines: object) -> object:
    try:
        return list(csv.reader(lines))
    except csv.Error as exc:
        return ("csv.Error", str(exc))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_text_lines_split_as_stringio_does(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert "".join(text_lines(text)) == text
    assert _parse(text_lines(text)) == _parse(io.StringIO(text, newline=""))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([*_PIECES, "Ş", "ə", "\ufeff", "Հ"]), max_size=40), st.booleans())
def test_utf8_bytes_split_as_their_text_is(pieces: list[str], bom: bool) -> None:
    """A UTF-8 file is read from its bytes a line at a time, never decoded whole: the same
    lines, rows and header as from its decoded text."""
    raw = (b"\xef\xbb\xbf" if bom else b"") + "".join(pieces).encode("utf-8")
    src = utf8_text(raw)
    assert src is not None and isinstance(src.text, bytes)
    text = raw.decode("utf-8-sig")
    assert list(src.lines()) == list(text_lines(text))
    assert src.first_line() == CsvText(text).first_line()
    assert _parse(src.lines()) == _parse(io.StringIO(text, newline=""))


def test_only_utf8_is_read_from_the_bytes() -> None:
    """UTF-16 and cp1252 files are decoded as before (with the same warning)."""
    text = "id,place\n1,Şuşa\n"
    assert utf8_text("id,place\n1,Gəncə\n".encode("cp1252", "replace")) is not None  # ascii
    assert utf8_text("id,place\n1,Agdam é\n".encode("cp1252")) is None
    assert utf8_text(text.encode("utf-16")) is None
    assert utf8_text(text.encode("utf-16-le")) is None
    big = read_table(("id,place\n" + "1,Şuşa\n" * 3000).encode("utf-8"))
    assert isinstance(big.rows, TextRows) and isinstance(big.rows.text.text, bytes)
    assert list(big.rows)[-1] == (3001, ["1", "Şuşa"]) and big.encoding == "utf-8"
    latin = read_table("id,place\n1,Agdam é\n".encode("cp1252"))
    assert list(latin.rows) == [(2, ["1", "Agdam é"])] and latin.encoding == "cp1252"
    assert "read as cp1252" in latin.warnings[0]
    wide = read_table(text.encode("utf-16"))
    assert list(wide.rows) == [(2, ["1", "Şuşa"])] and wide.encoding == "utf-16"


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_csv_rows_are_read_again_on_each_pass(end: str) -> None:
    text = end.join(["id,date,note", "1,2020-01-01,plain", '2,2020-01-02,"two', 'lines"', ""])
    table = read_table(text.encode("utf-8"))
    assert isinstance(table.rows, TextRows)  # not a list of every row's cells
    assert table.header == ["id", "date", "note"]
    first, second = list(table.rows), list(table.rows)
    assert (
        first
        == second
        == [
            (2, ["1", "2020-01-01", "plain"]),
            (3, ["2", "2020-01-02", f"two{end}lines"]),
        ]
    )
    assert table.rows
    assert not read_table(b"id,date,note\n").rows


def test_headerless_table_keeps_its_first_row() -> None:
    table = read_table(b"1,2\n3,4\n", has_header=lambda row: False)
    assert table.header is None
    assert list(table.rows) == [(1, ["1", "2"]), (2, ["3", "4"])]


def test_imported_events_share_field_sets_and_repeated_names() -> None:
    events = import_file(acled_csv(300, seed=3), "mine.csv", "acled").events
    assert len(events) == 300
    a, b = events[0], events[1]
    assert a.event.__pydantic_fields_set__ is b.event.__pydantic_fields_set__
    assert a.event.location.__pydantic_fields_set__ is b.event.location.__pydantic_fields_set__
    assert len({id(ev.event.__pydantic_fields_set__) for ev in events}) == 1
    assert "title" in a.event.model_fields_set and "related_area" not in a.event.model_fields_set
    by_name: dict[str, int] = {}
    for ev in events:
        for name in [*ev.actors, ev.sources[0].publisher, ev.title, ev.notes]:
            assert by_name.setdefault(name, id(name)) == id(name)  # one object per name
    assert {ev.from_file for ev in events} == {"mine.csv"}
    copy = a.event.model_copy(update={"notes": "changed"})
    assert copy.notes == "changed" and a.event.notes != "changed"
