"""Territorial control over time in and around Nagorno-Karabakh (1991 to today).

The model lives in ``geo/data/control/``: ``periods.yaml`` (pieces with sourced timelines, the
area of interest and the zones), ``authored.geojson`` (lines and polygons no dataset has, drawn
from the sourced waypoints in ``waypoints.yaml``) plus the shared layers ``admin_units``, ``nkao``
and ``enclaves``. The area of interest (AOI) is cut into pieces twice (before and from the 2020
war); their intersections ("cells") tile the AOI and each carries one timeline, so on every day
the periods returned by :func:`control_at` tile the AOI by construction.

CLI: ``python -m geo.control --date 2020-11-01 --point 46.75 39.76`` prints ``armenian``,
``azerbaijani`` or ``none``; ``--json`` prints the period in force with its sources; ``--areas``
prints km2 held by each side (equal-area projection); ``--geojson`` prints that day's control
periods and zones as one FeatureCollection.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely
import yaml
from pyproj import Transformer
from shapely.geometry import Point, mapping, shape
from shapely.geometry.base import BaseGeometry

from geo import cache

__all__ = [
    "CONTROLLERS",
    "MODEL_START",
    "modelled",
    "ControlPeriod",
    "areas_km2",
    "change_dates",
    "changes_between",
    "control_at",
    "control_geojson",
    "controller_at",
    "day_geojson",
    "held_area",
    "main",
    "model",
    "model_key",
    "period_at",
]

DATA = Path(__file__).resolve().parent / "data"
CONTROL_DIR = DATA / "control"
MODEL_START = dt.date(1991, 1, 1)
WAR_2020 = dt.date(2020, 9, 27)  # first day of the "from_2020" phase
CONTROLLERS = ("armenian", "azerbaijani")
CONFIDENCE_RANK = {"low": 0, "medium": 1, "high": 2}
#: Lambert azimuthal equal-area centred on the region (areas in m2).
EQUAL_AREA = "+proj=laea +lat_0=40 +lon_0=46.5 +datum=WGS84 +units=m +no_defs"
GRID = 1e-6  # degrees; overlay precision grid (~0.1 m), keeps cells valid and sliver-free
MIN_CELL_KM2 = 0.01  # intersections smaller than this are overlay noise, merged away
SIMPLIFY_DEG = 0.002  # display simplification (~200 m), applied to the whole coverage at once
ROUND_DEG = 1e-4  # display coordinates rounded to ~10 m

_TO_M = Transformer.from_crs("EPSG:4326", EQUAL_AREA, always_xy=True)
_TO_DEG = Transformer.from_crs(EQUAL_AREA, "EPSG:4326", always_xy=True)


class ModelError(ValueError):
    """The control data files are inconsistent (bad reference, unsourced period, ...)."""


@dataclass(frozen=True)
class ControlPeriod:
    """One polygon held by one side over one date range, with its sources and precision."""

    id: str
    controller: str
    valid_from: dt.date
    valid_to: dt.date | None  # last day in force (inclusive); None = still in force
    geometry: BaseGeometry
    sources: tuple[dict, ...]
    precision: str
    confidence: str
    label: str

    def in_force(self, day: dt.date) -> bool:
        """True if the period applies on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def properties(self) -> dict[str, Any]:
        """JSON-ready properties (dates as ISO strings)."""
        return {
            "id": self.id,
            "controller": self.controller,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "precision": self.precision,
            "confidence": self.confidence,
            "label": self.label,
            "sources": [dict(s) for s in self.sources],
        }


# --- geometry helpers ---------------------------------------------------------------------------


def to_metres(geom: BaseGeometry) -> BaseGeometry:
    """Project lon/lat geometry to the equal-area CRS (metres)."""
    return shapely.transform(geom, lambda c: np.column_stack(_TO_M.transform(c[:, 0], c[:, 1])))


def to_degrees(geom: BaseGeometry) -> BaseGeometry:
    """Inverse of :func:`to_metres`."""
    return shapely.transform(geom, lambda c: np.column_stack(_TO_DEG.transform(c[:, 0], c[:, 1])))


