"""A 20,000-event ACLED upload in a real browser: drawn, filtered by the timeline, popups work.

No timings here (benchmarks/run.py measures them); only that the large-data paths work.
"""

from __future__ import annotations

from benchmarks.synth import acled_csv
from tests.browser.conftest import MAP_IFRAME, map_frame

N = 20_000
UPLOADER = '[data-testid="stFileUploader"] input[type=file]'


def _shown(page) -> int | None:
    """data-kmap-events-shown of the map, once there is a single map iframe (else None)."""
    if page.locator(MAP_IFRAME).count() != 1:
        return None
    c = page.frame_locator(MAP_IFRAME).locator(".leaflet-container[data-kmap-events-state]")
    return int(c.get_attribute("data-kmap-events-shown")) if c.count() == 1 else None


def _wait_shown(page, ok, timeout_s: float = 120) -> int:
    for _ in range(int(timeout_s * 5)):
        n = _shown(page)
        if n is not None and ok(n):
            return n
        page.wait_for_timeout(200)
    raise AssertionError(f"events shown stayed {_shown(page)}")


def test_20k_upload_renders_and_the_timeline_filters_it(page, app_server: str) -> None:
    page.goto(app_server, wait_until="domcontentloaded")
    map_frame(page).locator("[data-kmap-events-state]").wait_for(timeout=60_000)
    catalogue = _wait_shown(page, lambda n: n > 0)
    page.locator(UPLOADER).set_input_files(
        files=[{"name": "acled-20k.csv", "mimeType": "text/csv", "buffer": acled_csv(N)}]
    )
    page.get_by_text(f"{N:,} events, 0 rejected").wait_for(timeout=120_000)
    everything = _wait_shown(page, lambda n: n >= N + catalogue)
    frame = page.frame_locator(MAP_IFRAME)
    assert frame.locator(".marker-cluster").count() > 0  # clustered at the region's zoom
    page.get_by_text(f"{everything} shown").first.wait_for(timeout=30_000)  # the banner

    # the window's end typed in the timeline, some years earlier: fewer events
    as_of = page.get_by_label("As of (YYYY-MM-DD, Enter applies)")
    as_of.fill("2021-12-31")
    as_of.press("Enter")
    fewer = _wait_shown(page, lambda n: n < everything)
    assert 0 < fewer < everything
    page.get_by_text(f"{fewer} shown").first.wait_for(timeout=30_000)
    # exactly the events of the new window are on the map (the mask travels as run lengths
    # over the date-sorted dataset): compare with the window in the timeline's date boxes
    start, end = (
        page.get_by_label(f"{k} (YYYY-MM-DD, Enter applies)").input_value()
        for k in ("From", "As of")
    )
    outside = frame.locator("body").evaluate(
        """(_body, [start, end]) => {
          const ds = KMap.datasets.events;
          let bad = 0, want = 0;
          for (let i = 0; i < ds.n; i++) {
            const p = KMap.events.props(ds, i), last = p.end_date || p.date;
            const inside = !(last < start || p.date > end);
            want += inside ? 1 : 0;
            if (inside !== Boolean(ds.shown[i])) bad += 1;
          }
          return [bad, want];
        }""",
        [start, end],
    )
    assert outside == [0, fewer], (start, end, outside)

    # popups and precision symbols still work at this size: zoom in on one uploaded event
    body = frame.locator("body")
    body.evaluate(
        """() => {
          const ds = KMap.datasets.events;
          const i = Object.keys(ds.shown).map(Number).find(
            (k) => String(KMap.events.props(ds, k).id).startsWith("acled-"));
          const c = KMap.events.feature(ds, i).geometry.coordinates;
          window.kmapMap.setView([c[1], c[0]], 13, {animate: false});
          window.kbTarget = ds.layers[i];
        }"""
    )
    frame.locator(".kmap-ev-exact, .kmap-ev-near, .kmap-ev-district").first.wait_for()
    body.evaluate("() => window.kbTarget.getElement().setAttribute('id', 'kb-target')")
    frame.locator("#kb-target").dispatch_event("click")
    popup = frame.locator(".leaflet-popup-content .kmap-popup")
    popup.wait_for(timeout=10_000)
    assert "Reported by" in popup.inner_text()
    assert page.request_log.external() == []
