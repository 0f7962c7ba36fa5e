"""Import events from ACLED and UCDP GED exports, and from our own CSV / GeoJSON.

Every importer returns an :class:`ImportResult`: the rows that became events (as
:class:`~events.schema.ResolvedEvent`, located by their own lon/lat) and one
:class:`Rejection` per row that did not, naming the file, row, field and reason. A valid row
is never dropped; a bad row never stops the rest.

Row numbers are spreadsheet rows: in a file with a header row the header is row 1 and the
first data row is row 2 (what a spreadsheet shows); in a headerless UCDP file the first data
row is row 1. A quoted cell spanning several text lines still counts as one row. In GeoJSON
the "row" is the 1-based position of the feature in ``features``.

Tables may be CSV/TSV in UTF-8, UTF-16 (with or without BOM, as Excel's "Unicode Text"),
cp1252 or latin-1, or an Excel .xlsx workbook (first sheet). Each file is read in two
passes: first its date column(s) and points are scanned (:class:`DateReader` decides
day-first vs month-first from the file's own rows; :class:`PointContext` holds every row's
point for the swapped-coordinates rule), then every row is judged against that context.

File-level problems that leave nothing to import (required columns missing, an unknown
layout, invalid JSON, a zip that is not a workbook) raise :class:`ImportFormatError` with a
message naming the problem. An empty file gives an empty result with a warning.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import math
import os
import re
import sys
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlparse

from pydantic import ValidationError

from events.schema import (
    Confidence,
    DatePrecision,
    Event,
    EventType,
    GeoPrecision,
    ResolvedEvent,
    in_region,
)

PathOrFile = str | os.PathLike[str] | bytes | IO[bytes] | IO[str]

# Big "notes" cells must not abort parsing (the csv default limit is 128 KiB).
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


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


class _RowError(Exception):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


# --------------------------------------------------------------------------------------------
# reading & decoding


def _read_input(src: PathOrFile) -> tuple[bytes | str, str]:
    """Raw content and a display name for a path, bytes, or (binary/text) file object."""
    if isinstance(src, (str, os.PathLike)):
        p = Path(src)
        return p.read_bytes(), str(p)
    if isinstance(src, (bytes, bytearray)):
        return bytes(src), "<bytes>"
    name = str(getattr(src, "name", "") or "<upload>")
    data = src.read()
    return data, name


def _utf16_without_bom(raw: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when BOM-less bytes look like UTF-16 text (NULs every 2nd byte)."""
    head = raw[:512]
    if len(head) < 4:
        return None
    half = len(head) // 2
    even_nul = head[0::2].count(0)
    odd_nul = head[1::2].count(0)
    if odd_nul >= 0.4 * half and even_nul < 0.1 * half:
        return "utf-16-le"
    if even_nul >= 0.4 * half and odd_nul < 0.1 * half:
        return "utf-16-be"
    return None


def _decode(raw: bytes | str, name: str) -> tuple[str, str, list[str]]:
    """Decode bytes: UTF-8 (BOM stripped), UTF-16 (BOM, or NULs every second byte as Excel's
    "Unicode Text" may be saved), else cp1252, else latin-1."""
    warnings: list[str] = []
    if isinstance(raw, str):
        return raw.lstrip("\ufeff"), "text", warnings
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return raw.decode("utf-16").lstrip("\ufeff"), "utf-16", warnings
        except UnicodeDecodeError:
            pass
    guess = _utf16_without_bom(raw)
    if guess:
        try:
            return raw.decode(guess).lstrip("\ufeff"), guess, warnings
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8-sig"), "utf-8", warnings
    except UnicodeDecodeError as exc:
        where = f"byte 0x{raw[exc.start]:02x} at offset {exc.start}"
    for enc in ("cp1252", "latin-1"):
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        text = text.removeprefix("ï»¿")  # a UTF-8 BOM seen through cp1252
        warnings.append(
            f"{name}: not valid UTF-8 ({where}); read as {enc}. Check that non-Latin "
            "names (Armenian, Azerbaijani letters) came through; re-save as UTF-8 if not."
        )
        return text, enc, warnings
    raise AssertionError("latin-1 decodes any byte string")  # pragma: no cover