def area_km2(geom: BaseGeometry) -> float:
    """Equal-area size of a lon/lat geometry in km2."""
    return float(to_metres(geom).area) / 1e6


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Keep only the polygon parts of an overlay result."""
    if geom.is_empty or geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts, grid_size=GRID) if parts else shapely.Polygon()


def _union(geoms: Iterable[BaseGeometry]) -> BaseGeometry:
    return _polygonal(shapely.union_all(list(geoms), grid_size=GRID))


def _inter(a: BaseGeometry, b: BaseGeometry) -> BaseGeometry:
    return _polygonal(shapely.intersection(a, b, grid_size=GRID))


def _minus(a: BaseGeometry, b: BaseGeometry) -> BaseGeometry:
    return _polygonal(shapely.difference(a, b, grid_size=GRID))


def _circle(lon: float, lat: float, km: float) -> BaseGeometry:
    return to_degrees(to_metres(Point(lon, lat)).buffer(km * 1000, quad_segs=16))


def _buffer_line(line: BaseGeometry, km: float) -> BaseGeometry:
    return to_degrees(to_metres(line).buffer(km * 1000, quad_segs=8))


# --- loading -------------------------------------------------------------------------------------


def _read_features(path: Path) -> dict[str, tuple[BaseGeometry, dict]]:
    with path.open(encoding="utf-8") as fh:
        fc = json.load(fh)
    out = {}
    for f in fc["features"]:
        props = f["properties"]
        out[props["id"]] = (shape(f["geometry"]), props)
    return out


def _as_date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ModelError(f"{where}: bad date {value!r}") from exc


@dataclass
class _Entry:
    start: dt.date
    controller: str
    event: str
    sources: tuple[str, ...]
    confidence: str
    note: str = ""


@dataclass
class _Piece:
    id: str
    label: str
    precision: str
    geometry: BaseGeometry
    entries: list[_Entry]


@dataclass
class _Cell:
    geometry: BaseGeometry
    entries: list[_Entry]  # merged, non-repeating controllers
    labels: list[str]  # label per entry
    precisions: list[str]  # geometry precision notes of the two pieces


class ControlModel:
    """Loaded control model: cells with timelines, periods, and per-day lookups."""

    def __init__(self, directory: Path = CONTROL_DIR, data_dir: Path = DATA) -> None:
        with (directory / "periods.yaml").open(encoding="utf-8") as fh:
            self.spec = yaml.safe_load(fh)
        with (directory / "waypoints.yaml").open(encoding="utf-8") as fh:
            self.waypoints = {w["id"]: w for w in yaml.safe_load(fh)["waypoints"]}
        self.authored = _read_features(directory / "authored.geojson")
        self.units = _read_features(data_dir / "admin_units.geojson")
        self.enclaves = _read_features(data_dir / "enclaves.geojson")
        self.countries = _read_features(data_dir / "countries.geojson")
        nkao = _read_features(data_dir / "nkao.geojson")
        self.nkao = next(iter(nkao.values()))[0]
        self.sources = self._check_sources(self.spec["sources"])
        self._prewar: BaseGeometry | None = None
        self._territory: BaseGeometry | None = None
        #: Azerbaijan's territory (admin-0 incl. the point-only exclaves): nothing leaves it
        #: but the sourced Artsvashen piece (Armenian exclave held by Azerbaijani forces).
        self.territory = self.geom(self.spec["territory"], "territory")
        self._territory = self.territory
        self.aoi = self.geom(self.spec["aoi"], "aoi")
        before = self._phase(self.spec["before_2020"], "before_2020", changes_only=False)
        self._prewar = _union(
            p.geometry
            for p in before
            if _controller_on(p.entries, WAR_2020 - dt.timedelta(1)) == "armenian"
        )
        after = self._phase(self.spec["from_2020"], "from_2020", changes_only=True)
        self.cells = self._overlay(before, after)
        self.periods = self._periods()
        self._tree = shapely.STRtree([c.geometry for c in self.cells])
        for c in self.cells:
            shapely.prepare(c.geometry)
        self.change_dates = sorted(
            {p.valid_from for p in self.periods if p.valid_from > MODEL_START}
        )
        self._display = self._display_cells()

    # -- pickling (geo.cache stores the built model on disk) --

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_tree", None)  # rebuilt on load (cheap), like the prepared geometries
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._tree = shapely.STRtree([c.geometry for c in self.cells])
        for c in self.cells:
            shapely.prepare(c.geometry)

    # -- sources and geometry expressions --

    @staticmethod
    def _check_sources(raw: dict) -> dict[str, dict]:
        out = {}
        for key, src in raw.items():
            if not str(src.get("url", "")).startswith(("http://", "https://")):
                raise ModelError(f"source {key}: needs an http(s) url")
            if not src.get("publisher"):
                raise ModelError(f"source {key}: needs a publisher")
            clean = {"url": src["url"], "publisher": src["publisher"]}
            if src.get("published"):
                clean["published"] = _as_date(src["published"], key).isoformat()
            if src.get("title"):
                clean["title"] = src["title"]
            out[key] = clean
        return out

    def waypoint(self, wid: str) -> tuple[float, float]:
        """(lon, lat) of a sourced waypoint."""
        try:
            w = self.waypoints[wid]
        except KeyError as exc:
            raise ModelError(f"unknown waypoint {wid!r}") from exc
        return float(w["lon"]), float(w["lat"])

    def geom(self, expr: Any, where: str) -> BaseGeometry:
        """Evaluate a geometry expression (see periods.yaml header)."""
        if isinstance(expr, dict):
            if len(expr) != 1:
                raise ModelError(f"{where}: geometry dict needs exactly one operator")
            ((op, args),) = expr.items()
            parts = [self.geom(a, where) for a in args]
            if op == "union":
                return _union(parts)
            if op == "intersect":
                out = parts[0]
                for p in parts[1:]:
                    out = _inter(out, p)
                return out
            if op == "minus":
                out = parts[0]
                for p in parts[1:]:
                    out = _minus(out, p)
                return out
            raise ModelError(f"{where}: unknown geometry operator {op!r}")
        kind, _, rest = str(expr).partition(":")
        table = {
            "unit": self.units,
            "enclave": self.enclaves,
            "authored": self.authored,
            "country": self.countries,
        }
        if kind in table:
            try:
                return table[kind][rest][0]
            except KeyError as exc:
                raise ModelError(f"{where}: unknown {kind} {rest!r}") from exc
        if kind == "nkao":
            return self.nkao
        if kind == "territory":
            if self._territory is None:
                raise ModelError(f"{where}: 'territory' is not defined yet")
            return self._territory
        if kind == "prewar":
            if self._prewar is None:
                raise ModelError(f"{where}: 'prewar' is only available in from_2020")
            return self._prewar
        if kind == "circle":
            wid, km = rest.rsplit(":", 1)
            return _circle(*self.waypoint(wid), float(km))
        if kind == "buffer":
            fid, km = rest.rsplit(":", 1)
            return _buffer_line(self.geom(f"authored:{fid}", where), float(km))
        raise ModelError(f"{where}: cannot read geometry {expr!r}")

    # -- phases, cells, periods --

    def _entries(self, raw: list, where: str, lo: dt.date, hi: dt.date | None) -> list[_Entry]:
        entries = []
        for i, e in enumerate(raw):
            w = f"{where}[{i}]"
            start = _as_date(e.get("from"), w)
            if start < lo or (hi is not None and start >= hi):
                raise ModelError(f"{w}: date {start} outside this phase")
            if e.get("controller") not in CONTROLLERS:
                raise ModelError(f"{w}: controller must be one of {CONTROLLERS}")
            keys = tuple(e.get("sources") or ())
            if not keys:
                raise ModelError(f"{w}: every period needs at least one source")
            for k in keys:
                if k not in self.sources:
                    raise ModelError(f"{w}: unknown source {k!r}")
            conf = e.get("confidence", "medium")
            if conf not in CONFIDENCE_RANK:
                raise ModelError(f"{w}: confidence must be low, medium or high")
            if not e.get("event"):
                raise ModelError(f"{w}: needs an event text")
            entries.append(
                _Entry(start, e["controller"], e["event"], keys, conf, e.get("note", ""))
            )
        if any(a.start >= b.start for a, b in zip(entries, entries[1:], strict=False)):
            raise ModelError(f"{where}: entries must be in date order")
        return entries

    def _phase(self, spec: dict, name: str, changes_only: bool) -> list[_Piece]:
        pieces_spec = spec["pieces"]
        taken = shapely.Polygon()
        pieces: list[_Piece] = []
        lo, hi = (WAR_2020, None) if changes_only else (MODEL_START, WAR_2020)
        key = "changes" if changes_only else "timeline"
        for p in pieces_spec:
            where = f"{name}/{p.get('id')}"
            for field in ("id", "label", "precision", "geometry", key):
                if field not in p:
                    raise ModelError(f"{where}: missing {field!r}")
            g = _minus(_inter(self.geom(p["geometry"], where), self.aoi), taken)
            if area_km2(g) < MIN_CELL_KM2:
                raise ModelError(f"{where}: piece is empty after earlier pieces")
            entries = self._entries(p[key], where, lo, hi)
            if not changes_only and (not entries or entries[0].start != MODEL_START):
                raise ModelError(f"{where}: timeline must start on {MODEL_START}")
            pieces.append(_Piece(p["id"], p["label"], p["precision"], g, entries))
            taken = _union([taken, g])
        rem = spec["remainder"]
        g = _minus(self.aoi, taken)
        entries = self._entries(rem.get(key, []), f"{name}/remainder", lo, hi)
        pieces.append(_Piece(rem["id"], rem["label"], rem["precision"], g, entries))
        return pieces

    def _overlay(self, before: list[_Piece], after: list[_Piece]) -> list[_Cell]:
        cells: list[_Cell] = []
        tree = shapely.STRtree([a.geometry for a in after])
        for b in before:
            for j in tree.query(b.geometry, predicate="intersects"):
                a = after[int(j)]
                g = _inter(b.geometry, a.geometry)
                if g.is_empty or area_km2(g) < MIN_CELL_KM2:
                    continue
                entries, labels = [], []
                for e, label in [(e, b.label) for e in b.entries] + [
                    (e, a.label) for e in a.entries
                ]:
                    if entries and entries[-1].controller == e.controller:
                        continue  # no change of hands: the earlier period continues
                    entries.append(e)
                    labels.append(label)
                precs = list(dict.fromkeys([b.precision, a.precision]))
                cells.append(_Cell(g, entries, labels, precs))
        # noise left by dropping tiny intersections: give it to the biggest touching cell
        covered = _union(c.geometry for c in cells)
        gaps = _minus(self.aoi, covered)
        for gap in getattr(gaps, "geoms", [gaps]):
            if gap.is_empty:
                continue
            best = max(cells, key=lambda c: shapely.intersection(c.geometry.buffer(1e-5), gap).area)
            best.geometry = _union([best.geometry, gap])
        return cells

    def _periods(self) -> list[ControlPeriod]:
        groups: dict[tuple, list[BaseGeometry]] = defaultdict(list)
        meta: dict[tuple, tuple] = {}
        for c in self.cells:
            for i, e in enumerate(c.entries):
                nxt = c.entries[i + 1] if i + 1 < len(c.entries) else None
                valid_to = nxt.start - dt.timedelta(days=1) if nxt else None
                keys = e.sources + (nxt.sources if nxt else ())
                conf = e.confidence
                if nxt and CONFIDENCE_RANK[nxt.confidence] < CONFIDENCE_RANK[conf]:
                    conf = nxt.confidence
                label = f"{c.labels[i]}: {e.event}"
                notes = [n for n in (e.note, nxt.note if nxt else "") if n]
                precision = "; ".join(c.precisions + notes)
                k = (
                    e.controller,
                    e.start,
                    valid_to,
                    tuple(dict.fromkeys(keys)),
                    label,
                    precision,
                    conf,
                )
                groups[k].append(c.geometry)
                meta[k] = (c.labels[i],)
        periods = []
        for k, geoms in groups.items():
            controller, start, valid_to, keys, label, precision, conf = k
            slug = meta[k][0].lower().replace(" ", "-")
            slug = "".join(ch for ch in slug if ch.isalnum() or ch == "-")[:40]
            pid = f"{controller[:2]}-{start.isoformat()}-{slug}"
            periods.append(
                ControlPeriod(
                    id=pid,
                    controller=controller,
                    valid_from=start,
                    valid_to=valid_to,
                    geometry=_union(geoms),
                    sources=tuple(self.sources[s] for s in keys),
                    precision=precision,
                    confidence=conf,
                    label=label,
                )
            )
        # ids must be unique: suffix duplicates deterministically
        seen: dict[str, int] = {}
        out = []
        for p in sorted(periods, key=lambda p: (p.valid_from, p.controller, p.label)):
            n = seen.get(p.id, 0)
            seen[p.id] = n + 1
            out.append(p if n == 0 else _replace_id(p, f"{p.id}-{n + 1}"))
        return out

    def _display_cells(self) -> list[BaseGeometry]:
        simplified = shapely.coverage_simplify(
            np.array([c.geometry for c in self.cells], dtype=object), SIMPLIFY_DEG
        )
        return [shapely.set_precision(g, ROUND_DEG) for g in simplified]

    # -- lookups --

    def state_index(self, day: dt.date) -> int:
        """Index of the last change on or before ``day`` (states are constant in between)."""
        if day < MODEL_START:
            raise ValueError(f"{day} is before the start of the model ({MODEL_START})")
        return bisect.bisect_right(self.change_dates, day)

    def cell_entry(self, cell: _Cell, day: dt.date) -> int:
        """Index of the cell's entry in force on ``day``."""
        starts = [e.start for e in cell.entries]
        return max(bisect.bisect_right(starts, day) - 1, 0)


