"""The engine's own exceptions.

The engine knows nothing of HTTP: it raises these, and the service maps each class to a
status code in one place (`service.errors`). Every class carries a stable `code` string
for the error body of docs/api.md; messages never contain secrets or upstream stack traces.
"""

from __future__ import annotations

import math


class BookChatError(Exception):
    """Base class of every error the engine raises on purpose."""

    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigurationError(BookChatError):
    """The engine cannot start with this configuration (a one-line reason)."""

    code = "configuration_error"


class CollectionNotFound(BookChatError):
    """The configured Qdrant collection does not exist."""

    code = "collection_not_found"


class CollectionInvalid(BookChatError):
    """The collection exists but cannot be answered from (wrong size, missing text key)."""

    code = "collection_invalid"


class UpstreamError(BookChatError):
    """Gemini or Qdrant answered with an error we cannot recover from."""

    code = "upstream_error"


class UpstreamRateLimited(UpstreamError):
    """The upstream said 429; `delay` is the advised wait in seconds, `retry_after` the
    same in whole seconds (at least 1: an HTTP `Retry-After`)."""

    code = "upstream_rate_limited"

    def __init__(self, message: str, retry_after: float = 5) -> None:
        super().__init__(message)
        self.delay = float(retry_after)
        self.retry_after = max(1, math.ceil(retry_after))


class AnswerBlocked(UpstreamError):
    """The model ended its answer early (safety, recitation, token limit)."""

    code = "answer_blocked"


class UpstreamUnavailable(BookChatError):
    """Gemini or Qdrant could not be reached, or said it is unavailable (503)."""

    code = "upstream_unavailable"


class UpstreamTimeout(BookChatError):
    """Gemini or Qdrant did not answer within the configured timeout."""

    code = "upstream_timeout"


class InvalidQuery(BookChatError):
    """The query itself cannot be run (e.g. a filter the store cannot express)."""

    code = "invalid_request"


class UnknownScope(InvalidQuery):
    """A version or locale the collection does not hold; the message lists those it does."""
