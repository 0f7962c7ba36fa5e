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
    "districts": LayerStyle(
        "Seven districts around the former NKAO", "fill", "#8c6d46", "#c9a977", 0.12, 1.2, "6 4"
    ),
    "nakhchivan": LayerStyle("Nakhchivan", "fill", "#7b6a9c", "#cfc5e3", 0.25, 0.8),
    "nkao": LayerStyle("Former NKAO (1991)", "line", "#5b2a86", weight=2.6, dash="8 5"),
    "enclaves": LayerStyle("Soviet-era enclave / exclave", "fill", "#c51b7d", "#f1b6da", 0.6, 2.0),
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

#: Who held an area (geo.control controllers) and the zones drawn over it.
CONTROL_STYLES: dict[str, LayerStyle] = {
    "armenian": LayerStyle("Held by Armenian forces", "fill", "#b35806", "#f1a340", 0.35, 0.8),
    "azerbaijani": LayerStyle(
        "Held by Azerbaijani forces", "fill", "#2166ac", "#67a9cf", 0.25, 0.8
    ),
}
ZONE_STYLES: dict[str, LayerStyle] = {
    "peacekeeping_zone": LayerStyle(
        "Russian peacekeepers' zone of responsibility",
        "fill",
        "#1b7837",
        "#a6dba0",
        0.15,
        2.0,
        "6 4",
    ),
    "corridor": LayerStyle("Lachin corridor (5 km)", "fill", "#762a83", "#c2a5cf", 0.45, 1.5),
    "monitoring_centre": LayerStyle(
        "Russian-Turkish monitoring centre", "ring", "#40004b", "#e7d4e8", 0.6, 2.0
    ),
    "eu_mission": LayerStyle(
        "EU mission in Armenia (area)", "fill", "#003399", "#ffcc00", 0.08, 1.5, "2 4"
    ),
}
