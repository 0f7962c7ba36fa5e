"""Import ACLED exports (every layout since 2015; CSV/TSV in any supported encoding, or .xlsx)."""

from __future__ import annotations

import functools
import re
import sys

from events.io.coords import check_coordinates, parse_float
from events.io.reading import PathOrFile, new_result, read_table, require_columns, table_records
from events.io.result import ImportResult, RowError
from events.io.rows import (
    FileContext,
    build_event,
    cell,
    clip,
    import_rows,
    int_code,
    split_actors,
    table_context,
)
from events.schema import Confidence, DatePrecision, EventType, GeoPrecision, ResolvedEvent

#: ACLED export, current layout (31 columns, DESIGN.md §6 and ACLED's codebook).
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip

#: Older ACLED export layout (also 31 columns): data_id, event_id_no_cnty and iso3 present;
#: disorder_type, civilian_targeting and tags absent. Columns are matched by name, so both
#: layouts (and upper-case headers of very old exports) read the same way.
ACLED_COLUMNS_OLD: tuple[str, ...] = (
    "data_id", "iso", "event_id_cnty", "event_id_no_cnty", "event_date", "year",
    "time_precision", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1",
    "actor2", "assoc_actor_2", "inter2", "interaction", "region", "country", "admin1",
    "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
    "source_scale", "notes", "fatalities", "timestamp", "iso3",
)  # fmt: skip

#: The oldest ACLED layout (about 2015-2018, upper-case headers): GWNO first, ALLY_ACTOR_*
#: where later layouts have ASSOC_ACTOR_*, and no SUB_EVENT_TYPE (EVENT_TYPE then carries
#: what sub_event_type carries now, e.g. "Battle-Government regains territory").
ACLED_COLUMNS_2015: tuple[str, ...] = (
    "gwno", "event_id_cnty", "event_id_no_cnty", "event_date", "year", "time_precision",
    "event_type", "actor1", "ally_actor_1", "inter1", "actor2", "ally_actor_2", "inter2",
    "interaction", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "geo_precision", "source", "notes", "fatalities",
)  # fmt: skip

#: Older column names read as the current ones.
ACLED_ALIASES: dict[str, str] = {"ally_actor_1": "assoc_actor_1", "ally_actor_2": "assoc_actor_2"}

ACLED_REQUIRED: tuple[str, ...] = (
    "event_id_cnty", "event_date", "time_precision", "event_type", "location", "latitude",
    "longitude", "geo_precision", "source",
)  # fmt: skip

ACLED_GEO_PRECISION = {1: GeoPrecision.exact, 2: GeoPrecision.near, 3: GeoPrecision.district}
ACLED_TIME_PRECISION = {1: DatePrecision.day, 2: DatePrecision.week, 3: DatePrecision.month}

#: ACLED sub_event_type -> our type (checked first), then event_type -> our type; else clash.
ACLED_SUB_EVENT_TYPES: dict[str, EventType] = {
    "agreement": EventType.agreement,
    "non-violent transfer of territory": EventType.control_change,
    "government regains territory": EventType.control_change,
    "non-state actor overtakes territory": EventType.control_change,
    # Strategic developments that are not fighting: "political", not "clash".
    "arrests": EventType.political,
    "change to group/activity": EventType.political,
    "headquarters or base established": EventType.political,
    "looting/property destruction": EventType.political,
    "disrupted weapons use": EventType.political,
    "other": EventType.political,
}
ACLED_EVENT_TYPES: dict[str, EventType] = {
    "protests": EventType.political,
    "strategic developments": EventType.political,  # any other strategic development
    # the oldest layout's event types (no sub_event_type column)
    "battle-no change of territory": EventType.clash,
    "battle-government regains territory": EventType.control_change,
    "battle-non-state actor overtakes territory": EventType.control_change,
    "battle-rebels overtake territory": EventType.control_change,
    "non-violent transfer of territory": EventType.control_change,
    "headquarters or base established": EventType.political,
    "strategic development": EventType.political,
    "non-violent activity by a conflict actor": EventType.political,
    "riots/protests": EventType.political,  # as Protests; the original type stays in notes
}

ACLED_URL = "https://acleddata.com/"


@functools.lru_cache(maxsize=4096)  # a file repeats a few dozen pairs 10^5 times
def acled_event_type(event_type: str, sub_event_type: str) -> EventType:
    """Our EventType for an ACLED event_type / sub_event_type pair."""
    sub = " ".join(sub_event_type.split()).lower()
    if sub in ACLED_SUB_EVENT_TYPES:
        return ACLED_SUB_EVENT_TYPES[sub]
    return ACLED_EVENT_TYPES.get(" ".join(event_type.split()).lower(), EventType.clash)


