"""One legend model for the live map, the dashboard and the briefing exports.

Given what is shown (controllers and zone kinds in force, event types and location precisions
among the shown events, the Soviet-period flag, the reference layers drawn), :func:`legend_rows`
returns the legend rows, styled from :mod:`palette`, in the order the map shows them:
Soviet-period note, territorial control, zones, events, precision, reference layers.

Each row says what it stands for (``section`` and ``key``), so a renderer can regroup the
rows (:func:`sections`) or draw its own symbol for them (the briefing draws event glyphs); the
live map takes :func:`entries`, the plain dicts its JavaScript legend reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from palette import (
    BASE_STYLES,
    CONTROL_STYLES,
    EVENT_STYLES,
    PRECISION_LABELS,
    PRECISION_RADIUS_M,
    ZONE_STYLES,
    LayerStyle,
    blend,
)

#: Section names, in the order the map lists them.
PERIOD, CONTROL, ZONES, EVENTS, PRECISION, REFERENCE = (
    "Period",
    "Territorial control",
    "Zones",
    "Events",
    "Location precision",
    "Reference",
)
#: Section of the compare row (areas that changed hands between two dates).
COMPARE = "Compare"
#: Reference layer ids in legend order ("land" stands for the international border line).
REFERENCE_ORDER = (
    "land",
    "lakes",
    "rivers",
    "admin",
    "nakhchivan",
    "districts",
    "nkao",
    "enclaves",
    "enclave_points",
)
#: Colour of rows that show no category (precision, unknown values).
NEUTRAL = "#555555"


@dataclass(frozen=True)
class LegendRow:
    """One legend row: what it stands for and its swatch.

    ``kind`` is the swatch shape (fill | line | point | ring, and "town" for a label dot);
    ``dash`` a dashed outline; ``glyph`` the one-letter event symbol, if any."""

    section: str
    key: str
    label: str
    kind: str
    color: str
    fill: str | None = None
    dash: bool = False
    glyph: str | None = None
    fill_opacity: float = 1.0  # of `fill` on the map (its swatch shows the blend over land)

    def entry(self) -> dict:
        """The row as KMap.addLegend / KMap.setLegendExtra read it: `fill` is the colour the
        map shows (the fill at its opacity over the land), so the swatch equals the map."""
        return {
            "label": self.label,
            "kind": self.kind,
            "color": self.color,
            "fill": blend(self.fill, self.fill_opacity) if self.fill else None,
            "dash": self.dash,
        }


#: The row shown before 1991, when no held areas are drawn (geo.control.modelled).
SOVIET_ROW = LegendRow(
    PERIOD,
    "soviet",
    "Soviet period: NKAO (autonomous oblast of the Azerbaijan SSR), no held areas",
    "line",
    "#333333",
    dash=True,
)
#: The one precision row of the live map: any shown event placed approximately.
APPROXIMATE_ROW = LegendRow(
    PRECISION, "approximate", "Hollow/dashed: approximate location", "ring", "#555", dash=True
)


def changes_row(first: str, second: str) -> LegendRow:
    """The legend row of the changed areas the live map draws in compare mode (KMap.setChanges:
    yellow at 0.45 under a dashed black outline), for the two dates in words."""
    return LegendRow(
        COMPARE,
        "changes",
        f"Changed hands between {first} and {second}",
        "fill",
        "#000000",
        "#ffeb3b",
        dash=True,
        fill_opacity=0.45,
    )


def _humanise(key: str, default: str) -> str:
    return key.replace("_", " ").capitalize() or default


def _style_row(section: str, key: str, style: LayerStyle) -> LegendRow:
    return LegendRow(
        section,
        key,
        style.label,
        style.kind,
        style.color,
        style.fill,
        bool(style.dash),
        fill_opacity=style.fill_opacity if style.fill else 1.0,
    )


def _ordered(shown: Iterable[str], known: Iterable[str]) -> list[str]:
    """The shown keys: known ones in the palette's order, then unknown ones sorted."""
    wanted = set(shown)
    order = [k for k in known if k in wanted]
    return order + sorted(wanted.difference(order))


def control_rows(controllers: Iterable[str]) -> list[LegendRow]:
    """A row per controller shown (an unknown controller gets a neutral swatch, never dropped)."""
    out = []
    for key in _ordered(controllers, CONTROL_STYLES):
        style = CONTROL_STYLES.get(key) or LayerStyle(
            _humanise(key, "Other"), "fill", NEUTRAL, "#999999", 0.2
        )
        out.append(_style_row(CONTROL, key, style))
    return out