def _decode_head(data: bytes) -> str:
    """The start of a file as text, for format detection (never raises)."""
    head = data[:8192]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return head[: len(head) // 2 * 2].decode("utf-16", errors="replace").lstrip("\ufeff")
    guess = _utf16_without_bom(head)
    if guess:
        return head[: len(head) // 2 * 2].decode(guess, errors="replace").lstrip("\ufeff")
    return head.decode("utf-8-sig", errors="replace")


# --------------------------------------------------------------------------------------------
# Excel .xlsx (ACLED offers it; read with openpyxl, first sheet only)

_ZIP_MAGIC = b"PK\x03\x04"
#: Largest total uncompressed size of an .xlsx accepted (guards against zip bombs).
XLSX_MAX_UNCOMPRESSED = 600 * 2**20


def is_xlsx(data: bytes) -> bool:
    """True if the bytes are a zip archive (an .xlsx workbook is one)."""
    return data[:4] == _ZIP_MAGIC


def _xlsx_cell(v: Any) -> str:
    """A cell value as the text a CSV export would hold (dates as YYYY-MM-DD)."""
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time(0) else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 2**53 else repr(v)
    return str(v)


def _xlsx_records(
    raw: bytes, name: str, warnings: list[str], limit: int | None = None
) -> Iterator[list[str]]:
    """Rows of the workbook's first sheet as lists of text (ImportFormatError if unreadable)."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            names = set(zf.namelist())
            total = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise ImportFormatError(
            f"{name}: looks like a zip archive (an .xlsx is one) but cannot be opened"
        ) from None
    if "xl/workbook.xml" not in names:
        raise ImportFormatError(
            f"{name}: a zip archive but not an Excel .xlsx workbook (no xl/workbook.xml); "
            "unzip it and import the CSV inside"
        )
    if total > XLSX_MAX_UNCOMPRESSED:
        raise ImportFormatError(
            f"{name}: the workbook unpacks to {total // 2**20} MB, over the "
            f"{XLSX_MAX_UNCOMPRESSED // 2**20} MB limit; export it as CSV instead"
        )
    try:
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except ImportError:  # pragma: no cover - openpyxl is a main dependency
        raise ImportFormatError(
            f"{name}: reading .xlsx needs openpyxl (pip install openpyxl)"
        ) from None
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise ImportFormatError(
            f"{name}: cannot read the .xlsx workbook ({type(exc).__name__}); "
            "re-save it in Excel or export it as CSV"
        ) from None
    try:
        sheets = wb.worksheets
        if not sheets:
            return
        if len(sheets) > 1:
            warnings.append(
                f"{name}: read the first sheet ({sheets[0].title!r}) only; "
                f"{len(sheets) - 1} other sheet(s) ignored"
            )
        for i, row in enumerate(sheets[0].iter_rows(values_only=True)):
            if limit is not None and i >= limit:
                return
            yield [_xlsx_cell(v) for v in row]
    except ImportFormatError:
        raise
    except Exception as exc:
        raise ImportFormatError(
            f"{name}: the .xlsx workbook is damaged ({type(exc).__name__}); "
            "re-save it in Excel or export it as CSV"
        ) from None
    finally:
        wb.close()


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _csv_records(text: str) -> Iterator[list[str]]:
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(first))
    yield from reader


def _norm_header(h: str) -> str:
    return h.strip().lstrip("\ufeff").strip().strip('"').lower()


@dataclass
class _Table:
    name: str
    encoding: str
    warnings: list[str]
    header: list[str] | None
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, fields)


def _read_table(
    src: PathOrFile,
    *,
    has_header: Callable[[list[str]], bool] = lambda r: True,
) -> _Table:
    """A CSV/TSV (any of the encodings of :func:`_decode`) or .xlsx file as header + rows."""
    raw, name = _read_input(src)
    if isinstance(raw, bytes) and is_xlsx(raw):
        warnings: list[str] = []
        table = _Table(name, "xlsx", warnings, None, [])
        records: Iterator[list[str]] = _xlsx_records(raw, name, warnings)
    else:
        text, enc, warnings = _decode(raw, name)
        table = _Table(name, enc, warnings, None, [])
        records = _csv_records(text)
    row_no = 0
    try:
        first = next(records, None)
        if first is None:
            return table
        if has_header(first):
            table.header = [_norm_header(h) for h in first]
            row_no = 1
        else:
            table.rows.append((1, first))
            row_no = 1
        for rec in records:
            row_no += 1
            table.rows.append((row_no, rec))
    except csv.Error as exc:  # pragma: no cover - csv with newline="" hardly ever raises
        table.warnings.append(f"{name}: CSV parsing stopped after row {row_no}: {exc}")
    return table


def _records(
    table: _Table, header: list[str], result: ImportResult
) -> Iterator[tuple[int, dict[str, str]]]:
    """Data rows as {column: value}; blank rows skipped, misaligned rows rejected."""
    width = len(header)
    for row_no, fields in table.rows:
        result.rows += 1
        if not any(f.strip() for f in fields):
            continue  # a blank row: nothing to import, nothing lost
        if len(fields) != width:
            extras_empty = len(fields) > width and not any(f.strip() for f in fields[width:])
            if not extras_empty:
                result.rejected.append(
                    Rejection(
                        table.name,
                        row_no,
                        "row",
                        f"has {len(fields)} fields but the header has {width} "
                        "(a stray delimiter or quote?)",
                    )
                )
                continue
        rec: dict[str, str] = {}
        for h, v in zip(header, fields, strict=False):
            rec.setdefault(h, v)
        yield row_no, rec


def _require_columns(header: list[str], required: tuple[str, ...], name: str, what: str) -> None:
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportFormatError(
            f"{name}: missing column(s) {', '.join(missing)} "
            f"for a {what} file (found: {', '.join(h for h in header if h) or 'none'})"
        )


# --------------------------------------------------------------------------------------------
# shared value parsing


def _float(v: str, fld: str) -> float:
    s = v.strip()
    if not s:
        raise _RowError(fld, "empty")
    if s.count(",") == 1 and "." not in s:  # decimal comma (e.g. a ;-separated regional CSV)
        s = s.replace(",", ".")
    try:
        x = float(s)
    except ValueError:
        raise _RowError(fld, f"not a number: {v!r}") from None
    if not math.isfinite(x):
        raise _RowError(fld, f"not a finite number: {v!r}")
    return x


def _int_code(v: str, fld: str, allowed: Mapping[int, Any]) -> int:
    s = v.strip()
    try:
        f = float(s)
        code = int(f)
        if code != f:
            raise ValueError
    except (ValueError, OverflowError):
        raise _RowError(fld, f"expected one of {sorted(allowed)}, got {v!r}") from None
    if code not in allowed:
        raise _RowError(fld, f"expected one of {sorted(allowed)}, got {v!r}")
    return code


# --- coordinates: range checks and the swapped-coordinates rule ---------------------------

#: A row's point is "where the file's other rows are" when another row lies within this.
NEAR_KM = 150.0


def _km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in km (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


class PointContext:
    """Every row's point in one file, so that a row can be judged against the others.

    Built before the rows are imported from the raw lon/lat of every row that has readable,
    in-range coordinates (whatever else is wrong with the row). Points are bucketed by
    1-degree cell, so "is another row within NEAR_KM of here?" costs a few cells.
    """

    def __init__(self, points: Iterable[tuple[int, float, float]] = ()) -> None:
        self.cells: dict[tuple[int, int], list[tuple[int, float, float]]] = {}
        for row, lon, lat in points:
            self.cells.setdefault((math.floor(lon), math.floor(lat)), []).append((row, lon, lat))

    def near_others(self, lon: float, lat: float, row: int) -> bool:
        """True if a row other than ``row`` has its point within NEAR_KM of (lon, lat)."""
        dlat = math.ceil(NEAR_KM / 111.0)
        coslat = max(math.cos(math.radians(min(abs(lat) + dlat, 89.9))), 0.01)
        dlon = min(math.ceil(NEAR_KM / (111.0 * coslat)), 180)
        cx, cy = math.floor(lon), math.floor(lat)
        for r, plon, plat in self.cells.get((cx, cy), ()):  # the likeliest cell first
            if r != row and _km(lon, lat, plon, plat) <= NEAR_KM:
                return True
        for x in range(cx - dlon, cx + dlon + 1):
            for y in range(cy - dlat, cy + dlat + 1):
                for r, plon, plat in self.cells.get((x, y), ()):
                    if r != row and _km(lon, lat, plon, plat) <= NEAR_KM:
                        return True
        return False


def _country_key(name: str) -> str:
    key = re.sub(r"\(.*?\)", "", name).strip().lower()
    return {"turkiye": "turkey", "türkiye": "turkey", "russian federation": "russia"}.get(key, key)


def _country_shapes() -> dict[str, tuple[Any, bool]]:
    """Shipped country polygons by lower-case name and ISO3: (prepared shape, whole country?).

    The shipped layer is clipped to the app's region box: a country whose polygon touches
    the box's edge is only partly there ("whole" is False).
    """
    global _COUNTRY_SHAPES
    if _COUNTRY_SHAPES is None:
        out: dict[str, tuple[Any, bool]] = {}
        try:
            from shapely import prepared

            from geo.boundaries import BBOX, layer_shapes

            for props, geom in layer_shapes("countries"):
                x0, y0, x1, y1 = geom.bounds
                whole = x0 > BBOX[0] and y0 > BBOX[1] and x1 < BBOX[2] and y1 < BBOX[3]
                shp = (prepared.prep(geom.buffer(0.05)), whole)
                out[_country_key(str(props.get("name", "")))] = shp
                out[str(props.get("id", "")).lower()] = shp
        except (ImportError, OSError, ValueError, KeyError):  # pragma: no cover - data shipped
            out = {}
        _COUNTRY_SHAPES = out
    return _COUNTRY_SHAPES


_COUNTRY_SHAPES: dict[str, tuple[Any, bool]] | None = None


def _in_shape(prep: Any, lon: float, lat: float) -> bool:
    from shapely.geometry import Point

    return bool(prep.contains(Point(lon, lat)))


def _looks_swapped(
    lon: float, lat: float, row: int, ctx: PointContext | None, country: str
) -> bool:
    """Whether (lon, lat) is better explained as (lat, lon) typed in the wrong columns.

    Only when the point as given is away from all the file's other rows, and swapping puts
    it where they are (or inside the row's own country, when we hold that whole country's
    outline); and never when the point as given lies in this app's region box or in the
    row's stated country, or when the swapped point lies in another country than the
    stated one. A real point far from this app's region (Donbas at lat 48, lon 38) is
    therefore kept.
    """
    slon, slat = lat, lon
    if not -90 <= slat <= 90 or in_region(lon, lat):
        return False  # impossible swapped, or the point as given is in this app's region
    if ctx is not None and ctx.near_others(lon, lat, row):
        return False  # the point as given is where the file's other rows are
    near = ctx is not None and ctx.near_others(slon, slat, row)
    stated = None
    if country.strip():
        shapes = _country_shapes()
        stated = shapes.get(_country_key(country))
        if not near and not (stated is not None and stated[1]):
            return False
        if stated is not None and _in_shape(stated[0], lon, lat):
            return False  # the point as given is in the row's country: plausible
        in_stated = stated is not None and _in_shape(stated[0], slon, slat)
        if not in_stated and any(
            _in_shape(p, slon, slat) for p in {id(p): p for p, _w in shapes.values()}.values()
        ):
            return False  # swapping would move it into another country than the row's
        return near or (stated is not None and stated[1] and in_stated)
    return near


def _check_coordinates(
    lon: float,
    lat: float,
    lon_field: str,
    lat_field: str,
    *,
    row: int = 0,
    ctx: PointContext | None = None,
    country: str = "",
) -> None:
    """Reject impossible or swapped coordinates (raises _RowError); see _looks_swapped."""
    if not -90 <= lat <= 90:
        if (-90 <= lon <= 90 and -180 <= lat <= 180) and (
            in_region(lat, lon) or (ctx is not None and ctx.near_others(lat, lon, row))
        ):
            raise _RowError(f"{lat_field}/{lon_field}", "coordinates look swapped")
        raise _RowError(lat_field, f"latitude {lat} is out of range -90..90")
    if not -180 <= lon <= 180:
        raise _RowError(lon_field, f"longitude {lon} is out of range -180..180")
    if lat == 0 and lon == 0:
        raise _RowError(f"{lat_field}/{lon_field}", "coordinates are 0,0 (missing)")
    if _looks_swapped(lon, lat, row, ctx, country):
        raise _RowError(f"{lat_field}/{lon_field}", "coordinates look swapped")


def _quick_float(v: Any) -> float | None:
    """A coordinate for the PointContext, or None (no errors: the row is judged later)."""
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        try:
            x = float(v)
        except OverflowError:  # a JSON integer with hundreds of digits
            return None
    else:
        s = str(v or "").strip()
        if s.count(",") == 1 and "." not in s:
            s = s.replace(",", ".")
        try:
            x = float(s)
        except (ValueError, OverflowError):
            return None
    return x if math.isfinite(x) else None


def _context_of(points: Iterable[tuple[int, Any, Any]]) -> PointContext:
    """PointContext from (row, lon, lat) raw values; unreadable or out-of-range ones skipped."""
    good = []
    for row, lon_v, lat_v in points:
        lon, lat = _quick_float(lon_v), _quick_float(lat_v)
        ok = lon is not None and lat is not None and -180 <= lon <= 180 and -90 <= lat <= 90
        if ok and (lon or lat):
            good.append((row, lon, lat))
    return PointContext(good)


# --- dates: one reader for every date column of an imported file -------------------------

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
        """The date in ``v`` (raises _RowError naming the field and why)."""
        s = " ".join(v.split())
        if not s:
            raise _RowError(fld, "empty date")
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
            raise _RowError(fld, f"invalid date {v!r} (no such day)") from None
        raise _RowError(
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
            raise _RowError(fld, f"invalid date {s!r} (neither number can be a month)")
        elif a > 12 or b > 12:  # only one reading; scan() saw this row, so no conflict
            order = "dmy" if a > 12 else "mdy"
        elif self.order:
            order = self.order
        elif self.conflict:
            (r1, d1), (r2, d2) = self.evidence["dmy"], self.evidence["mdy"]
            raise _RowError(
                fld,
                f"ambiguous date {s!r}: this file has both day-first (row {r1}: {d1!r}) and "
                f"month-first (row {r2}: {d2!r}) dates; re-save the dates as YYYY-MM-DD",
            )
        else:
            dmy, mdy = _words(dt.date(year, b, a)), _words(dt.date(year, a, b))
            raise _RowError(
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


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _split_actors(*values: str) -> list[str]:
    out: list[str] = []
    for v in values:
        for a in v.split(";"):
            a = " ".join(a.split())
            if a and a not in out:
                out.append(a)
    return out


def _build_event(data: dict[str, Any], field_map: Mapping[str, str]) -> Event:
    """Validate with the schema; name the *input* column in the error."""
    try:
        return Event.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err.get("loc", ()))
        msg = str(err.get("msg", "")).removeprefix("Value error, ")
        key = str(loc[0]) if loc else ("end_date" if "end_date" in msg else "date")
        raise _RowError(field_map.get(key, key), msg) from None


class _Dedup:
    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def check(self, event_id: str, row: int, fld: str) -> None:
        if event_id in self.seen:
            raise _RowError(fld, f"duplicate id {event_id!r} (first on row {self.seen[event_id]})")
        self.seen[event_id] = row


def _outside_warning(result: ImportResult) -> None:
    n = sum(1 for e in result.events if not in_region(e.lon, e.lat))
    if n:
        result.warnings.append(
            f"{result.file}: {n} imported event(s) lie outside the region box (kept)"
        )


@dataclass
class _FileContext:
    """What each row is judged against: the file's date layout and the other rows' points."""

    dates: DateReader
    points: PointContext


def _column(table: _Table, header: list[str], col: str) -> Iterator[tuple[int, str]]:
    """(row, value) of one column over the table's rows (nothing if the column is absent)."""
    if col not in header:
        return
    i = header.index(col)
    for row, fields in table.rows:
        if i < len(fields):
            yield row, fields[i]


def _table_context(
    table: _Table, header: list[str], date_cols: tuple[str, ...], lon: str, lat: str
) -> _FileContext:
    """Scan the date column(s) for their layout and collect every row's point."""
    dates = DateReader().scan(v for c in date_cols for v in _column(table, header, c))
    lat_by_row = dict(_column(table, header, lat))
    points = _context_of((r, v, lat_by_row.get(r)) for r, v in _column(table, header, lon))
    return _FileContext(dates, points)


def _import_rows(
    table: _Table,
    header: list[str],
    result: ImportResult,
    make: Callable[[dict[str, str], int], ResolvedEvent],
    id_field: str,
) -> None:
    """The row loop of every table importer: each row becomes an event or a Rejection."""
    dedup = _Dedup()
    for row, rec in _records(table, header, result):
        try:
            ev = make(rec, row)
            dedup.check(ev.id, row, id_field)
        except _RowError as exc:
            result.rejected.append(Rejection(table.name, row, exc.field, exc.reason))
            continue
        result.events.append(ev)
    _outside_warning(result)


# --------------------------------------------------------------------------------------------
# ACLED

#: ACLED export, current layout (31 columns, DESIGN.md §6 and ACLED's codebook).
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip

#: Older ACLED export layout (also 31 columns): data_id, event_id_no_cnty and iso3 present;
#: disorder_type, civilian_targeting and tags absent. Columns are matched by name, so both
#: layouts (and upper-case headers of very old exports) read the same way.
ACLED_COLUMNS_OLD: tuple[str, ...] = (
    "data_id", "iso", "event_id_cnty", "event_id_no_cnty", "event_date", "year",
    "time_precision", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1",
    "actor2", "assoc_actor_2", "inter2", "interaction", "region", "country", "admin1",
    "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
    "source_scale", "notes", "fatalities", "timestamp", "iso3",
)  # fmt: skip

#: The oldest ACLED layout (about 2015-2018, upper-case headers): GWNO first, ALLY_ACTOR_*
#: where later layouts have ASSOC_ACTOR_*, and no SUB_EVENT_TYPE (EVENT_TYPE then carries
#: what sub_event_type carries now, e.g. "Battle-Government regains territory").
ACLED_COLUMNS_2015: tuple[str, ...] = (
    "gwno", "event_id_cnty", "event_id_no_cnty", "event_date", "year", "time_precision",
    "event_type", "actor1", "ally_actor_1", "inter1", "actor2", "ally_actor_2", "inter2",
    "interaction", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "geo_precision", "source", "notes", "fatalities",
)  # fmt: skip

#: Older column names read as the current ones.
ACLED_ALIASES: dict[str, str] = {"ally_actor_1": "assoc_actor_1", "ally_actor_2": "assoc_actor_2"}

ACLED_REQUIRED: tuple[str, ...] = (
    "event_id_cnty", "event_date", "time_precision", "event_type", "location", "latitude",
    "longitude", "geo_precision", "source",
)  # fmt: skip

ACLED_GEO_PRECISION = {1: GeoPrecision.exact, 2: GeoPrecision.near, 3: GeoPrecision.district}
ACLED_TIME_PRECISION = {1: DatePrecision.day, 2: DatePrecision.week, 3: DatePrecision.month}

#: ACLED sub_event_type -> our type (checked first), then event_type -> our type; else clash.
ACLED_SUB_EVENT_TYPES: dict[str, EventType] = {
    "agreement": EventType.agreement,
    "non-violent transfer of territory": EventType.control_change,
    "government regains territory": EventType.control_change,
    "non-state actor overtakes territory": EventType.control_change,
    # Strategic developments that are not fighting: "political", not "clash".
    "arrests": EventType.political,
    "change to group/activity": EventType.political,
    "headquarters or base established": EventType.political,
    "looting/property destruction": EventType.political,
    "disrupted weapons use": EventType.political,
    "other": EventType.political,
}
ACLED_EVENT_TYPES: dict[str, EventType] = {
    "protests": EventType.political,
    "strategic developments": EventType.political,  # any other strategic development
    # the oldest layout's event types (no sub_event_type column)
    "battle-no change of territory": EventType.clash,
    "battle-government regains territory": EventType.control_change,
    "battle-non-state actor overtakes territory": EventType.control_change,
    "battle-rebels overtake territory": EventType.control_change,
    "non-violent transfer of territory": EventType.control_change,
    "headquarters or base established": EventType.political,
    "strategic development": EventType.political,
    "non-violent activity by a conflict actor": EventType.political,
    "riots/protests": EventType.political,  # as Protests; the original type stays in notes
}

ACLED_URL = "https://acleddata.com/"


def acled_event_type(event_type: str, sub_event_type: str) -> EventType:
    """Our EventType for an ACLED event_type / sub_event_type pair."""
    sub = " ".join(sub_event_type.split()).lower()
    if sub in ACLED_SUB_EVENT_TYPES:
        return ACLED_SUB_EVENT_TYPES[sub]
    return ACLED_EVENT_TYPES.get(" ".join(event_type.split()).lower(), EventType.clash)


_ACLED_FIELD_MAP = {
    "id": "event_id_cnty",
    "date": "event_date",
    "title": "location",
    "summary": "notes",
    "sources": "source",
    "location": "latitude/longitude",
    "actors": "actor1",
}
_ID_PART_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,90}$")


def _acled_row(rec: dict[str, str], name: str, row: int, fc: _FileContext) -> ResolvedEvent:
    g = lambda k: (rec.get(k) or "").strip()  # noqa: E731
    raw_id = g("event_id_cnty")
    if not raw_id:
        raise _RowError("event_id_cnty", "empty id")
    if not _ID_PART_RE.match(raw_id):
        raise _RowError("event_id_cnty", f"id must be letters, digits and '-': {raw_id!r}")
    given = fc.dates.read(g("event_date"), "event_date")
    tp = ACLED_TIME_PRECISION[
        _int_code(g("time_precision"), "time_precision", ACLED_TIME_PRECISION)
    ]
    day = given.replace(day=1) if tp is DatePrecision.month else given
    gp = ACLED_GEO_PRECISION[_int_code(g("geo_precision"), "geo_precision", ACLED_GEO_PRECISION)]
    lat = _float(g("latitude"), "latitude")
    lon = _float(g("longitude"), "longitude")
    country = g("country") or g("iso3")
    _check_coordinates(lon, lat, "longitude", "latitude", row=row, ctx=fc.points, country=country)

    etype, sub, place = g("event_type"), g("sub_event_type"), g("location")
    title = _clip(f"{sub or etype or 'ACLED event'}: {place}" if place else sub or etype, 200)
    if len(title) < 3:
        title = f"ACLED {raw_id}"
    summary = " ".join(g("notes").split())
    if len(summary) < 10:
        summary = (
            f"{etype or 'Event'} / {sub or '-'} at {place or 'unnamed location'} (ACLED {raw_id})."
        )
    note_bits = [f"ACLED event_type: {etype}"]
    if "sub_event_type" in rec:
        note_bits.append(f"sub_event_type: {sub}")
    if day != given:
        note_bits.append(f"event_date as given: {given.isoformat()} (month precision)")
    note_bits += [
        f"{k}: {g(k)}"
        for k in ("disorder_type", "fatalities", "country", "admin1", "admin2", "source_scale")
        if g(k)
    ]
    if g("gwno"):
        note_bits.append(f"gwno: {g('gwno')}")
    publisher = _clip(g("source"), 300) or "ACLED"
    data = {
        "id": f"acled-{raw_id.lower()}",
        "date": day,
        "date_precision": tp,
        "type": acled_event_type(etype, sub),
        "title": title,
        "summary": summary,
        "location": {"place": place or None, "lon": lon, "lat": lat},
        "geo_precision": gp,
        "actors": _split_actors(g("actor1"), g("assoc_actor_1"), g("actor2"), g("assoc_actor_2")),
        "sources": [{"url": ACLED_URL, "publisher": publisher, "title": f"ACLED event {raw_id}"}],
        "confidence": Confidence.medium,
        "notes": "; ".join(note_bits),
    }
    event = _build_event(data, _ACLED_FIELD_MAP)
    return ResolvedEvent(event, lon, lat, gp, place or None, None, None, f"{name} row {row}")


def _acled_header(header: list[str]) -> list[str]:
    """The header with older column names (ALLY_ACTOR_1, ...) renamed to the current ones."""
    have = set(header)
    return [ACLED_ALIASES[h] if h in ACLED_ALIASES and ACLED_ALIASES[h] not in have else h
            for h in header]  # fmt: skip


def import_acled(path_or_file: PathOrFile) -> ImportResult:
    """Import an ACLED export: CSV/TSV in any of the supported encodings, or .xlsx.

    Every ACLED layout is read by column name, any case: current, older (data_id ... iso3)
    and the oldest (GWNO, ALLY_ACTOR_1, no sub_event_type). Dates are read by
    :class:`DateReader` (layout decided per file and stated in the warnings).
    """
    table = _read_table(path_or_file)
    result = ImportResult(file=table.name, encoding=table.encoding, warnings=table.warnings)
    if table.header is None:
        result.warnings.append(f"{table.name}: file is empty")
        return result
    header = _acled_header(table.header)
    _require_columns(header, ACLED_REQUIRED, table.name, "ACLED")
    if "sub_event_type" not in header:
        result.warnings.append(
            f"{table.name}: no sub_event_type column (an ACLED layout from before 2019): "
            "types are mapped from event_type"
        )
    fc = _table_context(table, header, ("event_date",), "longitude", "latitude")
    _import_rows(
        table,
        header,
        result,
        lambda rec, row: _acled_row(rec, table.name, row, fc),
        "event_id_cnty",
    )
    note = fc.dates.summary(table.name, "event_date")
    if note:
        result.warnings.append(note)
    return result


# --------------------------------------------------------------------------------------------
# UCDP GED

#: The 49 columns of a UCDP GED CSV, in file order, used for releases without a header row.
#: Source: the GedEvent object of UCDP's API description (as mirrored in the public
#: api-evangelist/uppsala json-structure/uppsala-gedevent-structure.json), which lists the
#: same 49 names in this order, cross-checked against two independent public codebases that
#: read GED CSVs (one of them reading the headerless Candidate 24.0.1 release with this
#: list). Field meanings: UCDP GED Codebook (https://ucdp.uu.se/downloads/ged/ged251.pdf).
UCDP_GED_COLUMNS: tuple[str, ...] = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence",
    "conflict_dset_id", "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id",
    "dyad_name", "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id",
    "side_b_new_id", "side_b", "number_of_sources", "source_article", "source_office",
    "source_date", "source_headline", "source_original", "where_prec", "where_coordinates",
    "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec",
    "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
    "best", "high", "low", "gwnoa", "gwnob",
)  # fmt: skip
assert len(UCDP_GED_COLUMNS) == 49

