"""Questions asked at the same moment are embedded by one upstream call."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from config import Settings
from engine import BookAssistant, ChatQuery
from engine.providers.batching import QuestionBatcher
from tests.support.fake_gemini import FakeGemini
from tests.support.settings import MakeSettings

QUESTIONS = [
    "What does an IMU measure?",
    "How do I set ROS_DOMAIN_ID?",
    "What is a launch file?",
    "How does a PID controller work?",
    "What is SLAM?",
    "Which sensors does the robot carry?",
]


class Upstream:
    """An `embed_many` that records its calls; vectors are the question's length."""

    def __init__(self, release: asyncio.Event | None = None, error: Exception | None = None):
        self.calls: list[list[str]] = []
        self.called = asyncio.Event()
        self.cancelled = 0
        self._release = release
        self._error = error

    async def __call__(self, questions: list[str]) -> list[list[float]]:
        self.calls.append(list(questions))
        self.called.set()
        try:
            if self._release is not None:
                await self._release.wait()
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
        if self._error is not None:
            raise self._error
        return [[float(len(question))] for question in questions]


async def test_questions_of_one_loop_turn_go_in_one_call() -> None:
    upstream = Upstream()
    batcher = QuestionBatcher(upstream, limit=100)
    asked = ["a", "bb", "a", "ccc"]

    vectors = await asyncio.gather(*(batcher.embed(q) for q in asked))

    assert upstream.calls == [["a", "bb", "ccc"]]  # the same question once
    assert vectors == [[1.0], [2.0], [1.0], [3.0]]


async def test_a_lone_question_is_sent_on_its_own() -> None:
    upstream = Upstream()
    batcher = QuestionBatcher(upstream, limit=100)

    assert await batcher.embed("alone") == [5.0]
    assert await batcher.embed("later") == [5.0]
    assert upstream.calls == [["alone"], ["later"]]


async def test_a_call_carries_at_most_limit_questions() -> None:
    upstream = Upstream()
    batcher = QuestionBatcher(upstream, limit=3)

    await asyncio.gather(*(batcher.embed(str(n) * n) for n in range(1, 8)))

    assert [len(call) for call in upstream.calls] == [3, 3, 1]


async def test_an_upstream_error_reaches_every_question_of_the_call() -> None:
    batcher = QuestionBatcher(Upstream(error=RuntimeError("503 from upstream")), limit=100)

    results = await asyncio.gather(
        batcher.embed("one"), batcher.embed("two"), return_exceptions=True
    )

    assert [str(result) for result in results] == ["503 from upstream"] * 2


async def test_a_request_that_leaves_does_not_cancel_the_others() -> None:
    release = asyncio.Event()
    upstream = Upstream(release)
    batcher = QuestionBatcher(upstream, limit=100)
    leaving = asyncio.create_task(batcher.embed("leaves"))
    staying = asyncio.create_task(batcher.embed("stays"))
    await upstream.called.wait()

    leaving.cancel()
    release.set()

    assert await staying == [5.0]
    assert leaving.cancelled()
    assert upstream.cancelled == 0


async def test_the_call_is_cancelled_when_every_request_has_left() -> None:
    upstream = Upstream(asyncio.Event())  # never released
    batcher = QuestionBatcher(upstream, limit=100)
    waiting = [asyncio.create_task(batcher.embed(q)) for q in ("one", "two")]
    await upstream.called.wait()

    for task in waiting:
        task.cancel()
    await asyncio.gather(*waiting, return_exceptions=True)
    await batcher.aclose()

    assert upstream.cancelled == 1


async def test_each_request_sends_its_next_call_before_the_next_request_wakes() -> None:
    # aiohttp writes a request from a task of its own, scheduled behind what is ready:
    # woken together, every request of a batch did its work before any call left.
    batcher = QuestionBatcher(Upstream(), limit=100)
    events: list[str] = []

    async def send(n: int) -> None:
        events.append(f"sent {n}")

    async def request(n: int) -> None:
        await batcher.embed(str(n) * (n + 1))
        events.append(f"woke {n}")
        sending = asyncio.get_running_loop().create_task(send(n))  # as aiohttp does
        await sending

    await asyncio.gather(*(request(n) for n in range(3)))

    assert events == ["woke 0", "sent 0", "woke 1", "sent 1", "woke 2", "sent 2"]