def _replace_id(p: ControlPeriod, new_id: str) -> ControlPeriod:
    return ControlPeriod(
        new_id,
        p.controller,
        p.valid_from,
        p.valid_to,
        p.geometry,
        p.sources,
        p.precision,
        p.confidence,
        p.label,
    )


def _controller_on(entries: list[_Entry], day: dt.date) -> str | None:
    current = None
    for e in entries:
        if e.start <= day:
            current = e.controller
    return current


def model_inputs(directory: Path = CONTROL_DIR, data_dir: Path = DATA) -> list[Path]:
    """Every file ControlModel reads."""
    return [
        directory / "periods.yaml",
        directory / "waypoints.yaml",
        directory / "authored.geojson",
        data_dir / "admin_units.geojson",
        data_dir / "enclaves.geojson",
        data_dir / "nkao.geojson",
        data_dir / "countries.geojson",
    ]


def model_key(directory: Path = CONTROL_DIR, data_dir: Path = DATA) -> str:
    """Hash of the model's input files and of this module's code (geo.cache key)."""
    return cache.make_key(
        "control-model",
        cache.file_digest(model_inputs(directory, data_dir)),
        cache.source_digest(sys.modules[__name__]),
    )


@lru_cache(maxsize=1)
def model() -> ControlModel:
    """The loaded model: built once per change of its inputs (~1-2 s), then read from the
    on-disk cache (geo.cache, a few ms) by every new process."""
    if __name__ == "__main__":  # `python -m geo.control`: classes would pickle as __main__.*
        return ControlModel()
    return cache.cached("control-model", model_key(), ControlModel)


