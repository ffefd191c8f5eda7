"""`BookAssistant`: the engine's face, which every front end calls.

Built once per process (models, Qdrant client, index, retrieval pipeline), it answers
many queries concurrently: each query gets its own `Answerer` (a LlamaIndex context chat
engine) with its own memory filled from the request's history, over the shared
retrieval pipeline. The assistant holds nothing one query could leak into another.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import AsyncIterator
from dataclasses import replace

from llama_index.core import VectorStoreIndex
from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.core.chat_engine.types import StreamingAgentChatResponse
from llama_index.core.memory import ChatMemoryBuffer
from qdrant_client import AsyncQdrantClient

from config import Settings
from engine.answering import (
    CONTEXT_TEMPLATE,
    NO_PASSAGES_ANSWER,
    Answerer,
    prompt_postprocessors,
    retrieved_only,
)
from engine.errors import (
    AnswerBlocked,
    BookChatError,
    CollectionInvalid,
    ConfigurationError,
)
from engine.providers import Models, build_models
from engine.retrieval import RetrievalPipeline, public_metadata
from engine.store import attach_store, inspect_collection, open_qdrant, scroll_all
from engine.types import ChatQuery, ChatResult, ChatStream, ReadyReport, Source
from engine.upstream import upstream_errors

logger = logging.getLogger(__name__)


class BookAssistant:
    """Answers questions about the book. Build with `await BookAssistant.open(settings)`."""

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
        self._pipeline: RetrievalPipeline | None = None

    # ----------------------------------------------------------------- life cycle
    @classmethod
    async def open(
        cls, settings: Settings, *, require_collection: bool = False, models: Models | None = None
    ) -> BookAssistant:
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

    async def attach(self) -> RetrievalPipeline:
        """The retrieval pipeline over the collection, checked and built once."""
        if self._pipeline is not None:
            return self._pipeline
        async with self._lock:
            if self._pipeline is None:
                info = await inspect_collection(self._client, self.settings.qdrant)
                embed_model = self.models.embedding_for(info.name, info.size)
                store = attach_store(self._client, self.settings.qdrant, info)
                index = VectorStoreIndex.from_vector_store(store, embed_model=embed_model)
                self._pipeline = RetrievalPipeline(index, self.settings, self.models.max_top_k)
                logger.info(
                    "attached to collection %s at %s: %s points of size %s",
                    info.name,
                    self.settings.qdrant.location,
                    info.points,
                    info.size,
                )
        return self._pipeline

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
    def _answerer(self, pipeline: RetrievalPipeline, query: ChatQuery) -> Answerer:
        """A cheap chat engine for one query, with its own memory holding a copy of history."""
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
        engine = Answerer.from_defaults(
            retriever=pipeline.retriever(query),
            llm=self.models.llm,
            memory=memory,
            system_prompt=settings.system_prompt,
            context_template=CONTEXT_TEMPLATE,
            node_postprocessors=prompt_postprocessors(query.selected_text),
        )
        assert isinstance(engine, Answerer)
        return engine

    async def top_k(self, wanted: int | None = None) -> int:
        """The passages a query asking for `wanted` (None: the default) is given."""
        pipeline = await self.attach()
        return pipeline.top_k(ChatQuery(message="", top_k=wanted))

    async def retrieve(self, query: ChatQuery) -> list[Source]:
        """Retrieval only (no LLM): the passages an answer to `query` would be given."""
        pipeline = await self.attach()
        return pipeline.sources(await pipeline.retrieve(query))

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
        pipeline = await self.attach()
        engine = self._answerer(pipeline, query)
        with upstream_errors("chat"):
            response = await engine.achat(query.message)
        if not response.source_nodes:
            return ChatResult(answer=NO_PASSAGES_ANSWER, sources=[])
        answer = response.response.strip()
        if not answer:
            raise AnswerBlocked("the model returned no text")
        return ChatResult(
            answer=answer, sources=pipeline.sources(retrieved_only(response.source_nodes))
        )

    async def stream(self, query: ChatQuery) -> ChatStream:
        """Retrieve now, then stream the answer: `sources` are ready on return."""
        pipeline = await self.attach()
        engine = self._answerer(pipeline, query)
        with upstream_errors("retrieval"):
            response = await engine.astream_chat(query.message)
        stream = ChatStream(
            sources=pipeline.sources(retrieved_only(response.source_nodes)), deltas=_empty()
        )
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


async def open_engine(settings: Settings | None = None) -> BookAssistant:
    """One line to get an engine in a Python or Jupyter session::

    from engine import open_engine
    chat = await open_engine()          # reads the environment and .env
    print((await chat.chat(ChatQuery("What is ROS 2?"))).answer)
    """
    return await BookAssistant.open(settings or Settings.load())
