"""The app opens in a real browser with no internet: map, layers, labels, legend, no CDN."""

from __future__ import annotations

import io

from PIL import Image, ImageStat

from tests.browser.conftest import ARTIFACTS, map_frame


def _open(page, base: str):
    page.goto(base, wait_until="domcontentloaded")
    frame = map_frame(page)
    container = frame.locator(".leaflet-container")
    # static layers are fetched from /app/static/data: wait until they are drawn
    for layer in ("land", "nkao", "districts", "enclaves"):
        container.and_(frame.locator(f"[data-kmap-{layer}]")).wait_for(timeout=30_000)
    return frame, container


def test_map_renders_offline_with_layers(page, app_server: str) -> None:
    frame, container = _open(page, app_server)
    assert container.is_visible()
    # Leaflet panes of our layers exist and hold SVG paths
    assert frame.locator(".leaflet-kmapBasemap-pane path").count() >= 5  # land + lakes + rivers
    assert frame.locator(".leaflet-kmapOutlines-pane path.kmap-districts").count() == 7
    assert frame.locator(".leaflet-kmapOutlines-pane path.kmap-nkao").count() == 1
    assert frame.locator("path.kmap-enclaves").count() >= 3
    assert frame.locator("path.kmap-enclave_points").count() == 2  # Karki, Sofulu: points only
    # both toponyms in the labels
    labels = frame.locator(".kmap-label").all_inner_texts()
    for pair in ("Stepanakert / Khankendi", "Shushi / Shusha", "Berdzor / Lachin"):
        assert pair in labels, f"{pair!r} not among labels {labels[:20]}"
    # legend and scale bar
    assert "Former NKAO" in frame.locator(".kmap-legend").inner_text()
    assert frame.locator(".leaflet-control-scale").is_visible()
    # nothing left loopback
    assert page.request_log.external() == []
    assert not [e for e in page.console_errors if "karabakh-map layer" in e]


def test_screenshot_is_not_blank(page, app_server: str) -> None:
    _frame, _container = _open(page, app_server)
    page.wait_for_timeout(500)
    shot = page.locator('iframe[title="streamlit_folium.st_folium"]').screenshot()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "map.png").write_bytes(shot)
    img = Image.open(io.BytesIO(shot)).convert("RGB")
    assert img.width > 600 and img.height > 500
    stat = ImageStat.Stat(img)
    # a blank (single-colour) image has ~0 spread; the map has land, water, borders, labels
    assert max(stat.stddev) > 15, f"screenshot looks blank: stddev={stat.stddev}"
    colours = img.resize((200, 150)).getcolors(maxcolors=100_000)
    assert colours is not None and len(colours) > 50
    assert page.request_log.external() == []


def test_toponym_switch_changes_labels(page, app_server: str) -> None:
    frame, _ = _open(page, app_server)
    page.get_by_text("Azerbaijani-side names").click()
    frame = map_frame(page)
    frame.locator(".kmap-label", has_text="Khankendi").first.wait_for(timeout=30_000)
    labels = frame.locator(".kmap-label").all_inner_texts()
    assert "Khankendi" in labels and "Stepanakert / Khankendi" not in labels
    assert page.request_log.external() == []
