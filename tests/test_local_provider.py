"""The offline provider, for real: the packaged weights, loaded with no hub reachable."""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from llama_index.core.base.llms.types import ChatMessage, MessageRole

from config import Settings
from engine import BookAssistant
from engine.errors import ConfigurationError
from engine.providers import Models, build_models
from engine.providers.local import EMBED_DIM, LocalLLM, llm_weights, verified
from service import create_app
from tests.book import write_book
from tests.conftest import settings_for

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
        settings = local_settings(tmp_path_factory.mktemp("models"), Path("unused"))
        yield build_models(settings)


def local_settings(model_dir: Path, qdrant_path: Path) -> Settings:
    return settings_for(
        "http://127.0.0.1:9",
        qdrant_path,
        engine={"provider": "local"},
        local={"model_dir": model_dir},
    )


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


def messages(question: str) -> list[ChatMessage]:
    return [
        ChatMessage(role=MessageRole.SYSTEM, content=f"source: sensors/imu.md\n{PASSAGE}"),
        ChatMessage(role=MessageRole.USER, content=question),
    ]


async def test_short_generation_draws_on_the_passage(local_models: Models) -> None:
    response = await local_models.llm.achat(messages("What does an IMU measure?"))

    text = (response.message.content or "").lower()
    assert text.strip()
    assert any(word in text for word in ("acceleration", "gyroscope", "angular"))
    assert len(text) < 2000


async def test_stream_gives_the_same_answer_in_pieces(local_models: Models) -> None:
    whole = await local_models.llm.achat(messages("What does an IMU measure?"))
    stream = await local_models.llm.astream_chat(messages("What does an IMU measure?"))
    deltas = [chunk.delta async for chunk in stream]

    assert len(deltas) > 1
    assert "".join(d or "" for d in deltas) == whole.message.content


async def test_generation_does_not_block_the_event_loop(local_models: Models) -> None:
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    await local_models.llm.achat(messages("What does an IMU measure?"))
    ticker.cancel()

    assert ticks > 3


def test_corrupt_weights_are_refused(tmp_path: Path) -> None:
    (tmp_path / "gemma-3-270m-q4_k_m.gguf").write_bytes(b"not a model")

    with pytest.raises(ConfigurationError, match="SHA-256"):
        llm_weights(tmp_path)


def test_checksum_is_compared(tmp_path: Path) -> None:
    path = tmp_path / "weights.bin"
    path.write_bytes(b"abc")

    verified(path, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    with pytest.raises(ConfigurationError):
        verified(path, "0" * 64)


def test_llm_bounds_context_and_output(local_models: Models) -> None:
    llm = local_models.llm
    assert isinstance(llm, LocalLLM)
    assert llm.metadata.context_window == 4096
    assert llm.metadata.num_output == 256
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
    settings = local_settings(tmp_path / "models", tmp_path / "qdrant")
    write_book(
        settings.qdrant.path, local_models.make_embedding(EMBED_DIM), collection="book-local"
    )
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
    assert body["llm_model"] == "gemma-3-270m-Q4_K_M"
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
    settings = local_settings(tmp_path / "models", tmp_path / "qdrant")
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
