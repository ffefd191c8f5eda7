"""Origins enforced on the server: a browser request from an origin outside
`BOOKCHAT_CORS_ORIGINS` is refused with 403 `origin_not_allowed` before anything is spent."""

from __future__ import annotations

import httpx
import pytest

from tests.support.errors import assert_error
from tests.support.fake_gemini import FakeGemini
from tests.support.settings import ClientFactory, MakeSettings

QUESTION = {"message": "What does an IMU measure?"}
SPENDING = [
    ("/chat", QUESTION),
    ("/chat/stream", QUESTION),
    ("/feedback", {"request_id": "r-1", "rating": "up"}),
    ("/chatkit", {"type": "threads.list", "params": {}}),
]


@pytest.mark.parametrize(("path", "body"), SPENDING, ids=[path for path, _ in SPENDING])
async def test_a_foreign_origin_is_refused_before_anything_is_spent(
    app_client: ClientFactory,
    make_settings: MakeSettings,
    fake: FakeGemini,
    path: str,
    body: dict[str, object],
) -> None:
    settings = make_settings(service={"chatkit": "on"})
    async with app_client(settings) as client:
        fake.requests.clear()
        response = await client.post(path, json=body, headers={"Origin": "https://evil.example"})

    assert_error(response, 403, "origin_not_allowed")
    assert "BOOKCHAT_CORS_ORIGINS" in response.json()["error"]["message"]
    assert fake.requests == []


async def test_an_allowed_origin_is_answered(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/chat", json=QUESTION, headers={"Origin": "http://localhost:3000"}
    )

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "http://localhost:3000"


async def test_an_origin_is_compared_as_browsers_compare_it(
    app_client: ClientFactory, make_settings: MakeSettings
) -> None:
    settings = make_settings(service={"cors_origins": ["https://docs.example"]})
    async with app_client(settings) as client:
        response = await client.post(
            "/chat", json=QUESTION, headers={"Origin": "HTTPS://Docs.Example:443"}
        )

    assert response.status_code == 200


async def test_another_port_of_an_allowed_host_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/chat", json=QUESTION, headers={"Origin": "http://localhost:4000"}
    )

    assert_error(response, 403, "origin_not_allowed")


async def test_a_request_without_origin_is_unaffected(client: httpx.AsyncClient) -> None:
    response = await client.post("/chat", json=QUESTION)

    assert response.status_code == 200


async def test_the_services_own_page_is_its_own_origin(client: httpx.AsyncClient) -> None:
    # The demo page at `GET /` posts from the service's origin (the request's Host).
    response = await client.post(
        "/chat", json=QUESTION, headers={"Origin": "http://test", "Host": "test"}
    )

    assert response.status_code == 200


async def test_a_star_admits_every_origin(
    app_client: ClientFactory, make_settings: MakeSettings
) -> None:
    settings = make_settings(service={"cors_origins": ["*"]})
    async with app_client(settings) as client:
        response = await client.post(
            "/chat", json=QUESTION, headers={"Origin": "https://anywhere.example"}
        )

    assert response.status_code == 200


async def test_routes_that_spend_nothing_are_not_refused(client: httpx.AsyncClient) -> None:
    response = await client.get("/health", headers={"Origin": "https://evil.example"})

    assert response.status_code == 200


async def test_a_refused_origin_is_refused_before_the_rate_limit(
    app_client: ClientFactory, make_settings: MakeSettings
) -> None:
    settings = make_settings(service={"rate_limit": "1/minute"})
    async with app_client(settings) as client:
        refused = [
            await client.post("/chat", json=QUESTION, headers={"Origin": "https://evil.example"})
            for _ in range(3)
        ]
        allowed = await client.post("/chat", json=QUESTION)

    assert [response.status_code for response in refused] == [403, 403, 403]
    assert allowed.status_code == 200
