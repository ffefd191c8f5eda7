"""Writing a docs folder into the book's collection (`bookchat ingest`).

Points are written with plain qdrant-client calls, in the layout docs/ingestion.md gives
(chunk text under `QDRANT_TEXT_KEY`, `source`, `title`, `heading`, `url`, `chapter`,
plus `chunk_index`, `chunk_count` and the page's `content_hash`), so any tool can read
them and the service reads them like any foreign collection.

Idempotent and resumable:
- point ids are uuid5 of `source#index`, so re-writing a page overwrites its points;
- a page whose stored chunks all carry its current hash (and are all there) is skipped;
- a changed page is written first and its surplus old chunks deleted after, so it is
  never missing; a failure part-way leaves every finished page in place, and a re-run
  writes only what is missing or stale;
- `prune` deletes the chunks of pages no longer in the folder;
- `dry_run` only lists the pages a run would add, change and remove.

The folder is a Docusaurus build (its HTML names Docusaurus as generator: `build.py`) or
a docs folder of Markdown and MDX (`docusaurus.py`); both give the same `Page`s.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from qdrant_client import AsyncQdrantClient
from qdrant_client.http import models as rest

from config import Settings
from engine.errors import BookChatError, CollectionNotFound, ConfigurationError
from engine.ingestion.build import is_docusaurus_build, read_build
from engine.ingestion.docusaurus import Chunk, Page, chunk_page, embedding_text, read_folder
from engine.ingestion.embedding import BatchPacker, Embedder, RetryPolicy, fit_chunks
from engine.providers import Models, build_models, embedding_spec
from engine.store import inspect_collection, open_qdrant, scroll_all, text_index_params
from engine.types import NO_PROGRESS, Progress, ProgressFactory
from engine.upstream import upstream_errors

logger = logging.getLogger(__name__)

ID_NAMESPACE = uuid.UUID("6f0cf4c4-3d4b-4c55-9a53-7d4b0c0b6b1e")
SCOPE_INDEXES = {
    "version": rest.PayloadSchemaType.KEYWORD,
    "locale": rest.PayloadSchemaType.KEYWORD,
    "latest": rest.PayloadSchemaType.BOOL,
    "default_locale": rest.PayloadSchemaType.BOOL,
}
"""Payload indexes on a server for the filters every answer from a build carries (the
reader's version and locale, `engine.retrieval`)."""


@dataclass(frozen=True)
class IngestOptions:
    folder: Path
    chunk_size: int = 512
    chunk_overlap: int = 64
    batch_size: int = 100
    """Texts an embedding call carries at most (and at most the model's own limit)."""
    concurrency: int | None = None
    """Embedding calls in flight; None = BOOKCHAT_EMBED_CONCURRENCY."""
    prune: bool = False
    base_url: str | None = None
    if_empty: bool = False
    dry_run: bool = False
    trailing_slash: bool = False
    """A docs folder's URLs end with `/` (the site's `trailingSlash: true`)."""


@dataclass
class IngestReport:
    pages: int = 0
    pages_written: int = 0
    pages_skipped: int = 0
    chunks_written: int = 0
    chunks_removed: int = 0
    embed_calls: int = 0
    embed_retries: int = 0
    quota_waits: int = 0
    quota_seconds: float = 0.0
    seconds: float = 0.0
    collection: str = ""
    created: bool = False
    already_filled: bool = False
    reader: str = "sources"
    """`build` for a Docusaurus build, `sources` for a folder of Markdown and MDX."""
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    """Pages new to the collection, stale in it, and in it but no longer in the folder
    (removed by `prune` only)."""
    dry_run: bool = False
    prune: bool = False

    def summary(self) -> str:
        if self.already_filled:
            return f"collection '{self.collection}' already holds points: nothing ingested"
        if self.dry_run:
            lines = [
                *(f"add {source}" for source in self.added),
                *(f"change {source}" for source in self.changed),
                *(
                    f"remove {source}" if self.prune else f"gone {source} (kept: no --prune)"
                    for source in self.removed
                ),
                f"dry run on '{self.collection}' ({self.reader}): {self.pages} pages read, "
                f"{len(self.added)} to add, {len(self.changed)} to change, "
                f"{len(self.removed)} to remove, {self.pages_skipped} unchanged; "
                "nothing written",
            ]
            return "\n".join(lines)
        retried = ""
        if self.embed_retries:
            retried = f" ({self.embed_retries} retried"
            if self.quota_waits:
                retried += f", {self.quota_seconds:.0f} s waiting for the quota"
            retried += ")"
        return (
            f"ingested into '{self.collection}': {self.pages} pages read, "
            f"{self.pages_written} written ({self.chunks_written} chunks), "
            f"{self.pages_skipped} unchanged, {self.chunks_removed} chunks removed, "
            f"{self.embed_calls} embedding calls{retried}, {self.seconds:.1f} s"
        )


def point_id(chunk: Chunk) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, chunk.id_key))


