"""A tiny book for the tests, written into Qdrant through LlamaIndex."""

from __future__ import annotations

from pathlib import Path

from llama_index.core import StorageContext, VectorStoreIndex
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import TextNode
from llama_index.vector_stores.qdrant import QdrantVectorStore
from qdrant_client import QdrantClient

PAGES: list[dict[str, str]] = [
    {
        "source": "intro/welcome.md",
        "title": "Welcome",
        "heading": "What this book covers",
        "url": "https://book.example/intro/welcome",
        "text": "This book introduces humanoid robots: their bodies, their senses and "
        "the software that coordinates them.",
    },
    {
        "source": "sensors/imu.md",
        "title": "Inertial measurement units",
        "heading": "What an IMU measures",
        "url": "https://book.example/sensors/imu",
        "text": "An IMU measures linear acceleration with accelerometers and angular "
        "velocity with gyroscopes; fused, they estimate the robot's orientation.",
    },
    {
        "source": "sensors/lidar.md",
        "title": "LiDAR",
        "heading": "Point clouds",
        "url": "https://book.example/sensors/lidar",
        "text": "LiDAR scanners fire laser pulses and time their echoes to build a point "
        "cloud of the surroundings for mapping and obstacle detection.",
    },
    {
        "source": "ros2/topics.md",
        "title": "ROS 2 topics",
        "heading": "Publish and subscribe",
        "url": "https://book.example/ros2/topics",
        "text": "ROS 2 nodes exchange messages over topics: publishers send, "
        "subscribers receive, and DDS middleware carries the data with QoS settings.",
    },
    {
        "source": "safety/estop.md",
        "title": "Emergency stop",
        "heading": "Stopping safely",
        "url": "https://book.example/safety/estop",
        "text": "The emergency stop button cuts motor power through a safety relay; "
        "restart the robot only after the cause of the stop is cleared.",
    },
]


def nodes() -> list[TextNode]:
    return [
        TextNode(
            id_=f"00000000-0000-0000-0000-{i:012d}",
            text=page["text"],
            metadata={k: v for k, v in page.items() if k != "text"},
        )
        for i, page in enumerate(PAGES, 1)
    ]


def write_book(path: Path, embed_model: BaseEmbedding, collection: str = "book") -> None:
    """Index `PAGES` into an embedded Qdrant at `path`, the way LlamaIndex does."""
    client = QdrantClient(path=str(path))
    try:
        store = QdrantVectorStore(collection_name=collection, client=client)
        VectorStoreIndex(
            nodes(),
            storage_context=StorageContext.from_defaults(vector_store=store),
            embed_model=embed_model,
        )
    finally:
        client.close()


def write_foreign_collection(path: Path) -> Path:
    """An embedded collection `book` written by another tool: one point, its text under
    `body`, not the text key the engine expects. Returns `path`."""
    from qdrant_client.http import models as rest

    client = QdrantClient(path=str(path))
    client.create_collection(
        "book", vectors_config=rest.VectorParams(size=768, distance=rest.Distance.COSINE)
    )
    client.upsert("book", [rest.PointStruct(id=1, vector=[0.1] * 768, payload={"body": "x"})])
    client.close()
    return path
