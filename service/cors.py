"""The CORS policy: what a browser page on an allowed origin may send and read.

Starlette's `CORSMiddleware` answers a refused preflight with a `text/plain` 400; this
subclass answers it with the JSON error body of docs/api.md instead (same status, same
headers), so every error the service sends has one shape.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp

from service.errors import CORS_REFUSED, error_response

ALLOWED_METHODS = ("GET", "POST", "OPTIONS")
ALLOWED_HEADERS = (
    "Authorization",
    "Content-Type",
    "X-API-Key",
    "X-Request-ID",
    "X-BookChat-User",
    "X-BookChat-Page",
    "X-BookChat-Version",
    "X-BookChat-Locale",
)
EXPOSED_HEADERS = ("X-Request-ID", "Retry-After")
MAX_AGE = 600


class JsonCORSMiddleware(CORSMiddleware):
    """The service's CORS policy for `origins`; a refused preflight gets the JSON body."""

    def __init__(self, app: ASGIApp, origins: Sequence[str]) -> None:
        super().__init__(
            app,
            allow_origins=origins,
            allow_methods=ALLOWED_METHODS,
            allow_headers=ALLOWED_HEADERS,
            expose_headers=EXPOSED_HEADERS,
            max_age=MAX_AGE,
        )

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code != 400:
            return response
        # Starlette's text is "Disallowed CORS origin, method, headers" (what failed).
        reason = bytes(response.body).decode().replace("Disallowed", "disallowed", 1)
        kept = {
            name: value
            for name, value in response.headers.items()
            if name not in ("content-type", "content-length")
        }
        return error_response(400, CORS_REFUSED, reason, kept)
