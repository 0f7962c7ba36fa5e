"""Journey: *Compare two dates*. An analyst opens the 2020 war, opens the tab, picks 27
September 2020 and 1 October 2023 and sees the two dates side by side (Armenian-held ground on
the first map, none on the second); pans the first map and the second follows; reads the km²
by district with thousands separators; downloads the breakdown as CSV; turns on the changed
areas and finds them in the main map's banner and legend. Nothing leaves loopback."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from kmap.areas import changes_total_km2, district_csv, district_rows
from tests.browser.conftest import ARTIFACTS, map_frame
from tests.browser.test_journeys import _open

A, B = dt.date(2020, 9, 27), dt.date(2023, 10, 1)
SIDE_BY_SIDE = '[data-testid="stIFrame"]'


def _type_date(page, key: str, day: dt.date) -> None:
    """Type a date into a Streamlit date box, segment by segment (year / month / day)."""
    for part, text in (("year", f"{day:%Y}"), ("month", f"{day:%m}"), ("day", f"{day:%d}")):
        page.locator(f".st-key-{key} [role=spinbutton][data-type={part}]").click()
        page.keyboard.type(text)


def _pick_dates(page, panel) -> None:
    """Pick both dates; a date box applies when it loses focus: each one is applied (the
    page's rerun done) before the next is typed, or a rerun could redraw the box mid-typing."""
    for key, day in (("cmp_a", A), ("cmp_b", B)):
        _type_date(page, key, day)
        panel.get_by_text("By district").click()  # focus leaves the box: it applies
        expect(page.locator(f".st-key-{key} input[type=date]")).to_have_value(day.isoformat())
        expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=60_000)
    expect(
        panel.get_by_text("Changed hands 27 September 2020 \u2192 1 October 2023")
    ).to_be_visible(timeout=60_000)


def _drawn_px(frame, side: str) -> float:
    """Screen area (px², by bounding boxes) of a side's control polygons in a map frame."""
    return frame.evaluate(
        "(side) => Array.from(document.querySelectorAll('path.kmap-control.' + side)).reduce("
        "(s, p) => { const b = p.getBoundingClientRect(); return s + b.width * b.height; }, 0)",
        side,
    )


def _center(frame) -> list[float]:
    return frame.evaluate("() => [kmapMap.getCenter().lat, kmapMap.getCenter().lng]")


