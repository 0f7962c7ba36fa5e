"""Reading a table: bytes or a path, any supported encoding, CSV/TSV or .xlsx, as header + rows.

Tables may be CSV/TSV in UTF-8, UTF-16 (with or without BOM, as Excel's "Unicode Text"),
cp1252 or latin-1, or an Excel .xlsx workbook (first sheet). Row numbers are spreadsheet
rows: in a file with a header row the header is row 1 and the first data row is row 2; in a
headerless file the first data row is row 1. A quoted cell spanning several text lines still
counts as one row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from events.io.result import ImportFormatError, ImportResult, Rejection

PathOrFile = str | os.PathLike[str] | bytes | IO[bytes] | IO[str]

# Big "notes" cells must not abort parsing (the csv default limit is 128 KiB).
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def read_input(src: PathOrFile) -> tuple[bytes | str, str]:
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


def decode(raw: bytes | str, name: str) -> tuple[str, str, list[str]]:
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


def decode_head(data: bytes) -> str:
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


def xlsx_records(
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


def sniff_delimiter(first_line: str) -> str:
    """The delimiter of a table (``,`` ``;`` or tab): the most frequent one in its first line."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


#: A line and its end as io.StringIO(newline="") splits them: \r\n, \r or \n.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def text_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their ends, split where io.StringIO(text, newline="") splits
    them (\r\n, \r, \n): what csv.reader reads. StringIO holds a copy of the text at 4 bytes
    per character (~140 MB for a 35 MB file); this yields slices, one at a time."""
    start, n = 0, len(text)
    while start < n:
        end = text.find("\n", start)
        end = n if end < 0 else end + 1
        line = text[start:end]
        if "\r" in line and not (line.endswith("\r\n") and "\r" not in line[:-2]):
            yield from (m.group() for m in _LINE.finditer(line))  # \r line ends: rare
        else:
            yield line
        start = end


def byte_lines(raw: bytes, start: int, encoding: str) -> Iterator[str]:
    """:func:`text_lines` of ``raw[start:].decode(encoding)``, decoding one line at a time, for
    UTF-8, cp1252 or latin-1 (a \r or \n byte is only ever that character in them): the
    decoded text of a whole file was held while it was imported (71 MB for a 36 MB file with a
    single non-Latin-1 letter, which makes Python keep 2 bytes a character)."""
    pos, n = start, len(raw)
    while pos < n:
        end = raw.find(b"\n", pos)
        end = n if end < 0 else end + 1
        yield from text_lines(raw[pos:end].decode(encoding))
        pos = end


@dataclass(frozen=True)
class CsvText:
    """The text of a CSV/TSV file: a str, or the file's bytes in an encoding byte_lines reads
    (decoded a line at a time, each time the rows are read)."""

    text: str | bytes
    start: int = 0  # bytes: after the BOM
    encoding: str = ""  # bytes: how to decode them

    def lines(self) -> Iterator[str]:
        """The lines with their ends, as io.StringIO(newline="") gives them."""
        if isinstance(self.text, str):
            return text_lines(self.text)
        return byte_lines(self.text, self.start, self.encoding)

    def first_line(self) -> str:
        """The first line without its \n (what the delimiter is sniffed from)."""
        if isinstance(self.text, str):
            newline = self.text.find("\n")
            return self.text if newline < 0 else self.text[:newline]
        newline = self.text.find(b"\n", self.start)
        return self.text[self.start : None if newline < 0 else newline].decode(self.encoding)


#: How much of a file is checked at once for valid UTF-8 (whole lines).
_UTF8_CHECK = 2**20


def utf8_text(raw: bytes) -> CsvText | None:
    """The bytes as UTF-8 CsvText (BOM skipped) if they are valid UTF-8 and not UTF-16 text,
    else None (then :func:`decode` reads them, and says why). Checked in pieces that end at a
    line end, so the whole decoded text is never held."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or _utf16_without_bom(raw):
        return None
    start = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    pos, n = start, len(raw)
    try:
        while pos < n:
            end = raw.find(b"\n", min(pos + _UTF8_CHECK, n))
            end = n if end < 0 else end + 1
            raw[pos:end].decode("utf-8")
            pos = end
    except UnicodeDecodeError:
        return None
    return CsvText(raw, start, "utf-8")


