"""ChatKit (OpenAI's chat UI protocol) on `POST /chatkit`, when `BOOKCHAT_CHATKIT=on`.

The `openai-chatkit` package is an optional extra (`pip install '.[chatkit]'`) and slow
to import (it pulls `agents` and `openai`: 6-7 s): `service.chatkit.server` is imported
only from `chatkit_router`, which `create_app` calls when the setting is on. The engine
never imports this package.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter

from config import Settings

if TYPE_CHECKING:
    from engine import BookAssistant
    from service.lifecycle import Drain
    from service.schemas import HelpLink
    from storage import Database, FeedbackLog

logger = logging.getLogger(__name__)

ServerFactory = Callable[
    ["BookAssistant", "FeedbackLog", "Database", "Drain", "HelpLink | None"], Any
]


def chatkit_router(settings: Settings) -> tuple[APIRouter, ServerFactory] | None:
    """The `/chatkit` route and the factory of its server (the lifespan calls it with the
    engine, the feedback log, the storage database, the shutdown drain and the help
    link), or None: the
    setting is off, or the package is missing (then one warning; the service runs without
    `/chatkit`)."""
    if not settings.service.chatkit:
        return None
    try:
        from service.chatkit.server import make_router, make_server
    except ImportError as exc:
        logger.warning(
            "BOOKCHAT_CHATKIT is on but ChatKit cannot be imported (%s): "
            "pip install '.[chatkit]'; serving without /chatkit",
            exc,
        )
        return None
    return make_router(), make_server


__all__ = ["chatkit_router"]
