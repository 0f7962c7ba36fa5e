"""The control model agrees with the catalogue: a week after every `control_change` event, the
side that took the place holds it in the model (a week after the last day a month- or
year-precision date stands for), or the disagreement is explained (the event's
notes mention the control model, or it is listed in ALLOWED with the reason)."""

from __future__ import annotations

import datetime as dt

import pytest

import events
from geo.control import MODEL_START, controller_at

pytestmark = pytest.mark.unit

WEEK = dt.timedelta(days=7)

#: event id -> why the model differs from the event a week after it (kept short and sourced in
#: geo/data/control/periods.yaml). The catalogue is edited separately; ids missing from it are
#: simply not checked.
ALLOWED: dict[str, str] = {
    "1990-yukhari-askipara-armenian-control": (
        "sources disagree on the year (1990 here); the model starts on 1 Jan 1991 and dates the "
        "exclave's capture to 14 Jun 1992 with Ashaghi Askipara (gazakh-sequence: after April "
        "1992, askipara-1992)"
    ),
    "1992-02-10-malibeyli-gushchular": (
        "plotted at Shusha town (the villages are not in the gazetteer), which Azerbaijani "
        "forces held until 8 May 1992; the 1992 village mosaic of Shusha district is not modelled"
    ),
    "2018-05-20-gunnut-advance": (
        "Nakhchivan (Sharur district), outside the control model's area (Karabakh, the seven "
        "districts and the exclaves); positions in the border zone, not a change of a whole area"
    ),
    "2020-09-27-fuzuli-jabrayil-villages-claimed": (
        "plotted at Fuzuli town (geo precision: district); the villages claimed lay on the line "
        "of contact, Fuzuli town itself was taken on 17 Oct 2020"
    ),
    "2020-12-01-lachin-handover": (
        "plotted at Lachin town (geo precision: district), which the handover excepted: the town "
        "stayed in the corridor until 26 Aug 2022; the rest of the district is Azerbaijani-held "
        "in the model from 1 Dec 2020"
    ),
    "2021-05-13-vardenis-border-advance": (
        "an advance into Armenia (Gegharkunik/Syunik): outside the control model"
    ),
}


def _taker(actors: list[str]) -> str | None:
    """The side that took control: the event's first actor."""
    first = actors[0] if actors else ""
    if "Azerbaijani" in first:
        return "azerbaijani"
    if any(w in first for w in ("Armenian", "Nagorno-Karabakh", "Artsakh")):
        return "armenian"
    return None


def _last_day(e) -> dt.date:
    """Last day the event's date can stand for (a month- or year-precision date is the 1st)."""
    precision = str(getattr(e.date_precision, "value", e.date_precision))
    if precision == "year":
        return dt.date(e.date.year, 12, 31)
    if precision == "month":
        nxt = dt.date(e.date.year + e.date.month // 12, e.date.month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    if precision == "week":
        return e.date + dt.timedelta(days=6)
    return e.date


def _control_changes() -> list:
    cat = events.load_catalogue()
    return [e for e in cat.events if str(getattr(e.type, "value", e.type)) == "control_change"]


def test_catalogue_has_control_changes() -> None:
    assert _control_changes(), "no control_change event loaded from events/data"


def test_model_agrees_a_week_after_each_control_change() -> None:
    disagree = []
    for e in _control_changes():
        side = _taker(list(e.actors))
        assert side is not None, f"{e.id}: first actor {e.actors[:1]} names no side"
        day = max(_last_day(e) + WEEK, MODEL_START)
        got = controller_at(e.lon, e.lat, day)
        if got == side:
            continue
        explained = e.id in ALLOWED or "control model" in (e.notes or "").lower()
        if not explained:
            disagree.append(f"{e.id} ({e.date}, {e.lon}, {e.lat}): event {side}, model {got}")
    assert not disagree, "\n".join(disagree)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("1993-09-26", "azerbaijani"),
        ("1993-10-15", "armenian"),  # the catalogue's date (Oct 1993) + 2 weeks
        ("1993-11-15", "armenian"),  # the check date
        ("1994-01-05", "armenian"),
        ("1994-01-13", "azerbaijani"),  # a week after the Horadiz operation ended
        ("2000-01-01", "azerbaijani"),
    ],
)
def test_horadiz(day: str, expected: str) -> None:
    assert controller_at(47.33496, 39.45015, dt.date.fromisoformat(day)) == expected
