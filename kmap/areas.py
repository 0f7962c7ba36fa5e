"""Area held by each side: the series the area chart draws, a one-line caption for a day, and
the areas that changed hands between two dates (table and hatched map overlay)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import TYPE_CHECKING

from geo import control
from kmap.map.features import feature_collection
from kmap.situation import SOVIET_NOTE
from kmap.words import date_in_words
from palette import CONTROL_STYLES

if TYPE_CHECKING:
    import pandas as pd


def area_series(today: dt.date | None = None) -> list[tuple[dt.date, str, float]]:
    """(date, controller, km²) at every change date and today: the area chart's data.

    Kept per day, so a server running past midnight gets the new day's point; a few ms to
    compute once the control model is loaded (geo.cache), so it is not kept on disk."""
    return list(_area_series_until(today or dt.date.today()))


@lru_cache(maxsize=2)
def _area_series_until(today: dt.date) -> tuple[tuple[dt.date, str, float], ...]:
    days = sorted({*control.change_dates(), dt.date(1991, 1, 1), today})
    out = []
    for d in days:
        for who, km2 in control.areas_km2(d).items():
            out.append((d, who, round(km2, 1)))
    return tuple(out)


def _side(key: str) -> str:
    """A controller's label (the key itself if it has no style)."""
    return CONTROL_STYLES[key].label if key in CONTROL_STYLES else key


def areas_caption(day: dt.date) -> str:
    """One line: km² held by each side on a day, in the modelled area."""
    if not control.modelled(day):
        return f"As of {date_in_words(day)}: {SOVIET_NOTE}; control is modelled from 1991."
    parts = [f"{_side(k)}: {v:,.0f} km²" for k, v in sorted(control.areas_km2(day).items())]
    return f"As of {date_in_words(day)} (modelled area, equal-area projection): " + "; ".join(parts)


@lru_cache(maxsize=32)
def _changes_between(a: dt.date, b: dt.date) -> tuple[dict, ...]:
    """control.changes_between, kept per pair of dates (the panel asks on every rerun). Dates
    before the model are taken as its first day (nothing was held by either side's forces)."""
    start = control.MODEL_START
    return tuple(control.changes_between(max(a, start), max(b, start)))


def changes_frame(a: dt.date, b: dt.date) -> pd.DataFrame:
    """Table of the areas that changed hands between two dates, with km²."""
    import pandas as pd

    rows = [
        {"from": _side(c["from"]), "to": _side(c["to"]), "km²": round(c["km2"], 1)}
        for c in _changes_between(a, b)
    ]
    return pd.DataFrame(rows, columns=["from", "to", "km²"])


def changes_geojson(a: dt.date, b: dt.date) -> dict:
    """The changed areas as a small GeoJSON (drawn hatched on the map)."""
    from shapely.geometry import mapping

    feats = []
    for c in _changes_between(a, b):
        feats.append(
            {
                "type": "Feature",
                "geometry": mapping(c["geometry"].simplify(0.002)),
                "properties": {
                    "label": f"{date_in_words(a)} \u2192 {date_in_words(b)}: "
                    f"{c['from']} \u2192 {c['to']}, {c['km2']:,.0f} km²",
                    "to": c["to"],
                },
            }
        )
    return feature_collection(feats)
