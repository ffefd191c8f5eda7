"""The engine: retrieval over the book's Qdrant collection and answers from the LLM.

`BookChat` is built once per process (clients, models, index) and answers many queries
concurrently. Each query gets its own `ContextChatEngine` with its own memory filled
from the request's history: the engine object holds nothing that one query could leak
into another.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from llama_index.core import VectorStoreIndex
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.core.chat_engine.types import StreamingAgentChatResponse
from llama_index.core.memory import ChatMemoryBuffer
from llama_index.core.schema import MetadataMode, NodeWithScore
from llama_index.core.vector_stores.types import (
    FilterOperator,
    MetadataFilter,
    MetadataFilters,
)
from qdrant_client import AsyncQdrantClient

from config import Settings
from engine.errors import (
    AnswerBlocked,
    BookChatError,
    CollectionInvalid,
    ConfigurationError,
    InvalidQuery,
)
from engine.models import Models, build_models, declared_embedding
from engine.prompting import (
    CONTEXT_TEMPLATE,
    NO_PASSAGES_ANSWER,
    SELECTED_NODE_ID,
    BookChatEngine,
    postprocessors,
)
from engine.store import (
    LLAMA_INDEX_PAYLOAD_KEYS,
    CollectionInfo,
    attach_store,
    check_vector_size,
    inspect_collection,
    open_qdrant,
    scroll_all,
)
from engine.types import ChatQuery, ChatResult, ChatStream, FilterValue, ReadyReport, Source
from engine.upstream import upstream_errors

logger = logging.getLogger(__name__)

MAX_FILTER_VALUES = 50


def metadata_filters(
    filters: Mapping[str, FilterValue | Sequence[FilterValue]],
) -> MetadataFilters | None:
    """Exact-match filters (a list means any of its values), pushed down to Qdrant."""
    if not filters:
        return None
    items: list[MetadataFilter | MetadataFilters] = []
    for key, value in filters.items():
        if isinstance(value, (list, tuple)):
            if not value or len(value) > MAX_FILTER_VALUES:
                raise InvalidQuery(f"filter '{key}' needs 1 to {MAX_FILTER_VALUES} values")
            kinds = {type(v) for v in value}
            if kinds not in ({str}, {int}):
                raise InvalidQuery(
                    f"filter '{key}': a list of values must be all strings or all integers"
                )
            items.append(MetadataFilter(key=key, value=list(value), operator=FilterOperator.IN))
        else:
            items.append(MetadataFilter(key=key, value=value, operator=FilterOperator.EQ))
    return MetadataFilters(filters=items)


def public_metadata(metadata: Mapping[str, Any], text_key: str) -> dict[str, Any]:
    """A passage's metadata as the API shows it: the payload minus text and internals."""
    shown = {
        key: value
        for key, value in metadata.items()
        if key != text_key and key not in LLAMA_INDEX_PAYLOAD_KEYS
    }
    shown["source"] = str(shown.get("source") or shown.get("file_path") or shown.get("path") or "")
    shown["title"] = str(shown.get("title") or "")
    return shown


