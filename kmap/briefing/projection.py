"""The map's projection and frame: a local Lambert azimuthal equal-area projection centred
on the view (so distances, the scale bar and the north arrow are true for the drawn map),
the projected extent that holds the view at the frame's aspect, and the clipping of lon/lat
features to that frame."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import shape


@lru_cache(maxsize=32)
def _transformers(lon0: float, lat0: float) -> tuple[Transformer, Transformer]:
    crs = CRS.from_proj4(
        f"+proj=laea +lat_0={lat0:.6f} +lon_0={lon0:.6f} +datum=WGS84 +units=m +no_defs"
    )
    return (
        Transformer.from_crs("EPSG:4326", crs, always_xy=True),
        Transformer.from_crs(crs, "EPSG:4326", always_xy=True),
    )


class Projection:
    """Local Lambert azimuthal equal-area projection centred on a bbox (metres)."""

    def __init__(self, bbox: tuple[float, float, float, float]) -> None:
        self.lon0 = (bbox[0] + bbox[2]) / 2
        self.lat0 = (bbox[1] + bbox[3]) / 2
        self._fwd, self._inv = _transformers(round(self.lon0, 6), round(self.lat0, 6))

    def forward(self, lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
        """lon/lat (degrees) -> x/y (metres)."""
        x, y = self._fwd.transform(np.asarray(lon, float), np.asarray(lat, float))
        return np.asarray(x), np.asarray(y)

    def inverse(self, x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
        """x/y (metres) -> lon/lat (degrees)."""
        lon, lat = self._inv.transform(np.asarray(x, float), np.asarray(y, float))
        return np.asarray(lon), np.asarray(lat)

    def geometry(self, geom: shapely.Geometry) -> shapely.Geometry:
        """A shapely geometry in lon/lat, projected."""
        return shapely.transform(geom, lambda xy: np.column_stack(self.forward(xy[:, 0], xy[:, 1])))

    def forward_bounds(
        self, bounds: tuple[float, float, float, float], per_edge: int = 25
    ) -> tuple[float, float, float, float]:
        """Projected bounds (x0, y0, x1, y1) of a lon/lat box, its edges sampled at per_edge
        points (corners included): the edges curve once projected."""
        return self._fwd.transform_bounds(*bounds, densify_pts=per_edge - 2)

    def inverse_bounds(
        self, bounds: tuple[float, float, float, float], per_edge: int = 16
    ) -> tuple[float, float, float, float]:
        """lon/lat bounds (lon0, lat0, lon1, lat1) of a projected box (x0, y0, x1, y1)."""
        return self._inv.transform_bounds(*bounds, densify_pts=per_edge - 2)


def bbox_ring(bbox: tuple[float, float, float, float], n: int = 25) -> tuple[np.ndarray, ...]:
    """The bbox's outline as lon/lat arrays, n points per edge (its edges curve once projected)."""
    lon0, lat0, lon1, lat1 = bbox
    t = np.linspace(0, 1, n)
    lons = np.concatenate([lon0 + (lon1 - lon0) * t, np.full(n, lon1), lon1 - (lon1 - lon0) * t])
    lats = np.concatenate([np.full(n, lat0), lat0 + (lat1 - lat0) * t, np.full(n, lat1)])
    lons = np.concatenate([lons, np.full(n, lon0)])
    lats = np.concatenate([lats, lat1 - (lat1 - lat0) * t])
    return lons, lats


def map_extent(
    bbox: tuple[float, float, float, float], aspect: float
) -> tuple[float, float, float, float]:
    """Projected extent (x0, x1, y0, y1) holding the whole bbox, widened to width/height=aspect."""
    x0, y0, x1, y1 = Projection(bbox).forward_bounds(bbox)
    w, h = x1 - x0, y1 - y0
    if w / h < aspect:
        grow = (h * aspect - w) / 2
        x0, x1 = x0 - grow, x1 + grow
    else:
        grow = (w / aspect - h) / 2
        y0, y1 = y0 - grow, y1 + grow
    return x0, x1, y0, y1


class Clip:
    """Clips lon/lat features to the frame (plus a margin) and projects them."""

    def __init__(self, proj: Projection, extent: tuple[float, float, float, float]) -> None:
        self.proj = proj
        ex0, ex1, ey0, ey1 = extent
        self.extent = extent
        lon0, lat0, lon1, lat1 = proj.inverse_bounds((ex0, ey0, ex1, ey1))
        #: the frame's lon/lat bounds (for the graticule)
        self.frame_lonlat = (lon0, lat0, lon1, lat1)
        m = 0.25
        #: what is clipped to: the frame's lon/lat bounds and a margin (degrees)
        self.lonlat = (lon0 - m, lat0 - m, lon1 + m, lat1 + m)
        self.frame = shapely.box(ex0, ey0, ex1, ey1)

    def geometry(self, g: shapely.Geometry | None) -> shapely.Geometry | None:
        """A lon/lat geometry clipped near the frame and projected (None if nothing left)."""
        if g is None or g.is_empty:
            return None
        if g.geom_type != "Point":
            g = shapely.clip_by_rect(g, *self.lonlat)
            if g.is_empty:
                return None
        g = self.proj.geometry(g)
        return g if g.intersects(self.frame) else None

    def features(self, fc: dict | None) -> list[tuple[dict, shapely.Geometry]]:
        """(properties, projected geometry) of the features that reach into the frame."""
        out = []
        for f in (fc or {}).get("features", []):
            if not f.get("geometry"):
                continue
            try:
                g = shape(f["geometry"])
            except (ValueError, TypeError, KeyError, AttributeError):
                continue
            g = self.geometry(g)
            if g is not None:
                out.append((f.get("properties") or {}, g))
        return out
