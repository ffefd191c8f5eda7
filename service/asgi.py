"""The zero-argument ASGI factory, for process managers that import the app themselves.

    uvicorn --factory service.asgi:app_from_env --host 0.0.0.0 --port 8000 --workers 4
    gunicorn 'service.asgi:app_from_env()' -k uvicorn_worker.UvicornWorker -w 4

Each worker reads the settings from the environment (and `.env`) as `bookchat serve`
does, and builds its own engine in the app's lifespan. Several workers need a Qdrant
server (`QDRANT_URL`): an embedded folder opens in one process only. `bookchat serve
--workers N` runs this factory under uvicorn's process manager.
"""

from __future__ import annotations

import sys

from fastapi import FastAPI

from config import Settings, SettingsError
from config.logs import configure_logging
from service.app import create_app


def app_from_env() -> FastAPI:
    """The app of the settings in the environment; a bad setting exits with one line."""
    try:
        settings = Settings.load()
    except SettingsError as exc:
        print(f"bookchat: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    configure_logging(settings.service.log_level, settings.service.log_format)
    return create_app(settings, freeze_after_startup=True)


__all__ = ["app_from_env"]
