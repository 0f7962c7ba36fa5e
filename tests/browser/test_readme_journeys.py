"""The README's promises, checked in the browser as a user meets them.

* Every row of the README's share-link table: its example link opens the view it describes
  (read from the README itself, so a new row gets a test without anyone writing one).
* Random share links drawn from the whole parameter space open with a map and no error.
* The *Using the app* paragraphs not covered by test_journeys.py: filters, names, panels,
  presentation mode.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from urllib.parse import parse_qs, quote

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import REPO, map_frame

EXCEPTION = '[data-testid="stException"]'
README = (REPO / "README.md").read_text(encoding="utf-8")


def _share_link_rows() -> list[tuple[str, str]]:
    """(parameter cell, example query) of every row of the README's share-link table."""
    section = README.split("### Share links", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[2].startswith("`") and "=" in cells[2]:
            rows.append((cells[0], cells[2].strip("`")))
    return rows


ROWS = _share_link_rows()


def test_the_readme_table_was_read() -> None:
    assert len(ROWS) >= 10, ROWS


def _open(page, base: str, query: str):
    page.goto(base + "/?" + query, wait_until="domcontentloaded")
    frame = map_frame(page)
    # the first state is applied (the banner is written with every state, whatever layers)
    expect(frame.locator(".kmap-banner")).to_be_visible(timeout=60_000)
    return frame


@pytest.mark.parametrize(("param", "example"), ROWS, ids=[r[0] for r in ROWS])
def test_each_share_link_row_opens_its_view(
    page, app_server: str, param: str, example: str
) -> None:
    query = "&".join(
        f"{k}={quote(v[0], safe=',')}" for k, v in parse_qs(example, keep_blank_values=True).items()
    )
    frame = _open(page, app_server, query)
    expect(page.locator(EXCEPTION)).to_have_count(0)
    main_alerts = page.locator('[data-testid="stMain"] [data-testid="stAlert"]')
    expect(main_alerts.filter(has_text="Link parameter")).to_have_count(0)  # all understood
    params = parse_qs(example)
    if "basemap" in params:  # an online basemap is asked for first
        expect(page.get_by_text("This link asks for online map tiles")).to_be_visible()
        return
    if "present" in params:
        expect(page.get_by_role("button", name="Exit presentation mode")).to_be_visible()
        return
    # the address bar carries the link's values back (the view took them)
    for key, values in params.items():
        if key in ("lon", "lat"):
            continue
        want = (
            re.escape(quote(values[0], safe=","))
            .replace("%20", "(?:%20|\\+)")
            .replace(",", "(?:,|%2C)")
        )
        expect(page).to_have_url(re.compile(rf"[?&]{key}={want}(&|$)"))
    if "to" in params:
        day = date.fromisoformat(params["to"][0])
        expect(frame.locator(".kmap-banner")).to_contain_text(f"{day.day} {day:%B %Y}")
    if "z" in params:
        assert frame.locator("body").evaluate("() => kmapMap.getZoom()") == int(params["z"][0])
    if "names" in params:
        expect(frame.locator(".kmap-label", has_text="Khankendi")).not_to_have_count(0)
        expect(frame.locator(".kmap-label", has_text="Stepanakert")).to_have_count(0)


def _random_link(rng: random.Random) -> str:
    lo, today = date(1988, 1, 1), date.today()
    a, b = sorted(lo + timedelta(days=rng.randrange((today - lo).days + 1)) for _ in range(2))
    q = {"from": a.isoformat(), "to": b.isoformat()}
    layers = ["control", "peacekeeping", "corridor", "missions", "events", "admin", "nakhchivan"]
    layers += ["districts", "nkao", "enclaves", "labels"]
    options = {
        "layers": lambda: ",".join(rng.sample(layers, rng.randint(0, 6))),
        "names": lambda: rng.choice(["both", "armenian", "azerbaijani", "x"]),
        "basemap": lambda: rng.choice(["offline", "osm", "grey", "nope"]),
        "z": lambda: str(rng.choice([5, 8, 10, 14, 18, 40, -1, "x"])),
        "lon": lambda: f"{rng.uniform(44, 48):.3f}",
        "lat": lambda: f"{rng.uniform(38.5, 41.5):.3f}",
        "present": lambda: rng.choice(["1", "0", "true", "yes", "2"]),
        "exact": lambda: rng.choice(["1", "0", "true", "off"]),
        "q": lambda: rng.choice(["Lachin", "Şuşa", "<b>x</b>", "zzz", "{{7*7}}"]),
        "prec": lambda: rng.choice(["exact", "near,district", "bogus", "country"]),
        "types": lambda: rng.choice(["control_change", "clash,ceasefire", "nope", ""]),
    }
    for k in rng.sample(list(options), rng.randint(1, 6)):
        q[k] = options[k]()
    return "&".join(f"{k}={quote(v, safe=',')}" for k, v in q.items())


def test_fifty_random_share_links_open_with_a_map(page, app_server: str) -> None:
    seed = random.randrange(10**6)
    rng = random.Random(seed)
    for _ in range(50):
        link = _random_link(rng)
        page.goto(app_server + "/?" + link, wait_until="domcontentloaded")
        try:
            frame = map_frame(page)
            expect(frame.locator(".kmap-banner")).to_be_visible(timeout=60_000)
            # the run has finished (panels under the map included) before looking for errors
            expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0)
        except AssertionError as exc:
            pytest.fail(f"seed {seed}: {link}: {exc}")
        assert page.locator(EXCEPTION).count() == 0, f"seed {seed}: {link}"