@dataclass
class StoredPage:
    """What the collection holds of one page."""

    hashes: set[str] = field(default_factory=set)
    points: int = 0
    chunk_count: int = 0

    def current(self, page: Page) -> bool:
        """All of the page's chunks are there, written from its present content."""
        return (
            self.hashes == {page.content_hash}
            and self.points == self.chunk_count
            and self.points > 0
        )


async def stored_pages(client: AsyncQdrantClient, collection: str) -> dict[str, StoredPage]:
    pages: dict[str, StoredPage] = {}
    for point in await scroll_all(client, collection, ["source", "content_hash", "chunk_count"]):
        payload = point.payload or {}
        stored = pages.setdefault(str(payload.get("source", "")), StoredPage())
        stored.hashes.add(str(payload.get("content_hash", "")))
        stored.points += 1
        stored.chunk_count = int(payload.get("chunk_count", 0) or 0)
    return pages


def _source_filter(source: str, keep: list[str] | None = None) -> rest.Filter:
    must: list[Any] = [rest.FieldCondition(key="source", match=rest.MatchValue(value=source))]
    must_not: list[Any] = [rest.HasIdCondition(has_id=list(keep))] if keep else []
    return rest.Filter(must=must, must_not=must_not or None)


class _Pending:
    """A page whose chunks are being embedded; `ready` once every vector is in."""

    def __init__(self, page: Page, chunks: list[Chunk]) -> None:
        self.page = page
        self.chunks = chunks
        self._vectors: list[list[float] | None] = [None] * len(chunks)
        self._missing = len(chunks)
        self.unsent = 0
        """Its chunks in the call being filled, not sent yet."""
        self.ready = asyncio.Event()
        if not chunks:
            self.ready.set()

    def set(self, index: int, vector: list[float]) -> None:
        self._vectors[index] = vector
        self._missing -= 1
        if self._missing == 0:
            self.ready.set()

    @property
    def vectors(self) -> list[list[float]]:
        return [vector for vector in self._vectors if vector is not None]


