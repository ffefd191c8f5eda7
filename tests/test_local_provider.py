"""The offline provider, for real: the packaged weights, loaded with no hub reachable.

The answerer is extractive: the book's own sentences, scored by the same MiniLM."""

from __future__ import annotations

import asyncio
import json
import math
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from config import Settings
from engine import BookAssistant
from engine.answering import NOT_IN_BOOK_ANSWER
from engine.errors import ConfigurationError
from engine.evaluation import facts_found
from engine.providers import Models, build_models
from engine.providers.local import EMBED_DIM
from engine.providers.onnx_minilm import verified
from service import create_app
from tests.support.book import write_book
from tests.support.settings import settings_for
from tests.support.sse import parse_events

pytestmark = pytest.mark.local

SAMPLE_BOOK = Path(__file__).resolve().parent.parent / "sample_book"
PASSAGE = (
    "An IMU measures linear acceleration with accelerometers and angular velocity with gyroscopes."
)


@pytest.fixture(scope="session")
def local_models(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Models]:
    """The offline models, loaded once for the session with the hub unreachable."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HF_HUB_OFFLINE", "1")
        patch.setenv("TRANSFORMERS_OFFLINE", "1")
        settings = local_settings(Path("unused"))
        yield build_models(settings)


def local_settings(qdrant_path: Path) -> Settings:
    return settings_for("http://127.0.0.1:9", qdrant_path, engine={"provider": "local"})


def cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


def test_local_embedding_has_its_size(local_models: Models) -> None:
    vector = local_models.make_embedding(EMBED_DIM).get_query_embedding("What does an IMU measure?")

    assert len(vector) == EMBED_DIM == local_models.embedding.dim


def test_similar_sentences_score_higher(local_models: Models) -> None:
    embed = local_models.make_embedding(EMBED_DIM)
    query = embed.get_query_embedding("How does a robot sense its rotation?")
    related = embed.get_text_embedding("A gyroscope measures angular velocity.")
    unrelated = embed.get_text_embedding("Whisk two eggs with flour and sugar.")

    assert cosine(query, related) > cosine(query, unrelated) + 0.2


async def test_async_embedding_matches_sync(local_models: Models) -> None:
    embed = local_models.make_embedding(EMBED_DIM)

    together = await embed.aget_text_embedding_batch(["IMU", "LiDAR"])

    assert together[0] == pytest.approx(embed.get_text_embedding("IMU"), abs=1e-5)


def test_checksum_is_compared(tmp_path: Path) -> None:
    path = tmp_path / "weights.bin"
    path.write_bytes(b"abc")

    verified(path, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    with pytest.raises(ConfigurationError):
        verified(path, "0" * 64)


def test_offline_provider_caps_passages_per_answer(local_models: Models) -> None:
    assert local_models.max_top_k == 4


@asynccontextmanager
async def offline_client(settings: Settings, models: Models) -> AsyncIterator[httpx.AsyncClient]:
    """A fresh app over the shared offline models (loading them once per session)."""
    engine = await BookAssistant.open(settings, models=models)
    app = create_app(settings, engine=engine)
    try:
        async with LifespanManager(app) as manager:
            transport = httpx.ASGITransport(app=manager.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                yield client
    finally:
        await engine.aclose()


@pytest.fixture
async def local_client(local_models: Models, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = local_settings(tmp_path / "qdrant")
    write_book(settings, local_models)
    async with offline_client(settings, local_models) as client:
        yield client


async def test_chat_answers_offline(local_client: httpx.AsyncClient) -> None:
    response = await local_client.post("/chat", json={"message": "What does an IMU measure?"})

    assert response.status_code == 200
    body = response.json()
    assert body["source_nodes"][0]["metadata"]["source"] == "sensors/imu.md"
    assert body["answer"].strip()
    assert len(body["source_nodes"]) <= 4


async def test_ready_reports_the_offline_models(local_client: httpx.AsyncClient) -> None:
    body = (await local_client.get("/ready")).json()

    assert body["status"] == "ready"
    assert body["provider"] == "local"
    assert body["embed_model"] == "all-MiniLM-L6-v2"
    assert body["llm_model"] == "extractive (all-MiniLM-L6-v2)"
    assert body["collection"] == "book-local"
    assert body["vector_size"] == 384


async def test_sample_book_end_to_end_offline(local_models: Models, tmp_path: Path) -> None:
    """Index part of the sample book with the offline models, then ask through /chat."""
    import shutil

    from engine.ingestion import IngestOptions, Ingestor
    from engine.store import open_qdrant

    book = tmp_path / "book"
    for chapter in ("sensors", "safety", "actuators"):
        shutil.copytree(SAMPLE_BOOK / chapter, book / chapter)
    settings = local_settings(tmp_path / "qdrant")
    client = open_qdrant(settings.qdrant)
    try:
        report = await Ingestor(
            settings, IngestOptions(folder=book), client, lambda: local_models
        ).run()
    finally:
        await client.close()
    assert report.pages_written == 11
    async with offline_client(settings, local_models) as client_:
        response = await client_.post(
            "/chat", json={"message": "What causes thermal runaway in lithium-ion packs?"}
        )

    assert response.status_code == 200
    assert response.json()["source_nodes"][0]["metadata"]["source"] == "safety/batteries.md"
    assert response.json()["answer"].strip()


# ----------------------------------------------------------- extractive answers
ANSWER_KEY = [
    json.loads(line)
    for line in (SAMPLE_BOOK / "answers.jsonl").read_text().splitlines()
    if line.strip()
]


@pytest.fixture(scope="module")
def sample_book_index(local_models: Models, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole sample book indexed with the offline embedding, once for the module."""
    from engine.ingestion import IngestOptions, Ingestor
    from engine.store import open_qdrant

    folder = tmp_path_factory.mktemp("sample-book")
    settings = local_settings(folder / "qdrant")

    async def index() -> None:
        client = open_qdrant(settings.qdrant)
        try:
            await Ingestor(
                settings, IngestOptions(folder=SAMPLE_BOOK), client, lambda: local_models
            ).run()
        finally:
            await client.close()

    asyncio.run(index())
    return folder


