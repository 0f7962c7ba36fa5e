"""The sidebar uploader ("Your data") through AppTest: hostile, unreadable and broken files.

The app keeps running and says what went wrong in words; untrusted text (file names, header
cells quoted in messages) is shown literally. The size cap (server.maxUploadSize) is enforced
by Streamlit's uploader before app code runs, so it is tested in a real browser
(tests/browser/test_hostile.py).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import NoReturn

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import events.io.detect
from tests.app.helpers import map_args, new_app, set_window, shown
from tests.hostile import P1, P2, hostile_csv, hostile_geojson

WINDOW = {"from": "2021-05-01", "to": "2021-06-01"}


def _plain(markdown: str) -> str:
    """Markdown with backslash escapes removed: the text a viewer reads."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _table(at: AppTest, first_col: str) -> pd.DataFrame:
    """The first dataframe whose first column is `first_col`."""
    found = [d.value for d in at.dataframe if list(d.value.columns)[:1] == [first_col]]
    assert found, f"no table starting with {first_col!r}"
    return found[0]


def _upload(at: AppTest, name: str, data: bytes, mime: str = "text/csv") -> AppTest:
    at.file_uploader(key="upload").set_value((name, data, mime)).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(
    ("name", "data"),
    [("hostile.csv", hostile_csv()), ("hostile.geojson", hostile_geojson())],
)
def test_hostile_upload_is_imported_as_text(name: str, data: bytes) -> None:
    at = new_app(**WINDOW)
    at.checkbox(key="use_catalogue").set_value(False).run()
    _upload(at, name, data, "application/octet-stream")
    captions = " ".join(c.value for c in at.caption)
    assert "3 events, 2 rejected" in captions
    assert shown(at, "events") == 3
    table = _table(at, "date")
    assert P1 in " ".join(table["title"]) or P1 in " ".join(table["place"])
    assert set(table["source"]) == {"https://example.org/report?q=%3Cscript%3E&a=1"}
    assert set(_table(at, "file")["field"]) == {"sources"}
    # the map gets the data as a file and the state as escaped JSON: no markup in the page
    args = json.dumps(map_args(at))
    assert P2 not in args and "<script>window" not in args


def test_an_imported_file_is_not_held_by_the_uploader_and_can_be_removed() -> None:
    at = new_app(**WINDOW)
    at.checkbox(key="use_catalogue").set_value(False).run()
    _upload(at, "a.csv", hostile_csv())
    assert shown(at, "events") == 3
    # the data stay imported while the uploader is a new, empty one (its bytes are not
    # deep-copied by Streamlit on every rerun)
    assert [u.key for u in at.file_uploader] == ["upload-1"]
    set_window(at, dt.date(2021, 5, 2), dt.date(2021, 6, 1))
    assert shown(at, "events") == 3 and not at.exception
    at.button(key="remove_upload").click().run()
    assert shown(at, "events") == 0 and at.session_state["imported"] is None


def test_unreadable_file_says_so_and_the_app_runs_on() -> None:
    at = new_app()
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
    _upload(at, "photo.csv", png)
    assert at.error and "photo.csv: cannot tell the format" in _plain(at.error[0].value)
    assert map_args(at)  # the map is still drawn
    set_window(at, at.session_state.dates[0], at.session_state.dates[1])
    assert not at.exception


def test_broken_json_and_deep_nesting_are_messages() -> None:
    at = new_app()
    _upload(at, "deep.geojson", b'{"type":"FeatureCollection","features":' + b"[" * 100_000)
    assert at.error and "nested too deeply" in _plain(at.error[0].value)
    _upload(at, "cut.geojson", b'{"type":"FeatureCollection","features":[{')
    assert at.error and "cut.geojson: not valid JSON" in _plain(at.error[0].value)


def test_missing_columns_message_quotes_the_header_literally() -> None:
    at = new_app()
    head = b"id,date,type,title,![x](http://198.51.100.7/t.png),<img src=x onerror=alert(1)>\n"
    _upload(at, "[x](javascript:alert(1)).csv", head + b"a,b,c,d,e,f\n")
    body = at.error[0].value
    assert "missing column" in body
    assert "\\!\\[x\\]\\(http\\:" in body  # escaped: shown as text, never fetched as an image
    assert "\\[x\\]\\(javascript\\:alert\\(1\\)\\)" in body
    assert "\\<img" in body
    assert "![x](http://198.51.100.7/t.png)" in _plain(body)  # what the viewer reads


def test_an_importer_bug_is_a_message_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_a: object, **_k: object) -> NoReturn:
        raise RuntimeError("internal detail that viewers should not see")

    monkeypatch.setattr(events.io.detect, "import_file", boom)
    at = new_app()
    _upload(at, "ok.csv", hostile_csv())
    assert at.error and "ok.csv: could not be read (RuntimeError)" in _plain(at.error[0].value)
    assert "internal detail" not in at.error[0].value
    assert map_args(at)


def test_an_imported_file_is_released_by_streamlits_uploader() -> None:
    """Streamlit keeps a session's uploaded files until the session ends; once imported, the
    file's bytes are dropped from its manager (release_upload), as st.chat_input does."""
    from types import SimpleNamespace

    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
    from streamlit.runtime.uploaded_file_manager import UploadedFileRec

    from ui.upload import release_upload

    mgr = MemoryUploadedFileManager("/upload")
    mgr.add_file("s1", UploadedFileRec("f1", "a.csv", "text/csv", b"x" * 1000))
    mgr.add_file("s1", UploadedFileRec("f2", "b.csv", "text/csv", b"y"))
    ctx = SimpleNamespace(uploaded_file_mgr=mgr, session_id="s1")
    assert release_upload(ctx, "f1") is True
    assert [r.file_id for r in mgr.get_files("s1", ["f1", "f2"])] == ["f2"]  # only that file
    assert release_upload(ctx, "f1") is False  # already gone: nothing to do
    assert release_upload(SimpleNamespace(), "f2") is False  # no runtime: nothing happens
    assert mgr.get_files("s1", ["f2"])
