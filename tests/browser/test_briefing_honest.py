"""Journeys: the briefing files say what they show. A briefer with a type and a text filter
on downloads the interactive HTML and opens it offline: the classification line (top and
bottom), the filters in words and the boundary disclaimer are on the page. In *Compare two
dates* they make the side-by-side slide, download it and open it with Pillow; a file made
for another title or other dates is not offered."""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image
from playwright.sync_api import expect

from kmap.briefing import DISCLAIMER
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_journeys import _open

FILTERED = "?from=2020-09-27&to=2020-11-10&types=clash,control_change&q=Lachin"
CLASSIFICATION = "UNCLASSIFIED // FOR TRAINING <b>only</b>"


def test_html_export_says_its_classification_filters_and_disclaimer(
    page, app_server: str, tmp_path: Path
) -> None:
    _open(page, app_server, FILTERED)
    page.get_by_role("tab", name="Export briefing").click()
    cls = page.locator(".st-key-brief_class input")
    cls.fill(CLASSIFICATION)
    cls.press("Enter")
    page.get_by_role("button", name="Make interactive HTML").click()
    with page.expect_download(timeout=90_000) as dl:
        page.get_by_role("button", name="Download HTML").click()
    path = tmp_path / "export.html"
    dl.value.save_as(path)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "honest-export.html").write_bytes(path.read_bytes())
    before = len(page.request_log.urls)
    page.goto(path.as_uri())
    page.locator(".leaflet-container").wait_for(timeout=30_000)
    expect(page.locator(".kmap-class.top")).to_have_text(CLASSIFICATION)  # literal text
    expect(page.locator(".kmap-class.bottom")).to_have_text(CLASSIFICATION)
    expect(page.locator(".kmap-class b")).to_have_count(0)
    words = page.locator(".kmap-filters")
    expect(words).to_contain_text("Event types: clash, control change · text 'Lachin'")
    expect(words).to_contain_text(re.compile(r": [\d,]+ of [\d,]+ events in the window shown$"))
    expect(page.locator(".kmap-disclaimer")).to_have_text(DISCLAIMER)
    for sel in (".kmap-class.top", ".kmap-class.bottom", ".kmap-words"):
        expect(page.locator(sel)).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "honest-export.png"))
    opened = page.request_log.urls[before:]
    assert [u for u in opened if not u.startswith(("file:", "data:"))] == []  # offline


def test_two_dates_side_by_side_slide_downloads(page, app_server: str, tmp_path: Path) -> None:
    _open(page, app_server, "?from=2020-09-27&to=2020-11-10")
    page.get_by_role("tab", name="Compare two dates").click()
    page.get_by_role("button", name="Make side-by-side PNG").click()
    download = page.get_by_role("button", name="Download side-by-side PNG")
    with page.expect_download(timeout=90_000) as dl:
        download.click()
    assert dl.value.suggested_filename == "karabakh-map-2020-09-26-vs-2020-11-10.png"
    path = tmp_path / "compare.png"
    dl.value.save_as(path)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "compare.png").write_bytes(path.read_bytes())
    with Image.open(path) as im:
        assert im.format == "PNG" and im.size == (3840, 2160)
        assert len(im.convert("L").resize((64, 36)).getcolors(256)) > 10  # not blank
    # another title: the file made for the first is not offered
    title = page.locator(".st-key-cmp_title input")
    title.fill("Another title")
    title.press("Enter")
    expect(download).to_have_count(0)
    expect(
        page.get_by_text("The view or the dates changed since this file was made")
    ).to_be_visible()
