"""Questions that mean what the reader means: a follow-up is rewritten only when it leans
on its context, and a question that leans on the reader's page is made standalone with
the page's title and section, its passages first (`engine.followups`)."""

from __future__ import annotations

import httpx
import pytest

from engine.followups import leans_on_context
from tests.support.fake_gemini import FakeGemini

ESTOP_HISTORY = [
    {"role": "user", "content": "What does the emergency stop button do?"},
    {"role": "assistant", "content": "It cuts motor power through a safety relay [1]."},
]


@pytest.mark.parametrize(
    "message",
    [
        "How is it configured and started?",
        "Why does that happen?",
        "What about mirrors?",
        "And which kind should a humanoid use?",
        "Why only the first one?",
        "At what charge should the spare ones be kept?",
        "Explain this.",
    ],
)
def test_a_message_that_points_outside_itself_leans_on_its_context(message: str) -> None:
    assert leans_on_context(message)


@pytest.mark.parametrize(
    "message",
    [
        "What does a gyroscope in an IMU measure?",
        "What is ROS_DOMAIN_ID used for?",
        "How does a series elastic actuator measure torque?",
        "Which motor drives the knee joint of a humanoid?",
    ],
)
def test_a_self_contained_question_does_not_lean_on_its_context(message: str) -> None:
    assert not leans_on_context(message)


async def test_a_self_contained_follow_up_costs_no_rewrite(
    client: httpx.AsyncClient, fake: FakeGemini
) -> None:
    message = "What does a lidar scanner measure?"

    body = (await client.post("/chat", json={"message": message, "history": ESTOP_HISTORY})).json()

    assert fake.of_kind("condense") == []
    assert body["retrieval_query"] == message


async def test_a_question_leaning_on_the_page_is_rewritten_with_its_title(
    client: httpx.AsyncClient, fake: FakeGemini
) -> None:
    await client.post(
        "/chat", json={"message": "How does it see glass?", "page": "sensors/lidar.md"}
    )

    (rewrite,) = fake.of_kind("condense")
    prompt = rewrite.body["contents"][0]["parts"][0]["text"]
    assert "The reader is on the page: " in prompt
    assert prompt.endswith("Follow-up: How does it see glass?")


async def test_a_self_contained_question_on_a_page_is_not_rewritten(
    client: httpx.AsyncClient, fake: FakeGemini
) -> None:
    await client.post(
        "/chat", json={"message": "What does the emergency stop do?", "page": "sensors/lidar.md"}
    )

    assert fake.of_kind("condense") == []


async def test_the_page_ranks_first_for_a_question_leaning_on_it(
    client: httpx.AsyncClient,
) -> None:
    payload = {"message": "How does it cut robot motor power?", "top_k": 3}

    plain = (await client.post("/chat", json=payload)).json()
    paged = (await client.post("/chat", json={**payload, "page": "sensors/lidar.md"})).json()

    assert plain["source_nodes"][0]["metadata"]["source"] != "sensors/lidar.md"
    assert paged["source_nodes"][0]["metadata"]["source"] == "sensors/lidar.md"
