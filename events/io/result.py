"""What an import gives back: the events, the rejected rows with their reasons, the warnings.

A :class:`Rejection` names the file, the row, the field and the reason; :class:`RowError` is
what a row check raises so that the one row loop (:func:`events.io.rows.import_rows`) can turn
it into a Rejection. :class:`ImportFormatError` is for the file as a whole.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from events.schema import ResolvedEvent


class ImportFormatError(ValueError):
    """The file as a whole cannot be imported (missing columns, unknown layout, bad JSON)."""


@dataclass(frozen=True)
class Rejection:
    """One input row that was not imported, and why."""

    file: str
    row: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: row {self.row}: {self.field}: {self.reason}"


@dataclass
class ImportResult:
    """Imported events, rejected rows, and file-level warnings (e.g. encoding fallback)."""

    events: list[ResolvedEvent] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    file: str = ""
    encoding: str = "utf-8"
    rows: int = 0  # data rows seen (events + rejected + blank rows skipped)

    def refuse_ids(self, taken: Collection[str]) -> int:
        """Move events whose id is already taken (a curated event's id) to `rejected`: an
        uploaded file cannot stand in for a curated event. Returns how many were refused."""
        keep, refused = [], 0
        for ev in self.events:
            if ev.id in taken:
                row = _origin_row(ev.origin)
                reason = f"id {ev.id!r} is a curated event's id; an uploaded event needs its own"
                self.rejected.append(Rejection(self.file, row, "id", reason))
                refused += 1
            else:
                keep.append(ev)
        self.events = keep
        self.rejected.sort(key=lambda r: r.row)
        return refused


def _origin_row(origin: str | None) -> int:
    """The row number of an origin such as "file.csv row 12" (0 when it has none)."""
    m = re.search(r"row (\d+)$", origin or "")
    return int(m.group(1)) if m else 0


class RowError(Exception):
    """One row cannot be imported: the field at fault and why (becomes a Rejection)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
