"""Answers that hold up in a conversation, over the real SDKs and the fake Gemini:
follow-up rewrites, checked citations, "not in the book", the reader's page."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from engine.answering import NOT_IN_BOOK_ANSWER
from tests.support.fake_gemini import FakeGemini
from tests.support.settings import ClientFactory, MakeSettings
from tests.support.sse import parse_events

ESTOP_HISTORY = [
    {"role": "user", "content": "What does the emergency stop button do?"},
    {"role": "assistant", "content": "It cuts motor power through a safety relay [1]."},
]


def embedded_queries(fake: FakeGemini) -> list[str]:
    """The questions embedded (not the answer's sentences, which grounding embeds)."""
    return [
        " ".join(p["text"] for p in request["content"]["parts"])
        for call in fake.of_kind("embed")
        for request in call.body["requests"]
        if request.get("taskType") == "RETRIEVAL_QUERY"
    ]


# ----------------------------------------------------------------------- follow-ups
async def test_follow_up_is_rewritten_and_retrieval_uses_the_rewrite(
    client: httpx.AsyncClient, fake: FakeGemini
) -> None:
    response = await client.post(
        "/chat", json={"message": "And how do I restart it?", "history": ESTOP_HISTORY}
    )

    body = response.json()
    (rewrite,) = fake.of_kind("condense")
    prompt = rewrite.body["contents"][0]["parts"][0]["text"]
    assert "user: What does the emergency stop button do?" in prompt
    assert prompt.endswith("Follow-up: And how do I restart it?")
    assert body["retrieval_query"] == (
        "What does the emergency stop button do? And how do I restart it?"
    )
    assert embedded_queries(fake) == [body["retrieval_query"]]
    assert body["source_nodes"][0]["metadata"]["source"] == "safety/estop.md"


async def test_without_history_there_is_no_rewrite(
    client: httpx.AsyncClient, fake: FakeGemini
) -> None:
    response = await client.post("/chat", json={"message": "And how do I restart it?"})

    assert response.json()["retrieval_query"] == "And how do I restart it?"
    assert fake.of_kind("condense") == []
    assert len(fake.of_kind("generate")) == 1


async def test_history_with_only_assistant_turns_is_not_a_follow_up(
    client: httpx.AsyncClient, fake: FakeGemini
) -> None:
    history = [{"role": "assistant", "content": "Ask me about the book."}]
    response = await client.post("/chat", json={"message": "IMU?", "history": history})

    assert response.json()["retrieval_query"] == "IMU?"
    assert fake.of_kind("condense") == []


async def test_failed_rewrite_falls_back_to_the_message(
    client: httpx.AsyncClient, fake: FakeGemini, caplog: pytest.LogCaptureFixture
) -> None:
    fake.fail("condense", 500)

    response = await client.post(
        "/chat", json={"message": "And how do I restart it?", "history": ESTOP_HISTORY}
    )

    assert response.status_code == 200
    assert response.json()["retrieval_query"] == "And how do I restart it?"
    assert embedded_queries(fake) == ["And how do I restart it?"]
    assert "follow-up rewrite failed (upstream_error)" in caplog.text


async def test_slow_rewrite_times_out_and_falls_back(
    app_client: ClientFactory, make_settings: MakeSettings, fake: FakeGemini
) -> None:
    fake.hang.add("condense")
    settings = make_settings(engine={"followup_timeout": 0.3})
    async with app_client(settings) as client:
        response = await client.post(
            "/chat", json={"message": "And how do I restart it?", "history": ESTOP_HISTORY}
        )

    assert response.status_code == 200
    assert response.json()["retrieval_query"] == "And how do I restart it?"


async def test_follow_up_rewrite_in_a_stream(client: httpx.AsyncClient, fake: FakeGemini) -> None:
    response = await client.post(
        "/chat/stream", json={"message": "And how do I restart it?", "history": ESTOP_HISTORY}
    )

    events = dict(parse_events(response.text))
    assert events["done"]["retrieval_query"].endswith("And how do I restart it?")
    assert len(fake.of_kind("condense")) == 1


# ------------------------------------------------------------------------ citations
async def test_passages_reach_the_model_numbered(
    client: httpx.AsyncClient, fake: FakeGemini
) -> None:
    await client.post("/chat", json={"message": "What does an IMU measure?", "top_k": 3})

    system = fake.of_kind("generate")[-1].body["systemInstruction"]["parts"][0]["text"]
    assert "[1] source: sensors/imu.md" in system
    assert "[2] source: " in system
    assert "[3] source: " in system
    assert "[4] source: " not in system
    assert "NOT_IN_BOOK" in system


async def test_bogus_marker_is_removed_and_cited_flags_are_set(
    client: httpx.AsyncClient, fake: FakeGemini
) -> None:
    fake.cite = (1, 9)

    body = (await client.post("/chat", json={"message": "What does an IMU measure?"})).json()

    assert "According to [1] sensors/imu.md" in body["answer"]
    assert "[9]" not in body["answer"]
    assert [node["cited"] for node in body["source_nodes"]] == [True, False, False, False, False]
    assert body["outcome"] == "answered"


async def test_bogus_marker_never_reaches_a_stream_reader(
    client: httpx.AsyncClient, fake: FakeGemini
) -> None:
    fake.cite = (9, 2)
    fake.stream_chunks = 40  # the reply is cut into many small pieces

    response = await client.post("/chat/stream", json={"message": "What does an IMU measure?"})

    events = parse_events(response.text)
    deltas = "".join(data["delta"] for name, data in events if name == "delta")
    done = events[-1][1]
    assert "[9]" not in deltas
    assert "[2]" in deltas
    assert done["cited"] == [2]
    assert done["answer"] == deltas.strip()
    assert done["outcome"] == "answered"


async def test_stream_and_whole_answer_agree(client: httpx.AsyncClient, fake: FakeGemini) -> None:
    fake.cite = (1, 7, 3)
    payload: dict[str, Any] = {"message": "What does an IMU measure?", "top_k": 3}

    whole = (await client.post("/chat", json=payload)).json()
    streamed = parse_events((await client.post("/chat/stream", json=payload)).text)[-1][1]

    assert streamed["answer"] == whole["answer"]
    assert streamed["cited"] == [
        n for n, node in enumerate(whole["source_nodes"], 1) if node["cited"]
    ]
    assert streamed["cited"] == [1, 3]


# -------------------------------------------------------------------- not in the book
async def test_gate_with_no_passage_left_is_not_in_book_without_the_llm(
    app_client: ClientFactory, make_settings: MakeSettings, fake: FakeGemini
) -> None:
    async with app_client(make_settings(engine={"min_score": 0.99})) as client:
        whole = (await client.post("/chat", json={"message": "Who won the 2018 World Cup?"})).json()
        stream = await client.post("/chat/stream", json={"message": "Who won the World Cup?"})

    assert whole["outcome"] == "not_in_book"
    assert whole["answer"] == NOT_IN_BOOK_ANSWER
    assert whole["source_nodes"] == []
    events = parse_events(stream.text)
    assert events[0] == ("sources", {"source_nodes": []})
    assert events[-1][1]["outcome"] == "not_in_book"
    assert fake.of_kind("generate") == fake.of_kind("stream") == []


async def test_model_judged_not_in_book_gives_the_fixed_wording(
    client: httpx.AsyncClient, fake: FakeGemini
) -> None:
    fake.not_in_book = True

    whole = (await client.post("/chat", json={"message": "What does an IMU cost?"})).json()
    stream = await client.post("/chat/stream", json={"message": "What does an IMU cost?"})

    assert whole["outcome"] == "not_in_book"
    assert whole["answer"] == NOT_IN_BOOK_ANSWER
    assert not any(node["cited"] for node in whole["source_nodes"])
    events = parse_events(stream.text)
    deltas = "".join(data["delta"] for name, data in events if name == "delta")
    assert "NOT_IN_BOOK" not in deltas
    assert deltas == NOT_IN_BOOK_ANSWER
    assert events[-1][1]["outcome"] == "not_in_book"
    assert events[-1][1]["cited"] == []


# ------------------------------------------------------------------------ the page
async def ranked(client: httpx.AsyncClient, **payload: Any) -> list[str]:
    response = await client.post("/chat", json={"message": "robot motor power", **payload})
    assert response.status_code == 200, response.text
    return [node["metadata"]["source"] for node in response.json()["source_nodes"]]


@pytest.mark.parametrize("page", ["sensors/lidar.md", "/sensors/lidar", "/sensors/lidar/"])
async def test_page_passages_are_preferred(client: httpx.AsyncClient, page: str) -> None:
    plain = await ranked(client, top_k=3)
    preferred = await ranked(client, top_k=3, page=page)

    assert "sensors/lidar.md" not in plain
    assert "sensors/lidar.md" in preferred
    assert preferred[0] == plain[0]  # a better passage elsewhere is not shut out


async def test_page_preference_keeps_the_filters(client: httpx.AsyncClient) -> None:
    sources = await ranked(
        client, page="sensors/lidar.md", filters={"source": ["safety/estop.md", "ros2/topics.md"]}
    )

    assert set(sources) <= {"safety/estop.md", "ros2/topics.md"}


async def test_unknown_page_changes_nothing(client: httpx.AsyncClient) -> None:
    assert await ranked(client, page="/no/such/page") == await ranked(client)
