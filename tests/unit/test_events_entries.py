"""events.entries: catalogue files read into entries with YAML line numbers; file problems."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from events.entries import SCHEMA_VERSION, Unbuildable, read_entries

pytestmark = pytest.mark.unit


def _read(tmp_path: Path, text: str) -> tuple[list, list]:
    path = tmp_path / "events.yaml"
    path.write_text(text, encoding="utf-8")
    return read_entries(path)


def test_list_form_entries_with_lines(tmp_path: Path) -> None:
    entries, issues = _read(
        tmp_path,
        "- id: one\n  date: 2020-11-10\n  sources:\n    - url: https://a.org/\n- id: two\n",
    )
    assert issues == []
    assert [(e.index, e.line, e.data["id"]) for e in entries] == [(1, 1, "one"), (2, 5, "two")]
    assert entries[0].data["date"] == dt.date(2020, 11, 10)
    assert entries[0].line_of(("sources", 0, "url")) == 4
    assert entries[0].line_of(("nowhere",)) == 1  # the entry's own line when not found


def test_mapping_form_and_its_problems(tmp_path: Path) -> None:
    entries, issues = _read(tmp_path, f"schema_version: {SCHEMA_VERSION}\nevents:\n  - id: a\n")
    assert [e.data for e in entries] == [{"id": "a"}] and issues == []

    entries, issues = _read(tmp_path, "schema_version: 99\nevents:\n  - id: a\n")
    assert entries == [] and [(i.line, i.field) for i in issues] == [(1, "schema_version")]

    entries, issues = _read(tmp_path, "colour: red\nevents: []\n")
    assert entries == [] and [(i.line, i.field) for i in issues] == [(1, "file")]
    assert "unknown top-level key 'colour'" in issues[0].message

    entries, issues = _read(tmp_path, "events: {id: a}\n")
    assert entries == [] and [(i.line, i.field) for i in issues] == [(1, "events")]

    assert _read(tmp_path, "events:\n") == ([], [])


def test_file_level_problems_are_issues_not_exceptions(tmp_path: Path) -> None:
    entries, issues = _read(tmp_path, "- id: a\n- [unclosed\n")
    assert entries == [] and issues[0].field == "yaml" and issues[0].line >= 2
    assert "YAML syntax error" in issues[0].message

    entries, issues = _read(tmp_path, "just text\n")
    assert entries == [] and issues[0].field == "file" and "expected a list" in issues[0].message

    assert _read(tmp_path, "") == ([], [])  # an empty file holds no events; not an error

    missing = read_entries(tmp_path / "absent.yaml")
    assert missing[0] == [] and "cannot read" in missing[1][0].message


def test_an_unbuildable_entry_spoils_only_itself(tmp_path: Path) -> None:
    entries, issues = _read(tmp_path, "- id: a\n  date: 2020-13-45\n- id: b\n  x: !!binary 1\n")
    assert issues == []
    assert entries[0].data["date"] == "2020-13-45"  # an impossible date stays text
    assert isinstance(entries[1].data, Unbuildable) and entries[1].raw_id() == "b"


def test_duplicate_keys_are_found(tmp_path: Path) -> None:
    entries, _ = _read(tmp_path, "- id: a\n  type: clash\n  type: blockade\n")
    assert entries[0].duplicate_keys() == [("type", 3)]
    assert entries[0].data["type"] == "blockade"  # YAML keeps only the last
