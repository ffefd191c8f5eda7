"""Spend ceilings: the model tokens a UTC day may spend, for the whole service and per client.

`BOOKCHAT_DAILY_TOKEN_BUDGET` bounds the tokens (prompt + answer + thinking, as Gemini
reported them) every answer of a UTC day may spend together; the optional
`BOOKCHAT_CLIENT_DAILY_TOKEN_BUDGET` bounds one client's (its address, the rate limit's
notion of a client). Past either, a request to a route that spends is refused with 429
`budget_exhausted` and `Retry-After` until the next UTC midnight, before any upstream call.

An answer's tokens are known only once it is done, so the check is "spent so far < budget":
the answers in flight when the budget runs out still finish (overshoot: at most what they
spend). The counts live where the rate limit counts (`BOOKCHAT_RATE_LIMIT_STORAGE`): in
this process, or in Redis shared by every worker; when Redis fails or is slower than its
timeout, this process counts on its own until it answers again (a WARNING at most once a
minute), as the rate limit does.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import math
import time
from collections.abc import Awaitable, Callable
from operator import methodcaller
from typing import Literal
from urllib.parse import urlsplit

from limits.aio.storage import MemoryStorage, Storage
from starlette.types import ASGIApp, Receive, Scope, Send

from engine import telemetry
from service.errors import error_json
from service.middleware import address_bucket, redis_storage

logger = logging.getLogger(__name__)

BUDGET_EXHAUSTED = "budget_exhausted"
Scope_ = Literal["daily", "client"]


def seconds_to_midnight(now: float) -> int:
    """Whole seconds from `now` (epoch) to the next UTC midnight, at least 1."""
    today = dt.datetime.fromtimestamp(now, dt.UTC).date()
    midnight = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), dt.UTC)
    return max(1, math.ceil(midnight.timestamp() - now))


class SpendBudget:
    """The day's token counts, total and per client, against their ceilings."""

    WARN_EVERY_SECONDS = 60.0
    RETRY_SHARED_SECONDS = 5.0

    def __init__(
        self,
        daily: int | None,
        per_client: int | None,
        storage_uri: str = "memory://",
        timeout: float = 0.5,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.daily = daily
        self.per_client = per_client
        self.timeout = timeout
        self.clock = clock
        self.local: Storage = MemoryStorage()
        self.shared: Storage | None = None
        self._where = ""
        if urlsplit(storage_uri).scheme != "memory":
            self.shared, self._where = redis_storage(storage_uri, timeout)
        self._shared_after = 0.0
        self._warned_at = -math.inf

    def _keys(self, client: str) -> tuple[str, str]:
        day = dt.datetime.fromtimestamp(self.clock(), dt.UTC).date().isoformat()
        return f"bookchat-budget/{day}", f"bookchat-budget/{day}/{client}"

    async def refusal(self, client: str) -> tuple[Scope_, int] | None:
        """None while both counts are under their ceilings, else which one is spent and
        the seconds until the day resets."""
        total_key, client_key = self._keys(client)
        checks: list[tuple[Scope_, str, int]] = []
        if self.daily is not None:
            checks.append(("daily", total_key, self.daily))
        if self.per_client is not None:
            checks.append(("client", client_key, self.per_client))
        for scope, key, ceiling in checks:
            if await self._call(methodcaller("get", key)) >= ceiling:
                return scope, seconds_to_midnight(self.clock())
        return None

    async def spend(self, client: str, tokens: int) -> None:
        """Add an answer's tokens to the day's counts (the service's and the client's)."""
        if tokens <= 0:
            return
        expiry = seconds_to_midnight(self.clock()) + 3600  # the day's keys outlive it a little
        total_key, client_key = self._keys(client)
        for key in (total_key, client_key):
            await self._call(methodcaller("incr", key, expiry, amount=tokens))

    async def _call(self, operation: Callable[[Storage], Awaitable[int]]) -> int:
        # `operation`: a `methodcaller` of `get` or `incr`, the same on either storage.
        """`operation` on the shared storage within the timeout, else on this process's."""
        if self.shared is not None and time.monotonic() >= self._shared_after:
            try:
                return await asyncio.wait_for(operation(self.shared), self.timeout)
            except Exception as exc:  # any storage failure: count here for a while
                self._shared_failed(exc)
        return await operation(self.local)

    def _shared_failed(self, exc: BaseException) -> None:
        self._shared_after = time.monotonic() + self.RETRY_SHARED_SECONDS
        now = time.monotonic()
        if now - self._warned_at >= self.WARN_EVERY_SECONDS:
            logger.warning(
                "budget storage %s failed (%s): counting in this process, trying again in %.0f s",
                self._where,
                type(exc).__name__,
                self.RETRY_SHARED_SECONDS,
            )
            self._warned_at = now


class BudgetMiddleware:
    """Refuses a request to `paths` once a day's budget is spent (429 `budget_exhausted`
    with `Retry-After`); adds each answer's tokens (the request's trace) when it ends."""

    def __init__(
        self,
        app: ASGIApp,
        budget: SpendBudget,
        paths: frozenset[str],
        on_refused: Callable[[str], None] | None = None,
    ) -> None:
        self.app = app
        self.budget = budget
        self.paths = paths
        self.on_refused = on_refused

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in self.paths or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        client = address_bucket(scope)
        refused = await self.budget.refusal(client)
        if refused is not None:
            which, retry_after = refused
            if self.on_refused is not None:
                self.on_refused(which)
            await _send_exhausted(send, which, retry_after)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            # The trace the observability middleware opened (outside this one) holds every
            # model call's tokens, for /chat, the stream and ChatKit alike; a request cut
            # short still counts what it spent.
            # The response is sent by now; shielded, so a cancelled request still counts.
            trace = telemetry.current()
            if trace is not None:
                usage = trace.usage
                spent = usage.prompt + usage.output + usage.thinking
                await asyncio.shield(self.budget.spend(client, spent))


async def _send_exhausted(send: Send, which: Scope_, retry_after: int) -> None:
    whose = "the service's" if which == "daily" else "this client's"
    body = error_json(
        BUDGET_EXHAUSTED,
        f"{whose} token budget for today (UTC) is spent: try again in {retry_after} s",
    )
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"retry-after", str(retry_after).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
