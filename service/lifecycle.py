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
from collections.abc import AsyncIterator, Awaitable
from types import FrameType
from typing import Any, TypeVar

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
    installed by the lifespan, reached by routes through `service.deps.DrainDep`.

    At the bound it cancels the tasks that wait between `watch` and `unwatch` (plain
    asyncio cancellation, taken back by `unwatch`): measured ~5 µs a request in the
    middleware and ~2.5 µs a delta in `bounded`, where an anyio cancel scope cost ~30 µs
    each on this machine."""

    def __init__(self, grace_seconds: float) -> None:
        self.grace_seconds = grace_seconds
        self.draining = False
        """A shutdown signal came: the clock runs."""
        self.expired = False
        """The grace period is over: whatever still waits is cancelled."""
        self.in_flight = 0
        """HTTP requests not yet finished (streams included)."""
        self._waiting: dict[asyncio.Task[Any], int] = {}
        self._cancelled: set[asyncio.Task[Any]] = set()
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
        """End of the grace period: cancel every task still waiting (a loop callback)."""
        self.expired = True
        if self.in_flight:
            logger.warning(
                "shutdown grace period (%g s) over: ending %d request(s) still in flight",
                self.grace_seconds,
                self.in_flight,
            )
        for task in list(self._waiting):
            if task not in self._cancelled:
                self._cancelled.add(task)
                task.cancel("shutdown grace period over")

    # ------------------------------------------------------------------ the waits

    def watch(self, task: asyncio.Task[Any]) -> bool:
        """From here to `unwatch`, the end of the grace period cancels `task`. False (and
        nothing watched) when it is already over."""
        if self.expired:
            return False
        self._waiting[task] = self._waiting.get(task, 0) + 1
        return True

    def unwatch(self, task: asyncio.Task[Any]) -> bool:
        """Stop watching `task`; True when the drain cancelled it meanwhile (that
        cancellation is then taken back: the caller ends with `ShuttingDown`)."""
        count = self._waiting.pop(task, 0) - 1
        if count > 0:
            self._waiting[task] = count
        if task in self._cancelled:
            self._cancelled.discard(task)
            task.uncancel()
            return True
        return False

    async def bounded(self, items: AsyncIterator[T]) -> AsyncIterator[T]:
        """`items`, until the end of the grace period: then `ShuttingDown` is raised
        (and the item being awaited, if any, is cancelled inside `items`)."""
        while True:
            task = _current_task()
            if not self.watch(task):
                raise ShuttingDown()
            try:
                item = await anext(items)
            except BaseException as exc:
                if self.unwatch(task):
                    raise ShuttingDown() from None
                if isinstance(exc, StopAsyncIteration):
                    return
                raise
            if self.unwatch(task):
                raise ShuttingDown()
            yield item

    async def call(self, awaitable: Awaitable[T]) -> T:
        """`await awaitable`, cancelled at the end of the grace period (`ShuttingDown`)."""
        task = _current_task()
        if not self.watch(task):
            raise ShuttingDown()
        try:
            result = await awaitable
        except BaseException:
            if self.unwatch(task):
                raise ShuttingDown() from None
            raise
        if self.unwatch(task):
            raise ShuttingDown()
        return result

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
        if signal.SIGTERM in self._previous:  # installed: sse-starlette's default back
            AppStatus.enable_automatic_graceful_drain_mode()  # type: ignore[no-untyped-call]
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
        task = _current_task()
        started = False

        async def send_started(message: Message) -> None:
            nonlocal started
            if not started and message["type"] == "http.response.start":
                started = True
                drain.unwatch(task)  # a stream ends itself (Drain.bounded)
            await send(message)

        drain.in_flight += 1
        try:
            if drain.watch(task):
                try:
                    await self.app(scope, receive, send_started)
                except BaseException:
                    if started or not drain.unwatch(task):
                        raise
                else:
                    if started or not drain.unwatch(task):
                        return
            exc = ShuttingDown()
            await error_response(status_of(exc), exc.code, exc.message)(scope, receive, send)
        finally:
            drain.in_flight -= 1


def _current_task() -> asyncio.Task[Any]:
    task = asyncio.current_task()
    if task is None:  # pragma: no cover - always called from a task
        raise RuntimeError("not in a task")
    return task
