"""One table of colours and symbols, shared by the live map, the legend, briefings and KML.

A leaf: it imports nothing of ours, so geo and events (KML) use the same colours as kmap.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LayerStyle:
    """How a layer is drawn; its legend row comes from kmap.legend (label, kind = swatch)."""

    label: str
    kind: str  # fill | line | point | ring (legend swatch)
    color: str
    fill: str | None = None
    fill_opacity: float = 0.0
    weight: float = 1.0
    dash: str | None = None

    def leaflet(self) -> dict:
        """Leaflet path options for this style."""
        out: dict = {"color": self.color, "weight": self.weight, "opacity": 0.9}
        if self.fill:
            out.update(fill=True, fillColor=self.fill, fillOpacity=self.fill_opacity)
        else:
            out["fill"] = False
        if self.dash:
            out["dashArray"] = self.dash
        return out


#: Static (base) layers, keyed by the layer id used in the UI's layer toggles.
BASE_STYLES: dict[str, LayerStyle] = {
    "land": LayerStyle("Land (Natural Earth)", "fill", "#b8b2a6", "#f3f0e8", 1.0, 0.6),
    "borders": LayerStyle("International border", "line", "#4d4d4d", weight=2.0),
    "lakes": LayerStyle("Lakes", "fill", "#8fb4d0", "#b9d3e6", 1.0, 0.5),
    "rivers": LayerStyle("Rivers", "line", "#7fb1d8", weight=1.2),
    "admin": LayerStyle("District / province boundary", "line", "#a39e93", weight=0.5, dash="2 3"),
    # outlines only: a tint here would mix with the control fill under it (issue #18)
    "districts": LayerStyle(
        "Seven districts around the former NKAO", "fill", "#8c6d46", None, 0.0, 1.2, "6 4"
    ),
    "nakhchivan": LayerStyle("Nakhchivan", "fill", "#7b6a9c", "#cfc5e3", 0.25, 0.8),
    "nkao": LayerStyle("Former NKAO (1991)", "line", "#5b2a86", weight=2.6, dash="8 5"),
    "enclaves": LayerStyle("Soviet-era enclave / exclave", "fill", "#c51b7d", None, 0.0, 2.0),
    "enclave_points": LayerStyle(
        "Enclave known only as a point", "ring", "#c51b7d", "#f1b6da", 0.4, 2.0, "3 3"
    ),
}

#: Toponym modes offered by the UI (see geo.toponyms.toponym).
TOPONYM_MODES = {
    "both": "Both names",
    "armenian": "Armenian-side names",
    "azerbaijani": "Azerbaijani-side names",
}


@dataclass(frozen=True)
class EventStyle:
    """Symbol of an event type: colour, a one-letter glyph (readable in print) and a label."""

    label: str
    color: str
    glyph: str


#: One symbol per event type (events.schema.EventType); colour-blind-safe-ish, distinct glyphs.
EVENT_STYLES: dict[str, EventStyle] = {
    "control_change": EventStyle("Control change", "#d62728", "C"),
    "clash": EventStyle("Clash / strike", "#8c2d04", "X"),
    "ceasefire": EventStyle("Ceasefire", "#2ca02c", "F"),
    "agreement": EventStyle("Agreement / statement", "#1f77b4", "A"),
    "peacekeeper_deployment": EventStyle("Peacekeeper deployment", "#17becf", "P"),
    "peacekeeper_withdrawal": EventStyle("Peacekeeper withdrawal", "#0e7c86", "W"),
    "monitoring_mission": EventStyle("Monitoring mission", "#9467bd", "M"),
    "blockade": EventStyle("Blockade", "#e377c2", "B"),
    "checkpoint": EventStyle("Checkpoint", "#bcbd22", "K"),
    "displacement": EventStyle("Displacement", "#ff7f0e", "D"),
    "border_delimitation": EventStyle("Border delimitation", "#7f7f7f", "L"),
    "transport_link": EventStyle("Transport link", "#393b79", "T"),
    "political": EventStyle("Political", "#637939", "G"),
}

#: How far an event may be from its point, by location precision (uncertainty ring, metres).
PRECISION_RADIUS_M: dict[str, int] = {
    "exact": 0,
    "near": 10_000,
    "district": 25_000,
    "region": 60_000,
    "country": 0,  # no ring: a country-wide ring would suggest a place that is not known
}
PRECISION_LABELS: dict[str, str] = {
    "exact": "Exact place (solid symbol)",
    "near": "Near a place, ~10 km (pale, dashed)",
    "district": "Somewhere in a district, ~25 km (hollow)",
    "region": "Region-wide, ~60 km (hollow)",
    "country": "Country only: the point stands for the whole country (hollow, dotted)",
}

#: Who held an area (geo.control controllers) and the zones drawn over it. One colour per side
#: on every map, chart, briefing and KML: an orange/blue pair that stays apart for protan,
#: deutan and tritan readers and from the land under it (CIEDE2000 of the colour shown, see
#: tests/unit/test_kmap_palette.py). Zones are outlines only, so the side's colour under a zone
#: never mixes with a zone tint.
CONTROL_STYLES: dict[str, LayerStyle] = {
    "armenian": LayerStyle("Held by Armenian forces", "fill", "#a64b00", "#e66101", 0.5, 0.8),
    "azerbaijani": LayerStyle(
        "Held by Azerbaijani forces", "fill", "#1d5a96", "#2c7bb6", 0.45, 0.8
    ),
}
ZONE_STYLES: dict[str, LayerStyle] = {
    "peacekeeping_zone": LayerStyle(
        "Russian peacekeepers' zone of responsibility", "fill", "#1b7837", None, 0.0, 2.5, "6 4"
    ),
    "corridor": LayerStyle("Lachin corridor (5 km)", "fill", "#762a83", None, 0.0, 2.5, "1 4"),
    "monitoring_centre": LayerStyle(
        "Russian-Turkish monitoring centre", "ring", "#40004b", "#e7d4e8", 0.6, 2.0
    ),
    "eu_mission": LayerStyle(
        "EU mission in Armenia (area)", "fill", "#003399", None, 0.0, 1.5, "2 4"
    ),
}


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    if len(h) != 6:
        raise ValueError(f"not a #rrggbb colour: {hex_colour!r}")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def blend(fill: str, opacity: float, ground: str | None = None) -> str:
    """`fill` at `opacity` over `ground` (default: the offline land fill), as #rrggbb."""
    under = _rgb(ground or BASE_STYLES["land"].fill or "#ffffff")
    over = _rgb(fill)
    return "#" + "".join(
        f"{round(opacity * o + (1 - opacity) * u):02x}" for o, u in zip(over, under, strict=True)
    )


def shown_fill(style: LayerStyle, ground: str | None = None) -> str | None:
    """The colour a style's fill shows as over `ground` (default: the offline land fill): what
    its legend swatch shows and what a reader compares; None for an outline-only style."""
    return blend(style.fill, style.fill_opacity, ground) if style.fill else None
