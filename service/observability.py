"""Metrics, `Server-Timing` and the one log line per request.

`ObservabilityMiddleware` opens the engine's trace (`engine.telemetry`) for each request;
when the response ends it observes the request and its stages into `Metrics`, and logs
one line: request id, method, route, status, duration, stage times, outcome, tokens and
their estimated cost (from `BOOKCHAT_PRICES`).

Several workers: prometheus-client's multiprocess mode. With `PROMETHEUS_MULTIPROC_DIR`
set (`bookchat serve --workers N` sets it to a fresh folder) every process writes its
values to files there and `/metrics` adds up all of them, whichever worker answers.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    generate_latest,
    multiprocess,
)
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from config.logs import FIELDS
from engine.telemetry import STAGES, Trace, traced
from engine.types import Outcome
from service.errors import HTTP_CODES, error_json
from service.middleware import KeyCheck

logger = logging.getLogger(__name__)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
METRICS_PATH = "/metrics"
# Probes and scrapes: their request lines go at DEBUG (unless a 5xx), or they would
# drown the readers' requests.
QUIET_ROUTES = frozenset({"/health", "/ready", METRICS_PATH})
UNMATCHED = "unmatched"  # the route label of paths no route serves: bounded cardinality
METHODS = frozenset({"GET", "HEAD", "POST", "OPTIONS"})  # any other: "other" (bounded too)
OUTCOMES: tuple[Outcome, ...] = ("answered", "not_in_book")
TOKEN_KINDS = ("in", "out", "thinking")

REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
STAGE_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)


def multiprocess_dir() -> str | None:
    """The folder of the multiprocess mode, when this process runs in it."""
    return os.environ.get(MULTIPROC_ENV) or None


class Metrics:
    """The service's Prometheus metrics, in a registry of the app's own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.shared_dir = multiprocess_dir()
        if self.shared_dir is None:
            ProcessCollector(registry=self.registry)  # its own numbers only make sense alone
        registry = self.registry
        self.requests = Counter(
            "bookchat_requests",
            "HTTP requests answered, by route, method and status.",
            ["route", "method", "status"],
            registry=registry,
        )
        self.duration = Histogram(
            "bookchat_request_duration_seconds",
            "Time from the request to the end of its response (a stream: its last event).",
            ["route"],
            buckets=REQUEST_BUCKETS,
            registry=registry,
        )
        self.stages = Histogram(
            "bookchat_stage_duration_seconds",
            "Time in each stage of an answer: condense (the follow-up rewrite), embed, "
            "search (every retrieval leg and the fusion), first_token (from the generation "
            "call to its first token, streams), generation.",
            ["stage"],
            buckets=STAGE_BUCKETS,
            registry=registry,
        )
        self.upstream_errors = Counter(
            "bookchat_upstream_errors",
            "Failed upstream calls (Gemini, Qdrant), by the engine's error code.",
            ["kind"],
            registry=registry,
        )
        self.tokens = Counter(
            "bookchat_tokens",
            "Model tokens as the provider reported them, by kind (in: the prompt, out: the "
            "answer, thinking: thought tokens, billed as output) and model.",
            ["kind", "model"],
            registry=registry,
        )
        self.streams = Gauge(
            "bookchat_streams_in_flight",
            "Event streams open now (/chat/stream, /chatkit).",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.answers = Counter(
            "bookchat_answers",
            "Answers by outcome: answered, or not_in_book.",
            ["outcome"],
            registry=registry,
        )
        self.budget_refusals = Counter(
            "bookchat_budget_refusals",
            "Requests refused because a day's token budget was spent (429 budget_exhausted), "
            "by which: daily (the service's), client.",
            ["which"],
            registry=registry,
        )
        self.sentences = Counter(
            "bookchat_answer_sentences",
            "Answer sentences checked against their passages, by verdict: supported or "
            "unsupported.",
            ["verdict"],
            registry=registry,
        )
        for verdict in ("supported", "unsupported"):
            self.sentences.labels(verdict)
        for name in STAGES:  # every series exists from the start, at zero
            self.stages.labels(name)
        for outcome in OUTCOMES:
            self.answers.labels(outcome)

    def observe(self, route: str, method: str, status: int, seconds: float, trace: Trace) -> None:
        self.requests.labels(route, method, str(status)).inc()
        self.duration.labels(route).observe(seconds)
        for name, spent in trace.stages.items():
            self.stages.labels(name).observe(spent)
        for kind in trace.upstream_errors:
            self.upstream_errors.labels(kind).inc()
        for call in trace.usage.calls:
            for kind, count in zip(
                TOKEN_KINDS, (call.prompt, call.output, call.thinking), strict=True
            ):
                self.tokens.labels(kind, call.model).inc(count)
        if trace.outcome is not None:
            self.answers.labels(trace.outcome).inc()
        if trace.sentences_checked:
            unsupported = trace.sentences_unsupported
            self.sentences.labels("supported").inc(trace.sentences_checked - unsupported)
            if unsupported:
                self.sentences.labels("unsupported").inc(unsupported)

    def budget_refusals_of(self, which: str) -> None:
        self.budget_refusals.labels(which).inc()

    def exposition(self) -> bytes:
        """The text format: this process's registry, or every worker's files."""
        if self.shared_dir is None:
            return generate_latest(self.registry)
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=self.shared_dir)  # type: ignore[no-untyped-call]
        return generate_latest(registry)

    def close(self) -> None:
        """This process stops: its live gauges (streams in flight) stop counting."""
        if self.shared_dir is not None:
            multiprocess.mark_process_dead(os.getpid(), self.shared_dir)  # type: ignore[no-untyped-call]


