"""`BookAssistant`: the engine's face, which every front end calls.

Built once per process (models, Qdrant client, index, retrieval pipeline), it answers
many queries concurrently: each query is retrieved by the shared pipeline
(`engine.retrieval`) and answered by `engine.answering` (the prompt, one model call, the
check loop). The assistant holds nothing one query could leak into another.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from dataclasses import replace

from llama_index.core import VectorStoreIndex
from qdrant_client import AsyncQdrantClient

from config import Settings
from engine.answering import ChatStream, build_prompt, open_answer, recent_turns
from engine.errors import (
    BookChatError,
    CollectionInvalid,
    CollectionNotFound,
    ConfigurationError,
)
from engine.followups import standalone_question
from engine.grounding import (
    CALIBRATION_POINTS,
    THRESHOLD,
    Calibration,
    EmbedTexts,
    Grounder,
    GroundingThreshold,
    calibrate,
)
from engine.lexical import LexicalIndex, ServerTextLeg
from engine.payloads import PayloadLayout
from engine.providers import Models, build_models
from engine.retrieval import RetrievalPipeline, passage
from engine.store import (
    CollectionInfo,
    FolderGuard,
    attach_store,
    inspect_collection,
    open_qdrant,
    page_texts,
    sample_layout,
    scroll_all,
)
from engine.telemetry import usage_scope
from engine.types import ChatQuery, ChatResult, ReadyReport, Retrieved, Source, Usage
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
        self.grounder: Grounder | None = None
        self._calibrate_early = False
        self._guard = FolderGuard.of(settings.qdrant)

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
        if self.grounder is not None:
            await self.grounder.threshold.aclose()
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
                layout = (await sample_layout(self._client, self.settings.qdrant, info.name)).layout
                store = attach_store(self._client, info, layout.text_key)
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
                    lexical=await self._lexical_leg(info, layout),
                    layout=layout,
                )
                embed = embed_model.aget_text_embedding_batch
                threshold = self.grounding_threshold(info.name, layout, embed)
                self.grounder = Grounder(
                    engine.grounding,
                    embed,
                    self.models.llm if self.models.rewrites_follow_ups else None,
                    threshold=threshold,
                )
                if self._calibrate_early and engine.grounding == "embedding":
                    threshold.start()
                logger.info(
                    "attached to collection %s at %s: %s points of size %s; hybrid %s, "
                    "minimum score %s; payload layout: %s",
                    info.name,
                    self.settings.qdrant.location,
                    info.points,
                    info.size,
                    "on" if self._pipeline.hybrid else "off",
                    self._pipeline.min_score,
                    " ".join(layout.settings_lines()),
                )
        return self._pipeline

    def calibrate_in_background(self) -> None:
        """Calibrate the grounding threshold (`auto`) now, in the background, or as soon as
        the collection is attached: for a long-lived process (the service, the REPL), so
        that no reader's answer waits for it. Otherwise the first answer whose check needs
        meaning calibrates (and waits), and a process that answers nothing never does."""
        self._calibrate_early = True
        if self.grounder is not None and self.grounder.mode == "embedding":
            self.grounder.threshold.start()

    def grounding_threshold(
        self, collection: str, layout: PayloadLayout, embed: EmbedTexts
    ) -> GroundingThreshold:
        """`BOOKCHAT_GROUNDING_THRESHOLD`: a fixed cosine, or (`auto`) one calibrated on
        `CALIBRATION_POINTS` chunks of the collection with the loaded embedding model."""
        setting = self.settings.engine.grounding_threshold
        if setting != "auto":
            return GroundingThreshold.fixed(setting)

        async def measure() -> Calibration:
            return await calibrate_on_collection(self._client, collection, layout, embed)

        return GroundingThreshold(
            fallback=self.models.default_grounding_threshold or THRESHOLD,
            measure=measure,
            model=self.models.embed_model,
        )

    async def _lexical_leg(
        self, info: CollectionInfo, layout: PayloadLayout
    ) -> LexicalIndex | ServerTextLeg | None:
        """The BM25 leg `BOOKCHAT_HYBRID` asks for and the collection allows."""
        hybrid, qdrant = self.settings.engine.hybrid, self.settings.qdrant
        if hybrid == "off":
            return None
        if not qdrant.url:  # embedded: nothing else can write the folder while we hold it
            started = time.monotonic()
            index = await LexicalIndex.from_collection(self._client, info.name, layout)
            logger.info(
                "BM25 index of %s chunks built in %.2f s", len(index), time.monotonic() - started
            )
            return index
        if layout.text_key in info.scored_text_keys:
            return ServerTextLeg(self._client, info.name, layout.text_key)
        if hybrid == "on":
            raise ConfigurationError(
                f"BOOKCHAT_HYBRID=on needs a full-text index with scoring on "
                f"'{layout.text_key}' in collection '{info.name}' (bookchat ingest makes it)"
            )
        logger.warning(
            "hybrid retrieval off: collection %s has no scored full-text index on %s",
            info.name,
            layout.text_key,
        )
        return None

    async def _rewrite(self, query: ChatQuery, page: str | None) -> str:
        """The question retrieval uses: the message, or a follow-up (or a question that
        leans on the reader's `page`, its title and section) made standalone."""
        engine = self.settings.engine
        if not engine.followup_rewrite:
            return query.message
        models = self.models
        return await standalone_question(
            query,
            (models.rewrite_llm or models.llm) if models.rewrites_follow_ups else None,
            turns=engine.followup_turns,
            time_limit=engine.followup_timeout,
            page=page,
            decide=engine.followup_decide,
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
    async def top_k(self, wanted: int | None = None) -> int:
        """The passages a query asking for `wanted` (None: the default) is given."""
        pipeline = await self.attach()
        return pipeline.top_k(ChatQuery(message="", top_k=wanted))

    async def retrieve(self, query: ChatQuery) -> Retrieved:
        """Retrieval only: the passages an answer to `query` would be given (the LLM is
        asked only to rewrite a follow-up)."""
        pipeline = await self.attach()
        return await pipeline.retrieve(query)

    async def check_scope(self, version: str | None, locale: str | None) -> None:
        """Raise `UnknownScope` for a version or locale the collection does not hold
        (what a query asking for them would raise, checked before anything runs)."""
        pipeline = await self.attach()
        await pipeline.scope(ChatQuery(message="", version=version, locale=locale))

    async def sample_passages(self, count: int, seed: int = 0) -> list[Source]:
        """`count` passages drawn at random (reproducibly) from the whole collection."""
        layout = (await self.attach()).layout
        with upstream_errors("qdrant scroll"):
            records = await scroll_all(self._client, self.settings.qdrant.collection)
        chosen = random.Random(seed).sample(records, min(count, len(records)))
        return [passage(record, 1.0, layout, self.settings.engine.site_url) for record in chosen]

    async def complete(self, prompt: str) -> str:
        """One plain completion from the LLM (no retrieval)."""
        with upstream_errors("completion"):
            response = await self.models.llm.acomplete(prompt)
        return response.text

    async def chat(self, query: ChatQuery) -> ChatResult:
        """One whole answer, the passages it was given and what it cites of them: the
        stream's checked deltas, collected (one model call, not streamed)."""
        return await (await self._answer(query, streamed=False)).collect()

    async def stream(self, query: ChatQuery) -> ChatStream:
        """Retrieve now, start the answer's stream: `sources` are ready on return, and a
        failure to start the model's call is raised here, before any delta."""
        return await self._answer(query, streamed=True)

    async def _answer(self, query: ChatQuery, *, streamed: bool) -> ChatStream:
        pipeline = await self.attach()
        with usage_scope(Usage()) as usage:  # a follow-up rewrite's tokens
            retrieval = await pipeline.retrieve(query)
        settings, llm = self.settings.engine, self.models.llm
        prompt = build_prompt(
            query.message,
            retrieval.sources,
            history=recent_turns(
                query.history,
                settings.history_max_messages,
                min(settings.history_token_limit, llm.metadata.context_window // 4),
            ),
            selected_text=query.selected_text,
            system_prompt=settings.system_prompt,
            model=llm.metadata,
            locale=retrieval.locale,
        )
        return await open_answer(
            llm,
            prompt,
            retrieval.retrieval_query,
            streamed=streamed,
            usage=usage,
            grounder=self.grounder,
        )


async def calibrate_on_collection(
    client: AsyncQdrantClient, collection: str, layout: PayloadLayout, embed: EmbedTexts
) -> Calibration:
    """The grounding threshold `auto` gives on this collection (`engine.grounding.calibrate`
    over one bounded scroll of it): one embedding call of at most `CALIBRATION_TEXTS`."""
    passages = await page_texts(client, collection, layout, CALIBRATION_POINTS)
    with upstream_errors("grounding calibration"):
        return await calibrate(passages, embed)


async def open_engine(settings: Settings | None = None) -> BookAssistant:
    """One line to get an engine in a Python or Jupyter session::

    from engine import open_engine
    chat = await open_engine()          # reads the environment and .env
    print((await chat.chat(ChatQuery("What is ROS 2?"))).answer)
    """
    return await BookAssistant.open(settings or Settings.load())
