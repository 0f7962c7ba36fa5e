"""Events as a GeoDataFrame: the form geopandas, QGIS and the GeoPackage export read.

One row per event, in input order, in EPSG:4326 (lon, lat). Dates are ``datetime64[ms]`` at
midnight (pandas' dates; pyogrio writes them as GeoPackage DATETIME fields, which QGIS's
Temporal Controller reads). An event with no place (``location: {none: true}``) keeps its row
with an empty point and ``no_place`` True: it is listed, not drawn, and never dropped.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from events.io.export import actors_text, sources_json
from events.schema import ResolvedEvent

#: The columns of :func:`to_geodataframe`, in order (plus ``geometry``).
FRAME_COLUMNS: tuple[str, ...] = (
    "id",
    "date",
    "end_date",
    "date_precision",
    "type",
    "kind",
    "title",
    "summary",
    "place",
    "place_hy",
    "place_az",
    "geo_precision",
    "confidence",
    "actors",
    "sources",
    "related_area",
    "notes",
    "no_place",
)

_DATE_COLUMNS = ("date", "end_date")


def _row(ev: ResolvedEvent) -> dict[str, object]:
    e = ev  # its accessors (events.packed.PackedEvent makes .event on demand)
    return {
        "id": e.id,
        "date": e.date,
        "end_date": e.end_date,
        "date_precision": e.date_precision.value,
        "type": e.type.value,
        "kind": ev.kind.value,
        "title": e.title,
        "summary": e.summary,
        "place": ev.place,
        "place_hy": ev.place_hy,
        "place_az": ev.place_az,
        "geo_precision": ev.geo_precision.value,
        "confidence": e.confidence.value,
        "actors": actors_text(e.actors),
        "sources": sources_json(e.sources),
        "related_area": e.related_area,
        "notes": e.notes,
        "no_place": ev.placeless,
    }


def to_geodataframe(events: Sequence[ResolvedEvent]) -> gpd.GeoDataFrame:
    """Events as a GeoDataFrame (EPSG:4326), one row per event in input order.

    Columns: :data:`FRAME_COLUMNS` and ``geometry`` (a point; empty for a placeless event).
    ``actors`` is text (:func:`actors_text`), ``sources`` JSON text (:func:`sources_json`),
    ``date``/``end_date`` ``datetime64[ms]`` (``NaT`` for no end date)."""
    events = list(events)
    frame = pd.DataFrame([_row(ev) for ev in events], columns=list(FRAME_COLUMNS))
    for col in _DATE_COLUMNS:
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ms]")
    frame["no_place"] = frame["no_place"].astype(bool)
    geometry = [Point() if ev.placeless else Point(ev.lon, ev.lat) for ev in events]
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")