UCDP_REQUIRED: tuple[str, ...] = (
    "id", "type_of_violence", "where_prec", "latitude", "longitude", "date_prec", "date_start",
)  # fmt: skip

UCDP_WHERE_PREC = {
    1: GeoPrecision.exact,  # exact location
    2: GeoPrecision.near,  # within ~25 km of a known point
    3: GeoPrecision.district,  # second-order administrative division (adm2)
    4: GeoPrecision.district,  # first-order admin division (adm1): a rayon / marz here
    5: GeoPrecision.region,  # larger area, linear feature (e.g. a road, the border)
    6: GeoPrecision.country,  # only the country is known: the point stands for the country
    7: GeoPrecision.region,  # international waters or airspace
}
#: GED codebook: 1 exact day; 2 within 2-6 days; 3 only the week is known; 4 within 8-30
#: days or only the month is known; 5 more than a month, at most a calendar year.
UCDP_DATE_PREC = {
    1: DatePrecision.day,
    2: DatePrecision.week,
    3: DatePrecision.week,
    4: DatePrecision.month,
    5: DatePrecision.year,
}
UCDP_VIOLENCE = {1: "state-based conflict", 2: "non-state conflict", 3: "one-sided violence"}
UCDP_URL = "https://ucdp.uu.se/ged/"

