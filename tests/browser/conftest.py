"""Browser tests: the built Docusaurus site (site/build) with the widget, in Debian's
Chromium driven by Playwright, against a real `bookchat serve` process whose Gemini is
the fake server. The sample book is indexed once per session (fake embeddings) with the
static site's URL as `--base-url`, so sources link to the pages being served."""

from __future__ import annotations

import functools
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    SITE_BUILD,
    STANDALONE,
    SiteHandler,
    new_page,
)
from tests.support.fake_gemini import FakeGemini
from tests.support.net import free_port
from tests.support.processes import launch, service_env, stop


@pytest.fixture(scope="session")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    handler = functools.partial(SiteHandler, directory=str(SITE_BUILD))
    SiteHandler.extra = {"/widget/bookchat-widget.js": STANDALONE}
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


@pytest.fixture(scope="session")
def book_index(
    fake_server: FakeGemini, site_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The sample book indexed (fake embeddings) with the served site as its base URL."""
    qdrant = tmp_path_factory.mktemp("browser-book") / "qdrant"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli",
            "ingest",
            str(ROOT / "sample_book"),
            "--base-url",
            f"{site_url}/docs",
        ],
        env=service_env(fake_server, qdrant),
        cwd=qdrant.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return qdrant


@pytest.fixture(scope="session")
def feedback_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The SQLAlchemy URL of the session's feedback database."""
    return f"sqlite:///{tmp_path_factory.mktemp('browser-feedback') / 'feedback.db'}"


@pytest.fixture(scope="session")
def service_url(
    fake_server: FakeGemini,
    book_index: Path,
    site_url: str,
    feedback_db: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """One `bookchat serve` for the session; CORS allows the static site's origin."""
    env = service_env(
        fake_server, book_index, BOOKCHAT_CORS_ORIGINS=site_url, BOOKCHAT_FEEDBACK_DB=feedback_db
    )
    process, url = launch([], env, tmp_path_factory.mktemp("browser-service"), wait=60)
    yield url
    stop([process])


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """Chromium for this package's tests. Package scope, not session: Playwright's sync
    API keeps an event loop running in this thread while it is open, and every async test
    after it would fail to start its own."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def page(browser: Any, service_url: str, fake: FakeGemini) -> Iterator[Any]:
    """A fresh browser context (empty sessionStorage) on a desktop viewport."""
    page = new_page(browser, service_url, viewport={"width": 1280, "height": 860})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    page.context.close()
    assert not errors, f"uncaught errors in the page: {errors}"