def server_timing(trace: Trace) -> str:
    """`Server-Timing` value: the stages met so far, then the time in the service."""
    parts = [f"{name};dur={seconds * 1000:.1f}" for name, seconds in trace.stages.items()]
    parts.append(f"total;dur={(time.perf_counter() - trace.started) * 1000:.1f}")
    return ", ".join(parts)


class ObservabilityMiddleware:
    """Per request: a trace, `Server-Timing`, the metrics and one log line."""

    def __init__(
        self,
        app: ASGIApp,
        metrics: Metrics | None,
        reader_text: bool,
        paths: frozenset[str],
        prices: Mapping[str, tuple[float, float]] | None = None,
    ) -> None:
        """`paths`: the app's route paths, to label requests refused before routing;
        `prices`: USD per million tokens in and out by model, for the cost estimate."""
        self.app = app
        self.metrics = metrics
        self.reader_text = reader_text
        self.paths = paths
        self.prices = prices or {}

    def _route(self, scope: Scope) -> str:
        """The route's path template; for a request refused before routing (401, 413,
        429), its path when a route has it, else `unmatched` (bounded label values)."""
        path = getattr(scope.get("route"), "path", None)
        if isinstance(path, str) and path:
            return path
        return scope["path"] if scope["path"] in self.paths else UNMATCHED

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500  # what the server sends when the app fails before responding
        streaming = False
        finished = False
        metrics = self.metrics

        with traced() as trace:

            def end_stream() -> None:
                nonlocal streaming
                if streaming and metrics is not None:
                    metrics.streams.dec()
                streaming = False

            def finish() -> None:
                nonlocal finished
                if not finished:
                    finished = True
                    end_stream()
                    self._finish(scope, status, trace)

            async def observed_send(message: Message) -> None:
                nonlocal status, streaming
                if message["type"] == "http.response.start":
                    status = message["status"]
                    headers = MutableHeaders(scope=message)
                    headers.append("Server-Timing", server_timing(trace))
                    if headers.get("content-type", "").startswith("text/event-stream"):
                        streaming = True
                        if metrics is not None:
                            metrics.streams.inc()
                elif not message.get("more_body", False):
                    # Counted and logged before the client can see the end, so that a
                    # scrape or a log read after a response always includes it.
                    finish()
                await send(message)

            try:
                await self.app(scope, receive, observed_send)
            finally:
                finish()  # failed, or cut before its last message

    def _finish(self, scope: Scope, status: int, trace: Trace) -> None:
        seconds = time.perf_counter() - trace.started
        route = self._route(scope)
        method = scope["method"] if scope["method"] in METHODS else "other"
        if self.metrics is not None:
            self.metrics.observe(route, method, status, seconds, trace)
        level = logging.DEBUG if route in QUIET_ROUTES and status < 500 else logging.INFO
        if not logger.isEnabledFor(level):
            return
        request_id = scope.get("state", {}).get("request_id", "-")
        fields: dict[str, Any] = {
            "request_id": request_id,
            "method": method,
            "route": route,
            "status": status,
            "duration_ms": round(seconds * 1000, 1),
            "stages_ms": {name: round(spent * 1000, 1) for name, spent in trace.stages.items()},
        }
        details = [f"{name}={ms}ms" for name, ms in fields["stages_ms"].items()]
        if trace.outcome is not None:
            fields["outcome"] = trace.outcome
            details.append(f"outcome={trace.outcome}")
        usage = trace.usage
        if usage.calls:
            fields["tokens"] = {
                "in": usage.prompt,
                "out": usage.output,
                "thinking": usage.thinking,
            }
            details.append(f"tokens={usage.prompt}/{usage.output}/{usage.thinking}")
            if (cost := usage.cost(self.prices)) is not None:
                fields["cost_usd"] = round(cost, 6)
                details.append(f"cost=${cost:.6f}")
        if trace.upstream_errors:
            fields["upstream_errors"] = trace.upstream_errors
            details.append("upstream_errors=" + ",".join(trace.upstream_errors))
        if self.reader_text and trace.question is not None:
            fields["question"] = trace.question
            details.append(f"question={trace.question!r}")
        logger.log(
            level,
            "%s %s %s %s %.1fms%s",
            request_id,
            method,
            route,
            status,
            seconds * 1000,
            "".join(" " + detail for detail in details),
            extra={FIELDS: fields},
        )


def metrics_router(metrics: Metrics, keys: list[str]) -> APIRouter:
    """`GET /metrics`. With `keys` (the metrics key, the API keys) it needs one of them;
    the API key middleware lets this path through so that a scraper's own key works."""
    router = APIRouter()
    check = KeyCheck(keys)

    @router.get(METRICS_PATH, include_in_schema=False)
    async def metrics_text(request: Request) -> Response:
        if check.configured and check.match(request.scope) is None:
            return Response(
                error_json(HTTP_CODES[401], "missing or invalid metrics key"),
                status_code=401,
                media_type="application/json",
                headers={"www-authenticate": "Bearer"},
            )
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    return router


__all__ = ["METRICS_PATH", "Metrics", "ObservabilityMiddleware", "metrics_router"]
