"""Exporters: CSV/GeoJSON round trips, KML validity, hostile text stays escaped, CLI output."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from events.__main__ import main
from events.io.acled import import_acled
from events.io.export import event_record, export, to_csv, to_geojson, to_kml
from events.io.native import import_csv, import_geojson
from events.io.ucdp import import_ucdp_ged
from events.schema import Event, ResolvedEvent

pytestmark = pytest.mark.unit

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "events"
K = "{http://www.opengis.net/kml/2.2}"
HOSTILE = "<img src=x onerror=alert(1)>"


def make(id_: str, **kw) -> ResolvedEvent:
    base = {
        "id": id_,
        "date": dt.date(2020, 11, 10),
        "type": "agreement",
        "title": "Trilateral statement signed",
        "summary": "Armenia, Azerbaijan and Russia signed a statement ending the fighting.",
        "location": {"place": "Moscow"},
        "geo_precision": "exact",
        "actors": ["Government of Armenia", "Government of Azerbaijan"],
        "sources": [
            {
                "url": "https://example.org/a?x=1&y=2",
                "publisher": "Example",
                "title": "Statement",
                "published": "2020-11-10",
            }
        ],
    }
    lon, lat = kw.pop("_lonlat", (37.6173, 55.7558))
    base.update(kw)
    ev = Event.model_validate(base)
    return ResolvedEvent(ev, lon, lat, ev.geo_precision, "Moscow", "Մոսկվա", "Moskva")


EVENTS = [
    make("one"),
    make(
        "blockade-1",
        date=dt.date(2022, 12, 12),
        end_date=dt.date(2023, 9, 19),
        type="blockade",
        title=f"Hostile {HOSTILE} & title",
        summary=f'Summary with {HOSTILE}, "quotes", commas; and\nnewlines, and </description>.',
        date_precision="month",
        geo_precision="near",
        actors=["=cmd|' /C calc'!A0", "a; b", "-minus"],
        notes="@SUM(1+1)",
        related_area="lachin-corridor",
        confidence="low",
        sources=[
            {"url": "https://example.org/<x>\"'", "publisher": HOSTILE},
            {"url": "http://example.com/", "publisher": "+Plus", "accessed": "2024-01-02"},
        ],
        _lonlat=(46.52, 39.6),
    ),
]


def records(events) -> list[dict]:
    return [event_record(e) for e in events]


def test_csv_round_trip() -> None:
    text = to_csv(EVENTS)
    r = import_csv(io.StringIO(text))
    assert r.rejected == []
    assert records(r.events) == records(EVENTS)


def test_csv_guards_formulas_for_spreadsheets() -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(EVENTS))))
    assert rows[1]["notes"] == "'@SUM(1+1)"
    assert rows[1]["actors"].startswith("[")  # "a; b" would not survive "; "-joining
    assert rows[0]["actors"] == "Government of Armenia; Government of Azerbaijan"


def test_csv_opens_in_excel_with_readable_sources() -> None:
    text = to_csv(EVENTS)
    assert text.startswith("\ufeff")  # UTF-8 with BOM: Excel reads "–" right
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    first = EVENTS[0].event.sources[0]
    assert rows[0]["source_1_url"] == first.url
    assert rows[0]["source_1_publisher"] == first.publisher
    assert all("None" not in r.values() for r in rows)
    assert not to_csv(EVENTS, bom=False).startswith("\ufeff")


def test_geojson_round_trip() -> None:
    doc = to_geojson(EVENTS)
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 2
    f = doc["features"][1]
    assert f["geometry"] == {"type": "Point", "coordinates": [46.52, 39.6]}
    assert f["properties"]["end_date"] == "2023-09-19"
    r = import_geojson(io.StringIO(json.dumps(doc)))
    assert r.rejected == []
    assert records(r.events) == records(EVENTS)


@pytest.mark.parametrize(
    ("importer", "path"),
    [(import_acled, "acled_current.csv"), (import_ucdp_ged, "ucdp_header.csv")],
)
def test_imported_events_round_trip(importer, path: str) -> None:
    events = importer(FIX / path).events
    assert records(import_csv(io.StringIO(to_csv(events))).events) == records(events)
    geo = json.dumps(to_geojson(events))
    assert records(import_geojson(io.StringIO(geo)).events) == records(events)


def test_kml_is_valid_and_escaped() -> None:
    text = to_kml(EVENTS)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{K}kml"
    pms = root.findall(f"{K}Document/{K}Placemark")
    assert [p.get("id") for p in pms] == ["one", "blockade-1"]
    one, blk = pms
    assert one.find(f"{K}TimeStamp/{K}when").text == "2020-11-10"
    assert blk.find(f"{K}TimeSpan/{K}begin").text == "2022-12"  # month precision
    assert blk.find(f"{K}TimeSpan/{K}end").text == "2023-09-19"
    assert one.find(f"{K}Point/{K}coordinates").text == "37.6173,55.7558"
    assert blk.find(f"{K}styleUrl").text == "#type-blockade"
    assert root.find(f"{K}Document/{K}Style[@id='type-blockade']") is not None
    # name: plain text, XML-escaped on the wire and intact when parsed
    assert blk.find(f"{K}name").text == f"Hostile {HOSTILE} & title"
    assert "<img" not in text
    # description: HTML whose user text is HTML-escaped, so a viewer shows it as text
    desc = blk.find(f"{K}description").text
    assert "<img" not in desc and "&lt;img src=x onerror=alert(1)&gt;" in desc
    assert '<a href="https://example.org/&lt;x&gt;&quot;&#x27;">' in desc
    assert '<a href="https://example.org/a?x=1&amp;y=2">' in one.find(f"{K}description").text
    data = {d.get("name"): d.find(f"{K}value").text for d in blk.iter(f"{K}Data")}
    assert data["geo_precision"] == "near" and data["id"] == "blockade-1"


def test_kml_drops_xml_illegal_characters() -> None:
    ev = make("ctrl", title="bell \x07 and \x00 null")
    root = ET.fromstring(to_kml([ev]))
    assert root.find(f"{K}Document/{K}Placemark/{K}name").text == "bell  and  null"


@settings(max_examples=150, deadline=None)
@given(
    title=st.text(min_size=3, max_size=60).filter(lambda s: len(s) >= 3),
    summary=st.text(min_size=10, max_size=120),
    actors=st.lists(st.text(max_size=20), max_size=4),
)
def test_round_trips_for_any_text(title: str, summary: str, actors: list[str]) -> None:
    ev = make("any-text", title=title, summary=summary, actors=actors, notes=summary)
    r = import_csv(io.StringIO(to_csv([ev])))
    assert records(r.events) == records([ev])
    g = import_geojson(io.StringIO(json.dumps(to_geojson([ev]))))
    assert records(g.events) == records([ev])
    ET.fromstring(to_kml([ev]).encode("utf-8"))  # always well-formed


def test_table_and_export_formats() -> None:
    table = export(EVENTS, "table")
    assert table.splitlines()[0].split() == ["id", "date", "type", "geo", "place", "title"]
    assert "2022-12-12..2023-09-19" in table
    with pytest.raises(ValueError):
        export(EVENTS, "xlsx")


def test_cli_import_reports_rejections_on_stderr(capsys: pytest.CaptureFixture) -> None:
    code = main(["import", "acled", str(FIX / "acled_swapped.csv"), "--format", "geojson"])
    out, err = capsys.readouterr()
    assert code == 0
    assert len(json.loads(out)["features"]) == 2
    assert "acled_swapped.csv: row 3: latitude/longitude: coordinates look swapped" in err
    assert "2 imported, 1 rejected" in err
    assert main(["import", "acled", str(FIX / "acled_swapped.csv"), "--strict"]) == 1
    assert main(["import", "ucdp", str(FIX / "acled_current.csv")]) == 2
    assert "49" in capsys.readouterr().err


def test_cli_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    import events.catalogue as catalogue_mod

    class P:
        lon, lat, name, name_hy, name_az, precision = 46.75, 39.8, "Stepanakert", None, None, None

    monkeypatch.setattr(catalogue_mod, "_gazetteer_geocoder", lambda: (lambda n: P(), None))
    y = tmp_path / "e.yaml"
    y.write_text(
        "".join(
            f"- id: ev-{d}\n  date: 2020-11-{d}\n  type: {t}\n  title: Title {d}\n"
            "  summary: Summary of the event.\n  location: {place: Stepanakert}\n"
            "  geo_precision: exact\n  sources: [{url: 'https://example.org', publisher: X}]\n"
            for d, t in (("01", "clash"), ("10", "agreement"), ("20", "clash"))
        )
    )
    args = ["list", str(y), "--from", "2020-11-05", "--to", "2020-11-30", "--type", "clash"]
    assert main([*args, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["id"] for r in rows] == ["ev-20"]
    assert main([*args[:-2], "--format", "kml"]) == 0
    root = ET.fromstring(capsys.readouterr().out.encode())
    assert len(root.findall(f"{K}Document/{K}Placemark")) == 2


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://x","y")',
        "+cmd|' /C calc'!A0",
        "@SUM(1+1)",
        " =1+1",
        "\u200b=1+1",
        "\n-2+3",
        "\u00a0@SUM(A1)",
    ],
)
def test_formula_like_text_is_guarded_and_round_trips(text: str) -> None:
    from events.io.native import csv_guard, csv_unguard

    guarded = csv_guard(text)
    assert guarded.startswith("'")
    assert csv_unguard(guarded) == text


@pytest.mark.parametrize("text", ["plain", "a=b", "", "'quoted", "1-2"])
def test_ordinary_text_round_trips(text: str) -> None:
    from events.io.native import csv_guard, csv_unguard

    assert csv_unguard(csv_guard(text)) == text


def test_kml_colours_are_the_maps_colours() -> None:
    """One colour per type everywhere: 'agreement' was green in KML and blue on the map."""
    from palette import EVENT_STYLES

    root = ET.fromstring(to_kml(EVENTS))
    colours = {s.get("id"): s.find(f"{K}IconStyle/{K}color").text for s in root.iter(f"{K}Style")}
    assert len(colours) == len(EVENT_STYLES)
    for etype, style in EVENT_STYLES.items():
        rr, gg, bb = style.color[1:3], style.color[3:5], style.color[5:7]
        assert colours[f"type-{etype}"] == f"ff{bb}{gg}{rr}".lower()
    assert colours["type-agreement"] != colours["type-ceasefire"]
