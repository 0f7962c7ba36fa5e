"""geo/ as GeoDataFrames (EPSG:4326): control periods, zones, places, NKAO, districts, enclaves.

The form geopandas users and QGIS read, and the form the export writes. Time-dependent frames
have ``valid_from`` / ``valid_to`` (``datetime64[ms]`` at midnight; ``valid_to`` is the last day
in force, inclusive, ``NaT`` = still in force), so the situation of a day is a filter
(:func:`in_force`). ``sources`` is JSON text (a list of ``{url, publisher, ...}``), the form a
file field can hold. Areas go through ``to_crs(EQUAL_AREA).area`` (:func:`areas_km2`).

Built from the same objects the app's per-day calls use (:mod:`geo.control`, :mod:`geo.zones`,
:mod:`geo.gazetteer`, :mod:`geo.boundaries`), once per process; treat them as read-only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from geo import control, gazetteer, zones
from geo.control.geometry import EQUAL_AREA

__all__ = [
    "CRS",
    "FRAME_NAMES",
    "areas_km2",
    "control_periods",
    "controllers_at",
    "districts",
    "enclaves",
    "frame",
    "in_force",
    "nkao",
    "places",
    "zones_frame",
]

CRS = "EPSG:4326"
_DATA = control.DATA

#: Frames by name (the layers of the export, events aside: geo knows nothing of events).
FRAME_NAMES: tuple[str, ...] = (
    "control_periods",
    "zones",
    "places",
    "nkao",
    "districts",
    "enclaves",
)


def _dates(values: Iterable[dt.date | None]) -> pd.Series:
    return pd.Series(pd.to_datetime(list(values)), dtype="datetime64[ms]")


def _sources_text(sources: Iterable[dict]) -> str:
    return json.dumps([dict(s) for s in sources], ensure_ascii=False)


@lru_cache(maxsize=1)
def control_periods() -> gpd.GeoDataFrame:
    """Every control period of the model: id, controller, valid_from, valid_to, precision,
    confidence, label, sources (JSON text), km2, geometry. On any day from MODEL_START the rows
    in force tile the area of interest."""
    m = control.model()
    ps = m.periods
    return gpd.GeoDataFrame(
        {
            "id": [p.id for p in ps],
            "controller": [p.controller for p in ps],
            "valid_from": _dates(p.valid_from for p in ps),
            "valid_to": _dates(p.valid_to for p in ps),
            "precision": [p.precision for p in ps],
            "confidence": [p.confidence for p in ps],
            "label": [p.label for p in ps],
            "sources": [_sources_text(p.sources) for p in ps],
            "km2": [round(m.period_km2[p.id], 3) for p in ps],
        },
        geometry=[p.geometry for p in ps],
        crs=CRS,
    )


@lru_cache(maxsize=1)
def zones_frame() -> gpd.GeoDataFrame:
    """Every zone period: id, kind, name, valid_from, valid_to, precision, sources (JSON
    text), geometry (peacekeeping zone, Lachin corridor, monitoring centre, EU missions)."""
    zs = zones.zones()
    return gpd.GeoDataFrame(
        {
            "id": [z.id for z in zs],
            "kind": [z.kind for z in zs],
            "name": [z.name for z in zs],
            "valid_from": _dates(z.valid_from for z in zs),
            "valid_to": _dates(z.valid_to for z in zs),
            "precision": [z.precision for z in zs],
            "sources": [_sources_text(z.sources) for z in zs],
        },
        geometry=[z.geometry for z in zs],
        crs=CRS,
    )


@lru_cache(maxsize=1)
def places() -> gpd.GeoDataFrame:
    """The gazetteer: id, name, name_hy, name_az, aliases (``|``-joined), kind, country,
    precision, source, source_url, point geometry."""
    ps = gazetteer.places()
    return gpd.GeoDataFrame(
        {
            "id": [p.id for p in ps],
            "name": [p.name for p in ps],
            "name_hy": [p.name_hy for p in ps],
            "name_az": [p.name_az for p in ps],
            "aliases": ["|".join(p.aliases) for p in ps],
            "kind": [p.kind for p in ps],
            "country": [p.country for p in ps],
            "precision": [p.precision for p in ps],
            "source": [p.source for p in ps],
            "source_url": [p.source_url for p in ps],
        },
        geometry=gpd.points_from_xy([p.lon for p in ps], [p.lat for p in ps]),
        crs=CRS,
    )


@lru_cache(maxsize=4)
def _layer(name: str) -> gpd.GeoDataFrame:
    return pyogrio.read_dataframe(_DATA / f"{name}.geojson")


def nkao() -> gpd.GeoDataFrame:
    """The Nagorno-Karabakh Autonomous Oblast as of 1991 (one row)."""
    return _layer("nkao")


def districts() -> gpd.GeoDataFrame:
    """The seven districts round the former NKAO (Kalbajar, Lachin, Qubadli, Zangilan,
    Jabrayil, Fuzuli, Aghdam): the admin units flagged ``seven_districts``."""
    units = _layer("admin_units")
    return units[units["seven_districts"].astype(bool)].reset_index(drop=True)


def enclaves() -> gpd.GeoDataFrame:
    """The Soviet-era enclaves and exclaves (Artsvashen, Yukhari Askipara, Barkhudarly,
    Sofulu, Karki); point-only ones are small polygons round their village."""
    return _layer("enclaves")


def frame(name: str) -> gpd.GeoDataFrame:
    """One frame by name (see FRAME_NAMES); ValueError names the unknown one."""
    builders = {
        "control_periods": control_periods,
        "zones": zones_frame,
        "places": places,
        "nkao": nkao,
        "districts": districts,
        "enclaves": enclaves,
    }
    if name not in builders:
        raise ValueError(f"unknown frame {name!r}; known: {', '.join(FRAME_NAMES)}")
    return builders[name]()


def in_force(gdf: gpd.GeoDataFrame, day: dt.date) -> gpd.GeoDataFrame:
    """Rows in force on ``day``: ``valid_from <= day`` and (``valid_to`` null or
    ``day <= valid_to``). A frame without valid_from is timeless and returned whole."""
    if "valid_from" not in gdf.columns:
        return gdf
    d = pd.Timestamp(day)
    keep = (gdf["valid_from"] <= d) & (gdf["valid_to"].isna() | (d <= gdf["valid_to"]))
    return gdf[keep]


def areas_km2(gdf: gpd.GeoDataFrame, by: str = "controller") -> dict[str, float]:
    """Equal-area km2 of a frame's polygons summed per value of ``by`` (rounded to 0.1)."""
    km2 = gdf.geometry.to_crs(EQUAL_AREA).area / 1e6
    return {str(k): round(float(v), 1) for k, v in km2.groupby(gdf[by]).sum().items()}


