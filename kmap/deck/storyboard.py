"""A storyboard: the ordered views (steps) of a briefing deck, saved as a small JSON file.

Each step keeps the view's share-link parameters (``kmap.viewstate.to_query``), the frame
(a named area or an explicit bbox), a title, speaker notes and the analyst's annotations.
Reading a file never evaluates anything: it is validated against this model, with limits on
size, counts and text lengths, and a bad file gets one error naming the file, the step and
the field.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
import zlib
from functools import cache
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from kmap.viewstate import ViewState, from_query

#: Limits: a hostile file cannot make the app build huge objects or render for hours.
MAX_FILE_BYTES = 256_000
MAX_STEPS = 50
MAX_TITLE = 200
MAX_NOTE = 4_000
MAX_ANNOTATIONS = 30
MAX_CALLOUT = 200
MAX_QUERY_KEYS = 20
MAX_QUERY_KEY = 20
MAX_QUERY_VALUE = 500
MAX_RADIUS_KM = 500.0
#: A storyboard travels in a share link only when its parameter is at most this long.
MAX_LINK_PARAM = 1_800

#: Named frames a step can use instead of an explicit bbox (see :func:`frame_bbox`).
FRAME_NAMES = ("karabakh", "lachin_corridor", "nakhchivan", "region")
FrameName = Literal["karabakh", "lachin_corridor", "nakhchivan", "region"]

# Control characters (other than tab and newline) are refused: they cannot be written to
# PowerPoint's XML and have no place in a title.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class StoryboardError(ValueError):
    """A storyboard file or link that cannot be read; the message names where and why."""


def _clean(text: str) -> str:
    if _CONTROL.search(text):
        raise ValueError("contains a control character")
    return text


def _lonlat(point: tuple[float, float]) -> tuple[float, float]:
    lon, lat = point
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise ValueError("lon/lat must be finite numbers")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError(f"({lon}, {lat}) is not a lon, lat pair (lon -180..180, lat -90..90)")
    return point


LonLat = Annotated[tuple[float, float], AfterValidator(_lonlat)]
Text = Annotated[str, AfterValidator(_clean)]
# strict: no coercion ("5" is not a number); revalidated: an edited copy is checked again
_FROZEN = ConfigDict(extra="forbid", frozen=True, strict=True, revalidate_instances="always")


class Arrow(BaseModel):
    """An arrow from one lon/lat point to another (e.g. a line of advance)."""

    model_config = _FROZEN
    kind: Literal["arrow"] = "arrow"
    start: LonLat
    end: LonLat
    text: Text = Field("", max_length=MAX_CALLOUT)


class Callout(BaseModel):
    """A text callout pointing at a lon/lat point."""

    model_config = _FROZEN
    kind: Literal["callout"] = "callout"
    at: LonLat
    text: Text = Field(min_length=1, max_length=MAX_CALLOUT)


class CircleArea(BaseModel):
    """A circled area: centre lon/lat and radius in km."""

    model_config = _FROZEN
    kind: Literal["circle"] = "circle"
    centre: LonLat
    radius_km: float = Field(gt=0, le=MAX_RADIUS_KM, allow_inf_nan=False)
    text: Text = Field("", max_length=MAX_CALLOUT)


Annotation = Annotated[Arrow | Callout | CircleArea, Field(discriminator="kind")]


def _bbox(b: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    lon0, lat0, lon1, lat1 = b
    if not all(math.isfinite(v) for v in b):
        raise ValueError("bbox values must be finite numbers")
    if not (-180 <= lon0 < lon1 <= 180 and -85 <= lat0 < lat1 <= 85):
        raise ValueError("want lon_min < lon_max (-180..180) and lat_min < lat_max (-85..85)")
    return b


BBox = Annotated[tuple[float, float, float, float], AfterValidator(_bbox)]


class Step(BaseModel):
    """One view of the storyboard: what the map showed, how it is framed, what to say."""

    model_config = _FROZEN
    title: Text = Field(max_length=MAX_TITLE)
    note: Text = Field("", max_length=MAX_NOTE)
    query: dict[str, str] = Field(default_factory=dict, max_length=MAX_QUERY_KEYS)
    frame: FrameName | BBox = "region"
    annotations: tuple[Annotation, ...] = Field((), max_length=MAX_ANNOTATIONS)

    @field_validator("query")
    @classmethod
    def _short_query(cls, q: dict[str, str]) -> dict[str, str]:
        for k, v in q.items():
            if len(k) > MAX_QUERY_KEY or len(v) > MAX_QUERY_VALUE:
                raise ValueError(
                    f"parameter {k[:MAX_QUERY_KEY]!r} too long (keys <= {MAX_QUERY_KEY}, "
                    f"values <= {MAX_QUERY_VALUE} characters)"
                )
            _clean(k), _clean(v)
        return q

    def view(self) -> tuple[ViewState, list[str]]:
        """The step's view and the problems met reading its parameters (never raises)."""
        return from_query(self.query)

    def bbox(self) -> tuple[float, float, float, float]:
        """The step's extent (lon_min, lat_min, lon_max, lat_max)."""
        return self.frame if isinstance(self.frame, tuple) else frame_bbox(self.frame)


