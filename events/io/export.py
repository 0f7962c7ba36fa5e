"""Write events as CSV, GeoJSON or KML.

* CSV reads back with :func:`events.io.native.import_csv`; text a spreadsheet would run as a
  formula (starting ``= + - @``) is prefixed with ``'`` and un-prefixed on import.
* GeoJSON reads back with :func:`events.io.native.import_geojson`.
* KML 2.2 (Google Earth): one Placemark per event, with TimeStamp/TimeSpan and a description
  whose sources are links; all text is escaped (the description is HTML, escaped twice:
  once as HTML, once as XML).
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from typing import Any

from events.io.native import CSV_COLUMNS, CSV_TEXT_COLUMNS, csv_guard
from events.publishers import source_label
from events.schema import DatePrecision, EventType, ResolvedEvent, Source
from palette import EVENT_STYLES

KML_NS = "http://www.opengis.net/kml/2.2"

LICENCE_NOTE = (
    "karabakh-map event catalogue, licence: CC BY 4.0; imported records keep their "
    "provider's terms (ACLED, UCDP). Locations and dates carry stated precision."
)


def kml_color(hex_rgb: str, alpha: int = 0xFF) -> str:
    """``#rrggbb`` (the palette's form) as KML's ``aabbggrr``."""
    r, g, b = hex_rgb[1:3], hex_rgb[3:5], hex_rgb[5:7]
    return f"{alpha:02x}{b}{g}{r}".lower()


_HTTP_URL = re.compile(r"^https?://", re.IGNORECASE)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(s: str) -> str:
    """Drop characters XML 1.0 cannot carry (control characters, lone surrogates)."""
    return _XML_ILLEGAL.sub("", s)


def event_record(ev: ResolvedEvent) -> dict[str, Any]:
    """A flat, JSON-friendly dict of one event (the common form of every exporter)."""
    e = ev  # its accessors (events.packed.PackedEvent makes .event on demand)
    return {
        "id": e.id,
        "date": e.date.isoformat(),
        "end_date": e.end_date.isoformat() if e.end_date else None,
        "date_precision": e.date_precision.value,
        "type": e.type.value,
        "title": e.title,
        "summary": e.summary,
        "place": ev.place,
        "place_hy": ev.place_hy,
        "place_az": ev.place_az,
        "lon": None if ev.placeless else ev.lon,
        "lat": None if ev.placeless else ev.lat,
        "geo_precision": ev.geo_precision.value,
        "actors": list(e.actors),
        "confidence": e.confidence.value,
        "related_area": e.related_area,
        "notes": e.notes,
        "sources": [s.model_dump(mode="json", exclude_none=True) for s in e.sources],
        "kind": ev.kind.value,
        "no_place": "true" if ev.placeless else None,
    }


def actors_text(actors: Sequence[str]) -> str:
    """Actors as one text cell: ``"a; b"``, or a JSON list when joining would lose something
    (an actor holding ``;``, stray spaces, an empty name, a repeat, or a leading ``[``);
    :func:`events.io.native.import_csv` reads both back."""
    actors = list(actors)
    lossy = any(";" in a or a != " ".join(a.split()) or not a for a in actors) or len(
        set(actors)
    ) != len(actors)
    if lossy or (actors and actors[0].lstrip().startswith("[")):
        return json.dumps(actors, ensure_ascii=False)
    return "; ".join(actors)


def sources_json(sources: Sequence[Source]) -> str:
    """Sources as a JSON list of objects (unset fields left out): exact and machine-readable."""
    return json.dumps(
        [s.model_dump(mode="json", exclude_none=True) for s in sources], ensure_ascii=False
    )


#: Readable columns per source, after CSV_COLUMNS: source_1_publisher, source_1_url, ...
SOURCE_FIELDS = ("publisher", "kind", "url", "title", "published")


