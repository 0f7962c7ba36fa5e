"""The one place where (lon, lat) becomes Leaflet's [lat, lon].

GeoJSON and shapely are (lon, lat); folium/Leaflet want [lat, lon]. Everything else passes
GeoJSON (which Leaflet's L.geoJSON reads as lon/lat itself), so only map centres and bounds
go through here.
"""

from __future__ import annotations

from collections.abc import Sequence


def to_leaflet(lon: float, lat: float) -> list[float]:
    """(lon, lat) -> [lat, lon] for folium/Leaflet."""
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        raise ValueError(f"not a lon/lat pair: ({lon}, {lat})")
    return [lat, lon]


def bounds_to_leaflet(bbox: Sequence[float]) -> list[list[float]]:
    """(lon_min, lat_min, lon_max, lat_max) -> [[lat_min, lon_min], [lat_max, lon_max]]."""
    lon_min, lat_min, lon_max, lat_max = bbox
    return [to_leaflet(lon_min, lat_min), to_leaflet(lon_max, lat_max)]
