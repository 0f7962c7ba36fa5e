"""Hostile uploads in a real browser: HTML/JS in every text field is shown, never run.

A small karabakh-map CSV whose titles, summaries, actors, place names and source
publishers/titles are HTML/JS payloads (tests/hostile.py) is uploaded through the sidebar;
then the map popups, marker tooltips, events table, rejected-rows table, timeline and the
standalone HTML export (downloaded from the app and opened as a file) are looked at. Every
payload would set window.__pwned, log "PWNED-n" and open an alert if it ever ran: the test
asserts none of that happened, that the strings are visible as literal text, and that source
links are http(s) only. Oversized and unreadable uploads give a message; the app runs on.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, MAP_IFRAME, map_frame
from tests.hostile import P2, SAFE_URL, TRACE, hostile_csv, hostile_rows

# z=11: the three points (39.64-39.82 N) lie well inside the map at any window height
WINDOW = "/?from=2021-05-01&to=2021-06-01&z=11&lon=46.68&lat=39.73"
UPLOADER = '[data-testid="stFileUploader"] input[type=file]'
ROWS = {r["id"]: r for r in hostile_rows()}


@pytest.fixture()
def watched(page):
    """The page, with every console message (of the page and its iframes) recorded."""
    page.console_all = []
    page.on("console", lambda m: page.console_all.append(m.text))
    return page


def _nothing_ran(page, frames=()) -> None:
    assert page.dialogs == [], page.dialogs
    assert [t for t in page.console_all if TRACE in t] == []
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("[onerror], [onload]").count() == 0
    for fr in frames:
        assert fr.locator("body").evaluate("() => window.__pwned") is None
        assert fr.locator("[onerror], [onload]").count() == 0
    assert page.request_log.external() == []
    assert page.locator('[data-testid="stException"]').count() == 0


def _map_with(page, selector: str, timeout_s: float = 60):
    """The map iframe once it is the only one and its map matches `selector` (while the app
    reruns, the old and the new iframe can both be in the page for a moment)."""
    for _ in range(int(timeout_s * 5)):
        if page.locator(MAP_IFRAME).count() == 1:
            fr = page.frame_locator(MAP_IFRAME)
            if fr.locator(selector).count() == 1:
                return fr
        page.wait_for_timeout(200)
    raise AssertionError(f"map never showed {selector}")


def _upload(page, name: str, data: bytes) -> None:
    page.locator(UPLOADER).set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
    )


def _check_popup(fr, i: int) -> None:
    """Popup of hostile event i: every field literal, no markup, only the http(s) link."""
    row = ROWS[f"hostile-{i}"]
    popup = fr.locator(".leaflet-popup-content .kmap-popup")
    popup.wait_for(timeout=10_000)
    text = popup.inner_text()
    src = json.loads(row["sources"])[0]
    actors = json.loads(row["actors"])
    for needle in (row["title"], row["summary"], row["place_hy"], row["place_az"], *actors):
        assert needle in text, needle
    assert src["publisher"] in text and src["title"] in text
    assert popup.locator("img, svg, script, iframe, object, embed").count() == 0
    hrefs = [a.get_attribute("href") for a in popup.locator("a").all()]
    assert hrefs == [SAFE_URL]
    fr.locator("body").evaluate("() => window.kmapMap.closePopup()")
    popup.wait_for(state="detached", timeout=10_000)


def test_hostile_upload_is_text_everywhere(watched, app_server: str, tmp_path: Path) -> None:
    page = watched
    page.goto(app_server + WINDOW, wait_until="domcontentloaded")
    fr = map_frame(page)
    fr.locator("[data-kmap-events-shown]").wait_for(timeout=60_000)
    # only the uploaded events on the map: untick the curated catalogue
    cb = page.locator('[data-testid="stCheckbox"]', has_text="Include the curated catalogue")
    cb.locator("input").focus()
    cb.locator("input").press("Space")
    expect(cb.locator("input")).not_to_be_checked()
    _map_with(page, '[data-kmap-events-shown="0"]')
    _upload(page, "hostile.csv", hostile_csv())
    page.get_by_text("3 events, 2 rejected").wait_for(timeout=60_000)
    fr = _map_with(page, '[data-kmap-events-shown="3"]')
    container = fr.locator(".leaflet-container")
    assert container.get_attribute("data-kmap-error") is None

    # markers: the hover title is the literal title; click opens the popup
    for i in (1, 2, 3):
        icon = fr.locator(f'.kmap-ev-icon[title^="T{i} "]')
        assert icon.get_attribute("title") == ROWS[f"hostile-{i}"]["title"]
        if i < 3:
            icon.hover()
            page.wait_for_timeout(200)
            icon.click()
        else:  # outside the visible part of the map: fire the click on the icon itself
            icon.dispatch_event("click")
        _check_popup(fr, i)
    page.locator(MAP_IFRAME).screenshot(path=str(ARTIFACTS / "hostile-map.png"))

    # events table (canvas grid; its hidden accessible cells hold the text)
    cells = page.locator('[data-testid="stDataFrame"] td')
    cells.first.wait_for(state="attached", timeout=30_000)
    texts = cells.all_text_contents()
    for i in (1, 2, 3):
        assert ROWS[f"hostile-{i}"]["title"] in texts
    # CSV export of the table (made on click): the text as it was, one row per event
    page.get_by_role("button", name="Make CSV of 3 events").click()
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_role("button", name="Download 3 events (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(Path(dl.value.path()).read_text(encoding="utf-8"))))
    assert sorted(r["title"] for r in rows) == sorted(
        ROWS[f"hostile-{i}"]["title"] for i in (1, 2, 3)
    )
    # rejected rows, with their reason
    page.get_by_text("2 rejected row(s)").click()
    reason = page.locator('[data-testid="stSidebar"] td', has_text="must be an http(s) URL")
    reason.first.wait_for(state="attached", timeout=10_000)
    assert reason.count() == 2

    # timeline chart: hover the bars
    page.get_by_role("tab", name="Timeline").click()
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.wait_for(timeout=30_000)
    chart.hover()
    page.wait_for_timeout(500)

    # standalone HTML export, made and downloaded in the app
    page.get_by_role("tab", name="Export briefing").click()
    title = page.locator(".st-key-brief_title input")
    title.fill(P2)  # the export's title (banner and <title>) is hostile too
    title.press("Enter")
    expect(title).to_have_value(P2)
    page.wait_for_timeout(1000)  # the rerun that stores it
    page.get_by_role("button", name="Make interactive HTML").click()
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_role("button", name="Download HTML").click()
    export = tmp_path / "export.html"
    dl.value.save_as(export)
    _nothing_ran(page, [fr])

    # the export, opened as a file: same literal text, nothing runs, no network
    seen = len(page.request_log.urls)
    page.goto(export.as_uri())
    page.locator('.leaflet-container[data-kmap-events-shown="3"]').wait_for(timeout=30_000)
    for i in (1, 2, 3):
        icon = page.locator(f'.kmap-ev-icon[title^="T{i} "]')
        assert icon.get_attribute("title") == ROWS[f"hostile-{i}"]["title"]
        icon.dispatch_event("click")
        _check_popup(page, i)
    assert page.title() == P2
    assert page.locator(".kmap-banner").inner_text().splitlines()[0] == P2
    page.screenshot(path=str(ARTIFACTS / "hostile-export.png"))
    assert [u for u in page.request_log.urls[seen:] if not u.startswith(("file:", "data:"))] == []
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("[onerror], [onload]").count() == 0
    assert page.dialogs == [] and [t for t in page.console_all if TRACE in t] == []


def test_oversized_and_unreadable_uploads_are_messages(
    watched, app_server: str, tmp_path: Path
) -> None:
    page = watched
    page.goto(app_server + "/", wait_until="domcontentloaded")
    fr = map_frame(page)
    uploader = page.locator('[data-testid="stFileUploader"]')
    # over server.maxUploadSize (50 MB): refused before any app code runs
    big = tmp_path / "big.csv"
    big.write_bytes(b"id,date,type,title\n" + b"x" * (51 * 2**20))
    page.locator(UPLOADER).set_input_files(str(big))
    uploader.get_by_text("File must be 50.0MB or smaller").wait_for(timeout=60_000)
    # a type the uploader does not accept
    page.locator(UPLOADER).set_input_files(
        files=[{"name": "notes.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}]
    )
    uploader.get_by_text("files are not allowed").wait_for(timeout=30_000)
    # an unreadable file with an accepted name
    _upload(page, "photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)
    alert = page.locator('[data-testid="stAlert"]', has_text="cannot tell the format")
    alert.wait_for(timeout=30_000)
    # a header that is Markdown and HTML: quoted literally, the image is never fetched
    head = b"id,date,type,title,![x](http://198.51.100.7/t.png),<b>bold</b>\nA,B,C,D,E,F\n"
    _upload(page, "[x](javascript:alert(1)).csv", head)
    alert = page.locator('[data-testid="stAlert"]', has_text="missing column")
    alert.wait_for(timeout=30_000)
    text = alert.inner_text()
    assert "![x](http://198.51.100.7/t.png)" in text and "<b>bold</b>" in text
    assert "[x](javascript:alert(1)).csv" in text
    assert alert.locator("img, b, script").count() == 0, alert.inner_html()
    # Streamlit's Markdown links bare http(s) URLs even when escaped: a link, never a fetch
    for a in alert.locator("a").all():
        assert a.get_attribute("href").startswith(("http://", "https://"))
    # the app runs on: a good file still imports and reaches the map
    _upload(page, "hostile.csv", hostile_csv())
    page.get_by_text("3 events, 2 rejected").wait_for(timeout=60_000)
    fr = _map_with(page, "[data-kmap-events-shown]")
    _nothing_ran(page, [fr])
