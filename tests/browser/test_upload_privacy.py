"""An analyst's uploaded file stays theirs: served to their page only, gone when removed, and
never passed off as curated data."""

from __future__ import annotations

import csv
import io
import json

from playwright.sync_api import expect

from tests.browser.conftest import MAP_IFRAME, map_frame
from tests.browser.test_hostile import UPLOADER

FIELDS = ["id", "date", "type", "title", "summary", "lon", "lat", "geo_precision", "sources"]


def _csv(rows: list[dict]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=FIELDS)
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue().encode()


def _row(eid: str, url: str, publisher: str) -> dict:
    return {
        "id": eid,
        "date": "2021-05-12",
        "type": "clash",
        "title": f"Uploaded {eid}",
        "summary": "An event from the analyst's own file.",
        "lon": "46.75",
        "lat": "39.81",
        "geo_precision": "exact",
        "sources": json.dumps([{"url": url, "publisher": publisher}]),
    }


FILE = _csv(
    [
        _row("mine-1", "https://example.org@198.51.100.7/story", "Reuters"),
        _row("2020-11-09-trilateral-statement", "https://example.org/x", "Someone"),
    ]
)


def _upload(page, name: str, data: bytes) -> None:
    page.locator(UPLOADER).set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
    )


def _events_src(page) -> str:
    frame = page.frame_locator(MAP_IFRAME)
    return frame.locator("body").evaluate("() => KMap.datasets.events.spec.src")


def _fetch(page, url: str) -> dict:
    return page.evaluate(
        """async (u) => { const r = await fetch(u);
             return {status: r.status, cache: r.headers.get('cache-control'),
                     cors: r.headers.get('access-control-allow-origin')}; }""",
        url,
    )


def test_upload_is_served_to_its_session_only_and_goes_when_removed(page, app_server: str) -> None:
    page.goto(app_server + "/?from=2021-05-01&to=2021-06-01", wait_until="domcontentloaded")
    map_frame(page)
    _upload(page, "mine.csv", FILE)
    expect(page.get_by_text("mine.csv: 1 events, 1 rejected")).to_be_visible(timeout=60_000)
    # the curated id was refused, with its reason
    page.get_by_text("1 rejected row(s)").click()
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text("curated event's id")
    frame = map_frame(page)
    expect(frame.locator(".leaflet-container[data-kmap-events-shown]")).to_be_attached()
    src = _events_src(page)
    assert src.startswith("/kmap/data/") and "mine" not in src
    got = _fetch(page, app_server + src)
    assert got == {"status": 200, "cache": "no-store", "cors": None}
    # a static URL of the old kind does not exist for it
    static = frame.locator("body").evaluate("() => KMap.datasets.events.spec.src")
    assert "/app/static/" not in static

    # only the file's events (untick the catalogue), then the popup says where the event came
    # from and where its link really goes
    page.locator('[data-testid="stCheckbox"]', has_text="Include the curated catalogue").click()
    frame = map_frame(page)
    expect(frame.locator('.leaflet-container[data-kmap-events-shown="1"]')).to_be_attached()
    frame.locator(".kmap-ev").first.click()
    popup = frame.locator(".leaflet-popup-content .kmap-popup")
    expect(popup).to_contain_text("From your file mine.csv")
    expect(popup.locator(".kmap-source-host")).to_have_text(" (198.51.100.7)")

    # removed: the data is no longer served
    page.get_by_role("button", name="Remove this file's events").click()
    expect(page.get_by_text("mine.csv: 1 events")).to_have_count(0)
    assert _fetch(page, app_server + src)["status"] == 404


def test_same_file_twice_gets_unrelated_addresses(browser, app_server: str) -> None:
    srcs = []
    for _ in range(2):
        ctx = browser.new_context(viewport={"width": 1400, "height": 900})
        page = ctx.new_page()
        try:
            page.goto(app_server + "/?from=2021-05-01&to=2021-06-01")
            map_frame(page)
            _upload(page, "mine.csv", FILE)
            expect(page.get_by_text("mine.csv: 1 events")).to_be_visible(timeout=60_000)
            frame = map_frame(page)
            expect(frame.locator(".leaflet-container[data-kmap-events-shown]")).to_be_attached()
            srcs.append(_events_src(page))
        finally:
            ctx.close()
    assert srcs[0] != srcs[1]  # nobody can confirm that someone loaded the same file
