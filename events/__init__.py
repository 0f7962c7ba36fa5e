"""The event catalogue: schema, loading/validation, queries, importers and exporters.

No Streamlit, no folium: the map layer and app.py build on this package.
"""

from events.catalogue import Catalogue, ValidationIssue, load_catalogue
from events.io import (
    ImportFormatError,
    ImportResult,
    Rejection,
    import_acled,
    import_csv,
    import_geojson,
    import_ucdp_ged,
    to_csv,
    to_geojson,
    to_kml,
)
from events.query import filter_events, in_force
from events.schema import (
    REGION_BBOX,
    Confidence,
    DatePrecision,
    Event,
    EventType,
    GeoPrecision,
    ResolvedEvent,
    Source,
)

__all__ = [
    "REGION_BBOX",
    "Catalogue",
    "Confidence",
    "DatePrecision",
    "Event",
    "EventType",
    "GeoPrecision",
    "ImportFormatError",
    "ImportResult",
    "Rejection",
    "ResolvedEvent",
    "Source",
    "ValidationIssue",
    "filter_events",
    "import_acled",
    "import_csv",
    "import_geojson",
    "import_ucdp_ged",
    "in_force",
    "load_catalogue",
    "to_csv",
    "to_geojson",
    "to_kml",
]
