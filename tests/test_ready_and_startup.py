"""/health, /ready, and the start-up checks of the collection."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from qdrant_client import QdrantClient
from qdrant_client.http import models as rest

from engine import BookAssistant, ChatQuery
from engine.errors import CollectionInvalid, CollectionNotFound, ConfigurationError
from service import create_app
from tests.support.book import write_foreign_collection
from tests.support.fake_gemini import FakeGemini, embed_text
from tests.support.processes import bookchat, service_env
from tests.support.settings import ClientFactory, MakeSettings


async def test_health_calls_nothing_upstream(client: httpx.AsyncClient, fake: FakeGemini) -> None:
    response = await client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert fake.requests == []


async def test_ready_reports_collection_and_models(client: httpx.AsyncClient) -> None:
    response = await client.get("/ready")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["provider"] == "gemini"
    assert body["embed_model"] == "gemini-embedding-001"
    assert body["collection"] == "book"
    assert body["vector_size"] == 768
    assert body["points"] == 5


async def test_ready_is_503_when_collection_missing(
    app_client: ClientFactory, make_settings: MakeSettings
) -> None:
    async with app_client(make_settings(qdrant={"collection": "other"})) as client:
        ready = await client.get("/ready")
        chat = await client.post("/chat", json={"message": "IMU"})

    assert ready.status_code == 503
    assert ready.json()["status"] == "not_ready"
    assert "collection 'other' does not exist" in ready.json()["reason"]
    assert chat.status_code == 503
    assert chat.json()["error"]["code"] == "collection_not_found"


async def test_dimension_mismatch_fails_startup_naming_both_sizes(
    make_settings: MakeSettings,
) -> None:
    settings = make_settings(gemini={"embed_dim": 1536})

    with pytest.raises(ConfigurationError) as caught:
        await BookAssistant.open(settings)

    message = str(caught.value)
    assert "768" in message
    assert "1536" in message
    assert "\n" not in message


async def test_require_collection_raises_when_missing(make_settings: MakeSettings) -> None:
    with pytest.raises(CollectionNotFound):
        await BookAssistant.open(
            make_settings(qdrant={"collection": "absent"}), require_collection=True
        )


def test_points_without_a_text_field_fail_startup(
    tmp_path: Path, make_settings: MakeSettings
) -> None:
    path = write_foreign_collection(tmp_path / "foreign")
    settings = make_settings(qdrant={"path": path})

    import asyncio

    with pytest.raises(
        CollectionInvalid, match=r"no text field .*keys seen: page, lang\): set QDRANT_TEXT_KEY"
    ):
        asyncio.run(BookAssistant.open(settings))


async def test_a_text_key_set_but_absent_fails_startup(make_settings: MakeSettings) -> None:
    with pytest.raises(
        CollectionInvalid, match=r"no sampled point .* has text under 'body' .*QDRANT_TEXT_KEY"
    ):
        await BookAssistant.open(make_settings(qdrant={"text_key": "body"}))


async def test_wrong_vector_name_fails_startup(make_settings: MakeSettings) -> None:
    with pytest.raises(CollectionInvalid, match="one unnamed vector, not 'dense'"):
        await BookAssistant.open(make_settings(qdrant={"vector_name": "dense"}))


async def test_local_folder_is_locked_for_a_second_engine(make_settings: MakeSettings) -> None:
    settings = make_settings()
    first = await BookAssistant.open(settings)
    try:
        with pytest.raises(ConfigurationError, match="in use by another process"):
            await BookAssistant.open(settings)
    finally:
        await first.aclose()


async def test_collection_created_after_start_is_attached_later(
    make_settings: MakeSettings, tmp_path: Path
) -> None:
    engine = await BookAssistant.open(make_settings(qdrant={"path": tmp_path / "empty"}))
    try:
        assert not (await engine.ready()).ready
        await engine.client.create_collection(
            "book", vectors_config=rest.VectorParams(size=768, distance=rest.Distance.COSINE)
        )
        await engine.client.upsert(
            "book", [rest.PointStruct(id=1, vector=[0.1] * 768, payload={"text": "IMU"})]
        )

        report = await engine.ready()
    finally:
        await engine.aclose()

    assert report.ready
    assert report.points == 1


@pytest.mark.parametrize("vector_name", [None, "dense"])
async def test_queries_do_not_reread_the_collection_config(
    make_settings: MakeSettings,
    tmp_path: Path,
    vector_name: str | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "layout"
    client = QdrantClient(path=str(path))
    params = rest.VectorParams(size=768, distance=rest.Distance.COSINE)
    client.create_collection(
        "book", vectors_config={vector_name: params} if vector_name else params
    )
    text = "An IMU measures acceleration."
    vector = embed_text(text, 768)
    client.upsert(
        "book",
        [
            rest.PointStruct(
                id=1,
                vector={vector_name: vector} if vector_name else vector,
                payload={"text": text, "source": "imu.md"},
            )
        ],
    )
    client.close()
    engine = await BookAssistant.open(
        make_settings(qdrant={"path": path, "vector_name": vector_name})
    )
    calls = 0
    original = engine.client.get_collection

    async def counting(name: str, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        return await original(name, **kwargs)

    monkeypatch.setattr(engine.client, "get_collection", counting)
    try:
        results = [await engine.retrieve(ChatQuery("What does an IMU measure?")) for _ in range(3)]
    finally:
        await engine.aclose()

    assert calls == 0
    assert all(r.sources[0].metadata["source"] == "imu.md" for r in results)


async def test_models_passed_in_are_reused_and_left_open(make_settings: MakeSettings) -> None:
    from engine.providers import build_models

    settings = make_settings()
    models = build_models(settings)
    closed: list[bool] = []

    async def record_close() -> None:
        closed.append(True)

    models.closers.append(record_close)
    engine = await BookAssistant.open(settings, models=models)
    await engine.aclose()

    assert engine.models is models
    assert closed == []
    await models.aclose()
    assert closed == [True]


@pytest.mark.e2e
@pytest.mark.parametrize("command", [["serve", "--port", "1"], ["ask", "What is an IMU?"]])
def test_a_collection_without_text_exits_2_with_one_line(
    fake: FakeGemini, tmp_path: Path, command: list[str]
) -> None:
    path = write_foreign_collection(tmp_path / "foreign")

    result = bookchat(*command, env=service_env(fake, path))

    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == (
        "bookchat: points of collection 'book' have no text field (looked for text, "
        "page_content, content, chunk, chunk_text, body, document, passage, _node_content; "
        "keys seen: page, lang): set QDRANT_TEXT_KEY"
    )
    assert "Traceback" not in result.stderr


async def test_ready_notices_the_embedded_folder_deleted_while_serving(
    client: httpx.AsyncClient, qdrant_path: Path
) -> None:
    assert (await client.get("/ready")).status_code == 200
    shutil.rmtree(qdrant_path)

    ready = await client.get("/ready")
    chat = await client.post("/chat", json={"message": "IMU"})

    assert ready.status_code == 503
    assert "was deleted while serving" in ready.json()["reason"]
    assert chat.status_code == 503


async def test_ready_notices_the_embedded_folder_replaced_while_serving(
    client: httpx.AsyncClient, qdrant_path: Path
) -> None:
    shutil.rmtree(qdrant_path)
    other = QdrantClient(path=str(qdrant_path))  # the lock no longer keeps it out
    other.create_collection(
        "book", vectors_config=rest.VectorParams(size=768, distance=rest.Distance.COSINE)
    )
    other.close()

    ready = await client.get("/ready")

    assert ready.status_code == 503
    assert "was replaced while serving" in ready.json()["reason"]


async def test_a_collection_missing_at_start_up_is_attached_when_it_appears(
    make_settings: MakeSettings, tmp_path: Path, book_template: Path
) -> None:
    """What a Qdrant server gives (another process ingests), through the one client the
    embedded folder admits: the service's own (as `serve --ingest-if-empty` writes)."""
    source = QdrantClient(path=str(shutil.copytree(book_template, tmp_path / "book")))
    points, _ = source.scroll("book", limit=100, with_payload=True, with_vectors=True)
    source.close()
    app = create_app(make_settings(qdrant={"path": tmp_path / "empty"}))
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            before = await client.get("/ready")
            writer = app.state.assistant.client
            await writer.create_collection(
                "book", vectors_config=rest.VectorParams(size=768, distance=rest.Distance.COSINE)
            )
            await writer.upsert(
                "book",
                [rest.PointStruct(id=p.id, vector=p.vector, payload=p.payload) for p in points],
            )
            after = await client.get("/ready")
            chat = await client.post("/chat", json={"message": "What does an IMU measure?"})

    assert before.status_code == 503
    assert (after.status_code, after.json()["points"]) == (200, len(points))
    assert chat.json()["source_nodes"][0]["metadata"]["source"] == "sensors/imu.md"
