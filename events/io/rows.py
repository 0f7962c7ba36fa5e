"""The row loop every importer shares, and the small value helpers its row builders use.

:func:`import_rows` turns each (row number, record) into an event or a
:class:`~events.io.result.Rejection` naming the file, row, field and reason; a valid row is
never dropped and a bad row never stops the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import ValidationError

from events.io.coords import PointContext, context_of
from events.io.dates import DateReader
from events.io.reading import Table
from events.io.result import ImportResult, Rejection, RowError
from events.schema import Event, ResolvedEvent, in_region

R = TypeVar("R")


def int_code(v: str, fld: str, allowed: Mapping[int, Any]) -> int:
    """A numeric code cell (``2``, ``2.0``) that must be one of ``allowed``'s keys."""
    s = v.strip()
    try:
        f = float(s)
        code = int(f)
        if code != f:
            raise ValueError
    except (ValueError, OverflowError):
        raise RowError(fld, f"expected one of {sorted(allowed)}, got {v!r}") from None
    if code not in allowed:
        raise RowError(fld, f"expected one of {sorted(allowed)}, got {v!r}")
    return code


def cell(rec: Mapping[str, str], key: str) -> str:
    """A record's cell, trimmed ("" when the column is absent or empty)."""
    return (rec.get(key) or "").strip()


def clip(text: str, n: int) -> str:
    """Text on one line, cut to ``n`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def split_actors(*values: str) -> list[str]:
    """Distinct actor names from ``;``-separated cells, in order of appearance."""
    out: list[str] = []
    for v in values:
        for a in v.split(";"):
            a = " ".join(a.split())
            if a and a not in out:
                out.append(a)
    return out


def build_event(data: dict[str, Any], field_map: Mapping[str, str]) -> Event:
    """Validate with the schema; name the *input* column in the error."""
    try:
        return Event.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err.get("loc", ()))
        msg = str(err.get("msg", "")).removeprefix("Value error, ")
        key = str(loc[0]) if loc else ("end_date" if "end_date" in msg else "date")
        raise RowError(field_map.get(key, key), msg) from None


class Dedup:
    """Ids seen so far in one file, to reject a repeated id naming its first row."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def check(self, event_id: str, row: int, fld: str) -> None:
        """Record ``event_id`` at ``row``; RowError if an earlier row had it."""
        if event_id in self.seen:
            raise RowError(fld, f"duplicate id {event_id!r} (first on row {self.seen[event_id]})")
        self.seen[event_id] = row


def outside_warning(result: ImportResult) -> None:
    """Warn (never reject) when imported events lie outside the region box (an event with no
    place, ``no_place``, lies nowhere and is not counted)."""
    n = sum(1 for e in result.events if not e.placeless and not in_region(e.lon, e.lat))
    if n:
        result.warnings.append(
            f"{result.file}: {n} imported event(s) lie outside the region box (kept)"
        )


@dataclass
class FileContext:
    """What each row is judged against: the file's date layout and the other rows' points."""

    dates: DateReader
    points: PointContext


def _column(table: Table, header: list[str], col: str) -> Iterator[tuple[int, str]]:
    """(row, value) of one column over the table's rows (nothing if the column is absent)."""
    if col not in header:
        return
    i = header.index(col)
    for row, fields in table.rows:
        if i < len(fields):
            yield row, fields[i]


def table_context(
    table: Table, header: list[str], date_cols: tuple[str, ...], lon: str, lat: str
) -> FileContext:
    """Scan the date column(s) for their layout and collect every row's point."""
    dates = DateReader().scan(v for c in date_cols for v in _column(table, header, c))
    lat_by_row = dict(_column(table, header, lat))
    points = context_of((r, v, lat_by_row.get(r)) for r, v in _column(table, header, lon))
    return FileContext(dates, points)


def import_rows(
    records: Iterable[tuple[int, R]],
    result: ImportResult,
    make: Callable[[R, int], ResolvedEvent],
    id_field: str,
) -> None:
    """The row loop of every importer: each (row, record) becomes an event or a Rejection.

    ``make`` builds the event of one record (raising :class:`RowError` naming the field);
    a repeated id is rejected on its later row. Events outside the region box are kept, with
    one warning saying how many."""
    dedup = Dedup()
    for row, rec in records:
        try:
            ev = make(rec, row)
            dedup.check(ev.id, row, id_field)
        except RowError as exc:
            result.rejected.append(Rejection(result.file, row, exc.field, exc.reason))
            continue
        result.events.append(ev)
    outside_warning(result)
