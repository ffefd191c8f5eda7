"""Answers a reader can check sentence by sentence: each sentence of an answer against
the passages it cites (`engine.grounding`), on `/chat`, in the stream's `done` event, in
ChatKit's notice and in `/metrics`."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from chatkit.types import NoticeEvent

from engine.assistant import BookAssistant
from engine.evaluation import evaluate_grounding, load_grounding
from engine.grounding import Grounder, answer_sentences, required_tokens
from engine.types import ChatQuery, Source
from tests.support.chatkit import stream_events, threads_create
from tests.support.fake_gemini import FakeGemini
from tests.support.metrics import sample
from tests.support.settings import ClientFactory, MakeSettings
from tests.support.sse import parse_events

PLANTED = "The reset always takes exactly 9999 seconds on every machine. [1]"
QUESTION = {"message": "What does an IMU measure?"}
PASSAGE = Source(
    id="1",
    text="The gyroscope measures angular velocity in rad/s. It drifts with a small bias.",
    score=1.0,
    metadata={"source": "sensors/imu.md"},
)


async def _no_embedding(texts: list[str]) -> list[list[float]]:
    raise AssertionError("the lexical check decides these sentences")


def test_a_marker_after_the_period_belongs_to_the_sentence_before_it() -> None:
    sentences = answer_sentences("It measures rotation. [1] It drifts [2]. Then it stops.")

    assert sentences == [
        ("It measures rotation.", [1]),
        ("It drifts.", [2]),
        ("Then it stops.", []),
    ]


def test_numbers_identifiers_and_quoted_names_must_appear_word_for_word() -> None:
    tokens = required_tokens('Publish 9999 on `imu_raw` as "Deep Sensor" at 9.81 m/s².')

    assert {"9999", "imu_raw", "Deep Sensor", "9.81"} <= set(tokens)


async def test_a_planted_number_is_unsupported_without_an_embedding() -> None:
    checked = await Grounder("embedding", _no_embedding).check(PLANTED, [PASSAGE])

    assert [(s.cites, s.supported) for s in checked] == [([1], False)]


async def test_a_sentence_its_passage_states_is_supported_without_an_embedding() -> None:
    checked = await Grounder("embedding", _no_embedding).check(
        "The gyroscope measures angular velocity in rad/s [1].", [PASSAGE]
    )

    assert [s.supported for s in checked] == [True]


async def test_a_sentence_joining_two_of_its_passages_sentences_is_supported() -> None:
    checked = await Grounder("embedding", _no_embedding).check(
        "The gyroscope measures angular velocity in rad/s; it drifts with a small bias [1].",
        [PASSAGE],
    )

    assert [s.supported for s in checked] == [True]


async def test_a_joined_sentence_with_one_clause_the_passage_never_says_is_not() -> None:
    checked = await Grounder("embedding", _no_embedding).check(
        "The gyroscope measures angular velocity in rad/s; "
        "magnetometers correct heading errors outdoors [1].",
        [PASSAGE],
    )

    assert [s.supported for s in checked] == [False]


async def test_a_sentence_citing_nothing_is_checked_against_every_passage() -> None:
    other = Source(id="2", text="Lidar sees 30 metres.", score=1.0, metadata={})

    checked = await Grounder("embedding", _no_embedding).check(
        "Lidar sees 30 metres.", [PASSAGE, other]
    )

    assert [(s.cites, s.supported) for s in checked] == [([], True)]


async def test_undecided_sentences_and_their_evidence_take_one_embedding_call() -> None:
    calls: list[list[str]] = []

    async def embed(texts: list[str]) -> list[list[float]]:
        calls.append(texts)
        return [[1.0, float(len(text) % 3)] for text in texts]

    await Grounder("embedding", embed).check(
        "The gyroscope measures a small bias [1]. The gyroscope drifts [1].", [PASSAGE]
    )

    assert len(calls) == 1


async def test_off_checks_nothing() -> None:
    assert await Grounder("off", _no_embedding).check(PLANTED, [PASSAGE]) == []


async def test_chat_lists_the_sentences_with_their_flag(
    app_client: ClientFactory, make_settings: MakeSettings, fake: FakeGemini
) -> None:
    fake.reply = PLANTED
    async with app_client(make_settings()) as client:
        body = (await client.post("/chat", json=QUESTION)).json()

    assert body["sentences"] == [
        {
            "text": "The reset always takes exactly 9999 seconds on every machine.",
            "cites": [1],
            "supported": False,
        }
    ]


async def test_the_streams_done_event_lists_the_sentences(
    app_client: ClientFactory, make_settings: MakeSettings, fake: FakeGemini
) -> None:
    fake.reply = PLANTED
    async with app_client(make_settings()) as client:
        response = await client.post("/chat/stream", json=QUESTION)

    done = [data for name, data in parse_events(response.text) if name == "done"]
    assert [(s["cites"], s["supported"]) for s in done[0]["sentences"]] == [([1], False)]


async def test_with_grounding_off_no_sentence_is_listed(
    app_client: ClientFactory, make_settings: MakeSettings, fake: FakeGemini
) -> None:
    fake.reply = PLANTED
    async with app_client(make_settings(engine={"grounding": "off"})) as client:
        body = (await client.post("/chat", json=QUESTION)).json()

    assert body["sentences"] == []


async def test_metrics_count_the_unsupported_sentences(
    app_client: ClientFactory, make_settings: MakeSettings, fake: FakeGemini
) -> None:
    fake.reply = PLANTED
    async with app_client(make_settings()) as client:
        await client.post("/chat", json=QUESTION)
        text = (await client.get("/metrics")).text

    assert sample(text, "bookchat_answer_sentences_total", verdict="unsupported") == 1.0


async def test_chatkit_names_an_unsupported_sentence_in_a_notice(
    app_client: ClientFactory, make_settings: MakeSettings, fake: FakeGemini
) -> None:
    fake.reply = PLANTED
    request = threads_create(QUESTION["message"])
    async with app_client(make_settings(service={"chatkit": "on"})) as client:
        response = await client.post(
            "/chatkit",
            content=request.model_dump_json(),
            headers={"X-BookChat-User": "ana", "Content-Type": "application/json"},
        )

    events = stream_events(response.text)
    notices = [event for event in events if isinstance(event, NoticeEvent)]
    assert len(notices) == 1
    assert "9999 seconds" in notices[0].message


async def test_the_labelled_set_splits_as_labelled_and_its_planted_tokens_are_flagged() -> None:
    book = Path(__file__).parent.parent / "sample_book"
    cases = load_grounding(book / "grounding.jsonl")

    async def far(texts: list[str]) -> list[list[float]]:
        return [[1.0, 0.0] for _ in texts]  # every sentence close: only words decide

    report = await evaluate_grounding(cases, Grounder("embedding", far), book)

    assert report.sentences == sum(len(case.sentences) for case in cases)
    assert report.true_flags >= 8  # the planted numbers and identifiers


PARAPHRASED = (
    "In short, an IMU gauges linear acceleration and angular velocity with gyroscopes [1]. "
    "Put simply, accelerometers and gyroscopes, once fused, estimate the machine's "
    "orientation [1]."
)
"""Left undecided by the lexical step against the IMU page: its meaning is embedded."""


async def test_a_failing_embedding_leaves_a_whole_answers_sentences_unchecked(
    app_client: ClientFactory, make_settings: MakeSettings, fake: FakeGemini
) -> None:
    fake.reply = PARAPHRASED
    fake.embed_match = "gyroscopes"  # the answer's sentences, not the question
    fake.fail("embed", 400)
    async with app_client(make_settings()) as client:
        response = await client.post("/chat", json=QUESTION)

    assert response.status_code == 200
    assert response.json()["answer"] == PARAPHRASED
    assert response.json()["sentences"] == []


async def test_a_failing_embedding_leaves_a_streams_sentences_unchecked(
    app_client: ClientFactory, make_settings: MakeSettings, fake: FakeGemini
) -> None:
    fake.reply = PARAPHRASED
    fake.embed_match = "gyroscopes"
    fake.fail("embed", 400)
    async with app_client(make_settings()) as client:
        response = await client.post("/chat/stream", json=QUESTION)

    done = [data for name, data in parse_events(response.text) if name == "done"]
    assert done[0]["answer"] == PARAPHRASED
    assert done[0]["sentences"] == []


async def test_a_stream_closed_during_its_check_cancels_the_embedding_upstream(
    make_settings: MakeSettings, fake: FakeGemini
) -> None:
    fake.reply = PARAPHRASED
    fake.embed_match, fake.hang = "gyroscopes", {"embed"}
    assistant = await BookAssistant.open(make_settings())
    try:
        stream = await assistant.stream(ChatQuery(QUESTION["message"]))
        reading = asyncio.create_task(stream.collect())
        await until(lambda: any("gyroscopes" in str(r.body) for r in fake.of_kind("embed")))
        reading.cancel()
        await asyncio.gather(reading, return_exceptions=True)
        await stream.aclose()
        await until(lambda: fake.embeds_aborted > 0)

        assert fake.embeds_aborted == 1
    finally:
        await assistant.aclose()


async def until(condition: Callable[[], bool], wait: float = 10.0) -> None:
    """Wait for `condition`, at most `wait` seconds (the assertion after it tells)."""
    for _ in range(int(wait / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
