"""Logging set-up for every front end: text for people, JSON lines for log pipelines."""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Any, Literal

# Their INFO lines repeat ours (uvicorn's access line: the request line says more) or
# are per call noise (the SDKs' HTTP requests).
QUIET_LOGGERS = (
    "httpx",
    "google_genai",
    "google_genai.chats",
    "google_genai.models",
    "bm25s",
    "uvicorn.access",
)
FIELDS = "fields"
"""`logger.info(..., extra={FIELDS: {...}})`: structured fields of a line, which the JSON
format puts at the top level (the text format has them in the message already)."""


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, then the line's fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = getattr(record, FIELDS, None)
        if isinstance(fields, dict):
            line.update(fields)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def configure_logging(level: str, log_format: Literal["text", "json"] = "text") -> None:
    """A root handler on stderr in the chosen format; a no-op when the root logger has
    handlers already (a host application's, or pytest's)."""
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
