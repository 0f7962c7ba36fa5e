"""Load the curated catalogue (events/data/*.yaml) into validated, located events.

Every problem is collected as a :class:`ValidationIssue` (file, entry, YAML line, id, field,
message) instead of being raised, so one bad entry never stops the rest from loading and
nothing is dropped without a word. ``python -m events validate`` prints the issues.

Loading is three steps: the files are read into entries with their YAML lines
(:mod:`events.entries`), each entry is checked against the schema and for duplicate ids and
keys (:func:`_check_files`), and each valid event is located (explicit lon/lat, else the
gazetteer) and its sources judged against the publisher register (:func:`_locate_entry`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from events.entries import Entry, Unbuildable, ValidationIssue, read_entries
from events.publishers import Register, load_register, source_issues
from events.schema import (
    REGION_BBOX,
    Event,
    GeoPrecision,
    ResolvedEvent,
    coarser,
    in_region,
)
from geo.areas import area_label, known_areas

__all__ = ["Catalogue", "ValidationIssue", "clear_cache", "default_paths", "load_catalogue"]

DATA_DIR = Path(__file__).resolve().parent / "data"

#: File name of the publisher register (events/publishers.py); never read as events.
REGISTER_NAME = "publishers.yaml"


class PlaceLike(Protocol):
    """What we need from geo.gazetteer.Place."""

    lon: float
    lat: float
    name: str


Geocoder = Callable[[str], PlaceLike]


@dataclass(frozen=True)
class Catalogue:
    """Result of loading: the valid events (sorted by date, id) and every issue found.

    ``placeless`` holds the valid events with ``location: {none: true}``: they have no point,
    so they are kept out of ``events`` (which the map draws) and listed here for the table and
    exports. ``parsed`` is every entry that passed the schema, with or without other issues
    (for ``validate --report``).
    """

    events: tuple[ResolvedEvent, ...]
    issues: tuple[ValidationIssue, ...]
    files: tuple[str, ...] = ()
    placeless: tuple[ResolvedEvent, ...] = ()
    parsed: tuple[Event, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no issue was found."""
        return not self.issues

    def __len__(self) -> int:
        return len(self.events)

    def by_id(self, event_id: str) -> ResolvedEvent | None:
        """The event with this id, or None."""
        for ev in self.events:
            if ev.id == event_id:
                return ev
        return None


# --------------------------------------------------------------------------------------------
# public entry point


def default_paths() -> list[Path]:
    """The shipped data files: events/data/*.yaml and *.yml, sorted by name (not the register)."""
    return _yaml_files(DATA_DIR)


def _yaml_files(directory: Path) -> list[Path]:
    """The *.yaml / *.yml event files of a folder, sorted, without the publisher register."""
    files = [*directory.glob("*.yaml"), *directory.glob("*.yml")]
    return sorted(p for p in files if p.name != REGISTER_NAME)


def load_catalogue(
    paths: Iterable[str | Path] | str | Path | None = None,
    *,
    geocoder: Geocoder | None = None,
    register: Register | str | Path | None = None,
) -> Catalogue:
    """Load and validate YAML event files (default: events/data/*.yaml).

    Directories in ``paths`` are expanded to their *.yaml files. ``geocoder`` replaces
    geo.gazetteer.geocode (tests use this). ``register`` is the publisher register the
    sources are checked against (events.publishers.source_issues): a Register or a path;
    None means the shipped register (events/data/publishers.yaml) when loading the shipped
    catalogue (no ``paths``), and no sourcing checks for other files. The register's own
    problems are issues too. The default load (no paths, no geocoder, no register) is cached
    on the files' mtimes, so calling it on every Streamlit rerun is cheap.
    """
    if paths is None and geocoder is None and register is None:
        return _load_default_cached(_files_key([*default_paths(), DATA_DIR / REGISTER_NAME]))
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files = default_paths() if paths is None else _expand(paths)
    if isinstance(register, (str, Path)):
        register = load_register(register)
    elif register is None and paths is None:
        register = load_register(DATA_DIR / REGISTER_NAME)
    return _load(files, geocoder, register)


