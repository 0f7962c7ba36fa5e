"""Browser fixtures: `streamlit run server.py` (app.py behind the ASGI App) on a free loopback
port + Debian's Chromium.

Every request the page makes is recorded; tests assert that none leaves loopback.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
#: Screenshots and server logs: outside the checkout (tests write nothing into it); set
#: KARABAKH_MAP_ARTIFACTS to keep them elsewhere.
ARTIFACTS = Path(
    os.environ.get(
        "KARABAKH_MAP_ARTIFACTS", str(Path(tempfile.gettempdir()) / "karabakh-map-test-artifacts")
    )
)


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 90.0) -> None:
    """Poll /_stcore/health until the server answers ok (or fail with its log)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{base} not healthy after {timeout}s")


def start_streamlit(script: str = "server.py", extra_env: dict | None = None):
    """Start the app on a free loopback port; returns (process, base_url, log_path)."""
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / f"streamlit-{port}.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(extra_env or {})}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            script,
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=REPO,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc)
    except Exception:
        proc.kill()
        raise RuntimeError(f"streamlit did not start; log:\n{log.read_text()[-3000:]}") from None
    return proc, base, log


@pytest.fixture(scope="session")
def app_server() -> Iterator[str]:
    """Base URL of a running app (one server for the session)."""
    proc, base, _log = start_streamlit()
    try:
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never `playwright install`)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} missing: run scripts/run-tests.sh, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class RequestLog:
    """Every URL a page (and its iframes) requested, to prove nothing leaves loopback."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def __call__(self, request) -> None:
        self.urls.append(request.url)

    def external(self) -> list[str]:
        """Requests to any host other than loopback (data:/blob:/about: are local)."""
        out = []
        for url in self.urls:
            u = urlparse(url)
            if u.scheme in ("data", "blob", "about", "chrome-extension"):
                continue
            if u.hostname not in LOOPBACK_HOSTS:
                out.append(url)
        return out


@pytest.fixture()
def page(browser):
    """A fresh 1400x900 page with request and console logs attached."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = ctx.new_page()
    log = RequestLog()
    pg.on("request", log)
    pg.console_errors = []
    pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m.text))
    pg.dialogs = []

    def _dialog(d):
        pg.dialogs.append(d.message)
        d.dismiss()

    pg.on("dialog", _dialog)
    pg.request_log = log
    yield pg
    ctx.close()


#: The live map iframe. While a rerun re-mounts the map (or the page first loads) Streamlit
#: briefly keeps the old element, marked data-stale="true": skip it, or locators see two maps.
MAP_IFRAME = (
    '[data-testid="stElementContainer"]:not([data-stale="true"]) '
    'iframe[title="streamlit_folium.st_folium"]'
)


def map_frame(pg, timeout: float = 60_000):
    """The map iframe's Frame once Leaflet has drawn its container."""
    pg.wait_for_selector(MAP_IFRAME, timeout=timeout)
    frame = pg.frame_locator(MAP_IFRAME)
    frame.locator(".leaflet-container").wait_for(timeout=timeout)
    return frame
