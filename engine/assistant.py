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
import time
from collections.abc import AsyncIterator
from dataclasses import replace

from llama_index.core import VectorStoreIndex
from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.core.chat_engine.types import AgentChatResponse, StreamingAgentChatResponse
from llama_index.core.memory import ChatMemoryBuffer
from llama_index.core.schema import NodeWithScore
from qdrant_client import AsyncQdrantClient

from config import Settings
from engine.answer_checks import CitationChecker, NotInBookDetector
from engine.answering import (
    CONTEXT_PROMPT,
    NOT_IN_BOOK_ANSWER,
    Answerer,
    RetrievedPassages,
    prompt_postprocessors,
    retrieved_only,
)
from engine.errors import (
    AnswerBlocked,
    BookChatError,
    CollectionInvalid,
    CollectionNotFound,
    ConfigurationError,
)
from engine.followups import standalone_question
from engine.lexical import LexicalIndex, ServerTextLeg
from engine.providers import Models, build_models
from engine.retrieval import (
    RetrievalPipeline,
    public_metadata,
)
from engine.store import (
    CollectionInfo,
    FolderGuard,
    attach_store,
    inspect_collection,
    open_qdrant,
    scroll_all,
)
from engine.telemetry import record_outcome, record_stage
from engine.types import ChatQuery, ChatResult, ChatStream, ReadyReport, Retrieved, Source
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
        self._guard = FolderGuard.of(settings.qdrant)
        # The chat engine's system prompt, made once: each request's engine reads it.
        self._system_message = ChatMessage(
            role=models.llm.metadata.system_role, content=settings.engine.system_prompt
        )

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
        """The retrieval pipeline over the collection, checked and built once.

        In the embedded mode every call first checks (one `stat`) that the folder is
        still the one this process locked: deleted or replaced under it, the points in
        memory are stale and nothing protects the folder, so queries and `/ready` fail
        (503) until a restart opens the folder again.
        """
        if self._guard is not None and (lost := self._guard.lost()) is not None:
            raise CollectionNotFound(f"{lost}: restart the service to open it again")
        if self._pipeline is not None:
            return self._pipeline
        async with self._lock:
            if self._pipeline is None:
                info = await inspect_collection(self._client, self.settings.qdrant)
                embed_model = self.models.embedding_for(info.name, info.size)
                store = attach_store(self._client, self.settings.qdrant, info)
                index = VectorStoreIndex.from_vector_store(store, embed_model=embed_model)
                engine = self.settings.engine
                self._pipeline = RetrievalPipeline(
                    index,
                    embed_model,
                    self._client,
                    self.settings,
                    rewrite=self._rewrite,
                    min_score=(
                        engine.min_score
                        if engine.min_score is not None
                        else self.models.default_min_score
                    ),
                    max_top_k=self.models.max_top_k,
                    lexical=await self._lexical_leg(info),
                )
                logger.info(
                    "attached to collection %s at %s: %s points of size %s; hybrid %s, "
                    "minimum score %s",
                    info.name,
                    self.settings.qdrant.location,
                    info.points,
                    info.size,
                    "on" if self._pipeline.hybrid else "off",
                    self._pipeline.min_score,
                )
        return self._pipeline

    async def _lexical_leg(self, info: CollectionInfo) -> LexicalIndex | ServerTextLeg | None:
        """The BM25 leg `BOOKCHAT_HYBRID` asks for and the collection allows."""
        hybrid, qdrant = self.settings.engine.hybrid, self.settings.qdrant
        if hybrid == "off":
            return None
        if not qdrant.url:  # embedded: nothing else can write the folder while we hold it
            started = time.monotonic()
            index = await LexicalIndex.from_collection(self._client, info.name, qdrant.text_key)
            logger.info(
                "BM25 index of %s chunks built in %.2f s", len(index), time.monotonic() - started
            )
            return index
        if info.text_index:
            return ServerTextLeg(self._client, info.name, qdrant.text_key)
        if hybrid == "on":
            raise ConfigurationError(
                f"BOOKCHAT_HYBRID=on needs a full-text index with scoring on "
                f"'{qdrant.text_key}' in collection '{info.name}' (bookchat ingest makes it)"
            )
        logger.warning(
            "hybrid retrieval off: collection %s has no scored full-text index on %s",
            info.name,
            qdrant.text_key,
        )
        return None

    async def _rewrite(self, query: ChatQuery) -> str:
        """The question retrieval uses: the message, or a follow-up made standalone."""
        engine = self.settings.engine
        if not engine.followup_rewrite:
            return query.message
        return await standalone_question(
            query,
            self.models.llm if self.models.rewrites_follow_ups else None,
            turns=engine.followup_turns,
            time_limit=engine.followup_timeout,
        )

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
    def _answerer(self, query: ChatQuery, passages: list[NodeWithScore]) -> Answerer:
        """A cheap chat engine for one query over its passages, with its own memory
        holding a copy of the history."""
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
        return Answerer(
            RetrievedPassages(passages),
            llm=self.models.llm,
            memory=memory,
            prefix_messages=[self._system_message],
            node_postprocessors=prompt_postprocessors(query.selected_text),
            context_template=CONTEXT_PROMPT,
            context_refine_template=CONTEXT_PROMPT,  # unused: one LLM call, no refine
        )

    async def top_k(self, wanted: int | None = None) -> int:
        """The passages a query asking for `wanted` (None: the default) is given."""
        pipeline = await self.attach()
        return pipeline.top_k(ChatQuery(message="", top_k=wanted))

    async def retrieve(self, query: ChatQuery) -> Retrieved:
        """Retrieval only: the passages an answer to `query` would be given (the LLM is
        asked only to rewrite a follow-up)."""
        pipeline = await self.attach()
        retrieval = await pipeline.retrieve(query)
        return Retrieved(retrieval.query, pipeline.sources(retrieval.nodes))

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
        """One whole answer, the passages it was given and what it cites of them."""
        pipeline = await self.attach()
        retrieval = await pipeline.retrieve(query)
        engine = self._answerer(query, retrieval.nodes)
        started = time.perf_counter()
        with upstream_errors("chat"):
            response = await engine.answer(query.message)
        if response.source_nodes:  # else no LLM call was made
            record_stage("generation", time.perf_counter() - started)
        passages = pipeline.sources(retrieved_only(response.source_nodes))
        result = self._checked(response, passages, retrieval.query)
        record_outcome(result.outcome)
        return result

    @staticmethod
    def _checked(
        response: AgentChatResponse, passages: list[Source], retrieval_query: str
    ) -> ChatResult:
        """The whole answer after the "not in the book" and citation checks."""
        if not response.source_nodes:  # nothing counted: no LLM call was made
            return ChatResult(NOT_IN_BOOK_ANSWER, [], retrieval_query, "not_in_book")
        detector = NotInBookDetector()
        text = detector.feed(response.response) + detector.flush()
        if detector.not_in_book:
            return ChatResult(NOT_IN_BOOK_ANSWER, passages, retrieval_query, "not_in_book")
        checker = CitationChecker(len(passages))
        answer = checker.check(text)
        if not answer:
            raise AnswerBlocked("the model returned no text")
        return ChatResult(answer, passages, retrieval_query, "answered", sorted(checker.cited))

    async def stream(self, query: ChatQuery) -> ChatStream:
        """Retrieve now, then stream the answer: `sources` are ready on return."""
        pipeline = await self.attach()
        retrieval = await pipeline.retrieve(query)
        engine = self._answerer(query, retrieval.nodes)
        started = time.perf_counter()
        with upstream_errors("generation"):
            response = await engine.stream_answer(query.message)
        passages = retrieved_only(response.source_nodes)
        stream = ChatStream(
            sources=pipeline.sources(passages), deltas=_empty(), retrieval_query=retrieval.query
        )
        stream.deltas = self._deltas(response, stream, started)
        return stream

    async def _deltas(
        self, response: StreamingAgentChatResponse, stream: ChatStream, started: float
    ) -> AsyncIterator[str]:
        """The model's deltas, checked as they pass (see `engine.answer_checks`).

        `started`: when the generation call was made, for its stage times."""
        chunks = response.achat_stream
        if chunks is None:  # nothing counted: no LLM call was made
            stream.answer, stream.outcome = NOT_IN_BOOK_ANSWER, "not_in_book"
            record_outcome(stream.outcome)
            yield NOT_IN_BOOK_ANSWER
            return
        detector, checker = NotInBookDetector(), CitationChecker(len(stream.sources))
        parts: list[str] = []
        first = True
        try:
            with upstream_errors("generation"):
                async for chunk in chunks:
                    if first:
                        record_stage("first_token", time.perf_counter() - started)
                        first = False
                    text = checker.feed(detector.feed(chunk.delta or ""))
                    if detector.not_in_book:
                        break
                    if text:
                        parts.append(text)
                        yield text
            if not detector.not_in_book:
                tail = checker.feed(detector.flush()) + checker.flush()
                if tail.strip():
                    parts.append(tail.rstrip())
                    yield tail.rstrip()
                if not "".join(parts).strip():
                    raise AnswerBlocked("the model returned no text")
        finally:
            # Closing the chain closes the upstream HTTP stream: a reader who leaves
            # stops the generation instead of letting it run to the end.
            await chunks.aclose()
            record_stage("generation", time.perf_counter() - started)
        if detector.not_in_book:
            stream.answer, stream.outcome = NOT_IN_BOOK_ANSWER, "not_in_book"
            record_outcome(stream.outcome)
            yield NOT_IN_BOOK_ANSWER
            return
        stream.answer, stream.cited = "".join(parts).strip(), sorted(checker.cited)
        record_outcome(stream.outcome)


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
