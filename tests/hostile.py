"""Hostile text for security tests: HTML/JS payloads that leave a trace if they ever run.

Each payload, if a browser ever parses it as HTML or script, sets ``window.__pwned``, logs
``PWNED-<n>`` on the console and opens an alert dialog. Shown as text, it does nothing. The
same strings go into every user-controlled field (titles, summaries, actors, place names,
source publishers and titles) of a small karabakh-map CSV / GeoJSON, next to source URLs
that must never become links (``javascript:``, ``data:``).
"""

from __future__ import annotations

import csv
import io
import json

from events.io.native import CSV_COLUMNS

P1 = "<img src=x onerror=\"window.__pwned=1;console.log('PWNED-1');alert(1)\">"
P2 = '</script><script>window.__pwned=2;console.log("PWNED-2");alert(2)</script>'
P3 = '"><svg onload="window.__pwned=3;console.log(\'PWNED-3\');alert(3)">'
P4 = "<a href=\"javascript:window.__pwned=4;console.log('PWNED-4')\">click</a>"
#: The four forms the issue names, as given there (must appear as literal text too).
PLAIN = (
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(2)</script>",
    '"><svg onload=alert(3)>',
)
PAYLOADS = (P1, P2, P3, P4)
JS_URL = "javascript:window.__pwned=5;console.log('PWNED-5')"
DATA_URL = "data:text/html,<script>window.__pwned=6;console.log('PWNED-6')</script>"
#: Console text any executed payload would log.
TRACE = "PWNED-"

#: Region coordinates of the hostile events (near Stepanakert / Khankendi), lon/lat.
POINTS = ((46.7528, 39.8153), (46.7489, 39.7581), (46.55, 39.64))
DATES = ("2021-05-12", "2021-05-13", "2021-05-14")
SAFE_URL = "https://example.org/report?q=%3Cscript%3E&a=1"


def hostile_rows() -> list[dict[str, str]]:
    """Rows of a karabakh-map CSV: three valid hostile events, two bad-URL events."""
    rows = []
    for i, ((lon, lat), date) in enumerate(zip(POINTS, DATES, strict=True)):
        a, b = PAYLOADS[i % 4], PAYLOADS[(i + 1) % 4]
        rows.append(
            {
                "id": f"hostile-{i + 1}",
                "date": date,
                "type": ("clash", "blockade", "agreement")[i],
                "title": f"T{i + 1} {a}"[:200],
                "summary": f"Summary {i + 1}: {b} {PLAIN[i]}",
                "place": f"Place {i + 1} {a}",
                "place_hy": f"HY {b}",
                "place_az": f"AZ {PLAIN[i]}",
                "lon": repr(lon),
                "lat": repr(lat),
                "geo_precision": "exact",
                "actors": json.dumps([f"Actor {a}", PLAIN[(i + 1) % 3]]),
                "confidence": "low",
                "notes": f"notes {b}",
                "sources": json.dumps(
                    [{"url": SAFE_URL, "publisher": f"Pub {b}", "title": f"Src {PLAIN[i]}"}]
                ),
            }
        )
    for n, url in ((4, JS_URL), (5, DATA_URL)):
        rows.append(
            {
                "id": f"hostile-bad-url-{n}",
                "date": DATES[0],
                "type": "clash",
                "title": f"Bad URL {n}",
                "summary": "A source URL that is not http(s).",
                "lon": "46.7",
                "lat": "39.8",
                "geo_precision": "exact",
                "sources": json.dumps([{"url": url, "publisher": "Evil"}]),
            }
        )
    return rows


def hostile_csv() -> bytes:
    """The hostile rows as a karabakh-map CSV file (UTF-8)."""
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    w.writeheader()
    w.writerows(hostile_rows())
    return buf.getvalue().encode("utf-8")


def hostile_geojson() -> bytes:
    """The same rows as a karabakh-map GeoJSON FeatureCollection."""
    feats = []
    for r in hostile_rows():
        props = {k: v for k, v in r.items() if k not in ("lon", "lat")}
        props["actors"] = json.loads(props.get("actors") or "[]")
        props["sources"] = json.loads(props["sources"])
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(r["lon"]), float(r["lat"])]},
                "properties": props,
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": feats}).encode("utf-8")