async def test_a_request_that_left_is_skipped_when_the_vectors_are_handed_out() -> None:
    release = asyncio.Event()
    batcher = QuestionBatcher(Upstream(release), limit=100)
    first = asyncio.ensure_future(batcher.embed("gone"))
    second = asyncio.ensure_future(batcher.embed("stays"))
    await asyncio.sleep(0)
    first.cancel()
    release.set()

    assert await second == [5.0]
    assert first.cancelled()


def test_a_batch_holds_at_least_one_question() -> None:
    with pytest.raises(ValueError, match="at least one"):
        QuestionBatcher(Upstream(), limit=0)


# ---------------------------------------------------------------- over the real SDK
@asynccontextmanager
async def warm_assistant(settings: Settings) -> AsyncIterator[BookAssistant]:
    """An assistant whose connections and caches a first question has warmed."""
    assistant = await BookAssistant.open(settings)
    try:
        await assistant.retrieve(ChatQuery("warm up"))
        yield assistant
    finally:
        await assistant.aclose()


async def test_concurrent_questions_share_one_batch_call_and_get_their_own_passages(
    make_settings: MakeSettings, fake: FakeGemini
) -> None:
    async with warm_assistant(make_settings()) as assistant:
        fake.reset()
        together = await asyncio.gather(*(assistant.retrieve(ChatQuery(q)) for q in QUESTIONS))
        calls_together = fake.of_kind("embed")
        alone = [await assistant.retrieve(ChatQuery(q)) for q in QUESTIONS]

    assert len(calls_together) == 1
    texts = [
        part["text"]
        for request in calls_together[0].body["requests"]
        for part in request["content"]["parts"]
    ]
    assert texts == QUESTIONS
    assert len(fake.of_kind("embed")) == 1 + len(QUESTIONS)  # one each when asked alone
    for batched, single in zip(together, alone, strict=True):
        assert [s.id for s in batched.sources] == [s.id for s in single.sources]
        assert [s.score for s in batched.sources] == pytest.approx(
            [s.score for s in single.sources]
        )


async def test_an_upstream_error_fails_each_request_of_the_batch_with_its_status(
    make_settings: MakeSettings, fake: FakeGemini
) -> None:
    async with warm_assistant(make_settings(gemini={"retry_attempts": 1})) as assistant:
        fake.fail("embed", 429, times=1)
        results = await asyncio.gather(
            *(assistant.retrieve(ChatQuery(q)) for q in QUESTIONS[:3]), return_exceptions=True
        )

    assert [getattr(result, "code", None) for result in results] == ["upstream_rate_limited"] * 3


async def test_the_upstream_call_ends_when_every_request_of_its_batch_left(
    make_settings: MakeSettings, fake: FakeGemini
) -> None:
    try:
        async with warm_assistant(make_settings()) as assistant:
            fake.hang.add("embed")
            first, second = (
                asyncio.create_task(assistant.retrieve(ChatQuery(q))) for q in QUESTIONS[:2]
            )
            for _ in range(500):  # until the fake holds the call
                if fake.embeds_in_flight:
                    break
                await asyncio.sleep(0.01)

            first.cancel()
            await asyncio.sleep(0.2)
            still_open = fake.embeds_in_flight
            second.cancel()
            await asyncio.gather(first, second, return_exceptions=True)
            for _ in range(500):  # the fake sees the connection close
                if fake.embeds_in_flight == 0:
                    break
                await asyncio.sleep(0.01)
    finally:
        fake.hang.clear()

    assert still_open == 1  # one call for both; the second request still waited on it
    assert fake.embeds_in_flight == 0
