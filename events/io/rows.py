"""The row loop every importer shares, and the small value helpers its row builders use.

:func:`import_rows` turns each (row number, record) into an event or a
:class:`~events.io.result.Rejection` naming the file, row, field and reason; a valid row is
never dropped and a bad row never stops the rest.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from events.io.coords import PointContext, context_of
from events.io.dates import DateReader
from events.io.reading import Table
from events.io.result import ImportResult, Rejection, RowError
from events.packed import Packer
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
    """Distinct actor names from ``;``-separated cells, in order of appearance (interned: a
    file names the same few actors in 10^5 rows)."""
    out: list[str] = []
    for v in values:
        for a in v.split(";"):
            a = sys.intern(" ".join(a.split()))
            if a and a not in out:
                out.append(a)
    return out


#: One set object per distinct set of field names (see _share_fields_set).
_FIELDS_SETS: dict[frozenset[str], set[str]] = {}


def _share_fields_set(model: BaseModel) -> None:
    """Give the model the one shared set object of its set field names.

    pydantic keeps a set of the field names given per model instance: ~1.2 kB per imported
    event with its location and source, a third of its memory, always the same few sets. A
    set is still what pydantic sees (model_copy copies it; an assignment adds its field name,
    harmless for events, which are not assigned to after import)."""
    names = model.__pydantic_fields_set__
    shared = _FIELDS_SETS.setdefault(frozenset(names), names)
    if shared is not names:
        object.__setattr__(model, "__pydantic_fields_set__", shared)


def build_event(data: dict[str, Any], field_map: Mapping[str, str]) -> Event:
    """Validate with the schema; name the *input* column in the error."""
    try:
        event = Event.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err.get("loc", ()))
        msg = str(err.get("msg", "")).removeprefix("Value error, ")
        key = str(loc[0]) if loc else ("end_date" if "end_date" in msg else "date")
        raise RowError(field_map.get(key, key), msg) from None
    for model in (event, event.location, *event.sources):
        _share_fields_set(model)
    return event


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


def table_context(
    table: Table, header: list[str], date_cols: tuple[str, ...], lon: str, lat: str
) -> FileContext:
    """Scan the date column(s) for their layout and collect every row's point, in one pass
    over the rows (a CSV table is parsed again on each pass: events.io.reading.TextRows)."""
    cols = [header.index(c) for c in date_cols if c in header]
    i_lon = header.index(lon) if lon in header else None
    i_lat = header.index(lat) if lat in header else None
    dates: list[list[tuple[int, str]]] = [[] for _ in cols]
    points: list[tuple[int, str, str | None]] = []
    for row, fields in table.rows:
        n = len(fields)
        for values, i in zip(dates, cols, strict=True):
            if i < n:
                values.append((row, fields[i]))
        if i_lon is not None and i_lon < n:
            points.append(
                (row, fields[i_lon], fields[i_lat] if i_lat is not None and i_lat < n else None)
            )
    reader = DateReader().scan(v for values in dates for v in values)  # column by column
    return FileContext(reader, context_of(points))


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
    packer = Packer()  # events kept compact: values, not models (events.packed, #18)
    for row, rec in records:
        try:
            ev = make(rec, row)
            dedup.check(ev.id, row, id_field)
        except RowError as exc:
            result.rejected.append(Rejection(result.file, row, exc.field, exc.reason))
            continue
        result.events.append(packer.pack(ev))
    outside_warning(result)