def to_csv(events: Iterable[ResolvedEvent], *, bom: bool = True) -> str:
    """Events as CSV text that opens right in Excel and reads back with import_csv.

    UTF-8 with a byte-order mark (Excel otherwise reads "–" as "â€“"); the columns of
    events.io.native.CSV_COLUMNS (``sources`` as a JSON list, for an exact round trip), then
    ``source_N_publisher``, ``source_N_url``, ``source_N_title``, ``source_N_published`` for
    reading; blank cells for missing values; formula-like text guarded. ``bom=False`` for text
    printed to a terminal or pipe."""
    evs = list(events)
    n_sources = max((len(ev.sources) for ev in evs), default=1)
    extra = [f"source_{i}_{f}" for i in range(1, n_sources + 1) for f in SOURCE_FIELDS]
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([*CSV_COLUMNS, *extra])
    for ev in evs:
        rec = event_record(ev)
        rec["actors"] = actors_text(rec["actors"])
        for i, src in enumerate(rec["sources"], start=1):
            for f in SOURCE_FIELDS:
                rec[f"source_{i}_{f}"] = src.get(f)
            # who is speaking, from the publisher register ("wire agency", "Armenian state or
            # aligned media"); blank for a host the register does not know
            label = source_label(src.get("url", ""), src.get("publisher", ""))
            rec[f"source_{i}_kind"] = label.split(" — ", 1)[1] if " — " in label else None
        rec["sources"] = json.dumps(rec["sources"], ensure_ascii=False)  # = sources_json
        rec["lon"] = "" if ev.placeless else repr(ev.lon)  # no place on the map: blank
        rec["lat"] = "" if ev.placeless else repr(ev.lat)
        row = []
        for col in (*CSV_COLUMNS, *extra):
            v = rec.get(col)
            v = "" if v is None else str(v)
            row.append(csv_guard(v) if col in CSV_TEXT_COLUMNS or col in extra else v)
        w.writerow(row)
    return ("\ufeff" if bom else "") + buf.getvalue()


