"""`GET /`: a demo page with the chat widget's standalone build, for `make run`.

The page and the bundle are the widget's own committed files (`widget/demo/index.html`,
`widget/dist-standalone/bookchat-widget.js`), served from this checkout; an install
without them (a wheel) serves no demo page. `BOOKCHAT_DEMO_PAGE=false` turns it off.
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

logger = logging.getLogger(__name__)

WIDGET = Path(__file__).resolve().parent.parent / "widget"
PAGE = WIDGET / "demo" / "index.html"
BUNDLE = WIDGET / "dist-standalone" / "bookchat-widget.js"
PATHS = frozenset({"/", "/widget/bookchat-widget.js"})


def demo_router() -> APIRouter | None:
    """The demo page's routes, or None when this install has no widget build."""
    if not (PAGE.is_file() and BUNDLE.is_file()):
        logger.warning("no demo page: %s or %s is missing", PAGE, BUNDLE)
        return None
    router = APIRouter(include_in_schema=False)

    @router.get("/")
    async def page() -> FileResponse:
        return FileResponse(PAGE, media_type="text/html; charset=utf-8")

    @router.get("/widget/bookchat-widget.js")
    async def bundle() -> FileResponse:
        return FileResponse(BUNDLE, media_type="text/javascript; charset=utf-8")

    return router
