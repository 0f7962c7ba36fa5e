"""The dashboard in a real browser: the date window, zoom kept, popups with sources, shared URLs."""

from __future__ import annotations

from tests.browser.conftest import map_frame

WAR = "?from=2020-09-27&to=2020-11-10"


def _container(page, base: str, query: str = WAR):
    page.goto(base + "/" + query, wait_until="domcontentloaded")
    frame = map_frame(page)
    c = frame.locator(".leaflet-container")
    frame.locator("[data-kmap-control-shown]").wait_for(timeout=60_000)
    return frame, c


def _wait_attr_change(page, c, attr: str, old: str | None, timeout: int = 30_000) -> str:
    for _ in range(timeout // 200):
        val = c.get_attribute(attr)
        if val != old:
            return val
        page.wait_for_timeout(200)
    raise AssertionError(f"{attr} stayed {old!r}")


def test_a_new_window_changes_events_and_polygons_and_keeps_zoom(page, app_server: str) -> None:
    frame, c = _container(page, app_server)
    n_events = int(c.get_attribute("data-kmap-events-shown"))
    assert n_events > 10
    # zoom in twice: the user's zoom must survive window moves
    frame.locator(".leaflet-control-zoom-in").click()
    frame.locator(".leaflet-control-zoom-in").click()
    page.wait_for_timeout(800)
    zoom_before = frame.locator("body").evaluate("() => window.kmapMap.getZoom()")
    control_before = frame.locator("body").evaluate(
        "() => Object.keys(KMap.datasets.control.shown).sort().join(',')"
    )
    state = c.get_attribute("data-kmap-server-state")
    # the window's end typed onto its start (27 Sep 2020) in the timeline; Enter applies
    as_of = page.get_by_label("As of (YYYY-MM-DD, Enter applies)")
    as_of.fill("2020-09-27")
    as_of.press("Enter")
    _wait_attr_change(page, c, "data-kmap-server-state", state)  # the server drew it too
    frame = map_frame(page)
    assert int(c.get_attribute("data-kmap-events-shown")) != n_events
    control_after = frame.locator("body").evaluate(
        "() => Object.keys(KMap.datasets.control.shown).sort().join(',')"
    )
    assert control_after != control_before
    assert frame.locator("body").evaluate("() => window.kmapMap.getZoom()") == zoom_before
    assert page.request_log.external() == []


def test_popup_shows_sources_as_links(page, app_server: str) -> None:
    frame, _c = _container(page, app_server, WAR + "&types=control_change&z=10&lon=46.75&lat=39.76")
    marker = frame.locator(".kmap-ev").first
    marker.wait_for(timeout=30_000)
    marker.click()
    popup = frame.locator(".leaflet-popup-content .kmap-popup")
    popup.wait_for(timeout=10_000)
    text = popup.inner_text()
    assert "Reported by" in text and "Confidence" in text
    links = popup.locator("a.kmap-source-link")
    assert links.count() >= 1
    for i in range(links.count()):
        href = links.nth(i).get_attribute("href")
        assert href.startswith(("http://", "https://"))
        assert links.nth(i).get_attribute("rel") == "noopener noreferrer"


def test_control_polygon_popup_has_sources(page, app_server: str) -> None:
    frame, _ = _container(page, app_server, "?from=2000-01-01&to=2000-01-01&layers=control")
    area = frame.locator("path.kmap-armenian").first
    area.wait_for(timeout=30_000)
    area.click(force=True)
    popup = frame.locator(".leaflet-popup-content .kmap-popup")
    popup.wait_for(timeout=10_000)
    assert "Precision" in popup.inner_text()
    assert popup.locator("a.kmap-source-link").count() >= 1


def test_shared_url_restores_the_view(page, app_server: str) -> None:
    query = (
        "?from=2022-12-12&to=2023-09-19&types=blockade,checkpoint&names=armenian"
        "&z=10&lon=46.55&lat=39.65"
    )
    frame, c = _container(page, app_server, query)
    assert frame.locator("body").evaluate("() => window.kmapMap.getZoom()") == 10
    centre = frame.locator("body").evaluate("() => window.kmapMap.getCenter()")
    assert abs(centre["lat"] - 39.65) < 0.01 and abs(centre["lng"] - 46.55) < 0.01
    assert "19 September 2023" in frame.locator(".kmap-banner").inner_text()
    labels = frame.locator(".kmap-label").all_inner_texts()
    assert "Stepanakert" in labels and "Khankendi" not in labels
    assert 0 < int(c.get_attribute("data-kmap-events-shown")) <= 6
    # the app wrote the view back into the address bar
    assert "types=blockade%2Ccheckpoint" in page.url or "types=blockade,checkpoint" in page.url
