"""Import UCDP GED CSVs (with or without their header row)."""

from __future__ import annotations

import functools

from events.io.coords import check_coordinates, parse_float
from events.io.reading import (
    PathOrFile,
    new_result,
    norm_header,
    read_table,
    require_columns,
    table_records,
)
from events.io.result import ImportFormatError, ImportResult, RowError
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

#: The 49 columns of a UCDP GED CSV, in file order, used for releases without a header row.
#: Source: the GedEvent object of UCDP's API description (as mirrored in the public
#: api-evangelist/uppsala json-structure/uppsala-gedevent-structure.json), which lists the
#: same 49 names in this order, cross-checked against two independent public codebases that
#: read GED CSVs (one of them reading the headerless Candidate 24.0.1 release with this
#: list). Field meanings: UCDP GED Codebook (https://ucdp.uu.se/downloads/ged/ged251.pdf).
UCDP_GED_COLUMNS: tuple[str, ...] = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence",
    "conflict_dset_id", "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id",
    "dyad_name", "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id",
    "side_b_new_id", "side_b", "number_of_sources", "source_article", "source_office",
    "source_date", "source_headline", "source_original", "where_prec", "where_coordinates",
    "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec",
    "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
    "best", "high", "low", "gwnoa", "gwnob",
)  # fmt: skip
assert len(UCDP_GED_COLUMNS) == 49

UCDP_REQUIRED: tuple[str, ...] = (
    "id", "type_of_violence", "where_prec", "latitude", "longitude", "date_prec", "date_start",
)  # fmt: skip

UCDP_WHERE_PREC = {
    1: GeoPrecision.exact,  # exact location
    2: GeoPrecision.near,  # within ~25 km of a known point
    3: GeoPrecision.district,  # second-order administrative division (adm2)
    4: GeoPrecision.district,  # first-order admin division (adm1): a rayon / marz here
    5: GeoPrecision.region,  # larger area, linear feature (e.g. a road, the border)
    6: GeoPrecision.country,  # only the country is known: the point stands for the country
    7: GeoPrecision.region,  # international waters or airspace
}
#: GED codebook: 1 exact day; 2 within 2-6 days; 3 only the week is known; 4 within 8-30
#: days or only the month is known; 5 more than a month, at most a calendar year.
UCDP_DATE_PREC = {
    1: DatePrecision.day,
    2: DatePrecision.week,
    3: DatePrecision.week,
    4: DatePrecision.month,
    5: DatePrecision.year,
}
UCDP_VIOLENCE = {1: "state-based conflict", 2: "non-state conflict", 3: "one-sided violence"}
UCDP_URL = "https://ucdp.uu.se/ged/"

_UCDP_FIELD_MAP = {
    "id": "id",
    "date": "date_start",
    "title": "where_description",
    "summary": "dyad_name",
    "sources": "source_article",
    "location": "latitude/longitude",
}


def ucdp_has_header(first: list[str]) -> bool:
    """True if a first row is a GED header (it names "id" and "latitude")."""
    names = {norm_header(f) for f in first}
    return "id" in names and "latitude" in names


