"""Pure ASGI middleware: request ids, body bounds, origins, API keys, the rate limit."""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import logging
import math
import re
import secrets
import time
import uuid
from collections.abc import Sequence
from urllib.parse import urlsplit, urlunsplit

import limits
from coredis.commands.script import Script
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.storage.redis.coredis import CoredisBridge
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from config.settings import RATE_LIMIT_STORAGE_SCHEMES
from service.errors import HTTP_CODES, error_json

logger = logging.getLogger(__name__)

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._\-]{1,64}$")
_BODYLESS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})


async def send_error(
    send: Send, status: int, message: str, headers: Sequence[tuple[bytes, bytes]] = ()
) -> None:
    """The error body of docs/api.md from a pure ASGI middleware (before the app runs)."""
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


class KeyCheck:
    """The configured API keys, and the one check of an offered key against them.

    Every configured key is compared (in constant time, `secrets.compare_digest`) whatever
    the offered one, so the time taken does not tell how close a guess was.
    """

    def __init__(self, keys: Sequence[str]) -> None:
        self._keys = [key.encode() for key in keys]

    @property
    def configured(self) -> bool:
        return bool(self._keys)

    def match(self, scope: Scope) -> bytes | None:
        """The configured key this request offers, or None (none offered, or not valid)."""
        offered = offered_key(scope)
        if not offered:
            return None
        candidate = offered.encode()
        matched: bytes | None = None
        for key in self._keys:
            if secrets.compare_digest(candidate, key):
                matched = key
        return matched


class ApiKeyMiddleware:
    """When keys are configured, every path but the open ones needs one of them.

    Accepts `Authorization: Bearer KEY` or `X-API-Key: KEY`; compares in constant time.
    CORS preflights pass (the CORS middleware outside this one answers them).
    """

    def __init__(self, app: ASGIApp, keys: Sequence[str], open_paths: frozenset[str]) -> None:
        self.app = app
        self.keys = KeyCheck(keys)
        self.open_paths = open_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or not self.keys.configured
            or scope["path"] in self.open_paths
            or scope["method"] == "OPTIONS"
            or self.keys.match(scope) is not None
        ):
            await self.app(scope, receive, send)
            return
        await send_error(
            send,
            401,
            "missing or invalid API key",
            [(b"www-authenticate", b"Bearer")],
        )


def _origin_key(origin: str) -> str:
    """An origin as browsers compare them: scheme and host lower-cased, a default port
    dropped (`HTTPS://Docs.Example:443` is `https://docs.example`)."""
    parts = urlsplit(origin.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        return origin
    if port is None or (scheme, port) in (("http", 80), ("https", 443)):
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


class OriginCheckMiddleware:
    """A browser request from an origin outside `BOOKCHAT_CORS_ORIGINS` is refused with
    403 `origin_not_allowed` on the routes that spend (`paths`), before the rate limit,
    the key check and any upstream call.

    CORS alone only stops a browser from *reading* the answer: the request itself was
    served (and paid for) before. A request without `Origin` (a server, curl) passes, and
    so does a page of the service itself (its `Origin` is the request's own `Host`: the
    demo page). `*` in the list admits every origin.
    """

    def __init__(self, app: ASGIApp, origins: Sequence[str], paths: frozenset[str]) -> None:
        self.app = app
        self.any = "*" in origins
        self.origins = frozenset(_origin_key(origin) for origin in origins if origin != "*")
        self.paths = paths

    def allowed(self, scope: Scope) -> bool:
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if origin is None or self.any:
            return True
        key = _origin_key(origin)
        if key in self.origins:
            return True
        host = headers.get("host", "").lower()
        return bool(host) and urlsplit(key).netloc == host

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] == "OPTIONS"  # a preflight: the CORS policy answers it
            or scope["path"] not in self.paths
            or self.allowed(scope)
        ):
            await self.app(scope, receive, send)
            return
        origin = Headers(scope=scope).get("origin", "")
        logger.info("refused a request from origin %r: not in BOOKCHAT_CORS_ORIGINS", origin[:200])
        await send_error(
            send,
            403,
            f"this site's origin ({origin[:200]}) is not allowed to use the chat service: "
            "add it to BOOKCHAT_CORS_ORIGINS",
        )


