"""The whole view as data: date window, filters, layers, basemap, centre and zoom.

It round-trips through URL query parameters, so a shared link reproduces the view. Parsing
never raises: a bad parameter falls back to its default and is reported, so a mangled link
still opens the app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kmap.config import BASEMAPS, DEFAULT_CENTER, DEFAULT_ZOOM, MIN_ZOOM, TOGGLEABLE
from kmap.safetext import md_code
from palette import EVENT_STYLES, PRECISION_RADIUS_M, TOPONYM_MODES

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
    # the catalogue's own dates (tests/unit/test_kmap_viewstate.py reads them back):
    # 2022-08-26-lachin-berdzor-handover .. 2022-08-30-new-lachin-corridor-road
    "Lachin handover Aug 2022": (dt.date(2022, 8, 26), dt.date(2022, 8, 30)),
    # 2022-09-13-border-clashes-jermuk (and -sotk, -goris) .. 2022-09-14-border-ceasefire
    "Border fighting Sept 2022": (dt.date(2022, 9, 13), dt.date(2022, 9, 14)),
    # 2024-04-17-russian-peacekeepers-withdrawal: its date .. its end_date
    "Peacekeepers leave Apr-Jun 2024": (dt.date(2024, 4, 17), dt.date(2024, 6, 12)),
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


#: Words accepted where a link means a flag (case-insensitive).
FLAG_WORDS: dict[str, bool] = {
    **dict.fromkeys(("1", "true", "yes", "on", "y", "t"), True),
    **dict.fromkeys(("0", "false", "no", "off", "n", "f"), False),
}
#: Deepest zoom a link may ask for (the offline basemap stops at 14; online tiles allow 18);
#: the shallowest is the map's (kmap.config.MIN_ZOOM).
MAX_ZOOM = 18
#: A link's centre must lie in this box (lon_min, lat_min, lon_max, lat_max).
CENTER_BOX = (40.0, 36.0, 52.0, 44.0)
#: Longest text filter a link may carry.
MAX_TEXT = 200


def _quote(raw: str, n: int = 60) -> str:
    """A link value for a message: a Markdown code span (shown literally, never a link),
    cut to n characters."""
    return md_code(raw if len(raw) <= n else raw[:n] + "…")


def _flag(raw: str) -> bool:
    word = raw.strip().lower()
    if word not in FLAG_WORDS:
        raise ValueError("expected a yes/no word (1, true, yes, on / 0, false, no, off)")
    return FLAG_WORDS[word]


def _choice(allowed: Mapping[str, object]) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw not in allowed:
            raise ValueError(f"expected one of {', '.join(allowed)}")
        return raw

    return parse


class _Link(BaseModel):
    """The query parameters of a share link, each parsed leniently (see :func:`from_query`)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    start: dt.date | None = Field(None, alias="from")
    end: dt.date | None = Field(None, alias="to")
    types: str | None = None
    actors: str | None = None
    text: str | None = Field(None, alias="q")
    precisions: str | None = Field(None, alias="prec")
    exact_only: str | None = Field(None, alias="exact")
    layers: str | None = None
    basemap: str | None = None
    toponyms: str | None = Field(None, alias="names")
    lon: float | None = Field(None, allow_inf_nan=False)
    lat: float | None = Field(None, allow_inf_nan=False)
    zoom: float | None = Field(None, alias="z", allow_inf_nan=False)
    present: str | None = None


def _validated_link(params: Mapping[str, str], problems: list[str]) -> _Link:
    """The link's parameters; one that fails validation is dropped and reported."""
    data = {k: str(v) for k, v in params.items() if k in _ALIASES}
    while True:
        try:
            return _Link.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                key = str(err["loc"][0])
                if key in data:
                    problems.append(
                        f"Link parameter {key}={_quote(data.pop(key))} ignored: "
                        + err["msg"].lower()
                    )


_ALIASES = {f.alias or name for name, f in _Link.model_fields.items()}


