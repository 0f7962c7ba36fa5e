"""Facade: the exporters now live in :mod:`events.io.export`.

Kept so that callers importing from here keep working while they move to ``events.io``;
new code imports from ``events.io.export``.
"""

from events.io.export import (
    LICENCE_NOTE,
    event_record,
    export,
    kml_color,
    to_csv,
    to_geojson,
    to_kml,
    to_table,
)

__all__ = [
    "LICENCE_NOTE",
    "event_record",
    "export",
    "kml_color",
    "to_csv",
    "to_geojson",
    "to_kml",
    "to_table",
]
