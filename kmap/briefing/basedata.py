"""The offline base layers and place labels a briefing draws, from kmap.map.basemap.

The one place the drawing code reads them, called at draw time through this module
(``basedata.static_layers()``), so tests can replace them with small synthetic layers.
"""

from __future__ import annotations


def static_layers() -> dict[str, dict]:
    """Base layers by id (land, lakes, rivers, admin, nkao, ...), as feature collections."""
    from kmap.map.basemap import static_layers as load

    return load()


def labels(mode: str) -> dict:
    """Place and area labels in a toponym mode ('both', 'armenian', 'azerbaijani')."""
    from kmap.map.basemap import labels as load

    return load(mode)
