"""POST /chat/stream: the contract's SSE events, in order."""

from __future__ import annotations

import httpx

from tests.support.fake_gemini import FakeGemini
from tests.support.sse import parse_events


async def test_events_come_in_contract_order(client: httpx.AsyncClient) -> None:
    response = await client.post("/chat/stream", json={"message": "What does an IMU measure?"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = parse_events(response.text)
    names = [name for name, _ in events]
    assert names[0] == "sources"
    assert names[-1] == "done"
    assert set(names[1:-1]) == {"delta"}
    assert len(names) > 3


async def test_sources_event_matches_chat_shape(client: httpx.AsyncClient) -> None:
    response = await client.post("/chat/stream", json={"message": "What does an IMU measure?"})

    _, data = parse_events(response.text)[0]
    first = data["source_nodes"][0]
    assert set(first) == {"id", "text", "score", "metadata"}
    assert first["metadata"]["source"] == "sensors/imu.md"


async def test_done_holds_the_whole_answer(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/chat/stream", json={"message": "IMU"}, headers={"X-Request-ID": "stream-1"}
    )

    events = parse_events(response.text)
    deltas = "".join(data["delta"] for name, data in events if name == "delta")
    done = events[-1][1]
    assert done["answer"] == deltas.strip()
    assert "According to [1] sensors/imu.md" in done["answer"]
    assert done["request_id"] == "stream-1"


async def test_stream_headers_defeat_proxy_buffering(client: httpx.AsyncClient) -> None:
    response = await client.post("/chat/stream", json={"message": "IMU"})

    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["x-accel-buffering"] == "no"


async def test_stream_uses_the_streaming_endpoint(
    client: httpx.AsyncClient, fake: FakeGemini
) -> None:
    await client.post("/chat/stream", json={"message": "IMU"})

    assert len(fake.of_kind("stream")) == 1
    assert fake.of_kind("generate") == []


async def test_failure_after_start_is_an_error_event(
    client: httpx.AsyncClient, fake: FakeGemini
) -> None:
    fake.fail("stream", 500)

    response = await client.post("/chat/stream", json={"message": "IMU"})

    events = parse_events(response.text)
    assert [name for name, _ in events] == ["sources", "error"]
    assert events[1][1]["code"] == "upstream_error"


async def test_safety_stop_mid_stream_is_an_error_event(
    client: httpx.AsyncClient, fake: FakeGemini
) -> None:
    fake.finish_reason = "SAFETY"

    response = await client.post("/chat/stream", json={"message": "IMU"})

    names = [name for name, _ in parse_events(response.text)]
    assert names[0] == "sources"
    assert "delta" in names
    assert names[-1] == "error"
    assert parse_events(response.text)[-1][1]["code"] == "answer_blocked"


async def test_retrieval_failure_is_a_plain_status(
    client: httpx.AsyncClient, fake: FakeGemini
) -> None:
    fake.fail("embed", 503)

    response = await client.post("/chat/stream", json={"message": "IMU"})

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "upstream_unavailable"


async def test_blocked_prompt_is_an_error_event_with_the_reason(
    client: httpx.AsyncClient, fake: FakeGemini
) -> None:
    fake.block_reason = "PROHIBITED_CONTENT"

    response = await client.post("/chat/stream", json={"message": "IMU"})

    events = parse_events(response.text)
    assert [name for name, _ in events] == ["sources", "error"]
    assert events[-1][1]["code"] == "answer_blocked"
    assert "PROHIBITED_CONTENT" in events[-1][1]["message"]


async def test_rate_limited_stream_error_carries_the_wait(
    client: httpx.AsyncClient, fake: FakeGemini
) -> None:
    fake.fail("stream", 429)

    response = await client.post("/chat/stream", json={"message": "IMU"})

    name, data = parse_events(response.text)[-1]
    assert name == "error"
    assert data["code"] == "upstream_rate_limited"
    assert data["retry_after"] == 7
