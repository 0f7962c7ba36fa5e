"""Coordinates of an imported row: numbers, range checks and the swapped-coordinates rule.

A row's point is judged against the file's other rows (:class:`PointContext`, built before
the rows are imported) and, when the row names its country, against that country's outline.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from events.io.result import RowError
from events.schema import in_region


def parse_float(v: str, fld: str) -> float:
    s = v.strip()
    if not s:
        raise RowError(fld, "empty")
    if s.count(",") == 1 and "." not in s:  # decimal comma (e.g. a ;-separated regional CSV)
        s = s.replace(",", ".")
    try:
        x = float(s)
    except ValueError:
        raise RowError(fld, f"not a number: {v!r}") from None
    if not math.isfinite(x):
        raise RowError(fld, f"not a finite number: {v!r}")
    return x


#: A row's point is "where the file's other rows are" when another row lies within this.
NEAR_KM = 150.0


def _km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in km (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


class PointContext:
    """Every row's point in one file, so that a row can be judged against the others.

    Built before the rows are imported from the raw lon/lat of every row that has readable,
    in-range coordinates (whatever else is wrong with the row). Points are bucketed by
    1-degree cell, so "is another row within NEAR_KM of here?" costs a few cells.
    """

    def __init__(self, points: Iterable[tuple[int, float, float]] = ()) -> None:
        self.cells: dict[tuple[int, int], list[tuple[int, float, float]]] = {}
        for row, lon, lat in points:
            self.cells.setdefault((math.floor(lon), math.floor(lat)), []).append((row, lon, lat))

    def near_others(self, lon: float, lat: float, row: int) -> bool:
        """True if a row other than ``row`` has its point within NEAR_KM of (lon, lat)."""
        dlat = math.ceil(NEAR_KM / 111.0)
        coslat = max(math.cos(math.radians(min(abs(lat) + dlat, 89.9))), 0.01)
        dlon = min(math.ceil(NEAR_KM / (111.0 * coslat)), 180)
        cx, cy = math.floor(lon), math.floor(lat)
        for r, plon, plat in self.cells.get((cx, cy), ()):  # the likeliest cell first
            if r != row and _km(lon, lat, plon, plat) <= NEAR_KM:
                return True
        for x in range(cx - dlon, cx + dlon + 1):
            for y in range(cy - dlat, cy + dlat + 1):
                for r, plon, plat in self.cells.get((x, y), ()):
                    if r != row and _km(lon, lat, plon, plat) <= NEAR_KM:
                        return True
        return False


def _country_key(name: str) -> str:
    key = re.sub(r"\(.*?\)", "", name).strip().lower()
    return {"turkiye": "turkey", "türkiye": "turkey", "russian federation": "russia"}.get(key, key)


def _country_shapes() -> dict[str, tuple[Any, bool]]:
    """Shipped country polygons by lower-case name and ISO3: (prepared shape, whole country?).

    The shipped layer is clipped to the app's region box: a country whose polygon touches
    the box's edge is only partly there ("whole" is False).
    """
    global _COUNTRY_SHAPES
    if _COUNTRY_SHAPES is None:
        out: dict[str, tuple[Any, bool]] = {}
        try:
            from shapely import prepared

            from geo.boundaries import BBOX, layer_shapes

            for props, geom in layer_shapes("countries"):
                x0, y0, x1, y1 = geom.bounds
                whole = x0 > BBOX[0] and y0 > BBOX[1] and x1 < BBOX[2] and y1 < BBOX[3]
                shp = (prepared.prep(geom.buffer(0.05)), whole)
                out[_country_key(str(props.get("name", "")))] = shp
                out[str(props.get("id", "")).lower()] = shp
        except (ImportError, OSError, ValueError, KeyError):  # pragma: no cover - data shipped
            out = {}
        _COUNTRY_SHAPES = out
    return _COUNTRY_SHAPES


_COUNTRY_SHAPES: dict[str, tuple[Any, bool]] | None = None


def _in_shape(prep: Any, lon: float, lat: float) -> bool:
    from shapely.geometry import Point

    return bool(prep.contains(Point(lon, lat)))


def _looks_swapped(
    lon: float, lat: float, row: int, ctx: PointContext | None, country: str
) -> bool:
    """Whether (lon, lat) is better explained as (lat, lon) typed in the wrong columns.

    Only when the point as given is away from all the file's other rows, and swapping puts
    it where they are (or inside the row's own country, when we hold that whole country's
    outline); and never when the point as given lies in this app's region box or in the
    row's stated country, or when the swapped point lies in another country than the
    stated one. A real point far from this app's region (Donbas at lat 48, lon 38) is
    therefore kept.
    """
    slon, slat = lat, lon
    if not -90 <= slat <= 90 or in_region(lon, lat):
        return False  # impossible swapped, or the point as given is in this app's region
    if ctx is not None and ctx.near_others(lon, lat, row):
        return False  # the point as given is where the file's other rows are
    near = ctx is not None and ctx.near_others(slon, slat, row)
    stated = None
    if country.strip():
        shapes = _country_shapes()
        stated = shapes.get(_country_key(country))
        if not near and not (stated is not None and stated[1]):
            return False
        if stated is not None and _in_shape(stated[0], lon, lat):
            return False  # the point as given is in the row's country: plausible
        in_stated = stated is not None and _in_shape(stated[0], slon, slat)
        if not in_stated and any(
            _in_shape(p, slon, slat) for p in {id(p): p for p, _w in shapes.values()}.values()
        ):
            return False  # swapping would move it into another country than the row's
        return near or (stated is not None and stated[1] and in_stated)
    return near


def check_coordinates(
    lon: float,
    lat: float,
    lon_field: str,
    lat_field: str,
    *,
    row: int = 0,
    ctx: PointContext | None = None,
    country: str = "",
) -> None:
    """Reject impossible or swapped coordinates (raises RowError); see _looks_swapped."""
    if not -90 <= lat <= 90:
        if (-90 <= lon <= 90 and -180 <= lat <= 180) and (
            in_region(lat, lon) or (ctx is not None and ctx.near_others(lat, lon, row))
        ):
            raise RowError(f"{lat_field}/{lon_field}", "coordinates look swapped")
        raise RowError(lat_field, f"latitude {lat} is out of range -90..90")
    if not -180 <= lon <= 180:
        raise RowError(lon_field, f"longitude {lon} is out of range -180..180")
    if lat == 0 and lon == 0:
        raise RowError(f"{lat_field}/{lon_field}", "coordinates are 0,0 (missing)")
    if _looks_swapped(lon, lat, row, ctx, country):
        raise RowError(f"{lat_field}/{lon_field}", "coordinates look swapped")


def _quick_float(v: Any) -> float | None:
    """A coordinate for the PointContext, or None (no errors: the row is judged later)."""
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        try:
            x = float(v)
        except OverflowError:  # a JSON integer with hundreds of digits
            return None
    else:
        s = str(v or "").strip()
        if s.count(",") == 1 and "." not in s:
            s = s.replace(",", ".")
        try:
            x = float(s)
        except (ValueError, OverflowError):
            return None
    return x if math.isfinite(x) else None


def context_of(points: Iterable[tuple[int, Any, Any]]) -> PointContext:
    """PointContext from (row, lon, lat) raw values; unreadable or out-of-range ones skipped."""
    good = []
    for row, lon_v, lat_v in points:
        lon, lat = _quick_float(lon_v), _quick_float(lat_v)
        ok = lon is not None and lat is not None and -180 <= lon <= 180 and -90 <= lat <= 90
        if ok and (lon or lat):
            good.append((row, lon, lat))
    return PointContext(good)