# --- public API ----------------------------------------------------------------------------------


def _day(day: dt.date | str) -> dt.date:
    if isinstance(day, dt.datetime):
        return day.date()
    if isinstance(day, dt.date):
        return day
    return dt.date.fromisoformat(str(day))


@lru_cache(maxsize=256)
def _state(index: int) -> tuple[ControlPeriod, ...]:
    m = model()
    day = m.change_dates[index - 1] if index > 0 else MODEL_START
    return tuple(p for p in m.periods if p.in_force(day))


def modelled(day: dt.date) -> bool:
    """True from MODEL_START on; before it (1988-1990) the NKAO was under Soviet
    administration and no side's forces held areas: callers draw no control then."""
    return day >= MODEL_START


def control_at(day: dt.date) -> list[ControlPeriod]:
    """Control periods in force on ``day``; their polygons tile the area of interest."""
    m = model()
    return list(_state(m.state_index(_day(day))))


def period_at(lon: float, lat: float, day: dt.date) -> ControlPeriod | None:
    """The period in force at a point on ``day`` (None outside the modelled area)."""
    m = model()
    d = _day(day)
    m.state_index(d)  # range check
    pt = Point(lon, lat)
    for i in m._tree.query(pt, predicate="intersects"):
        cell = m.cells[int(i)]
        if cell.geometry.covers(pt):
            for p in _state(m.state_index(d)):
                if p.geometry.covers(pt):
                    return p
    return None


