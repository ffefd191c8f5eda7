"""Spend ceilings: past a UTC day's token budget (the service's, or one client's), a request
that would spend is refused with 429 `budget_exhausted` and `Retry-After` until midnight UTC,
before any upstream call; the counts are shared through Redis when the rate limit is."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from asgi_lifespan import LifespanManager

from config import Settings
from service.app import create_app
from service.budget import seconds_to_midnight
from tests.support.errors import assert_error
from tests.support.fake_gemini import FakeGemini
from tests.support.settings import ClientFactory, MakeSettings

QUESTION = {"message": "What does an IMU measure?"}


@asynccontextmanager
async def client_at(settings: Settings, address: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client of a fresh app that comes from `address` (the budget's notion of a client)."""
    app = create_app(settings)
    async with LifespanManager(app, startup_timeout=30) as manager:
        transport = httpx.ASGITransport(app=manager.app, client=(address, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


async def test_past_the_daily_budget_requests_are_refused_until_midnight(
    app_client: ClientFactory, make_settings: MakeSettings, fake: FakeGemini
) -> None:
    async with app_client(make_settings(service={"daily_token_budget": 1})) as client:
        first = await client.post("/chat", json=QUESTION)
        fake.requests.clear()
        refused = await client.post("/chat", json=QUESTION)

    assert first.status_code == 200
    assert_error(refused, 429, "budget_exhausted")
    assert 1 <= int(refused.headers["retry-after"]) <= 86400
    assert fake.requests == []  # refused before any upstream call


async def test_under_the_budget_answers_go_on(
    app_client: ClientFactory, make_settings: MakeSettings
) -> None:
    async with app_client(make_settings(service={"daily_token_budget": 10_000})) as client:
        statuses = [(await client.post("/chat", json=QUESTION)).status_code for _ in range(3)]

    assert statuses == [200, 200, 200]


async def test_the_stream_and_chatkit_are_refused_too(
    app_client: ClientFactory, make_settings: MakeSettings
) -> None:
    settings = make_settings(service={"daily_token_budget": 1, "chatkit": "on"})
    async with app_client(settings) as client:
        await client.post("/chat/stream", json=QUESTION)  # spends: the stream's tokens count
        stream = await client.post("/chat/stream", json=QUESTION)
        chatkit = await client.post("/chatkit", json={"type": "threads.list", "params": {}})

    assert_error(stream, 429, "budget_exhausted")
    assert_error(chatkit, 429, "budget_exhausted")


async def test_a_clients_budget_leaves_other_clients_alone(make_settings: MakeSettings) -> None:
    settings = make_settings(service={"client_daily_token_budget": 1})
    app = create_app(settings)
    async with LifespanManager(app, startup_timeout=30) as manager:
        clients = {
            address: httpx.AsyncClient(
                transport=httpx.ASGITransport(app=manager.app, client=(address, 40000)),
                base_url="http://test",
            )
            for address in ("10.0.0.1", "10.0.0.2")
        }
        first = await clients["10.0.0.1"].post("/chat", json=QUESTION)
        again = await clients["10.0.0.1"].post("/chat", json=QUESTION)
        other = await clients["10.0.0.2"].post("/chat", json=QUESTION)
        for client in clients.values():
            await client.aclose()

    assert first.status_code == 200
    assert_error(again, 429, "budget_exhausted")
    assert "this client's" in again.json()["error"]["message"]
    assert other.status_code == 200


async def test_the_budget_is_shared_through_redis(
    make_settings: MakeSettings, redis_url: str
) -> None:
    settings = make_settings(service={"daily_token_budget": 1, "rate_limit_storage": redis_url})
    async with client_at(settings, "10.0.0.1") as worker_a:
        spent = await worker_a.post("/chat", json=QUESTION)
    async with client_at(settings, "10.0.0.2") as worker_b:  # another process's app
        refused = await worker_b.post("/chat", json=QUESTION)

    assert spent.status_code == 200
    assert_error(refused, 429, "budget_exhausted")


async def test_refusals_are_counted_in_metrics(
    app_client: ClientFactory, make_settings: MakeSettings
) -> None:
    async with app_client(make_settings(service={"daily_token_budget": 1})) as client:
        await client.post("/chat", json=QUESTION)
        await client.post("/chat", json=QUESTION)
        metrics = (await client.get("/metrics")).text

    assert 'bookchat_budget_refusals_total{which="daily"} 1.0' in metrics


def test_the_day_resets_at_midnight_utc() -> None:
    noon = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC).timestamp()
    last_second = dt.datetime(2026, 12, 3, 23, 59, 59, 500_000, tzinfo=dt.UTC).timestamp()

    assert seconds_to_midnight(noon) == 12 * 3600
    assert seconds_to_midnight(last_second) == 1
