"""The timeline strip under the map, as a user drives it: drag the window's edge, Play at
speed, zoom, keys and typed dates. While time moves the map redraws itself in the browser
(no server round trip: the address bar and the server's map state stay put); when the user
lets go, the server learns the window once and draws the same thing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_journeys import EXCEPTION, WAR, _open

HOST = ".st-key-timeline [data-testid='stBidiComponentIsolated']"


def _tl(page, expr: str):
    """Evaluate `expr` with `t` = the strip's Timeline object (kmap/js/timeline.js)."""
    return page.locator(HOST).evaluate(
        f"(host) => {{ const t = host.shadowRoot.__kmapTimeline; return {expr}; }}"
    )


def _strip(page):
    strip = page.locator(".tl")
    expect(strip).to_have_attribute("data-histogram", "ready", timeout=30_000)
    return strip


def _server_has(page, strip, pattern: str) -> None:
    """The address bar shows `pattern` (the server has the window); if not, say what the strip
    holds: the window on it, the one it sent, and the last one the server acknowledged."""
    try:
        expect(page).to_have_url(re.compile(pattern))
    except AssertionError as exc:
        state = {k: strip.get_attribute(k) for k in ("data-window", "data-committed", "data-acked")}
        raise AssertionError(f"{exc}\nstrip: {state}") from None


def _drag_end(page, dx: float) -> None:
    """Press on the window's right edge and drag it by dx pixels, in small moves."""
    box = page.locator(".tl-track canvas").bounding_box()
    x = box["x"] + _tl(page, "t.xOf(t.win[1] + 1)")
    y = box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for k in range(1, 11):
        page.mouse.move(x + dx * k / 10, y)


