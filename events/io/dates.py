"""The one date parser of the importers: :class:`DateReader` reads every date column of a file."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from events.io.result import RowError

_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_MONTHS: dict[str, int] = {"sept": 9}
for _i, _m in enumerate(_MONTH_NAMES, start=1):
    _MONTHS[_m.lower()] = _MONTHS[_m[:3].lower()] = _i


def _words(d: dt.date) -> str:
    """'9 May 2020', whatever the locale."""
    return f"{d.day} {_MONTH_NAMES[d.month - 1]} {d.year}"


_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp][Mm])?(?:Z|[+-]\d{2}:?\d{2})?)?"
_YMD_RE = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})" + _TIME + "$")
_NUM_RE = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})" + _TIME + "$")
_DMONY_RE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[-\s/.]+([A-Za-z]+)\.?,?[-\s/.]+(\d{4}|\d{2})$")
_MONDY_RE = re.compile(r"^([A-Za-z]+)\.?[-\s]+(\d{1,2})(?:st|nd|rd|th)?,?[-\s]+(\d{4})$")


def _full_year(y: str) -> int:
    """A 2-digit year in the 2000s unless that is after this year, then the 1900s."""
    if len(y) == 4:
        return int(y)
    year = 2000 + int(y)
    return year if year <= dt.date.today().year else year - 100


class DateReader:
    """Read the dates of one file, deciding day-first vs month-first from the file's rows.

    Accepted: ISO ``2020-05-09`` (also ``2020/05/09``, with or without a time), month
    names (``21 March 2020``, ``9-May-20``, ``March 21, 2020``) and numeric dates
    (``31-12-19``, ``09/05/2020``, ``31.12.2019``). For numeric dates, :meth:`scan` sees all
    of the file's values first: a value whose first number is above 12 makes the file
    day-first, one whose second number is above 12 makes it month-first. A date that could
    be read both ways (``09/05/2020``) is read by the file's order; it is rejected as
    ambiguous, with the reason, only when no row decides the order or rows disagree.
    Two-digit years are 20xx unless that is after the current year, then 19xx.
    """

    def __init__(self) -> None:
        self.order: str | None = None  # "dmy" | "mdy" | None (undecided)
        self.conflict = False
        self.evidence: dict[str, tuple[int, str]] = {}  # order -> (row, value) that decided
        self.seen: dict[str, int] = {}  # layout description -> count
        self.example: dict[str, str] = {}  # layout description -> first value seen

    def scan(self, values: Iterable[tuple[int, str]]) -> DateReader:
        """Look at (row, value) pairs of the file's date column(s) to decide the order."""
        for row, v in values:
            m = _NUM_RE.match(v.strip())
            if not m:
                continue
            a, b = int(m.group(1)), int(m.group(3))
            if a > 12 >= b and "dmy" not in self.evidence:
                self.evidence["dmy"] = (row, v.strip())
            elif b > 12 >= a and "mdy" not in self.evidence:
                self.evidence["mdy"] = (row, v.strip())
        if len(self.evidence) == 1:
            self.order = next(iter(self.evidence))
        self.conflict = len(self.evidence) == 2
        return self

    def _count(self, layout: str, value: str) -> None:
        if layout not in self.seen:
            self.seen[layout] = 0
            self.example[layout] = value
        self.seen[layout] += 1

    def read(self, v: str, fld: str) -> dt.date:
        """The date in ``v`` (raises RowError naming the field and why)."""
        s = " ".join(v.split())
        if not s:
            raise RowError(fld, "empty date")
        try:
            if m := _YMD_RE.match(s):
                day = dt.date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
                self._count("YYYY-MM-DD", s)
                return day
            if m := _DMONY_RE.match(s):
                mon = _MONTHS.get(m.group(2).lower())
                if mon:
                    day = dt.date(_full_year(m.group(3)), mon, int(m.group(1)))
                    y = "YY" if len(m.group(3)) == 2 else "YYYY"
                    self._count(f"day month-name {y}", s)
                    return day
            if m := _MONDY_RE.match(s):
                mon = _MONTHS.get(m.group(1).lower())
                if mon:
                    day = dt.date(int(m.group(3)), mon, int(m.group(2)))
                    self._count("month-name day, YYYY", s)
                    return day
            if m := _NUM_RE.match(s):
                return self._numeric(m, s, fld)
        except ValueError:
            raise RowError(fld, f"invalid date {v!r} (no such day)") from None
        raise RowError(
            fld,
            f"unreadable date {v!r} (expected e.g. 2020-05-09, 21 March 2020, 9-May-20, "
            "09/05/2020)",
        )

    def _numeric(self, m: re.Match[str], s: str, fld: str) -> dt.date:
        a, sep, b, y = int(m.group(1)), m.group(2), int(m.group(3)), m.group(4)
        year = _full_year(y)
        yy = "YY" if len(y) == 2 else "YYYY"
        if a == b:  # 05/05/2020: the same either way
            self._count(f"{sep.join(('NN', 'NN', yy))} with day = month", s)
            return dt.date(year, a, b)
        elif a > 12 and b > 12:
            raise RowError(fld, f"invalid date {s!r} (neither number can be a month)")
        elif a > 12 or b > 12:  # only one reading; scan() saw this row, so no conflict
            order = "dmy" if a > 12 else "mdy"
        elif self.order:
            order = self.order
        elif self.conflict:
            (r1, d1), (r2, d2) = self.evidence["dmy"], self.evidence["mdy"]
            raise RowError(
                fld,
                f"ambiguous date {s!r}: this file has both day-first (row {r1}: {d1!r}) and "
                f"month-first (row {r2}: {d2!r}) dates; re-save the dates as YYYY-MM-DD",
            )
        else:
            dmy, mdy = _words(dt.date(year, b, a)), _words(dt.date(year, a, b))
            raise RowError(
                fld,
                f"ambiguous date {s!r}: {dmy} (day first) or {mdy} (month first)? No date in "
                "this file has a day above 12 to tell; re-save the dates as YYYY-MM-DD",
            )
        day = dt.date(year, b, a) if order == "dmy" else dt.date(year, a, b)
        self._count(self._describe(order, sep, yy), s)
        return day

    @staticmethod
    def _describe(order: str, sep: str = "/", yy: str = "YYYY") -> str:
        parts = ("DD", "MM") if order == "dmy" else ("MM", "DD")
        first = "day-first" if order == "dmy" else "month-first"
        return f"{first} {sep.join((*parts, yy))}"

    def summary(self, name: str, column: str) -> str | None:
        """A warning that states how the column's dates were read (None if all ISO)."""
        layouts = {k: n for k, n in self.seen.items() if k != "YYYY-MM-DD"}
        if not layouts:
            return None
        parts = [f"{n} as {k} (e.g. {self.example[k]!r})" for k, n in self.seen.items()]
        how = ""
        if self.order:
            row, ex = self.evidence[self.order]
            first = "day" if self.order == "dmy" else "month"
            how = f"; numeric dates are {first}-first, decided by row {row} ({ex!r})"
        if self.conflict:
            (r1, d1), (r2, d2) = self.evidence["dmy"], self.evidence["mdy"]
            how = (
                f"; numeric dates disagree (day-first on row {r1}: {d1!r}, month-first on row "
                f"{r2}: {d2!r}): those that read both ways are rejected"
            )
        two = any("YY" in k and "YYYY" not in k for k in layouts)
        if two:
            how += f"; two-digit years read as 20YY up to {dt.date.today().year}, otherwise 19YY"
        return f"{name}: {column} read {', '.join(parts)}{how}"
