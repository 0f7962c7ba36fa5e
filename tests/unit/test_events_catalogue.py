"""Catalogue loading: issues name file/line/field, valid entries kept, cache, CLI validate."""

from __future__ import annotations

import os
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

import events.catalogue as catalogue_mod
from events.__main__ import main
from events.catalogue import load_catalogue
from events.schema import GeoPrecision

pytestmark = pytest.mark.unit


@dataclass
class FakePlace:
    name: str
    lon: float
    lat: float
    name_hy: str | None = None
    name_az: str | None = None
    precision: str = "exact"


class FakeGeocodeError(LookupError):
    pass


PLACES = {
    "stepanakert": FakePlace("Stepanakert", 46.7528, 39.8153, "Ստեփանակերտ", "Xankəndi"),
    "khankendi": FakePlace("Stepanakert", 46.7528, 39.8153, "Ստեփանակերտ", "Xankəndi"),
    "shusha": FakePlace("Shusha", 46.7489, 39.7581, "Շուշի", "Şuşa"),
    "lachin district": FakePlace("Lachin District", 46.55, 39.64, None, "Laçın", "district"),
    "moscow": FakePlace("Moscow", 37.6173, 55.7558),
}


def fake_geocode(name: str) -> FakePlace:
    key = name.strip().casefold()
    if key in PLACES:
        return PLACES[key]
    raise FakeGeocodeError(f"unknown place {name!r}; closest: Shusha, Stepanakert")


SOURCE = """\
  sources:
    - url: https://example.org/a
      publisher: Example
"""


def entry(id_: str, place: str = "Stepanakert", extra: str = "", gp: str = "exact") -> str:
    return (
        f"- id: {id_}\n"
        "  date: 2020-11-10\n"
        "  type: agreement\n"
        "  title: A neutral title\n"
        "  summary: A neutral summary of the event.\n"
        "  location:\n"
        f"    place: {place}\n"
        f"  geo_precision: {gp}\n" + extra + SOURCE
    )


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def line_of(path: Path, needle: str, nth: int = 1) -> int:
    hits = [i for i, ln in enumerate(path.read_text().splitlines(), 1) if needle in ln]
    return hits[nth - 1]


@pytest.fixture()
def files(tmp_path: Path) -> tuple[Path, Path]:
    a = write(
        tmp_path / "a.yaml",
        entry("good-one") + entry("good-khankendi", place="Khankendi") + "- id: bad-date\n"
        "  date: 2020-13-45\n"
        "  type: clash\n"
        "  title: Bad date here\n"
        "  summary: The date does not exist at all.\n"
        "  location: {place: Shusha}\n"
        "  geo_precision: exact\n"
        "  sources:\n"
        "    - url: ftp://example.org/x\n"
        "      publisher: Example\n"
        + entry("unknown-place", place="Atlantis")
        + entry("ends-before", extra="  end_date: 2020-11-01\n")
        + entry("moscow-exact", place="Moscow")
        + entry("moscow-near", place="Moscow", gp="near")
        + "- id: explicit-outside\n"
        "  date: 2020-11-10\n"
        "  type: clash\n"
        "  title: Explicit point outside\n"
        "  summary: Explicit coordinates, lat and lon swapped.\n"
        "  location: {lon: 39.8, lat: 46.7}\n"
        "  geo_precision: exact\n" + SOURCE + entry("lachin-exact", place="Lachin district"),
    )
    b = write(tmp_path / "b.yaml", entry("good-one") + entry("good-two"))
    return a, b


