"""The Gemini provider: google-genai through LlamaIndex's wrappers, lean where it counts.

`build_gemini_models` makes the LLM (`GeminiLLM`) and the embedding model
(`GeminiEmbedding`), each with its own timeout, the SDK's retry options, and one
aiohttp session shared by every async call.

`GeminiLLM`: `GoogleGenAI.achat`/`astream_chat` open an SDK chat session per call, convert every
message through the file-upload-aware converter, send the whole `GenerateContentConfig`
dump (every field, mostly None, checked one by one by the SDK's converter), and build
each streamed chunk as a full response with `model_dump()`s of the candidate and usage.
Profiled under load that costs ~0.5 ms a `/chat` and ~0.1 ms a streamed chunk of
event-loop CPU over the raw SDK call. This subclass keeps the LLM interface (callbacks,
instrumentation, metadata, `complete`, tools, files: the parent's) and sends text-only
chats as one `generate_content(_stream)` call with the configuration's set fields only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import aiohttp
from google.genai import types
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseAsyncGen,
    MessageRole,
    TextBlock,
)
from llama_index.core.bridge.pydantic import PrivateAttr
from llama_index.embeddings.google_genai import GoogleGenAIEmbedding
from llama_index.llms.google_genai import GoogleGenAI

from config import GeminiSettings, Settings
from engine.errors import ConfigurationError
from engine.providers import GEMINI_BATCH_TEXTS, EmbeddingSpec, Models
from engine.providers.batching import QuestionBatcher
from engine.telemetry import record_tokens
from engine.types import ModelUsage
from engine.upstream import cut_short, finished_early, refused, too_few_embeddings

GEMINI_ROLES = {MessageRole.USER: "user", MessageRole.ASSISTANT: "model"}


def plain_contents(
    messages: Sequence[ChatMessage],
) -> tuple[str | None, list[types.Content]] | None:
    """(system instruction, contents) for a text-only chat; None when it is not one.

    Neighbouring messages of the same role are merged, as the parent does.
    """
    system: str | None = None
    contents: list[types.Content] = []
    for index, message in enumerate(messages):
        if not all(isinstance(block, TextBlock) for block in message.blocks):
            return None
        text = message.content or ""
        if message.role == MessageRole.SYSTEM and index == 0:
            system = text
            continue
        role = GEMINI_ROLES.get(message.role)
        if role is None:
            return None
        if contents and contents[-1].role == role and contents[-1].parts:
            contents[-1].parts.append(types.Part(text=text))
        else:
            contents.append(types.Content(role=role, parts=[types.Part(text=text)]))
    return system, contents


def _text(response: types.GenerateContentResponse) -> tuple[str, types.Candidate | None]:
    if not response.candidates:
        return "", None
    candidate = response.candidates[0]
    parts = candidate.content.parts if candidate.content and candidate.content.parts else []
    return "".join(p.text for p in parts if p.text and not p.thought), candidate


def record_usage(model: str, response: types.GenerateContentResponse) -> ModelUsage | None:
    """Tokens in, out and thinking, when Gemini reported them (with the last chunk of a
    stream), recorded (`engine.telemetry`) and returned."""
    usage = response.usage_metadata
    if usage is None:
        return None
    call = ModelUsage(
        model,
        usage.prompt_token_count or 0,
        usage.candidates_token_count or 0,
        usage.thoughts_token_count or 0,
    )
    record_tokens(call)
    return call


def generation_config(
    max_output_tokens: int, thinking_level: str, temperature: float | None
) -> types.GenerateContentConfig:
    """What every answer (or rewrite) call sends: the length bound, the thinking level
    (none for `DEFAULT`) and a temperature only when one is configured (Gemini 3's
    default, 1.0, otherwise: LlamaIndex's wrapper would send 0.1 for a model name it
    does not know as Gemini 3)."""
    return types.GenerateContentConfig(
        max_output_tokens=max_output_tokens,
        temperature=temperature,
        thinking_config=(
            None
            if thinking_level == "DEFAULT"
            else types.ThinkingConfig(thinking_level=types.ThinkingLevel(thinking_level))
        ),
    )


class GeminiLLM(GoogleGenAI):
    """`GoogleGenAI` whose text-only chats are one plain SDK call (see the module)."""

    _set_config: dict[str, Any] = PrivateAttr(default_factory=dict)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        config = self._generation_config or {}
        self._set_config = {key: value for key, value in config.items() if value is not None}
        if isinstance(thinking := self._set_config.get("thinking_config"), dict):
            self._set_config["thinking_config"] = {
                key: value for key, value in thinking.items() if value is not None
            }

    @classmethod
    def class_name(cls) -> str:
        return "GeminiLLM"

    def _config(self, system: str | None) -> types.GenerateContentConfig:
        return types.GenerateContentConfig(**self._set_config, system_instruction=system)

    async def _achat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        plain = None if kwargs else plain_contents(messages)
        if plain is None:
            return await super()._achat(messages, **kwargs)  # type: ignore[no-any-return]
        system, contents = plain
        response = await self._client.aio.models.generate_content(
            model=self.model, contents=contents, config=self._config(system)
        )
        usage = record_usage(self.model, response)
        text, candidate = _text(response)
        if candidate is None:
            raise refused(response)
        if (error := finished_early(candidate)) is not None:
            raise error
        return ChatResponse(
            message=ChatMessage(role=MessageRole.ASSISTANT, content=text),
            additional_kwargs={"usage": usage} if usage is not None else {},
        )

    async def _astream_chat(
        self, messages: Sequence[ChatMessage], **kwargs: Any
    ) -> ChatResponseAsyncGen:
        plain = None if kwargs else plain_contents(messages)
        if plain is None:
            return await super()._astream_chat(messages, **kwargs)
        system, contents = plain
        chunks = await self._client.aio.models.generate_content_stream(
            model=self.model, contents=contents, config=self._config(system)
        )

        async def gen() -> ChatResponseAsyncGen:
            parts: list[str] = []
            last: types.GenerateContentResponse | None = None
            finished = False
            try:
                async for chunk in chunks:
                    last = chunk
                    delta, candidate = _text(chunk)
                    if candidate is None and chunk.prompt_feedback is not None:
                        raise refused(chunk)
                    if candidate is not None and (error := finished_early(candidate)):
                        raise error
                    if candidate is not None and candidate.finish_reason is not None:
                        finished = True
                    if delta:
                        parts.append(delta)
                        yield ChatResponse(
                            message=ChatMessage(role=MessageRole.ASSISTANT, content="".join(parts)),
                            delta=delta,
                        )
                if not finished:  # cut between chunks: the text may stop mid-sentence
                    raise cut_short()
                usage = record_usage(self.model, last) if last is not None else None
                last = None
                if usage is not None:  # the counts come with the last chunk
                    yield ChatResponse(
                        message=ChatMessage(role=MessageRole.ASSISTANT, content="".join(parts)),
                        delta="",
                        additional_kwargs={"usage": usage},
                    )
            finally:
                if last is not None:  # failed or left early: the counts Gemini gave
                    record_usage(self.model, last)
                # Closes the upstream HTTP stream when the reader leaves early.
                close = getattr(chunks, "aclose", None)
                if close is not None:
                    await close()

        return gen()

    # `engine.answering.UninstrumentedChat`: the answer's call, without the callback layer.
    async def achat_uninstrumented(self, messages: Sequence[ChatMessage]) -> ChatResponse:
        return await self._achat(messages)

    async def astream_chat_uninstrumented(
        self, messages: Sequence[ChatMessage]
    ) -> ChatResponseAsyncGen:
        return await self._astream_chat(messages)


class GeminiEmbedding(GoogleGenAIEmbedding):
    """`GoogleGenAIEmbedding` whose calls are one `embed_content` each, and whose
    question embedding retrieval calls directly (`aembed_query`), batched with the
    questions asked at the same moment (`engine.providers.batching`).

    The parent wraps each async call in a tenacity loop (ours make one attempt: the SDK's
    retry options retry), and LlamaIndex's `aget_query_embedding` adds a span, a
    `to_payload()` dump of the model and two events that validate the 768 floats of the
    vector: 0.8 ms of CPU a question, 6 % of the service's in a c=32 burst. The request
    is the parent's: the same contents, task type and dimensionality.
    """

    _questions: QuestionBatcher = PrivateAttr()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._questions = QuestionBatcher(
            lambda texts: self._aembed_texts(texts, task_type="RETRIEVAL_QUERY"),
            self.embed_batch_size,
        )

    @classmethod
    def class_name(cls) -> str:
        return "GeminiEmbedding"

    async def _aembed_texts(
        self, texts: list[str], task_type: str | None = None
    ) -> list[list[float]]:
        config = dict(self.embedding_config or {})
        if task_type:
            config["task_type"] = task_type
        contents: list[types.ContentUnion] = [[text] for text in texts]
        response = await self._client.aio.models.embed_content(
            model=self.model_name,
            contents=contents,
            config=types.EmbedContentConfig.model_validate(config),
        )
        vectors = [item.values for item in response.embeddings or []]
        if len(vectors) != len(texts) or any(vector is None for vector in vectors):
            raise too_few_embeddings(len(vectors), len(texts))
        return [vector for vector in vectors if vector is not None]

    async def aembed_query(self, query: str) -> list[float]:
        """The embedding of a question, as `aget_query_embedding` gives it."""
        return await self._questions.embed(query)

    async def aclose(self) -> None:
        await self._questions.aclose()
        await self._client.aio.aclose()


DEFAULT_GROUNDING_THRESHOLD = 0.8
"""The grounding threshold for gemini-embedding-001 when `auto` cannot calibrate. Not
measured (no key where it was written): `engine.grounding`'s rule applied to unrelated
texts scoring up to about 0.66 on this model (0.66 + 0.41 * 0.34). `bookchat eval
--grounding` with a key measures it (docs/evaluation.md)."""

REWRITE_MAX_TOKENS = 512
"""A standalone question is one line (`engine.followups.MAX_REWRITE_CHARS` at most)."""

# Statuses the SDK retries itself (with exponential backoff and jitter).
RETRIED_STATUSES = [408, 429, 500, 502, 503, 504]


def gemini_http_options(
    gemini: GeminiSettings, timeout_s: float, session: aiohttp.ClientSession | None
) -> dict[str, Any]:
    """Timeout (the SDK wants milliseconds), base URL, retries and session for a client.

    As a dict: LlamaIndex's Gemini wrappers turn an `HttpOptions` into JSON, which the
    session does not survive; a dict they pass through to the SDK as it is.
    """
    options = types.HttpOptions(
        base_url=gemini.base_url,
        timeout=int(timeout_s * 1000),
        retry_options=types.HttpRetryOptions(
            attempts=gemini.retry_attempts,
            initial_delay=gemini.retry_initial_delay,
            max_delay=max(gemini.retry_initial_delay * 8, 1.0),
            jitter=gemini.retry_initial_delay / 4,
            http_status_codes=RETRIED_STATUSES,
        ),
        aiohttp_client=session,
        async_client_args=(
            {"proxy": gemini.proxy.get_secret_value()} if gemini.proxy is not None else None
        ),
    )
    return options.model_dump(exclude_none=True)


def gemini_session() -> aiohttp.ClientSession | None:
    """One aiohttp session for all of the process's async Gemini calls.

    The SDK's own sessions trust the environment, so aiohttp looks up netrc credentials
    and proxy variables in a worker thread before every call: two thread hops a call,
    measured at ~1.9 ms of CPU per `/chat` and a doubled first-delta tail under load.
    This session does not; a proxy is `BOOKCHAT_GEMINI_PROXY`, given per call. A session
    belongs to an event loop, so there is one only when the models are built inside a
    running loop (the service, the REPL, ingestion); elsewhere the SDK makes its own.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return None
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0), trust_env=False)


