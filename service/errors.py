"""The one place where failures become HTTP statuses and the error body (docs/api.md)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from engine.errors import (
    AnswerBlocked,
    BookChatError,
    CollectionInvalid,
    CollectionNotFound,
    ConfigurationError,
    InvalidQuery,
    UpstreamError,
    UpstreamRateLimited,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from service.schemas import ErrorBody, ErrorDetail
from storage.feedback import AnswerNotFound

logger = logging.getLogger(__name__)

# FastAPI's HTTPException detail when it cannot parse a JSON body (fastapi/routing.py).
BODY_PARSE_ERROR = "There was an error parsing the body"


class ShuttingDown(BookChatError):
    """The server is shutting down and this request or stream outlived the grace period
    (`BOOKCHAT_SHUTDOWN_GRACE_SECONDS`): retry it, another instance will answer."""

    code = "shutting_down"

    def __init__(self, message: str = "the server is shutting down: retry the request") -> None:
        super().__init__(message)


# Most specific first: the first class an error is an instance of decides.
STATUS_OF: list[tuple[type[BookChatError], int]] = [
    (InvalidQuery, 422),
    (AnswerNotFound, 404),
    (UpstreamRateLimited, 429),
    (AnswerBlocked, 502),
    (UpstreamTimeout, 504),
    (UpstreamUnavailable, 503),
    (ShuttingDown, 503),
    (CollectionNotFound, 503),
    (CollectionInvalid, 503),
    (ConfigurationError, 503),
    (UpstreamError, 502),
]

# The `code` of an error the HTTP layer raises itself, by status.
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "origin_not_allowed",
    404: "not_found",
    405: "method_not_allowed",
    408: "request_timeout",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: InvalidQuery.code,
    429: "rate_limited",
}
INTERNAL_ERROR = "internal_error"
INTERNAL_MESSAGE = "internal error"
"""What a client is told of a bug (the traceback goes to the log)."""
RETRYABLE: tuple[type[BookChatError], ...] = (
    UpstreamRateLimited,
    UpstreamUnavailable,
    UpstreamTimeout,
    ShuttingDown,
)
"""Errors a client may retry as they are (the same request, a little later)."""
CORS_REFUSED = "cors_refused"
"""A CORS preflight the policy refuses (400): not an API route, so not in the schema."""


def _unparsable(cause: BaseException | None) -> str:
    """Why FastAPI could not read a JSON body (it says only "error parsing the body")."""
    if isinstance(cause, UnicodeDecodeError):
        return "the request body is not valid UTF-8"
    if isinstance(cause, RecursionError):
        return "the request body's JSON is nested too deeply"
    if isinstance(cause, ValueError):  # e.g. an integer over Python's 4300 digits
        return f"the request body is not valid JSON: {str(cause).split(':')[0]}"
    return "the request body could not be parsed"


def error_fields(exc: BaseException) -> dict[str, Any]:
    """The contract's error object for a failure met while streaming (the `error` event
    of `/chat/stream`): `code`, `message` and, for a rate limit, `retry_after` (what
    `Retry-After` says outside a stream). Anything not an engine error is a bug: logged
    by the caller, shown as `internal_error`."""
    if not isinstance(exc, BookChatError):
        return {"code": INTERNAL_ERROR, "message": INTERNAL_MESSAGE}
    fields: dict[str, Any] = {"code": exc.code, "message": exc.message}
    if isinstance(exc, UpstreamRateLimited):
        fields["retry_after"] = exc.retry_after
    return fields


def shown_error(exc: BaseException) -> tuple[str, bool]:
    """An error as a chat front end shows it in words (ChatKit): the message, with the
    advised wait for a rate limit, and whether retrying may help."""
    if not isinstance(exc, BookChatError):
        return INTERNAL_MESSAGE, False
    message = exc.message
    if isinstance(exc, UpstreamRateLimited):
        message = f"{message} (try again in {exc.retry_after} s)"
    return message, isinstance(exc, RETRYABLE)


def error_json(code: str, message: str) -> bytes:
    """The error body of docs/api.md, `{"error": {"code", "message"}}`, as JSON."""
    return ErrorBody(error=ErrorDetail(code=code, message=message)).model_dump_json().encode()


def error_response(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    return Response(
        error_json(code, message),
        status_code=status,
        headers=headers,
        media_type="application/json",
    )


def status_of(exc: BookChatError) -> int:
    for cls, status in STATUS_OF:
        if isinstance(exc, cls):
            return status
    return 500


def _where(loc: Sequence[Any], body: Any) -> str:
    """An error's place in the client's own terms: the keys and indexes of the body it
    sent. pydantic's location also names the union member that failed (`str`,
    `function-before[_integral(), constrained-int]`, `[key]`): internal names, dropped by
    following the location through the body and keeping only the steps that exist there."""
    steps: list[str] = []
    node = body
    for step in loc[1:] if loc[:1] == ("body",) else loc:
        in_dict = isinstance(node, dict) and isinstance(step, str) and step in node
        in_list = isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)
        if in_dict or in_list:
            node = node[step]
        elif isinstance(node, dict) and step not in ("[key]",) and not steps:
            node = None  # a missing top-level field: its name is the client's too
        else:
            continue
        steps.append(str(step))
    return ".".join(steps) or "body"


def _describe(exc: RequestValidationError) -> str:
    """Up to three places with what is wrong at each; a value that fits none of a union's
    forms gets one line listing what each form wanted."""
    found: dict[str, list[str]] = {}
    for error in exc.errors():
        where = _where(error.get("loc", ()), exc.body)
        if "[key]" in error.get("loc", ()):
            where = f"{where} (key)"
        message = str(error.get("msg", "invalid"))
        if message not in found.setdefault(where, []):
            found[where].append(message)
    return "; ".join(
        f"{where}: {' or '.join(messages)}" for where, messages in list(found.items())[:3]
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(BookChatError)
    async def _engine_error(request: Request, exc: BookChatError) -> Response:
        status = status_of(exc)
        headers = None
        if isinstance(exc, UpstreamRateLimited):
            headers = {"Retry-After": str(exc.retry_after)}
        logger.warning("request %s failed: %s %s", _request_id(request), status, exc.code)
        return error_response(status, exc.code, exc.message, headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return error_response(422, HTTP_CODES[422], _describe(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 400 and exc.detail == BODY_PARSE_ERROR:
            # FastAPI's "error parsing the body" (a JSON decode error it makes a 422 itself;
            # anything else, e.g. invalid UTF-8, nesting, a huge integer, a 400): bad
            # input, which docs/api.md answers with 422.
            return error_response(422, HTTP_CODES[422], _unparsable(exc.__cause__))
        code = HTTP_CODES.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, str(exc.detail), exc.headers)

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:
        # A bug: logged with its traceback, never shown to the client.
        logger.exception("request %s: unhandled error", _request_id(request))
        return error_response(500, INTERNAL_ERROR, INTERNAL_MESSAGE)


def _request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", "-"))
