"""Bad YAML never crashes the catalogue loader, and no entry is lost without an issue.

Property-based, in the manner of test_import_robustness.py (see there).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from events.catalogue import load_catalogue
from tests.hostile import PAYLOADS, PLAIN
from tests.unit.test_import_robustness import FAST, fake_geocode

pytestmark = pytest.mark.unit

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