def test_filters_names_and_panels(page, app_server: str) -> None:
    frame = _open(page, app_server, "from=2020-09-27&to=2020-11-10")
    container = frame.locator(".leaflet-container")
    before = int(container.get_attribute("data-kmap-events-shown"))
    # text filter, any spelling: "Şuşa" finds Shusha / Shushi
    box = page.locator(".st-key-text input")
    box.fill("Şuşa")
    box.press("Enter")
    frame = map_frame(page)
    shown = frame.locator(".leaflet-container")
    expect(shown).not_to_have_attribute("data-kmap-events-shown", str(before))
    after = int(shown.get_attribute("data-kmap-events-shown"))
    assert 0 < after < before
    expect(page).to_have_url(re.compile(r"[?&]q=%C5%9Eu%C5%9Fa|[?&]q=Şuşa"))
    # place names: Azerbaijani-side only
    page.get_by_text("Azerbaijani-side names").click()
    frame = map_frame(page)
    expect(frame.locator(".kmap-label", has_text="Khankendi")).not_to_have_count(0)
    expect(frame.locator(".kmap-label", has_text="Stepanakert")).to_have_count(0)
    # panels: a timeline chart, the area chart, the compare table with km²
    page.get_by_role("tab", name="Timeline").click()
    expect(page.locator('[data-testid="stVegaLiteChart"]').first).to_be_visible(timeout=30_000)
    page.get_by_role("tab", name="Area held").click()
    expect(page.get_by_text("modelled area, equal-area projection")).to_be_visible()
    page.get_by_role("tab", name="Compare two dates").click()
    panel = page.get_by_role("tabpanel", name="Compare two dates")
    expect(panel.locator('[data-testid="stDataFrame"]')).to_be_visible()
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_presentation_mode_shows_only_the_map(page, app_server: str) -> None:
    frame = _open(page, app_server, "from=2020-09-27&to=2020-11-10&present=1")
    expect(frame.locator(".kmap-banner")).to_contain_text("10 November 2020")
    expect(page.get_by_role("tab", name="Events table")).to_have_count(0)
    page.get_by_role("button", name="Exit presentation mode").click()
    expect(page.get_by_role("tab", name="Events table")).to_be_visible(timeout=30_000)
