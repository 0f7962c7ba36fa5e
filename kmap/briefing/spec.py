"""What a briefing is asked to show (BriefingSpec) and the page formats it is drawn on.

A spec is plain data: the view (bbox), the dates, the layers switched on and the data in
force (GeoJSON-like feature collections). It checks itself on creation, so a bad view is
refused with the parameter named before anything is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from kmap.config import TOGGLEABLE

#: Layer toggles a briefing understands: the live map's (kmap.config.TOGGLEABLE) plus the
#: dynamic layers.
BASE_TOGGLES: frozenset[str] = frozenset(TOGGLEABLE)
DYNAMIC_LAYERS: frozenset[str] = frozenset({"control", "zones", "events"})
DEFAULT_LAYERS: frozenset[str] = BASE_TOGGLES | DYNAMIC_LAYERS

TOPONYM_MODES = ("both", "armenian", "azerbaijani")
TOPONYM_NOTE = {
    "both": "Place names: Armenian-side / Azerbaijani-side forms",
    "armenian": "Place names: Armenian-side forms",
    "azerbaijani": "Place names: Azerbaijani-side forms",
}

DISCLAIMER = (
    "Boundaries and lines are shown for reference and imply no judgement "
    "on the legal status of any territory."
)
#: Data credits printed on every briefing (kmap.config.DATA_ATTRIBUTION, in short form).
DATA_CREDITS = (
    "Boundaries, rivers, lakes: Natural Earth (public domain)",
    "Places: GeoNames (CC BY 4.0)",
    "Events & control: karabakh-map contributors, sourced per item",
)


@dataclass(frozen=True)
class BriefingSpec:
    """Everything a briefing shows: the user's view, date, layers and the data in force."""

    title: str
    as_of: date
    event_start: date
    event_end: date
    bbox: tuple[float, float, float, float]  # lon_min, lat_min, lon_max, lat_max
    toponyms: str = "both"
    layers: frozenset[str] = field(default=DEFAULT_LAYERS)
    basemap: str = "offline"
    classification: str | None = None
    #: The active filters in words, printed under the subtitle (None: not drawn).
    filters: str | None = None
    events: tuple[dict, ...] = ()
    control: dict | None = None
    zones: dict | None = None
    made_on: date | None = None

    def __post_init__(self) -> None:
        lon0, lat0, lon1, lat1 = self.bbox
        if not (-180 <= lon0 < lon1 <= 180 and -85 <= lat0 < lat1 <= 85):
            raise ValueError(f"bad bbox {self.bbox!r}: want lon_min < lon_max, lat_min < lat_max")
        if self.toponyms not in TOPONYM_MODES:
            raise ValueError(f"unknown toponym mode {self.toponyms!r}")
        if self.event_start > self.event_end:
            raise ValueError("event_start is after event_end")


@dataclass(frozen=True)
class Page:
    """A page format: size in inches, raster resolution, legend panel width."""

    width_in: float
    height_in: float
    dpi: float
    panel_in: float
    title_pt: float


#: 16:9 and 4:3 are the standard slide sizes (13.33x7.5 in, 10x7.5 in) at 2x of
#: 1920x1080 / 1600x1200 CSS pixels; A4 landscape is 297x210 mm.
PAGES: dict[str, Page] = {
    "16:9": Page(3840 / 288, 2160 / 288, 288, 3.15, 22),
    "4:3": Page(3200 / 320, 2400 / 320, 320, 2.8, 20),
    "a4": Page(297 / 25.4, 210 / 25.4, 72, 3.0, 20),
}
