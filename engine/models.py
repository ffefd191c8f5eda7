"""The model providers: which LLM and which embedding model answer.

`build_models(settings)` is called once per process. The embedding model is made by
`Models.embedding(dim)` once the collection's vector size is known, because the output
dimensionality of gemini-embedding-001 must match the collection.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from google.genai import types as genai_types
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.llms import LLM, MockLLM
from llama_index.embeddings.google_genai import GoogleGenAIEmbedding

from config import GeminiSettings, Settings
from engine.errors import ConfigurationError
from engine.gemini_llm import GeminiLLM

logger = logging.getLogger(__name__)

# Statuses the SDK retries itself (with exponential backoff and jitter).
RETRIED_STATUSES = [408, 429, 500, 502, 503, 504]


@dataclass
class Models:
    """The LLM, a factory for the embedding model, and what to say about them."""

    provider: str
    llm: LLM
    llm_model: str
    embed_model: str
    make_embedding: Callable[[int | None], BaseEmbedding]
    native_dim: int | None = None
    """The embedding size when the model has only one (local models); None = any."""
    max_top_k: int | None = None
    """A bound on passages per answer, for models with a small context window."""
    closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    async def aclose(self) -> None:
        for close in self.closers:
            await close()


def gemini_http_options(
    gemini: GeminiSettings, timeout_s: float, session: aiohttp.ClientSession | None
) -> dict[str, Any]:
    """Timeout (the SDK wants milliseconds), base URL, retries and session for a client.

    As a dict: LlamaIndex's Gemini wrappers turn an `HttpOptions` into JSON, which the
    session does not survive; a dict they pass through to the SDK as it is.
    """
    options = genai_types.HttpOptions(
        base_url=gemini.base_url,
        timeout=int(timeout_s * 1000),
        retry_options=genai_types.HttpRetryOptions(
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


def build_gemini_models(settings: Settings) -> Models:
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
    )

    embeddings: list[GoogleGenAIEmbedding] = []

    def make_embedding(dim: int | None) -> BaseEmbedding:
        config: dict[str, object] = {}
        if dim is not None:
            config["output_dimensionality"] = dim
        # retries=1: one attempt from the wrapper; the SDK's retry options do the rest.
        model = GoogleGenAIEmbedding(
            model_name=gemini.embed_model,
            api_key=api_key,
            embedding_config=config or None,  # type: ignore[arg-type]
            http_options=gemini_http_options(gemini, gemini.embed_timeout, session),  # type: ignore[arg-type]
            retries=1,
            embed_batch_size=100,
        )
        embeddings.append(model)
        return model

    async def close() -> None:
        await llm._client.aio.aclose()
        for model in embeddings:
            await model._client.aio.aclose()
        if session is not None:
            await session.close()

    return Models(
        provider="gemini",
        llm=llm,
        llm_model=gemini.llm_model,
        embed_model=gemini.embed_model,
        make_embedding=make_embedding,
        closers=[close],
    )


def declared_embedding(settings: Settings) -> tuple[str, int | None]:
    """The embedding model's name and vector size, known without loading it.

    None for Gemini without BOOKCHAT_EMBED_DIM: it then follows the collection.
    """
    if settings.resolved_provider == "local":
        from engine.local_models import EMBED_DIM, EMBED_MODEL_NAME

        return EMBED_MODEL_NAME, EMBED_DIM
    return settings.gemini.embed_model, settings.gemini.embed_dim


def build_local_models(settings: Settings, *, with_llm: bool = True) -> Models:
    """The offline models (optional extra `local`); weights are checked at load.

    `with_llm=False` loads only the embedding model (ingestion and evaluation need no
    LLM, and the LLM is the slow part to load).
    """
    from engine import local_models

    local = settings.local
    started = time.monotonic()
    embedding = local_models.LocalEmbedding(
        local_models.embedding_weights_dir(), embed_batch_size=32
    )
    llm: LLM
    if with_llm:
        llm = local_models.LocalLLM(
            model_path=str(local_models.llm_weights(local.model_dir)),
            context_window=local.context_window,
            max_tokens=local.max_output_tokens,
            threads=local.threads,
        )
    else:
        llm = MockLLM(max_tokens=1)
    logger.info("offline models loaded in %.1f s", time.monotonic() - started)

    def make_embedding(dim: int | None) -> BaseEmbedding:
        return embedding

    return Models(
        provider="local",
        llm=llm,
        llm_model=local_models.LLM_MODEL_NAME if with_llm else "none",
        embed_model=local_models.EMBED_MODEL_NAME,
        make_embedding=make_embedding,
        native_dim=local_models.EMBED_DIM,
        max_top_k=local.max_top_k,
    )


def build_models(settings: Settings, *, with_llm: bool = True) -> Models:
    """The models of the configured provider (`auto`: Gemini with a key, else local)."""
    if settings.resolved_provider == "gemini":
        models = build_gemini_models(settings)
    else:
        models = build_local_models(settings, with_llm=with_llm)
    logger.warning(
        "provider %s: llm %s, embeddings %s", models.provider, models.llm_model, models.embed_model
    )
    return models
