"""The routes: validate, call the engine, shape the response. Nothing else."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sse_starlette import EventSourceResponse, ServerSentEvent

from engine import BookChatError, ChatStream
from service.deps import AssistantDep, RequestIdDep, SettingsDep
from service.errors import INTERNAL_ERROR
from service.schemas import (
    ChatRequest,
    ChatResponse,
    ErrorBody,
    Health,
    Readiness,
    SourceNode,
    StreamDone,
)

logger = logging.getLogger(__name__)
router = APIRouter()

ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody} for status in (401, 413, 422, 429, 502, 503, 504)
}


@router.get("/health", response_model=Health, tags=["ops"])
async def health() -> Health:
    """The process serves; calls nothing upstream."""
    return Health()


@router.get("/ready", response_model=Readiness, responses={503: {"model": Readiness}}, tags=["ops"])
async def ready(assistant: AssistantDep) -> JSONResponse:
    """The collection is reachable and the models are configured (503 with the reason)."""
    report = await assistant.ready()
    body = Readiness.of(report)
    return JSONResponse(body.model_dump(), status_code=200 if report.ready else 503)


@router.post("/chat", response_model=ChatResponse, responses=ERRORS, tags=["chat"])
async def chat(
    body: ChatRequest, assistant: AssistantDep, request_id: RequestIdDep
) -> ChatResponse:
    """Answer a question with the passages of the book it was given."""
    return ChatResponse.of(await assistant.chat(body.to_query()), request_id)


@router.post(
    "/chat/stream",
    responses={200: {"content": {"text/event-stream": {}}}, **ERRORS},
    response_class=EventSourceResponse,
    tags=["chat"],
)
async def chat_stream(
    body: ChatRequest, assistant: AssistantDep, settings: SettingsDep, request_id: RequestIdDep
) -> EventSourceResponse:
    """The same answer as server-sent events: `sources`, `delta`s, then `done` or `error`.

    Retrieval runs before the response starts, so its failures get a plain HTTP status.
    """
    stream = await assistant.stream(body.to_query())
    return EventSourceResponse(
        _events(stream, request_id),
        ping=settings.service.stream_ping_seconds,
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _event(name: str, data: object) -> ServerSentEvent:
    return ServerSentEvent(event=name, data=json.dumps(data, ensure_ascii=False))


async def _events(stream: ChatStream, request_id: str) -> AsyncIterator[ServerSentEvent]:
    sources = [SourceNode.of(source).model_dump() for source in stream.sources]
    try:
        yield _event("sources", {"source_nodes": sources})
        async for delta in stream.deltas:
            yield _event("delta", {"delta": delta})
    except BookChatError as exc:
        logger.warning("stream %s failed: %s", request_id, exc.code)
        yield _event("error", {"code": exc.code, "message": exc.message})
        return
    except Exception:
        # A bug: logged with its traceback; the reader gets a clean error event.
        logger.exception("stream %s: unhandled error", request_id)
        yield _event("error", {"code": INTERNAL_ERROR, "message": "internal error"})
        return
    finally:
        await stream.aclose()
    done = StreamDone(
        answer=stream.answer,
        request_id=request_id,
        outcome=stream.outcome,
        cited=stream.cited,
        retrieval_query=stream.retrieval_query,
    )
    yield _event("done", done.model_dump())


__all__ = ["router"]