def to_geojson(events: Iterable[ResolvedEvent]) -> dict[str, Any]:
    """Events as a GeoJSON FeatureCollection of Points (properties = event_record minus lon/lat).

    Written here rather than through geopandas: the properties keep their JSON types (sources
    a list of objects, actors a list, dates as YYYY-MM-DD) for an exact round trip through
    import_geojson, which a GeoDataFrame's typed columns would not give, and this is ~2x
    faster. A GeoPackage or a GeoJSON file for GIS goes through events.frame.to_geodataframe
    and pyogrio."""
    features = []
    for ev in events:
        props = event_record(ev)
        del props["lon"], props["lat"]
        features.append(
            {
                "type": "Feature",
                "id": ev.id,
                "geometry": None
                if ev.placeless
                else {"type": "Point", "coordinates": [ev.lon, ev.lat]},
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _kml_when(d: Any, precision: DatePrecision) -> str:
    if precision is DatePrecision.year:
        return f"{d.year:04d}"
    if precision is DatePrecision.month:
        return f"{d.year:04d}-{d.month:02d}"
    return d.isoformat()


def _description_html(ev: ResolvedEvent) -> str:
    e = ev  # its accessors (events.packed.PackedEvent makes .event on demand)
    esc = html.escape
    parts = [f"<p>{esc(e.summary)}</p>", "<p>"]
    date = e.date.isoformat() + (f" – {e.end_date.isoformat()}" if e.end_date else "")
    parts.append(f"<b>Date:</b> {esc(date)} ({esc(e.date_precision.value)})<br/>")
    place = " / ".join(p for p in (ev.place, ev.place_hy, ev.place_az) if p)
    if place:
        parts.append(f"<b>Place:</b> {esc(place)}<br/>")
    parts.append(f"<b>Location precision:</b> {esc(ev.geo_precision.value)}<br/>")
    parts.append(f"<b>Type:</b> {esc(e.type.value)}<br/>")
    if e.actors:
        parts.append(f"<b>Actors:</b> {esc(', '.join(e.actors))}<br/>")
    parts.append(f"<b>Confidence:</b> {esc(e.confidence.value)}</p>")
    parts.append("<p><b>Sources:</b></p><ul>")
    for s in e.sources:
        label = s.publisher + (f": {s.title}" if s.title else "")
        if s.published:
            label += f" ({s.published.isoformat()})"
        if _HTTP_URL.match(str(s.url)):
            parts.append(f'<li><a href="{esc(s.url, quote=True)}">{esc(label)}</a></li>')
        else:  # never a javascript:/data: link, even for an event built without validation
            parts.append(f"<li>{esc(label)}</li>")
    parts.append("</ul>")
    if e.notes:
        parts.append(f"<p><i>{esc(e.notes)}</i></p>")
    return "".join(parts)


def to_kml(events: Iterable[ResolvedEvent], name: str = "karabakh-map events") -> str:
    """Events as a KML 2.2 document (UTF-8 text with XML declaration)."""
    ET.register_namespace("", KML_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{KML_NS}}}{tag}", attrib)
        if text is not None:
            el.text = _xml_text(text)
        return el

    root = ET.Element(f"{{{KML_NS}}}kml")
    doc = sub(root, "Document")
    sub(doc, "name", name)
    sub(doc, "description", LICENCE_NOTE)
    for t in EventType:  # the map's colours (palette), so a type reads the same everywhere
        style = sub(doc, "Style", id=f"type-{t.value}")
        icon = sub(style, "IconStyle")
        sub(icon, "color", kml_color(EVENT_STYLES[t.value].color))
    for ev in events:
        e = ev  # its accessors (events.packed.PackedEvent makes .event on demand)
        pm = sub(doc, "Placemark", id=e.id)
        sub(pm, "name", e.title)
        sub(pm, "description", _description_html(ev))
        if e.end_date:
            span = sub(pm, "TimeSpan")
            sub(span, "begin", _kml_when(e.date, e.date_precision))
            sub(span, "end", e.end_date.isoformat())
        else:
            stamp = sub(pm, "TimeStamp")
            sub(stamp, "when", _kml_when(e.date, e.date_precision))
        sub(pm, "styleUrl", f"#type-{e.type.value}")
        ext = sub(pm, "ExtendedData")
        for key, value in (
            ("id", e.id),
            ("type", e.type.value),
            ("date_precision", e.date_precision.value),
            ("geo_precision", ev.geo_precision.value),
            ("confidence", e.confidence.value),
        ):
            data = sub(ext, "Data", name=key)
            sub(data, "value", value)
        if not ev.placeless:  # a Placemark without geometry is listed, not drawn
            point = sub(pm, "Point")
            sub(point, "coordinates", f"{ev.lon!r},{ev.lat!r}")
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def to_table(events: Iterable[ResolvedEvent], width: int = 60) -> str:
    """A plain-text table (id, date, type, precision, place, title) for the terminal."""
    rows = [("id", "date", "type", "geo", "place", "title")]
    for ev in events:
        date = ev.date.isoformat() + (f"..{ev.end_date.isoformat()}" if ev.end_date else "")
        title = " ".join(ev.title.split())
        title = title if len(title) <= width else title[: width - 1] + "…"
        rows.append((ev.id, date, ev.type.value, ev.geo_precision.value, ev.place or "", title))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(widths[i]) for i, c in enumerate(r)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def export(events: Iterable[ResolvedEvent], fmt: str) -> str:
    """Events in one of: table, csv, geojson, kml (as text)."""
    events = list(events)
    if fmt == "csv":
        return to_csv(events, bom=False)  # printed: a pipe wants no byte-order mark
    if fmt == "geojson":
        return json.dumps(to_geojson(events), ensure_ascii=False, indent=1) + "\n"
    if fmt == "kml":
        return to_kml(events)
    if fmt == "table":
        return to_table(events)
    raise ValueError(f"unknown format {fmt!r} (table, csv, geojson, kml)")
