"""The events table and what is made of it: a page of the shown events, the table's file
exports, and the table of rows an import rejected."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from events.query import event_index
from events.schema import ResolvedEvent
from kmap import charts

if TYPE_CHECKING:
    import pandas as pd

    from kmap.situation import Situation

#: Rows per page of the events table. A page, not the whole set, travels on each rerun: a
#: slider move over 10^5 events sends ~10 kB of table, not megabytes.
TABLE_PAGE_SIZES = (25, 50, 100, 250)

#: The events table's export formats: label -> (mime type, file extension).
TABLE_EXPORTS: dict[str, tuple[str, str]] = {
    "CSV": ("text/csv", "csv"),
    "GeoJSON": ("application/geo+json", "geojson"),
    "KML": ("application/vnd.google-earth.kml+xml", "kml"),
}


def events_page(
    events: Sequence[ResolvedEvent],
    sit: Situation,
    page: int = 1,
    size: int = TABLE_PAGE_SIZES[0],
    newest_first: bool = False,
) -> tuple[pd.DataFrame, int]:
    """One page (1-based, clamped) of the shown events by date, and how many pages there are.

    The rows are charts.events_frame rows of that page's events only: a frame of every
    event (10^5 rows of an upload) held ~55 MB for the session to show 50 of them.
    `sit` must come from situation(events, ...) with the same list.
    """
    if sit.index is None:
        shown = sorted(sit.shown, key=lambda ev: ev.date)
        positions = np.arange(len(shown))
    else:
        ix = event_index(events)
        shown = ix.events
        flags = np.zeros(len(ix), dtype=bool)
        flags[sit.index] = True
        positions = ix.order[flags[ix.order]]  # shown, in date order
    if newest_first:
        positions = positions[::-1]
    pages = max(1, -(-len(positions) // size))
    page = min(max(1, page), pages)
    rows = positions[(page - 1) * size : page * size]
    return charts.events_frame([shown[i] for i in rows.tolist()]), pages


def json_text(obj: object) -> str:
    """Compact UTF-8 JSON for downloads."""
    return json.dumps(obj, ensure_ascii=False, indent=1)


def table_export(shown: Sequence[ResolvedEvent], fmt: str) -> tuple[bytes, str, str]:
    """(file bytes, mime type, extension) of the shown events in one of TABLE_EXPORTS."""
    from events.io.export import to_csv, to_geojson, to_kml

    mime, ext = TABLE_EXPORTS[fmt]
    if fmt == "CSV":
        text = to_csv(shown)
    elif fmt == "GeoJSON":
        text = json_text(to_geojson(shown))
    else:
        text = to_kml(shown)
    return text.encode("utf-8"), mime, ext


def rejections_frame(rejected: Sequence) -> pd.DataFrame:
    """Rejected import rows as a table: file, row, field, reason."""
    import pandas as pd

    return pd.DataFrame(
        [{"file": r.file, "row": r.row, "field": r.field, "reason": r.reason} for r in rejected],
        columns=["file", "row", "field", "reason"],
    )
