"""The application factory: `create_app(settings)`.

The lifespan builds the engine (models, Qdrant client, index) once and closes it on
exit; routes reach it through `service.deps`. Nothing is built at import time.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from config import Settings
from engine import BookAssistant
from service import demo
from service.budget import BudgetMiddleware, SpendBudget
from service.chatkit import chatkit_router
from service.cors import JsonCORSMiddleware
from service.errors import install_error_handlers
from service.lifecycle import Drain, DrainMiddleware
from service.middleware import (
    ApiKeyMiddleware,
    BodyLimitMiddleware,
    OriginCheckMiddleware,
    RateLimitMiddleware,
    RequestIdMiddleware,
)
from service.observability import METRICS_PATH, Metrics, ObservabilityMiddleware, metrics_router
from service.protocol import HEADER_TIMEOUT_STATE
from service.routes import router
from service.schemas import HelpLink
from storage import Database, FeedbackLog, FeedbackStore, QuestionLog
from storage.database import StorageUnavailable

logger = logging.getLogger(__name__)

OPEN_PATHS = frozenset({"/health"})
LIMITED_PATHS = frozenset({"/chat", "/chat/stream", "/feedback", "/chatkit"})
SPENDING_PATHS = frozenset({"/chat", "/chat/stream", "/chatkit"})


MIGRATION_SECONDS = 10.0
"""The longest start-up waits on the database's migrations; past it, or when the database
is unreachable, the service starts anyway (answers need no database) and the first use
of a store migrates (until then, ratings and ChatKit threads are 503s)."""

PURGE_SECONDS = 3600.0
"""How often the question log and the ratings past the retention are deleted."""

GC_THRESHOLDS = (10_000, 10, 10)
"""The collector's thresholds while serving (Python's are 700, 10, 10)."""


def freeze_startup_objects() -> None:
    """Keep what start-up built (modules, models, clients) out of the collector's scans,
    and collect the young generation less often.

    Those ~270k objects live as long as the process; left in the oldest generation,
    every full collection walks them all: measured, 186 ms pauses of the event loop
    every ~150 requests, the whole p95 tail under load. Frozen, a full collection
    takes ~4 ms. Then, in a c=32 burst of `/chat`, the default young-generation
    threshold (700 allocations) ran 150 collections a burst of 320 requests, walking
    the requests in flight again and again: 161 ms of the loop (0.5 ms a request, pauses
    up to 19 ms). At 10,000: 4 collections, 25 ms; cyclic garbage is still collected.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


async def _migrate(database: Database) -> None:
    """Bring the database's schema up to date, within MIGRATION_SECONDS."""
    try:
        async with asyncio.timeout(MIGRATION_SECONDS):
            revision = await database.upgrade()
    except StorageUnavailable as exc:
        logger.warning("database not migrated at start-up (retried on first use): %s", exc.detail)
    except TimeoutError:
        logger.warning(
            "database not migrated at start-up within %s s (retried on first use)",
            MIGRATION_SECONDS,
        )
    else:
        logger.info("database schema at revision %s", revision)


async def _purge_every(questions: QuestionLog, seconds: float) -> None:
    """Delete the answers and ratings past the retention now, then every `seconds`."""
    while True:
        try:
            answers, ratings = await questions.purge()
        except StorageUnavailable as exc:
            logger.warning("question log not purged: %s", exc.detail)
        else:
            if answers or ratings:
                logger.info("purged %d logged answer(s), %d rating(s)", answers, ratings)
        await asyncio.sleep(seconds)