_UCDP_FIELD_MAP = {
    "id": "id",
    "date": "date_start",
    "title": "where_description",
    "summary": "dyad_name",
    "sources": "source_article",
    "location": "latitude/longitude",
}


def _ucdp_has_header(first: list[str]) -> bool:
    names = {_norm_header(f) for f in first}
    return "id" in names and "latitude" in names


def _ucdp_row(rec: dict[str, str], name: str, row: int, fc: _FileContext) -> ResolvedEvent:
    g = lambda k: (rec.get(k) or "").strip()  # noqa: E731
    raw_id = g("id")
    try:
        num = float(raw_id)
        if num != int(num) or num < 0:
            raise ValueError
        uid = str(int(num))
    except (ValueError, OverflowError):
        raise _RowError("id", f"expected a numeric GED id, got {raw_id!r}") from None
    start = fc.dates.read(g("date_start"), "date_start")
    end = fc.dates.read(g("date_end"), "date_end") if g("date_end") else None
    if end is not None and end < start:
        raise _RowError("date_end", f"date_end {end} is before date_start {start}")
    dp = UCDP_DATE_PREC[_int_code(g("date_prec"), "date_prec", UCDP_DATE_PREC)]
    day = start.replace(day=1) if dp is DatePrecision.month else start
    gp = UCDP_WHERE_PREC[_int_code(g("where_prec"), "where_prec", UCDP_WHERE_PREC)]
    lat = _float(g("latitude"), "latitude")
    lon = _float(g("longitude"), "longitude")
    _check_coordinates(
        lon, lat, "longitude", "latitude", row=row, ctx=fc.points, country=g("country")
    )

    tov = g("type_of_violence")
    try:
        violence = UCDP_VIOLENCE.get(int(float(tov)), f"type {tov}")
    except (ValueError, OverflowError):
        violence = f"type {tov or '?'}"
    where = g("where_description") or g("adm_2") or g("adm_1") or g("country") or "unknown place"
    title = _clip(f"{violence.capitalize()}: {where}", 200)
    deaths = ", ".join(
        f"{label} {g(k)}"
        for k, label in (
            ("deaths_a", "side A"),
            ("deaths_b", "side B"),
            ("deaths_civilians", "civilians"),
            ("deaths_unknown", "unknown"),
        )
        if g(k)
    )
    summary = f"{g('dyad_name') or g('conflict_name') or 'UCDP GED event'} (location: {where})."
    if g("best"):
        summary += (
            f" Deaths: best estimate {g('best')} (low {g('low') or '?'}, high {g('high') or '?'})"
        )
        summary += f"; {deaths}." if deaths else "."
    note_bits = [f"UCDP GED type_of_violence: {tov} ({violence})"]
    if day != start:
        note_bits.append(f"date_start as given: {start.isoformat()} (month precision)")
    if gp is GeoPrecision.country:
        note_bits.append("where_prec 6: only the country is known; the point stands for it")
    for k in (
        "conflict_name",
        "relid",
        "date_end",
        "source_office",
        "source_date",
        "adm_1",
        "adm_2",
    ):
        if g(k):
            note_bits.append(f"{k}: {g(k)}")
    data = {
        "id": f"ucdp-{uid}",
        "date": day,
        "date_precision": dp,
        "type": EventType.clash,
        "title": title,
        "summary": summary,
        "location": {"place": where, "lon": lon, "lat": lat},
        "geo_precision": gp,
        "actors": _split_actors(g("side_a"), g("side_b")),
        "sources": [
            {"url": UCDP_URL, "publisher": "UCDP GED", "title": g("source_article") or None}
        ],
        "confidence": Confidence.low if g("event_clarity") == "2" else Confidence.medium,
        "notes": "; ".join(note_bits),
    }
    event = _build_event(data, _UCDP_FIELD_MAP)
    return ResolvedEvent(event, lon, lat, gp, where, None, None, f"{name} row {row}")


