"""Each upstream fault, met through the real SDKs, mapped to its status."""

from __future__ import annotations

import socket
from typing import Any

import httpx
import pytest
from google.genai import errors as genai_errors

from config import Settings
from engine.errors import (
    AnswerBlocked,
    CollectionNotFound,
    UpstreamError,
    UpstreamRateLimited,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from engine.upstream import translate
from service.errors import status_of
from tests.support.errors import assert_error
from tests.support.fake_gemini import FakeGemini
from tests.support.settings import ClientFactory, MakeSettings
from tests.support.sse import parse_events


@pytest.mark.parametrize(
    ("kind", "status", "expected_status", "code"),
    [
        ("embed", 429, 429, "upstream_rate_limited"),
        ("generate", 429, 429, "upstream_rate_limited"),
        ("generate", 500, 502, "upstream_error"),
        ("generate", 400, 502, "upstream_error"),
        ("embed", 500, 502, "upstream_error"),
        ("generate", 503, 503, "upstream_unavailable"),
        ("embed", 503, 503, "upstream_unavailable"),
        ("generate", 504, 504, "upstream_timeout"),
    ],
)
async def test_gemini_error_maps_to_status(
    client: httpx.AsyncClient,
    fake: FakeGemini,
    kind: str,
    status: int,
    expected_status: int,
    code: str,
) -> None:
    fake.fail(kind, status)

    response = await client.post("/chat", json={"message": "IMU"})

    assert_error(response, expected_status, code)


async def test_rate_limit_carries_retry_after(client: httpx.AsyncClient, fake: FakeGemini) -> None:
    fake.fail("generate", 429)

    response = await client.post("/chat", json={"message": "IMU"})

    assert response.headers["retry-after"] == "7"


@pytest.mark.parametrize(
    ("kind", "timeout_setting"), [("generate", "llm_timeout"), ("embed", "embed_timeout")]
)
async def test_gemini_hang_is_504(
    app_client: ClientFactory,
    make_settings: MakeSettings,
    fake: FakeGemini,
    kind: str,
    timeout_setting: str,
) -> None:
    fake.hang.add(kind)
    async with app_client(make_settings(gemini={timeout_setting: 0.5})) as client:
        response = await client.post("/chat", json={"message": "IMU"})

    assert_error(response, 504, "upstream_timeout")


async def test_transient_429_is_retried(
    app_client: ClientFactory, make_settings: MakeSettings, fake: FakeGemini
) -> None:
    fake.fail("generate", 429, times=1)
    settings = make_settings(gemini={"retry_attempts": 2, "retry_initial_delay": 0.05})
    async with app_client(settings) as client:
        response = await client.post("/chat", json={"message": "IMU"})

    assert response.status_code == 200
    assert len(fake.of_kind("generate")) == 2


@pytest.mark.parametrize(
    ("knob", "reason"),
    [("finish_reason", "SAFETY"), ("block_reason", "PROHIBITED_CONTENT")],
    ids=["safety-stop", "blocked-prompt"],
)
async def test_refusal_is_502_with_its_reason_not_an_empty_answer(
    client: httpx.AsyncClient, fake: FakeGemini, knob: str, reason: str
) -> None:
    setattr(fake, knob, reason)

    response = await client.post("/chat", json={"message": "IMU"})

    assert_error(response, 502, "answer_blocked")
    assert reason in response.json()["error"]["message"]


async def test_empty_reply_is_502(client: httpx.AsyncClient, fake: FakeGemini) -> None:
    fake.reply = ""

    response = await client.post("/chat", json={"message": "IMU"})

    assert_error(response, 502, "answer_blocked")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


async def test_gemini_unreachable_is_503(
    app_client: ClientFactory, make_settings: MakeSettings
) -> None:
    settings = make_settings(gemini={"base_url": f"http://127.0.0.1:{closed_port()}"})
    async with app_client(settings) as client:
        response = await client.post("/chat", json={"message": "IMU"})

    assert_error(response, 503, "upstream_unavailable")


async def test_qdrant_unreachable_is_503_and_not_ready(
    app_client: ClientFactory, make_settings: MakeSettings
) -> None:
    settings = make_settings(qdrant={"url": f"http://127.0.0.1:{closed_port()}", "timeout": 1})
    async with app_client(settings) as client:
        chat = await client.post("/chat", json={"message": "IMU"})
        ready = await client.get("/ready")

    assert_error(chat, 503, "upstream_unavailable")
    assert ready.status_code == 503
    assert "Qdrant could not be reached" in ready.json()["reason"]


async def test_secrets_never_reach_logs_or_bodies(
    client: httpx.AsyncClient, fake: FakeGemini, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.support.settings import TEST_KEY

    caplog.set_level("DEBUG")
    fake.fail("generate", 403, message="API key not valid")
    response = await client.post("/chat", json={"message": "IMU"})
    ready = await client.get("/ready")

    assert TEST_KEY not in caplog.text
    assert TEST_KEY not in response.text
    assert TEST_KEY not in ready.text


async def test_gemini_calls_go_through_the_configured_proxy(
    app_client: ClientFactory, make_settings: MakeSettings, fake: FakeGemini
) -> None:
    # The base URL cannot be reached; the fake server, acting as the proxy, answers.
    settings = make_settings(gemini={"base_url": "http://gemini.invalid:9", "proxy": fake.base_url})
    async with app_client(settings) as client:
        response = await client.post("/chat", json={"message": "What does an IMU measure?"})

    assert response.status_code == 200
    assert fake.of_kind("embed")
    assert fake.of_kind("generate")


async def test_proxy_variables_of_the_environment_are_not_read(
    app_client: ClientFactory, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    async with app_client(settings) as client:
        response = await client.post("/chat", json={"message": "What does an IMU measure?"})

    assert response.status_code == 200


def gemini_error(code: int, status: str) -> genai_errors.APIError:
    body: dict[str, Any] = {"error": {"code": code, "status": status, "message": "x"}}
    if code == 429:
        body["error"]["details"] = [{"retryDelay": "12s"}]
    return genai_errors.APIError(code, body)


@pytest.mark.parametrize(
    ("exc", "kind", "status"),
    [
        (gemini_error(429, "RESOURCE_EXHAUSTED"), UpstreamRateLimited, 429),
        (gemini_error(500, "INTERNAL"), UpstreamError, 502),
        (gemini_error(503, "UNAVAILABLE"), UpstreamUnavailable, 503),
        (gemini_error(504, "DEADLINE_EXCEEDED"), UpstreamTimeout, 504),
        (TimeoutError(), UpstreamTimeout, 504),
        (ConnectionRefusedError(), UpstreamUnavailable, 503),
        (RuntimeError("Response was terminated early: RECITATION"), AnswerBlocked, 502),
        (ValueError("Collection book not found"), CollectionNotFound, 503),
    ],
)
def test_upstream_exceptions_map_to_typed_errors(
    exc: BaseException, kind: type, status: int
) -> None:
    mapped = translate(exc)

    assert isinstance(mapped, kind)
    assert mapped is not None
    assert status_of(mapped) == status


def test_retry_after_comes_from_retry_info() -> None:
    mapped = translate(gemini_error(429, "RESOURCE_EXHAUSTED"))

    assert isinstance(mapped, UpstreamRateLimited)
    assert mapped.retry_after == 12


@pytest.mark.parametrize(
    "exc", [RuntimeError("something else"), ValueError("bad value"), KeyError("x")]
)
def test_bugs_are_not_translated(exc: BaseException) -> None:
    assert translate(exc) is None


# ------------------------------------------------------------ faults inside a 200 reply
STREAMED = {"message": "What does an IMU measure?"}


@pytest.mark.parametrize("garble", ["malformed", "truncated"])
async def test_garbled_json_is_502_upstream_error_logged_in_one_line(
    client: httpx.AsyncClient,
    fake: FakeGemini,
    caplog: pytest.LogCaptureFixture,
    garble: str,
) -> None:
    caplog.set_level("INFO")
    fake.garble = garble

    response = await client.post("/chat", json={"message": "IMU"})

    assert_error(response, 502, "upstream_error")
    assert "not valid JSON" in response.json()["error"]["message"]
    assert not [r for r in caplog.records if r.levelname == "ERROR" or r.exc_info]


@pytest.mark.parametrize("garble", ["malformed", "truncated"])
async def test_garbled_json_mid_stream_is_an_error_event(
    client: httpx.AsyncClient, fake: FakeGemini, caplog: pytest.LogCaptureFixture, garble: str
) -> None:
    caplog.set_level("INFO")
    fake.garble = garble

    response = await client.post("/chat/stream", json=STREAMED)

    events = parse_events(response.text)
    assert [name for name, _ in events if name != "delta"] == ["sources", "error"]
    assert events[-1][1]["code"] == "upstream_error"
    assert not [r for r in caplog.records if r.levelname == "ERROR" or r.exc_info]


async def test_stream_without_finish_reason_ends_with_error_not_done(
    client: httpx.AsyncClient, fake: FakeGemini
) -> None:
    fake.no_finish = True

    response = await client.post("/chat/stream", json=STREAMED)

    events = parse_events(response.text)
    assert "done" not in [name for name, _ in events]
    assert events[-1][0] == "error"
    assert events[-1][1]["code"] == "upstream_error"
    assert "finishReason" in events[-1][1]["message"]


@pytest.mark.parametrize("reason", ["MAX_TOKENS", "RECITATION", "SAFETY"])
async def test_early_stop_mid_stream_withdraws_the_partial_answer(
    client: httpx.AsyncClient, fake: FakeGemini, reason: str
) -> None:
    fake.finish_reason = reason

    response = await client.post("/chat/stream", json=STREAMED)

    events = parse_events(response.text)
    names = [name for name, _ in events]
    assert "delta" in names  # the partial text had reached the reader
    assert names[-1] == "error"
    assert events[-1][1]["code"] == "answer_blocked"
    assert reason in events[-1][1]["message"]
    assert events[-1][1]["withdrawn"] is True


async def test_error_before_any_delta_withdraws_nothing(
    client: httpx.AsyncClient, fake: FakeGemini
) -> None:
    fake.reply, fake.finish_reason = "Partial", "SAFETY"  # one chunk, stopped

    response = await client.post("/chat/stream", json=STREAMED)

    events = parse_events(response.text)
    assert [name for name, _ in events] == ["sources", "error"]
    assert events[-1][1]["withdrawn"] is False


@pytest.mark.parametrize("reason", ["MAX_TOKENS", "RECITATION"])
async def test_early_stop_is_no_answer_on_chat(
    client: httpx.AsyncClient, fake: FakeGemini, reason: str
) -> None:
    fake.finish_reason = reason

    response = await client.post("/chat", json=STREAMED)

    assert_error(response, 502, "answer_blocked")
    assert "According to" not in response.text  # the partial text the fake sent
    assert fake.of_kind("generate")
