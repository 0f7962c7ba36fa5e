"""AppTest of the *Compare two dates* tab: the two dates side by side, the km² with
separators, the per-district breakdown and its CSV, and the changed areas in the map's banner
and legend."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
from streamlit.testing.v1 import AppTest

from kmap.areas import changes_total_km2, district_csv
from tests.app.helpers import map_state, new_app

WAR = {"from": "2020-09-27", "to": "2020-11-10"}
A, B = dt.date(2020, 9, 27), dt.date(2020, 11, 10)


def _compare(at: AppTest) -> AppTest:
    at.session_state["panel"] = "Compare two dates"
    at.run()
    at.date_input(key="cmp_a").set_value(A).run()
    at.date_input(key="cmp_b").set_value(B).run()
    assert not at.exception, at.exception
    return at


def _frame(at: AppTest, column: str) -> tuple[pd.DataFrame, object]:
    """The dataframe with `column`, and its element (for its column formats)."""
    found = [d for d in at.dataframe if column in d.value.columns]
    assert found, f"no table with column {column!r}"
    return found[0].value, found[0]


def test_the_tab_shows_both_dates_side_by_side_and_the_breakdown() -> None:
    at = _compare(new_app(**WAR))
    frames = [el for el in at.get("iframe") if "kmap-compare" in el.proto.srcdoc]
    assert len(frames) == 1, "no side-by-side maps"
    page = frames[0].proto.srcdoc
    assert page.count('class="kmap-compare-map"') == 2
    assert "27 September 2020" in page and "10 November 2020" in page
    total = changes_total_km2(A, B)
    lines = [m.value for m in at.markdown]
    assert any(f"{total:,.0f} km² Armenian forces \u2192 Azerbaijani forces" in t for t in lines)
    tables = [t.value for t in at.table if "district" in t.value.columns]
    assert tables, "no breakdown table"
    districts = tables[0]
    km2 = districts["km²"].str.replace(",", "").astype(float)
    assert abs(km2.sum() - total) <= 0.05 * len(districts) + 0.05
    assert "Jrakan / Jabrayil" in set(districts["district"])
    _, summary = _frame(at, "from")
    assert '"%,.1f"' in str(summary.proto.columns)  # km² shown with thousands separators


def test_breakdown_writes_thousands_separators() -> None:
    at = _compare(new_app(**WAR))
    at.date_input(key="cmp_b").set_value(dt.date(2023, 10, 1)).run()
    districts = next(t.value for t in at.table if "district" in t.value.columns)
    big = [v for v in districts["km²"] if float(v.replace(",", "")) >= 1000]
    assert big and all(re.fullmatch(r"\d{1,3}(,\d{3})+\.\d", v) for v in big)
    downloads = [el for el in at.get("download_button") if "breakdown" in el.proto.label]
    assert downloads and downloads[0].proto.label.startswith("Download the breakdown (CSV")
    assert district_csv(A, B).startswith("\ufeff".encode())


def test_changed_areas_join_the_maps_banner_and_legend() -> None:
    at = _compare(new_app(**WAR))
    before = map_state(at)
    assert not before["changes"]
    assert not any(r["label"].startswith("Changed hands") for r in before["legend"])
    at.toggle(key="show_changes").set_value(True).run()
    state = map_state(at)
    assert state["changes"]["features"]
    assert any(
        line.startswith("Changed hands 27 September 2020 \u2192 10 November 2020: 3,8")
        for line in state["banner"]
    )
    assert state["legend"][-1]["label"] == (
        "Changed hands between 27 September 2020 and 10 November 2020"
    )
    # the side-by-side maps hatch them too
    page = next(el.proto.srcdoc for el in at.get("iframe") if "kmap-compare" in el.proto.srcdoc)
    assert "Changed hands between 27 September 2020" in page


def test_side_by_side_html_is_offered_only_for_the_dates_it_was_made_for() -> None:
    at = _compare(new_app(**WAR))
    at.button(key="make_cmp_html").click().run()
    assert not at.exception, at.exception
    labels = [el.proto.label for el in at.get("download_button")]
    assert "Download side-by-side HTML" in labels
    page = at.session_state["_cmp_html"][1]
    assert page.count('class="kmap-compare-map"') == 2 and "27 September 2020" in page
    at.date_input(key="cmp_b").set_value(dt.date(2021, 1, 1)).run()
    labels = [el.proto.label for el in at.get("download_button")]
    assert "Download side-by-side HTML" not in labels
    assert any("make it again" in c.value for c in at.caption)
