"""The application factory: `create_app(settings)`.

The lifespan builds the engine (models, Qdrant client, index) once and closes it on
exit; routes reach it through `service.deps`. Nothing is built at import time.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from config import Settings
from engine import BookAssistant
from engine.feedback import FeedbackLog, FeedbackStore
from service import demo
from service.chatkit import chatkit_router
from service.errors import install_error_handlers
from service.lifecycle import Drain, DrainMiddleware
from service.middleware import (
    ApiKeyMiddleware,
    BodyLimitMiddleware,
    RateLimitMiddleware,
    RequestIdMiddleware,
)
from service.routes import router

logger = logging.getLogger(__name__)

OPEN_PATHS = frozenset({"/health"})
LIMITED_PATHS = frozenset({"/chat", "/chat/stream", "/feedback", "/chatkit"})


def create_app(settings: Settings, *, engine: BookAssistant | None = None) -> FastAPI:
    """Build the app. Pass `engine` to use one built elsewhere (it is then not closed).

    With `BOOKCHAT_CHATKIT=on` the ChatKit package is imported here (seconds), so that the
    first `/chatkit` request does not pay for it."""
    chatkit = chatkit_router(settings)
    drain = Drain(settings.service.shutdown_grace_seconds)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        assistant = engine if engine is not None else await BookAssistant.open(settings)
        app.state.assistant = assistant
        # The feedback database is opened lazily (first rating): start-up never waits on it.
        app.state.feedback = FeedbackLog(
            FeedbackStore.open(settings.service.feedback_db.get_secret_value())
        )
        if chatkit is not None:
            app.state.chatkit = chatkit[1](assistant, app.state.feedback, drain)
        logger.info(
            "serving with provider %s (llm %s, embeddings %s), collection %s at %s",
            assistant.models.provider,
            assistant.models.llm_model,
            assistant.models.embed_model,
            settings.qdrant.collection,
            settings.qdrant.location,
        )
        drain.install()  # SIGTERM/SIGINT: in-flight work gets the grace period
        try:
            yield
        finally:
            drain.uninstall()
            await app.state.feedback.aclose()
            if engine is None:
                await assistant.aclose()

    app = FastAPI(
        title="bookchat",
        summary="Chat with a book: retrieval over Qdrant, answers from Gemini.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.drain = drain
    app.include_router(router)
    if chatkit is not None:
        app.include_router(chatkit[0])
    open_paths = OPEN_PATHS
    if settings.service.demo_page and (page := demo.demo_router()) is not None:
        app.include_router(page)
        open_paths |= demo.PATHS  # static files: a browser loads them with no key
    install_error_handlers(app)

    service = settings.service
    # Added innermost first: a request meets RequestId, CORS, body limit, rate limit,
    # the API key check, then the shutdown drain.
    app.add_middleware(DrainMiddleware, drain=drain)
    app.add_middleware(
        ApiKeyMiddleware,
        keys=[key.get_secret_value() for key in service.api_keys],
        open_paths=open_paths,
    )
    if service.rate_limit:
        app.add_middleware(RateLimitMiddleware, rate=service.rate_limit, paths=LIMITED_PATHS)
    app.add_middleware(BodyLimitMiddleware, max_bytes=service.max_body_bytes)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=service.cors_origins,
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=[
            "Authorization",
            "Content-Type",
            "X-API-Key",
            "X-Request-ID",
            "X-BookChat-User",
            "X-BookChat-Page",
        ],
        expose_headers=["X-Request-ID", "Retry-After"],
        max_age=600,
    )
    app.add_middleware(RequestIdMiddleware)
    return app
