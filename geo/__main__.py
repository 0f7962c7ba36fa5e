"""``python -m geo export --format gpkg|geojson|kml [--date D] -o PATH``: the geodata as files.

Layers: control_periods, zones, events, places, nkao, districts, enclaves (see
docs/geodata-export.md). This is the one module of geo/ that imports events (documented
exception to the layering geo <- events): it composes the events layer from the shipped
catalogue and hands it to :func:`geo.export.write` as an extra frame.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

import geopandas as gpd

from geo import export, frames

EPILOG = """\
With --date D only the situation of that day is written: control periods and zones in force on
D (valid_from <= D <= valid_to, or no valid_to), and the events whose date span covers D (an
incident on its date; an event with an end_date from date to end_date; a situation without
end_date from its date on); the events layer carries these spans as valid_from / valid_to
next to date / end_date. places, nkao, districts and enclaves are timeless and written
whole. Before 1991 (Soviet period) no held areas are modelled: control_periods is empty.

Formats: gpkg writes one GeoPackage file at -o (valid_from/valid_to are DateTime fields for
QGIS's Temporal Controller); geojson writes one <layer>.geojson per layer into the directory
-o (created if missing); kml writes one file with a folder per layer. Exit status 2 on bad
input (unknown format, bad date, unwritable path)."""


#: Provenance and licence of the events layer (as the events exporters state it).
EVENTS_NOTE = {
    "events": "karabakh-map event catalogue (events/data), CC BY 4.0; every row lists its "
    "sources. Locations and dates carry stated precision (geo_precision, date_precision)."
}


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def build_parser() -> argparse.ArgumentParser:
    """Argument parser of ``python -m geo``."""
    ap = argparse.ArgumentParser(prog="python -m geo", description="karabakh-map geodata.")
    sub = ap.add_subparsers(dest="command", required=True)
    ex = sub.add_parser(
        "export",
        help="write control periods, zones, events, places and boundaries as files",
        description="Write the geodata layers as GeoPackage, GeoJSON or KML.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ex.add_argument("--format", required=True, choices=export.FORMATS, help="file format")
    ex.add_argument("--date", type=_parse_date, help="only the situation of this day, YYYY-MM-DD")
    ex.add_argument("-o", "--output", required=True, help="output file (directory for geojson)")
    ex.add_argument(
        "--layers",
        nargs="+",
        metavar="LAYER",
        help="only these layers (default: all; events included)",
    )
    return ap


def with_validity(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Events with ``valid_from`` / ``valid_to`` (the days each is shown on, inclusive): an
    incident its date, an event with an end_date date to end_date, a situation without
    end_date from its date on (null valid_to). The same fields as control_periods and zones,
    so one Temporal Controller setting in QGIS serves every layer."""
    out = gdf.copy()
    out["valid_from"] = out["date"]
    keep_open = out["end_date"].notna() | (out["kind"] == "situation")
    out["valid_to"] = out["end_date"].where(keep_open, out["date"])
    return out


def events_frame() -> gpd.GeoDataFrame:
    """Every valid event of the shipped catalogue (with and without a place) as a frame,
    with valid_from / valid_to (:func:`with_validity`)."""
    from events import load_catalogue
    from events.frame import to_geodataframe

    cat = load_catalogue()
    return with_validity(to_geodataframe([*cat.events, *cat.placeless]))


def events_on(gdf: gpd.GeoDataFrame, day: dt.date) -> gpd.GeoDataFrame:
    """Events whose date span covers ``day`` (see EPILOG)."""
    return frames.in_force(with_validity(gdf), day)


def main(argv: list[str] | None = None) -> int:
    """CLI entry point; returns the exit code (2 on bad input)."""
    ap = build_parser()
    args = ap.parse_args(argv)
    wanted = args.layers
    extra = {}
    if wanted is None or "events" in wanted:
        extra["events"] = events_frame()  # filtered to --date by export.write (valid_from/to)
    if wanted is None:
        wanted = [*frames.FRAME_NAMES[:2], "events", *frames.FRAME_NAMES[2:]]
    try:
        written = export.write(
            args.output, args.format, args.date, wanted, extra, notes=EVENTS_NOTE
        )
    except export.ExportError as exc:
        ap.error(str(exc))
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
