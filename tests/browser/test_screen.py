"""The map owns the screen (issue #18): at the sizes analysts use, the map fills the window's
height with the time controls on screen, the default view frames Karabakh, the corridor and
the enclaves, the legend collapses, presentation mode fills the window with no chrome in a
capture, and an online basemap that cannot load says so and offers the offline one.

Screenshots are kept in ARTIFACTS (screen-*.png, present-*.png) to be looked at."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kmap.config import DEFAULT_FRAME
from tests.browser.conftest import ARTIFACTS, MAP_IFRAME, RequestLog, map_frame

SIZES = [(1024, 768), (1366, 768), (1920, 1080)]
WAR = "?from=2020-09-27&to=2020-11-10"


@pytest.fixture()
def sized(browser, request):
    """A page of the size in request.param (width, height), with a request log."""
    width, height = request.param
    ctx = browser.new_context(viewport={"width": width, "height": height})
    pg = ctx.new_page()
    pg.request_log = RequestLog()
    pg.on("request", pg.request_log)
    yield pg
    ctx.close()


def _open(page, base: str, query: str = ""):
    page.goto(base + "/" + query, wait_until="domcontentloaded")
    frame = map_frame(page)
    expect(frame.locator(".leaflet-container[data-kmap-events-state]")).to_be_attached(
        timeout=60_000
    )
    frame.locator(".leaflet-container[data-kmap-land]").wait_for(timeout=30_000)
    return frame


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box, f"{locator} has no box"
    return box


def _inside(inner: dict, outer: dict, slack: float = 1.0) -> bool:
    return (
        inner["x"] >= outer["x"] - slack
        and inner["y"] >= outer["y"] - slack
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + slack
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + slack
    )


def _frame_in_view(frame) -> bool:
    x0, y0, x1, y1 = DEFAULT_FRAME
    return frame.locator("body").evaluate(
        "(_el, f) => kmapMap.getBounds().contains(L.latLngBounds([f[1], f[0]], [f[3], f[2]]))",
        [x0, y0, x1, y1],
    )


@pytest.mark.parametrize("sized", SIZES, indirect=True, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_map_fills_the_window_and_the_controls_stay_on_screen(sized, app_server) -> None:
    page = sized
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    frame = _open(page, app_server)
    expect(page.locator('[data-testid="stSidebar"]')).to_be_visible()  # the sidebar is open
    # a compact heading and the one-line intro
    heading = page.locator(".st-key-kmap_heading")
    expect(heading).to_contain_text("each sourced: click any event, area or zone")
    assert _box(heading)["y"] + _box(heading)["height"] < 140
    # the map: the window's height, less the page around it
    iframe = _box(page.locator(MAP_IFRAME))
    assert iframe["height"] >= 0.44 * height, iframe
    # the time controls under it are on screen without scrolling
    for control in (
        page.locator(".tl-track"),  # the timeline strip
        page.get_by_role("button", name="▶ Play"),
        page.get_by_label("As of (YYYY-MM-DD, Enter applies)"),
        page.get_by_role("button", name="Forward ▶"),
    ):
        box = _box(control)
        assert box["y"] >= iframe["y"] + iframe["height"] - 1
        assert box["y"] + box["height"] <= height, (control, box, height)
    # and none of their words is cut ("(custor", "◀ B...", a Step box reading "w")
    for key in ("preset", "step_back", "step_fwd", "step_unit"):
        cut = page.locator(f".st-key-{key}").evaluate(  # a label or a box's text clipped
            """(el) => [...el.querySelectorAll("*")]
                 .some((e) => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)"""
        )
        assert not cut, key
    bar = page.locator(".tl-bar")
    assert bar.evaluate("(el) => el.scrollWidth <= el.clientWidth + 1"), "timeline bar cut"
    # the default view frames the NKAO, the districts, the enclaves and the corridor
    assert _frame_in_view(frame)
    # legend: bottom-left inside the map, collapsed below 1200 px, open above
    legend = frame.locator(".kmap-legend")
    closed = "kmap-legend-closed" in (legend.get_attribute("class") or "")
    assert closed == (width < 1200)
    map_box = _box(frame.locator(".leaflet-container"))
    leg = _box(legend)
    assert _inside(leg, map_box)
    assert (
        leg["x"] - map_box["x"] < 20
        and map_box["y"] + map_box["height"] - (leg["y"] + leg["height"]) < 80
    )
    assert _inside(_box(frame.locator(".leaflet-control-scale")), map_box)
    page.screenshot(path=str(ARTIFACTS / f"screen-{width}x{height}.png"))
    assert page.request_log.external() == []


@pytest.mark.parametrize("sized", [(1024, 768)], indirect=True, ids=["1024x768"])
def test_the_legend_opens_and_closes_from_its_button(sized, app_server) -> None:
    frame = _open(sized, app_server, WAR)
    legend = frame.locator(".kmap-legend")
    expect(legend).to_have_class(re.compile("kmap-legend-closed"))
    expect(frame.locator(".kmap-legend-body")).to_be_hidden()
    frame.locator(".kmap-legend-title").click()
    expect(frame.locator(".kmap-legend-body")).to_contain_text("Held by Armenian forces")
    # the swatch is the colour the map shows (the fill over the land), one per side
    swatches = frame.locator(".kmap-legend-row", has_text="Held by").locator(".kmap-swatch")
    colours = swatches.evaluate_all("els => els.map(e => getComputedStyle(e).backgroundColor)")
    assert len(set(colours)) == 2 and "rgba(0, 0, 0, 0)" not in colours
    frame.locator(".kmap-legend-title").click()
    expect(frame.locator(".kmap-legend-body")).to_be_hidden()


def _press_until(page, name: str, appears, tries: int = 3) -> None:
    """Press a button until `appears` is on the page: a press while the page is rerunning
    (the map reporting its position on load) can be lost with the button it was made on."""
    for _ in range(tries - 1):
        page.get_by_role("button", name=name).click()
        try:
            expect(appears).to_be_attached(timeout=10_000)
            return
        except AssertionError:
            continue
    page.get_by_role("button", name=name).click()
    expect(appears).to_be_attached(timeout=10_000)


@pytest.mark.parametrize("sized", [(1366, 768), (1024, 768)], indirect=True, ids=["1366", "1024"])
def test_presentation_mode_fills_the_window_with_no_chrome(sized, app_server) -> None:
    page = sized
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    _open(page, app_server, WAR)
    # the briefing's classification line goes into the presentation banner
    page.get_by_role("tab", name="Export briefing").click()
    box = page.get_by_label("Classification / handling line (optional)")
    box.fill("UNCLASSIFIED // EXERCISE")
    box.press("Enter")
    expect(box).to_have_value("UNCLASSIFIED // EXERCISE")
    _press_until(
        page, "Presentation mode", page.get_by_role("button", name="Exit presentation mode")
    )
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden(timeout=30_000)
    frame = map_frame(page)
    banner = frame.locator(".kmap-banner")
    expect(banner).to_contain_text("10 November 2020", timeout=30_000)
    expect(banner.locator(".kmap-banner-main")).to_have_text("Karabakh: situation map")
    expect(banner.locator(".kmap-banner-sub").last).to_have_text("UNCLASSIFIED // EXERCISE")
    iframe = _box(page.locator(MAP_IFRAME))
    assert (iframe["x"], iframe["y"]) == (0, 0)
    assert (iframe["width"], iframe["height"]) == (width, height), iframe
    viewport = {"x": 0, "y": 0, "width": width, "height": height}
    map_box = _box(frame.locator(".leaflet-container"))
    assert _inside(map_box, viewport) and map_box["height"] >= height - 1
    for part in (".kmap-legend", ".leaflet-control-scale", ".kmap-banner"):
        assert _inside(_box(frame.locator(part)), viewport), part
    # nothing of the page shows in a capture: the exit control is invisible until pointed at
    page.mouse.move(4, height / 2)  # the pointer at the window's edge, over no feature
    exit_ctl = page.locator(".st-key-exit_present")
    expect(exit_ctl).to_have_css("opacity", "0")
    shot = ARTIFACTS / f"present-{width}x{height}.png"
    page.screenshot(path=str(shot))
    page.get_by_role("button", name="Exit presentation mode").hover()
    expect(exit_ctl).to_have_css("opacity", "1")
    # Esc leaves
    page.mouse.move(width / 2, height / 2)
    page.keyboard.press("Escape")
    expect(page.locator(".st-key-kmap_heading")).to_be_visible(timeout=30_000)
    expect(page.locator('[data-testid="stSidebar"]')).to_be_visible()
    iframe = _box(page.locator(MAP_IFRAME))
    assert iframe["width"] < width  # back in the page, beside the sidebar


TILE_HOSTS = re.compile(
    r"^https?://([a-z0-9.-]+\.)?(openstreetmap|opentopomap|arcgisonline|cartocdn)"
)


@pytest.mark.parametrize("sized", [(1366, 768)], indirect=True, ids=["1366"])
def test_an_online_basemap_that_cannot_load_says_so_and_goes_offline(sized, app_server) -> None:
    page = sized
    page.route(TILE_HOSTS, lambda route: route.abort("internetdisconnected"))
    _open(page, app_server, WAR + "&basemap=osm")
    # clicked as soon as it shows, while the page's first run may still be going: the choice
    # holds once the page has finished (a request the browser queued before it had the new
    # value used to undo it: ui.session.keep_written)
    page.get_by_role("button", name="Load online tiles").click()
    expect(page).to_have_url(re.compile(r"basemap=osm"), timeout=30_000)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=60_000)
    expect(page.get_by_text("Online basemap:")).to_be_visible()
    expect(page.get_by_text("This link asks for online map tiles")).to_have_count(0)
    assert "basemap=osm" in page.url
    frame = map_frame(page)
    notice = frame.locator(".kmap-tiles-notice")
    expect(notice).to_contain_text("cannot load", timeout=30_000)
    expect(frame.locator(".leaflet-container[data-kmap-land]")).to_have_count(0)
    notice.get_by_role("button", name="Use the offline basemap").click()
    frame = map_frame(page)
    frame.locator(".leaflet-container[data-kmap-land]").wait_for(timeout=30_000)
    expect(frame.locator(".kmap-tiles-notice")).to_have_count(0)
    expect(page.get_by_text("Online basemap:")).to_have_count(0)  # the view is offline again
    assert "basemap=" not in page.url  # the link follows: the offline basemap is the default
    assert all(TILE_HOSTS.match(u) for u in page.request_log.external())


@pytest.mark.parametrize("sized", [(1366, 768)], indirect=True, ids=["1366"])
def test_event_clusters_are_neutral(sized, app_server) -> None:
    frame = _open(sized, app_server)
    cluster = frame.locator(".kmap-cluster").first
    cluster.wait_for(timeout=30_000)
    assert frame.locator(".marker-cluster-small, .marker-cluster-medium").count() == 0
    bg = cluster.evaluate("e => getComputedStyle(e).backgroundColor")
    r, g, b = (int(v) for v in re.findall(r"\d+", bg)[:3])
    assert max(r, g, b) - min(r, g, b) < 10, bg  # grey ink, no hue


@pytest.mark.parametrize("sized", [(1366, 768)], indirect=True, ids=["1366"])
def test_events_at_one_spot_spread_out_so_each_can_be_clicked(sized, app_server) -> None:
    """Several catalogue events share Stepanakert / Khankendi's point: zoomed in, they stay one
    group, and clicks on it spread them out (spiderfy); each symbol then opens its event."""
    page = sized
    frame = _open(page, app_server, "?from=1988-01-01&to=1991-12-31&lon=46.7528&lat=39.8177&z=12")
    cluster = frame.locator(".kmap-cluster").first
    cluster.wait_for(timeout=30_000)
    n = int(cluster.inner_text())
    assert n >= 2
    spread = frame.locator(".leaflet-marker-icon.kmap-ev-icon")
    for _ in range(3):  # a click zooms to the group's place, at the deepest zoom it spreads
        if spread.count() >= n:
            break
        frame.locator(".kmap-cluster").first.click()
        page.wait_for_timeout(600)  # the zoom / spread animation
    assert spread.count() >= n
    titles = set()
    for i in range(n):
        icon = spread.nth(i)
        icon.click()
        title = frame.locator(".leaflet-popup-content .kmap-info-title").first
        expect(title).to_have_text(icon.get_attribute("title"))
        titles.add(title.inner_text())
    assert len(titles) == n  # every one of them, not the top one n times
    # a state from the server that changes nothing (a rerun after a pan) keeps the group spread
    # and the popup open: markercluster folds a spread group on any removeLayers call
    kept = frame.locator("body").evaluate(
        """() => {
          const m = window.kmapMap, popup = m._popup, group = KMap.datasets.events.group;
          KMap.time.receive(m, KMap.time.last);
          return [Boolean(popup && m.hasLayer(popup)), Boolean(group._spiderfied)];
        }"""
    )
    assert kept == [True, True]  # [popup open, group spread]