def import_ucdp_ged(path_or_file: PathOrFile) -> ImportResult:
    """Import a UCDP GED CSV, with or without its header row.

    The first row is a header iff it contains "id" and "latitude"; otherwise every row must
    follow the 49-column :data:`UCDP_GED_COLUMNS` order. ``date_end`` is kept in notes: in GED
    it bounds the uncertainty given by ``date_prec``, not a period "in force".
    """
    table = _read_table(path_or_file, has_header=_ucdp_has_header)
    result = ImportResult(file=table.name, encoding=table.encoding, warnings=table.warnings)
    if table.header is None and not table.rows:
        result.warnings.append(f"{table.name}: file is empty")
        return result
    if table.header is not None:
        header = table.header
        _require_columns(header, UCDP_REQUIRED, table.name, "UCDP GED")
    else:
        header = list(UCDP_GED_COLUMNS)
        width = len(table.rows[0][1])
        if width != len(UCDP_GED_COLUMNS):
            raise ImportFormatError(
                f"{table.name}: no header row (row 1 lacks 'id' and 'latitude'), and row 1 has "
                f"{width} fields, not the {len(UCDP_GED_COLUMNS)} of the UCDP GED layout; "
                "add the header row"
            )
        result.warnings.append(
            f"{table.name}: no header row; read with the standard 49-column GED order"
        )
    fc = _table_context(table, header, ("date_start", "date_end"), "longitude", "latitude")
    _import_rows(table, header, result, lambda rec, row: _ucdp_row(rec, table.name, row, fc), "id")
    note = fc.dates.summary(table.name, "date_start/date_end")
    if note:
        result.warnings.append(note)
    return result


