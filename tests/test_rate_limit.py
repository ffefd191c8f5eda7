"""BOOKCHAT_RATE_LIMIT: who a client is, X-Forwarded-For, and the Redis-shared count."""

from __future__ import annotations

import asyncio
import logging
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from starlette.types import ASGIApp

from config import Settings, SettingsError
from service import create_app
from service.middleware import RateLimitMiddleware
from tests.support.errors import assert_error
from tests.support.fake_gemini import FakeGemini
from tests.support.net import free_port
from tests.support.processes import launch, service_env, stop
from tests.support.redis import TlsRedis, redis_command
from tests.support.settings import ClientFactory, MakeSettings

CHAT = {"message": "IMU"}


@asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[ASGIApp]:
    """The app of `settings` with its lifespan run (its middleware stack built once)."""
    app = create_app(settings)
    async with LifespanManager(app, startup_timeout=30) as manager:
        yield manager.app


def client_at(app: ASGIApp, address: str = "192.0.2.10") -> httpx.AsyncClient:
    """A client whose requests come from `address` (the socket peer the app sees)."""
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://test", timeout=30)


async def statuses(client: httpx.AsyncClient, *headers: dict[str, str]) -> list[int]:
    return [(await client.post("/chat", json=CHAT, headers=h)).status_code for h in headers]


def random_key() -> dict[str, str]:
    return {"X-API-Key": uuid.uuid4().hex}


# ------------------------------------------------------------------ who the client is
@pytest.mark.parametrize("header", ["X-API-Key", "Authorization"])
async def test_random_keys_with_no_keys_configured_share_the_address_budget(
    make_settings: MakeSettings, header: str
) -> None:
    settings = make_settings(service={"rate_limit": "2/minute"})
    prefix = "Bearer " if header == "Authorization" else ""
    async with running(settings) as app, client_at(app) as client:
        got = await statuses(client, *({header: prefix + uuid.uuid4().hex} for _ in range(3)))

    assert got == [200, 200, 429]


async def test_rate_limit_answers_429_with_retry_after(
    app_client: ClientFactory, make_settings: MakeSettings
) -> None:
    async with app_client(make_settings(service={"rate_limit": "2/minute"})) as client:
        statuses = [
            (await client.post("/chat", json={"message": "IMU"})).status_code for _ in range(3)
        ]
        limited = await client.post("/chat/stream", json={"message": "IMU"})
        health = await client.get("/health")

    assert statuses == [200, 200, 429]
    assert_error(limited, 429, "rate_limited")
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert health.status_code == 200


async def test_rate_limit_counts_each_api_key_apart(
    app_client: ClientFactory, make_settings: MakeSettings
) -> None:
    settings = make_settings(service={"rate_limit": "1/minute", "api_keys": "a,b"})
    async with app_client(settings) as client:
        first = await client.post("/chat", json={"message": "IMU"}, headers={"X-API-Key": "a"})
        other = await client.post("/chat", json={"message": "IMU"}, headers={"X-API-Key": "b"})
        again = await client.post("/chat", json={"message": "IMU"}, headers={"X-API-Key": "a"})

    assert (first.status_code, other.status_code, again.status_code) == (200, 200, 429)


async def test_invalid_keys_are_401_and_count_against_the_address(
    make_settings: MakeSettings,
) -> None:
    settings = make_settings(service={"rate_limit": "2/minute", "api_keys": "a"})
    async with running(settings) as app, client_at(app) as client:
        got = await statuses(client, random_key(), random_key(), random_key())

    assert got == [401, 401, 429]


async def test_a_valid_key_is_not_spent_by_its_address(make_settings: MakeSettings) -> None:
    settings = make_settings(service={"rate_limit": "1/minute", "api_keys": "a"})
    async with running(settings) as app, client_at(app) as client:
        got = await statuses(client, {}, {}, {"Authorization": "Bearer a"})

    assert got == [401, 429, 200]


