"""Embedding a book's chunks within the upstream's limits (`bookchat ingest`).

Gemini's `batchEmbedContents` takes at most 100 texts and 4 MB of request body a call,
gemini-embedding-001 reads at most 2048 tokens of a text, and a free-tier quota counts
each text as a request. Here:

- `fit_chunks`: a chunk whose text would be over the model's input limit (estimated
  from its characters, on the high side: `estimate_tokens`) is split into pieces that
  fit, with a warning naming the page and the section;
- `BatchPacker`: texts packed into calls of at most `batch_texts` texts and
  `request_bytes` of JSON body (counted as the SDK sends it: `request_bytes`);
- `Embedder`: at most `concurrency` calls in flight; a 429 waits the delay Gemini gives
  (its `RetryInfo`, else `Retry-After`) before any call goes again, other transient
  faults (5xx, timeouts) back off exponentially, each a bounded number of times; what
  cannot succeed (a 400, a quota asking for a longer wait than allowed) stops at once.
  A wait is said on the progress (`Progress.note`).
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from llama_index.core.base.embeddings.base import BaseEmbedding

from engine.errors import BookChatError, UpstreamRateLimited
from engine.ingestion.docusaurus import Chunk, Page, embedding_text
from engine.telemetry import record_upstream_error
from engine.types import Progress
from engine.upstream import transient, translate, upstream_detail

logger = logging.getLogger(__name__)

T = TypeVar("T")

# A text's share of a `batchEmbedContents` body besides the text itself: `{"content":
# {"parts": [{"text": …}], "role": "user"}, "model": "models/…", "taskType": …,
# "outputDimensionality": …}` is ~150 bytes; counted high.
ITEM_OVERHEAD_BYTES = 512
ENVELOPE_BYTES = 1024

# One token per 3 ASCII letters of a word (Gemini's tokenizer: ~4 for English prose),
# every digit, punctuation mark and non-ASCII character one token, and every run of
# whitespace other than a single space one token. Never more than a token a character.
_WORDS = re.compile(r"[A-Za-z]+")
_OTHERS = re.compile(r"[^A-Za-z\s]")
_SPACES = re.compile(r"\s{2,}|[^\S ]")


def estimate_tokens(text: str) -> int:
    """An estimate of `text`'s tokens for Gemini, on the high side (a check, not a count)."""
    return (
        sum((len(word) + 2) // 3 for word in _WORDS.findall(text))
        + len(_OTHERS.findall(text))
        + len(_SPACES.findall(text))
    )


def over_limit(text: str, limit: int) -> int | None:
    """`text`'s estimated tokens when over `limit`; None when it fits (a text of at most
    `limit` characters always does)."""
    if len(text) <= limit:
        return None
    tokens = estimate_tokens(text)
    return tokens if tokens > limit else None


def split_to_fit(text: str, limit: int) -> list[str]:
    """`text` cut at whitespace (near the middle, again and again) into pieces of at most
    `limit` estimated tokens each; mid-word only where a piece has no whitespace."""
    if over_limit(text, limit) is None:
        return [text]
    middle = len(text) // 2
    cut = max(text.rfind(" ", 0, middle), text.rfind("\n", 0, middle))
    if cut <= 0:
        after = [i for i in (text.find(" ", middle), text.find("\n", middle)) if i > 0]
        cut = min(after) if after else middle
    head, tail = text[:cut].rstrip(), text[cut:].lstrip()
    if not head or not tail:
        head, tail = text[:middle], text[middle:]
    return [*split_to_fit(head, limit), *split_to_fit(tail, limit)]


def fit_chunks(page: Page, chunks: list[Chunk], model: str, limit: int | None) -> list[Chunk]:
    """`chunks`, with each one over `limit` estimated tokens (title and heading included,
    as embedded) split into chunks that fit; renumbered when any was split."""
    if limit is None:
        return chunks
    fitted: list[tuple[Chunk, str]] = []
    split = False
    for chunk in chunks:
        tokens = over_limit(embedding_text(chunk), limit)
        if tokens is None:
            fitted.append((chunk, chunk.text))
            continue
        room = max(limit - (tokens - estimate_tokens(chunk.text)), limit // 2)
        pieces = split_to_fit(chunk.text, room)
        logger.warning(
            "page %s, section %r: a chunk of about %d tokens is over %s's input limit of "
            "%d; split into %d chunks",
            page.source,
            chunk.metadata.get("heading", ""),
            tokens,
            model,
            limit,
            len(pieces),
        )
        fitted.extend((chunk, piece) for piece in pieces)
        split = True
    if not split:
        return chunks
    return [
        replace(
            chunk,
            id_key=f"{page.source}#{index}",
            text=text,
            metadata={**chunk.metadata, "chunk_index": index, "chunk_count": len(fitted)},
        )
        for index, (chunk, text) in enumerate(fitted)
    ]


def request_bytes(text: str) -> int:
    """A text's bytes in a request body, on the high side: the SDK sends `json.dumps`
    (ASCII-escaped: `\\uXXXX` for each non-ASCII character)."""
    return len(json.dumps(text)) + ITEM_OVERHEAD_BYTES


class BatchPacker(Generic[T]):
    """Items packed, in order, into batches of at most `texts` items and `max_bytes` of
    request body (`None`: no byte limit)."""

    def __init__(self, texts: int, max_bytes: int | None) -> None:
        if texts < 1:
            raise ValueError("a batch holds at least one text")
        self._texts = texts
        self._max_bytes = max_bytes
        self._items: list[T] = []
        self._bytes = ENVELOPE_BYTES

    def add(self, item: T, text: str) -> list[T] | None:
        """Add `item`; the batch before it when it did not fit there (to send)."""
        size = request_bytes(text)
        full = None
        if self._items and (
            len(self._items) >= self._texts
            or (self._max_bytes is not None and self._bytes + size > self._max_bytes)
        ):
            full = self.flush()
        self._items.append(item)
        self._bytes += size
        return full

    def flush(self) -> list[T] | None:
        """The batch being filled, if any, and a new one begun."""
        items, self._items, self._bytes = self._items, [], ENVELOPE_BYTES
        return items or None


def pack(texts: Sequence[str], batch_texts: int, max_bytes: int | None) -> list[list[str]]:
    """`texts` in batches within the limits, in order."""
    packer: BatchPacker[str] = BatchPacker(batch_texts, max_bytes)
    batches = [full for text in texts if (full := packer.add(text, text)) is not None]
    last = packer.flush()
    return [*batches, last] if last else batches


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = 6
    """Retries of one call (after its first attempt)."""
    max_wait: float = 120.0
    """The longest wait before a retry; a 429 asking for more stops the run."""
    first_backoff: float = 0.5
    """The wait after a first 5xx or timeout; doubled at each retry (with jitter)."""


def _say(seconds: float) -> str:
    return f"{seconds:.3g}"


def _restated(error: BookChatError, message: str) -> BookChatError:
    restated = copy.copy(error)
    restated.message = message
    restated.args = (message,)
    return restated


class Embedder:
    """One ingestion's embedding calls: bounded in flight, retried (see the module)."""

    def __init__(
        self,
        model: BaseEmbedding,
        concurrency: int,
        policy: RetryPolicy,
        progress: Progress,
    ) -> None:
        self._model = model
        self._in_flight = asyncio.Semaphore(concurrency)
        self._policy = policy
        self._progress = progress
        self._resume_at = 0.0
        self.calls = 0
        """Calls that returned vectors."""
        self.retries = 0
        self.quota_waits = 0
        self.waited = 0.0
        """Seconds spent waiting for the quota (the longest wait when calls wait together)."""

    async def embed(self, texts: list[str]) -> list[list[float]]:
        """The vectors of `texts` (one call, retried as the module says)."""
        async with self._in_flight:
            attempt = 0
            while True:
                await self._quota_gate()
                try:
                    vectors: list[list[float]] = await self._model.aget_text_embedding_batch(texts)
                except Exception as exc:
                    error = translate(exc)
                    if error is None:
                        raise
                    delay = self._delay(exc, error, attempt)
                    attempt += 1
                    self.retries += 1
                    if isinstance(error, UpstreamRateLimited):
                        self._wait_for_quota(delay)
                    else:
                        logger.debug(
                            "embedding: %s; retry %d in %.1f s", error.message, attempt, delay
                        )
                        self._progress.note(f"{error.message}: retrying in {_say(delay)} s")
                        await asyncio.sleep(delay)
                    continue
                self.calls += 1
                return vectors

    def _delay(self, exc: Exception, error: BookChatError, attempt: int) -> float:
        """The wait before the next attempt; raises what stops the run."""
        policy = self._policy
        if not transient(exc):
            detail = upstream_detail(exc)
            message = f"embedding stopped: {error.message}" + (f" ({detail})" if detail else "")
            raise self._stop(_restated(error, message), exc)
        if attempt >= policy.retries:
            message = f"embedding stopped after {attempt} retries: {error.message}"
            raise self._stop(_restated(error, message), exc)
        if isinstance(error, UpstreamRateLimited):
            if error.delay > policy.max_wait:
                message = (
                    f"embedding stopped: the Gemini quota asks for a wait of "
                    f"{_say(error.delay)} s, over BOOKCHAT_EMBED_MAX_WAIT "
                    f"({_say(policy.max_wait)} s); run the ingestion again later (what is "
                    "written stays)"
                )
                raise self._stop(_restated(error, message), exc)
            return error.delay
        backoff = policy.first_backoff * 2.0**attempt
        return min(policy.max_wait, backoff * (1 + random.random() / 4))

    @staticmethod
    def _stop(error: BookChatError, cause: Exception) -> BookChatError:
        logger.debug("%s", error.message)  # the caller reports it (the CLI: one line)
        record_upstream_error(error.code)
        error.__cause__ = cause
        return error

    def _wait_for_quota(self, delay: float) -> None:
        """No call goes again before `delay` from now (the calls in flight that meet the
        same quota wait for the same moment)."""
        loop = asyncio.get_running_loop()
        resume_at = loop.time() + delay
        if resume_at > self._resume_at + 0.001:
            previous = max(0.0, self._resume_at - loop.time())
            self._resume_at = resume_at
            self.quota_waits += 1
            self.waited += delay - previous
            logger.debug("embedding: rate limited; waiting %.1f s for the quota", delay)
            self._progress.note(f"waiting {_say(delay)} s for the Gemini quota")

    async def _quota_gate(self) -> None:
        wait = self._resume_at - asyncio.get_running_loop().time()
        if wait > 0:
            await asyncio.sleep(wait)