def create_app(
    settings: Settings,
    *,
    engine: BookAssistant | None = None,
    freeze_after_startup: bool = False,
) -> FastAPI:
    """Build the app. Pass `engine` to use one built elsewhere (it is then not closed).
    `freeze_after_startup`: a serving process's app (see `freeze_startup_objects`).

    With `BOOKCHAT_CHATKIT=on` the ChatKit package is imported here (seconds), so that the
    first `/chatkit` request does not pay for it."""
    chatkit = chatkit_router(settings)
    service = settings.service
    metrics = Metrics() if service.metrics else None
    drain = Drain(service.shutdown_grace_seconds)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, Any]]:
        assistant = engine if engine is not None else await BookAssistant.open(settings)
        assistant.calibrate_in_background()  # the grounding threshold, before any reader asks
        app.state.assistant = assistant
        database = Database.open(settings.service.feedback_db.get_secret_value())
        await _migrate(database)
        app.state.database = database
        questions = QuestionLog(database, service.retention_days, enabled=service.question_log)
        app.state.questions = questions
        app.state.feedback = FeedbackLog(FeedbackStore(database), questions=questions)
        purging = asyncio.get_running_loop().create_task(_purge_every(questions, PURGE_SECONDS))
        if chatkit is not None:
            app.state.chatkit = chatkit[1](
                assistant, app.state.feedback, database, drain, HelpLink.configured(settings)
            )
        if freeze_after_startup:
            freeze_startup_objects()
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
            # The lifespan state reaches uvicorn's protocol (service.protocol) too.
            yield {HEADER_TIMEOUT_STATE: service.header_timeout}
        finally:
            drain.uninstall()
            purging.cancel()
            await asyncio.gather(purging, return_exceptions=True)
            await questions.aclose()
            await database.aclose()
            if engine is None:
                await assistant.aclose()
            if metrics is not None:
                metrics.close()

    app = FastAPI(
        title="bookchat",
        summary="Chat with a book: retrieval over Qdrant, answers from Gemini.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.drain = drain
    routers = [router]
    if chatkit is not None:
        routers.append(chatkit[0])
    open_paths = OPEN_PATHS
    if settings.service.demo_page and (page := demo.demo_router()) is not None:
        routers.append(page)
        open_paths |= demo.PATHS  # static files: a browser loads them with no key
    api_keys = [key.get_secret_value() for key in service.api_keys]
    if metrics is not None:
        scraper = [service.metrics_key.get_secret_value()] if service.metrics_key else []
        routers.append(metrics_router(metrics, [*scraper, *api_keys]))
        open_paths |= {METRICS_PATH}  # the route checks its own keys (a scraper's too)
    for included in routers:
        app.include_router(included)
    install_error_handlers(app)

    # Added innermost first: a request meets the proxy headers (when trusted), RequestId,
    # observability (trace, metrics, the log line), CORS, the origin check, body limit,
    # rate limit, the API key check, the spend budget (inside the trace, whose tokens it
    # counts), then the shutdown drain.
    app.add_middleware(DrainMiddleware, drain=drain)
    if service.daily_token_budget is not None or service.client_daily_token_budget is not None:
        app.add_middleware(
            BudgetMiddleware,
            budget=SpendBudget(
                service.daily_token_budget,
                service.client_daily_token_budget,
                storage_uri=service.rate_limit_storage.get_secret_value(),
                timeout=service.rate_limit_storage_timeout,
            ),
            paths=SPENDING_PATHS,
            on_refused=None if metrics is None else metrics.budget_refusals_of,
        )
    app.add_middleware(
        ApiKeyMiddleware,
        keys=api_keys,
        open_paths=open_paths,
    )
    if service.rate_limit:
        app.add_middleware(
            RateLimitMiddleware,
            rate=service.rate_limit,
            paths=LIMITED_PATHS,
            keys=api_keys,
            storage_uri=service.rate_limit_storage.get_secret_value(),
            timeout=service.rate_limit_storage_timeout,
        )
    app.add_middleware(
        BodyLimitMiddleware, max_bytes=service.max_body_bytes, timeout=service.body_timeout
    )
    app.add_middleware(OriginCheckMiddleware, origins=service.cors_origins, paths=LIMITED_PATHS)
    app.add_middleware(JsonCORSMiddleware, origins=service.cors_origins)
    app.add_middleware(
        ObservabilityMiddleware,
        metrics=metrics,
        reader_text=service.log_reader_text,
        prices=settings.gemini.prices,
        paths=frozenset(
            path
            for included in routers
            for route in included.routes
            if isinstance(path := getattr(route, "path", None), str)
        ),
    )
    app.add_middleware(RequestIdMiddleware)
    if service.forwarded_allow_ips:
        # Outermost: the client address (for the rate limit, and uvicorn's access log) is
        # the rightmost X-Forwarded-For hop that is not one of the trusted proxies.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=service.forwarded_allow_ips)
    return app