@lru_cache(maxsize=1)
def _cells() -> gpd.GeoDataFrame:
    m = control.model()
    return gpd.GeoDataFrame(
        {"cell": np.arange(len(m.cells))}, geometry=[c.geometry for c in m.cells], crs=CRS
    )


def controllers_at(points: gpd.GeoDataFrame, date_column: str = "date") -> pd.Series:
    """Who held the ground under each point on its own day (``date_column``), by a spatial
    join of the points with the model's cells: ``armenian``, ``azerbaijani``, ``none``
    (outside the modelled area), or null where the date is missing or before MODEL_START
    (Soviet period: no held areas) or the geometry is empty. Index as ``points``."""
    pts = points[[date_column, "geometry"]].to_crs(CRS)
    joined = gpd.sjoin(pts, _cells(), how="left", predicate="covered_by")
    cell = joined[~joined.index.duplicated(keep="first")]["cell"].reindex(points.index)
    days = pd.to_datetime(points[date_column])
    m = control.model()
    out = []
    start = pd.Timestamp(control.MODEL_START)
    for c, day, geom in zip(cell, days, points.geometry, strict=True):
        if pd.isna(day) or day < start or geom is None or geom.is_empty:
            out.append(None)
        elif pd.isna(c):
            out.append("none")
        else:
            cl = m.cells[int(c)]
            out.append(cl.entries[m.cell_entry(cl, day.date())].controller)
    return pd.Series(out, index=points.index, dtype="object", name="controller")