def test_dragging_the_window_redraws_the_map_then_tells_the_server_once(page, app_server):
    frame = _open(page, app_server, WAR)
    strip = _strip(page)
    container = frame.locator(".leaflet-container")
    expect(container).to_have_attribute("data-kmap-events-shown", "50")
    server_state = container.get_attribute("data-kmap-server-state")
    _drag_end(page, -120)
    # while the button is held: the map shows the new window, drawn in the browser
    expect(container).to_have_attribute("data-kmap-time", re.compile(r"^2020-09-27/2020-10"))
    window = strip.get_attribute("data-window")
    assert container.get_attribute("data-kmap-time") == window
    fewer = int(container.get_attribute("data-kmap-events-shown"))
    assert 0 < fewer < 50
    expect(frame.locator(".kmap-banner")).to_contain_text(f"{fewer} shown")
    assert "to=2020-11-10" in page.url  # the server has not been told yet
    expect(page.locator(".st-key-kmap_banner")).to_have_class(re.compile("kmap-stale"))
    assert container.get_attribute("data-kmap-server-state") == server_state
    page.mouse.up()
    # released: the address bar and the server's own state follow, with the same events
    expect(strip).to_have_attribute("data-committed", window)
    expect(page).to_have_url(re.compile("to=" + window.split("/")[1]))
    expect(container).not_to_have_attribute("data-kmap-server-state", server_state)
    expect(container).to_have_attribute("data-kmap-events-shown", str(fewer))
    page_banner = page.locator(".st-key-kmap_banner")
    expect(page_banner).to_contain_text(f"{fewer} shown")
    expect(page_banner).not_to_have_class(re.compile("kmap-stale"))
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_play_runs_in_the_browser_at_speed_and_pause_tells_the_server(page, app_server):
    frame = _open(page, app_server, "?from=2020-01-01&to=2020-02-01")
    _strip(page)
    container = frame.locator(".leaflet-container")
    server_state = container.get_attribute("data-kmap-server-state")
    page.locator(".tl-speed").select_option("20")
    page.get_by_role("button", name="▶ Play").click()
    expect(page.get_by_role("button", name="❚❚ Pause")).to_be_visible()
    # one week per step (Step: week), 20 steps a second: months pass, drawn by the browser
    expect(container).to_have_attribute("data-kmap-time", re.compile(r"/2021-"), timeout=30_000)
    frames = frame.locator("body").evaluate("() => KMap.time.frames")
    assert frames >= 40  # ~one frame per step since 2020-02-01
    assert container.get_attribute("data-kmap-server-state") == server_state  # no rerun
    assert "to=2020-02-01" in page.url
    control = container.get_attribute("data-kmap-control-shown")
    assert control and int(control) > 0  # control polygons are drawn in every frame
    page.get_by_role("button", name="❚❚ Pause").click()
    window = page.locator(".tl").get_attribute("data-window")
    assert window == container.get_attribute("data-kmap-time")
    expect(page.locator(".tl")).to_have_attribute("data-committed", window)
    expect(page).to_have_url(re.compile("to=" + window.split("/")[1]))
    expect(container).not_to_have_attribute("data-kmap-server-state", server_state)
    page.screenshot(path=str(ARTIFACTS / "timeline-after-play.png"))
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_zoom_from_the_whole_span_down_to_days(page, app_server):
    _open(page, app_server, WAR)
    strip = _strip(page)
    page.get_by_role("button", name="1988–today").click()
    whole = int(strip.get_attribute("data-span-days"))
    assert whole > 365 * 38
    page.get_by_role("button", name="+").click()
    expect(strip).to_have_attribute("data-span-days", str(round(whole / 2)))
    box = page.locator(".tl-track canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 20)
    for _ in range(30):  # the wheel zooms in around the pointer, down to two weeks
        page.mouse.wheel(0, -100)
    expect(strip).to_have_attribute("data-span-days", "14")
    page.screenshot(path=str(ARTIFACTS / "timeline-zoomed-in.png"))
    page.get_by_role("button", name="−").click()
    expect(strip).to_have_attribute("data-span-days", "28")
    # two fingers spread apart on a touch screen zoom in, brought together zoom out
    page.get_by_role("button", name="1988–today").click()
    _pinch(page, 100, 300)
    expect(strip).to_have_attribute("data-span-days", str(round(whole / 3)))
    _pinch(page, 300, 100)
    expect(strip).to_have_attribute("data-span-days", str(whole))
    expect(strip).to_have_attribute("data-window", WAR_WINDOW)  # a pinch moves no date


WAR_WINDOW = "2020-09-27/2020-11-10"


def _pinch(page, spread0: float, spread1: float) -> None:
    """Two touch pointers on the strip, centred, moved from spread0 to spread1 px apart."""
    page.locator(".tl-track canvas").evaluate(
        """(c, [s0, s1]) => {
          const r = c.getBoundingClientRect(), mid = r.left + r.width / 2, y = r.top + 20;
          const ev = (type, id, x) => c.dispatchEvent(new PointerEvent(type, {
            pointerId: id, pointerType: "touch", clientX: x, clientY: y, bubbles: true,
            isPrimary: id === 1 }));
          ev("pointerdown", 1, mid - s0 / 2);
          ev("pointerdown", 2, mid + s0 / 2);
          ev("pointermove", 1, mid - s1 / 2);
          ev("pointermove", 2, mid + s1 / 2);
          ev("pointerup", 1, mid - s1 / 2);
          ev("pointerup", 2, mid + s1 / 2);
        }""",
        [spread0, spread1],
    )


@pytest.mark.parametrize(
    ("keys", "window"),
    [
        (["ArrowRight"], "2020-09-28/2020-11-11"),
        (["Shift+ArrowRight"], "2020-10-04/2020-11-17"),
        (["PageUp"], "2020-08-27/2020-10-10"),
        (["ArrowLeft", "ArrowLeft"], "2020-09-25/2020-11-08"),
    ],
)
def test_keys_step_the_window(page, app_server, keys, window):
    frame = _open(page, app_server, WAR)
    strip = _strip(page)
    page.locator(".tl-track").focus()
    for key in keys:
        page.keyboard.press(key)
    expect(strip).to_have_attribute("data-window", window)
    expect(strip).to_have_attribute("data-committed", window)
    expect(frame.locator(".leaflet-container")).to_have_attribute("data-kmap-time", window)
    start, end = window.split("/")
    _server_has(page, strip, f"from={start}&to={end}")
    expect(strip).to_have_attribute("data-window", window)  # not undone by a late run


def test_a_window_lost_on_its_way_is_sent_again_until_the_server_has_it(page, app_server):
    """Streamlit's browser side can lose a value set while a run ends (streamlit#16732): the
    strip sends the window again until the server's data says it has it (data-acked)."""
    frame = _open(page, app_server, WAR)
    strip = _strip(page)
    expect(strip).to_have_attribute("data-acked", "0")
    # the next value the strip hands to Streamlit is dropped, as in that bug; the strip's
    # renders keep replacing setStateValue, so the drop wraps whatever it is set to
    _tl(
        page,
        """(() => { let real = t.setStateValue;
        Object.defineProperty(t, "setStateValue", { configurable: true,
          set(f) { real = f; },
          get() { return (k, v) => {
            if (!window.__kmapDropped) { window.__kmapDropped = JSON.stringify(v); return; }
            return real(k, v); }; } });
        return true; })()""",
    )
    page.locator(".tl-track").focus()
    page.keyboard.press("ArrowRight")
    window = "2020-09-28/2020-11-11"
    expect(strip).to_have_attribute("data-committed", window)
    assert '"seq":1' in page.evaluate("window.__kmapDropped")  # the first send was lost
    expect(page).to_have_url(re.compile("from=2020-09-28&to=2020-11-11"), timeout=15_000)
    expect(strip).to_have_attribute("data-acked", "2")  # the second send got there
    expect(frame.locator(".leaflet-container")).to_have_attribute("data-kmap-time", window)
    expect(page.locator(".st-key-kmap_banner")).not_to_have_class(re.compile("kmap-stale"))
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_typed_dates_apply_on_enter_and_bad_ones_are_named(page, app_server):
    frame = _open(page, app_server, WAR)
    strip = _strip(page)
    as_of = page.get_by_label("As of (YYYY-MM-DD, Enter applies)")
    as_of.fill("2023-13-01")
    as_of.press("Enter")
    expect(page.locator(".tl-msg")).to_contain_text("Dates are YYYY-MM-DD")
    expect(as_of).to_have_class(re.compile("tl-bad"))
    expect(strip).to_have_attribute("data-window", "2020-09-27/2020-11-10")
    as_of.fill("2023-10-01")
    as_of.press("Enter")
    expect(page).to_have_url(re.compile("from=2020-09-27&to=2023-10-01"))
    expect(frame.locator(".kmap-banner")).to_contain_text("Situation as of 1 October 2023")
    expect(page.locator(".tl-msg")).to_have_text("")
    page.get_by_label("From (YYYY-MM-DD, Enter applies)").fill("1989-01-01")
    page.get_by_label("As of (YYYY-MM-DD, Enter applies)").fill("1990-06-01")
    page.get_by_label("As of (YYYY-MM-DD, Enter applies)").press("Enter")
    # before 1991: the Soviet period, no control drawn (browser first, then the server)
    expect(frame.locator(".kmap-banner")).to_contain_text("Soviet administration")
    expect(frame.locator(".leaflet-container")).to_have_attribute("data-kmap-control-shown", "0")
    expect(page).to_have_url(re.compile("from=1989-01-01&to=1990-06-01"))
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_a_window_sent_before_reaches_the_server_again_after_a_button_moved_it(page, app_server):
    _open(page, app_server, WAR)
    strip = _strip(page)
    page.locator(".tl-track").focus()
    page.keyboard.press("ArrowRight")  # sent: 2020-09-28 .. 2020-11-11
    _server_has(page, strip, "to=2020-11-11")
    page.get_by_role("button", name="Forward ▶").click()  # the server moves it a week on
    _server_has(page, strip, "to=2020-11-18")
    expect(strip).to_have_attribute("data-window", "2020-10-05/2020-11-18")
    page.locator(".tl-track").focus()
    page.keyboard.press("Shift+ArrowLeft")  # back to the window sent before
    expect(strip).to_have_attribute("data-window", "2020-09-28/2020-11-11")
    _server_has(page, strip, "from=2020-09-28&to=2020-11-11")
