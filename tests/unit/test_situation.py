"""kmap.situation: what the map shows for a view, and what it cannot show."""

from __future__ import annotations

from events.importers import import_file
from kmap.situation import outside_map_note


def test_uploads_outside_the_map_are_explained() -> None:
    head = "id,date,type,title,summary,lon,lat,geo_precision,sources\n"
    rows = [
        "in-1,2021-05-12,clash,Inside,An event inside the map.,46.75,39.81,exact,https://e.org\n",
        "far-1,2021-05-12,clash,Donbas,An event far outside.,38.5,48.1,exact,https://e.org\n",
    ]
    events = import_file((head + "".join(rows)).encode(), "x.csv", "csv").events
    assert len(events) == 2  # kept
    note = outside_map_note(events)
    assert note and note.startswith("1 event(s)") and "table" in note
    assert outside_map_note(events[:1]) is None
