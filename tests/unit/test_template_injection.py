"""No user or data text ever runs as a template (server-side template injection).

folium/branca compile each element's rendered script as a Jinja template a second time; a
briefing title such as ``{{cycler.__init__.__globals__.os.popen('id').read()}}`` used to run on
the server. Payloads (tests/templating.py) go into the title and every text field of our CSV,
an ACLED file and a UCDP file, then through every export and the app's map scripts. A payload
that ran would create a marker file: each test asserts it does not exist, that nothing crashed,
and that the text comes out as written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from branca.element import Figure
from jinja2 import Template

from events.io.detect import import_file
from events.io.export import to_csv, to_geojson, to_kml
from events.schema import ResolvedEvent
from kmap.briefing import render_pdf, render_png
from kmap.datasets import events_collection
from kmap.map import component
from kmap.map.builder import MapView, build_map
from kmap.map.datasets import dataset_specs
from kmap.map.elements import DatasetSetup, ScriptMacro, js_json, state_group
from kmap.map.standalone import standalone_html
from kmap.situation import situation
from kmap.tables import json_text
from kmap.view_export import briefing_spec
from kmap.viewstate import ViewState
from tests.templating import INERT, acled_csv, exec_payload, native_csv, payloads, ucdp_csv

pytestmark = pytest.mark.unit

VIEW = ViewState(start=dt.date(2021, 5, 1), end=dt.date(2021, 6, 1))
FILES = {"csv": ("t.csv", native_csv), "acled": ("a.csv", acled_csv), "ucdp": ("u.csv", ucdp_csv)}


@pytest.fixture
def marker(tmp_path: Path) -> Path:
    m = tmp_path / "pwned"
    yield m
    assert not m.exists(), "a template payload ran on the server"


@pytest.fixture(params=sorted(FILES))
def imported(request: pytest.FixtureRequest, marker: Path) -> list[ResolvedEvent]:
    name, make = FILES[request.param]
    r = import_file(make(marker), name, request.param)
    assert len(r.events) == len(payloads(marker)), r.rejected
    return r.events


def _all_text(ev: ResolvedEvent) -> str:
    e = ev.event
    return " ".join(
        [e.title, e.summary, *e.actors, *(s.publisher for s in e.sources), ev.place or ""]
    )


@pytest.mark.parametrize("text", [*INERT, "{% for x in y %}", "}}{{", "a{{b}}c{%d%}e{#f#}"])
def test_js_json_is_inert_as_template_and_round_trips(text: str) -> None:
    out = js_json({"t": text, "nested": [{"u": text}]})
    assert not re.search(r"\{[{%#]", out)
    assert Template(out).render() == out  # nothing for Jinja to evaluate
    assert json.loads(out) == {"t": text, "nested": [{"u": text}]}


def test_script_macro_output_is_not_compiled_again(marker: Path) -> None:
    class Raw(ScriptMacro):
        # deliberately unsafe data (not js_json): the page must still not evaluate it
        _template = Template(
            "{% macro script(this, kwargs) %}var t = '{{ this.t }}';{% endmacro %}"
        )

        def __init__(self, t: str) -> None:
            super().__init__()
            self.t = t

    fig = Figure()
    Raw("{{7*7}}").add_to(fig)
    Raw(exec_payload(marker)).add_to(fig)
    html = fig.render()
    assert "var t = '{{7*7}}';" in html


def test_standalone_html_title_and_events(marker: Path, imported: list[ResolvedEvent]) -> None:
    for title in payloads(marker):
        html = standalone_html(imported, VIEW, title)
        assert "uid=" not in html
        assert js_json(title)[1:-1] in html  # the banner's first line: the title, escaped
        for ev in imported:  # every event's text is in the page as written (JSON-escaped)
            assert js_json(ev.title)[1:-1] in html
            assert js_json(ev.summary)[1:-1] in html


def test_app_map_scripts(marker: Path, imported: list[ResolvedEvent]) -> None:
    """The app's own pipeline: base map with inline data, state group with hostile text."""
    view = MapView(layers=frozenset({"events", "labels"}))
    specs = dataset_specs({"events": events_collection(imported)})

    def build() -> object:
        m = build_map(view)
        DatasetSetup(specs).add_to(m)
        return m

    legend = [{"label": p, "kind": "point", "color": "#000", "fill": None} for p in INERT]
    state = state_group({"events": "r0,5"}, [exec_payload(marker), *INERT], None, legend)
    args = component.component_args(
        ("tpl-test", id(imported)), build, state, height=400, returned_objects=[]
    )
    for part in (args["script"], args["feature_group"]):
        assert not re.search(r"\{[{%#]", part)
    assert js_json("{{'map_div'}}")[1:-1] in args["feature_group"]


def test_file_exports_keep_text(marker: Path, imported: list[ResolvedEvent]) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(imported).lstrip("\ufeff"))))
    assert [r["title"] for r in rows] == [ev.title for ev in imported]
    doc = json.loads(json_text(to_geojson(imported)))
    assert [f["properties"]["title"] for f in doc["features"]] == [ev.title for ev in imported]
    kml = ET.fromstring(to_kml(imported).encode("utf-8"))
    names = [n.text for n in kml.iter("{http://www.opengis.net/kml/2.2}name")]
    assert all(ev.title in names for ev in imported)
    assert any(p in _all_text(ev) for ev in imported for p in INERT)


def test_briefing_images(marker: Path, imported: list[ResolvedEvent]) -> None:
    from pypdf import PdfReader

    view = ViewState(start=VIEW.start, end=VIEW.end, layers=frozenset({"events"}))
    sit = situation(imported, view)
    spec = briefing_spec(view, sit, None, "Brief {{7*7}} {% raw %}", exec_payload(marker))
    text = " ".join(PdfReader(io.BytesIO(render_pdf(spec))).pages[0].extract_text().split())
    assert "Brief {{7*7}} {% raw %}" in text
    assert render_png(spec).startswith(b"\x89PNG")
