"""POST /chat over the real SDKs: fake Gemini on loopback, embedded Qdrant."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from engine.providers import build_models
from tests.support.book import write_llamaindex_book
from tests.support.fake_gemini import FakeGemini
from tests.support.settings import ClientFactory, MakeSettings


async def test_answer_cites_the_right_page_first(client: httpx.AsyncClient) -> None:
    response = await client.post("/chat", json={"message": "What does an IMU measure?"})

    assert response.status_code == 200
    body = response.json()
    first = body["source_nodes"][0]
    assert first["metadata"]["source"] == "sensors/imu.md"
    assert first["metadata"]["title"] == "Inertial measurement units"
    assert first["metadata"]["url"] == "https://book.example/sensors/imu"
    assert "accelerometers" in first["text"]
    assert "According to [1] sensors/imu.md" in body["answer"]
    assert first["cited"] is True
    assert body["outcome"] == "answered"
    assert body["request_id"]


async def test_source_nodes_are_ranked_by_score(client: httpx.AsyncClient) -> None:
    response = await client.post("/chat", json={"message": "LiDAR point cloud", "top_k": 3})

    nodes = response.json()["source_nodes"]
    assert len(nodes) == 3
    scores = [node["score"] for node in nodes]
    assert scores == sorted(scores, reverse=True)
    assert not any("_node_content" in node["metadata"] for node in nodes)


async def test_a_book_indexed_by_llamaindex_is_served_with_its_text_and_no_internals(
    app_client: ClientFactory, make_settings: MakeSettings, tmp_path: Path
) -> None:
    """A collection LlamaIndex wrote (its `_node_content`, `doc_id`... beside the text)."""
    settings = make_settings(qdrant={"path": tmp_path / "llamaindex"})
    models = build_models(settings, with_llm=False)
    try:
        write_llamaindex_book(settings.qdrant.path, models.make_embedding(768))
    finally:
        await models.aclose()

    async with app_client(settings) as client:
        response = await client.post("/chat", json={"message": "What does an IMU measure?"})

    first = response.json()["source_nodes"][0]
    assert first["metadata"]["source"] == "sensors/imu.md"
    assert "accelerometers" in first["text"]
    assert not {"_node_content", "_node_type", "doc_id", "document_id"} & set(first["metadata"])


async def test_top_k_bounds_the_sources(client: httpx.AsyncClient) -> None:
    response = await client.post("/chat", json={"message": "robot", "top_k": 2})

    assert len(response.json()["source_nodes"]) == 2


async def test_history_reaches_the_llm(client: httpx.AsyncClient, fake: FakeGemini) -> None:
    history = [
        {"role": "user", "content": "Tell me about the emergency stop."},
        {"role": "assistant", "content": "It cuts motor power through a relay."},
    ]
    response = await client.post(
        "/chat", json={"message": "And how do I restart it?", "history": history}
    )

    assert response.status_code == 200
    contents = fake.of_kind("generate")[-1].body["contents"]
    texts = [(c["role"], c["parts"][0]["text"]) for c in contents]
    assert texts == [
        ("user", "Tell me about the emergency stop."),
        ("model", "It cuts motor power through a relay."),
        ("user", "And how do I restart it?"),
    ]
    assert "earlier turns: 2" in response.json()["answer"]


async def test_selected_text_reaches_the_prompt_first(
    client: httpx.AsyncClient, fake: FakeGemini
) -> None:
    selected = "Gyroscopes drift {context_str} over time."
    response = await client.post(
        "/chat", json={"message": "Why does this happen?", "selected_text": selected}
    )

    assert response.status_code == 200
    system = fake.of_kind("generate")[-1].body["systemInstruction"]["parts"][0]["text"]
    assert f"<selected_passage>\n{selected}\n</selected_passage>" in system
    assert system.index("<selected_passage>") < system.index("source: ")
    assert "About the selected passage (Gyroscopes drift" in response.json()["answer"]
    sources = [node["metadata"]["source"] for node in response.json()["source_nodes"]]
    assert "selected by the reader" not in sources


async def test_filters_narrow_the_sources(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/chat",
        json={"message": "What does an IMU measure?", "filters": {"source": "ros2/topics.md"}},
    )

    sources = [node["metadata"]["source"] for node in response.json()["source_nodes"]]
    assert sources == ["ros2/topics.md"]


async def test_filter_list_matches_any_value(client: httpx.AsyncClient) -> None:
    wanted = ["sensors/lidar.md", "safety/estop.md"]
    response = await client.post(
        "/chat", json={"message": "What does an IMU measure?", "filters": {"source": wanted}}
    )

    sources = {node["metadata"]["source"] for node in response.json()["source_nodes"]}
    assert sources == set(wanted)


async def test_filter_matching_nothing_answers_without_the_llm(
    client: httpx.AsyncClient, fake: FakeGemini
) -> None:
    response = await client.post(
        "/chat", json={"message": "IMU", "filters": {"source": "no/such/page.md"}}
    )

    assert response.status_code == 200
    assert response.json()["source_nodes"] == []
    assert "could not find" in response.json()["answer"]
    assert fake.of_kind("generate") == []


async def test_query_embedding_uses_retrieval_query_and_collection_size(
    client: httpx.AsyncClient, fake: FakeGemini
) -> None:
    await client.post("/chat", json={"message": "What does an IMU measure?"})

    request = fake.of_kind("embed")[-1].body["requests"][0]
    assert request["taskType"] == "RETRIEVAL_QUERY"
    assert request["outputDimensionality"] == 768
    assert request["model"].endswith("gemini-embedding-001")


async def test_concurrent_requests_keep_their_own_history(
    client: httpx.AsyncClient, fake: FakeGemini
) -> None:
    fake.generate_delay = 0.2

    async def ask(tag: str) -> httpx.Response:
        history = [
            {"role": "user", "content": f"earlier question {tag}"},
            {"role": "assistant", "content": f"earlier answer {tag}"},
        ]
        return await client.post("/chat", json={"message": f"question {tag}", "history": history})

    responses = await asyncio.gather(*(ask(str(i)) for i in range(6)))

    assert all(r.status_code == 200 for r in responses)
    for recorded in fake.of_kind("generate"):
        texts = [c["parts"][0]["text"] for c in recorded.body["contents"]]
        tag = texts[-1].split()[-1]
        assert texts == [f"earlier question {tag}", f"earlier answer {tag}", f"question {tag}"]


async def test_request_id_is_echoed(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/chat", json={"message": "IMU"}, headers={"X-Request-ID": "abc-123"}
    )

    assert response.json()["request_id"] == "abc-123"
    assert response.headers["x-request-id"] == "abc-123"


async def test_all_passages_reach_one_llm_call(client: httpx.AsyncClient, fake: FakeGemini) -> None:
    await client.post("/chat", json={"message": "robot sensors", "top_k": 5})

    (call,) = fake.of_kind("generate")
    system = call.body["systemInstruction"]["parts"][0]["text"]
    assert system.count("source: ") == 5


async def test_answering_does_not_tokenize_on_the_event_loop(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """LlamaIndex counts tokens through `asyncio_run`, which from a running loop blocks it
    on a fresh loop in a thread; the engine's prompt helper avoids that path."""
    import llama_index.core.base.llms.types as llm_types

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("asyncio_run called while answering")

    monkeypatch.setattr(llm_types, "asyncio_run", forbidden)

    chat = await client.post("/chat", json={"message": "What does an IMU measure?"})
    stream = await client.post("/chat/stream", json={"message": "What does an IMU measure?"})

    assert chat.status_code == 200
    assert "event: done" in stream.text
