"""Dependencies the routes declare; the lifespan put their values on `app.state`.

They are `async def` although they never await: FastAPI runs a plain `def` dependency
in its thread pool, a thread hop per dependency per request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from config import Settings
from engine import BookAssistant
from service.lifecycle import Drain
from storage import Database, FeedbackLog, QuestionLog


async def get_assistant(request: Request) -> BookAssistant:
    assistant: BookAssistant = request.app.state.assistant
    return assistant


async def get_feedback(request: Request) -> FeedbackLog:
    feedback: FeedbackLog = request.app.state.feedback
    return feedback


async def get_questions(request: Request) -> QuestionLog:
    questions: QuestionLog = request.app.state.questions
    return questions


async def get_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_drain(request: Request) -> Drain:
    drain: Drain = request.app.state.drain
    return drain


async def get_request_id(request: Request) -> str:
    return str(request.state.request_id)


AssistantDep = Annotated[BookAssistant, Depends(get_assistant)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
FeedbackDep = Annotated[FeedbackLog, Depends(get_feedback)]
QuestionsDep = Annotated[QuestionLog, Depends(get_questions)]
DatabaseDep = Annotated[Database, Depends(get_database)]
RequestIdDep = Annotated[str, Depends(get_request_id)]
DrainDep = Annotated[Drain, Depends(get_drain)]