def test_compare_two_dates_side_by_side_breakdown_and_csv(page, app_server: str, tmp_path) -> None:
    _open(page, app_server, "?from=2020-09-27&to=2020-11-10")
    page.get_by_role("tab", name="Compare two dates").click()
    panel = page.get_by_role("tabpanel", name="Compare two dates")
    _pick_dates(page, panel)

    # the two maps, one per date, linked once both are made
    outer = page.frame_locator(SIDE_BY_SIDE)
    expect(outer.locator(".kmap-compare-date")).to_have_text(
        ["27 September 2020", "1 October 2023"]
    )
    expect(outer.locator('.kmap-compare[data-kmap-compare-linked="2"]')).to_be_attached(
        timeout=60_000
    )
    map_a = outer.frame_locator('iframe[name="kmap-compare-a"]')
    map_b = outer.frame_locator('iframe[name="kmap-compare-b"]')
    for m, day in ((map_a, "27 September 2020"), (map_b, "1 October 2023")):
        expect(m.locator(".leaflet-container[data-kmap-control-state]")).to_be_attached(
            timeout=60_000
        )
        expect(m.locator(".kmap-banner")).to_contain_text(f"Situation as of {day}")
        # half a window wide, each legend is folded to its button (a click opens it)
        expect(m.locator(".kmap-legend-title")).to_have_attribute("aria-expanded", "false")
    # different control, same view: Armenian-held ground covers much of the first map and
    # only a few specks (56 km² along the border) of the second
    frame_a, frame_b = page.frame(name="kmap-compare-a"), page.frame(name="kmap-compare-b")
    assert frame_a is not None and frame_b is not None
    expect(map_a.locator("path.kmap-control.kmap-armenian")).not_to_have_count(0)
    expect(map_b.locator("path.kmap-control.kmap-azerbaijani")).not_to_have_count(0)
    held_a, held_b = (_drawn_px(f, "kmap-armenian") for f in (frame_a, frame_b))
    assert held_a > 20 * max(held_b, 1), (held_a, held_b)

    # pan the first map: the second follows
    before = _center(frame_b)
    pane_a = outer.locator('iframe[name="kmap-compare-a"]')
    pane_a.scroll_into_view_if_needed()
    box = pane_a.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.6
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 160, y - 90, steps=8)
    page.mouse.up()
    lat, lng = _center(frame_a)
    assert abs(lng - before[1]) > 0.05  # the first map moved
    frame_b.wait_for_function(
        "([lat, lng]) => Math.abs(kmapMap.getCenter().lat - lat) < 1e-6"
        " && Math.abs(kmapMap.getCenter().lng - lng) < 1e-6",
        arg=[lat, lng],
        timeout=10_000,
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(SIDE_BY_SIDE).screenshot(path=str(ARTIFACTS / "compare-side-by-side.png"))

    # the breakdown: km² by district, thousands separated, both names
    rows = district_rows(A, B)
    table = panel.locator('[data-testid="stTable"]')
    big = [r for r in rows if r["km²"] >= 1000]
    assert big, "the 2020 war and Sept 2023 moved over 1,000 km² in some district"
    for r in big:
        expect(table).to_contain_text(f"{r['km²']:,.1f}")  # e.g. "2,650.5"
        expect(table).to_contain_text(r["district"])
    expect(panel).to_contain_text(f"{changes_total_km2(A, B):,.0f} km²")
    table.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "compare-breakdown.png"))

    # the CSV: what the app made for these dates, for Excel (BOM)
    with page.expect_download(timeout=60_000) as dl:
        panel.get_by_role("button", name="Download the breakdown (CSV").click()
    assert dl.value.suggested_filename == "karabakh-map-changes-2020-09-27-2023-10-01.csv"
    path = tmp_path / "breakdown.csv"
    dl.value.save_as(path)
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode()) and raw == district_csv(A, B)

    # the changed areas on the main map: banner line and legend row
    panel.get_by_text("Show the changed areas on the map").click()
    live = map_frame(page)
    expect(live.locator(".kmap-banner")).to_contain_text(
        "Changed hands 27 September 2020 \u2192 1 October 2023", timeout=60_000
    )
    expect(live.locator(".kmap-legend")).to_contain_text(
        "Changed hands between 27 September 2020 and 1 October 2023"
    )
    assert page.request_log.external() == []


def test_side_by_side_html_opens_offline_with_linked_maps(page, app_server: str, tmp_path) -> None:
    _open(page, app_server, "?from=2020-09-27&to=2020-11-10")
    page.get_by_role("tab", name="Compare two dates").click()
    panel = page.get_by_role("tabpanel", name="Compare two dates")
    panel.get_by_role("button", name="Make side-by-side HTML").click()
    with page.expect_download(timeout=90_000) as dl:
        panel.get_by_role("button", name="Download side-by-side HTML").click()
    assert dl.value.suggested_filename == "karabakh-map-2020-09-26-vs-2020-11-10.html"
    path = tmp_path / "compare.html"
    dl.value.save_as(path)
    before = len(page.request_log.urls)
    page.goto(path.as_uri())
    expect(page.locator('.kmap-compare[data-kmap-compare-linked="2"]')).to_be_attached(
        timeout=60_000
    )
    expect(page.locator(".kmap-compare-title")).to_have_text(
        "Karabakh: territorial control on two dates"
    )
    map_b = page.frame_locator('iframe[name="kmap-compare-b"]')
    expect(map_b.locator(".kmap-banner")).to_contain_text("Changed hands 26 September 2020")
    frame_a, frame_b = page.frame(name="kmap-compare-a"), page.frame(name="kmap-compare-b")
    assert frame_a is not None and frame_b is not None
    frame_a.evaluate("() => kmapMap.setView([39.6, 46.9], 9, {animate: false})")
    frame_b.wait_for_function(
        "() => kmapMap.getZoom() === 9 && Math.abs(kmapMap.getCenter().lng - 46.9) < 1e-6",
        timeout=10_000,
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "compare-export.png"))
    opened = page.request_log.urls[before:]
    assert [u for u in opened if not u.startswith(("file:", "data:", "about:"))] == []
