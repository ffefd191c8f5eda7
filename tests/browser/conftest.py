"""Browser tests: the built Docusaurus site (site/build) with the widget, in Debian's
Chromium driven by Playwright, against a real `bookchat serve` process whose Gemini is
the fake server. The sample book is indexed once per session (fake embeddings) with the
static site's URL as `--base-url`, so sources link to the pages being served."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.fake_gemini import FakeGemini
from tests.net import free_port
from tests.test_e2e_uvicorn import launch, service_env, stop

ROOT = Path(__file__).resolve().parents[2]
SITE_BUILD = ROOT / "site" / "build"
STANDALONE = ROOT / "widget" / "dist-standalone" / "bookchat-widget.js"
DEMO_PAGE = ROOT / "widget" / "demo" / "index.html"
CHROMIUM = Path(os.environ.get("BOOKCHAT_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (make system-deps)"
    if not (SITE_BUILD / "docs.html").exists():
        return "site/build is missing (make site)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is missing (pip install -e '.[test]')"
    return None


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves a Docusaurus build made with trailingSlash: false (`/docs/a` is `docs/a.html`),
    and the standalone demo at `/demo/` with its script under `/widget/`."""

    extra: dict[str, Path] = {}

    def translate_path(self, path: str) -> str:
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if clean in self.extra:
            return str(self.extra[clean])
        local = Path(super().translate_path(path))
        page = local.parent / f"{local.name}.html"
        if not clean.endswith("/") and not local.is_file() and page.is_file():
            return str(page)  # `/docs` is docs.html even though a docs/ folder exists
        return str(local)

    def log_message(self, format: str, *args: Any) -> None:
        pass


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


def new_page(browser: Any, service_url: str, **context_args: Any) -> Any:
    context = browser.new_context(**context_args)
    # Point the built site's widget at this session's service (the runtime override).
    context.add_init_script(f"window.bookchatConfig = {{ backend: {service_url!r} }};")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def page(browser: Any, service_url: str, fake: FakeGemini) -> Iterator[Any]:
    """A fresh browser context (empty sessionStorage) on a desktop viewport."""
    page = new_page(browser, service_url, viewport={"width": 1280, "height": 860})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    page.context.close()
    assert not errors, f"uncaught errors in the page: {errors}"
