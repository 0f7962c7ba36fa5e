"""Import our own CSV and GeoJSON (as :mod:`events.io.export` writes them, or made by hand).

Rows without lon/lat are located through the gazetteer by their place name. In GeoJSON the
"row" of a rejection is the 1-based position of the feature in ``features``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any
from urllib.parse import urlparse

from events.io.coords import PointContext, check_coordinates, context_of, parse_float
from events.io.reading import (
    PathOrFile,
    decode,
    new_result,
    read_input,
    read_table,
    require_columns,
    table_records,
)
from events.io.result import ImportFormatError, ImportResult, RowError
from events.io.rows import build_event, import_rows, split_actors, table_context
from events.schema import GeoPrecision, ResolvedEvent

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
        raise RowError(fld, "no source given")
    if s.startswith("["):
        try:
            parsed = json.loads(s)
        except json.JSONDecodeError as exc:
            raise RowError(fld, f"sources is not valid JSON: {exc.msg}") from None
        except (ValueError, RecursionError):  # nested too deep, or a number too long
            raise RowError(fld, "sources is not readable JSON (too deep or too long)") from None
        if not isinstance(parsed, list):
            raise RowError(fld, "sources must be a JSON list")
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
    return split_actors(s)


Geocoder = Callable[[str], Any]
#: Longest place name looked up in the gazetteer (longer names are rejected, not searched).
MAX_PLACE_CHARS = 200


def _blank(v: Any) -> bool:
    """True for a missing value: None, or text of blanks only."""
    return v is None or (isinstance(v, str) and not v.strip())


def _locate(
    place: str | None,
    lon_v: Any,
    lat_v: Any,
    geocoder: Geocoder | None,
    row: int = 0,
    ctx: PointContext | None = None,
) -> tuple[float, float, Any]:
    """lon/lat from the record, else from the gazetteer via the place name."""
    if place is not None and not isinstance(place, str):
        raise RowError("place", f"must be text, got {type(place).__name__}")
    if not _blank(lon_v) or not _blank(lat_v):
        try:
            lon = (
                parse_float(str(lon_v), "lon")
                if not isinstance(lon_v, (int, float))
                else float(lon_v)
            )
            lat = (
                parse_float(str(lat_v), "lat")
                if not isinstance(lat_v, (int, float))
                else float(lat_v)
            )
        except OverflowError:  # a JSON integer with hundreds of digits
            raise RowError("lon/lat", "not finite numbers") from None
        if (
            isinstance(lon_v, bool)
            or isinstance(lat_v, bool)
            or not (math.isfinite(lon) and math.isfinite(lat))
        ):
            raise RowError("lon/lat", "not finite numbers")
        check_coordinates(lon, lat, "lon", "lat", row=row, ctx=ctx)
        return lon, lat, None
    if not place:
        raise RowError("lon/lat", "no coordinates and no place name")
    if len(place) > MAX_PLACE_CHARS:  # bounds gazetteer work and its cache
        raise RowError("place", f"place name longer than {MAX_PLACE_CHARS} characters")
    if geocoder is None:
        try:
            from geo.gazetteer import geocode as geocoder
        except ImportError:
            raise RowError("lon/lat", "no coordinates, and the gazetteer is unavailable") from None
    try:
        p = geocoder(place)
    except LookupError as exc:
        raise RowError("place", str(exc).strip("'\"")) from None
    return float(p.lon), float(p.lat), p


def _opt_text(opt: Callable[[str], Any], key: str) -> str | None:
    v = opt(key)
    if v is not None and not isinstance(v, str):
        raise RowError(key, f"must be text, got {type(v).__name__}")
    return v


def _record_to_event(
    rec: Mapping[str, Any],
    name: str,
    row: int,
    geocoder: Geocoder | None,
    ctx: PointContext | None = None,
) -> ResolvedEvent:
    g = rec.get

    def opt(k: str) -> Any:
        v = g(k)
        return None if _blank(v) else v

    place = opt("place")
    no_place = str(opt("no_place") or "").strip().lower() in ("true", "1", "yes")
    if no_place:  # an event with no place on the map (location: {none: true})
        lon, lat, p = math.nan, math.nan, None
    else:
        lon, lat, p = _locate(place, g("lon"), g("lat"), geocoder, row, ctx)
    try:
        gp = GeoPrecision(str(g("geo_precision") or "").strip())
    except ValueError:
        raise RowError(
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
    event = build_event(data, {"location": "lon/lat"})
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
    """Import our own CSV (as written by :func:`events.io.export.to_csv`).

    Also reads hand-made CSVs with at least the columns in :data:`CSV_REQUIRED`; ``sources``
    may then be plain URLs; rows without lon/lat are located through the gazetteer by place.
    """
    table = read_table(path)
    result = new_result(table)
    if table.header is None:
        result.warnings.append(f"{table.name}: file is empty")
        return result
    require_columns(table.header, CSV_REQUIRED, table.name, "karabakh-map events CSV")
    points = table_context(table, table.header, (), "lon", "lat").points

    def make(rec: dict[str, str], row: int) -> ResolvedEvent:
        clean = {k: (csv_unguard(v) if k in CSV_TEXT_COLUMNS else v) for k, v in rec.items()}
        return _record_to_event(clean, table.name, row, geocoder, points)

    import_rows(table_records(table, table.header, result), result, make, "id")
    return result


def _features(path: PathOrFile) -> tuple[ImportResult, list[Any]]:
    """The result to fill and the ``features`` of a GeoJSON file (ImportFormatError if the
    file is not JSON, or not a FeatureCollection or Feature)."""
    raw, name = read_input(path)
    text, enc, warnings = decode(raw, name)
    result = ImportResult(file=name, encoding=enc, warnings=warnings)
    if not text.strip():
        result.warnings.append(f"{name}: file is empty")
        return result, []
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
    return result, features


def _feature_points(features: list[Any]) -> PointContext:
    """The PointContext of every feature with a readable Point."""
    return context_of(
        (i, f["geometry"]["coordinates"][0], f["geometry"]["coordinates"][1])
        for i, f in enumerate(features, start=1)
        if isinstance(f, dict)
        and isinstance(f.get("geometry"), dict)
        and f["geometry"].get("type") == "Point"
        and isinstance(f["geometry"].get("coordinates"), list)
        and len(f["geometry"]["coordinates"]) >= 2
    )


def _feature_record(feat: Any) -> dict[str, Any]:
    """A feature's properties with its point as lon/lat and its id (RowError if malformed)."""
    if not isinstance(feat, dict) or feat.get("type") != "Feature":
        raise RowError("feature", "not a GeoJSON Feature")
    props = feat.get("properties") or {}
    if not isinstance(props, dict):
        raise RowError("properties", "must be an object")
    rec = dict(props)
    geom = feat.get("geometry")
    if geom is not None:
        if not isinstance(geom, dict) or geom.get("type") != "Point":
            raise RowError("geometry", "must be a Point (or null with a place name)")
        coords = geom.get("coordinates")
        if (
            not isinstance(coords, list)
            or len(coords) < 2
            or not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in coords[:2])
        ):
            raise RowError("geometry", "coordinates must be [lon, lat] numbers")
        rec["lon"], rec["lat"] = coords[0], coords[1]
    else:
        rec.pop("lon", None)
        rec.pop("lat", None)
    if rec.get("id") is None and feat.get("id") is not None:
        rec["id"] = feat["id"]
    return rec


def _counted(items: list[Any], result: ImportResult) -> Iterator[tuple[int, Any]]:
    """(1-based position, item), counting each in ``result.rows``."""
    for i, item in enumerate(items, start=1):
        result.rows += 1
        yield i, item


def import_geojson(path: PathOrFile, *, geocoder: Geocoder | None = None) -> ImportResult:
    """Import a GeoJSON FeatureCollection of Point features (as written by to_geojson).

    The "row" of a rejection is the 1-based index of the feature in ``features``.
    """
    result, features = _features(path)
    points = _feature_points(features)

    def make(feat: Any, row: int) -> ResolvedEvent:
        return _record_to_event(_feature_record(feat), result.file, row, geocoder, points)

    import_rows(_counted(features, result), result, make, "id")
    return result
