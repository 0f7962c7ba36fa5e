"""Area held by each side: the series the area chart draws, a one-line caption for a day, and
the areas that changed hands between two dates (table, per-district breakdown with its CSV,
banner line and hatched map overlay)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from functools import lru_cache
from typing import TYPE_CHECKING

from geo import control
from geo.toponyms import toponym
from kmap.legend import changes_row
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


def _short_side(key: str) -> str:
    """A controller's label without "Held by": "Armenian forces"."""
    return _side(key).removeprefix("Held by ")


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


def km2_text(km2: float) -> str:
    """km² as people read them: thousands separated, whole km² from 10 km² up ("8,451"),
    one decimal below ("3.4"), so a small change does not read as zero."""
    return f"{km2:,.0f}" if abs(km2) >= 10 else f"{km2:,.1f}"


def changes_frame(a: dt.date, b: dt.date) -> pd.DataFrame:
    """Table of the areas that changed hands between two dates, with km² (0.1)."""
    import pandas as pd

    rows = [
        {"from": _side(c["from"]), "to": _side(c["to"]), "km²": round(c["km2"], 1)}
        for c in _changes_between(a, b)
    ]
    return pd.DataFrame(rows, columns=["from", "to", "km²"])


def changes_total_km2(a: dt.date, b: dt.date) -> float:
    """km² that changed hands between two dates, both directions together."""
    return sum(c["km2"] for c in _changes_between(a, b))


def changes_line(a: dt.date, b: dt.date) -> str:
    """The map banner's line for the changed areas: dates, km² per direction and in all."""
    changes = _changes_between(a, b)
    head = f"Changed hands {date_in_words(a)} \u2192 {date_in_words(b)}: "
    if not changes:
        return head + "none"
    parts = [
        f"{km2_text(c['km2'])} km² {_short_side(c['from'])} \u2192 {_short_side(c['to'])}"
        for c in changes
    ]
    total = km2_text(changes_total_km2(a, b))
    return head + "; ".join(parts) + (f" ({total} km² in all)" if len(parts) > 1 else "")


#: District name of the part of a changed area that lies in no unit of the district layer.
OUTSIDE_UNITS = "(outside the district layer)"


def _changed_cells(a: dt.date, b: dt.date) -> list[tuple[object, float, str, str]]:
    """(geometry, km², from, to) of every model cell whose controller differs on the two
    days, for the directions changes_between reports (same days, same km² per cell)."""
    start = control.MODEL_START
    d1, d2 = max(control.as_day(a), start), max(control.as_day(b), start)
    m = control.model()
    reported = {(c["from"], c["to"]) for c in _changes_between(a, b)}
    out = []
    for cell, km2 in zip(m.cells, m.cell_km2, strict=True):
        frm = cell.entries[m.cell_entry(cell, d1)].controller
        to = cell.entries[m.cell_entry(cell, d2)].controller
        if frm != to and (frm, to) in reported:
            out.append((cell.geometry, km2, frm, to))
    return out


@lru_cache(maxsize=16)
def _district_changes(a: dt.date, b: dt.date) -> tuple[dict, ...]:
    """The changed km² split by district (admin unit of geo/data/admin_units): each changed
    cell's km² shared out by the equal-area share of it lying in each unit, the rest put
    under OUTSIDE_UNITS, so the rows add up to changes_between's totals."""
    import shapely

    from geo.boundaries import layer_shapes
    from geo.control.geometry import areas_km2_of

    units = layer_shapes("admin_units")
    tree = shapely.STRtree([g for _, g in units])
    cells = _changed_cells(a, b)
    pieces: list[tuple[int, int]] = []  # (cell index, unit index)
    geoms = [g for g, *_ in cells]
    for ci, (geom, *_rest) in enumerate(cells):
        for ui in tree.query(geom, predicate="intersects"):
            pieces.append((ci, int(ui)))
            geoms.append(shapely.intersection(geom, units[ui][1]))
    sizes = areas_km2_of(geoms)
    acc: dict[tuple[int, str, str], float] = defaultdict(float)
    left = [km2 for _, km2, *_ in cells]
    for (ci, ui), size in zip(pieces, sizes[len(cells) :], strict=True):
        _, km2, frm, to = cells[ci]
        share = km2 * min(size / sizes[ci], 1.0) if sizes[ci] else 0.0
        acc[(ui, frm, to)] += share
        left[ci] -= share
    for (_, _, frm, to), rest in zip(cells, left, strict=True):
        if rest > 1e-6:
            acc[(-1, frm, to)] += rest
    rows = []
    for (ui, frm, to), km2 in acc.items():
        props = units[ui][0] if ui >= 0 else {"id": "", "name": OUTSIDE_UNITS}
        rows.append({"props": props, "from": frm, "to": to, "km2": km2})
    rows.sort(key=lambda r: (-r["km2"], r["props"]["name"]))
    return tuple(rows)


#: Columns of the per-district breakdown (the table and its CSV).
DISTRICT_COLUMNS = ("district", "Armenian-side name", "Azerbaijani-side name", "km²", "from", "to")


def district_rows(a: dt.date, b: dt.date) -> list[dict]:
    """Per-district breakdown of the changed areas, largest first: the district in both
    toponyms, each side's name, km² (0.1) and the change's direction. Rows under 0.05 km²
    (slivers along a boundary) are left out of the table, not of the totals."""
    out = []
    for r in _district_changes(a, b):
        p = r["props"]
        if round(r["km2"], 1) <= 0:
            continue
        out.append(
            {
                "district": toponym(p["name"], p.get("name_hy"), p.get("name_az")),
                "Armenian-side name": p.get("name_hy") or p["name"],
                "Azerbaijani-side name": p.get("name_az") or p["name"],
                "km²": round(float(r["km2"]), 1),
                "from": _side(r["from"]),
                "to": _side(r["to"]),
            }
        )
    return out


def district_frame(a: dt.date, b: dt.date) -> pd.DataFrame:
    """The breakdown as a table (km² as numbers; the tab writes them with separators)."""
    import pandas as pd

    return pd.DataFrame(district_rows(a, b), columns=list(DISTRICT_COLUMNS))


def district_csv(a: dt.date, b: dt.date) -> bytes:
    """The breakdown as CSV for Excel (UTF-8 with BOM, like the events export), km² as plain
    numbers, with a last row of the total."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["first date", "second date", *DISTRICT_COLUMNS])
    rows = district_rows(a, b)
    for r in rows:
        w.writerow([a.isoformat(), b.isoformat(), *(r[c] for c in DISTRICT_COLUMNS)])
    total = round(changes_total_km2(a, b), 1)
    w.writerow([a.isoformat(), b.isoformat(), "total", "", "", total, "", ""])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


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
                    f"{_short_side(c['from'])} \u2192 {_short_side(c['to'])}, "
                    f"{km2_text(c['km2'])} km²",
                    "to": c["to"],
                },
            }
        )
    return feature_collection(feats)


@lru_cache(maxsize=16)
def changes_overlay(a: dt.date, b: dt.date) -> tuple[str, dict, dict]:
    """What the live map adds when it shows the changed areas: the banner line, the legend
    entry (kmap.legend.changes_row) and the areas as GeoJSON. Made once per pair of dates
    (the map sends it on every rerun while shown): callers must not change it."""
    row = changes_row(date_in_words(a), date_in_words(b))
    return changes_line(a, b), row.entry(), changes_geojson(a, b)