# --------------------------------------------------------------------------------------------
# our own CSV and GeoJSON (as written by events.exporters)

#: Columns of our CSV, in the order the exporter writes them.
CSV_COLUMNS: tuple[str, ...] = (
    "id", "date", "end_date", "date_precision", "type", "title", "summary", "place",
    "place_hy", "place_az", "lon", "lat", "geo_precision", "actors", "confidence",
    "related_area", "notes", "sources", "kind", "no_place",
)  # fmt: skip
CSV_REQUIRED: tuple[str, ...] = (
    "id",
    "date",
    "type",
    "title",
    "summary",
    "geo_precision",
    "sources",
)
#: Text columns that the exporter guards against spreadsheet formula injection.
CSV_TEXT_COLUMNS = frozenset(
    {
        "id",
        "title",
        "summary",
        "place",
        "place_hy",
        "place_az",
        "actors",
        "related_area",
        "notes",
        "sources",
    }
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
#: A formula behind blanks a spreadsheet skips: spaces, line feeds, zero-width characters.
_HIDDEN_FORMULA = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff\u00a0]+[=+\-@]")


def _formula_like(text: str) -> bool:
    return text.startswith(_FORMULA_START) or bool(_HIDDEN_FORMULA.match(text))


def csv_guard(text: str) -> str:
    """Prefix a quote to text a spreadsheet would run as a formula, also behind leading
    blanks or zero-width characters (reversed by csv_unguard)."""
    return "'" + text if _formula_like(text) else text