def _ucdp_row(rec: dict[str, str], name: str, row: int, fc: FileContext) -> ResolvedEvent:
    g = functools.partial(cell, rec)
    raw_id = g("id")
    try:
        num = float(raw_id)
        if num != int(num) or num < 0:
            raise ValueError
        uid = str(int(num))
    except (ValueError, OverflowError):
        raise RowError("id", f"expected a numeric GED id, got {raw_id!r}") from None
    start = fc.dates.read(g("date_start"), "date_start")
    end = fc.dates.read(g("date_end"), "date_end") if g("date_end") else None
    if end is not None and end < start:
        raise RowError("date_end", f"date_end {end} is before date_start {start}")
    dp = UCDP_DATE_PREC[int_code(g("date_prec"), "date_prec", UCDP_DATE_PREC)]
    day = start.replace(day=1) if dp is DatePrecision.month else start
    gp = UCDP_WHERE_PREC[int_code(g("where_prec"), "where_prec", UCDP_WHERE_PREC)]
    lat = parse_float(g("latitude"), "latitude")
    lon = parse_float(g("longitude"), "longitude")
    check_coordinates(
        lon, lat, "longitude", "latitude", row=row, ctx=fc.points, country=g("country")
    )

    tov = g("type_of_violence")
    try:
        violence = UCDP_VIOLENCE.get(int(float(tov)), f"type {tov}")
    except (ValueError, OverflowError):
        violence = f"type {tov or '?'}"
    where = g("where_description") or g("adm_2") or g("adm_1") or g("country") or "unknown place"
    title = clip(f"{violence.capitalize()}: {where}", 200)
    deaths = ", ".join(
        f"{label} {g(k)}"
        for k, label in (
            ("deaths_a", "side A"),
            ("deaths_b", "side B"),
            ("deaths_civilians", "civilians"),
            ("deaths_unknown", "unknown"),
        )
        if g(k)
    )
    summary = f"{g('dyad_name') or g('conflict_name') or 'UCDP GED event'} (location: {where})."
    if g("best"):
        summary += (
            f" Deaths: best estimate {g('best')} (low {g('low') or '?'}, high {g('high') or '?'})"
        )
        summary += f"; {deaths}." if deaths else "."
    note_bits = [f"UCDP GED type_of_violence: {tov} ({violence})"]
    if day != start:
        note_bits.append(f"date_start as given: {start.isoformat()} (month precision)")
    if gp is GeoPrecision.country:
        note_bits.append("where_prec 6: only the country is known; the point stands for it")
    for k in (
        "conflict_name",
        "relid",
        "date_end",
        "source_office",
        "source_date",
        "adm_1",
        "adm_2",
    ):
        if g(k):
            note_bits.append(f"{k}: {g(k)}")
    data = {
        "id": f"ucdp-{uid}",
        "date": day,
        "date_precision": dp,
        "type": EventType.clash,
        "title": title,
        "summary": summary,
        "location": {"place": where, "lon": lon, "lat": lat},
        "geo_precision": gp,
        "actors": split_actors(g("side_a"), g("side_b")),
        "sources": [
            {"url": UCDP_URL, "publisher": "UCDP GED", "title": g("source_article") or None}
        ],
        "confidence": Confidence.low if g("event_clarity") == "2" else Confidence.medium,
        "notes": "; ".join(note_bits),
    }
    event = build_event(data, _UCDP_FIELD_MAP)
    return ResolvedEvent(event, lon, lat, gp, where, None, None, f"{name} row {row}")


def import_ucdp_ged(path_or_file: PathOrFile) -> ImportResult:
    """Import a UCDP GED CSV, with or without its header row.

    The first row is a header iff it contains "id" and "latitude"; otherwise every row must
    follow the 49-column :data:`UCDP_GED_COLUMNS` order. ``date_end`` is kept in notes: in GED
    it bounds the uncertainty given by ``date_prec``, not a period "in force".
    """
    table = read_table(path_or_file, has_header=ucdp_has_header)
    result = new_result(table)
    if table.header is None and not table.rows:
        result.warnings.append(f"{table.name}: file is empty")
        return result
    if table.header is not None:
        header = table.header
        require_columns(header, UCDP_REQUIRED, table.name, "UCDP GED")
    else:
        header = list(UCDP_GED_COLUMNS)
        width = len(next(iter(table.rows))[1])
        if width != len(UCDP_GED_COLUMNS):
            raise ImportFormatError(
                f"{table.name}: no header row (row 1 lacks 'id' and 'latitude'), and row 1 has "
                f"{width} fields, not the {len(UCDP_GED_COLUMNS)} of the UCDP GED layout; "
                "add the header row"
            )
        result.warnings.append(
            f"{table.name}: no header row; read with the standard 49-column GED order"
        )
    fc = table_context(table, header, ("date_start", "date_end"), "longitude", "latitude")
    import_rows(
        table_records(table, header, result),
        result,
        lambda rec, row: _ucdp_row(rec, table.name, row, fc),
        "id",
    )
    note = fc.dates.summary(table.name, "date_start/date_end")
    if note:
        result.warnings.append(note)
    return result