async def test_a_valid_key_counts_per_address(make_settings: MakeSettings) -> None:
    settings = make_settings(service={"rate_limit": "1/minute", "api_keys": "a"})
    key = {"X-API-Key": "a"}
    async with (
        running(settings) as app,
        client_at(app, "192.0.2.1") as one,
        client_at(app, "192.0.2.2") as other,
    ):
        got = await statuses(one, key) + await statuses(other, key) + await statuses(one, key)

    assert got == [200, 200, 429]


async def test_ipv6_clients_count_per_64_network(make_settings: MakeSettings) -> None:
    settings = make_settings(service={"rate_limit": "1/minute"})
    async with (
        running(settings) as app,
        client_at(app, "2001:db8:1:2::1") as one,
        client_at(app, "2001:db8:1:2::ff") as same_64,
    ):
        got = await statuses(one, {}) + await statuses(same_64, {})

    assert got == [200, 429]


# ------------------------------------------------------------------ X-Forwarded-For
async def test_forwarded_for_is_ignored_by_default(make_settings: MakeSettings) -> None:
    settings = make_settings(service={"rate_limit": "1/minute"})
    async with running(settings) as app, client_at(app, "10.0.0.2") as client:
        got = await statuses(
            client, {"X-Forwarded-For": "203.0.113.1"}, {"X-Forwarded-For": "203.0.113.2"}
        )

    assert got == [200, 429]


async def test_forwarded_for_is_honoured_from_a_trusted_proxy(make_settings: MakeSettings) -> None:
    settings = make_settings(
        service={"rate_limit": "1/minute", "forwarded_allow_ips": "10.0.0.0/8"}
    )
    async with running(settings) as app, client_at(app, "10.0.0.2") as client:
        got = await statuses(
            client, {"X-Forwarded-For": "203.0.113.1"}, {"X-Forwarded-For": "203.0.113.2"}
        )

    assert got == [200, 200]


async def test_the_client_is_the_rightmost_untrusted_hop(make_settings: MakeSettings) -> None:
    settings = make_settings(
        service={"rate_limit": "2/minute", "forwarded_allow_ips": "10.0.0.0/8"}
    )
    async with running(settings) as app, client_at(app, "10.0.0.2") as client:
        got = await statuses(
            client,
            {"X-Forwarded-For": "198.51.100.1, 203.0.113.9"},  # the left part is the client's
            {"X-Forwarded-For": "198.51.100.2, 203.0.113.9, 10.9.9.9"},  # two proxies
            {"X-Forwarded-For": "203.0.113.9"},
        )

    assert got == [200, 200, 429]


async def test_forwarded_for_from_an_unlisted_peer_is_ignored(make_settings: MakeSettings) -> None:
    settings = make_settings(
        service={"rate_limit": "1/minute", "forwarded_allow_ips": "10.0.0.0/8"}
    )
    async with running(settings) as app, client_at(app, "192.0.2.77") as client:
        got = await statuses(
            client, {"X-Forwarded-For": "203.0.113.1"}, {"X-Forwarded-For": "203.0.113.2"}
        )

    assert got == [200, 429]


