"""GeoDataFrames as one KML 2.2 document: a Folder per layer, a TimeSpan from valid_from /
valid_to (or an event's date / end_date), and the map's colours from :mod:`palette`.

Hand-written because GDAL's KML drivers write neither styles nor time spans per folder; all
text is XML-escaped by ElementTree.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from palette import BASE_STYLES, CONTROL_STYLES, EVENT_STYLES, ZONE_STYLES

__all__ = ["kml_color", "to_kml"]

KML_NS = "http://www.opengis.net/kml/2.2"
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Which column picks the style in each layer, and the palette table it indexes.
_STYLE_KEYS: dict[str, tuple[str, Mapping]] = {
    "control_periods": ("controller", CONTROL_STYLES),
    "zones": ("kind", ZONE_STYLES),
    "events": ("type", EVENT_STYLES),
}
#: Layers drawn with one palette style.
_LAYER_STYLE = {"nkao": "nkao", "districts": "districts", "enclaves": "enclaves"}
#: (start, end) column pairs that give a row's time span, first match wins.
_SPANS = (("valid_from", "valid_to"), ("date", "end_date"))


def kml_color(hex_rgb: str, alpha: int = 0xFF) -> str:
    """``#rrggbb`` (the palette's form) as KML's ``aabbggrr``."""
    r, g, b = hex_rgb[1:3], hex_rgb[3:5], hex_rgb[5:7]
    return f"{alpha:02x}{b}{g}{r}".lower()


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{KML_NS}}}{tag}", attrib)
    if text is not None:
        el.text = _XML_ILLEGAL.sub("", text)
    return el


def _style(doc: ET.Element, sid: str, line: str, fill: str | None, opacity: float) -> None:
    style = _sub(doc, "Style", id=sid)
    _sub(_sub(style, "LineStyle"), "color", kml_color(line))
    poly = _sub(style, "PolyStyle")
    if fill:
        _sub(poly, "color", kml_color(fill, round(255 * max(opacity, 0.1))))
    else:
        _sub(poly, "fill", "0")
    _sub(_sub(style, "IconStyle"), "color", kml_color(line))


def _styles(doc: ET.Element) -> None:
    for layer, (_, table) in _STYLE_KEYS.items():
        for key, st in table.items():
            fill = getattr(st, "fill", None)
            _style(doc, f"{layer}-{key}", st.color, fill, getattr(st, "fill_opacity", 0.0))
    for layer, key in _LAYER_STYLE.items():
        st = BASE_STYLES[key]
        _style(doc, layer, st.color, st.fill, st.fill_opacity)


def _coords(geom: BaseGeometry) -> str:
    return " ".join(f"{x!r},{y!r}" for x, y in shapely.get_coordinates(geom))


def _geometry(parent: ET.Element, geom: BaseGeometry) -> None:
    """Point / LineString / Polygon (with holes) / multi-parts as KML; empty: nothing."""
    if geom is None or geom.is_empty:
        return
    parts = list(shapely.get_parts(geom))
    if len(parts) > 1:
        parent = _sub(parent, "MultiGeometry")
    for part in parts:
        if part.geom_type == "Point":
            _sub(_sub(parent, "Point"), "coordinates", _coords(part))
        elif part.geom_type == "LineString":
            _sub(_sub(parent, "LineString"), "coordinates", _coords(part))
        elif part.geom_type == "Polygon":
            poly = _sub(parent, "Polygon")
            ring = _sub(_sub(poly, "outerBoundaryIs"), "LinearRing")
            _sub(ring, "coordinates", _coords(part.exterior))
            for hole in part.interiors:
                ring = _sub(_sub(poly, "innerBoundaryIs"), "LinearRing")
                _sub(ring, "coordinates", _coords(hole))


def _text(value: object) -> str | None:
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def _time(pm: ET.Element, row: pd.Series) -> None:
    for start, end in _SPANS:
        if start in row.index and _text(row[start]):
            span = _sub(pm, "TimeSpan")
            _sub(span, "begin", _text(row[start]))
            if _text(row.get(end)):
                _sub(span, "end", _text(row[end]))
            return


def _style_url(layer: str, row: pd.Series) -> str | None:
    if layer in _STYLE_KEYS:
        column, table = _STYLE_KEYS[layer]
        key = row.get(column)
        return f"#{layer}-{key}" if key in table else None
    return f"#{layer}" if layer in _LAYER_STYLE else None


def _placemark(folder: ET.Element, layer: str, row: pd.Series) -> None:
    pm = _sub(folder, "Placemark")
    name = next((_text(row[c]) for c in ("label", "name", "title", "id") if c in row.index), None)
    _sub(pm, "name", name or "")
    _time(pm, row)
    url = _style_url(layer, row)
    if url:
        _sub(pm, "styleUrl", url)
    ext = _sub(pm, "ExtendedData")
    for col, value in row.items():
        if col == "geometry" or _text(value) is None:
            continue
        _sub(_sub(ext, "Data", name=str(col)), "value", _text(value))
    _geometry(pm, row["geometry"])


def to_kml(layers: Mapping[str, gpd.GeoDataFrame], name: str, description: str) -> str:
    """Layers (name -> frame in EPSG:4326) as one KML document (UTF-8 text)."""
    ET.register_namespace("", KML_NS)
    root = ET.Element(f"{{{KML_NS}}}kml")
    doc = _sub(root, "Document")
    _sub(doc, "name", name)
    _sub(doc, "description", description)
    _styles(doc)
    for layer, gdf in layers.items():
        folder = _sub(doc, "Folder", id=layer)
        _sub(folder, "name", layer)
        for _, row in gdf.to_crs("EPSG:4326").iterrows():
            _placemark(folder, layer, row)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
