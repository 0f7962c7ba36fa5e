"""Load the curated catalogue (events/data/*.yaml) into validated, located events.

Every problem is collected as a :class:`ValidationIssue` (file, entry, YAML line, id, field,
message) instead of being raised, so one bad entry never stops the rest from loading and
nothing is dropped without a word. ``python -m events validate`` prints the issues.

A data file is either a YAML list of entries, or a mapping ``{schema_version: 1, events: [...]}``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import yaml
from pydantic import ValidationError

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

# libyaml's parser is ~20x faster and keeps node marks (line numbers) too.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader whose impossible dates (2020-13-45) stay strings, for pydantic to report."""


def _lenient_timestamp(loader: Any, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return node.value


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _lenient_timestamp)

DATA_DIR = Path(__file__).resolve().parent / "data"

#: File name of the publisher register (events/publishers.py); never read as events.
REGISTER_NAME = "publishers.yaml"

#: Highest catalogue schema version this code reads (see events/data/README.md).
SCHEMA_VERSION = 1


class PlaceLike(Protocol):
    """What we need from geo.gazetteer.Place."""

    lon: float
    lat: float
    name: str


Geocoder = Callable[[str], PlaceLike]


@dataclass(frozen=True)
class ValidationIssue:
    """One problem found in a data file.

    ``line`` is the 1-based YAML line of the offending field when it can be located, else of
    the entry (``entry_line``); ``entry_index`` is the 1-based position of the entry in its
    file (0 for file-level problems such as a YAML syntax error).
    """

    file: str
    entry_index: int
    line: int
    event_id: str | None
    field: str
    message: str
    entry_line: int | None = None
    #: the sourcing rule broken (events.publishers.RULES key), None for schema/location issues
    rule: str | None = None

    def __str__(self) -> str:
        """``FILE:LINE: entry N (id X): field: message``; file-level issues omit the entry."""
        head = f"{self.file}:{self.line}: "
        if self.entry_index:
            head += f"entry {self.entry_index} (id {self.event_id or '?'}): "
        return f"{head}{self.field}: {self.message}"


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
# YAML with line numbers


class _Entry:
    """One raw entry plus its YAML node (for line numbers)."""

    def __init__(self, index: int, data: Any, node: yaml.Node | None) -> None:
        self.index = index
        self.data = data
        self.node = node

    @property
    def line(self) -> int:
        return self.node.start_mark.line + 1 if self.node is not None else 1

    def line_of(self, loc: Sequence[str | int]) -> int:
        """Line of the value at ``loc`` (e.g. ("sources", 0, "url")), or the deepest found."""
        node = self.node
        line = self.line
        for part in loc:
            child = None
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == part:
                        child = v
                        line = k.start_mark.line + 1
                        break
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(part, int)
                and 0 <= part < len(node.value)
            ):
                child = node.value[part]
                line = child.start_mark.line + 1
            if child is None:
                break
            node = child
        return line

    def raw_id(self) -> str | None:
        """The id scalar as written (for entries that could not be constructed)."""
        if isinstance(self.node, yaml.MappingNode):
            for k, v in self.node.value:
                if (
                    isinstance(k, yaml.ScalarNode)
                    and k.value == "id"
                    and isinstance(v, yaml.ScalarNode)
                ):
                    return v.value
        return None

    def duplicate_keys(self) -> list[tuple[str, int]]:
        """Keys given twice in the entry's top-level mapping (YAML keeps only the last)."""
        if not isinstance(self.node, yaml.MappingNode):
            return []
        seen: set[str] = set()
        dups = []
        for k, _ in self.node.value:
            if isinstance(k, yaml.ScalarNode):
                if k.value in seen:
                    dups.append((k.value, k.start_mark.line + 1))
                seen.add(k.value)
        return dups


def _yaml_error(exc: Exception) -> tuple[int | None, str]:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    return (mark.line + 1 if mark is not None else None), problem


def _construct(loader: Any, node: yaml.Node) -> Any:
    return loader.construct_object(node, deep=True)


