"""A briefing user's journeys, in Chromium against `streamlit run`, checked as they see them.

Each test does what a person does (opens a link, clicks, types, drags, downloads, opens a
copied link in a new window) and asserts what the page shows. Playwright's `expect` waits.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from events.io.native import import_csv
from tests.browser.conftest import MAP_IFRAME, map_frame

WAR = "?from=2020-09-27&to=2020-11-10"
EXCEPTION = '[data-testid="stException"]'


def _open(page, base: str, query: str):
    """Open a link; the map frame once its first state is drawn."""
    page.goto(base + "/" + query, wait_until="domcontentloaded")
    frame = map_frame(page)
    expect(frame.locator(".leaflet-container[data-kmap-events-state]")).to_be_attached(
        timeout=60_000
    )
    return frame


#: The timeline strip's date boxes (kmap/js/timeline.js), by the keys the old boxes had.
DATE_BOXES = {
    "date_from": "From (YYYY-MM-DD, Enter applies)",
    "date_to": "As of (YYYY-MM-DD, Enter applies)",
}


def _as_of(page):
    """The timeline's As of box (the window's end)."""
    return _date_box(page, "date_to")


def _date_box(page, key: str):
    return page.get_by_label(DATE_BOXES[key])


def _type_date(page, key: str, iso: str) -> None:
    """Type a date into a timeline date box as a user does, then Enter."""
    box = _date_box(page, key)
    box.fill(iso)
    box.press("Enter")


def _choose(page, key: str, option: str) -> None:
    """Pick `option` in the select box `key`, as a user does: open the list, click the option.
    A rerun that redraws the box (the map reporting its position after a remount) closes an
    open list, and a user opens it again: so does this, up to three times."""
    wanted = page.get_by_role("option", name=option, exact=True)
    for attempt in range(3):
        page.locator(f".st-key-{key} input").click()
        page.keyboard.press("ArrowDown")  # opens the list (a click only focuses the box)
        try:
            wanted.click(timeout=5_000 if attempt < 2 else 30_000)
            return
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise


def _map_eval(frame, js: str):
    return frame.locator("body").evaluate(js)


def test_as_of_before_1991_draws_the_soviet_period(page, app_server: str) -> None:
    frame = _open(page, app_server, "?from=1988-01-01&to=1990-06-01")
    banner = frame.locator(".kmap-banner")
    expect(banner).to_contain_text("Situation as of 1 June 1990")
    expect(banner).to_contain_text("Soviet administration")
    expect(frame.locator(".kmap-legend")).to_contain_text("Soviet period")
    expect(frame.locator(".leaflet-container")).to_have_attribute("data-kmap-control-shown", "0")
    expect(frame.locator(".kmap-nkao")).not_to_have_count(0)  # the oblast outline is drawn
    expect(page.locator(EXCEPTION)).to_have_count(0)
    expect(_as_of(page)).to_have_value("1990-06-01")


def test_play_steps_the_window_until_stopped(page, app_server: str) -> None:
    _open(page, app_server, "?from=2020-09-27&to=2020-10-10")
    as_of = _as_of(page)
    expect(as_of).to_have_value("2020-10-10")
    page.locator(".tl-speed").select_option("2")
    page.get_by_role("button", name="▶ Play").click()
    expect(as_of).to_have_value("2020-10-17", timeout=20_000)  # one week per step
    expect(as_of).to_have_value("2020-10-24", timeout=20_000)  # and again
    expect(page.locator(EXCEPTION)).to_have_count(0)
    page.get_by_role("button", name="❚❚ Pause").click()  # stop
    stopped = as_of.input_value()
    expect(page).to_have_url(re.compile("to=" + stopped))  # the server is told where
    page.wait_for_timeout(3_000)  # six Play intervals: the date must stay where it stopped
    expect(as_of).to_have_value(stopped)
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_link_words_and_bad_values_never_crash(page, app_server: str) -> None:
    _open(page, app_server, WAR + "&present=true")
    expect(page.get_by_role("button", name="Exit presentation mode")).to_be_visible()
    _open(page, app_server, WAR + "&present=2&z=999")
    main = page.locator('[data-testid="stMain"]')
    expect(main.locator('[data-testid="stAlert"]', has_text="present")).to_be_visible()
    expect(main.locator('[data-testid="stAlert"]', has_text="z=999")).to_be_visible()
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_hostile_link_text_is_shown_literally_and_fetches_nothing(page, app_server: str) -> None:
    types = "![x](http://198.51.100.7/track.png) [Session expired](https://198.51.100.7/login)"
    _open(page, app_server, "?types=" + types.replace(" ", "%20"))
    alert = page.locator('[data-testid="stMain"] [data-testid="stAlert"]', has_text="types")
    expect(alert).to_contain_text("![x](http://198.51.100.7/track.png)")
    expect(page.locator('img[src*="198.51.100.7"], a[href*="198.51.100.7"]')).to_have_count(0)
    assert page.request_log.external() == []  # the "tracking image" was never fetched


def test_online_basemap_from_a_link_asks_first(page, app_server: str) -> None:
    frame = _open(page, app_server, WAR + "&basemap=osm")
    expect(page.get_by_text("This link asks for online map tiles")).to_be_visible()
    expect(frame.locator(".leaflet-tile")).to_have_count(0)
    page.get_by_role("button", name="Stay offline").click()
    expect(page.get_by_text("This link asks for online map tiles")).to_have_count(0)
    assert page.request_log.external() == []


def test_stale_briefing_is_not_offered(page, app_server: str, tmp_path: Path) -> None:
    _open(page, app_server, "?from=2020-09-27&to=2020-11-10")
    page.get_by_role("tab", name="Export briefing").click()
    page.get_by_role("button", name="Make PNG").click()
    download = page.get_by_role("button", name="Download PNG")
    expect(download).to_be_visible(timeout=60_000)
    _type_date(page, "date_to", "2023-10-01")
    expect(_as_of(page)).to_have_value("2023-10-01")
    expect(download).to_have_count(0)
    expect(page.get_by_text("The view changed since this file was made")).to_be_visible()
    page.get_by_role("button", name="Make PNG").click()
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_role("button", name="Download PNG").click()
    assert dl.value.suggested_filename == "karabakh-map-2023-10-01.png"
    assert Path(dl.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_briefing_title_template_is_text_in_the_html_export(
    page, app_server: str, tmp_path
) -> None:
    _open(page, app_server, WAR)
    page.get_by_role("tab", name="Export briefing").click()
    title = page.locator(".st-key-brief_title input")
    payload = "{{7*7}} {% raw %} {# {{cycler.__init__.__globals__.os.popen('id').read()}}"
    title.fill(payload)
    title.press("Enter")
    page.get_by_role("button", name="Make interactive HTML").click()
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_role("button", name="Download HTML").click()
    path = tmp_path / "export.html"
    dl.value.save_as(path)
    text = path.read_text(encoding="utf-8")
    assert "uid=" not in text and ">49<" not in text
    page.goto(path.as_uri())
    expect(page.locator(".kmap-banner-main")).to_have_text(payload)


def test_a_click_answers_control_first(page, app_server: str) -> None:
    # Kalbajar in 2000, default layers: the district outline and NKAO are on too
    frame = _open(page, app_server, "?from=2000-01-01&to=2000-01-01&lon=46.05&lat=40.12&z=10")
    container = frame.locator(".leaflet-container")
    expect(container).not_to_have_attribute("data-kmap-control-shown", "0")
    container.click()  # the middle of the map
    here = frame.locator(".leaflet-popup-content .kmap-here")
    expect(here).to_be_visible()
    groups = here.locator(".kmap-here-group")
    expect(groups.first).to_have_text("Control")
    expect(here.locator(".kmap-here-item").first).to_contain_text("Held by Armenian forces")
    expect(here).to_contain_text("District")
    expect(here.locator("a.kmap-source-link").first).to_be_visible()
    expect(here.locator(".kmap-source-host").first).to_have_text(re.compile(r" \([a-z0-9.-]+\)"))
    # inside the former NKAO in 2021: control first, then the peacekeepers' zone
    frame = _open(page, app_server, "?from=2021-06-01&to=2021-06-01&lon=46.75&lat=39.85&z=11")
    frame.locator(".leaflet-container").click()
    here = frame.locator(".leaflet-popup-content .kmap-here")
    expect(here.locator(".kmap-here-group").first).to_have_text("Control")
    expect(here).to_contain_text("Zone")


def test_share_link_follows_the_map_and_reopens_it(page, app_server: str, browser) -> None:
    frame = _open(page, app_server, WAR)
    box = page.locator(MAP_IFRAME).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 250, y + 120, steps=8)
    page.mouse.up()
    expect(page).to_have_url(re.compile(r"&lon=[\d.]+&lat=[\d.]+&z=8"), timeout=15_000)
    link = page.url  # copied as soon as the map stopped
    lon, lat = _map_eval(frame, "() => [kmapMap.getCenter().lng, kmapMap.getCenter().lat]")
    q = parse_qs(urlparse(link).query)
    assert abs(float(q["lon"][0]) - lon) < 0.01 and abs(float(q["lat"][0]) - lat) < 0.01
    # the copied link in a new window: same dates in the timeline's boxes, banner and map
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    other = ctx.new_page()
    try:
        other.goto(link, wait_until="domcontentloaded")
        fr2 = map_frame(other)
        expect(_as_of(other)).to_have_value("2020-11-10")
        expect(fr2.locator(".kmap-banner")).to_contain_text("10 November 2020")
        lon2 = _map_eval(fr2, "() => kmapMap.getCenter().lng")
        assert abs(lon2 - lon) < 0.01
        # a second link opened in the same tab keeps its own dates
        _open(other, app_server, "?from=2023-09-19&to=2023-10-01")
        expect(_as_of(other)).to_have_value("2023-10-01")
        expect(_date_box(other, "date_from")).to_have_value("2023-09-19")
    finally:
        ctx.close()


def test_layer_change_keeps_the_zoom(page, app_server: str) -> None:
    frame = _open(page, app_server, WAR + "&lon=46.7528&lat=39.7581&z=12")
    assert _map_eval(frame, "() => kmapMap.getZoom()") == 12
    page.get_by_role("button", name="Remove Labels").click()
    frame = map_frame(page)
    expect(frame.locator(".leaflet-container:not([data-kmap-labels])")).to_be_attached(
        timeout=60_000
    )
    assert _map_eval(frame, "() => kmapMap.getZoom()") == 12
    center = _map_eval(frame, "() => [kmapMap.getCenter().lng, kmapMap.getCenter().lat]")
    assert abs(center[0] - 46.7528) < 0.01 and abs(center[1] - 39.7581) < 0.01


def test_table_export_downloads_every_time(page, app_server: str) -> None:
    _open(page, app_server, WAR)
    page.get_by_role("tab", name="Events table").click()
    page.get_by_role("button", name=re.compile(r"^Make CSV of [\d,]+ events$")).click()
    button = page.get_by_role("button", name=re.compile(r"^Download [\d,]+ events \(CSV\)$"))
    for step in ("order", "size", "page"):  # paging keeps the file: it holds every event
        if step == "order":
            _choose(page, "table_order", "newest first")
        elif step == "size":
            _choose(page, "table_size", "50")
        else:
            page.locator(".st-key-table_page input").fill("1")
            page.locator(".st-key-table_page input").press("Enter")
        with page.expect_download(timeout=30_000) as dl:
            button.click()
        raw = Path(dl.value.path()).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: opens right in Excel
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        assert rows and rows[0]["source_1_url"].startswith("http")
        assert all(v != "None" for r in rows for v in r.values())
        assert len(import_csv(io.BytesIO(raw)).events) == len(rows)  # loads back
    # another filter: the old file is no longer offered until it is made again
    box = page.locator(".st-key-text input")
    box.fill("Lachin")
    box.press("Enter")
    expect(button).to_have_count(0)
    expect(page.get_by_text("The filters changed since the file was made")).to_be_visible()


def test_month_steps_are_reversible_and_preset_shows_custom(page, app_server: str) -> None:
    _open(page, app_server, "?from=2020-12-01&to=2021-01-31")
    _choose(page, "step_unit", "month")
    page.get_by_role("button", name="Forward ▶").click()
    expect(_as_of(page)).to_have_value("2021-02-28")
    page.get_by_role("button", name="◀ Back").click()
    expect(_as_of(page)).to_have_value("2021-01-31")
    expect(_date_box(page, "date_from")).to_have_value("2020-12-01")
    preset = page.locator(".st-key-preset input")
    _choose(page, "preset", "2020 war")
    expect(_as_of(page)).to_have_value("2020-11-10")
    expect(preset).to_have_value("2020 war")
    page.locator(".tl-track").focus()
    page.keyboard.press("ArrowRight")  # the timeline's window, one day on
    expect(preset).to_have_value("(custom)")
    _choose(page, "preset", "2020 war")  # the preset applies again
    expect(_as_of(page)).to_have_value("2020-11-10")


def test_table_shows_blank_for_missing_end_dates(page, app_server: str) -> None:
    _open(page, app_server, WAR)
    page.get_by_role("tab", name="Events table").click()
    cells = page.locator('[data-testid="stDataFrame"] td')
    expect(cells.first).to_be_attached(timeout=30_000)
    assert "None" not in cells.all_text_contents()


def test_a_click_on_an_event_opens_that_event(page, app_server: str) -> None:
    """A symbol over a polygon: the click opens the event's popup, not the area's."""
    page.set_viewport_size({"width": 1366, "height": 768})  # a laptop, as reported
    link = "?from=2023-04-01&to=2023-05-01&types=checkpoint&lon=46.55&lat=39.56&z=11"
    frame = _open(page, app_server, link)
    title = "Azerbaijan sets up checkpoint at the Hakari bridge"
    icon = frame.locator(f'.kmap-ev-icon[title="{title}"]')
    icon.click()
    popup = frame.locator(".leaflet-popup-content")
    expect(popup.locator(".kmap-info-title").first).to_have_text(title)
    expect(popup).to_contain_text("still in force")  # an open-ended situation says so
    expect(popup.locator(".kmap-here")).to_have_count(0)
