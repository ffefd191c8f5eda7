"""The answer step: what of the conversation and the reader's selection the model is given."""

from __future__ import annotations

import httpx

from engine.answering import recent_turns
from engine.types import Turn
from tests.support.fake_gemini import FakeGemini


async def test_a_selection_is_answered_when_retrieval_finds_nothing(
    client: httpx.AsyncClient, fake: FakeGemini
) -> None:
    response = await client.post(
        "/chat",
        json={
            "message": "Why does this happen?",
            "selected_text": "Gyroscopes drift over time.",
            "filters": {"source": "no/such/page.md"},
        },
    )

    assert response.status_code == 200
    assert response.json()["outcome"] == "answered"
    assert response.json()["source_nodes"] == []
    (call,) = fake.of_kind("generate")
    assert "Gyroscopes drift over time." in call.body["systemInstruction"]["parts"][0]["text"]


def test_history_keeps_the_last_turns_within_the_message_bound() -> None:
    history = [Turn("user" if i % 2 == 0 else "assistant", f"turn {i}") for i in range(10)]

    assert recent_turns(history, max_messages=4, token_limit=1000) == history[-4:]


def test_history_over_the_token_bound_loses_its_oldest_turns_first() -> None:
    history = [Turn("user", "a" * 300), Turn("assistant", "b" * 300), Turn("user", "c" * 300)]

    # 256 tokens: about 768 characters, room for two of the three turns
    kept = recent_turns(history, max_messages=20, token_limit=256)

    assert kept == history[2:]  # the answer left leading is dropped with its question


def test_history_never_starts_with_an_answer_once_cut() -> None:
    history = [
        Turn("user", "a" * 500),
        Turn("assistant", "b" * 100),
        Turn("user", "c" * 100),
        Turn("assistant", "d" * 100),
    ]

    kept = recent_turns(history, max_messages=20, token_limit=256)

    assert kept == history[2:]


def test_one_turn_over_the_token_bound_alone_is_kept() -> None:
    history = [Turn("user", "short"), Turn("user", "x" * 5000)]

    assert recent_turns(history, max_messages=20, token_limit=256) == history[-1:]


def test_no_history_when_the_message_bound_is_zero() -> None:
    assert recent_turns([Turn("user", "hi")], max_messages=0, token_limit=1000) == []
