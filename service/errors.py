"""The one place where failures become HTTP statuses and the contract's error body."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
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

logger = logging.getLogger(__name__)

# Most specific first: the first class an error is an instance of decides.
STATUS_OF: list[tuple[type[BookChatError], int]] = [
    (InvalidQuery, 422),
    (UpstreamRateLimited, 429),
    (AnswerBlocked, 502),
    (UpstreamTimeout, 504),
    (UpstreamUnavailable, 503),
    (CollectionNotFound, 503),
    (CollectionInvalid, 503),
    (ConfigurationError, 503),
    (UpstreamError, 502),
]

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
}


def error_response(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code, "message": message}}, status_code=status, headers=headers
    )


def status_of(exc: BookChatError) -> int:
    for cls, status in STATUS_OF:
        if isinstance(exc, cls):
            return status
    return 500


def _describe(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors()[:3]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(BookChatError)
    async def _engine_error(request: Request, exc: BookChatError) -> JSONResponse:
        status = status_of(exc)
        headers = None
        if isinstance(exc, UpstreamRateLimited):
            headers = {"Retry-After": str(exc.retry_after)}
        logger.warning("request %s failed: %s %s", _request_id(request), status, exc.code)
        return error_response(status, exc.code, exc.message, headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, "invalid_request", _describe(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = HTTP_CODES.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, str(exc.detail), exc.headers)

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        # A bug: logged with its traceback, never shown to the client.
        logger.exception("request %s: unhandled error", _request_id(request))
        return error_response(500, "internal_error", "internal error")


def _request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", "-"))