def test_valid_kept_and_issues_located(files: tuple[Path, Path]) -> None:
    a, b = files
    cat = load_catalogue([a, b], geocoder=fake_geocode)
    ids = [e.id for e in cat.events]
    assert sorted(ids) == ["good-khankendi", "good-one", "good-two", "lachin-exact", "moscow-exact"]
    by = {(i.event_id, i.field): i for i in cat.issues}

    # schema error: bad date and bad url, each on its own line
    i = by[("bad-date", "date")]
    assert (i.file, i.entry_index, i.line) == (str(a), 3, line_of(a, "2020-13-45"))
    i = by[("bad-date", "sources[0].url")]
    assert i.line == line_of(a, "ftp://") and "http" in i.message
    assert i.entry_line == line_of(a, "id: bad-date")

    # unknown place: the gazetteer's candidates are passed on
    i = by[("unknown-place", "location.place")]
    assert "Atlantis" in i.message and "closest" in i.message
    assert i.line == line_of(a, "place: Atlantis")

    assert "end_date" in by[("ends-before", "end_date")].message
    assert "exact" in by[("moscow-near", "geo_precision")].message
    outside = by[("explicit-outside", "location")]
    assert "outside the region" in outside.message and "swapped" in outside.message

    # duplicate id across files: second flagged, pointing at the first
    dup = by[("good-one", "id")]
    assert dup.file == str(b) and dup.line == 1 and f"{a}:1" in dup.message
    assert len(cat.issues) == 7


def test_resolution_names_and_precision(files: tuple[Path, Path]) -> None:
    cat = load_catalogue(list(files), geocoder=fake_geocode)
    ev = cat.by_id("good-khankendi")
    assert ev is not None
    assert (ev.place, ev.place_hy, ev.place_az) == ("Stepanakert", "Ստեփանակերտ", "Xankəndi")
    assert (ev.lon, ev.lat) == (46.7528, 39.8153)
    assert ev.event.location.place == "Khankendi"  # the text as written is kept
    # event says exact, gazetteer entry is a district: the coarser precision wins
    assert cat.by_id("lachin-exact").geo_precision is GeoPrecision.district
    moscow = cat.by_id("moscow-exact")
    assert moscow.geo_precision is GeoPrecision.exact and moscow.lat > 50


def test_explicit_point_wins_and_place_is_label(tmp_path: Path) -> None:
    text = entry("with-point", place="Km 12 of the road").replace(
        "    place: Km 12 of the road\n",
        "    place: Km 12 of the road\n    lon: 46.6\n    lat: 39.7\n",
    )
    cat = load_catalogue([write(tmp_path / "x.yaml", text)], geocoder=fake_geocode)
    assert cat.issues == ()
    ev = cat.events[0]
    assert (ev.lon, ev.lat, ev.place) == (46.6, 39.7, "Km 12 of the road")


