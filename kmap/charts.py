"""Charts and the events table of the panels under the map (Altair specs + pandas frames).

Altair/Vega ship inside Streamlit's frontend, so charts render offline too. Text is passed
as data, never as HTML.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from events.publishers import source_label
from events.query import event_index
from events.schema import ResolvedEvent
from palette import CONTROL_STYLES, EVENT_STYLES

if TYPE_CHECKING:
    import altair as alt

    from kmap.situation import Situation


def _http_url(url: object) -> str:
    """The URL if it is http(s), else "" (a LinkColumn must never get javascript:/data:)."""
    text = str(url or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else ""


#: The events table's columns (events_frame).
FRAME_COLUMNS = (
    "date",
    "end_date",
    "type",
    "title",
    "place",
    "location precision",
    "confidence",
    "actors",
    "reported by",
    "source",
    "id",
    "from file",
)


def events_frame(events: Sequence[ResolvedEvent]) -> pd.DataFrame:
    """One row per event: what the table shows (first source as a link column).

    A tuple per row, not a dict (10^5 rows: ~65 MB less while building), and the joined
    actors and sources made once per distinct value: a file repeats a few dozen of them."""
    actors: dict[tuple[str, ...], str] = {}
    reported: dict[tuple[tuple[str, str], ...], str] = {}
    rows = []
    for ev in events:
        e = ev  # its accessors: events.packed.PackedEvent makes .event on demand
        names, sources = tuple(e.actors), e.sources  # each made on demand by a PackedEvent
        who = tuple((s.url, s.publisher) for s in sources)
        if names not in actors:
            actors[names] = ", ".join(names)
        if who not in reported:
            reported[who] = "; ".join(source_label(url, pub) for url, pub in who)
        rows.append(
            (
                e.date,
                e.end_date.isoformat() if e.end_date else "",  # blank, not "None"
                EVENT_STYLES[e.type.value].label if e.type.value in EVENT_STYLES else "",
                e.title,
                ev.place or "",
                ev.geo_precision.value,
                e.confidence.value,
                actors[names],
                reported[who],
                _http_url(sources[0].url) if sources else "",
                e.id,
                ev.from_file or "",
            )
        )
    return pd.DataFrame.from_records(rows, columns=list(FRAME_COLUMNS))


_EPOCH = dt.date(1970, 1, 1).toordinal()

#: Bins of the timeline; "auto" picks one from the window's length (auto_bin).
TIMELINE_BINS = ("auto", "year", "month", "week")


def auto_bin(start: dt.date, end: dt.date) -> str:
    """Week for a window up to a year, month up to ten years, else year: at most ~120 bars
    per type, so the chart sent on each slider move stays small for any number of events."""
    days = abs((end - start).days)
    return "week" if days <= 366 else "month" if days <= 3653 else "year"


def shown_timeline(
    events: Sequence[ResolvedEvent], sit: Situation, freq: str = "month"
) -> alt.Chart:
    """timeline_chart of sit.shown, counted from the index's columns (no event loop).

    `sit` must come from kmap.situation.situation(events, ...) with the same list.
    """
    if sit.index is None:
        return timeline_chart(sit.shown, freq)
    ix = event_index(events)
    values = np.array(list(ix.type_values), dtype=object)
    idx = sit.index
    return timeline_chart_of(ix.first[idx], values[ix.type_codes[idx]], freq)


def timeline_chart(events: Sequence[ResolvedEvent], freq: str = "month") -> alt.Chart:
    """Events per week, month or year for the filtered set, stacked by type.

    Counted here per (month or Sunday-based week, type), as Vega-Lite's yearmonth/yearweek
    would: the chart carries at most a row per bin and type, not one per event (10^5 events
    would re-send megabytes on every slider move).
    """
    days = np.fromiter((ev.date.toordinal() for ev in events), np.int64, len(events))
    return timeline_chart_of(days, [ev.type.value for ev in events], freq)


def timeline_chart_of(
    days: Sequence[int], type_values: Sequence[str], freq: str = "month"
) -> alt.Chart:
    """timeline_chart from one date ordinal (date.toordinal()) and one event type value per
    event (e.g. numpy columns of events.query.EventIndex: no loop over 10^5 events)."""
    import altair as alt  # imported on use: ~0.5 s off the first page load

    # days since 1970-01-01 (a Thursday)
    days = np.asarray(days, dtype=np.int64) - _EPOCH
    if freq in ("month", "year"):
        unit = "datetime64[M]" if freq == "month" else "datetime64[Y]"
        bins = days.astype("datetime64[D]").astype(unit).astype("datetime64[ns]")
    else:  # the Sunday on or before the day (Vega's yearweek, also across New Year)
        bins = (days - (days + 4) % 7).astype("datetime64[D]").astype("datetime64[ns]")
    kinds = pd.Categorical(np.asarray(type_values, dtype=object))
    raw = pd.DataFrame({"date": bins, "type": kinds})
    df = raw.groupby(["date", "type"], as_index=False, observed=True).size()
    df = df.rename(columns={"size": "n"})
    labels = {k: s.label for k, s in EVENT_STYLES.items()}
    df["type"] = df["type"].astype(object).map(lambda t: labels.get(t, t))
    unit = {"month": "yearmonth", "year": "year"}.get(freq, "yearweek")
    types = [s.label for s in EVENT_STYLES.values()]
    colours = [s.color for s in EVENT_STYLES.values()]
    return (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=alt.X(f"{unit}(date):T", title=f"Events per {freq}"),
            y=alt.Y("sum(n):Q", title="Events"),
            color=alt.Color("type:N", scale=alt.Scale(domain=types, range=colours), title="Type"),
            tooltip=[
                alt.Tooltip(f"{unit}(date):T", title=freq),
                "type:N",
                alt.Tooltip("sum(n):Q", title="events"),
            ],
        )
        .properties(height=220)
    )


def area_chart(series: Sequence[tuple[dt.date, str, float]], as_of: dt.date) -> alt.LayerChart:
    """km² held by each side over time (step line), with the as-of day marked."""
    import altair as alt  # imported on use: ~0.5 s off the first page load

    df = pd.DataFrame(series, columns=["date", "controller", "km2"])
    df["date"] = pd.to_datetime(df["date"])
    names = {k: s.label for k, s in CONTROL_STYLES.items()}
    df["held by"] = df["controller"].map(names).fillna(df["controller"])
    domain = [names[k] for k in CONTROL_STYLES]
    colours = [s.color for s in CONTROL_STYLES.values()]
    lines = (
        alt.Chart(df)
        .mark_line(interpolate="step-after")
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("km2:Q", title="km² (modelled area)"),
            color=alt.Color("held by:N", scale=alt.Scale(domain=domain, range=colours)),
            tooltip=["date:T", "held by:N", alt.Tooltip("km2:Q", format=",.0f")],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"date": [pd.Timestamp(as_of)], "label": ["as of"]}))
        .mark_rule(color="#5b2a86", strokeDash=[4, 3])
        .encode(x="date:T", tooltip=["date:T"])
    )
    return (lines + rule).properties(height=220)
