"""Today's Gemini: the thinking level, the rewrite model, the temperature, and the tokens
(in, out, thinking) in `/metrics` and the request log, checked on the requests the real
SDK sends to the fake Gemini."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from config import Settings
from config.logs import FIELDS
from engine import BookAssistant
from engine.types import ChatQuery, Turn
from tests.support.fake_gemini import (
    OUTPUT_TOKENS,
    PROMPT_TOKENS,
    THOUGHT_TOKENS,
    FakeGemini,
    sent_thinking_level,
)
from tests.support.metrics import sample
from tests.support.settings import ClientFactory, MakeSettings

LOW_THOUGHTS = THOUGHT_TOKENS["LOW"]
QUESTION = {"message": "What does an IMU measure?"}
FOLLOW_UP = {
    "message": "and how is it calibrated?",
    "history": [
        {"role": "user", "content": "What does an IMU measure?"},
        {"role": "assistant", "content": "Acceleration and angular velocity [1]."},
    ],
}


def config_of(fake: FakeGemini, kind: str) -> dict[str, Any]:
    (request,) = fake.of_kind(kind)
    config: dict[str, Any] = request.body.get("generationConfig", {})
    return config


async def test_answers_think_at_the_low_level_by_default(
    client: httpx.AsyncClient, fake: FakeGemini
) -> None:
    assert (await client.post("/chat/stream", json=QUESTION)).status_code == 200

    (request,) = fake.of_kind("stream")
    assert sent_thinking_level(request.body) == "LOW"


async def test_thinking_level_is_configurable(
    app_client: ClientFactory, make_settings: MakeSettings, fake: FakeGemini
) -> None:
    async with app_client(make_settings(gemini={"thinking_level": "HIGH"})) as client:
        assert (await client.post("/chat", json=QUESTION)).status_code == 200

    (request,) = fake.of_kind("generate")
    assert sent_thinking_level(request.body) == "HIGH"


async def test_default_level_sends_none(
    app_client: ClientFactory, make_settings: MakeSettings, fake: FakeGemini
) -> None:
    async with app_client(make_settings(gemini={"thinking_level": "DEFAULT"})) as client:
        assert (await client.post("/chat", json=QUESTION)).status_code == 200

    assert "thinkingConfig" not in config_of(fake, "generate")


async def test_temperature_is_left_to_the_model_by_default(
    client: httpx.AsyncClient, fake: FakeGemini
) -> None:
    assert (await client.post("/chat", json=FOLLOW_UP)).status_code == 200

    assert "temperature" not in config_of(fake, "generate")
    assert "temperature" not in config_of(fake, "condense")


@pytest.mark.parametrize("model", ["gemini-2.5-flash", "my-tuned-model"])
async def test_no_temperature_for_a_model_name_the_wrapper_thinks_older(
    app_client: ClientFactory, make_settings: MakeSettings, fake: FakeGemini, model: str
) -> None:
    # LlamaIndex's wrapper sends its 0.1 default for names it does not know as Gemini 3.
    async with app_client(make_settings(gemini={"llm_model": model})) as client:
        assert (await client.post("/chat", json=QUESTION)).status_code == 200

    assert "temperature" not in config_of(fake, "generate")


async def test_configured_temperature_is_sent(
    app_client: ClientFactory, make_settings: MakeSettings, fake: FakeGemini
) -> None:
    async with app_client(make_settings(gemini={"temperature": 0.3})) as client:
        assert (await client.post("/chat", json=QUESTION)).status_code == 200

    assert config_of(fake, "generate")["temperature"] == 0.3


async def test_follow_up_rewrite_uses_the_rewrite_model_with_minimal_thinking(
    client: httpx.AsyncClient, fake: FakeGemini, settings: Settings
) -> None:
    assert (await client.post("/chat", json=FOLLOW_UP)).status_code == 200

    (rewrite,) = fake.of_kind("condense")
    (answer,) = fake.of_kind("generate")
    assert rewrite.model == settings.gemini.rewrite_model
    assert "flash-lite" in rewrite.model
    assert sent_thinking_level(rewrite.body) == "MINIMAL"
    assert answer.model == settings.gemini.llm_model


async def test_tokens_are_counted_by_kind_and_model(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    assert (await client.post("/chat", json=FOLLOW_UP)).status_code == 200

    text = (await client.get("/metrics")).text
    answer, rewrite = settings.gemini.llm_model, settings.gemini.rewrite_model
    assert sample(text, "bookchat_tokens_total", kind="in", model=answer) == PROMPT_TOKENS
    assert sample(text, "bookchat_tokens_total", kind="out", model=answer) == OUTPUT_TOKENS
    assert sample(text, "bookchat_tokens_total", kind="thinking", model=answer) == LOW_THOUGHTS
    assert sample(text, "bookchat_tokens_total", kind="in", model=rewrite) == PROMPT_TOKENS
    assert sample(text, "bookchat_tokens_total", kind="thinking", model=rewrite) == 0


async def test_stream_thinking_tokens_are_counted(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    assert (await client.post("/chat/stream", json=QUESTION)).status_code == 200

    text = (await client.get("/metrics")).text
    model = settings.gemini.llm_model
    assert sample(text, "bookchat_tokens_total", kind="thinking", model=model) == LOW_THOUGHTS


def request_line(caplog: pytest.LogCaptureFixture, route: str) -> dict[str, Any]:
    for record in caplog.records:
        fields = getattr(record, FIELDS, None)
        if record.name == "service.observability" and fields and fields["route"] == route:
            return dict(fields)
    raise AssertionError(f"no request line for {route}")


async def test_request_log_has_tokens_and_cost_from_the_prices(
    app_client: ClientFactory,
    make_settings: MakeSettings,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="service.observability")
    answer, rewrite = settings.gemini.llm_model, settings.gemini.rewrite_model
    prices = {answer: (2.0, 10.0), rewrite: (1.0, 4.0)}
    async with app_client(make_settings(gemini={"prices": prices})) as client:
        assert (await client.post("/chat", json=FOLLOW_UP)).status_code == 200

    fields = request_line(caplog, "/chat")
    thoughts = LOW_THOUGHTS
    assert fields["tokens"] == {
        "in": 2 * PROMPT_TOKENS,
        "out": 2 * OUTPUT_TOKENS,
        "thinking": thoughts,
    }
    expected = (PROMPT_TOKENS * 2.0 + (OUTPUT_TOKENS + thoughts) * 10.0) / 1e6 + (
        PROMPT_TOKENS * 1.0 + OUTPUT_TOKENS * 4.0
    ) / 1e6
    assert fields["cost_usd"] == pytest.approx(expected, abs=1e-6)


async def test_request_log_has_no_cost_without_prices(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="service.observability")
    assert (await client.post("/chat", json=QUESTION)).status_code == 200

    fields = request_line(caplog, "/chat")
    assert fields["tokens"]["thinking"] == LOW_THOUGHTS
    assert "cost_usd" not in fields


async def test_answer_result_carries_its_usage(settings: Settings) -> None:
    engine = await BookAssistant.open(settings)
    try:
        result = await engine.chat(
            ChatQuery(
                message="and how is it calibrated?",
                history=[
                    Turn("user", "What does an IMU measure?"),
                    Turn("assistant", "Acceleration and angular velocity [1]."),
                ],
            )
        )
    finally:
        await engine.aclose()

    models = [call.model for call in result.usage.calls]
    assert models == [settings.gemini.rewrite_model, settings.gemini.llm_model]
    assert result.usage.thinking == LOW_THOUGHTS


async def test_streamed_answer_carries_its_usage(settings: Settings) -> None:
    engine = await BookAssistant.open(settings)
    try:
        stream = await engine.stream(ChatQuery(message="What does an IMU measure?"))
        async for _ in stream.deltas:
            pass
    finally:
        await engine.aclose()

    assert [call.model for call in stream.usage.calls] == [settings.gemini.llm_model]
    assert (stream.usage.prompt, stream.usage.output) == (PROMPT_TOKENS, OUTPUT_TOKENS)
    assert stream.usage.thinking == LOW_THOUGHTS


def test_prices_setting_reads_model_input_output() -> None:
    from config import GeminiSettings

    gemini = GeminiSettings(_env_file=None, BOOKCHAT_PRICES="a-model=0.5/3, other=0.1/0.4")

    assert gemini.prices == {"a-model": (0.5, 3.0), "other": (0.1, 0.4)}


def test_prices_setting_names_a_bad_entry() -> None:
    from pydantic import ValidationError

    from config import GeminiSettings

    with pytest.raises(ValidationError, match="MODEL=INPUT/OUTPUT"):
        GeminiSettings(_env_file=None, BOOKCHAT_PRICES="a-model=cheap")
