"""Template-injection payloads for security tests (server-side: Jinja, as folium/branca use).

``exec_payload(marker)`` creates the file ``marker`` if a template engine ever evaluates it,
so a test can prove nothing ran (the marker is absent) rather than search output for words.
The same payloads go into every text field of a karabakh-map CSV, an ACLED CSV and a UCDP GED
CSV (built here from the importers' own column lists; no real data).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from events.io.acled import ACLED_COLUMNS
from events.io.native import CSV_COLUMNS
from events.io.ucdp import UCDP_GED_COLUMNS

#: Forms the issue names: evaluation, an unterminated raw block, an unterminated comment,
#: and streamlit-folium's element-reference form.
INERT = ("{{7*7}}", "{% raw %}", "{#", "{{'map_div'}}")


def exec_payload(marker: Path) -> str:
    """Jinja text that, if evaluated, runs a shell command creating ``marker``."""
    return "{{cycler.__init__.__globals__.os.popen('touch " + str(marker) + "').read()}}"


def payloads(marker: Path) -> list[str]:
    """Every payload: the inert forms and the command."""
    return [*INERT, exec_payload(marker)]


def _csv(header: list[str] | tuple[str, ...], rows: list[dict[str, str]]) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=list(header), lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def native_csv(marker: Path) -> bytes:
    """A karabakh-map CSV with one event per payload, the payload in every text field."""
    rows = []
    for i, p in enumerate(payloads(marker)):
        rows.append(
            {
                "id": f"tpl-{i + 1}",
                "date": f"2021-05-1{i}",
                "type": "clash",
                "title": f"Title {p}",
                "summary": f"Summary {p}",
                "place": f"Place {p}",
                "place_hy": f"HY {p}",
                "place_az": f"AZ {p}",
                "lon": "46.75",
                "lat": "39.81",
                "geo_precision": "exact",
                "actors": json.dumps([f"Actor {p}"]),
                "confidence": "low",
                "notes": f"Notes {p}",
                "sources": json.dumps(
                    [{"url": "https://example.org/r", "publisher": f"Pub {p}", "title": f"T {p}"}]
                ),
            }
        )
    return _csv(CSV_COLUMNS, rows)


def acled_csv(marker: Path) -> bytes:
    """An ACLED export (current layout) with the payloads in notes, actors, places, source."""
    rows = []
    for i, p in enumerate(payloads(marker)):
        row = dict.fromkeys(ACLED_COLUMNS, "")
        row.update(
            event_id_cnty=f"AZE{100 + i}",
            event_date=f"1{i} May 2021",
            year="2021",
            time_precision="1",
            event_type="Battles",
            sub_event_type="Armed clash",
            actor1=f"Actor {p}",
            actor2=f"Other {p}",
            country="Azerbaijan",
            admin1=f"Admin {p}",
            location=f"Loc {p}",
            latitude="39.81",
            longitude="46.75",
            geo_precision="1",
            source=f"Source {p}",
            notes=f"Notes about the event {p}",
            fatalities="0",
        )
        rows.append(row)
    return _csv(ACLED_COLUMNS, rows)


def ucdp_csv(marker: Path) -> bytes:
    """A UCDP GED CSV (with header) with the payloads in every text column."""
    rows = []
    for i, p in enumerate(payloads(marker)):
        row = dict.fromkeys(UCDP_GED_COLUMNS, "")
        row.update(
            id=str(900 + i),
            year="2021",
            type_of_violence="1",
            conflict_name=f"Conflict {p}",
            dyad_name=f"Dyad {p}",
            side_a=f"Side A {p}",
            side_b=f"Side B {p}",
            source_article=f"Article {p}",
            where_prec="1",
            where_description=f"Where {p}",
            adm_1=f"Adm {p}",
            latitude="39.81",
            longitude="46.75",
            country="Azerbaijan",
            date_prec="1",
            date_start=f"2021-05-1{i}",
            date_end=f"2021-05-1{i}",
            best="1",
        )
        rows.append(row)
    return _csv(UCDP_GED_COLUMNS, rows)
