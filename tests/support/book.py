"""A tiny book for the tests: written by `bookchat ingest`'s code (`write_book`), or the
way other tools write a collection (`write_llamaindex_book`, `write_foreign_collection`)."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from llama_index.core import StorageContext, VectorStoreIndex
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import TextNode
from llama_index.vector_stores.qdrant import QdrantVectorStore
from qdrant_client import QdrantClient

from config import Settings
from engine.ingestion import IngestOptions, Ingestor, IngestReport, ingest
from engine.providers import Models
from engine.store import open_qdrant

BASE_URL = "https://book.example"
SAMPLE_BOOK = Path(__file__).resolve().parent.parent.parent / "sample_book"

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


def write_pages(folder: Path) -> Path:
    """`PAGES` as Markdown files under `folder`, as an author writes them. The heading is
    the page's level-1 heading: a section with no anchor, so a passage's `url` is its
    page's. Returns `folder`."""
    for page in PAGES:
        path = folder / page["source"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"---\ntitle: {page['title']}\n---\n\n# {page['heading']}\n\n{page['text']}\n",
            encoding="utf-8",
        )
    return folder


def write_book(settings: Settings, models: Models | None = None) -> IngestReport:
    """Ingest `PAGES` into the collection `settings` name with `bookchat ingest`'s own code,
    so the tests read the payload layout ingestion writes. The pages are written to a
    temporary folder; their URLs are under https://book.example. `models`: already loaded models to
    embed with (left open), else the configured ones are built (and closed)."""
    folder = write_pages(Path(tempfile.mkdtemp(prefix="test-book-")))
    options = IngestOptions(folder=folder, base_url=BASE_URL)

    async def run() -> IngestReport:
        if models is None:
            return await ingest(settings, options)
        client = open_qdrant(settings.qdrant)
        try:
            # A copy without closers: the caller's models stay open after the run.
            return await Ingestor(
                settings, options, client, lambda: replace(models, closers=[])
            ).run()
        finally:
            await client.close()

    try:
        # In a thread of its own: the caller may be inside a running event loop.
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, run()).result()
    finally:
        shutil.rmtree(folder)


def write_sample_book(settings: Settings) -> IngestReport:
    """Ingest the sample book (24 pages: enough sentences to calibrate the grounding
    threshold on) into the collection `settings` name, with the configured models."""
    options = IngestOptions(folder=SAMPLE_BOOK, base_url=BASE_URL)
    with ThreadPoolExecutor(1) as pool:  # the caller may be inside a running event loop
        return pool.submit(asyncio.run, ingest(settings, options)).result()


def nodes() -> list[TextNode]:
    return [
        TextNode(
            id_=f"00000000-0000-0000-0000-{i:012d}",
            text=page["text"],
            metadata={k: v for k, v in page.items() if k != "text"},
        )
        for i, page in enumerate(PAGES, 1)
    ]


def write_llamaindex_book(path: Path, embed_model: BaseEmbedding, collection: str = "book") -> None:
    """Index `PAGES` into an embedded Qdrant at `path` the way LlamaIndex does (its
    `_node_content`, `doc_id`... beside the text): a collection another tool wrote."""
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
    """An embedded collection `book` written by another tool: one point whose payload
    holds no text field at all (`page` and `lang`). Returns `path`."""
    from qdrant_client.http import models as rest

    client = QdrantClient(path=str(path))
    client.create_collection(
        "book", vectors_config=rest.VectorParams(size=768, distance=rest.Distance.COSINE)
    )
    client.upsert(
        "book", [rest.PointStruct(id=1, vector=[0.1] * 768, payload={"page": 3, "lang": "en"})]
    )
    client.close()
    return path


def write_flat_collection(
    path: Path, embed_model: BaseEmbedding, payloads: list[dict[str, object]]
) -> None:
    """An embedded collection `book` written by a hand-made indexer: one point a payload,
    flat (`text` beside whatever else it holds), its vector from `embed_model`."""
    from qdrant_client.http import models as rest

    vectors = embed_model.get_text_embedding_batch([str(p["text"]) for p in payloads])
    client = QdrantClient(path=str(path))
    try:
        client.create_collection(
            "book",
            vectors_config=rest.VectorParams(size=len(vectors[0]), distance=rest.Distance.COSINE),
        )
        client.upsert(
            "book",
            [
                rest.PointStruct(id=number, vector=vector, payload=payload)
                for number, (vector, payload) in enumerate(zip(vectors, payloads, strict=True), 1)
            ],
        )
    finally:
        client.close()


LAYOUTS = ("llamaindex", "langchain", "haystack", "flat")
"""The payload layouts `write_layout_collection` writes `PAGES` in."""


def layout_payload(layout: str, page: dict[str, str]) -> dict[str, object]:
    """One page's payload as each tool writes it: LangChain's `QdrantVectorStore`
    (`page_content` + `metadata`), Haystack's `QdrantDocumentStore` (`content` + `meta`,
    `id`), a hand-written indexer's names (`chunk`, `page_url`, `page_title`...)."""
    if layout == "langchain":
        metadata = {k: page[k] for k in ("source", "url", "title", "heading")}
        return {"page_content": page["text"], "metadata": metadata}
    if layout == "haystack":
        meta = {
            "file_path": page["source"],
            "title": page["title"],
            "link": page["url"],
            "section": page["heading"],
        }
        return {"id": f"doc-{page['source']}", "content": page["text"], "meta": meta, "blob": None}
    if layout == "flat":
        return {
            "chunk": page["text"],
            "page_url": page["url"],
            "page_title": page["title"],
            "section": page["heading"],
            "path": page["source"],
        }
    raise ValueError(layout)


def write_layout_collection(
    path: Path,
    layout: str,
    embed: Callable[[str], list[float]],
    vector_name: str | None = None,
) -> Path:
    """`PAGES` in an embedded collection `book` at `path`, laid out as `layout` (one of
    `LAYOUTS`), each vector `embed(text)`. LlamaIndex's own code writes its layout.
    Returns `path`."""
    from qdrant_client.http import models as rest

    if layout == "llamaindex":
        write_llamaindex_book(path, _FunctionEmbedding(embed=embed))
        return path
    vectors = [embed(page["text"]) for page in PAGES]
    params = rest.VectorParams(size=len(vectors[0]), distance=rest.Distance.COSINE)
    client = QdrantClient(path=str(path))
    try:
        client.create_collection(
            "book", vectors_config={vector_name: params} if vector_name else params
        )
        client.upsert(
            "book",
            [
                rest.PointStruct(
                    id=number,
                    vector={vector_name: vector} if vector_name else vector,
                    payload=layout_payload(layout, page),
                )
                for number, (vector, page) in enumerate(zip(vectors, PAGES, strict=True), 1)
            ],
        )
    finally:
        client.close()
    return path


class _FunctionEmbedding(BaseEmbedding):
    """A LlamaIndex embedding model of a plain function (what LlamaIndex embeds is the
    node's text with its metadata lines, as it does with any model)."""

    embed: Callable[[str], list[float]]

    def _get_query_embedding(self, query: str) -> list[float]:
        return self.embed(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self.embed(text)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self.embed(query)


def other_model_embedding(text: str, dim: int = 768) -> list[float]:
    """A deterministic embedding of the right size from another "model": the fake
    Gemini's bag of words over salted words, so its buckets have nothing to do with it."""
    from tests.support.fake_gemini import embed_text

    return embed_text(" ".join(f"other{word}" for word in text.split()), dim)