def test_bad_file_does_not_stop_others(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", "- id: x\n  date: [unclosed\n")
    scalar = write(tmp_path / "scalar.yaml", "just a string\n")
    empty = write(tmp_path / "empty.yaml", "")
    notmap = write(tmp_path / "notmap.yaml", "- 42\n" + entry("fine-one"))
    tagged = write(
        tmp_path / "tagged.yaml",
        entry("bad-tag").replace("title: A neutral title", "title: !!python/object:os.system x")
        + entry("fine-two"),
    )
    cat = load_catalogue([bad, scalar, empty, notmap, tagged], geocoder=fake_geocode)
    assert [e.id for e in cat.events] == ["fine-one", "fine-two"]
    fields = sorted((Path(i.file).name, i.field) for i in cat.issues)
    assert fields == [
        ("bad.yaml", "yaml"),
        ("notmap.yaml", "entry"),
        ("scalar.yaml", "file"),
        ("tagged.yaml", "yaml"),
    ]
    tag_issue = next(i for i in cat.issues if i.file == str(tagged))
    assert (tag_issue.entry_index, tag_issue.event_id) == (1, "bad-tag")
    assert tag_issue.line == line_of(tagged, "python/object")
    yaml_issue = next(i for i in cat.issues if i.field == "yaml")
    assert yaml_issue.entry_index == 0 and yaml_issue.line >= 2


def test_mapping_form_and_schema_version(tmp_path: Path) -> None:
    ok = write(tmp_path / "ok.yaml", "schema_version: 1\nevents:\n" + entry("in-mapping"))
    future = write(tmp_path / "future.yaml", "schema_version: 99\nevents: []\n")
    cat = load_catalogue([ok, future], geocoder=fake_geocode)
    assert [e.id for e in cat.events] == ["in-mapping"]
    assert cat.by_id("in-mapping").origin == f"{ok}:3"
    assert [i.field for i in cat.issues] == ["schema_version"]


def test_duplicate_key_and_missing_fields(tmp_path: Path) -> None:
    p = write(
        tmp_path / "x.yaml",
        entry("twice", extra="  title: Second title\n")
        + "- id: thin\n  date: 2020-01-01\n  type: clash\n",
    )
    cat = load_catalogue([p], geocoder=fake_geocode)
    fields = {(i.event_id, i.field) for i in cat.issues}
    assert ("twice", "title") in fields
    for f in ("title", "summary", "location", "geo_precision", "sources"):
        assert ("thin", f) in fields
    assert cat.events == ()


def test_gazetteer_unavailable_is_an_issue_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalogue_mod, "_gazetteer_geocoder", lambda: (None, "no gazetteer yet"))
    p = write(tmp_path / "x.yaml", entry("needs-place"))
    cat = load_catalogue([p])
    assert cat.events == ()
    assert [(i.field, i.message) for i in cat.issues] == [("location.place", "no gazetteer yet")]


REGISTER = """\
- name: Example
  kind: international_outlet
  hosts: [example.org]
"""


def test_default_load_is_cached_on_mtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalogue_mod, "DATA_DIR", tmp_path)
    monkeypatch.setattr(catalogue_mod, "_gazetteer_geocoder", lambda: (fake_geocode, None))
    catalogue_mod.clear_cache()
    reg = write(tmp_path / "publishers.yaml", REGISTER)
    p = write(tmp_path / "x.yaml", entry("first-version"))
    c1 = load_catalogue()
    assert c1.issues == () and c1.files == (str(p),)  # the register is not read as events
    assert load_catalogue() is c1
    write(p, entry("second-version"))
    st = p.stat()
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))
    c2 = load_catalogue()
    assert c2 is not c1 and [e.id for e in c2.events] == ["second-version"]
    # the default load checks sources against the register next to the data, and a changed
    # register is picked up too
    write(reg, REGISTER.replace("Example", "Example News"))
    st = reg.stat()
    os.utime(reg, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))
    c3 = load_catalogue()
    assert c3.events == ()
    assert [(i.field, i.rule) for i in c3.issues] == [("sources[0].publisher", "publisher_name")]
    catalogue_mod.clear_cache()


