"""Facade (until the import sites move): kmap.map.basemap."""

from __future__ import annotations

from kmap.map.basemap import (
    CAPITALS,
    COUNTRY_LABELS,
    MAIN_TOWNS,
    GeocodeError,
    labels,
    static_layers,
    write_static_layers,
)

__all__ = [
    "CAPITALS",
    "COUNTRY_LABELS",
    "MAIN_TOWNS",
    "GeocodeError",
    "labels",
    "static_layers",
    "write_static_layers",
]