@pytest.fixture
async def book_client(
    local_models: Models, sample_book_index: Path, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    import shutil

    shutil.copytree(sample_book_index / "qdrant", tmp_path / "qdrant")
    settings = local_settings(tmp_path / "qdrant")
    async with offline_client(settings, local_models) as client:
        yield client


def key_row(fragment: str) -> dict[str, Any]:
    return next(row for row in ANSWER_KEY if fragment in row["question"])


@pytest.mark.parametrize(
    "fragment",
    ["ROS_DOMAIN_ID", "9.81", "strain wave gear", "integral windup", "best effort"],
)
async def test_extractive_answer_holds_its_facts(
    book_client: httpx.AsyncClient, fragment: str
) -> None:
    row = key_row(fragment)

    body = (await book_client.post("/chat", json={"message": row["question"]})).json()

    assert body["outcome"] == "answered"
    assert facts_found(body["answer"], row["facts"]), body["answer"]
    assert any(node["cited"] for node in body["source_nodes"])


async def test_extractive_citations_point_at_passages_given(
    book_client: httpx.AsyncClient,
) -> None:
    for row in ANSWER_KEY[:8]:
        body = (await book_client.post("/chat", json={"message": row["question"]})).json()
        numbers = [int(n) for n in re.findall(r"\[(\d+)\]", body["answer"])]
        assert numbers, body["answer"]
        assert all(1 <= n <= len(body["source_nodes"]) for n in numbers)
        cited = {n for n, node in enumerate(body["source_nodes"], 1) if node["cited"]}
        assert cited == set(numbers)


@pytest.mark.parametrize(
    "question", ["How do I bake sourdough bread?", "Who painted the Mona Lisa?"]
)
async def test_a_question_the_book_does_not_cover_is_not_in_book(
    book_client: httpx.AsyncClient, question: str
) -> None:
    body = (await book_client.post("/chat", json={"message": question})).json()

    assert body["outcome"] == "not_in_book"
    assert body["answer"] == NOT_IN_BOOK_ANSWER


async def test_extractive_stream_gives_the_whole_answer(book_client: httpx.AsyncClient) -> None:
    question = key_row("ROS_DOMAIN_ID")["question"]

    whole = (await book_client.post("/chat", json={"message": question})).json()
    stream = await book_client.post("/chat/stream", json={"message": question})

    events = parse_events(stream.text)
    deltas = [data["delta"] for name, data in events if name == "delta"]
    assert len(deltas) >= 1
    assert events[-1][1]["answer"] == whole["answer"] == "".join(deltas).strip()
    assert events[-1][1]["cited"] == [
        n for n, node in enumerate(whole["source_nodes"], 1) if node["cited"]
    ]


async def test_a_follow_up_is_joined_with_the_question_before(
    book_client: httpx.AsyncClient,
) -> None:
    history = [
        {"role": "user", "content": "What causes thermal runaway in lithium-ion packs?"},
        {"role": "assistant", "content": "Internal shorts and overheating [1]."},
    ]
    body = (
        await book_client.post(
            "/chat", json={"message": "How should spare ones be stored?", "history": history}
        )
    ).json()

    assert body["retrieval_query"].startswith("What causes thermal runaway")
    assert body["source_nodes"][0]["metadata"]["source"] == "safety/batteries.md"


def test_onnx_embedding_refuses_a_corrupt_tokenizer(tmp_path: Path) -> None:
    from engine.providers.onnx_minilm import OnnxEmbedding

    bad = tmp_path / "tokenizer.json"
    bad.write_text("{}")

    with pytest.raises(ConfigurationError, match="SHA-256"):
        OnnxEmbedding(tokenizer_path=bad)


async def ask_about(client: httpx.AsyncClient, message: str, selected: str) -> dict[str, Any]:
    """`/chat`'s body for `message` asked about the reader's selection `selected`."""
    response = await client.post("/chat", json={"message": message, "selected_text": selected})
    body: dict[str, Any] = response.json()
    return body


def cited_pages(body: dict[str, Any]) -> list[str]:
    return [node["metadata"]["source"] for node in body["source_nodes"] if node["cited"]]


async def test_a_selection_is_answered_from_its_page_offline(
    book_client: httpx.AsyncClient,
) -> None:
    selected = (
        "Give each robot, or each developer sharing a lab network, its own ID - on Linux a "
        "value between 0 and 101 is the safe range."
    )
    body = await ask_about(book_client, "Explain this passage.", selected)

    assert body["outcome"] == "answered"
    assert cited_pages(body)[0] == "ros2/nodes-topics.md"


async def test_explain_this_passage_offline_gives_the_selections_context(
    book_client: httpx.AsyncClient,
) -> None:
    selected = "Give each robot, or each developer sharing a lab network, its own ID"
    body = await ask_about(book_client, "What does this mean?", selected)

    assert body["outcome"] == "answered"
    assert body["answer"].startswith("ROS_DOMAIN_ID separates them")
    assert selected in body["answer"]
    assert all(sentence["supported"] for sentence in body["sentences"])


async def test_half_a_sentence_selected_is_found_on_its_page_offline(
    book_client: httpx.AsyncClient,
) -> None:
    selected = "on Linux a value between 0 and 101 is the safe range."
    body = await ask_about(book_client, "Explain this passage.", selected)

    assert cited_pages(body) == ["ros2/nodes-topics.md"]
    assert "ROS_DOMAIN_ID" in body["answer"]