class Storyboard(BaseModel):
    """The ordered steps of a briefing deck, with its title and classification line.

    Immutable: the editing operations return a new storyboard (validated again)."""

    model_config = _FROZEN
    title: Text = Field("", max_length=MAX_TITLE)
    classification: Text = Field("", max_length=MAX_TITLE)
    steps: tuple[Step, ...] = Field((), max_length=MAX_STEPS)

    def _with(self, steps: list[Step]) -> Storyboard:
        try:
            return Storyboard.model_validate({**dict(self), "steps": tuple(steps)})
        except ValidationError as exc:
            raise StoryboardError(_explain(exc, "storyboard")) from None

    def _index(self, i: int) -> int:
        if not -len(self.steps) <= i < len(self.steps):
            raise IndexError(f"no step at index {i} (the storyboard has {len(self.steps)})")
        return i % len(self.steps)

    def add(self, step: Step, at: int | None = None) -> Storyboard:
        """A storyboard with ``step`` inserted at index ``at`` (default: at the end)."""
        steps = list(self.steps)
        steps.insert(len(steps) if at is None else at, step)
        return self._with(steps)

    def remove(self, i: int) -> Storyboard:
        """A storyboard without step ``i``."""
        steps = list(self.steps)
        del steps[self._index(i)]
        return self._with(steps)

    def move(self, i: int, to: int) -> Storyboard:
        """A storyboard with step ``i`` moved to index ``to`` (the others keep their order)."""
        steps = list(self.steps)
        step = steps.pop(self._index(i))
        steps.insert(self._index(to), step)
        return self._with(steps)

    def retitle(self, i: int, title: str) -> Storyboard:
        """A storyboard whose step ``i`` has a new title."""
        steps = list(self.steps)
        j = self._index(i)
        steps[j] = steps[j].model_copy(update={"title": title})  # validated by _with
        return self._with(steps)

    def to_json(self) -> bytes:
        """The storyboard as UTF-8 JSON (what :meth:`from_json` reads)."""
        return self.model_dump_json(indent=1).encode()

    @classmethod
    def from_json(cls, data: bytes | str, filename: str = "storyboard.json") -> Storyboard:
        """Read a storyboard file; a bad one raises StoryboardError naming the file, the
        step number (from 1) and the field. Nothing in the file is evaluated."""
        raw = data.encode() if isinstance(data, str) else bytes(data)
        raw = raw.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 BOM (Windows editors write one)
        if len(raw) > MAX_FILE_BYTES:
            raise StoryboardError(
                f"{filename}: {len(raw):,} bytes, over the {MAX_FILE_BYTES:,}-byte limit "
                "of a storyboard file"
            )
        try:
            return cls.model_validate_json(raw)
        except ValidationError as exc:
            raise StoryboardError(_explain(exc, filename)) from None

    def to_link_param(self) -> str | None:
        """The storyboard for a share link (zlib + base64url of the JSON), or None when the
        result would be longer than MAX_LINK_PARAM characters."""
        packed = zlib.compress(self.model_dump_json().encode(), 9)
        param = base64.urlsafe_b64encode(packed).decode().rstrip("=")
        return param if len(param) <= MAX_LINK_PARAM else None

    @classmethod
    def from_link_param(cls, param: str) -> Storyboard:
        """Read :meth:`to_link_param`'s text; a bad one raises StoryboardError."""
        where = "storyboard link parameter"
        if len(param) > MAX_LINK_PARAM:
            raise StoryboardError(f"{where}: longer than {MAX_LINK_PARAM} characters")
        try:
            packed = base64.urlsafe_b64decode(param + "=" * (-len(param) % 4))
            inflate = zlib.decompressobj()
            raw = inflate.decompress(packed, MAX_FILE_BYTES + 1)
        except (binascii.Error, ValueError, zlib.error) as exc:
            raise StoryboardError(f"{where}: not a storyboard ({exc})") from None
        if len(raw) > MAX_FILE_BYTES or inflate.unconsumed_tail:
            raise StoryboardError(f"{where}: expands beyond {MAX_FILE_BYTES:,} bytes")
        return cls.from_json(raw, where)


