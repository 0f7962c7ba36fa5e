"""Journey: a briefer builds a three-step storyboard in the browser, reorders it, downloads the
PowerPoint deck, the PDF deck and a GIF of the date window, saves the storyboard and loads it
back (from the file and from a share link). Each file is opened as its reader would: the deck by
python-pptx, the PDF by pypdf, the GIF by Pillow. The files are kept as test artifacts."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from PIL import Image
from playwright.sync_api import expect
from pptx import Presentation
from pypdf import PdfReader

from tests.browser.conftest import ARTIFACTS, MAP_IFRAME
from tests.browser.test_journeys import EXCEPTION, _choose, _open

WAR = "?from=2020-09-27&to=2020-11-10"
TITLES = ("The war begins", "One month on", "Two months on")


def _download(page, button: str | re.Pattern) -> bytes:
    """Click the download button (name or pattern); the file's bytes, kept as an artifact for
    a look by eye."""
    btn = page.get_by_role("button", name=button)
    expect(btn).to_be_visible(timeout=180_000)
    with page.expect_download(timeout=60_000) as dl:
        btn.click()
    name = dl.value.suggested_filename
    data = Path(dl.value.path()).read_bytes()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"storyboard-{name}").write_bytes(data)
    return data


def _make(page, make: str, file_pattern: str) -> bytes:
    page.get_by_role("button", name=make).click()
    return _download(page, re.compile(f"^Download {file_pattern}$"))


def _steps(page):
    return page.locator(".st-key-panel").get_by_text(re.compile(r"^\d+\. "))


def _add(page, title: str, note: str) -> None:
    page.locator(".st-key-sb_title input").fill(title)
    page.locator(".st-key-sb_note textarea").fill(note)
    page.get_by_role("button", name="Add this view as a step").click()
    expect(page.locator(".st-key-sb_title input")).to_have_value("")


def test_storyboard_to_pptx_pdf_and_gif(page, app_server: str) -> None:
    _open(page, app_server, WAR)
    page.get_by_role("tab", name="Storyboard").click()
    page.locator(".st-key-sb_deck_title input").fill("2020 war")
    page.locator(".st-key-sb_deck_title input").press("Enter")
    _choose(page, "step_unit", "month")
    # An arrow for the first step, from one named place to another (either toponym).
    page.get_by_text("Annotations for the next step").click()
    page.locator(".st-key-sb_a_kind").get_by_text("Arrow").click()
    page.locator(".st-key-sb_a_place input").fill("Shushi")
    page.locator(".st-key-sb_a_to input").fill("Khankendi")
    page.locator(".st-key-sb_a_text input").fill("road")
    page.get_by_role("button", name="Add annotation").click()
    expect(page.get_by_text(re.compile(r"^arrow .* → .*: road$"))).to_be_visible()
    for i, title in enumerate(TITLES):
        if i:
            page.get_by_role("button", name="Forward ▶").click()
        _add(page, title, f"Say: {title.lower()}.")
        expect(page.get_by_text(f"{i + 1}. {title}")).to_be_visible()

    # Reorder: the third step moves up, then back down.
    page.locator(".st-key-sb_up_2 button").click()
    expect(page.get_by_text(f"2. {TITLES[2]}")).to_be_visible()
    page.locator(".st-key-sb_down_1 button").click()
    expect(page.get_by_text(f"3. {TITLES[2]}")).to_be_visible()

    # The PowerPoint deck: three map slides in order, notes, then the sources.
    data = _make(page, "Make PowerPoint deck", r"karabakh-map-deck\.pptx")
    deck = Presentation(io.BytesIO(data))
    texts = [
        "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
        for slide in deck.slides
    ]
    for title, text in zip(TITLES, texts, strict=False):
        assert title in text
    assert any("Sources" in t for t in texts[3:]), texts[3:]
    assert "Say: the war begins." in deck.slides[0].notes_slide.notes_text_frame.text
    pictures = [s for s in deck.slides[0].shapes if s.shape_type == 13]
    assert pictures and Image.open(io.BytesIO(pictures[0].image.blob)).size == (3840, 2160)

    # The PDF deck: a page per step (titles in order) and the sources after them.
    data = _make(page, "Make PDF deck", r"karabakh-map-deck-a4\.pdf")
    pdf = PdfReader(io.BytesIO(data))
    assert len(pdf.pages) >= 4
    for title, pg in zip(TITLES, pdf.pages, strict=False):
        assert title in pg.extract_text()

    # A GIF of the window on screen (the last step's), week by week.
    caption = page.get_by_text(re.compile(r"^\d+ frames, "))
    expect(caption).to_be_visible()
    frames = int(caption.inner_text().split()[0])
    data = _make(page, f"Make GIF of {frames} frames", r"karabakh-map-.*-week\.gif")
    assert Image.open(io.BytesIO(data)).n_frames == frames
    expect(page.locator(EXCEPTION)).to_have_count(0)

    # Save the storyboard, then load it in a new session from the file...
    saved = _download(page, "Save storyboard (JSON)")
    assert json.loads(saved)["title"] == "2020 war"
    steps = json.loads(saved)["steps"]
    assert [s["title"] for s in steps] == list(TITLES)
    (arrow,) = steps[0]["annotations"]  # kept with its step only
    assert arrow["kind"] == "arrow" and arrow["text"] == "road"
    assert abs(arrow["start"][0] - 46.75) < 0.1 and abs(arrow["end"][1] - 39.82) < 0.1
    assert not steps[1]["annotations"] and not steps[2]["annotations"]
    link = page.locator(".st-key-panel code").filter(has_text="sb=").inner_text()
    page.goto(app_server + "/", wait_until="domcontentloaded")
    page.get_by_role("tab", name="Storyboard").click()
    page.locator(".st-key-sb_file input[type=file]").set_input_files(
        files=[{"name": "mine.json", "mimeType": "application/json", "buffer": saved}]
    )
    for i, title in enumerate(TITLES):
        expect(page.get_by_text(f"{i + 1}. {title}")).to_be_visible()
    expect(page.locator(".st-key-sb_deck_title input")).to_have_value("2020 war")
    # ...and from the share link, which also brings its view back.
    page.goto(link, wait_until="domcontentloaded")
    page.get_by_role("tab", name="Storyboard").click()
    for i, title in enumerate(TITLES):
        expect(page.get_by_text(f"{i + 1}. {title}")).to_be_visible()
    expect(page.get_by_label("As of (YYYY-MM-DD, Enter applies)")).not_to_have_value("")


def test_a_broken_storyboard_file_is_named_and_nothing_else_changes(page, app_server: str) -> None:
    _open(page, app_server, WAR)
    page.get_by_role("tab", name="Storyboard").click()
    bad = json.dumps({"title": "x", "steps": [{"title": 7}]}).encode()
    page.locator(".st-key-sb_file input[type=file]").set_input_files(
        files=[{"name": "broken.json", "mimeType": "application/json", "buffer": bad}]
    )
    error = page.get_by_text(re.compile(r"broken\.json: step 1: field title"))
    expect(error).to_be_visible()
    expect(page.get_by_text("No steps yet")).to_be_visible()
    expect(page.locator(EXCEPTION)).to_have_count(0)


def _click_map(page, frame, x: int, y: int) -> tuple[float, float]:
    """Click the map at container pixel (x, y) as a user does, once the map waiting for the
    click is drawn; the (lat, lon) there."""
    expect(frame.locator(".leaflet-container[data-kmap-events-state]")).to_be_attached(
        timeout=60_000
    )
    page.locator(MAP_IFRAME).scroll_into_view_if_needed()  # the tab is under the map
    box = page.locator(MAP_IFRAME).bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    ll = frame.locator("body").evaluate(
        f"() => {{ const p = kmapMap.containerPointToLatLng([{x}, {y}]); return [p.lat, p.lng]; }}"
    )
    return ll[0], ll[1]


def _live(page, key: str):
    """The input of widget `key`, not its stale copy: while a run redraws the page, Streamlit
    keeps the old element (data-stale) beside the new one for a moment."""
    return page.locator(f'.st-key-{key}:not([data-stale="true"]) input')


def _field(page, key: str) -> tuple[float, float]:
    box = _live(page, key)
    expect(box).to_have_value(re.compile(r"^-?\d+\.\d{4}, -?\d+\.\d{4}$"))
    lat, lon = box.input_value().split(", ")
    return float(lat), float(lon)


def test_points_and_a_box_picked_on_the_map(page, app_server: str) -> None:
    frame = _open(page, app_server, WAR + "&z=9&lon=45.2&lat=40.3")  # Armenia: no event there
    page.get_by_role("tab", name="Storyboard").click()
    page.get_by_text("Annotations for the next step").click()
    page.locator(".st-key-sb_pick_place button").click()
    expect(page.get_by_text("Click the map at the annotation's place")).to_be_visible()
    want = _click_map(page, frame, 300, 150)
    got = _field(page, "sb_a_place")
    assert abs(got[0] - want[0]) < 0.01 and abs(got[1] - want[1]) < 0.01
    expect(page.get_by_text("Click the map at")).to_have_count(0)  # no longer waiting
    page.locator(".st-key-sb_a_text input").fill("here")
    page.get_by_role("button", name="Add annotation").click()
    expect(page.get_by_text(re.compile(r"^callout at .*: here$"))).to_be_visible()

    _choose(page, "sb_frame", "A box: two corners picked on the map")
    page.locator(".st-key-sb_pick_sb_box_a button").click()
    a = _click_map(page, frame, 120, 80)
    expect(_live(page, "sb_box_a")).not_to_have_value("")
    page.locator(".st-key-sb_pick_sb_box_b button").click()
    b = _click_map(page, frame, 520, 300)
    _field(page, "sb_box_b")
    page.get_by_role("button", name="Add this view as a step").click()
    expect(page.get_by_text(re.compile(r"^1\. "))).to_be_visible()
    saved = json.loads(_download(page, "Save storyboard (JSON)"))
    lon0, lat0, lon1, lat1 = saved["steps"][0]["frame"]
    assert abs(lon0 - a[1]) < 0.01 and abs(lat1 - a[0]) < 0.01  # corner a: north-west
    assert abs(lon1 - b[1]) < 0.01 and abs(lat0 - b[0]) < 0.01  # corner b: south-east
    (callout,) = saved["steps"][0]["annotations"]
    assert abs(callout["at"][0] - want[1]) < 0.01 and abs(callout["at"][1] - want[0]) < 0.01
    expect(page.locator(EXCEPTION)).to_have_count(0)
