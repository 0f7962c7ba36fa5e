"""Event schema: one sourced, geocoded event of the catalogue.

Pydantic validates every field so that a bad data file yields an error naming the field,
and the rest of the code can rely on well-typed events.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

EARLIEST = dt.date(1988, 1, 1)

#: Bounding box of the region the app covers (lon_min, lat_min, lon_max, lat_max).
REGION_BBOX = (43.0, 38.3, 48.5, 41.8)

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{2,99}$")
#: What a source url must look like (compiled once: it is checked for every imported row).
_HTTP_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


class EventType(StrEnum):
    """Kinds of event the map distinguishes (symbol and legend per type)."""

    control_change = "control_change"
    ceasefire = "ceasefire"
    agreement = "agreement"
    peacekeeper_deployment = "peacekeeper_deployment"
    peacekeeper_withdrawal = "peacekeeper_withdrawal"
    monitoring_mission = "monitoring_mission"
    clash = "clash"
    blockade = "blockade"
    checkpoint = "checkpoint"
    displacement = "displacement"
    border_delimitation = "border_delimitation"
    transport_link = "transport_link"
    political = "political"


class DatePrecision(StrEnum):
    """How precisely the date is known."""

    day = "day"
    week = "week"
    month = "month"
    year = "year"


class GeoPrecision(StrEnum):
    """How precisely the location is known (shown on the map as ring size)."""

    exact = "exact"  # the place itself (town, village, checkpoint)
    near = "near"  # near a named place, within ~10 km
    district = "district"  # somewhere in a district / rayon / marz
    region = "region"  # a wider region (e.g. "the line of contact")
    country = "country"  # only the country is known (UCDP GED where_prec 6): no ring drawn


class EventKind(StrEnum):
    """Whether an event is a one-off happening or a state of affairs in force over a period."""

    incident = "incident"  # a clash, a capture, a ceasefire announced, a decision: no end_date
    situation = "situation"  # a blockade, a deployment, a checkpoint, a mission: in force


class Confidence(StrEnum):
    """Our confidence that the event happened as described."""

    high = "high"
    medium = "medium"
    low = "low"


class Source(BaseModel):
    """Who reported it: a checkable reference."""

    model_config = ConfigDict(extra="forbid")

    url: str
    publisher: str = Field(min_length=1)
    published: dt.date | None = None  # publication date if known
    title: str | None = None
    accessed: dt.date | None = None  # when we checked it (stored copy date)

    @field_validator("url")
    @classmethod
    def _http_only(cls, v: str) -> str:
        if not _HTTP_URL.match(v):
            raise ValueError("source url must be an http(s) URL")
        return v


class Location(BaseModel):
    """Where: a gazetteer place name, explicit lon/lat, or both (lon/lat wins).

    ``{none: true}`` says the event has no meaningful place (e.g. a resolution of a body that
    sits nowhere in particular): it is kept in the table and exports but left off the map.
    """

    model_config = ConfigDict(extra="forbid")

    place: str | None = None
    lon: Annotated[float, Field(ge=-180, le=180)] | None = None
    lat: Annotated[float, Field(ge=-90, le=90)] | None = None
    none: bool = False

    @model_validator(mode="after")
    def _need_place_or_point(self) -> Location:
        if self.none:
            if self.place is not None or self.lon is not None or self.lat is not None:
                raise ValueError("location none: true takes no place, lon or lat")
            return self
        if (self.lon is None) != (self.lat is None):
            raise ValueError("give both lon and lat, or neither")
        if self.place is None and self.lon is None:
            raise ValueError("location needs a place name or lon/lat")
        return self


class Event(BaseModel):
    """One catalogue event (see events/data/README.md for every field)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    date: dt.date
    end_date: dt.date | None = None
    #: incident or situation; when absent: situation if end_date is set, else incident.
    kind: EventKind | None = None
    date_precision: DatePrecision = DatePrecision.day
    type: EventType
    title: str = Field(min_length=3, max_length=200)
    summary: str = Field(min_length=10)
    location: Location
    geo_precision: GeoPrecision
    actors: list[str] = Field(default_factory=list)
    sources: list[Source] = Field(min_length=1)
    confidence: Confidence = Confidence.high
    related_area: str | None = None
    notes: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _placeless_precision(cls, data: object) -> object:
        """``location: {none: true}`` needs no geo_precision (there is no place to be precise
        about): it defaults to region."""
        if (
            isinstance(data, dict)
            and "geo_precision" not in data
            and isinstance(data.get("location"), dict)
            and data["location"].get("none") is True
        ):
            return {**data, "geo_precision": GeoPrecision.region.value}
        return data

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not ID_RE.match(v):
            raise ValueError("id must be a lowercase slug: a-z, 0-9 and '-', 3-100 chars")
        return v

    @model_validator(mode="after")
    def _dates_sane(self) -> Event:
        if self.date < EARLIEST:
            raise ValueError(f"date {self.date} is before {EARLIEST}")
        if self.date > dt.date.today():
            raise ValueError(f"date {self.date} is in the future")
        if self.end_date is not None and self.end_date < self.date:
            raise ValueError("end_date is before date")
        if self.kind is None:
            self.kind = EventKind.situation if self.end_date else EventKind.incident
        elif self.kind is EventKind.incident and self.end_date is not None:
            raise ValueError(
                "kind incident with an end_date: an incident (a clash, a capture, a ceasefire "
                "announced) has no end_date; remove end_date, or use kind: situation if it was "
                "in force over a period"
            )
        return self