def address_bucket(scope: Scope) -> str:
    """The rate limit's name for the client address: an IPv4 address, an IPv6 /64 (one
    host usually holds a whole /64), or `unknown` (a Unix socket)."""
    client = scope.get("client")
    host = client[0] if client else ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "ip:unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return f"ip:{address.ipv4_mapped}"
        return f"ip:{ipaddress.IPv6Network((address, 64), strict=False)}"
    return f"ip:{address}"


class RateLimitMiddleware:
    """A moving-window limit per client on `paths`: 429 with `Retry-After` past it.

    The client is its address (which a trusted proxy's `X-Forwarded-For` may have set, see
    `create_app`); a request offering a valid API key counts apart, per key and address (a
    key shipped to browsers does not put all its readers in one budget). An invalid key
    counts against the address: no header value ever creates a count of its own. The counts
    live in this process, or in Redis (`storage_uri`, not `memory://`) shared by every
    process. When the shared storage fails or takes longer than `timeout`, the request is
    counted in this process instead (a WARNING at most once a minute) and the storage is
    tried again `RETRY_SHARED_SECONDS` later: a Redis outage never fails nor hangs a
    request.

    The bound is a wait, not a cancellation: coredis reloads a script Redis has lost
    (`NOSCRIPT`: a fresh or restarted Redis) in a retry hook whose bare `except` swallows
    a cancellation, and over TLS on uvloop that reload hung, in two runs of three, with
    the request stuck behind it for good (`asyncio.timeout` could not end it). A call
    past the bound is left behind, its connections closed. The limits' scripts are loaded
    with `SCRIPT LOAD` before the storage's first use and again after each failure, so
    that `NOSCRIPT` (and that hook) is not the way they get there.
    """

    RETRY_SHARED_SECONDS = 5.0
    WARN_EVERY_SECONDS = 60.0

    def __init__(
        self,
        app: ASGIApp,
        rate: str,
        paths: frozenset[str],
        keys: Sequence[str] = (),
        storage_uri: str = "memory://",
        timeout: float = 0.5,
    ) -> None:
        self.app = app
        self.item = limits.parse(rate)
        self.paths = paths
        self.keys = KeyCheck(keys)
        self._key_ids = {
            key.encode(): "key:" + hashlib.sha256(key.encode()).hexdigest()[:32] for key in keys
        }
        self.timeout = timeout
        self.local = MovingWindowRateLimiter(MemoryStorage())
        self.shared: MovingWindowRateLimiter | None = None
        self._redis: RedisStorage | None = None
        self._where = ""
        if urlsplit(storage_uri).scheme != "memory":
            self._redis, self._where = redis_storage(storage_uri, timeout)
            self.shared = MovingWindowRateLimiter(self._redis)
        self._shared_after = 0.0
        self._warned_at = -math.inf
        self._failures = 0
        self._scripts_loaded = False
        self._loading = asyncio.Lock()
        self._left_behind: set[asyncio.Future[float | None]] = set()

    def _client(self, scope: Scope) -> str:
        address = address_bucket(scope)
        key = self.keys.match(scope)
        return address if key is None else f"{self._key_ids[key]} {address}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan" and self._redis is not None:
            await self.app(scope, receive, self._closing_on_shutdown(send))
            return
        if scope["type"] != "http" or scope["path"] not in self.paths or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        reset_time = await self._hit(self._client(scope))
        if reset_time is None:
            await self.app(scope, receive, send)
            return
        retry_after = max(1, math.ceil(reset_time - time.time()))
        await send_error(
            send,
            429,
            f"too many requests: at most {self.item}",
            [(b"retry-after", str(retry_after).encode())],
        )

    async def _hit(self, client: str) -> float | None:
        """Counts one request: None when allowed, else when the window frees a slot."""
        if self.shared is not None and time.monotonic() >= self._shared_after:
            shared = asyncio.ensure_future(self._shared_hit(self.shared, client))
            try:
                done, _ = await asyncio.wait({shared}, timeout=self.timeout)
            except asyncio.CancelledError:
                self._leave_behind(shared)
                raise
            if shared in done:
                try:
                    return shared.result()
                except (StorageError, TimeoutError, OSError) as exc:
                    self._shared_failed(exc)
            else:
                self._leave_behind(shared)
                self._drop_connections()
                self._shared_failed(TimeoutError())
        return await self._hit_with(self.local, client)

    async def _shared_hit(self, limiter: MovingWindowRateLimiter, client: str) -> float | None:
        if not self._scripts_loaded:
            async with self._loading:
                if not self._scripts_loaded:
                    try:
                        await self._load_scripts()
                    except Exception as exc:  # the client's own errors, as limits wraps its
                        raise StorageError(exc) from exc
                    self._scripts_loaded = True
        return await self._hit_with(limiter, client)

    def _coredis(self) -> CoredisBridge | None:
        """The shared storage's coredis side, when there is one."""
        bridge = self._redis.bridge if self._redis is not None else None
        return bridge if isinstance(bridge, CoredisBridge) else None

    async def _load_scripts(self) -> None:
        """`SCRIPT LOAD` of every Lua script the storage registered (see the class)."""
        if (bridge := self._coredis()) is not None:
            redis = bridge.get_connection()
            for script in [v for v in vars(bridge).values() if isinstance(v, Script)]:
                await redis.script_load(script.script)

    def _leave_behind(self, call: asyncio.Future[float | None]) -> None:
        """Cancel a call no longer waited for; keep it until it ends, its outcome read."""
        call.cancel()
        self._left_behind.add(call)

        def ended(future: asyncio.Future[float | None]) -> None:
            self._left_behind.discard(future)
            if not future.cancelled():
                future.exception()

        call.add_done_callback(ended)

    def _drop_connections(self) -> None:
        """Close the storage's connections: a read stuck on one ends with it."""
        if (bridge := self._coredis()) is not None:
            bridge.get_connection().connection_pool.disconnect()

    async def _hit_with(self, limiter: MovingWindowRateLimiter, client: str) -> float | None:
        if await limiter.hit(self.item, client):
            return None
        return (await limiter.get_window_stats(self.item, client)).reset_time

    def _shared_failed(self, exc: BaseException) -> None:
        self._shared_after = time.monotonic() + self.RETRY_SHARED_SECONDS
        self._scripts_loaded = False  # a restarted Redis has none: load them again first
        self._failures += 1
        now = time.monotonic()
        if now - self._warned_at < self.WARN_EVERY_SECONDS:
            return
        cause = exc.storage_error if isinstance(exc, StorageError) else exc
        reason = f"{type(cause).__name__}: {cause}" if str(cause) else type(cause).__name__
        logger.warning(
            "rate limit storage %s failed (%s; %d failure(s) since the last warning):"
            " counting in this process, trying the storage again in %.0f s",
            self._where,
            reason,
            self._failures,
            self.RETRY_SHARED_SECONDS,
        )
        self._warned_at = now
        self._failures = 0

    def _closing_on_shutdown(self, send: Send) -> Send:
        async def send_and_close(message: Message) -> None:
            if message["type"].startswith("lifespan.shutdown."):
                self._drop_connections()
            await send(message)

        return send_and_close


def redis_storage(uri: str, timeout: float) -> tuple[RedisStorage, str]:
    """The `limits` Redis storage for one of our URLs (no network until the first count),
    and where it is, for logs (never the password)."""
    parts = urlsplit(uri)
    limits_uri = urlunsplit(parts._replace(scheme=RATE_LIMIT_STORAGE_SCHEMES[parts.scheme]))
    storage = RedisStorage(
        limits_uri,
        wrap_exceptions=True,
        key_prefix="bookchat",
        connect_timeout=timeout,
        stream_timeout=timeout,
    )
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return storage, urlunsplit((parts.scheme, netloc, parts.path, "", ""))
