"""Browser fixtures: the app on a live port with the demo memory, and Debian's headless Chromium.

The tests skip, saying why, where Chromium or Playwright is missing; `.ci/run` installs Chromium
and sets TM_REQUIRE_BROWSER=1, which turns that skip into a failure so CI never passes silently.
"""
from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from memories import service
from tm_service import create_app
from tm_service.db import get_session
from tm_service.demo import build_demo

CHROMIUM = os.environ.get("TM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: An empty fr-en memory the align tests save into, so the demo memory stays as built.
SAVE_MEMORY = "drafts"
#: Playwright's default wait (30 s) hides a broken page for too long; aligning takes well under this.
WAIT_MS = 15_000


def _unavailable(reason: str) -> None:
    if os.environ.get("TM_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (TM_REQUIRE_BROWSER=1)")
    pytest.skip(reason)


@dataclass(frozen=True)
class LiveServer:
    url: str  # http://127.0.0.1:PORT/, with the trailing slash the page lives at
    write_key: str  # writes to SAVE_MEMORY only
    app: object


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """Serve a fresh app on a real SQLite file: the demo memory built, plus an empty `drafts`."""
    database = tmp_path_factory.mktemp("browser") / "tm.sqlite"
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{database}"})
    with app.app_context():
        session = get_session()
        build_demo(session, app.config["DEMO_MEMORY"])
        service.create_memory(session, SAVE_MEMORY, description="Pairs saved from the page")
        write_key = service.create_key(session, scope="write", memory_name=SAVE_MEMORY)[1]
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="browser-live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}/", write_key, app)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["tm_engine"].dispose()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session; each test gets its own context."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _unavailable(f"Chromium not found at {CHROMIUM}: `apt-get install chromium` (or set TM_CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed: pip install -e '.[dev]'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    context.set_default_timeout(WAIT_MS)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url.rstrip("/"))
    yield context
    context.close()


@pytest.fixture
def page(context, tmp_path):
    """A page that fails the test on an uncaught script error or a refused (CSP) load; its last
    state is saved as last.png in tmp_path."""
    page = context.new_page()
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    page.on("console", lambda message: script_errors.append(message.text) if _is_script_error(message) else None)
    yield page
    page.screenshot(path=tmp_path / "last.png", full_page=True)
    assert script_errors == []


def _is_script_error(message) -> bool:
    # The browser logs every 4xx/5xx answer as "Failed to load resource"; the error tests cause those.
    return message.type == "error" and not message.text.startswith("Failed to load resource")


@pytest.fixture
def screenshot(page, tmp_path) -> Callable[[str], Path]:
    """Save the whole page as NAME.png in the test's tmp_path, so a failure can be looked at."""

    def take(name: str) -> Path:
        path = tmp_path / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take
