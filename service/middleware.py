"""Pure ASGI middleware: request ids, body bounds, API keys."""

from __future__ import annotations

import asyncio
import hashlib
import math
import re
import secrets
import time
import uuid
from collections.abc import Sequence

import limits
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import HTTP_CODES, error_json

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._\-]{1,64}$")
_BODYLESS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})


async def send_error(
    send: Send, status: int, message: str, headers: Sequence[tuple[bytes, bytes]] = ()
) -> None:
    """The contract's error body from a pure ASGI middleware (before the app runs)."""
    body = error_json(HTTP_CODES[status], message)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def offered_key(scope: Scope) -> str:
    """The API key a request offers: `X-API-Key`, else `Authorization: Bearer KEY`."""
    headers = Headers(scope=scope)
    offered = headers.get("x-api-key", "")
    authorization = headers.get("authorization", "")
    if not offered and authorization[:7].lower() == "bearer ":
        offered = authorization[7:].strip()
    return offered


class RequestIdMiddleware:
    """Gives every request an id (the caller's `X-Request-ID` when sane, else new)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get("x-request-id", "")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        await self.app(scope, receive, send_with_id)


class _BodyTooLarge(Exception):
    pass


class BodyLimitMiddleware:
    """Reads the whole body before the app runs, within bounds: 413 for a body over
    `max_bytes` (declared or streamed); 408, and the connection closed, for a body not
    received within `timeout` seconds (a client that stalls mid-body holds nothing longer).
    """

    def __init__(self, app: ASGIApp, max_bytes: int, timeout: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in _BODYLESS:
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None:
            if not declared.isdigit():
                await send_error(send, 422, "invalid Content-Length")
                return
            if int(declared) > self.max_bytes:
                await self._too_large(send)
                return
        try:
            async with asyncio.timeout(self.timeout):
                body = await self._read(receive)
        except TimeoutError:
            await send_error(
                send,
                408,
                f"request body not received within {self.timeout:g} s",
                [(b"connection", b"close")],
            )
            return
        except _BodyTooLarge:
            await self._too_large(send)
            return
        if body is None:  # the client left
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _read(self, receive: Receive) -> bytes | None:
        """The whole body, or None when the client disconnected first."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                raise _BodyTooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _too_large(self, send: Send) -> None:
        await send_error(send, 413, f"request body over {self.max_bytes} bytes")


class ApiKeyMiddleware:
    """When keys are configured, every path but the open ones needs one of them.

    Accepts `Authorization: Bearer KEY` or `X-API-Key: KEY`; compares in constant time.
    CORS preflights pass (the CORS middleware outside this one answers them).
    """

    def __init__(self, app: ASGIApp, keys: Sequence[str], open_paths: frozenset[str]) -> None:
        self.app = app
        self.keys = [key.encode() for key in keys]
        self.open_paths = open_paths

    def _allowed(self, scope: Scope) -> bool:
        offered = offered_key(scope)
        if not offered:
            return False
        candidate = offered.encode()
        matched = False
        for key in self.keys:
            matched |= secrets.compare_digest(candidate, key)
        return matched

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or not self.keys
            or scope["path"] in self.open_paths
            or scope["method"] == "OPTIONS"
            or self._allowed(scope)
        ):
            await self.app(scope, receive, send)
            return
        await send_error(
            send,
            401,
            "missing or invalid API key",
            [(b"www-authenticate", b"Bearer")],
        )


class RateLimitMiddleware:
    """A moving-window limit per client on `paths`: 429 with `Retry-After` past it.

    The client is its API key when it sent one, else its IP address. The counts live
    in this process (one limiter per app); behind several processes, divide the rate.
    """

    def __init__(self, app: ASGIApp, rate: str, paths: frozenset[str]) -> None:
        self.app = app
        self.item = limits.parse(rate)
        self.paths = paths
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    @staticmethod
    def _client(scope: Scope) -> str:
        key = offered_key(scope)
        if key:
            return "key:" + hashlib.sha256(key.encode()).hexdigest()[:32]
        client = scope.get("client")
        return f"ip:{client[0] if client else 'unknown'}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in self.paths or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        client = self._client(scope)
        if await self.limiter.hit(self.item, client):
            await self.app(scope, receive, send)
            return
        stats = await self.limiter.get_window_stats(self.item, client)
        retry_after = max(1, math.ceil(stats.reset_time - time.time()))
        await send_error(
            send,
            429,
            f"too many requests: at most {self.item}",
            [(b"retry-after", str(retry_after).encode())],
        )