def _csv_records(text: str | CsvText) -> Iterator[list[str]]:
    src = text if isinstance(text, CsvText) else CsvText(text)
    return csv.reader(src.lines(), delimiter=sniff_delimiter(src.first_line()))


def norm_header(h: str) -> str:
    """A header cell as a column name: trimmed, unquoted, BOM removed, lower case."""
    return h.strip().lstrip("\ufeff").strip().strip('"').lower()


@dataclass
class Table:
    """A file read as a table: its display name, how it was decoded, header and rows."""

    name: str
    encoding: str
    warnings: list[str]
    header: list[str] | None
    #: (spreadsheet row number, fields) of every data row, in order. A list for .xlsx; for
    #: CSV/TSV a TextRows, parsed again from the text on each pass (iterate, never index).
    rows: Iterable[tuple[int, list[str]]]


class TextRows:
    """A CSV/TSV table's data rows, parsed from its text again on each pass.

    Importers read a table twice (dates and points first, then every row): holding every row
    as a list of cells cost ~170 MB for 10^5 ACLED rows, parsing the text again ~0.3 s."""

    def __init__(self, text: str | CsvText, skip: int, table: Table) -> None:
        self.text, self.skip, self.table = text, skip, table
        self._warned = False

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        row_no = 0
        try:
            for rec in _csv_records(self.text):
                row_no += 1
                if row_no > self.skip:
                    yield row_no, rec
        except csv.Error as exc:  # pragma: no cover - csv with newline="" hardly ever raises
            if not self._warned:
                self._warned = True
                msg = f"{self.table.name}: CSV parsing stopped after row {row_no}: {exc}"
                self.table.warnings.append(msg)

    def __bool__(self) -> bool:
        return next(iter(self), None) is not None


def read_table(
    src: PathOrFile,
    *,
    has_header: Callable[[list[str]], bool] = lambda r: True,
) -> Table:
    """A CSV/TSV (any of the encodings of :func:`decode`) or .xlsx file as header + rows."""
    raw, name = read_input(src)
    if isinstance(raw, bytes) and is_xlsx(raw):
        warnings: list[str] = []
        table = Table(name, "xlsx", warnings, None, [])
        records: Iterator[list[str]] = xlsx_records(raw, name, warnings)
    else:
        utf8 = utf8_text(raw) if isinstance(raw, bytes) else None
        if utf8 is not None:  # the common case: read from the bytes, never decoded whole
            text: str | CsvText = utf8
            enc, warnings = "utf-8", []
        else:
            text, enc, warnings = decode(raw, name)
        table = Table(name, enc, warnings, None, [])
        records = _csv_records(text)
    rows: list[tuple[int, list[str]]] = []
    row_no = 0
    try:
        first = next(records, None)
        if first is None:
            return table
        row_no = 1
        if has_header(first):
            table.header = [norm_header(h) for h in first]
        else:
            rows.append((1, first))
        if table.encoding != "xlsx":
            table.rows = TextRows(text, 1 if table.header is not None else 0, table)
            return table
        for rec in records:
            row_no += 1
            rows.append((row_no, rec))
    except csv.Error as exc:  # pragma: no cover - csv with newline="" hardly ever raises
        table.warnings.append(f"{name}: CSV parsing stopped after row {row_no}: {exc}")
    table.rows = rows
    return table


def table_records(
    table: Table, header: list[str], result: ImportResult
) -> Iterator[tuple[int, dict[str, str]]]:
    """Data rows as {column: value}; blank rows skipped, misaligned rows rejected."""
    width = len(header)
    unique = len(set(header)) == width  # else the first of two same-named columns wins
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
        if unique:
            yield row_no, dict(zip(header, fields, strict=False))
            continue
        rec: dict[str, str] = {}
        for h, v in zip(header, fields, strict=False):
            rec.setdefault(h, v)
        yield row_no, rec


def require_columns(header: list[str], required: tuple[str, ...], name: str, what: str) -> None:
    """ImportFormatError naming the missing columns when ``header`` lacks any of ``required``."""
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportFormatError(
            f"{name}: missing column(s) {', '.join(missing)} "
            f"for a {what} file (found: {', '.join(h for h in header if h) or 'none'})"
        )


def new_result(table: Table) -> ImportResult:
    """An empty ImportResult for ``table`` (its name, encoding and reading warnings)."""
    return ImportResult(file=table.name, encoding=table.encoding, warnings=table.warnings)