class BookChat:
    """Answers questions about the book. Build with `await BookChat.open(settings)`."""

    def __init__(
        self,
        settings: Settings,
        models: Models,
        client: AsyncQdrantClient,
        *,
        owns_models: bool = True,
    ) -> None:
        self.settings = settings
        self.models = models
        self._client = client
        self._owns_models = owns_models
        self._lock = asyncio.Lock()
        self._index: VectorStoreIndex | None = None

    # ----------------------------------------------------------------- life cycle
    @classmethod
    async def open(
        cls, settings: Settings, *, require_collection: bool = False, models: Models | None = None
    ) -> BookChat:
        """Build the models and the Qdrant client, then attach to the collection.

        A missing or unreachable collection is not fatal unless `require_collection`:
        the engine says so through `ready()` and attaches on the first query once the
        collection is there. A collection that can never work (wrong vector size,
        missing text key) is a `ConfigurationError`/`CollectionInvalid` at once.
        `models` reuses models loaded elsewhere (tests, notebooks); they stay the
        caller's to close.
        """
        owns_models = models is None
        models = models or build_models(settings)
        try:
            client = open_qdrant(settings.qdrant)
        except BaseException:
            if owns_models:
                await models.aclose()
            raise
        engine = cls(settings, models, client, owns_models=owns_models)
        try:
            await engine.attach()
        except (ConfigurationError, CollectionInvalid):
            await engine.aclose()
            raise
        except BookChatError as exc:
            if require_collection:
                await engine.aclose()
                raise
            logger.warning("not ready yet: %s", exc.message)
        return engine

    @property
    def client(self) -> AsyncQdrantClient:
        """The process's Qdrant client (the local folder admits no second one)."""
        return self._client

    async def aclose(self) -> None:
        await self._client.close()
        if self._owns_models:
            await self.models.aclose()

    async def attach(self) -> VectorStoreIndex:
        """The index over the collection, checked and built once."""
        if self._index is not None:
            return self._index
        async with self._lock:
            if self._index is None:
                info = await inspect_collection(self._client, self.settings.qdrant)
                embed_model = self.models.make_embedding(self._embedding_dim(info))
                store = attach_store(self._client, self.settings.qdrant, info)
                self._index = VectorStoreIndex.from_vector_store(store, embed_model=embed_model)
                logger.info(
                    "attached to collection %s at %s: %s points of size %s",
                    info.name,
                    self.settings.qdrant.location,
                    info.points,
                    info.size,
                )
        return self._index

    def _embedding_dim(self, info: CollectionInfo) -> int | None:
        """The dimensionality to ask of the embedding model; the size must match."""
        check_vector_size(info, *declared_embedding(self.settings))
        if self.models.provider == "gemini" and not 128 <= info.size <= 3072:
            raise ConfigurationError(
                f"collection '{info.name}' has vectors of size {info.size}; "
                f"{self.models.embed_model} gives 128 to 3072"
            )
        return None if self.models.native_dim is not None else info.size

    async def ready(self) -> ReadyReport:
        """Whether a query can be answered now; checks the collection each time."""
        report = ReadyReport(
            ready=False,
            provider=self.models.provider,
            llm_model=self.models.llm_model,
            embed_model=self.models.embed_model,
            collection=self.settings.qdrant.collection,
            location=self.settings.qdrant.location,
        )
        try:
            await self.attach()
            info = await inspect_collection(self._client, self.settings.qdrant)
        except BookChatError as exc:
            return replace(report, reason=exc.message)
        return replace(report, ready=True, vector_size=info.size, points=info.points)

    # ------------------------------------------------------------------ answering
    def _chat_engine(self, index: VectorStoreIndex, query: ChatQuery) -> BookChatEngine:
        """A cheap engine for one query, with its own memory holding a copy of history."""
        settings = self.settings.engine
        history = (
            list(query.history)[-settings.history_max_messages :]
            if settings.history_max_messages
            else []
        )
        memory = ChatMemoryBuffer.from_defaults(
            chat_history=[
                ChatMessage(
                    role=MessageRole.USER if turn.role == "user" else MessageRole.ASSISTANT,
                    content=turn.content,
                )
                for turn in history
            ],
            llm=self.models.llm,
            token_limit=min(
                settings.history_token_limit, self.models.llm.metadata.context_window // 4
            ),
        )
        engine = BookChatEngine.from_defaults(
            retriever=self._retriever(index, query, self._top_k(query)),
            llm=self.models.llm,
            memory=memory,
            system_prompt=settings.system_prompt,
            context_template=CONTEXT_TEMPLATE,
            node_postprocessors=postprocessors(
                self.settings.qdrant.text_key, query.selected_text, settings.similarity_cutoff
            ),
        )
        assert isinstance(engine, BookChatEngine)
        return engine

    @staticmethod
    def _retriever(index: VectorStoreIndex, query: ChatQuery, top_k: int) -> BaseRetriever:
        return index.as_retriever(similarity_top_k=top_k, filters=metadata_filters(query.filters))

    def _top_k(self, query: ChatQuery) -> int:
        """Passages for an answer: the query's or the default, within the model's bound."""
        wanted = query.top_k or self.settings.engine.top_k
        return min(wanted, self.models.max_top_k) if self.models.max_top_k else wanted

    def _sources(self, nodes: Sequence[NodeWithScore]) -> list[Source]:
        text_key = self.settings.qdrant.text_key
        return [
            Source(
                id=item.node.node_id,
                text=item.node.get_content(metadata_mode=MetadataMode.NONE),
                score=float(item.score or 0.0),
                metadata=public_metadata(item.node.metadata, text_key),
            )
            for item in nodes
            if item.node.node_id != SELECTED_NODE_ID
        ]

    async def retrieve(self, query: ChatQuery) -> list[Source]:
        """Retrieval only (no LLM): the ranked passages for `query.message`."""
        index = await self.attach()
        # Not capped by the model's bound: retrieval alone puts nothing in a prompt.
        retriever = self._retriever(index, query, query.top_k or self.settings.engine.top_k)
        with upstream_errors("retrieval"):
            nodes = await retriever.aretrieve(query.message)
        return self._sources(nodes)

    async def sample_passages(self, count: int, seed: int = 0) -> list[Source]:
        """`count` passages drawn at random (reproducibly) from the whole collection."""
        await self.attach()
        text_key = self.settings.qdrant.text_key
        with upstream_errors("qdrant scroll"):
            records = await scroll_all(self._client, self.settings.qdrant.collection)
        chosen = random.Random(seed).sample(records, min(count, len(records)))
        passages = []
        for record in chosen:
            payload = dict(record.payload or {})
            text = payload.get(text_key)
            if text is None and "_node_content" in payload:
                text = json.loads(payload["_node_content"]).get("text")
            passages.append(
                Source(
                    id=str(record.id),
                    text=str(text or ""),
                    score=1.0,
                    metadata=public_metadata(payload, text_key),
                )
            )
        return passages

    async def complete(self, prompt: str) -> str:
        """One plain completion from the LLM (no retrieval)."""
        with upstream_errors("completion"):
            response = await self.models.llm.acomplete(prompt)
        return response.text

    async def chat(self, query: ChatQuery) -> ChatResult:
        """One whole answer and the passages it was given."""
        index = await self.attach()
        engine = self._chat_engine(index, query)
        with upstream_errors("chat"):
            response = await engine.achat(query.message)
        sources = self._sources(response.source_nodes)
        if not response.source_nodes:
            return ChatResult(answer=NO_PASSAGES_ANSWER, sources=[])
        answer = response.response.strip()
        if not answer:
            raise AnswerBlocked("the model returned no text")
        return ChatResult(answer=answer, sources=sources)

    async def stream(self, query: ChatQuery) -> ChatStream:
        """Retrieve now, then stream the answer: `sources` are ready on return."""
        index = await self.attach()
        engine = self._chat_engine(index, query)
        with upstream_errors("retrieval"):
            response = await engine.astream_chat(query.message)
        stream = ChatStream(sources=self._sources(response.source_nodes), deltas=_empty())
        stream.deltas = self._deltas(response, stream)
        return stream

    async def _deltas(
        self, response: StreamingAgentChatResponse, stream: ChatStream
    ) -> AsyncIterator[str]:
        parts: list[str] = []
        chunks = response.achat_stream
        if chunks is None:  # no passage: nothing was asked of the LLM
            stream.answer = NO_PASSAGES_ANSWER
            yield NO_PASSAGES_ANSWER
            return
        try:
            with upstream_errors("generation"):
                async for chunk in chunks:
                    if chunk.delta:
                        parts.append(chunk.delta)
                        yield chunk.delta
            if not "".join(parts).strip():
                raise AnswerBlocked("the model returned no text")
        finally:
            stream.answer = "".join(parts).strip()
            # Closing the chain closes the upstream HTTP stream: a reader who leaves
            # stops the generation instead of letting it run to the end.
            await chunks.aclose()


async def _empty() -> AsyncIterator[str]:
    return
    yield  # pragma: no cover - makes this an async generator


async def open_engine(settings: Settings | None = None) -> BookChat:
    """One line to get an engine in a Python or Jupyter session::

    from engine import open_engine
    chat = await open_engine()          # reads the environment and .env
    print((await chat.chat(ChatQuery("What is ROS 2?"))).answer)
    """
    return await BookChat.open(settings or Settings.load())
