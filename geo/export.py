"""Export geo/'s frames (and any extra frame, e.g. events) as GeoPackage, GeoJSON or KML.

``write(path, fmt, day=None, layers=None, extra=None)``:

* ``gpkg``: one GeoPackage at ``path``, one layer per frame; ``valid_from`` / ``valid_to`` are
  DateTime fields (midnight; ``valid_to`` is the last day in force, null = still in force), so
  QGIS's Temporal Controller reads them as they are (docs/geodata-export.md);
* ``geojson``: ``path`` is a directory; one RFC 7946 ``<layer>.geojson`` per layer, dates as
  ``YYYY-MM-DD`` text (GeoJSON has no date type);
* ``kml``: one KML file, a Folder per layer, TimeSpans and the map's colours (:mod:`geo.kml`).

With ``day``, only the rows in force that day are written (frames with ``valid_from``; timeless
layers, places and boundaries, are written whole; an ``extra`` frame without ``valid_from`` is
written as given, so the caller picks its rows). Files are written to a temporary name and
moved into place: a failed export leaves no half-written file.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo import frames
from geo.files import replacing, write_atomic
from geo.kml import to_kml

__all__ = ["FORMATS", "LAYER_NOTES", "ExportError", "layer_frames", "write"]

FORMATS: tuple[str, ...] = ("gpkg", "geojson", "kml")

#: Provenance and licence of each layer (written into the GeoPackage's layer metadata).
LAYER_NOTES: dict[str, str] = {
    "control_periods": "Areas held by Armenian or Azerbaijani forces, 1991 to today; authored "
    "by karabakh-map from the sources listed per row (geo/data/control). CC BY 4.0.",
    "zones": "Russian peacekeepers' zone, Lachin corridor, monitoring centre, EU missions; "
    "authored by karabakh-map from the sources listed per row. CC BY 4.0.",
    "places": "Gazetteer: place names and coordinates from GeoNames (CC BY 4.0, attribution "
    '"Place names and coordinates: GeoNames, geonames.org") and hand-added places with a '
    "cited page each (source_url).",
    "nkao": "Former Nagorno-Karabakh Autonomous Oblast (1991) from Natural Earth 4.0.0 "
    "(public domain).",
    "districts": "The seven districts round the former NKAO: Natural Earth admin-1 "
    "(public domain), corrected near named places (geo/data/unit_fixes.csv).",
    "enclaves": "Soviet-era enclaves and exclaves: Natural Earth (public domain) and cited "
    "village pages (source_url per row).",
}


class ExportError(ValueError):
    """Bad export request; the message names the parameter (format, day, path, layers)."""


def layer_frames(
    day: dt.date | None = None,
    layers: Sequence[str] | None = None,
    extra: Mapping[str, gpd.GeoDataFrame] | None = None,
) -> dict[str, gpd.GeoDataFrame]:
    """The frames to export, by layer name, filtered to ``day`` when given."""
    extra = dict(extra or {})
    known = [*frames.FRAME_NAMES, *(n for n in extra if n not in frames.FRAME_NAMES)]
    wanted = list(layers) if layers is not None else known
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise ExportError(f"layers: unknown {', '.join(unknown)}; known: {', '.join(known)}")
    out = {}
    for name in wanted:
        gdf = extra[name] if name in extra else frames.frame(name)
        out[name] = frames.in_force(gdf, day) if day is not None else gdf
    return out


def _dates_as_text(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Datetime columns as ``YYYY-MM-DD`` text (null stays null), for GeoJSON."""
    out = gdf.copy()
    for col in out.columns:
        if col != "geometry" and pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = [None if pd.isna(v) else v.date().isoformat() for v in out[col]]
    return out


def _write_gpkg(
    target: Path, data: Mapping[str, gpd.GeoDataFrame], notes: Mapping[str, str]
) -> None:
    with replacing(target) as tmp:
        for name, gdf in data.items():
            pyogrio.write_dataframe(
                gdf,
                tmp,
                layer=name,
                driver="GPKG",
                geometry_type="Unknown" if gdf.empty else None,
                layer_metadata={"provenance": notes[name]} if name in notes else None,
                append=False,
            )


def _write_geojson(target: Path, data: Mapping[str, gpd.GeoDataFrame]) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name, gdf in data.items():
        with replacing(target / f"{name}.geojson") as tmp:
            pyogrio.write_dataframe(
                _dates_as_text(gdf.to_crs(frames.CRS)),
                tmp,
                driver="GeoJSON",
                layer=name,
                geometry_type="Unknown" if gdf.empty else None,
                RFC7946="YES",
            )


def _write_kml(
    target: Path,
    data: Mapping[str, gpd.GeoDataFrame],
    day: dt.date | None,
    notes: Mapping[str, str],
) -> None:
    title = "karabakh-map geodata" + (f" on {day.isoformat()}" if day else "")
    text = to_kml(data, title, " ".join(f"{n}: {notes[n]}" for n in data if n in notes))
    write_atomic(target, text)


def _check_target(path: Path, fmt: str) -> Path:
    path = Path(path)
    parent = path if fmt == "geojson" and path.is_dir() else path.parent
    if fmt != "geojson" and path.is_dir():
        raise ExportError(f"path: {path} is a directory; give a file name for {fmt}")
    if fmt == "geojson" and path.exists() and not path.is_dir():
        raise ExportError(f"path: {path} is a file; geojson writes a directory of layers")
    if not parent.is_dir():
        raise ExportError(f"path: folder {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise ExportError(f"path: folder {parent} is not writable")
    return path


def write(
    path: str | Path,
    fmt: str,
    day: dt.date | None = None,
    layers: Sequence[str] | None = None,
    extra: Mapping[str, gpd.GeoDataFrame] | None = None,
    *,
    notes: Mapping[str, str] | None = None,
) -> list[Path]:
    """Write the layers (all of geo's frames plus ``extra``, or only ``layers``) as ``fmt``,
    filtered to ``day`` when given; returns the files written. ExportError on bad input.
    ``notes``: provenance/licence of extra layers (geo's own are in LAYER_NOTES)."""
    if fmt not in FORMATS:
        raise ExportError(f"format: unknown {fmt!r}; use one of {', '.join(FORMATS)}")
    if day is not None and not isinstance(day, dt.date):
        raise ExportError(f"day: not a date: {day!r}")
    target = _check_target(Path(path), fmt)
    data = layer_frames(day, layers, extra)
    all_notes = {**LAYER_NOTES, **(notes or {})}
    if fmt == "gpkg":
        _write_gpkg(target, data, all_notes)
        return [target]
    if fmt == "kml":
        _write_kml(target, data, day, all_notes)
        return [target]
    _write_geojson(target, data)
    return [target / f"{name}.geojson" for name in data]
