"""geo.export and ``python -m geo export``: GeoPackage / GeoJSON / KML, read back with pyogrio.

The round trip: the km2 per side of the exported control_periods layer of a day equals what
``python -m geo.control --date D --areas`` prints.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from geo import __main__ as geo_cli
from geo import control, export, frames, zones
from geo.control import __main__ as control_cli
from geo.kml import KML_NS, kml_color
from palette import CONTROL_STYLES, ZONE_STYLES

pytestmark = pytest.mark.unit

DAYS = ("1994-06-01", "2020-12-02", "2023-10-01")
SOVIET_DAY = "1988-05-01"
ALL_LAYERS = {"control_periods", "zones", "events", "places", "nkao", "districts", "enclaves"}


def _cli_areas(day: str, capsys: pytest.CaptureFixture[str]) -> dict[str, float]:
    assert control_cli.main(["--date", day, "--areas"]) == 0
    rows = dict(line.split("\t") for line in capsys.readouterr().out.strip().splitlines())
    return {k: float(v) for k, v in rows.items()}


def _export(tmp_path: Path, fmt: str, *args: str) -> Path:
    out = tmp_path / f"out.{fmt}"
    assert geo_cli.main(["export", "--format", fmt, "-o", str(out), *args]) == 0
    return out


@pytest.fixture(scope="module")
def whole_gpkg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "all.gpkg"
    assert geo_cli.main(["export", "--format", "gpkg", "-o", str(out)]) == 0
    return out


@pytest.mark.parametrize("day", DAYS)
def test_round_trip_areas_equal_the_control_cli(day, tmp_path, capsys):
    out = _export(tmp_path, "gpkg", "--date", day)
    capsys.readouterr()
    layer = pyogrio.read_dataframe(out, layer="control_periods")
    got = frames.areas_km2(layer)
    want = _cli_areas(day, capsys)
    assert set(got) == set(want) == set(control.CONTROLLERS)
    for side in want:
        assert got[side] == pytest.approx(want[side], abs=0.5), side
    assert set(layer["id"]) == {p.id for p in control.control_at(dt.date.fromisoformat(day))}


def test_soviet_day_has_no_held_areas(tmp_path, capsys):
    out = _export(tmp_path, "gpkg", "--date", SOVIET_DAY)
    assert pyogrio.read_info(out, layer="control_periods")["features"] == 0
    assert pyogrio.read_info(out, layer="zones")["features"] == 0
    assert pyogrio.read_info(out, layer="nkao")["features"] == len(frames.nkao())
    # ... and the control CLI refuses the day the same way (no areas before the model starts)
    with pytest.raises(SystemExit) as exc:
        control_cli.main(["--date", SOVIET_DAY, "--areas"])
    assert exc.value.code == 2


def test_whole_export_has_every_layer_and_row(whole_gpkg):
    layers = {name for name, _ in pyogrio.list_layers(whole_gpkg)}
    assert layers == ALL_LAYERS
    assert pyogrio.read_info(whole_gpkg, layer="control_periods")["features"] == len(
        control.model().periods
    )
    assert pyogrio.read_info(whole_gpkg, layer="zones")["features"] == len(zones.zones())
    assert pyogrio.read_info(whole_gpkg, layer="places")["features"] == len(frames.places())
    assert pyogrio.read_info(whole_gpkg, layer="events")["features"] == len(geo_cli.events_frame())
    assert pyogrio.read_info(whole_gpkg, layer="districts")["features"] == 7


@pytest.mark.parametrize(
    ("layer", "fields"),
    [
        ("control_periods", ("valid_from", "valid_to")),
        ("zones", ("valid_from", "valid_to")),
        ("events", ("date", "end_date", "valid_from", "valid_to")),
    ],
)
def test_time_fields_are_dates_for_qgis(whole_gpkg, layer, fields):
    info = pyogrio.read_info(whole_gpkg, layer=layer)
    types = dict(zip(info["fields"], info["ogr_types"], strict=True))
    for f in fields:
        assert types[f] in ("OFTDate", "OFTDateTime"), (layer, f, types[f])


def test_periods_keep_sources_precision_and_open_ends(whole_gpkg):
    layer = pyogrio.read_dataframe(whole_gpkg, layer="control_periods")
    assert {"valid_from", "valid_to", "controller", "sources", "precision"} <= set(layer.columns)
    assert layer["valid_to"].isna().any()  # still in force
    assert (layer["valid_from"] >= pd.Timestamp(control.MODEL_START)).all()
    for text in layer["sources"]:
        sources = json.loads(text)
        assert sources and all(s["url"].startswith("http") for s in sources)
    assert layer["precision"].str.strip().astype(bool).all()
    by_id = {p.id: p for p in control.model().periods}
    for row in layer.itertuples():
        p = by_id[row.id]
        assert row.valid_from.date() == p.valid_from
        assert (pd.isna(row.valid_to) and p.valid_to is None) or row.valid_to.date() == p.valid_to


def test_geojson_is_a_directory_of_layers(tmp_path):
    out = tmp_path / "layers"
    assert geo_cli.main(["export", "--format", "geojson", "--date", DAYS[1], "-o", str(out)]) == 0
    assert {p.stem for p in out.glob("*.geojson")} == ALL_LAYERS
    fc = json.loads((out / "control_periods.geojson").read_text(encoding="utf-8"))
    day = dt.date.fromisoformat(DAYS[1])
    ids = {f["properties"]["id"] for f in fc["features"]}
    assert ids == {p.id for p in control.control_at(day)}
    for f in fc["features"]:
        dt.date.fromisoformat(f["properties"]["valid_from"])  # YYYY-MM-DD text
    events = json.loads((out / "events.geojson").read_text(encoding="utf-8"))["features"]
    for f in events:
        p = f["properties"]
        assert p["date"] <= DAYS[1]
        assert p["end_date"] is None or p["end_date"] >= DAYS[1]


def test_kml_has_folders_time_spans_and_palette_colours(tmp_path):
    out = _export(tmp_path, "kml", "--date", DAYS[2])
    root = ET.parse(out).getroot()
    ns = {"k": KML_NS}
    folders = {f.findtext("k:name", namespaces=ns): f for f in root.iter(f"{{{KML_NS}}}Folder")}
    assert set(folders) == ALL_LAYERS
    marks = folders["control_periods"].findall("k:Placemark", ns)
    day = dt.date.fromisoformat(DAYS[2])
    assert len(marks) == len(control.control_at(day))
    froms = {pm.findtext("k:TimeSpan/k:begin", namespaces=ns) for pm in marks}
    assert froms == {p.valid_from.isoformat() for p in control.control_at(day)}
    styles = {s.get("id"): s for s in root.iter(f"{{{KML_NS}}}Style")}
    for side, st in CONTROL_STYLES.items():
        line = styles[f"control_periods-{side}"].findtext("k:LineStyle/k:color", namespaces=ns)
        assert line == kml_color(st.color)
    for kind, st in ZONE_STYLES.items():
        assert styles[f"zones-{kind}"].findtext("k:LineStyle/k:color", namespaces=ns) == (
            kml_color(st.color)
        )


def test_kml_colour_conversion():
    assert kml_color("#b35806") == "ff0658b3"
    assert kml_color("#2166ac", 0x40) == "40ac6621"


def test_events_carry_their_span_as_valid_from_and_valid_to(whole_gpkg):
    ev = pyogrio.read_dataframe(whole_gpkg, layer="events")
    assert (ev["valid_from"] == ev["date"]).all()
    dated = ev["end_date"].notna()
    assert (ev.loc[dated, "valid_to"] == ev.loc[dated, "end_date"]).all()
    incidents = ~dated & (ev["kind"] == "incident")
    assert (ev.loc[incidents, "valid_to"] == ev.loc[incidents, "date"]).all()
    assert ev.loc[~dated & (ev["kind"] == "situation"), "valid_to"].isna().all()


def test_events_on_a_day():
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2020-01-01", "2020-01-01", "2019-01-01", "2019-01-01"]),
            "end_date": pd.to_datetime([None, None, "2020-02-01", "2019-06-01"]),
            "kind": ["incident", "situation", "situation", "situation"],
        }
    )
    on = geo_cli.events_on(frame, dt.date(2020, 1, 1)).index.tolist()
    assert on == [0, 1, 2]
    later = geo_cli.events_on(frame, dt.date(2020, 1, 15)).index.tolist()
    assert later == [1, 2]  # the incident is over; the open situation goes on


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["--format", "shp", "-o", "{tmp}/x.shp"], "--format"),
        (["--format", "gpkg", "--date", "2020-13-01", "-o", "{tmp}/x.gpkg"], "--date"),
        (["--format", "gpkg", "-o", "{tmp}/missing/x.gpkg"], "path"),
        (["--format", "kml", "-o", "{tmp}"], "path"),
        (["--format", "gpkg", "--layers", "roads", "-o", "{tmp}/x.gpkg"], "layers"),
    ],
)
def test_bad_input_exits_2_naming_the_parameter(args, names, tmp_path, capsys):
    argv = ["export", *(a.format(tmp=tmp_path) for a in args)]
    with pytest.raises(SystemExit) as exc:
        geo_cli.main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "error" in err and names in err
    assert not list(tmp_path.rglob("x.*"))


def test_write_rejects_bad_arguments(tmp_path):
    with pytest.raises(export.ExportError, match="format"):
        export.write(tmp_path / "x.gpkg", "shp")
    with pytest.raises(export.ExportError, match="day"):
        export.write(tmp_path / "x.gpkg", "gpkg", day="2020-01-01")
    (tmp_path / "file").write_text("x")
    with pytest.raises(export.ExportError, match="path"):
        export.write(tmp_path / "file", "geojson")


def test_write_some_layers_and_an_extra_frame(tmp_path):
    extra = {"mine": frames.places().head(3)}
    out = tmp_path / "some.gpkg"
    assert export.write(out, "gpkg", layers=["nkao", "mine"], extra=extra) == [out]
    assert {n for n, _ in pyogrio.list_layers(out)} == {"nkao", "mine"}
    assert pyogrio.read_info(out, layer="mine")["features"] == 3
    # an existing file is replaced whole, not appended to
    export.write(out, "gpkg", layers=["districts"])
    assert {n for n, _ in pyogrio.list_layers(out)} == {"districts"}


def test_module_entry_point_and_help(tmp_path):
    run = [sys.executable, "-m", "geo", "export"]
    r = subprocess.run([*run, "--help"], capture_output=True, text=True, timeout=120, check=False)
    assert r.returncode == 0, r.stderr
    assert "date span covers" in r.stdout and "valid_to" in r.stdout
    r = subprocess.run(
        [*run, "--format", "shp", "-o", str(tmp_path / "x.shp")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert r.returncode == 2 and "--format" in r.stderr and not r.stdout
