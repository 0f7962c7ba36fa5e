"""Command line: ``python -m events validate|list|import ...`` (see events/data/README.md).

Exit codes: 0 success; 1 ``validate`` found issues (or ``import --strict`` rejected rows);
2 bad arguments or a file that cannot be imported at all.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from events.catalogue import load_catalogue
from events.io import IMPORTERS, ImportFormatError, export
from events.publishers import OTHER_RULES, RULES, load_register, sourcing_report
from events.query import filter_events, in_force
from events.schema import EventType, GeoPrecision

FORMATS = ("table", "csv", "geojson", "kml")

# ANSI/VT escape sequences (CSI ... final byte, OSC ... BEL/ST, other ESC x), C0 and C1
# control characters, and the Unicode bidi controls that reorder what a terminal shows.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, screen clears
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles, hyperlinks
    r"|\x1b[@-Z\\-_]"  # other 2-byte escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: object, *, keep_newlines: bool = False) -> str:
    """Text from a file made safe to print: escape sequences and control characters removed.

    A CSV header, cell or file name could otherwise recolour or clear the terminal, rewrite
    the window title, or (with bidi overrides) make a line read differently than it is.
    Tabs stay; line breaks stay only with ``keep_newlines`` (else they become spaces).
    """
    s = _ESCAPES.sub("", str(text)).replace("\r\n", "\n")
    if not keep_newlines:
        s = s.replace("\n", " ")
    return _CONTROLS.sub("", s)


def _say(text: object) -> None:
    """One line to stderr, cleaned (messages quote header names, cells and file names)."""
    print(clean(text), file=sys.stderr)


def _write(text: str, fmt: str) -> None:
    """Export text to stdout: cleaned for a terminal (the table always; CSV/GeoJSON/KML when
    stdout is a terminal, since redirected to a file they must stay byte-exact data)."""
    if fmt == "table" or sys.stdout.isatty():
        text = clean(text, keep_newlines=True)
    sys.stdout.write(text)


def _date(s: str) -> dt.date:
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {s!r}") from None


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m events", description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)

    v = sub.add_parser("validate", help="check catalogue YAML files; exit 1 on any issue")
    v.add_argument("paths", nargs="*", help="YAML files or folders (default: events/data)")
    v.add_argument(
        "--register",
        help="publisher register to check sources against (default: events/data/publishers.yaml)",
    )
    v.add_argument(
        "--report", action="store_true", help="also print the sourcing shares (per kind)"
    )

    ls = sub.add_parser("list", help="print catalogue events matching filters")
    ls.add_argument("--from", dest="start", type=_date, help="first day (YYYY-MM-DD)")
    ls.add_argument("--to", dest="end", type=_date, help="last day (YYYY-MM-DD)")
    ls.add_argument("--in-force", type=_date, metavar="DAY", help="only things in force on DAY")
    ls.add_argument("--type", dest="types", action="append", choices=[t.value for t in EventType])
    ls.add_argument("--actor", dest="actors", action="append")
    ls.add_argument("--text", help="words to find in title, summary, actors, place")
    ls.add_argument(
        "--precision", dest="precisions", action="append", choices=[g.value for g in GeoPrecision]
    )
    ls.add_argument("--exact-only", action="store_true")
    ls.add_argument("--format", choices=FORMATS, default="table")
    ls.add_argument("paths", nargs="*", help="YAML files or folders (default: events/data)")

    im = sub.add_parser(
        "import", help="read an ACLED / UCDP GED / CSV / GeoJSON file (CSV, TSV or .xlsx)"
    )
    im.add_argument("kind", choices=sorted(IMPORTERS))
    im.add_argument("file")
    im.add_argument("--format", choices=FORMATS, default="table")
    im.add_argument("--strict", action="store_true", help="exit 1 if any row was rejected")
    return p


def _validate(paths: Sequence[str], register_path: str | None = None, report: bool = False) -> int:
    register = load_register(register_path)
    cat = load_catalogue(paths or None, register=register)
    for issue in cat.issues:
        print(clean(issue))
    rules = Counter(i.rule for i in cat.issues if i.rule)
    for rule, n in sorted(rules.items(), key=lambda kv: (-kv[1], kv[0])):
        per_file = Counter(Path(i.file).name for i in cat.issues if i.rule == rule)
        where = ", ".join(f"{f} {k}" for f, k in sorted(per_file.items()))
        what = RULES.get(rule) or OTHER_RULES.get(rule, rule)
        print(clean(f"  {n} x {rule}: {what} ({where})"))
    if report:
        print(sourcing_report(cat.parsed, register), end="")
    files = {i.file for i in cat.issues}
    print(
        f"{len(cat.events) + len(cat.placeless)} valid event(s) in {len(cat.files)} file(s); "
        f"{len(cat.issues)} issue(s) in {len(files)} file(s)"
    )
    return 1 if cat.issues else 0


def _list(args: argparse.Namespace) -> int:
    cat = load_catalogue(args.paths or None)
    if cat.issues:
        print(
            f"note: {len(cat.issues)} catalogue issue(s); entries with issues are not listed "
            "(run: python -m events validate)",
            file=sys.stderr,
        )
    events = list(cat.events)
    if args.in_force:
        events = in_force(events, args.in_force)
    events = filter_events(
        events,
        start=args.start,
        end=args.end,
        types=args.types,
        actors=args.actors,
        text=args.text,
        precisions=args.precisions,
        exact_only=args.exact_only,
    )
    _write(export(events, args.format), args.format)
    print(f"{len(events)} event(s)", file=sys.stderr)
    return 0


def _import(args: argparse.Namespace) -> int:
    try:
        result = IMPORTERS[args.kind](args.file)
    except (ImportFormatError, OSError) as exc:
        _say(f"error: {exc}")
        return 2
    for w in result.warnings:
        _say(f"warning: {w}")
    for r in result.rejected:
        _say(f"rejected: {r}")
    _write(export(result.events, args.format), args.format)
    _say(
        f"{len(result.events)} imported, {len(result.rejected)} rejected "
        f"({result.file}, read as {result.encoding})"
    )
    return 1 if args.strict and result.rejected else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    args = _parser().parse_args(argv)
    if args.cmd == "validate":
        return _validate(args.paths, args.register, args.report)
    if args.cmd == "list":
        return _list(args)
    return _import(args)


if __name__ == "__main__":
    sys.exit(main())
