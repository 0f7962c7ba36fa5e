"""The standalone HTML export opens offline in a browser and draws every layer."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from events import load_catalogue
from kmap.briefing import DISCLAIMER
from kmap.map.standalone import standalone_html
from kmap.situation import situation
from kmap.viewstate import ViewState
from tests.browser.conftest import ARTIFACTS


def test_standalone_html_renders_offline(page, tmp_path) -> None:
    view = ViewState(start=dt.date(2020, 9, 27), end=dt.date(2020, 11, 10))
    events = list(load_catalogue().events)
    html = standalone_html(events, view, "Export test", "RESTRICTED // TEST")
    want = len(situation(events, view).shown)  # what the app's filters select
    path = tmp_path / "map.html"
    path.write_text(html, encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(path.as_uri())
    c = page.locator(".leaflet-container")
    c.wait_for(timeout=30_000)
    page.locator(
        "[data-kmap-events-shown][data-kmap-control-shown][data-kmap-zones-shown]"
    ).wait_for(timeout=30_000)
    assert want > 10
    assert int(c.get_attribute("data-kmap-events-shown")) == want
    assert int(c.get_attribute("data-kmap-control-shown")) > 10
    assert int(c.get_attribute("data-kmap-zones-shown")) >= 1
    assert page.locator("path.kmap-nkao").count() == 1
    assert page.locator("path.kmap-districts").count() == 7
    assert "Situation as of 10 November 2020" in page.locator(".kmap-banner").inner_text()
    assert "Held by Armenian forces" in page.locator(".kmap-legend").inner_text()
    # like the briefing images: the classification line top and bottom, the filters in
    # words (none here: every event of the window), the boundary disclaimer
    expect(page.locator(".kmap-class.top")).to_have_text("RESTRICTED // TEST")
    expect(page.locator(".kmap-class.bottom")).to_have_text("RESTRICTED // TEST")
    expect(page.locator(".kmap-filters")).to_have_text(
        f"No filters: {want:,} of {want:,} events in the window shown"
    )
    expect(page.locator(".kmap-disclaimer")).to_have_text(DISCLAIMER)
    for sel in (".kmap-class.top", ".kmap-class.bottom", ".kmap-words"):
        expect(page.locator(sel)).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "standalone.png"))
    # only the file itself: no network at all
    assert [u for u in page.request_log.urls if not u.startswith(("file:", "data:"))] == []
    assert c.get_attribute("data-kmap-error") is None
