"""The one legend model: rows for what is shown, in the map's order, styled from palette."""

from __future__ import annotations

import pytest

from kmap import legend
from kmap.legend import LegendRow, legend_rows, reference_rows
from palette import BASE_STYLES, CONTROL_STYLES, EVENT_STYLES, PRECISION_LABELS, ZONE_STYLES


def test_rows_follow_the_palette_in_the_maps_order() -> None:
    controllers = list(CONTROL_STYLES)[::-1]  # order given does not matter
    kinds = list(ZONE_STYLES)[:2]
    types = list(EVENT_STYLES)[::-3]
    rows = legend_rows(
        controllers=controllers,
        zone_kinds=kinds,
        event_types=types,
        precisions={"exact", "near"},
        soviet=True,
        reference=["nkao", "land"],
    )
    assert [r.section for r in rows] == (
        [legend.PERIOD]
        + [legend.CONTROL] * len(controllers)
        + [legend.ZONES] * len(kinds)
        + [legend.EVENTS] * len(types)
        + [legend.PRECISION, legend.REFERENCE, legend.REFERENCE]
    )
    labels = [r.label for r in rows]
    assert labels[0] == legend.SOVIET_ROW.label
    assert labels[1 : 1 + len(controllers)] == [s.label for s in CONTROL_STYLES.values()]
    ev = [r for r in rows if r.section == legend.EVENTS]
    assert [r.key for r in ev] == [k for k in EVENT_STYLES if k in types]
    assert all(r.color == EVENT_STYLES[r.key].color == r.fill for r in ev)
    assert all(r.glyph == EVENT_STYLES[r.key].glyph for r in ev)
    assert rows[-3] == legend.APPROXIMATE_ROW
    assert labels[-2:] == [BASE_STYLES["borders"].label, BASE_STYLES["nkao"].label]


def test_nothing_shown_no_rows_and_precision_only_with_events() -> None:
    assert legend_rows() == []
    assert legend_rows(precisions={"near"}) == []  # no events shown: nothing to explain
    assert legend_rows(event_types=["clash"], precisions={"exact"})[-1].key == "clash"


def test_entries_are_what_the_javascript_legend_reads() -> None:
    style = ZONE_STYLES["peacekeeping_zone"]
    (row,) = legend.zone_rows(["peacekeeping_zone"])
    assert legend.entries([row]) == [
        {
            "label": style.label,
            "kind": style.kind,
            "color": style.color,
            "fill": style.fill,
            "dash": bool(style.dash),
        }
    ]


def test_unknown_values_get_a_neutral_row_never_dropped() -> None:
    rows = legend.control_rows(["armenian", "militia_x"])
    assert [r.key for r in rows] == ["armenian", "militia_x"]
    assert rows[1].label == "Militia x" and rows[1].color == legend.NEUTRAL
    (ev,) = legend.event_rows(["new_type"])
    assert (ev.label, ev.glyph) == ("New type", "?")


def test_precision_detail_lists_each_precision_in_order() -> None:
    rows = legend.precision_rows({"region", "exact", "near"}, detail=True)
    assert [r.key for r in rows] == ["exact", "near", "region"]
    assert [r.label for r in rows] == [PRECISION_LABELS[k] for k in ("exact", "near", "region")]
    assert legend.precision_rows({"exact"}, detail=True) == []
    with pytest.raises(ValueError, match="somewhere"):
        legend.precision_rows({"somewhere"}, detail=True)


def test_reference_rows_order_towns_and_bad_ids() -> None:
    rows = reference_rows(["enclave_points", "admin", "lakes", "land"], towns=True)
    assert [r.key for r in rows] == ["land", "lakes", "admin", "enclave_points", "labels"]
    assert rows[0].label == BASE_STYLES["borders"].label
    assert rows[-1].kind == "town"
    with pytest.raises(ValueError, match="roads"):
        reference_rows(["roads"])


def test_sections_group_rows_keeping_their_order() -> None:
    a, b, c = (LegendRow(s, k, k, "line", "#000") for s, k in (("x", "1"), ("y", "2"), ("x", "3")))
    assert legend.sections([a, b, c]) == [("x", [a, c]), ("y", [b])]
