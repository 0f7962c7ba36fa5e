"""``python -m geo.control``: who held a place on a date, km2 per side, the day's GeoJSON.

``--date 2020-11-01 --point 46.75 39.76`` prints ``armenian``, ``azerbaijani`` or ``none``;
``--json`` prints the period in force with its sources; ``--areas`` prints km2 held by each side
(equal-area projection); ``--geojson`` prints that day's control periods and zones as one
FeatureCollection. Bad input exits with status 2 and a message naming the parameter.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from geo.control.model import MODEL_START
from geo.control.timeline import areas_km2, controller_at, day_geojson, period_at


def _parse_date(text: str) -> dt.date:
    try:
        d = dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc
    if d < MODEL_START:
        raise argparse.ArgumentTypeError(f"{d} is before the start of the model ({MODEL_START})")
    return d


def build_parser() -> argparse.ArgumentParser:
    """Argument parser of ``python -m geo.control``."""
    ap = argparse.ArgumentParser(
        prog="python -m geo.control", description="Who held a place on a date (1991 to today)."
    )
    ap.add_argument("--date", required=True, type=_parse_date, help="day, YYYY-MM-DD")
    what = ap.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--point", nargs=2, type=float, metavar=("LON", "LAT"), help="lon lat in degrees"
    )
    what.add_argument("--areas", action="store_true", help="km2 held by each side")
    what.add_argument(
        "--geojson",
        action="store_true",
        help="print that day's control periods and zones as one GeoJSON FeatureCollection",
    )
    ap.add_argument("--json", action="store_true", help="print JSON (period and sources)")
    return ap


def _point(ap: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    lon, lat = args.point
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        ap.error(f"point out of range: lon {lon}, lat {lat} (give LON LAT in degrees)")
    if args.json:
        p = period_at(lon, lat, args.date)
        out = p.properties() if p else {"controller": "none", "date": args.date.isoformat()}
        print(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        print(controller_at(lon, lat, args.date))


def main(argv: list[str] | None = None) -> int:
    """CLI entry point; returns the exit code (2 on bad input)."""
    ap = build_parser()
    args = ap.parse_args(argv)
    if args.point:
        _point(ap, args)
        return 0
    if args.geojson:
        print(json.dumps(day_geojson(args.date), ensure_ascii=False))
        return 0
    areas = areas_km2(args.date)
    if args.json:
        print(json.dumps({"date": args.date.isoformat(), "km2": areas}))
    else:
        for k, v in areas.items():
            print(f"{k}\t{v:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