def csv_unguard(text: str) -> str:
    """Undo :func:`csv_guard`."""
    if len(text) > 1 and text[0] == "'" and _formula_like(text[1:]):
        return text[1:]
    return text


def _parse_sources(value: Any, fld: str = "sources") -> list[Any]:
    if isinstance(value, list):
        return value
    s = str(value or "").strip()
    if not s:
        raise _RowError(fld, "no source given")
    if s.startswith("["):
        try:
            parsed = json.loads(s)
        except json.JSONDecodeError as exc:
            raise _RowError(fld, f"sources is not valid JSON: {exc.msg}") from None
        except (ValueError, RecursionError):  # nested too deep, or a number too long
            raise _RowError(fld, "sources is not readable JSON (too deep or too long)") from None
        if not isinstance(parsed, list):
            raise _RowError(fld, "sources must be a JSON list")
        return parsed
    # plain URLs separated by whitespace or '|': publisher = host name
    out = []
    for url in re.split(r"[\s|]+", s):
        host = urlparse(url).hostname or ""
        out.append({"url": url, "publisher": host or url})
    return out


def _parse_actors(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(a) for a in value]
    s = str(value or "")
    if s.lstrip().startswith("["):  # the exporter writes a JSON list when "; " would be lossy
        try:
            parsed = json.loads(s)
        except (ValueError, RecursionError):  # not JSON (or too deep): plain "; " list
            parsed = None
        if isinstance(parsed, list):
            return [str(a) for a in parsed]
    return _split_actors(s)


Geocoder = Callable[[str], Any]
#: Longest place name looked up in the gazetteer (longer names are rejected, not searched).
MAX_PLACE_CHARS = 200


def _locate(
    place: str | None,
    lon_v: Any,
    lat_v: Any,
    geocoder: Geocoder | None,
    row: int = 0,
    ctx: PointContext | None = None,
) -> tuple[float, float, Any]:
    """lon/lat from the record, else from the gazetteer via the place name."""
    empty = lambda v: v is None or (isinstance(v, str) and not v.strip())  # noqa: E731
    if place is not None and not isinstance(place, str):
        raise _RowError("place", f"must be text, got {type(place).__name__}")
    if not empty(lon_v) or not empty(lat_v):
        try:
            lon = _float(str(lon_v), "lon") if not isinstance(lon_v, (int, float)) else float(lon_v)
            lat = _float(str(lat_v), "lat") if not isinstance(lat_v, (int, float)) else float(lat_v)
        except OverflowError:  # a JSON integer with hundreds of digits
            raise _RowError("lon/lat", "not finite numbers") from None
        if (
            isinstance(lon_v, bool)
            or isinstance(lat_v, bool)
            or not (math.isfinite(lon) and math.isfinite(lat))
        ):
            raise _RowError("lon/lat", "not finite numbers")
        _check_coordinates(lon, lat, "lon", "lat", row=row, ctx=ctx)
        return lon, lat, None
    if not place:
        raise _RowError("lon/lat", "no coordinates and no place name")
    if len(place) > MAX_PLACE_CHARS:  # bounds gazetteer work and its cache
        raise _RowError("place", f"place name longer than {MAX_PLACE_CHARS} characters")
    if geocoder is None:
        try:
            from geo.gazetteer import geocode as geocoder
        except ImportError:
            raise _RowError("lon/lat", "no coordinates, and the gazetteer is unavailable") from None
    try:
        p = geocoder(place)
    except LookupError as exc:
        raise _RowError("place", str(exc).strip("'\"")) from None
    return float(p.lon), float(p.lat), p


def _opt_text(opt: Callable[[str], Any], key: str) -> str | None:
    v = opt(key)
    if v is not None and not isinstance(v, str):
        raise _RowError(key, f"must be text, got {type(v).__name__}")
    return v


def _record_to_event(
    rec: Mapping[str, Any],
    name: str,
    row: int,
    geocoder: Geocoder | None,
    ctx: PointContext | None = None,
) -> ResolvedEvent:
    g = lambda k: rec.get(k)  # noqa: E731

    def opt(k: str) -> Any:
        v = g(k)
        return None if v is None or (isinstance(v, str) and not v.strip()) else v

    place = opt("place")
    no_place = str(opt("no_place") or "").strip().lower() in ("true", "1", "yes")
    if no_place:  # an event with no place on the map (location: {none: true})
        lon, lat, p = math.nan, math.nan, None
    else:
        lon, lat, p = _locate(place, g("lon"), g("lat"), geocoder, row, ctx)
    try:
        gp = GeoPrecision(str(g("geo_precision") or "").strip())
    except ValueError:
        raise _RowError(
            "geo_precision",
            f"expected one of {[x.value for x in GeoPrecision]}, got {g('geo_precision')!r}",
        ) from None
    data: dict[str, Any] = {
        "id": str(g("id") or "").strip(),
        "date": str(g("date") or "").strip(),
        "type": str(g("type") or "").strip(),
        "title": g("title") if isinstance(g("title"), str) else "",
        "summary": g("summary") if isinstance(g("summary"), str) else "",
        "location": {"none": True} if no_place else {"place": place, "lon": lon, "lat": lat},
        "geo_precision": gp,
        "actors": _parse_actors(g("actors")),
        "sources": _parse_sources(g("sources")),
    }
    for k in ("end_date", "date_precision", "confidence", "related_area", "notes", "kind"):
        v = opt(k)
        if v is not None:
            data[k] = v.strip() if isinstance(v, str) and k not in ("notes",) else v
    event = _build_event(data, {"location": "lon/lat"})
    names = (
        (
            getattr(p, "name", None) or place,
            getattr(p, "name_hy", None),
            getattr(p, "name_az", None),
        )
        if p is not None
        else (place, _opt_text(opt, "place_hy"), _opt_text(opt, "place_az"))
    )
    return ResolvedEvent(event, lon, lat, gp, *names, origin=f"{name} row {row}")


def import_csv(path: PathOrFile, *, geocoder: Geocoder | None = None) -> ImportResult:
    """Import our own CSV (as written by :func:`events.exporters.to_csv`).

    Also reads hand-made CSVs with at least the columns in :data:`CSV_REQUIRED`; ``sources``
    may then be plain URLs; rows without lon/lat are located through the gazetteer by place.
    """
    table = _read_table(path)
    result = ImportResult(file=table.name, encoding=table.encoding, warnings=table.warnings)
    if table.header is None:
        result.warnings.append(f"{table.name}: file is empty")
        return result
    _require_columns(table.header, CSV_REQUIRED, table.name, "karabakh-map events CSV")
    points = _table_context(table, table.header, (), "lon", "lat").points

    def make(rec: dict[str, str], row: int) -> ResolvedEvent:
        clean = {k: (csv_unguard(v) if k in CSV_TEXT_COLUMNS else v) for k, v in rec.items()}
        return _record_to_event(clean, table.name, row, geocoder, points)

    _import_rows(table, table.header, result, make, "id")
    return result


