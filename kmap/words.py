"""Dates in words, one wording for the map banner, the panels and the briefing exports."""

from __future__ import annotations

from datetime import date

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def date_in_words(d: date) -> str:
    """'10 November 2020' (no leading zero, English month names whatever the locale)."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def date_range_in_words(start: date, end: date) -> str:
    """'27 September – 10 November 2020' (the year once when shared; one date when equal)."""
    if start == end:
        return date_in_words(end)
    if start.year == end.year:
        if start.month == end.month:
            return f"{start.day} – {date_in_words(end)}"
        return f"{start.day} {MONTHS[start.month - 1]} – {date_in_words(end)}"
    return f"{date_in_words(start)} – {date_in_words(end)}"
