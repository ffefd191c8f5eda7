"""The Qdrant side: one async client per process and the collection's shape.

Choice for the embedded local mode (`QDRANT_PATH`): the store gets an
`AsyncQdrantClient(path=...)` alone. qdrant-client locks a local folder for one client,
so a sync and an async client cannot share it, and LlamaIndex's `aretrieve` needs the
async one. The consequence: only one process at a time may open the folder (a second
`bookchat serve`, or `bookchat ingest` while the service runs, fails with a clear error);
use a Qdrant server (`QDRANT_URL`) for anything shared.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from llama_index.vector_stores.qdrant import QdrantVectorStore
from qdrant_client import AsyncQdrantClient
from qdrant_client.http import models as rest

from config import QdrantSettings
from engine.errors import CollectionInvalid, CollectionNotFound, ConfigurationError
from engine.payloads import SAMPLE_POINTS, LayoutReport, PayloadLayout, detect_layout
from engine.upstream import upstream_errors

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CollectionInfo:
    """What the engine needs to know of the collection it answers from."""

    name: str
    vector_name: str | None
    """The named dense vector, or None for an unnamed one."""
    size: int
    points: int | None
    text_index: bool = False
    """Whether the text key has a full-text index with BM25 scoring (a server's)."""
    scored_text_keys: frozenset[str] = frozenset()
    """Every payload key with such an index (the detected text key may be another)."""


def has_scored_text_index(payload_schema: Mapping[str, Any] | None, text_key: str) -> bool:
    """Whether a collection's payload indexes answer a BM25 `TextQuery` on `text_key`
    (a server's: the embedded mode keeps no payload index)."""
    params = getattr((payload_schema or {}).get(text_key), "params", None)
    return isinstance(params, rest.TextIndexParams) and bool(params.scoring)


def text_index_params() -> rest.TextIndexParams:
    """The full-text index ingestion makes on a server, for the BM25 leg."""
    return rest.TextIndexParams(
        type=rest.TextIndexType.TEXT,
        tokenizer=rest.TokenizerType.WORD,
        lowercase=True,
        scoring=True,
    )


def open_qdrant(qdrant: QdrantSettings) -> AsyncQdrantClient:
    """An async client on the server (`QDRANT_URL`) or on the embedded folder."""
    if qdrant.url:
        return AsyncQdrantClient(
            url=qdrant.url,
            api_key=qdrant.api_key.get_secret_value() if qdrant.api_key else None,
            timeout=max(1, round(qdrant.timeout)),
        )
    location = str(qdrant.path)
    if location != ":memory:":
        qdrant.path.mkdir(parents=True, exist_ok=True)
    try:
        return AsyncQdrantClient(path=location)
    except RuntimeError as exc:
        if "already accessed" in str(exc):
            raise ConfigurationError(
                f"the embedded Qdrant folder {location} is in use by another process "
                "(one process at a time; stop it or use QDRANT_URL)"
            ) from None
        raise


@dataclass(frozen=True)
class FolderGuard:
    """The embedded folder's lock file as it was when the client opened (and locked) it.

    The lock is an `flock` on `FOLDER/.lock`: delete the folder and the lock protects
    nothing (another process makes a new `.lock` and locks that), while the client goes
    on answering from the points it loaded. One `stat` tells: the lock file must still be
    the very file (device and inode) that was locked.
    """

    lock: Path
    identity: tuple[int, int]

    @classmethod
    def of(cls, qdrant: QdrantSettings) -> FolderGuard | None:
        """The guard of an opened embedded folder; None for a server or `:memory:`."""
        if qdrant.url or str(qdrant.path) == ":memory:":
            return None
        lock = qdrant.path / ".lock"
        try:
            found = os.stat(lock)
        except OSError:
            return None  # the client made none: nothing to watch
        return cls(lock, (found.st_dev, found.st_ino))

    def lost(self) -> str | None:
        """Why the folder is no longer the one this process locked, or None."""
        try:
            found = os.stat(self.lock)
        except OSError:
            return f"the embedded Qdrant folder {self.lock.parent} was deleted while serving"
        if (found.st_dev, found.st_ino) != self.identity:
            return f"the embedded Qdrant folder {self.lock.parent} was replaced while serving"
        return None


def _vector_params(
    vectors: rest.VectorParams | dict[str, rest.VectorParams], wanted: str | None, name: str
) -> tuple[str | None, int]:
    if isinstance(vectors, rest.VectorParams):
        if wanted:
            raise CollectionInvalid(
                f"collection '{name}' has one unnamed vector, not '{wanted}': "
                "unset QDRANT_VECTOR_NAME"
            )
        return None, vectors.size
    if wanted:
        if wanted not in vectors:
            raise CollectionInvalid(
                f"collection '{name}' has no vector named '{wanted}' "
                f"(it has: {', '.join(sorted(vectors)) or 'none'})"
            )
        return wanted, vectors[wanted].size
    if len(vectors) == 1:
        only = next(iter(vectors))
        return (only or None), vectors[only].size
    raise CollectionInvalid(
        f"collection '{name}' has several named vectors ({', '.join(sorted(vectors))}): "
        "set QDRANT_VECTOR_NAME"
    )


async def inspect_collection(client: AsyncQdrantClient, qdrant: QdrantSettings) -> CollectionInfo:
    """Check that the collection exists and can be read; return its vector layout.

    Raises `CollectionNotFound`, `CollectionInvalid`, or an upstream error.
    """
    name = qdrant.collection
    with upstream_errors("qdrant collection check"):
        if not await client.collection_exists(name):
            raise CollectionNotFound(f"collection '{name}' does not exist at {qdrant.location}")
        info = await client.get_collection(name)
        vectors = info.config.params.vectors
        if vectors is None:
            raise CollectionInvalid(f"collection '{name}' has no dense vectors")
        vector_name, size = _vector_params(vectors, qdrant.vector_name, name)
    return CollectionInfo(
        name=name,
        vector_name=vector_name,
        size=size,
        points=info.points_count,
        text_index=has_scored_text_index(info.payload_schema, qdrant.text_key),
        scored_text_keys=frozenset(
            key
            for key in (info.payload_schema or {})
            if has_scored_text_index(info.payload_schema, key)
        ),
    )


async def sample_layout(
    client: AsyncQdrantClient, qdrant: QdrantSettings, collection: str
) -> LayoutReport:
    """The payload layout found on the collection's first points (`engine.payloads`).

    Raises `CollectionInvalid` when they hold no text field, or an upstream error.
    """
    with upstream_errors("qdrant scroll"):
        sample, _ = await client.scroll(
            collection, limit=SAMPLE_POINTS, with_payload=True, with_vectors=False
        )
    return detect_layout([point.payload or {} for point in sample], qdrant, collection)


async def scroll_all(
    client: AsyncQdrantClient, collection: str, with_payload: bool | list[str] = True
) -> list[rest.Record]:
    """Every point of the collection (payload only, no vectors), page by page."""
    records: list[rest.Record] = []
    offset: Any = None
    while True:
        page, offset = await client.scroll(
            collection, limit=512, offset=offset, with_payload=with_payload, with_vectors=False
        )
        records += page
        if offset is None:
            return records


async def page_texts(
    client: AsyncQdrantClient, collection: str, layout: PayloadLayout, limit: int
) -> list[tuple[str, str]]:
    """The texts of at most `limit` points (one scroll), each with its page: its
    `source`, else its URL, title or point id (the grounding threshold's calibration)."""
    with upstream_errors("qdrant scroll"):
        records, _ = await client.scroll(
            collection, limit=limit, with_payload=True, with_vectors=False
        )
    found = []
    for record in records:
        payload = record.payload or {}
        text = layout.text_of(payload)
        source, url = layout.field_of(payload, "source"), layout.field_of(payload, "url")
        title = layout.field_of(payload, "title")
        page = str(source or (url and str(url).split("#", 1)[0]) or title or record.id)
        if text:
            found.append((page, text))
    return found


def attach_store(
    client: AsyncQdrantClient, info: CollectionInfo, text_key: str
) -> QdrantVectorStore:
    """A LlamaIndex store over the checked collection, told its vector layout.

    Left to itself, QdrantVectorStore re-reads the collection's config before every
    query when the dense vector is named (it only remembers the unnamed case): one
    extra round trip per request to a Qdrant server. `inspect_collection` already
    knows the layout, so the store is told it once.
    """
    store = QdrantVectorStore(
        collection_name=info.name,
        aclient=client,
        text_key=text_key,
        dense_vector_name=info.vector_name,
    )
    if info.vector_name is None:
        store.dense_vector_name = ""  # LlamaIndex's name for the unnamed vector
    store._legacy_vector_format = info.vector_name is None
    return store