_ACLED_FIELD_MAP = {
    "id": "event_id_cnty",
    "date": "event_date",
    "title": "location",
    "summary": "notes",
    "sources": "source",
    "location": "latitude/longitude",
    "actors": "actor1",
}
_ID_PART_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,90}$")


def _acled_row(rec: dict[str, str], name: str, row: int, fc: FileContext) -> ResolvedEvent:
    g = functools.partial(cell, rec)
    raw_id = g("event_id_cnty")
    if not raw_id:
        raise RowError("event_id_cnty", "empty id")
    if not _ID_PART_RE.match(raw_id):
        raise RowError("event_id_cnty", f"id must be letters, digits and '-': {raw_id!r}")
    given = fc.dates.read(g("event_date"), "event_date")
    tp = ACLED_TIME_PRECISION[int_code(g("time_precision"), "time_precision", ACLED_TIME_PRECISION)]
    day = given.replace(day=1) if tp is DatePrecision.month else given
    gp = ACLED_GEO_PRECISION[int_code(g("geo_precision"), "geo_precision", ACLED_GEO_PRECISION)]
    lat = parse_float(g("latitude"), "latitude")
    lon = parse_float(g("longitude"), "longitude")
    country = g("country") or g("iso3")
    check_coordinates(lon, lat, "longitude", "latitude", row=row, ctx=fc.points, country=country)

    etype, sub, place = g("event_type"), g("sub_event_type"), sys.intern(g("location"))
    title = clip(f"{sub or etype or 'ACLED event'}: {place}" if place else sub or etype, 200)
    if len(title) < 3:
        title = f"ACLED {raw_id}"
    summary = " ".join(g("notes").split())
    if len(summary) < 10:
        summary = (
            f"{etype or 'Event'} / {sub or '-'} at {place or 'unnamed location'} (ACLED {raw_id})."
        )
    note_bits = [f"ACLED event_type: {etype}"]
    if "sub_event_type" in rec:
        note_bits.append(f"sub_event_type: {sub}")
    if day != given:
        note_bits.append(f"event_date as given: {given.isoformat()} (month precision)")
    for k in ("disorder_type", "fatalities", "country", "admin1", "admin2", "source_scale", "gwno"):
        v = g(k)
        if v:
            note_bits.append(f"{k}: {v}")
    publisher = sys.intern(clip(g("source"), 300) or "ACLED")  # a few publishers, 10^5 rows
    data = {
        "id": f"acled-{raw_id.lower()}",
        "date": day,
        "date_precision": tp,
        "type": acled_event_type(etype, sub),
        "title": sys.intern(title),  # type: place, notes: codes and admin names, repeat
        "summary": summary,
        "location": {"place": place or None, "lon": lon, "lat": lat},
        "geo_precision": gp,
        "actors": split_actors(g("actor1"), g("assoc_actor_1"), g("actor2"), g("assoc_actor_2")),
        "sources": [{"url": ACLED_URL, "publisher": publisher, "title": f"ACLED event {raw_id}"}],
        "confidence": Confidence.medium,
        "notes": sys.intern("; ".join(note_bits)),
    }
    event = build_event(data, _ACLED_FIELD_MAP)
    return ResolvedEvent(event, lon, lat, gp, place or None, None, None, f"{name} row {row}")


def _acled_header(header: list[str]) -> list[str]:
    """The header with older column names (ALLY_ACTOR_1, ...) renamed to the current ones."""
    have = set(header)
    return [ACLED_ALIASES[h] if h in ACLED_ALIASES and ACLED_ALIASES[h] not in have else h
            for h in header]  # fmt: skip


def import_acled(path_or_file: PathOrFile) -> ImportResult:
    """Import an ACLED export: CSV/TSV in any of the supported encodings, or .xlsx.

    Every ACLED layout is read by column name, any case: current, older (data_id ... iso3)
    and the oldest (GWNO, ALLY_ACTOR_1, no sub_event_type). Dates are read by
    :class:`~events.io.dates.DateReader` (layout decided per file and stated in the warnings).
    """
    table = read_table(path_or_file)
    result = new_result(table)
    if table.header is None:
        result.warnings.append(f"{table.name}: file is empty")
        return result
    header = _acled_header(table.header)
    require_columns(header, ACLED_REQUIRED, table.name, "ACLED")
    if "sub_event_type" not in header:
        result.warnings.append(
            f"{table.name}: no sub_event_type column (an ACLED layout from before 2019): "
            "types are mapped from event_type"
        )
    fc = table_context(table, header, ("event_date",), "longitude", "latitude")
    import_rows(
        table_records(table, header, result),
        result,
        lambda rec, row: _acled_row(rec, table.name, row, fc),
        "event_id_cnty",
    )
    note = fc.dates.summary(table.name, "event_date")
    if note:
        result.warnings.append(note)
    return result
