"""The whole view as data: date window, filters, layers, basemap, centre and zoom.

It round-trips through URL query parameters, so a shared link reproduces the view. Parsing
never raises: a bad parameter falls back to its default and is reported, so a mangled link
still opens the app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from kmap.builder import BASEMAPS, DEFAULT_CENTER, DEFAULT_ZOOM, TOGGLEABLE
from kmap.styles import EVENT_STYLES, PRECISION_RADIUS_M, TOPONYM_MODES

EARLIEST = dt.date(1988, 1, 1)

#: Time layers the user can toggle besides the base layers.
TIME_LAYERS = {
    "control": "Territorial control",
    "peacekeeping": "Russian peacekeepers, monitoring centre",
    "corridor": "Lachin corridor",
    "missions": "EU mission in Armenia",
    "events": "Events",
}
#: Which toggle shows each kind of zone (geo.zones kinds).
ZONE_TOGGLE: dict[str, str] = {
    "peacekeeping_zone": "peacekeeping",
    "monitoring_centre": "peacekeeping",
    "corridor": "corridor",
    "eu_mission": "missions",
}
ALL_LAYERS = {**TIME_LAYERS, **TOGGLEABLE}


def today() -> dt.date:
    """Today's date (a function so tests can monkeypatch it)."""
    return dt.date.today()


#: Date presets: label -> (start, end). End dates are the last day of each period.
PRESETS: dict[str, tuple[dt.date, dt.date]] = {
    "First war 1992-94": (dt.date(1992, 1, 1), dt.date(1994, 5, 12)),
    "Line of contact 1994-2020": (dt.date(1994, 5, 12), dt.date(2020, 9, 26)),
    "April 2016": (dt.date(2016, 4, 1), dt.date(2016, 4, 5)),
    "2020 war": (dt.date(2020, 9, 27), dt.date(2020, 11, 10)),
    "Handovers Nov-Dec 2020": (dt.date(2020, 11, 10), dt.date(2020, 12, 31)),
    "Blockade Dec 2022 - Sep 2023": (dt.date(2022, 12, 12), dt.date(2023, 9, 19)),
    "Sept 2023": (dt.date(2023, 9, 19), dt.date(2023, 10, 1)),
}


@dataclass(frozen=True)
class ViewState:
    """Everything a shared link carries."""

    start: dt.date = EARLIEST
    end: dt.date = field(default_factory=today)  # the "as of" day
    types: tuple[str, ...] = ()  # empty = all
    actors: tuple[str, ...] = ()  # empty = all
    text: str = ""
    precisions: tuple[str, ...] = ()  # empty = all
    exact_only: bool = False
    layers: frozenset[str] = frozenset(ALL_LAYERS)
    basemap: str = "offline"
    toponyms: str = "both"
    center: tuple[float, float] = DEFAULT_CENTER  # lon, lat
    zoom: int = DEFAULT_ZOOM
    present: bool = False  # presentation mode (no sidebar/chrome)

    @property
    def as_of(self) -> dt.date:
        """The day whose situation (control, zones) is drawn."""
        return self.end


def _dates(raw: str) -> dt.date:
    d = dt.date.fromisoformat(raw)
    if d < EARLIEST or d > today():
        raise ValueError(f"{d} outside {EARLIEST}..{today()}")
    return d


def _list(raw: str, allowed: Mapping[str, object] | None) -> tuple[str, ...]:
    items = tuple(x for x in (s.strip() for s in raw.split(",")) if x)
    if allowed is not None:
        bad = [x for x in items if x not in allowed]
        if bad:
            raise ValueError(f"unknown value(s) {', '.join(bad)}")
    return items


def from_query(params: Mapping[str, str]) -> tuple[ViewState, list[str]]:
    """Parse URL query parameters; returns the state and a list of problems (may be empty)."""
    v = ViewState()
    problems: list[str] = []

    def take(key: str, fn, attr: str | None = None) -> None:  # noqa: ANN001
        nonlocal v
        if key not in params:
            return
        try:
            v = replace(v, **{attr or key: fn(str(params[key]))})
        except (ValueError, TypeError) as exc:
            problems.append(f"URL parameter {key}={params[key]!r} ignored: {exc}")

    take("from", _dates, "start")
    take("to", _dates, "end")
    take("types", lambda r: _list(r, EVENT_STYLES))
    take("actors", lambda r: _list(r, None))
    take("q", lambda r: r[:200], "text")
    take("prec", lambda r: _list(r, PRECISION_RADIUS_M), "precisions")
    take("exact", lambda r: {"1": True, "0": False}[r], "exact_only")
    take("layers", lambda r: frozenset(_list(r, ALL_LAYERS)))
    take("basemap", lambda r: r if r in BASEMAPS else (_ for _ in ()).throw(ValueError("unknown")))
    take(
        "names",
        lambda r: r if r in TOPONYM_MODES else (_ for _ in ()).throw(ValueError("unknown")),
        "toponyms",
    )
    if "lon" in params or "lat" in params:
        try:
            lon, lat = float(params["lon"]), float(params["lat"])
            if not (40 <= lon <= 52 and 36 <= lat <= 44):
                raise ValueError("centre outside the region")
            v = replace(v, center=(lon, lat))
        except (KeyError, ValueError) as exc:
            problems.append(f"URL centre ignored: {exc}")
    take("z", lambda r: int(r) if 6 <= int(r) <= 18 else int("x"), "zoom")
    take("present", lambda r: {"1": True, "0": False}[r])
    if v.start > v.end:
        problems.append(f"URL dates swapped ({v.start} > {v.end}); swapped them back")
        v = replace(v, start=v.end, end=v.start)
    return v, problems


def to_query(v: ViewState) -> dict[str, str]:
    """Query parameters for a state; defaults are left out to keep links short."""
    d = ViewState()
    q: dict[str, str] = {"from": v.start.isoformat(), "to": v.end.isoformat()}
    if v.types:
        q["types"] = ",".join(v.types)
    if v.actors:
        q["actors"] = ",".join(v.actors)
    if v.text:
        q["q"] = v.text
    if v.precisions:
        q["prec"] = ",".join(v.precisions)
    if v.exact_only:
        q["exact"] = "1"
    if v.layers != d.layers:
        q["layers"] = ",".join(sorted(v.layers))
    if v.basemap != d.basemap:
        q["basemap"] = v.basemap
    if v.toponyms != d.toponyms:
        q["names"] = v.toponyms
    if v.center != d.center or v.zoom != d.zoom:
        q["lon"], q["lat"] = f"{v.center[0]:.4f}", f"{v.center[1]:.4f}"
        q["z"] = str(v.zoom)
    if v.present:
        q["present"] = "1"
    return q