def zone_rows(zone_kinds: Iterable[str]) -> list[LegendRow]:
    """A row per kind of zone shown (an unknown kind gets a neutral swatch)."""
    out = []
    for key in _ordered(zone_kinds, ZONE_STYLES):
        style = ZONE_STYLES.get(key) or LayerStyle(_humanise(key, "Zone"), "fill", NEUTRAL)
        out.append(_style_row(ZONES, key, style))
    return out


def event_rows(event_types: Iterable[str]) -> list[LegendRow]:
    """A row per event type shown, with its colour and glyph (unknown types: grey, "?")."""
    out = []
    for key in _ordered(event_types, EVENT_STYLES):
        style = EVENT_STYLES.get(key)
        label, color, glyph = (
            (style.label, style.color, style.glyph)
            if style
            else (_humanise(key, "Other"), NEUTRAL, "?")
        )
        out.append(LegendRow(EVENTS, key, label, "point", color, color, glyph=glyph))
    return out


def precision_rows(precisions: Iterable[str], *, detail: bool = False) -> list[LegendRow]:
    """Rows explaining location precision, only when some shown event is not exactly placed.

    The live map shows one row (:data:`APPROXIMATE_ROW`); with ``detail`` (briefings) there is
    a row per precision shown, in the order exact, near, district, region, country."""
    shown = set(precisions)
    if not shown - {"exact"}:
        return []
    if not detail:
        return [APPROXIMATE_ROW]
    unknown = shown.difference(PRECISION_RADIUS_M)
    if unknown:
        raise ValueError(
            f"unknown precision(s) {sorted(unknown)}; expected {list(PRECISION_RADIUS_M)}"
        )
    return [
        LegendRow(
            PRECISION,
            key,
            PRECISION_LABELS[key],
            "point" if key == "exact" else "ring",
            NEUTRAL,
            NEUTRAL if key == "exact" else None,
            key in ("near", "country"),
        )
        for key in PRECISION_RADIUS_M
        if key in shown
    ]


def reference_rows(layers: Iterable[str], *, towns: bool = False) -> list[LegendRow]:
    """Rows of the reference layers drawn (ids of palette.BASE_STYLES; "land" is shown as the
    international border), in :data:`REFERENCE_ORDER`; ``towns`` adds the town-label row."""
    shown = set(layers)
    unknown = shown.difference(REFERENCE_ORDER)
    if unknown:
        raise ValueError(
            f"unknown reference layer(s) {sorted(unknown)}; expected {list(REFERENCE_ORDER)}"
        )
    out = [
        _style_row(REFERENCE, lid, BASE_STYLES["borders" if lid == "land" else lid])
        for lid in REFERENCE_ORDER
        if lid in shown
    ]
    if towns:
        out.append(LegendRow(REFERENCE, "labels", "Town / city", "town", "#222222", "#222222"))
    return out


def legend_rows(
    *,
    controllers: Iterable[str] = (),
    zone_kinds: Iterable[str] = (),
    event_types: Iterable[str] = (),
    precisions: Iterable[str] = (),
    soviet: bool = False,
    reference: Iterable[str] = (),
    precision_detail: bool = False,
    towns: bool = False,
) -> list[LegendRow]:
    """Every legend row for what is shown, in the map's order (see the module docstring).

    Pass only what is drawn: the controllers and zone kinds in force on the as-of day (none
    when their layer is off), the types and precisions of the shown events, ``soviet`` before
    control is modelled, and the reference layers drawn."""
    rows = [SOVIET_ROW] if soviet else []
    rows += control_rows(controllers)
    rows += zone_rows(zone_kinds)
    types = list(event_types)
    rows += event_rows(types)
    if types:
        rows += precision_rows(precisions, detail=precision_detail)
    rows += reference_rows(reference, towns=towns)
    return rows


def entries(rows: Iterable[LegendRow]) -> list[dict]:
    """The rows as the map's JavaScript legend reads them."""
    return [r.entry() for r in rows]


def sections(rows: Iterable[LegendRow]) -> list[tuple[str, list[LegendRow]]]:
    """The rows grouped by section, sections in order of first appearance (rows keep theirs)."""
    out: dict[str, list[LegendRow]] = {}
    for r in rows:
        out.setdefault(r.section, []).append(r)
    return list(out.items())


__all__ = [
    "APPROXIMATE_ROW",
    "REFERENCE_ORDER",
    "SOVIET_ROW",
    "LegendRow",
    "changes_row",
    "control_rows",
    "entries",
    "event_rows",
    "legend_rows",
    "precision_rows",
    "reference_rows",
    "sections",
    "zone_rows",
]
