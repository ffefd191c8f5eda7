"""Graceful shutdown: requests and streams in flight finish within a bound.

On SIGTERM or SIGINT the server (uvicorn) stops accepting connections and waits for the
open ones to close. The app's `Drain`, whose signal handler the lifespan chains in front
of the server's own, starts a clock of `BOOKCHAT_SHUTDOWN_GRACE_SECONDS` at the same
moment. Until the bound nothing changes: streams go on to their `done`, requests to their
answer. At the bound,

- a request whose response has not started is cancelled and answered 503 `shutting_down`
  (`DrainMiddleware`): a `/chat` still waiting for its answer, a stream still retrieving;
- a stream still running gets `ShuttingDown` from the iterator it reads its deltas
  through (`Drain.bounded`), so it ends with an `error` event of that code, and closing
  its upstream stream cancels the generation.

The mechanism lives in the app (the lifespan installs it), so it works under
`bookchat serve` and under any uvicorn that runs the app factory (`uvicorn --factory`,
gunicorn's uvicorn workers): uvicorn installs its handlers before it starts the lifespan,
and restores them when it ends. sse-starlette's own shutdown handling, which ends every
stream at once and with no final event as soon as uvicorn is told to exit, is switched
off while the drain watches the signals.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
from collections.abc import AsyncIterator, Awaitable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any, TypeVar

import anyio
from sse_starlette.sse import AppStatus
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import ShuttingDown, error_response, status_of

logger = logging.getLogger(__name__)

T = TypeVar("T")
SIGNALS = (signal.SIGTERM, signal.SIGINT)

# What `signal.getsignal` returns: a handler, SIG_DFL/SIG_IGN, or None.
_Handler = Any


class Drain:
    """The shutdown state of one app: created by `create_app`, its signal handlers
    installed by the lifespan, reached by routes through `service.deps.DrainDep`."""

    def __init__(self, grace_seconds: float) -> None:
        self.grace_seconds = grace_seconds
        self.draining = False
        """A shutdown signal came: the clock runs."""
        self.expired = False
        """The grace period is over: whatever still waits is cancelled."""
        self.in_flight = 0
        """HTTP requests not yet finished (streams included)."""
        self._waits: set[anyio.CancelScope] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._previous: dict[int, _Handler] = {}

    # ------------------------------------------------------------------ the clock

    def begin(self) -> None:
        """Start the grace period (once); on the event loop's thread."""
        if self.draining:
            return
        self.draining = True
        logger.info(
            "shutting down: %d request(s) in flight get up to %g s to finish",
            self.in_flight,
            self.grace_seconds,
        )
        self._timer = asyncio.get_running_loop().call_later(self.grace_seconds, self.expire)

    def expire(self) -> None:
        """End of the grace period: cancel every wait still registered."""
        self.expired = True
        if self.in_flight:
            logger.warning(
                "shutdown grace period (%g s) over: ending %d request(s) still in flight",
                self.grace_seconds,
                self.in_flight,
            )
        for scope in list(self._waits):
            scope.cancel("shutdown grace period over")

    @contextmanager
    def cancelled_at_bound(self) -> Iterator[anyio.CancelScope]:
        """A cancel scope that the end of the grace period cancels (at once if it is
        over). Check `scope.cancel_called` after it; `release(scope)` exempts it."""
        with anyio.CancelScope() as scope:
            if self.expired:
                scope.cancel("shutdown grace period over")
            self._waits.add(scope)
            try:
                yield scope
            finally:
                self._waits.discard(scope)

    def release(self, scope: anyio.CancelScope) -> None:
        """The end of the grace period will not cancel `scope`."""
        self._waits.discard(scope)

    async def bounded(self, items: AsyncIterator[T]) -> AsyncIterator[T]:
        """`items`, until the end of the grace period: then `ShuttingDown` is raised
        (and the item being awaited, if any, is cancelled inside `items`)."""
        while True:
            with self.cancelled_at_bound() as scope:
                try:
                    item = await anext(items)
                except StopAsyncIteration:
                    return
            if scope.cancel_called:
                raise ShuttingDown()
            yield item

    async def call(self, awaitable: Awaitable[T]) -> T:
        """`await awaitable`, cancelled at the end of the grace period (`ShuttingDown`)."""
        with self.cancelled_at_bound():
            return await awaitable
        raise ShuttingDown()  # reached only when the scope swallowed its cancellation

    # ------------------------------------------------------------------ the signals

    def install(self) -> bool:
        """Chain a handler in front of the server's SIGTERM and SIGINT handlers, from the
        lifespan (after uvicorn installed its own). False, with sse-starlette's behaviour
        kept, where this cannot be done: not in the main thread, or no server handler."""
        if threading.current_thread() is not threading.main_thread():
            logger.info("graceful drain off: the app does not run in the main thread")
            return False
        self._loop = asyncio.get_running_loop()
        for sig in SIGNALS:
            previous = signal.getsignal(sig)
            if not callable(previous):  # SIG_DFL, SIG_IGN: no server to chain to
                continue
            self._previous[sig] = previous
            signal.signal(sig, self._on_signal)
        if signal.SIGTERM not in self._previous:
            logger.info("graceful drain off: no server handles SIGTERM in this process")
            self.uninstall()
            return False
        # sse-starlette would end every stream as soon as the server is told to exit.
        AppStatus.disable_automatic_graceful_drain()  # type: ignore[no-untyped-call]
        return True

    def uninstall(self) -> None:
        """Put the previous handlers back (those still ours); stop the clock."""
        for sig, previous in self._previous.items():
            if signal.getsignal(sig) == self._on_signal:
                signal.signal(sig, previous)
        self._previous.clear()
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self.begin)
        previous = self._previous.get(signum)
        if callable(previous):
            previous(signum, frame)


class DrainMiddleware:
    """Counts the requests in flight; a request whose response has not started when the
    grace period ends is cancelled and answered 503 `shutting_down`."""

    def __init__(self, app: ASGIApp, drain: Drain) -> None:
        self.app = app
        self.drain = drain

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        drain = self.drain
        started = False
        drain.in_flight += 1
        try:
            with drain.cancelled_at_bound() as wait:

                async def send_started(message: Message) -> None:
                    nonlocal started
                    if not started and message["type"] == "http.response.start":
                        started = True
                        drain.release(wait)  # a stream ends itself (Drain.bounded)
                    await send(message)

                await self.app(scope, receive, send_started)
            if wait.cancel_called and not started:
                exc = ShuttingDown()
                await error_response(status_of(exc), exc.code, exc.message)(scope, receive, send)
        finally:
            drain.in_flight -= 1
