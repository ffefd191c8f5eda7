"""Dependencies the routes declare; the lifespan put their values on `app.state`.

They are `async def` although they never await: FastAPI runs a plain `def` dependency
in its thread pool, a thread hop per dependency per request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from config import Settings
from engine import BookChat


async def get_engine(request: Request) -> BookChat:
    engine: BookChat = request.app.state.engine
    return engine


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_request_id(request: Request) -> str:
    return str(request.state.request_id)


EngineDep = Annotated[BookChat, Depends(get_engine)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
RequestIdDep = Annotated[str, Depends(get_request_id)]
