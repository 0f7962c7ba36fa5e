"""Compare two dates: the per-district breakdown (kmap.areas), its CSV, the banner line and
legend row of the changed areas, the side-by-side page (kmap.map.sidebyside) and its sync
script (kmap/js/kmap-compare.js, run in node), and the briefing's no-data background."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import subprocess

import pytest

from geo.boundaries import layer_shapes
from kmap.areas import (
    OUTSIDE_UNITS,
    changes_frame,
    changes_line,
    changes_overlay,
    changes_total_km2,
    district_csv,
    district_frame,
    district_rows,
    km2_text,
)
from kmap.config import KMAP_DIR
from kmap.legend import changes_row
from kmap.map.sidebyside import compare_html, inline_sources, map_page
from kmap.viewstate import ViewState
from palette import blend

D = dt.date
WAR = (D(2020, 9, 27), D(2020, 11, 10))
PAIRS = [WAR, (D(2020, 9, 27), D(2023, 10, 1)), (D(1991, 6, 1), D(1994, 5, 12))]


def test_km2_text_separates_thousands() -> None:
    assert km2_text(8451.1) == "8,451"
    assert km2_text(11545.7) == "11,546"
    assert km2_text(3.44) == "3.4"  # a small change does not read as zero


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_districts_add_up_to_the_total_changed(a: dt.date, b: dt.date) -> None:
    rows = district_rows(a, b)
    total = changes_total_km2(a, b)
    assert total > 1000 and rows
    # each row is rounded to 0.1 km²: the sum may drift by half of that per row
    assert sum(r["km²"] for r in rows) == pytest.approx(total, abs=0.05 * len(rows) + 0.05)
    per_direction: dict[tuple[str, str], float] = {}
    for r in rows:
        per_direction[(r["from"], r["to"])] = per_direction.get((r["from"], r["to"]), 0) + r["km²"]
    frame = changes_frame(a, b)
    for _, row in frame.iterrows():
        got = per_direction[(row["from"], row["to"])]
        assert got == pytest.approx(row["km²"], abs=0.05 * len(rows) + 0.05)
    assert [r["km²"] for r in rows] == sorted((r["km²"] for r in rows), reverse=True)


def test_the_2020_war_breakdown_names_the_southern_districts_in_both_toponyms() -> None:
    rows = {r["Azerbaijani-side name"]: r for r in district_rows(*WAR)}
    units = {p["name_az"]: p for p, _ in layer_shapes("admin_units")}
    # the war's southern front: each of these lost hundreds of km² to Azerbaijani forces
    for name in ("Jabrayil", "Zangilan", "Qubadli", "Fuzuli", "Khojavend"):
        row = rows[name]
        assert row["km²"] > 100
        assert row["Armenian-side name"] == units[name]["name_hy"]
        assert row["district"] == f"{units[name]['name_hy']} / {name}"
        assert (row["from"], row["to"]) == ("Held by Armenian forces", "Held by Azerbaijani forces")
    assert rows["Jabrayil"]["district"] == "Jrakan / Jabrayil"
    assert set(rows) <= {*units, OUTSIDE_UNITS}


def test_no_change_gives_an_empty_breakdown() -> None:
    day = D(2021, 3, 1)
    assert district_rows(day, day) == [] and district_frame(day, day).empty
    assert changes_line(day, day).endswith(": none")


def test_breakdown_csv_opens_in_excel_and_carries_the_total() -> None:
    raw = district_csv(*WAR)
    assert raw.startswith("\ufeff".encode())  # UTF-8 BOM, like the events export
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0] == [
        "first date",
        "second date",
        "district",
        "Armenian-side name",
        "Azerbaijani-side name",
        "km²",
        "from",
        "to",
    ]
    body, total = table[1:-1], table[-1]
    assert len(body) == len(district_rows(*WAR))
    assert all(r[:2] == ["2020-09-27", "2020-11-10"] for r in table[1:])
    assert total[2] == "total" and float(total[5]) == round(changes_total_km2(*WAR), 1)
    assert sum(float(r[5]) for r in body) == pytest.approx(float(total[5]), abs=0.5)
    assert "Jrakan / Jabrayil" in {r[2] for r in body}


def test_banner_line_and_legend_row_of_the_changed_areas() -> None:
    line, entry, changes = changes_overlay(*WAR)
    km2 = changes_total_km2(*WAR)
    assert line == (
        "Changed hands 27 September 2020 \u2192 10 November 2020: "
        f"{km2:,.0f} km² Armenian forces \u2192 Azerbaijani forces"
    )
    assert re.search(r"\d,\d{3} km²", line)  # thousands separated
    assert entry == changes_row("27 September 2020", "10 November 2020").entry()
    assert entry["label"] == "Changed hands between 27 September 2020 and 10 November 2020"
    # the swatch is what KMap.setChanges draws: yellow at 0.45 under a dashed black outline
    assert entry["fill"] == blend("#ffeb3b", 0.45) and entry["dash"] and entry["kind"] == "fill"
    labels = [f["properties"]["label"] for f in changes["features"]]
    assert labels and all(label.endswith(" km²") for label in labels)
    both_ways = changes_line(D(1991, 6, 1), D(1994, 5, 12))
    assert "in all)" in both_ways  # two directions: the total too


def _state(page: str) -> dict:
    """The state a map page applies (masks, banner, legend, changes)."""
    found = re.search(r"(\{\"masks\".*?\})\)?;\n", page, re.S)
    assert found, "no state in the page"
    return json.loads(found[1])


def test_each_date_page_draws_control_as_of_its_date() -> None:
    view = ViewState(start=WAR[0], end=WAR[1])
    sources = {"control": "/app/static/data/c.geojson", "zones": "/app/static/data/z.geojson"}
    a, b = (_state(map_page(view, day, sources)) for day in WAR)
    assert a["masks"]["control"] != b["masks"]["control"]
    assert a["banner"] == ["Situation as of 27 September 2020"]
    assert "events" not in a["masks"]  # events belong to a window, not a day
    with_changes = _state(map_page(view, WAR[1], sources, changes_overlay(*WAR)))
    assert with_changes["banner"][1].startswith("Changed hands 27 September 2020")
    assert with_changes["legend"][-1]["label"].startswith("Changed hands between")
    assert with_changes["changes"]["features"]


def test_side_by_side_page_escapes_text_and_reads_only_local_files() -> None:
    view = ViewState(start=WAR[0], end=WAR[1])
    page = compare_html(view, WAR, inline_sources(), title="<b>{{7*7}}</b>", inline=True)
    assert page.count('<iframe class="kmap-compare-map"') == 2
    assert 'name="kmap-compare-a"' in page and 'name="kmap-compare-b"' in page
    assert "&lt;b&gt;{{7*7}}&lt;/b&gt;" in page and "<b>{{7*7}}" not in page
    assert "KMapCompare.link(" in page
    # inline: no script or stylesheet is fetched (inline_assets raises on any other)
    assert not re.search(r'<script src=|<link rel="stylesheet" href=', page)
    assert "src=&quot;/app/static" not in page and "http://" not in page.split("srcdoc")[0]


NODE_SYNC = """
globalThis.window = globalThis;
require("vm").runInThisContext(require("fs").readFileSync(process.argv[1], "utf8"));
function fakeMap(lat, lng, zoom) {
  const m = { c: { lat, lng }, z: zoom, handlers: [], moves: 0 };
  m.on = (names, fn) => { m.handlers.push(fn); return m; };
  m.getCenter = () => m.c;
  m.getZoom = () => m.z;
  m.setView = (c, z) => { m.c = { lat: c.lat, lng: c.lng }; m.z = z; m.moves++;
    m.handlers.forEach((h) => h()); return m; };
  return m;
}
const a = fakeMap(40, 46.5, 8), b = fakeMap(39, 45, 7);
window.KMapCompare.sync([a, b]);
const start = [b.c, b.z];
a.setView({ lat: 39.5, lng: 47.2 }, 9);
const afterA = [b.c, b.z];
b.setView({ lat: 40.1, lng: 46.1 }, 10);
process.stdout.write(JSON.stringify({ start, afterA, a: [a.c, a.z], moves: a.moves + b.moves }));
"""


def _node(script: str) -> dict:
    """Run a script in node with kmap-compare.js loaded (as argv[1]); its JSON output."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to test kmap-compare.js (apt install nodejs)")
    out = subprocess.run(
        [node, "-e", script, str(KMAP_DIR / "js" / "kmap-compare.js")],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return json.loads(out.stdout)


def test_kmap_compare_js_keeps_the_two_maps_on_one_view() -> None:
    got = _node(NODE_SYNC)
    assert got["start"] == [{"lat": 40, "lng": 46.5}, 8]  # b first takes a's view
    assert got["afterA"] == [{"lat": 39.5, "lng": 47.2}, 9]  # a moved: b followed
    assert got["a"] == [{"lat": 40.1, "lng": 46.1}, 10]  # b moved: a followed
    assert got["moves"] < 10  # no echo between the two


def test_briefing_background_beyond_the_basemap_is_no_data_grey_not_sea() -> None:
    from kmap.briefing.style import MAP_BACKGROUND

    css = (KMAP_DIR / "js" / "kmap.css").read_text(encoding="utf-8")
    live = re.search(r"\.kmap\.leaflet-container \{\s*background: (#[0-9a-f]{6})", css)
    assert live and live[1] == MAP_BACKGROUND  # the briefing shows what the live map shows
    r, g, b = (int(MAP_BACKGROUND[i : i + 2], 16) for i in (1, 3, 5))
    assert max(r, g, b) - min(r, g, b) < 12  # neutral: no blue cast that reads as sea


def test_a_briefing_framed_past_the_basemap_shows_no_sea_band() -> None:
    """Rendered: a frame reaching 49.3°E (the offline land layer stops at 48.5°E) has a
    neutral no-data area there and none of the old sea blue (#dbe4ea)."""
    from PIL import Image

    from kmap.briefing import render_png
    from kmap.briefing.style import MAP_BACKGROUND
    from kmap.situation import situation
    from kmap.view_export import briefing_spec

    view = ViewState(start=WAR[0], end=WAR[1], layers=ViewState().layers - {"events"})
    spec = briefing_spec(view, situation((), view), (45.0, 38.6, 49.3, 41.0), "Band", None)
    with Image.open(io.BytesIO(render_png(spec))) as im:
        colours = dict((c, n) for n, c in im.convert("RGB").getcolors(1 << 24))
    pixels = sum(colours.values())
    grey = tuple(int(MAP_BACKGROUND[i : i + 2], 16) for i in (1, 3, 5))
    assert colours.get(grey, 0) > 0.03 * pixels  # the no-data area east of 48.5°E
    assert colours.get((0xDB, 0xE4, 0xEA), 0) < 0.001 * pixels  # no sea-blue band


NODE_LINK = """
globalThis.window = globalThis;
require("vm").runInThisContext(require("fs").readFileSync(process.argv[1], "utf8"));
const K = window.KMapCompare;
K.POLL_MS = 1; K.GIVE_UP_MS = 20;
const attrs = {};
const box = { setAttribute: (k, v) => { attrs[k] = v; } };
const map = { on: () => map, getCenter: () => ({ lat: 1, lng: 2 }), getZoom: () => 3,
  setView: () => map };
const frame = (m) => ({
  contentWindow: { kmapMap: m }, contentDocument: { querySelector: () => null } });
K.link([frame(map), frame(map)], box);
const never = { setAttribute: (k, v) => { attrs["never"] = v; } };
K.link([frame(map), frame(null)], never);
setTimeout(() => process.stdout.write(JSON.stringify(attrs)), 200);
"""


def test_kmap_compare_js_links_made_maps_and_gives_up_on_a_missing_one() -> None:
    assert _node(NODE_LINK) == {"data-kmap-compare-linked": "2", "never": "none"}
