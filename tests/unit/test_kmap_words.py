"""kmap.words: dates in words, the same on the banner, panels, briefings and decks."""

from __future__ import annotations

import locale
from datetime import date

from kmap.words import date_in_words, date_range_in_words


def test_one_day() -> None:
    assert date_in_words(date(2020, 11, 10)) == "10 November 2020"
    assert date_in_words(date(1994, 5, 1)) == "1 May 1994"  # no leading zero


def test_ranges_name_the_shared_parts_once() -> None:
    assert date_range_in_words(date(2020, 9, 27), date(2020, 11, 10)) == (
        "27 September – 10 November 2020"
    )
    assert date_range_in_words(date(2023, 9, 19), date(2023, 9, 20)) == "19 – 20 September 2023"
    assert date_range_in_words(date(1991, 12, 31), date(1992, 1, 1)) == (
        "31 December 1991 – 1 January 1992"
    )
    assert date_range_in_words(date(2024, 4, 1), date(2024, 4, 1)) == "1 April 2024"


def test_month_names_do_not_follow_the_locale() -> None:
    before = locale.setlocale(locale.LC_TIME)
    try:
        for name in ("de_DE.UTF-8", "fr_FR.UTF-8", "C.UTF-8"):
            try:
                locale.setlocale(locale.LC_TIME, name)
            except locale.Error:
                continue
            assert date_in_words(date(2022, 8, 26)) == "26 August 2022"
    finally:
        locale.setlocale(locale.LC_TIME, before)