@pytest.mark.parametrize("value", ["*", "proxy.internal", "10.0.0.0/8,nonsense"])
def test_forwarded_allow_ips_takes_addresses_and_networks_only(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("BOOKCHAT_FORWARDED_ALLOW_IPS", value)

    with pytest.raises(SettingsError, match="BOOKCHAT_FORWARDED_ALLOW_IPS"):
        Settings.load(env_file=None)


def test_an_unsupported_storage_url_is_refused_without_echoing_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BOOKCHAT_RATE_LIMIT_STORAGE", "memcached://user:s3cret@cache:11211")

    with pytest.raises(SettingsError) as refused:
        Settings.load(env_file=None)

    assert "memcached" in str(refused.value)
    assert "s3cret" not in str(refused.value)


# ------------------------------------------------------------------ Redis, in process
def redis_port(url: str) -> int:
    return int(url.rsplit(":", 1)[1].split("/")[0])


async def test_unvalidated_keys_create_no_count_in_redis(
    make_settings: MakeSettings, redis_url: str
) -> None:
    settings = make_settings(
        service={
            "rate_limit": "100/minute",
            "rate_limit_storage": redis_url,
            "api_keys": "a",
            # What Redis holds is the subject: no count may fall back to the process's own
            # because a loaded machine made Redis slower than the default 0.5 s.
            "rate_limit_storage_timeout": 10,
        }
    )
    async with running(settings) as app, client_at(app) as client:
        await statuses(client, *(random_key() for _ in range(20)))
        await statuses(client, {"X-API-Key": "a"})

    # Two counts: the address's, and the valid key's at that address.
    assert redis_command(redis_port(redis_url), "DBSIZE") == b":2\r\n"


async def test_shutdown_closes_the_redis_connections(
    make_settings: MakeSettings, redis_url: str
) -> None:
    settings = make_settings(
        service={
            "rate_limit": "5/minute",
            "rate_limit_storage": redis_url,
            "rate_limit_storage_timeout": 10,  # no call left behind on a loaded machine
        }
    )
    port = redis_port(redis_url)
    async with running(settings) as app, client_at(app) as client:
        await statuses(client, {})
        during = connections(port)

    assert during > 1
    assert settled_connections(port) == 1  # only the probe that asks


def settled_connections(port: int, timeout: float = 30) -> int:
    """`connections(port)` once closed connections have left (Redis sees them shortly)."""
    deadline = time.monotonic() + timeout
    while (count := connections(port)) > 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    return count


def connections(port: int) -> int:
    """How many clients Redis has connected (CLIENT LIST: one line per connection)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"CLIENT LIST\r\n")
        reader = sock.makefile("rb")
        size = int(reader.readline()[1:])
        return reader.read(size).decode().count("cmd=")


async def test_unreachable_redis_counts_in_the_process_and_warns_once(
    make_settings: MakeSettings, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"redis://:s3cret@127.0.0.1:{free_port()}/0"  # nothing listens there
    settings = make_settings(service={"rate_limit": "2/minute", "rate_limit_storage": url})
    with caplog.at_level(logging.WARNING, logger="service.middleware"):
        async with running(settings) as app, client_at(app) as client:
            got = await statuses(client, {}, {}, {})
            limited = await client.post("/chat", json=CHAT)

    assert got == [200, 200, 429]
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    warnings = [r.getMessage() for r in caplog.records if r.name == "service.middleware"]
    assert len(warnings) == 1
    assert "redis://127.0.0.1:" in warnings[0]
    assert "s3cret" not in caplog.text


async def test_a_tls_redis_whose_certificate_is_not_trusted_is_not_used(
    make_settings: MakeSettings, redis_tls_server: TlsRedis, caplog: pytest.LogCaptureFixture
) -> None:
    # The certificate is self-signed and not in the trust store: the connection is
    # refused, so the count stays in the process, with the reason in the warning.
    url = f"{redis_tls_server.url}/0"
    settings = make_settings(service={"rate_limit": "2/minute", "rate_limit_storage": url})
    with caplog.at_level(logging.WARNING, logger="service.middleware"):
        async with running(settings) as app, client_at(app) as client:
            got = await statuses(client, {}, {}, {})

    assert got == [200, 200, 429]
    assert "CERTIFICATE_VERIFY_FAILED" in caplog.text
    assert redis_command(redis_port(url), "DBSIZE", ca=redis_tls_server.ca) == b":0\r\n"


class SwallowsCancellation:
    """A shared limiter whose call ignores cancellation until `release` (coredis's
    script-reload hook swallows it: a bare `except`)."""

    def __init__(self) -> None:
        self.release = asyncio.Event()

    async def hit(self, *args: object) -> bool:
        while not self.release.is_set():
            try:
                await self.release.wait()
            except asyncio.CancelledError:
                continue
        return True


async def test_a_shared_call_that_ignores_cancellation_does_not_hold_the_request(
    caplog: pytest.LogCaptureFixture,
) -> None:
    limit = RateLimitMiddleware(app=None, rate="5/minute", paths=frozenset({"/chat"}))  # type: ignore[arg-type]
    stuck = SwallowsCancellation()
    limit.shared = stuck  # type: ignore[assignment]
    with caplog.at_level(logging.WARNING, logger="service.middleware"):
        counting = asyncio.ensure_future(limit._hit("192.0.2.10"))
        done, _ = await asyncio.wait({counting}, timeout=30)  # a bound, not a timing
    try:
        assert counting in done, "the request waited on the shared call"
        assert counting.result() is None  # counted in the process: allowed
        assert "counting in this process" in caplog.text
    finally:
        stuck.release.set()
        await asyncio.sleep(0)


async def test_a_hung_redis_does_not_hang_requests(
    make_settings: MakeSettings, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as silent:  # accepts connections (the kernel does), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        url = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        settings = make_settings(
            service={
                "rate_limit": "2/minute",
                "rate_limit_storage": url,
                "rate_limit_storage_timeout": 0.2,
            }
        )
        with caplog.at_level(logging.WARNING, logger="service.middleware"):
            async with running(settings) as app, client_at(app) as client:
                got = await statuses(client, {}, {})

    assert got == [200, 200]
    assert "TimeoutError" in caplog.text


# ------------------------------------------------------------------ real processes
Serve = Callable[..., str]


@pytest.fixture
def serve(fake: FakeGemini, book_template: Path, tmp_path: Path) -> Iterator[Serve]:
    """`serve(**env)` starts `bookchat serve` over its own copy of the test book."""
    processes: list[subprocess.Popen[str]] = []

    def start(**extra: str) -> str:
        qdrant = Path(tempfile.mkdtemp(prefix="qdrant-", dir=tmp_path))
        shutil.copytree(book_template, qdrant, dirs_exist_ok=True)
        process, url = launch((), service_env(fake, qdrant, **extra), tmp_path)
        processes.append(process)
        return url

    yield start
    stop(processes)


@pytest.mark.e2e
def test_two_processes_share_one_budget_in_redis(serve: Serve, redis_url: str) -> None:
    env = {"BOOKCHAT_RATE_LIMIT": "5/minute", "BOOKCHAT_RATE_LIMIT_STORAGE": redis_url}
    first, second = serve(**env), serve(**env)

    responses = [
        httpx.post(f"{url}/chat", json=CHAT, timeout=30) for url in [first] * 3 + [second] * 3
    ]

    assert [r.status_code for r in responses] == [200] * 5 + [429]
    assert 1 <= int(responses[-1].headers["retry-after"]) <= 60


@pytest.mark.e2e
def test_two_processes_share_one_budget_in_redis_over_tls(
    serve: Serve, redis_tls_server: TlsRedis
) -> None:
    storage = f"{redis_tls_server.url}/0"
    env = {
        "BOOKCHAT_RATE_LIMIT": "5/minute",
        "BOOKCHAT_RATE_LIMIT_STORAGE": storage,
        "SSL_CERT_FILE": str(redis_tls_server.ca),  # the trust store OpenSSL reads
    }
    port = redis_port(storage)
    assert redis_command(port, "FLUSHALL", ca=redis_tls_server.ca).startswith(b"+OK")
    first, second = serve(**env), serve(**env)

    responses = [
        httpx.post(f"{url}/chat", json=CHAT, timeout=30) for url in [first] * 3 + [second] * 3
    ]

    assert [r.status_code for r in responses] == [200] * 5 + [429]
    assert redis_command(port, "DBSIZE", ca=redis_tls_server.ca) != b":0\r\n"


@pytest.mark.e2e
def test_bookchat_serve_ignores_forwarded_for_by_default(serve: Serve) -> None:
    url = serve(BOOKCHAT_RATE_LIMIT="1/minute")  # a request from 127.0.0.1, uvicorn's default

    got = [
        httpx.post(
            f"{url}/chat", json=CHAT, headers={"X-Forwarded-For": f"203.0.113.{n}"}, timeout=30
        ).status_code
        for n in (1, 2)
    ]

    assert got == [200, 429]
