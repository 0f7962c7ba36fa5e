"""The control model: pieces with sourced timelines, cut into cells, merged into periods.

The model lives in ``geo/data/control/``: ``periods.yaml`` (pieces with sourced timelines, the
area of interest and the zones), ``authored.geojson`` (lines and polygons no dataset has, drawn
from the sourced waypoints in ``waypoints.yaml``) plus the shared layers ``admin_units``, ``nkao``
and ``enclaves``. The area of interest (AOI) is cut into pieces twice (before and from the 2020
war); their intersections ("cells") tile the AOI and each carries one timeline, so on every day
the periods in force tile the AOI by construction. Built once per change of the inputs and kept
on disk (geo.cache); the per-day lookups are in :mod:`geo.control.timeline`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import shapely
import yaml
from shapely.geometry.base import BaseGeometry

from geo.control.geometry import (
    MIN_CELL_KM2,
    ROUND_DEG,
    SIMPLIFY_DEG,
    area_km2,
    areas_km2_of,
    buffer_line,
    circle,
    inter,
    minus,
    union,
)

__all__ = [
    "CONFIDENCE_RANK",
    "CONTROLLERS",
    "CONTROL_DIR",
    "DATA",
    "MODEL_START",
    "WAR_2020",
    "ControlModel",
    "ControlPeriod",
    "ModelError",
    "model_inputs",
]

DATA = Path(__file__).resolve().parents[1] / "data"
CONTROL_DIR = DATA / "control"
MODEL_START = dt.date(1991, 1, 1)
WAR_2020 = dt.date(2020, 9, 27)  # first day of the "from_2020" phase
CONTROLLERS = ("armenian", "azerbaijani")
CONFIDENCE_RANK = {"low": 0, "medium": 1, "high": 2}


class ModelError(ValueError):
    """The control data files are inconsistent (bad reference, unsourced period, ...)."""


@dataclass(frozen=True)
class ControlPeriod:
    """One polygon held by one side over one date range, with its sources and precision
    (one row of the control_periods frame, see :func:`geo.frames.control_periods`)."""

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


def read_features(path: Path) -> dict[str, tuple[BaseGeometry, dict]]:
    """id -> (geometry, properties) of a GeoJSON file, read with pyogrio."""
    import pyogrio

    frame = pyogrio.read_dataframe(path)
    out = {}
    for row in frame.itertuples(index=False):
        props = {
            k: (v.tolist() if isinstance(v, np.ndarray) else v)
            for k, v in row._asdict().items()
            if k != "geometry"
        }
        out[props["id"]] = (row.geometry, props)
    return out


def as_date(value: Any, where: str) -> dt.date:
    """A date from YAML (date or ISO text), or ModelError naming ``where``."""
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


def _check_sources(raw: dict) -> dict[str, dict]:
    out = {}
    for key, src in raw.items():
        if not str(src.get("url", "")).startswith(("http://", "https://")):
            raise ModelError(f"source {key}: needs an http(s) url")
        if not src.get("publisher"):
            raise ModelError(f"source {key}: needs a publisher")
        clean = {"url": src["url"], "publisher": src["publisher"]}
        if src.get("published"):
            clean["published"] = as_date(src["published"], key).isoformat()
        if src.get("title"):
            clean["title"] = src["title"]
        out[key] = clean
    return out


def _controller_on(entries: list[_Entry], day: dt.date) -> str | None:
    current = None
    for e in entries:
        if e.start <= day:
            current = e.controller
    return current


def _fold(op: str, parts: list[BaseGeometry], where: str) -> BaseGeometry:
    """Apply a geometry operator of periods.yaml to its evaluated arguments."""
    if op == "union":
        return union(parts)
    step = {"intersect": inter, "minus": minus}.get(op)
    if step is None:
        raise ModelError(f"{where}: unknown geometry operator {op!r}")
    out = parts[0]
    for p in parts[1:]:
        out = step(out, p)
    return out


class ControlModel:
    """Loaded control model: cells with timelines, periods, and per-day lookups."""

    def __init__(self, directory: Path = CONTROL_DIR, data_dir: Path = DATA) -> None:
        with (directory / "periods.yaml").open(encoding="utf-8") as fh:
            self.spec = yaml.safe_load(fh)
        with (directory / "waypoints.yaml").open(encoding="utf-8") as fh:
            self.waypoints = {w["id"]: w for w in yaml.safe_load(fh)["waypoints"]}
        self.authored = read_features(directory / "authored.geojson")
        self.units = read_features(data_dir / "admin_units.geojson")
        self.enclaves = read_features(data_dir / "enclaves.geojson")
        self.countries = read_features(data_dir / "countries.geojson")
        nkao = read_features(data_dir / "nkao.geojson")
        self.nkao = next(iter(nkao.values()))[0]
        self.sources = _check_sources(self.spec["sources"])
        self._prewar: BaseGeometry | None = None
        self._territory: BaseGeometry | None = None
        #: Azerbaijan's territory (admin-0 incl. the point-only exclaves): nothing leaves it
        #: but the sourced Artsvashen piece (Armenian exclave held by Azerbaijani forces).
        self.territory = self.geom(self.spec["territory"], "territory")
        self._territory = self.territory
        self.aoi = self.geom(self.spec["aoi"], "aoi")
        before = self._phase(self.spec["before_2020"], "before_2020", changes_only=False)
        self._prewar = union(
            p.geometry
            for p in before
            if _controller_on(p.entries, WAR_2020 - dt.timedelta(1)) == "armenian"
        )
        after = self._phase(self.spec["from_2020"], "from_2020", changes_only=True)
        self.cells = self._overlay(before, after)
        self.periods = self._periods()
        #: km2 of every period and of every cell (one equal-area projection of each set)
        self.period_km2 = dict(
            zip(
                (p.id for p in self.periods),
                areas_km2_of([p.geometry for p in self.periods]).tolist(),
                strict=True,
            )
        )
        self.cell_km2 = areas_km2_of([c.geometry for c in self.cells]).tolist()
        self.change_dates = sorted(
            {p.valid_from for p in self.periods if p.valid_from > MODEL_START}
        )
        self._display = self._display_cells()
        self._prepare()

    def _prepare(self) -> None:
        self._tree = shapely.STRtree([c.geometry for c in self.cells])
        for c in self.cells:
            shapely.prepare(c.geometry)

    # -- pickling (geo.cache stores the built model on disk) --

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_tree", None)  # rebuilt on load (cheap), like the prepared geometries
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._prepare()

    # -- sources and geometry expressions --

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
            return _fold(op, [self.geom(a, where) for a in args], where)
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
        return self._named_geom(kind, rest, expr, where)

    def _named_geom(self, kind: str, rest: str, expr: Any, where: str) -> BaseGeometry:
        """nkao, territory, prewar, circle:W:KM and buffer:LINE:KM expressions."""
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
            return circle(*self.waypoint(wid), float(km))
        if kind == "buffer":
            fid, km = rest.rsplit(":", 1)
            return buffer_line(self.geom(f"authored:{fid}", where), float(km))
        raise ModelError(f"{where}: cannot read geometry {expr!r}")

    # -- phases, cells, periods --

    def _entry(self, e: dict, w: str, lo: dt.date, hi: dt.date | None) -> _Entry:
        start = as_date(e.get("from"), w)
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
        return _Entry(start, e["controller"], e["event"], keys, conf, e.get("note", ""))

    def _entries(self, raw: list, where: str, lo: dt.date, hi: dt.date | None) -> list[_Entry]:
        entries = [self._entry(e, f"{where}[{i}]", lo, hi) for i, e in enumerate(raw)]
        if any(a.start >= b.start for a, b in itertools.pairwise(entries)):
            raise ModelError(f"{where}: entries must be in date order")
        return entries

    def _phase(self, spec: dict, name: str, changes_only: bool) -> list[_Piece]:
        taken = shapely.Polygon()
        pieces: list[_Piece] = []
        lo, hi = (WAR_2020, None) if changes_only else (MODEL_START, WAR_2020)
        key = "changes" if changes_only else "timeline"
        for p in spec["pieces"]:
            where = f"{name}/{p.get('id')}"
            for field in ("id", "label", "precision", "geometry", key):
                if field not in p:
                    raise ModelError(f"{where}: missing {field!r}")
            g = minus(inter(self.geom(p["geometry"], where), self.aoi), taken)
            if area_km2(g) < MIN_CELL_KM2:
                raise ModelError(f"{where}: piece is empty after earlier pieces")
            entries = self._entries(p[key], where, lo, hi)
            if not changes_only and (not entries or entries[0].start != MODEL_START):
                raise ModelError(f"{where}: timeline must start on {MODEL_START}")
            pieces.append(_Piece(p["id"], p["label"], p["precision"], g, entries))
            taken = union([taken, g])
        rem = spec["remainder"]
        g = minus(self.aoi, taken)
        entries = self._entries(rem.get(key, []), f"{name}/remainder", lo, hi)
        pieces.append(_Piece(rem["id"], rem["label"], rem["precision"], g, entries))
        return pieces

    def _overlay(self, before: list[_Piece], after: list[_Piece]) -> list[_Cell]:
        cells: list[_Cell] = []
        tree = shapely.STRtree([a.geometry for a in after])
        for b in before:
            for j in tree.query(b.geometry, predicate="intersects"):
                a = after[int(j)]
                g = inter(b.geometry, a.geometry)
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
        gaps = minus(self.aoi, union(c.geometry for c in cells))
        for gap in shapely.get_parts(gaps):
            if gap.is_empty:
                continue
            best = max(cells, key=lambda c: shapely.intersection(c.geometry.buffer(1e-5), gap).area)
            best.geometry = union([best.geometry, gap])
        return cells

    def _period_keys(self) -> dict[tuple, list[BaseGeometry]]:
        """(controller, start, valid_to, source keys, label, precision, confidence, piece
        label) -> the cell polygons that share it."""
        groups: dict[tuple, list[BaseGeometry]] = defaultdict(list)
        for c in self.cells:
            for i, e in enumerate(c.entries):
                nxt = c.entries[i + 1] if i + 1 < len(c.entries) else None
                valid_to = nxt.start - dt.timedelta(days=1) if nxt else None
                keys = e.sources + (nxt.sources if nxt else ())
                conf = e.confidence
                if nxt and CONFIDENCE_RANK[nxt.confidence] < CONFIDENCE_RANK[conf]:
                    conf = nxt.confidence
                notes = [n for n in (e.note, nxt.note if nxt else "") if n]
                k = (
                    e.controller,
                    e.start,
                    valid_to,
                    tuple(dict.fromkeys(keys)),
                    f"{c.labels[i]}: {e.event}",
                    "; ".join(c.precisions + notes),
                    conf,
                    c.labels[i],
                )
                groups[k].append(c.geometry)
        return groups

    def _periods(self) -> list[ControlPeriod]:
        periods = []
        for k, geoms in self._period_keys().items():
            controller, start, valid_to, keys, label, precision, conf, piece = k
            slug = piece.lower().replace(" ", "-")
            slug = "".join(ch for ch in slug if ch.isalnum() or ch == "-")[:40]
            periods.append(
                ControlPeriod(
                    id=f"{controller[:2]}-{start.isoformat()}-{slug}",
                    controller=controller,
                    valid_from=start,
                    valid_to=valid_to,
                    geometry=union(geoms),
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
            out.append(p if n == 0 else replace(p, id=f"{p.id}-{n + 1}"))
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