# --- helpers added for catalogue / importers / exporters (no field names changed) -------------

#: Geo precisions from finest to coarsest (used to pick the coarser of two).
GEO_PRECISION_ORDER: tuple[GeoPrecision, ...] = (
    GeoPrecision.exact,
    GeoPrecision.near,
    GeoPrecision.district,
    GeoPrecision.region,
    GeoPrecision.country,
)


def coarser(a: GeoPrecision, b: GeoPrecision) -> GeoPrecision:
    """Return the less precise of two geo precisions."""
    return max(a, b, key=GEO_PRECISION_ORDER.index)


def in_region(lon: float, lat: float) -> bool:
    """True if (lon, lat) lies inside REGION_BBOX (edges included)."""
    lon_min, lat_min, lon_max, lat_max = REGION_BBOX
    return lon_min <= lon <= lon_max and lat_min <= lat <= lat_max


@dataclass(frozen=True)
class ResolvedEvent:
    """An Event with its location resolved to a point: what the map, query and exporters use.

    ``place``/``place_hy``/``place_az`` are the gazetteer's names (English/Latin, Armenian,
    Azerbaijani) when the place resolved, else the place text as written (or None).
    ``aliases`` are the gazetteer's other spellings (searched by text queries).
    ``geo_precision`` is the effective precision: the coarser of the event's own and the
    gazetteer entry's. ``origin`` says where the record came from ("file.yaml:12", "x.csv row 3").
    """

    event: Event
    lon: float
    lat: float
    geo_precision: GeoPrecision
    place: str | None = None
    place_hy: str | None = None
    place_az: str | None = None
    origin: str | None = None
    aliases: tuple[str, ...] = ()  # other spellings of the place (gazetteer), for text search
    from_file: str | None = None  # the user's file it was uploaded from (not the catalogue)

    # Read-through accessors so callers can write ev.date instead of ev.event.date.
    @property
    def id(self) -> str:
        return self.event.id

    @property
    def date(self) -> dt.date:
        return self.event.date

    @property
    def end_date(self) -> dt.date | None:
        return self.event.end_date

    @property
    def kind(self) -> EventKind:
        """incident or situation (the default is filled in by Event)."""
        return self.event.kind or (
            EventKind.situation if self.event.end_date else EventKind.incident
        )

    @property
    def placeless(self) -> bool:
        """True for ``location: {none: true}``: no place on the map (lon/lat are NaN)."""
        return self.event.location.none

    @property
    def date_precision(self) -> DatePrecision:
        return self.event.date_precision

    @property
    def type(self) -> EventType:
        return self.event.type

    @property
    def title(self) -> str:
        return self.event.title

    @property
    def summary(self) -> str:
        return self.event.summary

    @property
    def actors(self) -> list[str]:
        return self.event.actors

    @property
    def sources(self) -> list[Source]:
        return self.event.sources

    @property
    def confidence(self) -> Confidence:
        return self.event.confidence

    @property
    def related_area(self) -> str | None:
        return self.event.related_area

    @property
    def notes(self) -> str | None:
        return self.event.notes
