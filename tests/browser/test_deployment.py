"""The deployment settings of .streamlit/config.toml do what docs/deployment.md says.

Against a real `streamlit run` on loopback: viewers see no error details, the health check
answers, another origin gets no CORS grant and no WebSocket, a state-changing request
without the XSRF token is refused.
"""

from __future__ import annotations

import http.client
import subprocess
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import start_streamlit

EVIL = "http://evil.example"
CRASH_APP = """
import streamlit as st
st.title("crash test")
raise RuntimeError("SECRET-DETAIL from /srv/karabakh-map/app.py line 42")
"""


def _request(base: str, method: str, path: str, headers: dict | None = None):
    u = urlparse(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        r = conn.getresponse()
        return r.status, dict(r.getheaders()), r.read()
    finally:
        conn.close()


def test_viewers_see_no_error_details(page, tmp_path) -> None:
    script = tmp_path / "crash_app.py"
    script.write_text(CRASH_APP)
    proc, base, _log = start_streamlit(str(script))  # run from the repo: its config applies
    try:
        page.goto(base, wait_until="domcontentloaded")
        exc = page.locator('[data-testid="stException"]')
        exc.wait_for(timeout=60_000)
        shown = page.locator("body").inner_text()
        assert "error" in exc.inner_text().lower()  # a generic message is shown
        assert exc.locator("a").count() == 0  # showErrorLinks = false: no external help links
        for secret in ("SECRET-DETAIL", "Traceback", "RuntimeError", "app.py", "line 42"):
            assert secret not in shown, secret
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_health_cors_and_xsrf(app_server: str) -> None:
    status, _h, body = _request(app_server, "GET", "/_stcore/health")
    assert (status, body) == (200, b"ok")
    # enableCORS = true: no Access-Control-Allow-Origin for another origin
    status, headers, _ = _request(app_server, "GET", "/_stcore/health", {"Origin": EVIL})
    assert status == 200
    assert "access-control-allow-origin" not in {k.lower() for k in headers}
    # enableXsrfProtection = true: an upload without the XSRF cookie/token is refused
    status, _h, _ = _request(
        app_server,
        "PUT",
        "/_stcore/upload_file/some-session/some-file",
        {"Content-Type": "multipart/form-data; boundary=x", "Origin": EVIL},
    )
    assert status == 403


@pytest.mark.parametrize(("origin", "allowed"), [(EVIL, False), (None, True)])
def test_websocket_from_another_origin_is_refused(
    app_server: str, origin: str | None, allowed: bool
) -> None:
    import websockets
    from websockets.sync.client import connect as ws_connect

    url = app_server.replace("http://", "ws://") + "/_stcore/stream"
    headers = {"Origin": origin} if origin else {}

    def connect() -> bool:
        try:
            with ws_connect(url, additional_headers=headers, origin=None, open_timeout=20) as ws:
                ws.send(b"")
                ws.recv(timeout=5)
                return True
        except websockets.exceptions.ConnectionClosed as exc:
            return exc.rcvd is None or exc.rcvd.code != 1008
        except websockets.exceptions.InvalidStatus:
            return False
        except TimeoutError:  # open and waiting for a real client message: allowed
            return True

    assert connect() is allowed
