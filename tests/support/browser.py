"""The browser tests' site and Chromium: where the built site and the widget are, why the
tests cannot run here, the static server for the site, a page pointed at the service."""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.support.net import free_port

ROOT = Path(__file__).resolve().parents[2]
SITE_BUILD = ROOT / "site" / "build"
# The versioned test site (1.0, 2.0, next; English and French), built by `make versioned-site`.
VERSIONED_BUILD = ROOT / "site" / "versioned" / "build"
WIDGET = ROOT / "widget"
STANDALONE = ROOT / "widget" / "dist-standalone" / "bookchat-widget.js"
DEMO_PAGE = ROOT / "widget" / "demo" / "index.html"
CHROMIUM = Path(os.environ.get("BOOKCHAT_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = ROOT / "tests" / "browser" / "artifacts"
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


@contextmanager
def serve_static(directory: Path) -> Iterator[str]:
    """A built site served on a free loopback port; yields its origin."""
    handler = functools.partial(SiteHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def new_page(browser: Any, service_url: str, **context_args: Any) -> Any:
    context = browser.new_context(**context_args)
    # Point the built site's widget at this session's service (the runtime override).
    context.add_init_script(f"window.bookchatConfig = {{ backend: {service_url!r} }};")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@contextmanager
def standalone_demo(browser: Any, backend: str, tmp_path: Path) -> Iterator[tuple[Any, list[str]]]:
    """The standalone build's demo page, pointed at `backend` and served by the test site
    at `/demo/`: a page of a new context (1100 x 800), and the script errors it logs."""
    demo = tmp_path / "demo.html"
    demo.write_text(DEMO_PAGE.read_text().replace('data-backend=""', f'data-backend="{backend}"'))
    SiteHandler.extra["/demo/"] = demo
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page, errors
    finally:
        SiteHandler.extra.pop("/demo/", None)
        context.close()