def _read_entries(path: Path) -> tuple[list[_Entry], list[ValidationIssue]]:
    """Parse one file into entries; file-level problems become issues.

    Entries are constructed one by one, so a value YAML cannot build (e.g. ``date:
    2020-13-45``) spoils only its own entry.
    """
    fname = str(path)

    def file_issue(line: int, field: str, msg: str) -> ValidationIssue:
        return ValidationIssue(fname, 0, line, None, field, msg)

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [file_issue(1, "file", f"cannot read: {exc}")]
    loader = _Loader(text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.YAMLError as exc:
            line, problem = _yaml_error(exc)
            return [], [file_issue(line or 1, "yaml", f"YAML syntax error: {problem}")]
        if root is None:
            return [], []  # an empty file holds no events; not an error
        issues: list[ValidationIssue] = []
        items_node: yaml.Node | None
        if isinstance(root, yaml.MappingNode):
            items_node = None
            for k, v in root.value:
                key = k.value if isinstance(k, yaml.ScalarNode) else None
                kline = k.start_mark.line + 1
                if key == "events":
                    items_node = v
                elif key == "schema_version":
                    try:
                        version = _construct(loader, v)
                    except (yaml.YAMLError, ValueError, TypeError):
                        version = v.value
                    if not isinstance(version, int) or not 1 <= version <= SCHEMA_VERSION:
                        msg = f"unsupported schema_version {version!r} (reads 1..{SCHEMA_VERSION})"
                        return [], [file_issue(kline, "schema_version", msg)]
                else:
                    issues.append(file_issue(kline, "file", f"unknown top-level key {key!r}"))
            if items_node is None or (
                isinstance(items_node, yaml.ScalarNode) and items_node.value in ("", "~", "null")
            ):
                return [], issues
            if not isinstance(items_node, yaml.SequenceNode):
                line = items_node.start_mark.line + 1
                return [], [*issues, file_issue(line, "events", "'events' must be a list")]
        elif isinstance(root, yaml.SequenceNode):
            items_node = root
        else:
            msg = "expected a list of events (or a mapping with 'events:')"
            return [], [file_issue(root.start_mark.line + 1, "file", msg)]

        entries: list[_Entry] = []
        for i, node in enumerate(items_node.value, start=1):
            try:
                data = _construct(loader, node)
            except (yaml.YAMLError, ValueError, TypeError) as exc:
                line, problem = _yaml_error(exc)
                data = _Unbuildable(line or node.start_mark.line + 1, str(problem))
            entries.append(_Entry(i, data, node))
        return entries, issues
    finally:
        loader.dispose()


@dataclass(frozen=True)
class _Unbuildable:
    """An entry YAML could not construct (bad timestamp, bad tag...)."""

    line: int
    problem: str


# --------------------------------------------------------------------------------------------
# validation


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


def _load(
    files: Sequence[Path], geocoder: Geocoder | None, register: Register | None = None
) -> Catalogue:
    issues: list[ValidationIssue] = [] if register is None else _register_issues(register)
    candidates: list[tuple[_Entry, str, Event]] = []
    parsed: list[Event] = []
    first_seen: dict[str, str] = {}
    geocode_fn: Geocoder | None = geocoder
    gaz_problem: str | None = None
    if geocode_fn is None:
        geocode_fn, gaz_problem = _gazetteer_geocoder()
    geocode_cache: dict[str, Any] = {}

    for path in files:
        fname = str(path)
        entries, file_issues = _read_entries(path)
        issues.extend(file_issues)
        for entry in entries:

            def issue(
                field: str, msg: str, loc: Sequence[str | int] | None = None, *, _e=entry, _f=fname
            ) -> None:
                eid = _e.data.get("id") if isinstance(_e.data, dict) else None
                line = _e.line_of(loc if loc is not None else tuple(field.split(".")))
                issues.append(
                    ValidationIssue(
                        _f,
                        _e.index,
                        line,
                        eid if isinstance(eid, str) else None,
                        field,
                        msg,
                        _e.line,
                        "incident_end_date" if msg.startswith("kind incident with") else None,
                    )
                )

            if isinstance(entry.data, _Unbuildable):
                issues.append(
                    ValidationIssue(
                        fname,
                        entry.index,
                        entry.data.line,
                        entry.raw_id(),
                        "yaml",
                        f"cannot read entry: {entry.data.problem}",
                        entry.line,
                    )
                )
                continue
            if not isinstance(entry.data, dict):
                issue("entry", f"expected a mapping of fields, got {type(entry.data).__name__}", ())
                continue
            rejected = False
            for key, line in entry.duplicate_keys():
                rejected = True
                issues.append(
                    ValidationIssue(
                        fname,
                        entry.index,
                        line,
                        _str_or_none(entry.data.get("id")),
                        key,
                        "key given twice in this entry (YAML keeps only the last)",
                        entry.line,
                    )
                )
            # ids unique across files (checked even when the entry is otherwise invalid)
            eid = entry.data.get("id")
            if isinstance(eid, str):
                where = f"{fname}:{entry.line_of(('id',))}"
                if eid in first_seen:
                    issue("id", f"duplicate id {eid!r}: first defined at {first_seen[eid]}")
                    rejected = True
                else:
                    first_seen[eid] = where
            try:
                event = Event.model_validate(entry.data)
            except ValidationError as exc:
                for err in exc.errors():
                    field, loc = _field_of(err)
                    issue(field, _clean_msg(str(err.get("msg", ""))), loc)
                continue
            parsed.append(event)
            if rejected:
                continue
            candidates.append((entry, fname, event))

    events: list[ResolvedEvent] = []
    placeless: list[ResolvedEvent] = []
    for entry, fname, event in candidates:
        resolved, problems = _resolve(event, geocode_fn, gaz_problem, geocode_cache)
        for field, msg in problems:
            issues.append(
                ValidationIssue(
                    fname,
                    entry.index,
                    entry.line_of(tuple(field.split("."))),
                    event.id,
                    field,
                    msg,
                    entry.line,
                )
            )
        if register is not None:
            for field, loc, msg, rule in source_issues(event, register):
                problems.append((field, msg))
                issues.append(
                    ValidationIssue(
                        fname,
                        entry.index,
                        entry.line_of(loc),
                        event.id,
                        field,
                        msg,
                        entry.line,
                        rule,
                    )
                )
        if resolved is not None and not problems:
            (placeless if event.location.none else events).append(
                ResolvedEvent(
                    event=event,
                    lon=resolved[0],
                    lat=resolved[1],
                    geo_precision=resolved[2],
                    place=resolved[3],
                    place_hy=resolved[4],
                    place_az=resolved[5],
                    origin=f"{fname}:{entry.line}",
                    aliases=resolved[6],
                )
            )
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


def _str_or_none(v: Any) -> str | None:
    return v if isinstance(v, str) else None


_Resolved = tuple[float, float, GeoPrecision, str | None, str | None, str | None, tuple[str, ...]]


def _resolve(
    event: Event,
    geocode_fn: Geocoder | None,
    gaz_problem: str | None,
    cache: dict[str, Any],
) -> tuple[_Resolved | None, list[tuple[str, str]]]:
    """Locate one event: explicit lon/lat wins, else the gazetteer. Returns (result, problems)."""
    loc = event.location
    problems: list[tuple[str, str]] = []
    place_obj: Any = None
    place_error: str | None = None
    if loc.place:
        if geocode_fn is None:
            place_error = gaz_problem or "no gazetteer"
        elif loc.place in cache:
            place_obj, place_error = cache[loc.place]
        else:
            try:
                place_obj = geocode_fn(loc.place)
            except LookupError as exc:  # GeocodeError subclasses LookupError
                place_error = str(exc).strip("'\"") or f"unknown place {loc.place!r}"
            cache[loc.place] = (place_obj, place_error)

    if event.related_area and area_label(event.related_area) is None:
        from rapidfuzz import process

        close = [
            c for c, _s, _i in process.extract(event.related_area, list(known_areas()), limit=3)
        ]
        problems.append(
            ("related_area", f"unknown area id {event.related_area!r}; closest: {', '.join(close)}")
        )
    precision = event.geo_precision
    if loc.none:  # no place on the map: kept for the table and exports, lon/lat NaN
        return (math.nan, math.nan, precision, None, None, None, ()), problems
    names: tuple[str | None, str | None, str | None, tuple[str, ...]] = (loc.place, None, None, ())
    if place_obj is not None:
        aliases = tuple(str(a) for a in getattr(place_obj, "aliases", ()) or ())
        if loc.place and loc.place not in aliases:
            aliases = (loc.place, *aliases)
        names = (
            getattr(place_obj, "name", None) or loc.place,
            getattr(place_obj, "name_hy", None),
            getattr(place_obj, "name_az", None),
            aliases,
        )

    if loc.lon is not None and loc.lat is not None:
        lon, lat = float(loc.lon), float(loc.lat)
        if not in_region(lon, lat):
            hint = ""
            if in_region(lat, lon):
                hint = " (lon and lat look swapped)"
            problems.append(
                (
                    "location",
                    f"lon/lat ({lon}, {lat}) is outside the region box {REGION_BBOX}{hint}; "
                    "for an event in a city outside the region give only location.place "
                    "(resolved through the gazetteer) with geo_precision: exact",
                )
            )
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
                f"place {loc.place!r} lies outside the region box; events outside the region "
                "(e.g. a signing in Moscow) must have geo_precision: exact "
                f"(got {precision.value})",
            )
        )
    return (lon, lat, precision, *names), problems
