"""Real layouts of ACLED files, loaded as an analyst does: dropped on the uploader, format
left on *auto*; the sidebar counts what was read and the map says what it cannot draw."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from events.io.detect import import_file
from tests.browser.conftest import REPO, map_frame
from tests.browser.test_hostile import UPLOADER

FIXTURES = REPO / "tests" / "fixtures" / "events"


@pytest.mark.parametrize(
    "name",
    ["acled_current.xlsx", "acled_unicode_text.txt", "acled_2015.csv", "acled_dates_dayfirst.csv"],
)
def test_real_acled_layouts_load_in_the_app(page, app_server: str, name: str) -> None:
    data = (FIXTURES / name).read_bytes()
    want = import_file(data, name)  # what the importer makes of it, counted the same way
    assert want.events, name
    page.goto(app_server + "/?from=1988-01-01", wait_until="domcontentloaded")
    map_frame(page)
    page.locator(UPLOADER).set_input_files(
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}]
    )
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar).to_contain_text(
        f"{name}: {len(want.events):,} events, {len(want.rejected):,} rejected", timeout=60_000
    )
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def test_points_outside_the_map_are_explained(page, app_server: str) -> None:
    data = (FIXTURES / "acled_donbas.csv").read_bytes()
    page.goto(app_server + "/?from=1988-01-01", wait_until="domcontentloaded")
    map_frame(page)
    page.locator(UPLOADER).set_input_files(
        files=[{"name": "acled_donbas.csv", "mimeType": "text/csv", "buffer": data}]
    )
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar).to_contain_text("lie outside the map's area", timeout=60_000)
    expect(sidebar).to_contain_text("they are in the events table")


def test_tables_offer_no_raw_csv_download(page, app_server: str) -> None:
    """Streamlit's own table download wrote formulas raw: it is off (our export guards them)."""
    page.goto(app_server + "/?from=2020-09-27&to=2020-11-10", wait_until="domcontentloaded")
    map_frame(page)
    table = page.locator('[data-testid="stDataFrame"]').first
    expect(table).to_be_visible(timeout=30_000)
    table.hover()
    expect(page.locator('[data-testid="stElementToolbar"]').first).to_be_visible()
    expect(page.get_by_role("button", name="Download as CSV")).to_have_count(0)
