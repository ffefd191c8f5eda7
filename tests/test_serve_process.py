"""End to end: a real `bookchat serve` process (uvicorn) over a real socket."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest

from tests.support.fake_gemini import FakeGemini
from tests.support.processes import Server, bookchat, service_env
from tests.support.sse import parse_events

pytestmark = pytest.mark.e2e


def test_chat_over_a_socket(server: Server) -> None:
    url = server()

    response = httpx.post(f"{url}/chat", json={"message": "What does an IMU measure?"}, timeout=30)

    assert response.status_code == 200
    assert response.json()["source_nodes"][0]["metadata"]["source"] == "sensors/imu.md"
    assert httpx.get(f"{url}/ready", timeout=10).json()["status"] == "ready"


def test_stream_over_a_socket_arrives_incrementally(server: Server, fake: FakeGemini) -> None:
    url = server()
    fake.token_delay = 0.05
    fake.stream_chunks = 10
    arrivals: list[float] = []
    body = []
    with httpx.stream(
        "POST", f"{url}/chat/stream", json={"message": "IMU"}, timeout=30
    ) as response:
        for chunk in response.iter_text():
            arrivals.append(time.monotonic())
            body.append(chunk)

    events = parse_events("".join(body))
    assert events[0][0] == "sources"
    assert events[-1][0] == "done"
    assert len([name for name, _ in events if name == "delta"]) == 10
    assert len(arrivals) > 2  # not one buffered blob


def test_client_disconnect_stops_the_generation(server: Server, fake: FakeGemini) -> None:
    url = server()
    fake.token_delay = 0.1
    fake.stream_chunks = 100
    with httpx.stream(
        "POST", f"{url}/chat/stream", json={"message": "IMU"}, timeout=30
    ) as response:
        for line in response.iter_lines():
            if line.startswith("event: delta"):
                break

    fake.wait_for_abort()
    assert fake.streams_aborted == 1
    assert fake.streams_completed == 0
    assert fake.chunks_sent < 100


def test_silent_model_gets_ping_comments(server: Server, fake: FakeGemini) -> None:
    url = server(BOOKCHAT_STREAM_PING_SECONDS="0.2")
    fake.first_token_delay = 1.0
    with httpx.stream(
        "POST", f"{url}/chat/stream", json={"message": "IMU"}, timeout=30
    ) as response:
        lines = list(response.iter_lines())

    first_delta = next(i for i, line in enumerate(lines) if line == "event: delta")
    assert any(line.startswith(":") for line in lines[:first_delta])


def test_dimension_mismatch_exits_with_one_line(fake: FakeGemini, qdrant_path: Path) -> None:
    result = bookchat("serve", env=service_env(fake, qdrant_path, BOOKCHAT_EMBED_DIM="1536"))

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("bookchat: collection 'book' has vectors of size 768")
    assert "1536" in lines[-1]
    assert "Traceback" not in result.stderr


def test_bad_setting_exits_with_one_line(fake: FakeGemini, qdrant_path: Path) -> None:
    result = bookchat("serve", env=service_env(fake, qdrant_path, BOOKCHAT_TOP_K="99"))

    assert result.returncode == 2
    assert result.stderr.strip() == (
        "bookchat: invalid configuration: BOOKCHAT_TOP_K: Input should be less than or equal to 20"
    )


def test_ask_json_has_the_chat_shape(fake: FakeGemini, qdrant_path: Path) -> None:
    result = bookchat(
        "ask", "What does an IMU measure?", "--json", env=service_env(fake, qdrant_path)
    )

    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert set(body) == {
        "answer",
        "outcome",
        "retrieval_query",
        "source_nodes",
        "help",
        "sentences",
        "request_id",
    }
    assert body["source_nodes"][0]["metadata"]["source"] == "sensors/imu.md"
