"""uvicorn's HTTP protocol with a bound on the time a client takes to send its headers.

uvicorn bounds an idle kept-alive connection (`timeout_keep_alive`) but not one that is
sending its request line and headers: its keep-alive timer stops at the first byte. A client
that sends part of its headers and then nothing held its connection for as long as it liked
(500 of 500 such connections still open after 22 s). The app cannot help: it sees a request
only once the headers are complete, and its body bound (`BOOKCHAT_BODY_TIMEOUT`) starts there.

Here a timer starts when a connection opens and whenever a new request's first byte arrives
on it, and stops when the request's headers are complete; at `BOOKCHAT_HEADER_TIMEOUT`
seconds the client is sent 408 (the JSON error body) and the connection is closed. The bound
reaches the protocol through the app's lifespan state (`HEADER_TIMEOUT_STATE`), which uvicorn
hands each connection: no setting is read here, and under an app that does not set it the
protocol is uvicorn's own. `bookchat serve` uses it; under another uvicorn command line, pass
`--http service.protocol:HeaderTimeoutProtocol`.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from service.errors import HTTP_CODES, error_json

logger = logging.getLogger(__name__)

HEADER_TIMEOUT_STATE = "bookchat.header_timeout"
"""The lifespan state key of the header bound (seconds), set by `create_app`."""


def _timeout_response() -> bytes:
    body = error_json(HTTP_CODES[408], "the request headers did not arrive in time")
    head = (
        "HTTP/1.1 408 Request Timeout\r\n"
        "content-type: application/json\r\n"
        f"content-length: {len(body)}\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode() + body


class HeaderTimeoutProtocol(HttpToolsProtocol):
    """`HttpToolsProtocol` (uvicorn's default with httptools) with the header bound."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None
        self._awaiting_headers = True

    def _bound(self) -> float | None:
        value = self.app_state.get(HEADER_TIMEOUT_STATE)
        return float(value) if isinstance(value, int | float) else None

    def _start_header_timer(self) -> None:
        bound = self._bound()
        if bound is not None and self._header_timer is None:
            self._header_timer = self.loop.call_later(bound, self._headers_too_slow)

    def _stop_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_header_timer()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._awaiting_headers = True
        self._start_header_timer()

    def on_headers_complete(self) -> None:
        self._awaiting_headers = False
        self._stop_header_timer()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        # The connection now idles under uvicorn's keep-alive bound until the next request's
        # first byte (`on_message_begin`) starts this one again.
        self._awaiting_headers = True

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if not self._awaiting_headers or self.transport.is_closing():
            return
        if self.cycle is not None and not self.cycle.response_complete:
            return  # a request still being answered on this connection: not ours to cut
        logger.info(
            "closed a connection from %s: no complete request headers within %s s",
            self.client[0] if self.client else "-",
            self._bound(),
        )
        self.transport.write(_timeout_response())
        self.transport.close()
