"""Hostile text (HTML/JS in titles, summaries, actors, places, sources) stays text everywhere.

One small hostile dataset (tests/hostile.py) goes through each path that shows or writes
user text: the importers, the map's data and state scripts, the table frame, the charts,
CSV / GeoJSON / KML exports, the briefing PNG/PDF and the standalone HTML. Source URLs that
are not http(s) never become links. The browser half is tests/browser/test_hostile.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from events.io.detect import import_file
from events.io.export import to_csv, to_geojson, to_kml
from events.io.native import import_csv, import_geojson
from events.schema import Event, ResolvedEvent, Source
from kmap import charts
from kmap.briefing import render_pdf, render_png
from kmap.datasets import events_collection
from kmap.map.datasets import dataset_specs
from kmap.map.elements import js_json, state_group
from kmap.map.features import event_feature
from kmap.map.standalone import standalone_html
from kmap.situation import situation
from kmap.tables import json_text
from kmap.view_export import briefing_spec
from kmap.viewstate import ViewState
from tests.hostile import (
    DATA_URL,
    JS_URL,
    P1,
    P2,
    P3,
    PAYLOADS,
    PLAIN,
    hostile_csv,
    hostile_geojson,
)

pytestmark = pytest.mark.unit

K = "{http://www.opengis.net/kml/2.2}"
VIEW = ViewState(start=dt.date(2021, 5, 1), end=dt.date(2021, 6, 1))


@pytest.fixture(scope="module")
def events() -> list[ResolvedEvent]:
    r = import_csv(io.BytesIO(hostile_csv()))
    return r.events


def _texts(ev: ResolvedEvent) -> list[str]:
    e = ev.event
    return [
        e.title,
        e.summary,
        ev.place or "",
        ev.place_hy or "",
        ev.place_az or "",
        *e.actors,
        *(s.publisher for s in e.sources),
        *(s.title or "" for s in e.sources),
    ]


def _with_bad_url(ev: ResolvedEvent, url: str) -> ResolvedEvent:
    """The event with a non-http(s) source URL, bypassing validation (defence in depth)."""
    src = Source.model_construct(url=url, publisher="Evil", title=None, published=None)
    bad = Event.model_construct(**{**dict(ev.event), "sources": [src]})
    return ResolvedEvent(bad, ev.lon, ev.lat, ev.geo_precision, ev.place)


# ------------------------------------------------------------------------------ importers


@pytest.mark.parametrize(
    ("data", "name"),
    [(hostile_csv(), "hostile.csv"), (hostile_geojson(), "hostile.geojson")],
)
def test_importers_keep_hostile_text_and_reject_non_http_urls(data: bytes, name: str) -> None:
    r = import_file(data, name)
    assert [e.id for e in r.events] == ["hostile-1", "hostile-2", "hostile-3"]
    texts = " ".join(t for ev in r.events for t in _texts(ev))
    for p in (*PAYLOADS, *PLAIN):
        assert p in texts  # kept verbatim: text is escaped where shown, not altered here
    assert [(x.row, x.field) for x in r.rejected] == [
        (5 if name.endswith(".csv") else 4, "sources"),
        (6 if name.endswith(".csv") else 5, "sources"),
    ]
    for x in r.rejected:
        assert x.file == name and "http(s)" in x.reason
    for ev in r.events:
        assert all(re.match(r"https?://", s.url) for s in ev.event.sources)


@pytest.mark.parametrize("url", [JS_URL, DATA_URL, "JavaScript:alert(4)", " javascript:x", "//x"])
def test_plain_url_sources_column_rejects_other_schemes(url: str) -> None:
    head = "id,date,type,title,summary,geo_precision,lon,lat,sources\r\n"
    row = f"bad-url,2021-05-12,clash,Title,A summary here.,exact,46.7,39.8,{json.dumps(url)}\r\n"
    r = import_csv(io.StringIO(head + row))
    assert r.events == []
    assert [(x.row, x.field) for x in r.rejected] == [(2, "sources")]
    assert "http(s)" in r.rejected[0].reason


# ------------------------------------------------------------------------------ map data


def test_map_data_and_state_scripts_cannot_break_out(events: list[ResolvedEvent]) -> None:
    feats = json.dumps([event_feature(ev) for ev in events])
    for p in (P1, P2, P3):
        assert json.dumps(p)[1:-1] in feats  # the popup's data carry the text unchanged
    script = js_json(dataset_specs({"events": events_collection(events)}))
    assert "<" not in script and ">" not in script and "&" not in script
    assert json.loads(script)[0]["src"]["features"][0]["properties"]["title"] == events[0].title
    legend = [{"label": P2, "kind": "point", "color": "#000", "fill": None, "dash": False}]
    fg = state_group({"events": "AA=="}, [P1, P2], None, legend)
    from folium import Map

    m = Map(tiles=None)
    fg.add_to(m)
    html = m.get_root().render()
    for p in (P1, P2, "</script><script>", "<img", "<svg"):
        assert p not in html


# ------------------------------------------------------------------------------ table, charts


def test_table_frame_is_text_and_links_only_http(events: list[ResolvedEvent]) -> None:
    df = charts.events_frame(events)
    assert df["title"].tolist() == [ev.title for ev in events]
    assert any(P1 in a for a in df["actors"])
    assert all(u.startswith("https://") for u in df["source"])
    bad = [_with_bad_url(events[0], JS_URL), _with_bad_url(events[1], DATA_URL)]
    assert charts.events_frame(bad)["source"].tolist() == ["", ""]


def test_charts_carry_no_user_text_into_tooltips(events: list[ResolvedEvent]) -> None:
    spec = json.dumps(charts.timeline_chart(events, "month").to_dict())
    for p in (*PAYLOADS, *PLAIN):
        assert p not in spec and json.dumps(p)[1:-1] not in spec


# ------------------------------------------------------------------------------ exports


def test_csv_export_keeps_text_literal_and_guards_formulas(events: list[ResolvedEvent]) -> None:
    f = Event.model_validate(
        {
            **events[0].event.model_dump(),
            "id": "formula-1",
            "title": '=HYPERLINK("javascript:alert(1)","x")',
        }
    )
    evs = [*events, ResolvedEvent(f, events[0].lon, events[0].lat, events[0].geo_precision)]
    text = to_csv(evs)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[-1]["title"].startswith("'=HYPERLINK")
    assert rows[0]["title"] == events[0].title  # HTML is not a spreadsheet formula: literal
    back = import_csv(io.StringIO(text))
    assert [ev.title for ev in back.events] == [ev.title for ev in evs]


def test_geojson_export_is_data_with_http_urls_only(events: list[ResolvedEvent]) -> None:
    doc = json.loads(json_text(to_geojson(events)))
    props = [f["properties"] for f in doc["features"]]
    assert [p["title"] for p in props] == [ev.title for ev in events]
    assert all(s["url"].startswith("https://") for p in props for s in p["sources"])
    back = import_geojson(io.BytesIO(json.dumps(doc).encode()))
    assert [_texts(e) for e in back.events] == [_texts(e) for e in events]


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text outside <script>/<style>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self._raw = 0
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._raw += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._raw = max(0, self._raw - 1)

    def handle_data(self, data: str) -> None:
        if self._raw and self.tags and self.tags[-1][0] == "script":
            self.scripts.append(data)
        elif not self._raw:
            self.text.append(data)


def _parse(html: str) -> _Tags:
    p = _Tags()
    p.feed(html)
    p.close()
    return p


def test_kml_description_html_has_only_our_tags(events: list[ResolvedEvent]) -> None:
    bad = _with_bad_url(events[2], JS_URL)
    root = ET.fromstring(to_kml([*events, bad]).encode("utf-8"))
    pms = root.findall(f"{K}Document/{K}Placemark")
    assert [p.find(f"{K}name").text for p in pms[:3]] == [ev.title for ev in events]
    for pm in pms:
        tree = _parse(pm.find(f"{K}description").text)
        assert {t for t, _ in tree.tags} <= {"p", "b", "br", "ul", "li", "a", "i"}
        for tag, attrs in tree.tags:
            assert not [a for a in attrs if a.startswith("on")]
            if tag == "a":
                assert set(attrs) == {"href"} and attrs["href"].startswith(("http://", "https://"))
    text = " ".join(_parse(pms[0].find(f"{K}description").text).text)
    assert events[0].summary.split(": ", 1)[1] in text  # shown as the literal text
    assert "Evil" in " ".join(_parse(pms[3].find(f"{K}description").text).text)


def test_standalone_html_has_no_injected_markup(events: list[ResolvedEvent]) -> None:
    html = standalone_html(events, VIEW, title=P2)
    tree = _parse(html)
    for tag, attrs in tree.tags:
        assert tag not in ("img", "svg", "iframe", "object", "embed"), tag
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        for v in attrs.values():
            assert not str(v).strip().lower().startswith(("javascript:", "data:text"))
    assert "".join(tree.text).count(P2) == 1  # the <title>, as text
    for body in tree.scripts:
        assert "</script" not in body.lower()
    for p in (P1, P3, *PLAIN):
        assert p not in html
    # the data are there, as JSON strings
    assert json.dumps(events[0].title)[1:-1].replace("<", "\\u003c")[:20] in html


def test_briefing_pdf_and_png_show_text_literally(events: list[ResolvedEvent]) -> None:
    from pypdf import PdfReader

    view = ViewState(start=VIEW.start, end=VIEW.end, layers=frozenset({"events"}))
    sit = situation(events, view)
    assert len(sit.shown) == 3
    spec = briefing_spec(view, sit, None, f"Title {PLAIN[0]}", PLAIN[2])
    pdf = render_pdf(spec)
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert f"Title {PLAIN[0]}" in text
    assert PLAIN[2] in text
    assert "Pub </script><script>" in text  # a source publisher, in the sources line
    for marker in (b"/JavaScript", b"/JS ", b"/Launch", b"/URI", b"/OpenAction"):
        assert marker not in pdf
    png = render_png(spec)
    assert png.startswith(b"\x89PNG")
