"""Journey: an analyst downloads who held what, as GIS data, from the Area held tab, and opens it
as QGIS would (pyogrio): the layers are there and the km² per side are the app's own figures."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pyogrio
from playwright.sync_api import expect

from geo.control import areas_km2 as held_km2
from geo.control import control_at
from geo.frames import areas_km2
from tests.browser.test_journeys import _choose, _open


def _download(page, name: str, folder: Path) -> Path:
    """Make the file, download it under the name the browser offers; that name must be ``name``."""
    page.get_by_role("button", name="Make GIS file").click()
    button = page.get_by_role("button", name=f"Download {name}")
    expect(button).to_be_visible(timeout=60_000)
    with page.expect_download(timeout=60_000) as dl:
        button.click()
    assert dl.value.suggested_filename == name
    dl.value.save_as(folder / name)
    return folder / name


def test_control_and_zones_download_as_gis_files(page, app_server: str, tmp_path: Path) -> None:
    day = dt.date(2021, 6, 1)
    _open(page, app_server, f"?from=2021-01-01&to={day}")
    page.get_by_role("tab", name="Area held").click()

    # The whole timeline as a GeoPackage: both layers, with dates QGIS can animate.
    path = _download(page, "karabakh-map-control-zones-timeline.gpkg", tmp_path)
    names = [n for n, _ in pyogrio.list_layers(path)]
    assert names == ["control_periods", "zones"]
    info = pyogrio.read_info(path, layer="control_periods")
    types = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert types["valid_from"].startswith("datetime") and types["valid_to"].startswith("datetime")

    # The as-of day as GeoJSON (a zip of one file per layer): the km² are the model's.
    page.locator(".st-key-gis_scope").get_by_text("As of 01 Jun 2021").click()
    _choose(page, "gis_fmt", "GeoJSON (zip, one file per layer)")
    expect(page.get_by_text("The choice changed since this file was made")).to_be_visible()
    path = _download(page, f"karabakh-map-control-zones-{day}.zip", tmp_path)
    with zipfile.ZipFile(path) as zf:
        members = sorted(zf.namelist())
        assert [Path(m).name for m in members] == ["control_periods.geojson", "zones.geojson"]
        zf.extractall(tmp_path)
    held = pyogrio.read_dataframe(tmp_path / Path(members[0]))
    assert set(held["controller"]) == {p.controller for p in control_at(day)}
    got = areas_km2(held)
    for side, km2 in held_km2(day).items():  # the figures of python -m geo.control --areas
        assert abs(got[side] - km2) < 0.5, (side, got[side], km2)
