"""kmap.gisdata: the app's control/zone download in each format reads back as GIS data."""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET
import zipfile

import pyogrio
import pytest

from geo.control import areas_km2 as held_km2
from geo.frames import areas_km2
from kmap.gisdata import GIS_FORMATS, GIS_LAYERS, gis_file

DAY = dt.date(2020, 12, 2)


def test_every_format_reads_back_with_both_layers(tmp_path) -> None:
    for label, (_fmt, ext, _mime) in GIS_FORMATS.items():
        data, name, _ = gis_file(label, None)
        assert name == f"karabakh-map-control-zones-timeline.{ext}"
        path = tmp_path / name
        path.write_bytes(data)
        if ext == "zip":
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                zf.extractall(tmp_path / "unzipped")
            layers = sorted(p.stem for p in (tmp_path / "unzipped").rglob("*.geojson"))
        elif ext == "kml":
            root = ET.fromstring(data)
            ns = "{http://www.opengis.net/kml/2.2}"
            layers = sorted(f.find(f"{ns}name").text for f in root.iter(f"{ns}Folder"))
        else:
            layers = sorted(n for n, _ in pyogrio.list_layers(path))
        assert layers == sorted(GIS_LAYERS), (label, layers)


def test_one_day_holds_that_days_km2(tmp_path) -> None:
    data, name, _ = gis_file("GeoPackage (QGIS, ArcGIS)", DAY)
    assert name.endswith(f"{DAY}.gpkg")
    (tmp_path / name).write_bytes(data)
    held = pyogrio.read_dataframe(tmp_path / name, layer="control_periods")
    got = areas_km2(held)
    want = held_km2(DAY)
    assert set(got) == set(want)
    for side, km2 in want.items():
        assert abs(got[side] - km2) < 0.5


def test_unknown_format_is_named() -> None:
    with pytest.raises(ValueError, match="format: unknown 'shp'"):
        gis_file("shp", None)
