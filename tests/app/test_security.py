"""AppTest: what a user types, a link carries or a file holds never runs or becomes markup.

- A briefing title that is a Jinja payload makes an interactive HTML file without running it.
- Hostile link parameters are reported next to the map as literal text: no Markdown link or
  image is created anywhere on the page (every markdown/warning/error/caption/info element is
  walked).
- An online basemap asked for by a link is not loaded until the user says so.
- A briefing download is only offered for the view it was made for.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.app.helpers import map_args, new_app
from tests.templating import exec_payload

WAR = {"from": "2020-09-27", "to": "2020-11-10"}
#: A link that tries a tracking image and a phishing link through the warning text.
HOSTILE_TYPES = (
    "![x](http://198.51.100.7/track.png) [Session expired - sign in again]"
    "(https://198.51.100.7/login)"
)
_UNESCAPED_LINK = re.compile(r"(?<!\\)\]\s*\(|(?<!\\)!\[|<img|<a\s|(?<!`)https?://", re.I)
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)


def _markdown_texts(at: AppTest) -> list[str]:
    """The Markdown source of every text element that renders Markdown."""
    out = []
    for kind in ("markdown", "warning", "error", "caption", "info", "success", "title"):
        out += [str(el.value) for el in at.get(kind)]
    return out


def test_briefing_title_payload_does_not_run() -> None:
    short = Path(tempfile.mkdtemp(prefix="k"))  # a short path: the title box takes 120 chars
    marker = short / "p"
    at = new_app(**WAR)
    at.session_state["panel"] = "Export briefing"
    at.run()
    title = exec_payload(marker)
    assert len(title) <= 120  # fits the title box
    at.text_input(key="brief_title").input(title).run()
    at.button(key="make_html").click().run()
    assert not at.exception
    html = at.session_state["brief_html"][2]
    assert not marker.exists()
    assert "\\u007b{cycler" in html  # the title, as inert data in the page's banner
    at.text_input(key="brief_title").input("{% raw %} {#").run()
    at.button(key="make_html").click().run()
    assert not at.exception  # used to crash the export (TemplateSyntaxError)
    short.rmdir()


def test_hostile_link_is_reported_as_text_and_makes_no_link_or_image() -> None:
    at = new_app(types=HOSTILE_TYPES, q="[click](https://198.51.100.7/)", present="2")
    warnings = [str(w.value) for w in at.warning]
    assert any("198.51.100.7/track.png" in w for w in warnings)
    assert any("present" in w for w in warnings)
    for text in _markdown_texts(at):  # outside code spans: no link, image or bare URL
        assert not _UNESCAPED_LINK.search(_CODE_SPAN.sub("", text)), text
    # shown next to the map (in the main area), not in the sidebar
    assert not [w for w in at.sidebar.get("warning") if "Link parameter" in str(w.value)]


def test_flag_words_in_links_do_not_crash() -> None:
    for word in ("true", "yes", "on", "2"):
        at = new_app(present=word, exact=word)
        assert not at.exception


def test_online_basemap_from_a_link_asks_first() -> None:
    at = new_app(basemap="osm")
    assert "tile.openstreetmap.org" not in map_args(at)["script"]
    assert any("online map tiles" in str(i.value) for i in at.info)
    at.button(key="link_basemap_yes").click().run()
    assert "tile.openstreetmap.org" in map_args(at)["script"]
    assert any("fetched from the internet" in str(c.value) for c in at.caption)


def test_briefing_download_only_for_the_view_it_was_made_for() -> None:
    at = new_app(**WAR)
    at.session_state["panel"] = "Export briefing"
    at.run()
    at.button(key="make_html").click().run()
    assert [b.proto.label for b in at.get("download_button")] == ["Download HTML"]
    at.session_state["dates"] = (dt.date(2023, 9, 1), dt.date(2023, 10, 1))
    at.run()
    assert at.get("download_button") == []
    assert any("make it again" in str(c.value) for c in at.caption)
    at.button(key="make_html").click().run()
    assert at.session_state["brief_html"][1] == dt.date(2023, 10, 1)
    assert [b.proto.label for b in at.get("download_button")] == ["Download HTML"]