@dataclass
class _Reading:
    """What a link changes from the default view, and what it got wrong (see from_query)."""

    changes: dict[str, object] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def parse(self, key: str, raw: str | None, fn: Callable[[str], object], attr: str) -> None:
        """One value through its parser; a ValueError is reported and the value ignored."""
        if raw is None:
            return
        try:
            self.changes[attr] = fn(raw)
        except ValueError as exc:
            self.problems.append(f"Link parameter {key}={_quote(raw)} ignored: {exc}")

    def known(
        self, key: str, raw: str | None, allowed: Mapping[str, object] | None, attr: str
    ) -> None:
        """A comma-separated list: known values kept, unknown ones reported."""
        if raw is None:
            return
        items = tuple(dict.fromkeys(x for x in (s.strip() for s in raw.split(",")) if x))
        bad = [x for x in items if allowed is not None and x not in allowed]
        if bad:
            self.problems.append(
                f"Link parameter {key}: unknown value(s) {', '.join(map(_quote, bad))}"
            )
        good = tuple(x for x in items if x not in bad)
        if good or not bad:
            self.changes[attr] = frozenset(good) if attr == "layers" else good

    def dates(self, link: _Link) -> None:
        """from/to, clamped to EARLIEST..today with a message."""
        lo, hi = EARLIEST, today()
        for key, raw, attr in (("from", link.start, "start"), ("to", link.end, "end")):
            if raw is not None:
                day = min(max(raw, lo), hi)
                if day != raw:
                    self.problems.append(
                        f"Link date {key}={raw} is outside {lo}..{hi}: using {day}"
                    )
                self.changes[attr] = day

    def text(self, link: _Link) -> None:
        """The text filter, cut to MAX_TEXT characters with a message."""
        if link.text is not None:
            self.changes["text"] = link.text[:MAX_TEXT]
            if len(link.text) > MAX_TEXT:
                self.problems.append(f"Link text q= cut to its first {MAX_TEXT} characters")

    def centre(self, link: _Link, params: Mapping[str, str]) -> None:
        """lon and lat together, inside CENTER_BOX; else reported and ignored."""
        if ("lon" in params) != ("lat" in params):
            self.problems.append("Link centre ignored: it needs both lon and lat")
        elif link.lon is not None and link.lat is not None:
            x0, y0, x1, y1 = CENTER_BOX
            if x0 <= link.lon <= x1 and y0 <= link.lat <= y1:
                self.changes["center"] = (link.lon, link.lat)
            else:
                self.problems.append(
                    f"Link centre {link.lon}, {link.lat} ignored: outside the region"
                )

    def zoom(self, link: _Link) -> None:
        """The zoom, rounded and clamped to MIN_ZOOM..MAX_ZOOM with a message."""
        if link.zoom is not None:
            z = min(max(round(link.zoom), MIN_ZOOM), MAX_ZOOM)
            if not MIN_ZOOM <= link.zoom <= MAX_ZOOM:
                self.problems.append(
                    f"Link zoom z={link.zoom:g} is outside {MIN_ZOOM}..{MAX_ZOOM}: using {z}"
                )
            self.changes["zoom"] = z


def from_query(params: Mapping[str, str]) -> tuple[ViewState, list[str]]:
    """Parse a share link's query parameters: one place, one validated model, never raises.

    Flags take yes/no words; a list keeps its known values and reports the others; zoom and
    dates outside their range are clamped, dates in reverse order put in order, each with a
    message; anything else unreadable is ignored with a message. Returns the state and the
    messages: Markdown in which every value taken from the link is a code span (md_code)."""
    r = _Reading()
    link = _validated_link(params, r.problems)
    r.dates(link)
    r.known("types", link.types, EVENT_STYLES, "types")
    r.known("actors", link.actors, None, "actors")
    r.text(link)
    r.known("prec", link.precisions, PRECISION_RADIUS_M, "precisions")
    r.parse("exact", link.exact_only, _flag, "exact_only")
    r.known("layers", link.layers, ALL_LAYERS, "layers")
    r.parse("basemap", link.basemap, _choice(BASEMAPS), "basemap")
    r.parse("names", link.toponyms, _choice(TOPONYM_MODES), "toponyms")
    r.parse("present", link.present, _flag, "present")
    r.centre(link, params)
    r.zoom(link)
    v = replace(ViewState(), **r.changes)
    if v.start > v.end:
        r.problems.append(
            f"Link dates were in reverse order (from={v.start}, to={v.end}): "
            f"showing {v.end} to {v.start}"
        )
        v = replace(v, start=v.end, end=v.start)
    return v, r.problems


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