def clear_cache() -> None:
    """Forget the cached default catalogue."""
    _load_default_cached.cache_clear()


# --------------------------------------------------------------------------------------------
# caching


def _files_key(files: Sequence[Path]) -> tuple[tuple[str, int, int], ...]:
    key = []
    for p in files:
        try:
            st = p.stat()
            key.append((str(p), st.st_mtime_ns, st.st_size))
        except OSError:
            key.append((str(p), -1, -1))
    return tuple(key)


@functools.lru_cache(maxsize=4)
def _load_default_cached(key: tuple[tuple[str, int, int], ...]) -> Catalogue:
    *files, reg = (Path(k[0]) for k in key)
    return _load(files, None, load_register(reg))


def _expand(paths: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.extend(_yaml_files(p))
        else:
            out.append(p)
    return out


# --------------------------------------------------------------------------------------------
# geocoding


def _gazetteer_geocoder() -> tuple[Geocoder | None, str | None]:
    """geo.gazetteer.geocode, or (None, reason) while the gazetteer is unavailable."""
    try:
        from geo.gazetteer import geocode
    except ImportError as exc:  # the gazetteer is being written in parallel
        return None, f"gazetteer unavailable ({exc})"
    return geocode, None


def _precision_of(place: Any) -> GeoPrecision | None:
    raw = getattr(place, "precision", None)
    raw = getattr(raw, "value", raw)
    try:
        return GeoPrecision(str(raw))
    except ValueError:
        return None


# --------------------------------------------------------------------------------------------
# checking entries


def _field_of(err: dict[str, Any]) -> tuple[str, tuple[str | int, ...]]:
    """A readable field path for one pydantic error, and its loc for line lookup."""
    loc = tuple(err.get("loc", ()))
    if not loc:  # model-level validator (Event._dates_sane)
        msg = str(err.get("msg", ""))
        field = "end_date" if "end_date" in msg else "date"
        return field, (field,)
    parts: list[str] = []
    for p in loc:
        if isinstance(p, int):
            parts[-1:] = [f"{parts[-1]}[{p}]"] if parts else [f"[{p}]"]
        else:
            parts.append(str(p))
    return ".".join(parts), loc


def _clean_msg(msg: str) -> str:
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            return msg[len(prefix) :]
    return msg


def _register_issues(register: Register) -> list[ValidationIssue]:
    out = []
    for ri in register.issues:
        msg = f"publisher {ri.name!r}: {ri.message}" if ri.name else ri.message
        out.append(ValidationIssue(ri.file, 0, ri.line, None, ri.field, msg, rule="register"))
    return out


def _str_or_none(v: Any) -> str | None:
    return v if isinstance(v, str) else None


def _entry_issue(
    entry: Entry, fname: str, field: str, msg: str, loc: Sequence[str | int] | None = None
) -> ValidationIssue:
    """An issue of one entry, on the line of ``loc`` (default: the field's own path)."""
    eid = entry.data.get("id") if isinstance(entry.data, dict) else None
    line = entry.line_of(loc if loc is not None else tuple(field.split(".")))
    rule = "incident_end_date" if msg.startswith("kind incident with") else None
    return ValidationIssue(
        fname, entry.index, line, _str_or_none(eid), field, msg, entry.line, rule
    )


def _check_entry(
    entry: Entry, fname: str, first_seen: dict[str, str], issues: list[ValidationIssue]
) -> tuple[Event | None, bool]:
    """Validate one entry: (the Event if it passed the schema, whether it may be used).

    A key given twice or an id already used makes the entry unusable even when it passes the
    schema; ids are checked across files even for entries that are otherwise invalid."""
    if isinstance(entry.data, Unbuildable):
        msg = f"cannot read entry: {entry.data.problem}"
        issues.append(
            ValidationIssue(
                fname, entry.index, entry.data.line, entry.raw_id(), "yaml", msg, entry.line
            )
        )
        return None, False
    if not isinstance(entry.data, dict):
        msg = f"expected a mapping of fields, got {type(entry.data).__name__}"
        issues.append(_entry_issue(entry, fname, "entry", msg, ()))
        return None, False
    usable = True
    for key, line in entry.duplicate_keys():
        usable = False
        msg = "key given twice in this entry (YAML keeps only the last)"
        eid = _str_or_none(entry.data.get("id"))
        issues.append(ValidationIssue(fname, entry.index, line, eid, key, msg, entry.line))
    eid = entry.data.get("id")
    if isinstance(eid, str):
        if eid in first_seen:
            msg = f"duplicate id {eid!r}: first defined at {first_seen[eid]}"
            issues.append(_entry_issue(entry, fname, "id", msg))
            usable = False
        else:
            first_seen[eid] = f"{fname}:{entry.line_of(('id',))}"
    try:
        event = Event.model_validate(entry.data)
    except ValidationError as exc:
        for err in exc.errors():
            field, loc = _field_of(err)
            issues.append(
                _entry_issue(entry, fname, field, _clean_msg(str(err.get("msg", ""))), loc)
            )
        return None, False
    return event, usable


def _check_files(
    files: Sequence[Path], issues: list[ValidationIssue]
) -> tuple[list[tuple[Entry, str, Event]], list[Event]]:
    """Read and validate every entry: (usable entries with their file and Event, every Event
    that passed the schema); the problems are appended to ``issues``."""
    usable: list[tuple[Entry, str, Event]] = []
    parsed: list[Event] = []
    first_seen: dict[str, str] = {}
    for path in files:
        fname = str(path)
        entries, file_issues = read_entries(path)
        issues.extend(file_issues)
        for entry in entries:
            event, ok = _check_entry(entry, fname, first_seen, issues)
            if event is not None:
                parsed.append(event)
                if ok:
                    usable.append((entry, fname, event))
    return usable, parsed


# --------------------------------------------------------------------------------------------
# loading


def _load(
    files: Sequence[Path], geocoder: Geocoder | None, register: Register | None = None
) -> Catalogue:
    issues: list[ValidationIssue] = [] if register is None else _register_issues(register)
    usable, parsed = _check_files(files, issues)
    locator = _Locator(*((geocoder, None) if geocoder is not None else _gazetteer_geocoder()))
    events: list[ResolvedEvent] = []
    placeless: list[ResolvedEvent] = []
    for entry, fname, event in usable:
        ev = _locate_entry(entry, fname, event, locator, register, issues)
        if ev is not None:
            (placeless if event.location.none else events).append(ev)
    events.sort(key=lambda e: (e.date, e.id))
    placeless.sort(key=lambda e: (e.date, e.id))
    issues.sort(key=lambda i: (i.file, i.line, i.entry_index))
    return Catalogue(
        tuple(events),
        tuple(issues),
        tuple(str(f) for f in files),
        placeless=tuple(placeless),
        parsed=tuple(parsed),
    )


def _locate_entry(
    entry: Entry,
    fname: str,
    event: Event,
    locator: _Locator,
    register: Register | None,
    issues: list[ValidationIssue],
) -> ResolvedEvent | None:
    """The located event of one valid entry, or None when it has a location or sourcing
    problem (each appended to ``issues``)."""
    resolved, problems = locator.resolve(event)
    for field, msg in problems:
        line = entry.line_of(tuple(field.split(".")))
        issues.append(ValidationIssue(fname, entry.index, line, event.id, field, msg, entry.line))
    if register is not None:
        for field, loc, msg, rule in source_issues(event, register):
            problems.append((field, msg))
            issues.append(
                ValidationIssue(
                    fname, entry.index, entry.line_of(loc), event.id, field, msg, entry.line, rule
                )
            )
    if resolved is None or problems:
        return None
    lon, lat, precision, place, place_hy, place_az, aliases = resolved
    return ResolvedEvent(
        event=event,
        lon=lon,
        lat=lat,
        geo_precision=precision,
        place=place,
        place_hy=place_hy,
        place_az=place_az,
        origin=f"{fname}:{entry.line}",
        aliases=aliases,
    )


# --------------------------------------------------------------------------------------------
# locating

_Resolved = tuple[float, float, GeoPrecision, str | None, str | None, str | None, tuple[str, ...]]
_Names = tuple[str | None, str | None, str | None, tuple[str, ...]]


class _Locator:
    """Locates events through one geocoder, asking it once per place name."""

    def __init__(self, geocode_fn: Geocoder | None, gaz_problem: str | None) -> None:
        self.geocode_fn = geocode_fn
        self.gaz_problem = gaz_problem
        self.cache: dict[str, tuple[Any, str | None]] = {}

    def geocode(self, place: str) -> tuple[Any, str | None]:
        """(the gazetteer's place, None) or (None, why not)."""
        if self.geocode_fn is None:
            return None, self.gaz_problem or "no gazetteer"
        if place not in self.cache:
            try:
                self.cache[place] = (self.geocode_fn(place), None)
            except LookupError as exc:  # GeocodeError subclasses LookupError
                self.cache[place] = (None, str(exc).strip("'\"") or f"unknown place {place!r}")
        return self.cache[place]

    def resolve(self, event: Event) -> tuple[_Resolved | None, list[tuple[str, str]]]:
        """Locate one event: explicit lon/lat wins, else the gazetteer. Returns
        (lon, lat, precision, names... or None, [(field, problem)])."""
        loc = event.location
        place_obj, place_error = self.geocode(loc.place) if loc.place else (None, None)
        problems = _related_area_problems(event)
        precision = event.geo_precision
        if loc.none:  # no place on the map: kept for the table and exports, lon/lat NaN
            return (math.nan, math.nan, precision, None, None, None, ()), problems
        names = _names(loc.place, place_obj)
        if loc.lon is not None and loc.lat is not None:
            lon, lat = float(loc.lon), float(loc.lat)
            problems += _explicit_point_problems(lon, lat)
            # A place that does not resolve is only a label when lon/lat is explicit: no issue.
            return (lon, lat, precision, *names), problems
        if place_error is not None or place_obj is None:
            problems.append(("location.place", place_error or f"unknown place {loc.place!r}"))
            return None, problems
        lon, lat = float(place_obj.lon), float(place_obj.lat)
        gp = _precision_of(place_obj)
        if gp is not None:
            precision = coarser(precision, gp)
        if not in_region(lon, lat) and precision is not GeoPrecision.exact:
            problems.append(
                (
                    "geo_precision",
                    f"place {loc.place!r} lies outside the region box; events outside the "
                    "region (e.g. a signing in Moscow) must have geo_precision: exact "
                    f"(got {precision.value})",
                )
            )
        return (lon, lat, precision, *names), problems


def _related_area_problems(event: Event) -> list[tuple[str, str]]:
    """An unknown ``related_area`` id, with the closest known ones."""
    if not event.related_area or area_label(event.related_area) is not None:
        return []
    from rapidfuzz import process

    close = [c for c, _s, _i in process.extract(event.related_area, list(known_areas()), limit=3)]
    return [
        ("related_area", f"unknown area id {event.related_area!r}; closest: {', '.join(close)}")
    ]


def _names(place: str | None, place_obj: Any) -> _Names:
    """(name, Armenian name, Azerbaijani name, aliases): the gazetteer's when the place
    resolved (the name as written kept among the aliases), else the name as written."""
    if place_obj is None:
        return place, None, None, ()
    aliases = tuple(str(a) for a in getattr(place_obj, "aliases", ()) or ())
    if place and place not in aliases:
        aliases = (place, *aliases)
    return (
        getattr(place_obj, "name", None) or place,
        getattr(place_obj, "name_hy", None),
        getattr(place_obj, "name_az", None),
        aliases,
    )


def _explicit_point_problems(lon: float, lat: float) -> list[tuple[str, str]]:
    """A curated lon/lat must lie in the region box (a city outside it goes by place name)."""
    if in_region(lon, lat):
        return []
    hint = " (lon and lat look swapped)" if in_region(lat, lon) else ""
    return [
        (
            "location",
            f"lon/lat ({lon}, {lat}) is outside the region box {REGION_BBOX}{hint}; "
            "for an event in a city outside the region give only location.place "
            "(resolved through the gazetteer) with geo_precision: exact",
        )
    ]
