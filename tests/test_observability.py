"""Metrics, `Server-Timing` and the one log line per request (issue 16)."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest

from config.logs import FIELDS
from tests.support.fake_gemini import FakeGemini
from tests.support.metrics import sample
from tests.support.settings import ClientFactory, MakeSettings
from tests.support.sse import parse_events

QUESTION = {"message": "How do I configure the robot's network?"}
FOLLOW_UP = {
    "message": "and the port?",
    "history": [
        {"role": "user", "content": "How does the service discover robots?"},
        {"role": "assistant", "content": "Through multicast [1]."},
    ],
}


async def metrics_of(client: httpx.AsyncClient, **headers: str) -> str:
    response = await client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


async def test_chat_is_counted_with_its_stages_tokens_and_outcome(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.post("/chat", json=QUESTION)).status_code == 200

    text = await metrics_of(client)
    assert sample(text, "bookchat_requests_total", route="/chat", status="200") == 1
    assert sample(text, "bookchat_request_duration_seconds_count", route="/chat") == 1
    for stage in ("embed", "search", "generation"):
        assert sample(text, "bookchat_stage_duration_seconds_count", stage=stage) == 1, stage
    assert sample(text, "bookchat_stage_duration_seconds_count", stage="condense") == 0
    # The fake Gemini reports 10 tokens in and 5 out with each finished answer.
    assert sample(text, "bookchat_tokens_total", kind="in") == 10
    assert sample(text, "bookchat_tokens_total", kind="out") == 5
    assert sample(text, "bookchat_answers_total", outcome="answered") == 1
    assert sample(text, "bookchat_answers_total", outcome="not_in_book") == 0


async def test_follow_up_rewrite_is_the_condense_stage(client: httpx.AsyncClient) -> None:
    response = await client.post("/chat", json=FOLLOW_UP)

    assert "condense;dur=" in response.headers["server-timing"]
    text = await metrics_of(client)
    assert sample(text, "bookchat_stage_duration_seconds_count", stage="condense") == 1


async def test_not_in_book_is_its_own_outcome(client: httpx.AsyncClient, fake: FakeGemini) -> None:
    fake.not_in_book = True
    assert (await client.post("/chat", json=QUESTION)).json()["outcome"] == "not_in_book"

    text = await metrics_of(client)
    assert sample(text, "bookchat_answers_total", outcome="not_in_book") == 1
    assert sample(text, "bookchat_answers_total", outcome="answered") == 0


async def test_upstream_errors_are_counted_by_kind(
    client: httpx.AsyncClient, fake: FakeGemini
) -> None:
    fake.fail("generate", 500)
    assert (await client.post("/chat", json=QUESTION)).status_code == 502

    text = await metrics_of(client)
    assert sample(text, "bookchat_upstream_errors_total", kind="upstream_error") == 1
    assert sample(text, "bookchat_requests_total", route="/chat", status="502") == 1


async def test_server_timing_names_the_stages_of_a_chat(client: httpx.AsyncClient) -> None:
    response = await client.post("/chat", json=QUESTION)

    names = [part.split(";")[0].strip() for part in response.headers["server-timing"].split(",")]
    assert names == ["embed", "search", "generation", "grounding", "total"]


async def test_stream_carries_the_stages_before_its_first_event(
    client: httpx.AsyncClient,
) -> None:
    async with client.stream("POST", "/chat/stream", json=QUESTION) as response:
        timing = response.headers["server-timing"]
        events = parse_events("".join([chunk async for chunk in response.aiter_text()]))

    assert "embed;dur=" in timing
    assert "search;dur=" in timing
    assert "generation" not in timing  # not begun when the headers left
    assert events[-1][0] == "done"
    text = await metrics_of(client)
    assert sample(text, "bookchat_stage_duration_seconds_count", stage="first_token") == 1
    assert sample(text, "bookchat_stage_duration_seconds_count", stage="generation") == 1
    assert sample(text, "bookchat_answers_total", outcome="answered") == 1


async def test_unknown_paths_share_one_label(client: httpx.AsyncClient) -> None:
    for path in ("/nope", "/x/1", "/x/2"):
        assert (await client.get(path)).status_code == 404

    text = await metrics_of(client)
    assert sample(text, "bookchat_requests_total", route="unmatched", status="404") == 3
    assert "/x/1" not in text


async def test_unknown_methods_share_one_label(client: httpx.AsyncClient) -> None:
    for method in ("PROPFIND", "BREW"):
        assert (await client.request(method, "/chat")).status_code == 405

    text = await metrics_of(client)
    assert sample(text, "bookchat_requests_total", route="/chat", method="other") == 2
    assert "PROPFIND" not in text


async def test_metrics_can_be_turned_off(
    app_client: ClientFactory, make_settings: MakeSettings
) -> None:
    async with app_client(make_settings(service={"metrics": False})) as client:
        assert (await client.get("/metrics")).status_code == 404


async def test_metrics_are_behind_the_api_keys(
    app_client: ClientFactory, make_settings: MakeSettings
) -> None:
    settings = make_settings(service={"api_keys": ["reader-key-123"]})
    async with app_client(settings) as client:
        refused = await client.get("/metrics")
        assert refused.status_code == 401
        assert refused.json()["error"]["code"] == "unauthorized"
        await metrics_of(client, authorization="Bearer reader-key-123")


async def test_a_metrics_key_opens_metrics_only(
    app_client: ClientFactory, make_settings: MakeSettings
) -> None:
    settings = make_settings(
        service={"api_keys": ["reader-key-123"], "metrics_key": "scraper-key-456"}
    )
    async with app_client(settings) as client:
        await metrics_of(client, authorization="Bearer scraper-key-456")
        assert (await client.get("/metrics", headers={"x-api-key": "wrong"})).status_code == 401
        chat = await client.post("/chat", json=QUESTION, headers={"x-api-key": "scraper-key-456"})
        assert chat.status_code == 401


async def test_metrics_key_guards_metrics_without_api_keys(
    app_client: ClientFactory, make_settings: MakeSettings
) -> None:
    async with app_client(make_settings(service={"metrics_key": "scraper-key-456"})) as client:
        assert (await client.get("/metrics")).status_code == 401
        assert (await client.post("/chat", json=QUESTION)).status_code == 200


def request_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "service.observability"]


async def test_one_log_line_per_request_without_the_readers_text(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    response = await client.post("/chat", json=QUESTION)

    lines = request_lines(caplog)
    assert len(lines) == 1
    fields = getattr(lines[0], FIELDS)
    assert fields["request_id"] == response.headers["x-request-id"]
    assert (fields["route"], fields["status"], fields["outcome"]) == ("/chat", 200, "answered")
    assert set(fields["stages_ms"]) == {"embed", "search", "generation", "grounding"}
    assert fields["duration_ms"] > 0
    logged = " ".join(r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)
    assert "network" not in logged
    assert "question" not in fields


async def test_readers_text_is_logged_when_a_setting_says_so(
    app_client: ClientFactory, make_settings: MakeSettings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    async with app_client(make_settings(service={"log_reader_text": True})) as client:
        await client.post("/chat", json=QUESTION)

    (line,) = request_lines(caplog)
    assert getattr(line, FIELDS)["question"] == QUESTION["message"]
    assert QUESTION["message"] in line.getMessage()


async def test_health_probes_log_at_debug(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await asyncio.gather(*(client.get("/health") for _ in range(3)))

    assert request_lines(caplog) == []