def build_gemini_models(settings: Settings, embedding: EmbeddingSpec) -> Models:
    gemini = settings.gemini
    if gemini.api_key is None:
        raise ConfigurationError(
            "the gemini provider needs GEMINI_API_KEY (or GOOGLE_API_KEY) to be set"
        )
    api_key = gemini.api_key.get_secret_value()
    session = gemini_session()
    # max_tokens and context_window both given: the wrapper then skips its
    # GET /models/{model} call at construction. max_retries=0: the SDK's
    # HttpRetryOptions retry instead (the wrapper never retries 429 nor streams).
    llm = GeminiLLM(
        model=gemini.llm_model,
        api_key=api_key,
        max_tokens=gemini.max_output_tokens,
        context_window=gemini.context_window,
        http_options=gemini_http_options(gemini, gemini.llm_timeout, session),
        max_retries=0,
        generation_config=generation_config(
            gemini.max_output_tokens, gemini.thinking_level, gemini.temperature
        ),
    )
    # The follow-up rewrite: a short completion, on a model (and thinking level) of its
    # own; its time limit is BOOKCHAT_FOLLOWUP_TIMEOUT.
    rewrite = GeminiLLM(
        model=gemini.rewrite_model,
        api_key=api_key,
        max_tokens=REWRITE_MAX_TOKENS,
        context_window=gemini.context_window,
        http_options=gemini_http_options(gemini, gemini.llm_timeout, session),
        max_retries=0,
        generation_config=generation_config(
            REWRITE_MAX_TOKENS, gemini.rewrite_thinking_level, None
        ),
    )

    embeddings: list[GeminiEmbedding] = []

    def make_embedding(dim: int) -> BaseEmbedding:
        # retries=1: one attempt from the wrapper; the SDK's retry options do the rest.
        model = GeminiEmbedding(
            model_name=gemini.embed_model,
            api_key=api_key,
            embedding_config={"output_dimensionality": dim},
            http_options=gemini_http_options(gemini, gemini.embed_timeout, session),
            retries=1,
            embed_batch_size=GEMINI_BATCH_TEXTS,
        )
        embeddings.append(model)
        return model

    async def close() -> None:
        await llm._client.aio.aclose()
        await rewrite._client.aio.aclose()
        for model in embeddings:
            await model.aclose()
        if session is not None:
            await session.close()

    return Models(
        provider="gemini",
        llm=llm,
        llm_model=gemini.llm_model,
        rewrite_llm=rewrite,
        embedding=embedding,
        make_embedding=make_embedding,
        default_grounding_threshold=DEFAULT_GROUNDING_THRESHOLD,
        closers=[close],
    )