def test_cli_validate(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setattr(catalogue_mod, "_gazetteer_geocoder", lambda: (fake_geocode, None))
    a, b = files
    reg = str(write(a.parent / "register.yaml", REGISTER))
    assert main(["validate", str(a), str(b), "--register", reg]) == 1
    out = capsys.readouterr().out.splitlines()
    want = f"{a}:{line_of(a, 'place: Atlantis')}: entry 4 (id unknown-place): location.place: "
    assert any(ln.startswith(want) for ln in out), out
    assert out[-1].startswith("5 valid event(s) in 2 file(s); 7 issue(s)")
    assert main(["validate", str(b), "--register", reg]) == 0
    assert capsys.readouterr().out.strip().endswith("0 issue(s) in 0 file(s)")
    # the shipped register is the default: example.org is not in it
    assert main(["validate", str(b)]) == 1
    out = capsys.readouterr().out
    assert "host 'example.org' is not in the publisher register" in out
    assert (
        f"2 x host_not_in_register: source host not in the publisher register ({b.name} 2)" in out
    )


def test_shipped_catalogue_validates_with_real_gazetteer() -> None:
    """Integration: the curated data files load cleanly through the real gazetteer."""
    from geo.gazetteer import geocode  # a failing import fails the test, never skips it

    assert catalogue_mod._gazetteer_geocoder() == (geocode, None)
    catalogue_mod.clear_cache()
    cat = load_catalogue()
    assert cat.files, "no data files in events/data"
    assert not cat.issues, "\n".join(map(str, cat.issues))
    assert len(cat.events) > 0
    assert len({e.id for e in cat.events}) == len(cat.events)


def test_readme_documents_every_field_and_value() -> None:
    """events/data/README.md must name every schema field and every enum value."""
    from events.publishers import KINDS, SIDES
    from events.schema import (
        Confidence,
        DatePrecision,
        Event,
        EventKind,
        EventType,
        Location,
        Source,
    )

    readme = (Path(catalogue_mod.__file__).parent / "data" / "README.md").read_text()
    names = [*Event.model_fields, *(f"sources[].{f}" for f in Source.model_fields)]
    names += [f"location.{f}" for f in Location.model_fields]
    names += [f"`{k}`" for k in (*KINDS, *SIDES)]
    for enum in (EventType, DatePrecision, GeoPrecision, Confidence, EventKind):
        names += [f"`{m.value}`" for m in enum]
    missing = [n for n in names if n not in readme]
    assert not missing, f"undocumented in events/data/README.md: {missing}"
    assert "licence: CC BY 4.0" in readme


# --- kind: incident | situation, and location: {none: true} -------------------------------------


def test_kind_defaults_and_incident_with_end_date(tmp_path: Path) -> None:
    p = write(
        tmp_path / "x.yaml",
        entry("plain-point")
        + entry("plain-span", extra="  end_date: 2020-12-01\n")
        + entry("open-situation", extra="  kind: situation\n")
        + entry("bad-incident", extra="  kind: incident\n  end_date: 2020-12-01\n")
        + entry("bad-kind", extra="  kind: episode\n"),
    )
    cat = load_catalogue([p], geocoder=fake_geocode)
    kinds = {e.id: e.kind.value for e in cat.events}
    assert kinds == {
        "plain-point": "incident",
        "plain-span": "situation",
        "open-situation": "situation",
    }
    assert [(i.event_id, i.field, i.line) for i in cat.issues] == [
        ("bad-incident", "end_date", line_of(p, "end_date: 2020-12-01", 2)),
        ("bad-kind", "kind", line_of(p, "kind: episode")),
    ]
    msg = cat.issues[0].message
    assert msg.startswith("kind incident with an end_date") and "kind: situation" in msg
    assert [i.rule for i in cat.issues] == ["incident_end_date", None]
    assert "'incident' or 'situation'" in cat.issues[1].message


def test_location_none_is_kept_off_the_map(tmp_path: Path) -> None:
    placeless = entry("no-place").replace(
        "  location:\n    place: Stepanakert\n  geo_precision: exact\n",
        "  location: {none: true}\n",
    )
    both = entry("none-and-place").replace(
        "    place: Stepanakert\n", "    place: Shusha\n    none: true\n"
    )
    false = entry("none-false").replace("    place: Stepanakert\n", "    none: false\n")
    p = write(tmp_path / "x.yaml", placeless + both + false + entry("with-place"))
    cat = load_catalogue([p], geocoder=fake_geocode)
    assert [e.id for e in cat.events] == ["with-place"]
    (ev,) = cat.placeless
    assert ev.id == "no-place" and ev.placeless and ev.place is None
    assert ev.lon != ev.lon and ev.lat != ev.lat  # NaN: no point
    assert ev.geo_precision is GeoPrecision.region  # defaulted: there is no place
    assert [(i.event_id, i.field, i.message) for i in cat.issues] == [
        ("none-and-place", "location", "location none: true takes no place, lon or lat"),
        (
            "none-false",
            "location",
            "location needs a place name or lon/lat",  # none: false is no place
        ),
    ]