def controller_at(lon: float, lat: float, day: dt.date) -> str:
    """``"armenian"``, ``"azerbaijani"`` or ``"none"`` (outside the modelled area)."""
    m = model()
    d = _day(day)
    m.state_index(d)
    pt = Point(lon, lat)
    for i in m._tree.query(pt, predicate="intersects"):
        cell = m.cells[int(i)]
        if cell.geometry.covers(pt):
            return cell.entries[m.cell_entry(cell, d)].controller
    return "none"


@lru_cache(maxsize=512)
def _period_km2(period_id: str) -> float:
    p = next(p for p in model().periods if p.id == period_id)
    return area_km2(p.geometry)


def areas_km2(day: dt.date) -> dict[str, float]:
    """km2 held by each side on ``day`` within the modelled area (equal-area projection)."""
    out = dict.fromkeys(CONTROLLERS, 0.0)
    for p in control_at(day):
        out[p.controller] += _period_km2(p.id)
    return {k: round(v, 1) for k, v in out.items()}


def held_area(day: dt.date, controller: str) -> BaseGeometry:
    """Union of the polygons held by ``controller`` on ``day`` (lon/lat)."""
    return _union(p.geometry for p in control_at(day) if p.controller == controller)


def changes_between(d1: dt.date, d2: dt.date) -> list[dict]:
    """Areas that changed hands between ``d1`` and ``d2``: dicts with geometry, from, to, km2."""
    a1, a2 = held_area(_day(d1), "armenian"), held_area(_day(d2), "armenian")
    out = []
    for geom, frm, to in (
        (_minus(a1, a2), "armenian", "azerbaijani"),
        (_minus(a2, a1), "azerbaijani", "armenian"),
    ):
        km2 = area_km2(geom) if not geom.is_empty else 0.0
        if km2 >= MIN_CELL_KM2:
            out.append({"geometry": geom, "from": frm, "to": to, "km2": round(km2, 1)})
    return out