def import_geojson(path: PathOrFile, *, geocoder: Geocoder | None = None) -> ImportResult:
    """Import a GeoJSON FeatureCollection of Point features (as written by to_geojson).

    The "row" of a rejection is the 1-based index of the feature in ``features``.
    """
    raw, name = _read_input(path)
    text, enc, warnings = _decode(raw, name)
    result = ImportResult(file=name, encoding=enc, warnings=warnings)
    if not text.strip():
        result.warnings.append(f"{name}: file is empty")
        return result
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(f"{name}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except (ValueError, RecursionError):  # nested too deep, or a number too long
        raise ImportFormatError(
            f"{name}: JSON nested too deeply or with a number too long to read"
        ) from None
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        features: Any = [doc]
    elif isinstance(doc, dict) and doc.get("type") == "FeatureCollection":
        features = doc.get("features")
    else:
        raise ImportFormatError(f"{name}: not a GeoJSON FeatureCollection or Feature")
    if not isinstance(features, list):
        raise ImportFormatError(f"{name}: 'features' must be a list")
    points = _context_of(
        (i, f["geometry"]["coordinates"][0], f["geometry"]["coordinates"][1])
        for i, f in enumerate(features, start=1)
        if isinstance(f, dict)
        and isinstance(f.get("geometry"), dict)
        and f["geometry"].get("type") == "Point"
        and isinstance(f["geometry"].get("coordinates"), list)
        and len(f["geometry"]["coordinates"]) >= 2
    )
    dedup = _Dedup()
    for i, feat in enumerate(features, start=1):
        result.rows += 1
        try:
            if not isinstance(feat, dict) or feat.get("type") != "Feature":
                raise _RowError("feature", "not a GeoJSON Feature")
            props = feat.get("properties") or {}
            if not isinstance(props, dict):
                raise _RowError("properties", "must be an object")
            rec = dict(props)
            geom = feat.get("geometry")
            if geom is not None:
                if not isinstance(geom, dict) or geom.get("type") != "Point":
                    raise _RowError("geometry", "must be a Point (or null with a place name)")
                coords = geom.get("coordinates")
                if (
                    not isinstance(coords, list)
                    or len(coords) < 2
                    or not all(
                        isinstance(c, (int, float)) and not isinstance(c, bool) for c in coords[:2]
                    )
                ):
                    raise _RowError("geometry", "coordinates must be [lon, lat] numbers")
                rec["lon"], rec["lat"] = coords[0], coords[1]
            else:
                rec.pop("lon", None)
                rec.pop("lat", None)
            if rec.get("id") is None and feat.get("id") is not None:
                rec["id"] = feat["id"]
            ev = _record_to_event(rec, name, i, geocoder, points)
            dedup.check(ev.id, i, "id")
        except _RowError as exc:
            result.rejected.append(Rejection(name, i, exc.field, exc.reason))
            continue
        result.events.append(ev)
    _outside_warning(result)
    return result


IMPORTERS: dict[str, Callable[[PathOrFile], ImportResult]] = {
    "acled": import_acled,
    "ucdp": import_ucdp_ged,
    "csv": import_csv,
    "geojson": import_geojson,
}


#: File name endings the uploader should accept (without the dot).
UPLOAD_EXTENSIONS: tuple[str, ...] = ("csv", "tsv", "txt", "xlsx", "geojson", "json")


def _first_row(data: bytes, name: str) -> list[str]:
    """The first row of a CSV/TSV (any supported encoding) or .xlsx file, as cells."""
    if is_xlsx(data):
        for row in _xlsx_records(data, name or "upload", [], limit=1):
            return [str(c) for c in row]
        return []
    head = _decode_head(data).lstrip()
    if not head.strip():
        return []
    first = head.splitlines()[0]
    return next(csv.reader([first], delimiter=_sniff_delimiter(first)), [])


def detect_format(data: bytes, name: str = "") -> str:
    """Guess an upload's format from its content (acled|ucdp|csv|geojson).

    Looks at the first row of a CSV/TSV in any supported encoding (UTF-8, UTF-16 as Excel's
    "Unicode Text" writes it, cp1252) or of an .xlsx workbook (recognised by its zip
    signature, whatever the file name). Raises ImportFormatError when nothing fits, naming
    what was looked for.
    """
    label = name or "upload"
    if not is_xlsx(data):
        if name.lower().endswith((".geojson", ".json")):
            return "geojson"
        if _decode_head(data).lstrip().startswith("{"):
            return "geojson"
    row = _first_row(data, name)
    cells = [_norm_header(c) for c in row]
    if not any(cells):
        raise ImportFormatError(f"{label}: the file is empty")
    if "event_id_cnty" in cells or ("event_date" in cells and "sub_event_type" in cells):
        return "acled"
    if "type_of_violence" in cells or "where_prec" in cells or _ucdp_has_header(cells):
        return "ucdp"
    if {"id", "date", "type", "title"} <= set(cells):
        return "csv"
    if len(cells) == len(UCDP_GED_COLUMNS):
        return "ucdp"  # headerless GED release
    raise ImportFormatError(
        f"{label}: cannot tell the format from the first line; expected an ACLED "
        "export (event_id_cnty, event_date, ...), a UCDP GED file (id, relid, ... or 49 "
        "columns without header), a karabakh-map CSV (id, date, type, title, ...) or GeoJSON"
    )


def import_file(data: bytes, name: str, fmt: str = "auto") -> ImportResult:
    """Import an uploaded file's bytes (CSV, TSV, .xlsx or GeoJSON) in the given or detected
    format; ``fmt`` is "auto" or a key of :data:`IMPORTERS`."""
    if fmt == "auto":
        fmt = detect_format(data, name)
    src = io.BytesIO(data)
    src.name = name  # type: ignore[attr-defined]
    if fmt not in IMPORTERS:
        raise ImportFormatError(f"unknown import format {fmt!r}; use one of {', '.join(IMPORTERS)}")
    result = IMPORTERS[fmt](src)
    # every uploaded event says which file it came from (popups, tables, briefings)
    result.events = [dataclasses.replace(ev, from_file=name) for ev in result.events]
    return result
