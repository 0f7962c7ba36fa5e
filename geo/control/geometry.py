"""Geometry helpers of the control model: equal-area projection and sizes (through geopandas),
and the overlay operations on the model's precision grid.

geopandas is imported on first use: the app's per-day calls read the pickled model and never
project anything, so a server that only draws the map does not pay for the import.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

__all__ = [
    "EQUAL_AREA",
    "GRID",
    "MIN_CELL_KM2",
    "ROUND_DEG",
    "SIMPLIFY_DEG",
    "area_km2",
    "areas_km2_of",
    "buffer_line",
    "circle",
    "inter",
    "minus",
    "polygonal",
    "to_degrees",
    "to_metres",
    "union",
]

#: Lambert azimuthal equal-area centred on the region (areas in m2).
EQUAL_AREA = "+proj=laea +lat_0=40 +lon_0=46.5 +datum=WGS84 +units=m +no_defs"
WGS84 = "EPSG:4326"
GRID = 1e-6  # degrees; overlay precision grid (~0.1 m), keeps cells valid and sliver-free
MIN_CELL_KM2 = 0.01  # intersections smaller than this are overlay noise, merged away
SIMPLIFY_DEG = 0.002  # display simplification (~200 m), applied to the whole coverage at once
ROUND_DEG = 1e-4  # display coordinates rounded to ~10 m


def _series(geoms: Sequence[BaseGeometry], crs: str):  # -> geopandas.GeoSeries
    import geopandas as gpd

    return gpd.GeoSeries(list(geoms), crs=crs)


def to_metres(geom: BaseGeometry) -> BaseGeometry:
    """Project lon/lat geometry to the equal-area CRS (metres)."""
    return _series([geom], WGS84).to_crs(EQUAL_AREA).iloc[0]


def to_degrees(geom: BaseGeometry) -> BaseGeometry:
    """Inverse of :func:`to_metres`."""
    return _series([geom], EQUAL_AREA).to_crs(WGS84).iloc[0]


def areas_km2_of(geoms: Sequence[BaseGeometry]) -> np.ndarray:
    """Equal-area sizes in km2 of many lon/lat geometries at once (one projection call)."""
    if not len(geoms):
        return np.zeros(0)
    return _series(geoms, WGS84).to_crs(EQUAL_AREA).area.to_numpy() / 1e6


def area_km2(geom: BaseGeometry) -> float:
    """Equal-area size of a lon/lat geometry in km2."""
    if geom.is_empty:
        return 0.0
    return float(areas_km2_of([geom])[0])


def polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Keep only the polygon parts of an overlay result."""
    if geom.is_empty or geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts, grid_size=GRID) if parts else shapely.Polygon()


def union(geoms: Iterable[BaseGeometry]) -> BaseGeometry:
    """Union on the model's grid, polygons only."""
    return polygonal(shapely.union_all(list(geoms), grid_size=GRID))


def inter(a: BaseGeometry, b: BaseGeometry) -> BaseGeometry:
    """Intersection on the model's grid, polygons only."""
    return polygonal(shapely.intersection(a, b, grid_size=GRID))


def minus(a: BaseGeometry, b: BaseGeometry) -> BaseGeometry:
    """Difference on the model's grid, polygons only."""
    return polygonal(shapely.difference(a, b, grid_size=GRID))


def circle(lon: float, lat: float, km: float) -> BaseGeometry:
    """A circle of ``km`` radius round a point (true distance, not degrees)."""
    return to_degrees(to_metres(Point(lon, lat)).buffer(km * 1000, quad_segs=16))


def buffer_line(line: BaseGeometry, km: float) -> BaseGeometry:
    """A band of ``km`` either side of a line (true distance)."""
    return to_degrees(to_metres(line).buffer(km * 1000, quad_segs=8))