def change_dates() -> list[dt.date]:
    """Every date on which control changes somewhere in the model (for the UI slider)."""
    return list(model().change_dates)


@lru_cache(maxsize=256)
def _geojson_state(index: int) -> str:
    m = model()
    day = m.change_dates[index - 1] if index > 0 else MODEL_START
    by_period: dict[str, list[BaseGeometry]] = defaultdict(list)
    periods = {p.id: p for p in _state(index)}
    for cell, disp in zip(m.cells, m._display, strict=True):
        e = cell.entries[m.cell_entry(cell, day)]
        for p in periods.values():
            if (
                p.controller == e.controller
                and p.valid_from == e.start
                and p.geometry.covers(cell.geometry.representative_point())
            ):
                by_period[p.id].append(disp)
                break
    features = []
    for pid, geoms in by_period.items():
        g = shapely.union_all(geoms)
        features.append(
            {"type": "Feature", "geometry": mapping(g), "properties": periods[pid].properties()}
        )
    fc = {"type": "FeatureCollection", "features": features}
    return json.dumps(fc, separators=(",", ":"))


def control_geojson(day: dt.date) -> dict:
    """FeatureCollection of the periods in force on ``day`` (simplified ~200 m, coords ~10 m)."""
    m = model()
    return json.loads(_geojson_state(m.state_index(_day(day))))


def day_geojson(day: dt.date) -> dict:
    """That day's control periods and zones as one FeatureCollection (full-precision geometry,
    coordinates rounded to ~10 m). Every feature has ``kind`` (``control`` or the zone kind),
    ``controller`` (``armenian``/``azerbaijani`` for control, else null), ``valid_from``,
    ``valid_to``, ``sources`` and ``precision``; for checks outside the app."""
    from geo import zones  # geo.zones imports this module: import on use

    d = _day(day)
    feats = []
    for p in control_at(d):
        props = p.properties() | {"kind": "control"}
        geom = shapely.set_precision(p.geometry, ROUND_DEG)
        feats.append({"type": "Feature", "geometry": mapping(geom), "properties": props})
    for z in zones.zones_at(d):
        props = z.properties() | {"controller": None}
        geom = shapely.set_precision(z.geometry, ROUND_DEG)
        feats.append({"type": "Feature", "geometry": mapping(geom), "properties": props})
    return {"type": "FeatureCollection", "date": d.isoformat(), "features": feats}


# --- CLI -----------------------------------------------------------------------------------------


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


def main(argv: list[str] | None = None) -> int:
    """CLI entry point; returns the exit code (2 on bad input)."""
    ap = build_parser()
    args = ap.parse_args(argv)
    if args.point:
        lon, lat = args.point
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            ap.error(f"point out of range: lon {lon}, lat {lat} (give LON LAT in degrees)")
        if args.json:
            p = period_at(lon, lat, args.date)
            out = p.properties() if p else {"controller": "none", "date": args.date.isoformat()}
            print(json.dumps(out, ensure_ascii=False, indent=1))
        else:
            print(controller_at(lon, lat, args.date))
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