def _explain(exc: ValidationError, where: str) -> str:
    """One line per problem: 'FILE: step 2: field frame: message'."""
    lines = []
    for err in exc.errors()[:10]:
        loc = list(err["loc"])
        parts = [where]
        if len(loc) >= 2 and loc[0] == "steps" and isinstance(loc[1], int):
            parts.append(f"step {loc[1] + 1}")
            loc = loc[2:]
        if len(loc) >= 2 and loc[0] == "annotations" and isinstance(loc[1], int):
            parts.append(f"annotation {loc[1] + 1}")
            loc = loc[2:]
        # keep field names; drop pydantic's names of union members ("literal[...]", "tuple[...]")
        field = ".".join(str(x) for x in loc if re.fullmatch(r"[A-Za-z_]\w*|\d+", str(x)))
        if field:
            parts.append(f"field {field}")
        parts.append(err["msg"])
        lines.append(": ".join(parts))
    more = exc.error_count() - len(lines)
    return "\n".join(lines) + (f"\n… and {more} more problems" if more > 0 else "")


# ---------------------------------------------------------------- frames


def frame_bbox(name: str) -> tuple[float, float, float, float]:
    """The bbox of a named frame, derived from the shipped geodata (cached)."""
    if name not in FRAME_NAMES:
        raise ValueError(f"unknown frame {name!r}; choose from {', '.join(FRAME_NAMES)}")
    return _frame_bbox(name)


@cache
def _frame_bbox(name: str) -> tuple[float, float, float, float]:
    import shapely

    from geo.boundaries import layer_shapes

    if name == "region":  # the app's default export extent (imported when first asked)
        from kmap.view_export import DEFAULT_EXPORT_BBOX

        return DEFAULT_EXPORT_BBOX
    if name == "karabakh":  # the former NKAO and the seven districts around it
        geoms = [g for _, g in layer_shapes("nkao")]
        geoms += [g for p, g in layer_shapes("admin_units") if p.get("seven_districts")]
    elif name == "nakhchivan":
        geoms = [
            g for p, g in layer_shapes("admin_units") if str(p["id"]).startswith("nakhchivan-")
        ]
    else:  # every Lachin corridor the zones model knows (1992 road and 2022 road)
        from geo.zones import zones

        geoms = [z.geometry for z in zones() if z.kind == "corridor"]
    x0, y0, x1, y1 = shapely.union_all(geoms).bounds
    # a margin so outlines do not touch the frame; a corridor also needs its two ends' towns
    pad = (0.25 if name == "lachin_corridor" else 0.05) * max(x1 - x0, y1 - y0)
    return (x0 - pad, y0 - pad, x1 + pad, y1 + pad)


def fill_aspect(
    bbox: tuple[float, float, float, float], aspect: float
) -> tuple[float, float, float, float]:
    """The bbox widened (never cut) so that its ground width / height equals ``aspect``.

    Widths are measured in degrees of longitude times cos(centre latitude), so the frame
    fills a page of that aspect without empty bands; the centre stays put."""
    if not aspect > 0:
        raise ValueError(f"aspect must be positive, not {aspect!r}")
    lon0, lat0, lon1, lat1 = bbox
    k = math.cos(math.radians((lat0 + lat1) / 2))
    w, h = (lon1 - lon0) * k, lat1 - lat0
    cx, cy = (lon0 + lon1) / 2, (lat0 + lat1) / 2
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    half_lon, half_lat = w / k / 2, h / 2
    return (cx - half_lon, cy - half_lat, cx + half_lon, cy + half_lat)


__all__ = [
    "FRAME_NAMES",
    "MAX_STEPS",
    "Annotation",
    "Arrow",
    "Callout",
    "CircleArea",
    "Step",
    "Storyboard",
    "StoryboardError",
    "fill_aspect",
    "frame_bbox",
]
