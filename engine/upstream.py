"""Translate the SDKs' exceptions into the engine's typed errors, in one place.

The errors Gemini reports inside a successful HTTP response (a candidate stopped early,
a refused prompt, missing embeddings) are made here too, for the provider to raise.
Only the exception types that the google-genai SDK (httpx and aiohttp underneath),
qdrant-client and LlamaIndex's Gemini wrapper are known to raise are translated; anything
else propagates unchanged, so a bug stays a bug (and a 500 with no detail).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

import aiohttp
import httpx
from google.genai import errors as genai_errors
from google.genai import types as genai_types
from qdrant_client.http.exceptions import ResponseHandlingException, UnexpectedResponse

from engine.errors import (
    AnswerBlocked,
    BookChatError,
    CollectionNotFound,
    UpstreamError,
    UpstreamRateLimited,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from engine.telemetry import record_upstream_error

logger = logging.getLogger(__name__)

# LlamaIndex's Gemini wrapper raises a bare RuntimeError with this prefix when the
# candidate's finishReason is not STOP (SAFETY, RECITATION, MAX_TOKENS, ...).
_EARLY_FINISH = "Response was terminated early:"
_RETRY_DELAY = re.compile(r"^(\d+(?:\.\d+)?)s$")
# Statuses after which the same call may succeed (ingestion retries them).
TRANSIENT_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
DEFAULT_RETRY_AFTER = 5


def _retry_after(exc: genai_errors.APIError) -> float:
    """Seconds to wait: a google.rpc.RetryInfo detail (`"retryDelay": "7s"`), else the
    response's `Retry-After` header (seconds), else `DEFAULT_RETRY_AFTER`."""
    try:
        for item in exc.details["error"]["details"]:
            match = _RETRY_DELAY.match(str(item.get("retryDelay", "")))
            if match:
                return float(match.group(1))
    except (KeyError, TypeError, AttributeError):
        pass
    headers = getattr(exc.response, "headers", None)
    try:
        header = headers.get("Retry-After") if headers is not None else None
        if header is not None and 0 <= float(header) <= 86400:
            return float(header)
    except (TypeError, ValueError, AttributeError):
        pass  # an HTTP date, or nothing usable
    return DEFAULT_RETRY_AFTER


def _from_gemini(exc: genai_errors.APIError) -> BookChatError:
    what = f"Gemini answered {exc.code} {exc.status or ''}".strip()
    if exc.code == 429:
        return UpstreamRateLimited(f"{what}: rate limited", _retry_after(exc))
    if exc.code in (408, 504):
        return UpstreamTimeout(f"{what}: timed out")
    if exc.code == 503:
        return UpstreamUnavailable(f"{what}: unavailable")
    return UpstreamError(what)


def _from_qdrant_response(exc: UnexpectedResponse) -> BookChatError:
    what = f"Qdrant answered {exc.status_code}"
    if exc.status_code == 404:
        return CollectionNotFound(f"{what}: collection not found")
    if exc.status_code == 429:
        return UpstreamRateLimited(f"{what}: rate limited")
    if exc.status_code in (408, 504):
        return UpstreamTimeout(f"{what}: timed out")
    if exc.status_code == 503:
        return UpstreamUnavailable(f"{what}: unavailable")
    return UpstreamError(what)


def finished_early(candidate: genai_types.Candidate) -> AnswerBlocked | None:
    """The error for a candidate the model ended with another reason than STOP."""
    reason = candidate.finish_reason
    if reason is None or reason == genai_types.FinishReason.STOP:
        return None
    return AnswerBlocked(f"the model stopped its answer early ({reason.name})")


def refused(response: genai_types.GenerateContentResponse) -> AnswerBlocked:
    """The error for a reply with no candidate: the prompt itself was blocked."""
    feedback = response.prompt_feedback
    reason = feedback.block_reason if feedback is not None else None
    return AnswerBlocked(
        f"the model refused the prompt ({reason.name})"
        if reason is not None
        else "the model returned no candidate"
    )


def cut_short() -> UpstreamError:
    """The error for a stream that ended without a finishReason: cut, not finished."""
    return UpstreamError("Gemini's stream ended without a finishReason: the answer was cut")


def too_few_embeddings(got: int, wanted: int) -> UpstreamError:
    return UpstreamError(f"Gemini returned {got} embeddings for {wanted}")


def translate(exc: BaseException) -> BookChatError | None:
    """The engine error for an SDK exception, or None when it is not an upstream fault."""
    if isinstance(exc, BookChatError):
        return exc
    if isinstance(exc, genai_errors.APIError):
        return _from_gemini(exc)
    if isinstance(exc, (TimeoutError, httpx.TimeoutException, aiohttp.ServerTimeoutError)):
        return UpstreamTimeout("the upstream did not answer in time")
    if isinstance(exc, UnexpectedResponse):
        return _from_qdrant_response(exc)
    if isinstance(exc, ResponseHandlingException):
        cause = exc.source
        if isinstance(cause, (TimeoutError, httpx.TimeoutException)):
            return UpstreamTimeout("Qdrant did not answer in time")
        return UpstreamUnavailable("Qdrant could not be reached")
    if isinstance(exc, (aiohttp.ClientConnectionError, httpx.TransportError, ConnectionError)):
        return UpstreamUnavailable("the upstream could not be reached")
    if isinstance(exc, aiohttp.ClientError):
        return UpstreamError("the upstream connection failed")
    if isinstance(exc, (json.JSONDecodeError, genai_errors.UnknownApiResponseError)):
        # A reply (or a stream's chunk) the SDK could not parse: a proxy's HTML page, or
        # JSON cut short. Its raw text stays out of the message.
        return UpstreamError("Gemini sent a reply that is not valid JSON")
    if isinstance(exc, RuntimeError) and str(exc).startswith(_EARLY_FINISH):
        reason = str(exc)[len(_EARLY_FINISH) :].strip().split(" ", 1)[0]
        return AnswerBlocked(f"the model stopped its answer early ({reason})")
    if isinstance(exc, ValueError) and re.match(r"^Collection .* not found", str(exc)):
        # qdrant-client's local mode says so with a plain ValueError.
        return CollectionNotFound("the collection does not exist")
    return None


def transient(exc: BaseException) -> bool:
    """Whether the same call may succeed later: a 429, a 5xx that says so (500, 502, 503,
    504), a 408, a timeout, a connection that failed. A 400 or 403 is not."""
    if isinstance(exc, genai_errors.APIError):
        return exc.code in TRANSIENT_STATUSES
    if isinstance(exc, (UpstreamRateLimited, UpstreamTimeout, UpstreamUnavailable)):
        return True
    return isinstance(
        exc,
        (
            TimeoutError,
            httpx.TimeoutException,
            httpx.TransportError,
            aiohttp.ClientConnectionError,
            ConnectionError,
        ),
    )


def upstream_detail(exc: BaseException) -> str | None:
    """Gemini's own words on a refused call (the first line of its error message), for
    an operator's command line; never for a reader."""
    if isinstance(exc, genai_errors.APIError) and exc.message:
        line = str(exc.message).strip().splitlines()[0].lstrip("* ").strip()
        return line[:300] or None
    return None


@contextmanager
def upstream_errors(step: str) -> Iterator[None]:
    """Re-raise SDK failures met during `step` as the engine's typed errors."""
    try:
        yield
    except BookChatError:
        raise
    except Exception as exc:
        mapped = translate(exc)
        if mapped is None:
            raise
        logger.warning("%s failed: %s (%s)", step, mapped.message, type(exc).__name__)
        record_upstream_error(mapped.code)
        raise mapped from exc