class _Window:
    """Chunks read ahead of the writes, at most `capacity` (a page larger than that
    alone)."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._used = 0
        self._changed = asyncio.Condition()
        self._writing: _Pending | None = None

    def fits(self, chunks: int) -> bool:
        return self._used == 0 or self._used + chunks <= self._capacity

    def _starved(self) -> bool:
        """The writer waits for chunks still in the call being filled."""
        return self._writing is not None and self._writing.unsent > 0

    async def take(self, chunks: int) -> bool:
        """Room for `chunks` more; False when the writer needs the call being filled
        sent first (send it, then take again)."""
        async with self._changed:
            await self._changed.wait_for(lambda: self.fits(chunks) or self._starved())
            if not self.fits(chunks):
                return False
            self._used += chunks
            return True

    async def written(self, pending: _Pending) -> None:
        """The writer is done with the page before and waits for `pending`."""
        async with self._changed:
            self._writing = pending
            self._changed.notify_all()

    async def give(self, chunks: int) -> None:
        async with self._changed:
            self._used -= chunks
            self._changed.notify_all()


def _first_error(group: BaseExceptionGroup[BaseException]) -> BaseException:
    """The error that stopped a pipeline: the first of ours, else the first."""
    leaves: list[BaseException] = []
    pending: list[BaseException] = [group]
    while pending:
        exc = pending.pop(0)
        if isinstance(exc, BaseExceptionGroup):
            pending[:0] = exc.exceptions
        else:
            leaves.append(exc)
    return next((exc for exc in leaves if isinstance(exc, BookChatError)), leaves[0])


class Ingestor:
    """One ingestion run over one folder into the configured collection."""

    def __init__(
        self,
        settings: Settings,
        options: IngestOptions,
        client: AsyncQdrantClient,
        models_factory: Callable[[], Models],
        progress: ProgressFactory = NO_PROGRESS,
    ) -> None:
        self.settings = settings
        self.options = options
        self.client = client
        self._models_factory = models_factory
        self._progress = progress
        self.embedding = embedding_spec(settings)
        self.report = IngestReport(
            collection=settings.qdrant.collection, dry_run=options.dry_run, prune=options.prune
        )
        self.vector_name = settings.qdrant.vector_name
        self._unstored: set[str] = set()
        """Pages the collection held no chunk of: nothing of theirs to delete."""

    async def checked_size(self) -> int | None:
        """The existing collection's vector size, checked against the model's; None
        when the collection does not exist yet."""
        try:
            info = await inspect_collection(self.client, self.settings.qdrant)
        except CollectionNotFound:
            return None
        self.vector_name = info.vector_name
        size = self.embedding.size_for(info.name, info.size)
        if self.settings.qdrant.url and not info.text_index and not self.options.dry_run:
            # An older or foreign collection: the full-text index can be added in place.
            with upstream_errors("qdrant text index"):
                await self.client.create_payload_index(
                    info.name, self.settings.qdrant.text_key, field_schema=text_index_params()
                )
        if self.settings.qdrant.url and not self.options.dry_run:
            await self.scope_indexes()
        return size

    async def scope_indexes(self) -> None:
        """The version and locale indexes a server lacks (a collection made before them)."""
        name = self.report.collection
        with upstream_errors("qdrant scope index"):
            held = (await self.client.get_collection(name)).payload_schema or {}
            for key, schema in SCOPE_INDEXES.items():
                if key not in held:
                    await self.client.create_payload_index(name, key, field_schema=schema)

    async def create_collection(self) -> int:
        """Create the collection with the model's vector size and a `source` index."""
        size = self.embedding.dim or self.embedding.default_dim
        params = rest.VectorParams(size=size, distance=rest.Distance.COSINE)
        with upstream_errors("qdrant create collection"):
            await self.client.create_collection(
                self.report.collection,
                vectors_config={self.vector_name: params} if self.vector_name else params,
            )
            if self.settings.qdrant.url:  # payload indexes do nothing in local mode
                await self.client.create_payload_index(
                    self.report.collection, "source", field_schema=rest.PayloadSchemaType.KEYWORD
                )
                # BM25 over the chunk text, for the hybrid leg a server computes itself.
                await self.client.create_payload_index(
                    self.report.collection,
                    self.settings.qdrant.text_key,
                    field_schema=text_index_params(),
                )
                for key, schema in SCOPE_INDEXES.items():
                    await self.client.create_payload_index(
                        self.report.collection, key, field_schema=schema
                    )
        self.report.created = True
        logger.info("created collection %s (%s dimensions)", self.report.collection, size)
        return size

    async def collection_has_points(self) -> bool:
        name = self.settings.qdrant.collection
        with upstream_errors("qdrant count"):
            if not await self.client.collection_exists(name):
                return False
            return (await self.client.count(name, exact=False)).count > 0

    async def run(self) -> IngestReport:
        started = time.monotonic()
        if self.options.if_empty and await self.collection_has_points():
            self.report.already_filled = True
            self.report.seconds = time.monotonic() - started
            return self.report
        pages = self.read_pages()
        self.report.pages = len(pages)
        size = await self.checked_size()
        stored = await self.stored() if size is not None else {}
        todo = [p for p in pages if not (p.source in stored and stored[p.source].current(p))]
        self.report.pages_skipped = len(pages) - len(todo)
        present = {page.source for page in pages}
        self.report.added = [p.source for p in todo if p.source not in stored]
        self._unstored = set(self.report.added)
        self.report.changed = [p.source for p in todo if p.source in stored]
        self.report.removed = sorted(source for source in stored if source not in present)
        if self.options.dry_run:
            self.report.seconds = time.monotonic() - started
            return self.report
        progress = self._progress(len(pages), "page")
        for page in pages:
            if page not in todo:
                progress.step(page.source, "unchanged")
        if todo:
            # The models load only when there is something to embed.
            models = self._models_factory()
            try:
                if size is None:
                    size = await self.create_collection()
                embed = models.embedding_for(self.report.collection, size)
                await self.write_pages(todo, embed, progress)
            finally:
                progress.close()
                await models.aclose()
        progress.close()  # also when there was nothing to write
        if self.options.prune:
            await self.prune(stored, present)
        self.report.seconds = time.monotonic() - started
        return self.report

    def read_pages(self) -> list[Page]:
        folder = self.options.folder
        if is_docusaurus_build(folder):
            self.report.reader = "build"
            pages = read_build(folder, self.options.base_url)
            if not pages:
                raise ConfigurationError(f"no docs pages or blog posts in the build {folder}")
            return pages
        pages = read_folder(folder, self.options.base_url, self.options.trailing_slash)
        if not pages:
            raise ConfigurationError(f"no .md or .mdx pages under {folder}")
        return pages

    async def stored(self) -> dict[str, StoredPage]:
        with upstream_errors("qdrant scroll"):
            return await stored_pages(self.client, self.report.collection)

    async def write_pages(
        self, pages: list[Page], model: BaseEmbedding, progress: Progress
    ) -> None:
        """Embed the pages' chunks and write each page once all of its vectors are in.

        A pipeline: the pages' chunks are packed into calls within the model's limits
        (`BatchPacker`), at most `concurrency` calls in flight (`Embedder`), and a writer
        stores each page, in order, while later calls run. The chunks read ahead of the
        writes are bounded (`_Window`). The first error stops every step: the pages
        written stay, a page is never written in part (its old chunks are deleted after
        its new ones are in), and a re-run writes only what is missing or stale.
        """
        spec = self.embedding
        concurrency = self.options.concurrency or self.settings.gemini.embed_concurrency
        texts = min(self.options.batch_size, spec.batch_texts)
        embedder = Embedder(
            model,
            concurrency,
            RetryPolicy(
                retries=self.settings.gemini.embed_retries,
                max_wait=self.settings.gemini.embed_max_wait,
                first_backoff=max(self.settings.gemini.retry_initial_delay, 0.01),
            ),
            progress,
        )
        window = _Window(texts * (concurrency + 2))  # the calls in flight and two more
        queue: asyncio.Queue[_Pending | None] = asyncio.Queue()

        async def embed(batch: list[tuple[_Pending, int, str]]) -> None:
            vectors = await embedder.embed([text for _, _, text in batch])
            for (pending, index, _), vector in zip(batch, vectors, strict=True):
                pending.set(index, vector)

        async def produce(tasks: asyncio.TaskGroup) -> None:
            packer: BatchPacker[tuple[_Pending, int, str]] = BatchPacker(texts, spec.request_bytes)

            def send(batch: list[tuple[_Pending, int, str]] | None) -> None:
                if batch:
                    for pending, _, _ in batch:
                        pending.unsent -= 1
                    tasks.create_task(embed(batch))

            for page in pages:
                chunks = chunk_page(page, self.options.chunk_size, self.options.chunk_overlap)
                chunks = fit_chunks(page, chunks, spec.model, spec.input_tokens)
                while not await window.take(len(chunks)):
                    send(packer.flush())  # the writer waits for these
                pending = _Pending(page, chunks)
                queue.put_nowait(pending)
                for index, chunk in enumerate(chunks):
                    text = embedding_text(chunk)
                    pending.unsent += 1
                    send(packer.add((pending, index, text), text))
            send(packer.flush())
            queue.put_nowait(None)

        async def write() -> None:
            while (pending := await queue.get()) is not None:
                await window.written(pending)
                await pending.ready.wait()
                await self.write_page(pending, progress)
                await window.give(len(pending.chunks))

        try:
            async with asyncio.TaskGroup() as tasks:
                tasks.create_task(produce(tasks))
                tasks.create_task(write())
        except BaseExceptionGroup as group:
            error = _first_error(group)
            raise error from error.__cause__
        finally:
            self.report.embed_calls += embedder.calls
            self.report.embed_retries += embedder.retries
            self.report.quota_waits += embedder.quota_waits
            self.report.quota_seconds += embedder.waited

    async def write_page(self, pending: _Pending, progress: Progress) -> None:
        """Write a page's points, then delete its surplus old chunks (if it had any)."""
        page, text_key = pending.page, self.settings.qdrant.text_key
        points = [
            rest.PointStruct(
                id=point_id(chunk),
                vector={self.vector_name: vector} if self.vector_name else vector,
                payload={text_key: chunk.text, **chunk.metadata},
            )
            for chunk, vector in zip(pending.chunks, pending.vectors, strict=True)
        ]
        keep = [str(point.id) for point in points]
        with upstream_errors("qdrant write"):
            if points:
                await self.client.upsert(self.report.collection, points=points, wait=True)
            if page.source not in self._unstored:
                # A filtered delete scans every point in the embedded mode: only for a
                # page that had chunks.
                await self.client.delete(
                    self.report.collection,
                    points_selector=rest.FilterSelector(filter=_source_filter(page.source, keep)),
                )
        self.report.pages_written += 1
        self.report.chunks_written += len(points)
        progress.step(page.source, "written")

    async def prune(self, stored: dict[str, StoredPage], present: set[str]) -> None:
        """Delete the chunks of pages that are no longer in the folder."""
        for source, held in stored.items():
            if source not in present:
                with upstream_errors("qdrant delete"):
                    await self.client.delete(
                        self.report.collection,
                        points_selector=rest.FilterSelector(filter=_source_filter(source)),
                    )
                self.report.chunks_removed += held.points


async def ingest(
    settings: Settings, options: IngestOptions, progress: ProgressFactory = NO_PROGRESS
) -> IngestReport:
    """Run one ingestion; the Qdrant client is opened and closed here.

    The embedding calls are retried by the ingestion itself (`embedding.Embedder`: after
    the delay a 429 gives), not by the SDK as well."""
    client = open_qdrant(settings.qdrant)
    once = settings.gemini.model_copy(update={"retry_attempts": 1})
    models_settings = settings.model_copy(update={"gemini": once})
    try:
        ingestor = Ingestor(
            settings,
            options,
            client,
            lambda: build_models(models_settings, with_llm=False),
            progress,
        )
        return await ingestor.run()
    finally:
        await client.close()
