"""Hybrid retrieval: a BM25 leg fused with the dense one, from the same collection."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from qdrant_client import AsyncQdrantClient
from qdrant_client.http import models as rest

from engine import BookAssistant, ChatQuery
from engine.lexical import LexicalIndex, ServerTextLeg, rrf
from engine.store import has_scored_text_index, text_index_params
from tests.support.settings import ClientFactory, MakeSettings

CHUNKS: list[tuple[str, str, dict[str, Any]]] = [
    ("a", "Set ROS_DOMAIN_ID to isolate robots on a shared network.", {"source": "ros.md"}),
    ("b", "Robots share a network; discovery finds every node on it.", {"source": "ros.md"}),
    ("c", "Edit /etc/network/interfaces to give the robot a static address.", {"source": "net.md"}),
    ("d", "The battery of the robot is a lithium-ion pack.", {"source": "power.md", "n": 3}),
]


def test_bm25_finds_exact_identifiers() -> None:
    index = LexicalIndex(CHUNKS)

    assert index.search("What does ROS_DOMAIN_ID do?", 3, {}) == ["a"]
    assert index.search("/etc/network/interfaces", 3, {})[0] == "c"
    assert index.search("sourdough bread", 3, {}) == []


def test_bm25_leg_honours_filters_before_its_top_k() -> None:
    index = LexicalIndex(CHUNKS)

    assert index.search("robot network", 4, {"source": "net.md"}) == ["c"]
    assert set(index.search("robot", 4, {"source": ["power.md", "net.md"]})) == {"c", "d"}
    assert index.search("robot", 4, {"n": 3}) == ["d"]
    assert index.ids_where({"source": "ros.md"}) == ["a", "b"]


def test_rrf_adds_reciprocal_ranks() -> None:
    fused = rrf([["a", "b"], ["b", "c"]], [1.0, 0.5])

    assert fused["b"] == pytest.approx(1 / 62 + 0.5 / 61)
    assert max(fused, key=lambda point: fused[point]) == "b"


@pytest.mark.parametrize("hybrid", ["on", "off"])
async def test_hybrid_and_dense_are_served_from_one_collection(
    app_client: ClientFactory, make_settings: MakeSettings, hybrid: str
) -> None:
    async with app_client(make_settings(engine={"hybrid": hybrid})) as client:
        response = await client.post("/chat", json={"message": "What does an IMU measure?"})

    assert response.status_code == 200
    assert response.json()["source_nodes"][0]["metadata"]["source"] == "sensors/imu.md"


async def test_filters_hold_in_hybrid_mode(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/chat",
        json={"message": "What does an IMU measure?", "filters": {"source": "sensors/lidar.md"}},
    )

    assert [n["metadata"]["source"] for n in response.json()["source_nodes"]] == [
        "sensors/lidar.md"
    ]


async def test_lexical_finds_get_cosine_scores_like_dense_ones(make_settings: MakeSettings) -> None:
    scores = {}
    for hybrid in ("on", "off"):
        assistant = await BookAssistant.open(make_settings(engine={"hybrid": hybrid}))
        try:
            found = await assistant.retrieve(ChatQuery("gyroscopes orientation", top_k=5))
        finally:
            await assistant.aclose()
        scores[hybrid] = {s.id: round(s.score, 5) for s in found.sources}

    assert scores["on"] == scores["off"]  # same passages, same cosine, whatever the leg


async def test_server_text_leg_queries_a_scored_text_index(tmp_path: Path) -> None:
    """The server code path, run against the client's local mode (no Qdrant server can be
    installed here): the same `TextQuery` on a scored full-text index."""
    client = AsyncQdrantClient(path=str(tmp_path / "q"))
    try:
        await client.create_collection(
            "book", vectors_config=rest.VectorParams(size=2, distance=rest.Distance.COSINE)
        )
        await client.upsert(
            "book",
            points=[
                rest.PointStruct(id=i, vector=[1.0, float(i)], payload={"text": t, **p})
                for i, (_, t, p) in enumerate(CHUNKS, 1)
            ],
        )
        await client.create_payload_index("book", "text", field_schema=text_index_params())
        leg = ServerTextLeg(client, "book", "text")

        found = await leg.search("ROS_DOMAIN_ID", 3, None)
        filtered = await leg.search(
            "robot",
            3,
            rest.Filter(
                must=[rest.FieldCondition(key="source", match=rest.MatchValue(value="net.md"))]
            ),
        )
    finally:
        await client.close()

    assert found[0] == "1"
    assert filtered == ["3"]


def test_a_scored_text_index_is_recognised() -> None:
    def schema(params: rest.TextIndexParams) -> dict[str, rest.PayloadIndexInfo]:
        return {
            "text": rest.PayloadIndexInfo(
                data_type=rest.PayloadSchemaType.TEXT, params=params, points=4
            )
        }

    unscored = rest.TextIndexParams(type=rest.TextIndexType.TEXT)

    assert has_scored_text_index(schema(text_index_params()), "text")
    assert not has_scored_text_index(schema(unscored), "text")
    assert not has_scored_text_index({}, "text")
