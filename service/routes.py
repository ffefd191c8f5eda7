"""The routes: validate, call the engine, shape the response. Nothing else."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sse_starlette import EventSourceResponse, ServerSentEvent

from engine import BookChatError, ChatStream, Source
from engine.types import Turn
from service.deps import (
    AssistantDep,
    DatabaseDep,
    DrainDep,
    FeedbackDep,
    QuestionsDep,
    RequestIdDep,
    SettingsDep,
)
from service.errors import error_fields
from service.lifecycle import Drain
from service.schemas import (
    ChatRequest,
    ChatResponse,
    ErrorBody,
    FeedbackCreated,
    FeedbackRequest,
    Health,
    HelpLink,
    Readiness,
    StreamDone,
    answer_sentences,
    source_fields,
)
from storage import AnswerRecord, FeedbackLog, LoggedAnswer, QuestionLog
from storage.questions import FinishedAnswer, logged

logger = logging.getLogger(__name__)
router = APIRouter()

ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody} for status in (401, 408, 413, 422, 429, 502, 503, 504)
}


@router.get("/health", response_model=Health, tags=["ops"])
async def health() -> Health:
    """The process serves; calls nothing upstream."""
    return Health()


@router.get(
    "/ready",
    response_model=Readiness,
    responses={401: {"model": ErrorBody}, 503: {"model": Readiness}},
    tags=["ops"],
)
async def ready(assistant: AssistantDep, database: DatabaseDep) -> JSONResponse:
    """The collection is reachable, the models are configured and the database file is
    the one opened (503 with the reason)."""
    report = await assistant.ready()
    if report.ready and (lost := database.lost()) is not None:
        report = replace(report, ready=False, reason=f"{lost}: restart the service")
    body = Readiness.of(report)
    return JSONResponse(body.model_dump(), status_code=200 if report.ready else 503)


@router.post("/chat", response_model=ChatResponse, responses=ERRORS, tags=["chat"])
async def chat(
    body: ChatRequest,
    assistant: AssistantDep,
    settings: SettingsDep,
    feedback: FeedbackDep,
    questions: QuestionsDep,
    request_id: RequestIdDep,
    request: Request,
) -> ChatResponse:
    """Answer a question with the passages of the book it was given."""
    started = time.perf_counter()
    result = await assistant.chat(body.to_query())
    feedback.remember(
        request_id, answer_record(body, result.retrieval_query, result.sources, result.outcome)
    )
    questions.record(
        logged_answer(request_id, body, result, request, started, origin="api", questions=questions)
    )
    return ChatResponse.of(result, request_id, HelpLink.configured(settings))


def logged_answer(
    request_id: str,
    body: ChatRequest,
    result: FinishedAnswer,
    request: Request,
    started: float,
    *,
    origin: str,
    questions: QuestionLog,
) -> LoggedAnswer:
    """The question log's row of an answer; no address is kept, only its hash under the
    day's salt."""
    return logged(
        request_id,
        body.message,
        [Turn(turn.role, turn.content) for turn in body.history],
        result,
        origin=origin,
        started=started,
        reader=questions.readers.of(request.client.host if request.client else None),
        page=body.page,
        version=body.version,
        locale=body.locale,
    )


def answer_record(
    body: ChatRequest, retrieval_query: str, sources: list[Source], outcome: str
) -> AnswerRecord:
    """What a later rating of this answer is about."""
    return AnswerRecord(
        question=body.message,
        retrieval_query=retrieval_query,
        history=tuple(Turn(turn.role, turn.content) for turn in body.history),
        passages=tuple((s.id, str(s.metadata.get("source", ""))) for s in sources),
        outcome=outcome,
    )


@router.post(
    "/chat/stream",
    responses={200: {"content": {"text/event-stream": {}}}, **ERRORS},
    response_class=EventSourceResponse,
    tags=["chat"],
)
async def chat_stream(
    body: ChatRequest,
    assistant: AssistantDep,
    settings: SettingsDep,
    feedback: FeedbackDep,
    questions: QuestionsDep,
    request_id: RequestIdDep,
    drain: DrainDep,
    request: Request,
) -> EventSourceResponse:
    """The same answer as server-sent events: `sources`, `delta`s, then `done` or `error`.

    Retrieval runs before the response starts, so its failures get a plain HTTP status.
    A stream still running when a shutdown's grace period ends gets `error`
    `shutting_down` (`service.lifecycle`).
    """
    started = time.perf_counter()
    stream = await assistant.stream(body.to_query())

    def log() -> None:
        questions.record(
            logged_answer(
                request_id, body, stream, request, started, origin="stream", questions=questions
            )
        )

    return EventSourceResponse(
        _events(stream, request_id, body, feedback, drain, HelpLink.configured(settings), log),
        ping=settings.service.stream_ping_seconds,
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _event(name: str, data: object) -> ServerSentEvent:
    return ServerSentEvent(event=name, data=json.dumps(data, ensure_ascii=False))


async def _events(
    stream: ChatStream,
    request_id: str,
    body: ChatRequest,
    feedback: FeedbackLog,
    drain: Drain,
    help: HelpLink | None,
    log: Callable[[], None],
) -> AsyncIterator[ServerSentEvent]:
    sources = [source_fields(source) for source in stream.sources]
    sent = False
    try:
        yield _event("sources", {"source_nodes": sources})
        # ShuttingDown (a BookChatError) at a shutdown's bound: the `error` event below,
        # then `aclose` cancels the upstream generation.
        async for delta in drain.bounded(stream.deltas):
            sent = True
            yield _event("delta", {"delta": delta})
    except Exception as exc:
        if isinstance(exc, BookChatError):
            logger.warning("stream %s failed: %s", request_id, exc.code)
        else:  # a bug: logged with its traceback; the reader gets a clean error event
            logger.exception("stream %s: unhandled error", request_id)
        # The text the deltas brought is no answer (cut, or stopped early: MAX_TOKENS,
        # SAFETY, RECITATION): the reader is told to drop it, as /chat never returns it.
        yield _event("error", {**error_fields(exc), "withdrawn": sent})
        return
    finally:
        await stream.aclose()
    feedback.remember(
        request_id, answer_record(body, stream.retrieval_query, stream.sources, stream.outcome)
    )
    log()
    done = StreamDone(
        answer=stream.answer,
        request_id=request_id,
        outcome=stream.outcome,
        cited=stream.cited,
        retrieval_query=stream.retrieval_query,
        help=help if stream.outcome == "not_in_book" else None,
        sentences=answer_sentences(stream),
    )
    yield _event("done", done.model_dump())


@router.post(
    "/feedback",
    status_code=201,
    response_model=FeedbackCreated,
    responses={s: {"model": ErrorBody} for s in (401, 404, 408, 413, 422, 429, 503)},
    tags=["chat"],
)
async def post_feedback(body: FeedbackRequest, feedback: FeedbackDep) -> FeedbackCreated:
    """A reader's thumbs up or down on an answer this service gave within the retention
    window (404 otherwise), stored with what the answer was about; one rating per answer,
    the last wins."""
    sent = (
        AnswerRecord(
            question=body.question,
            retrieval_query=body.retrieval_query,
            history=tuple(Turn(turn.role, turn.content) for turn in body.history),
            passages=tuple((p.id, p.source) for p in body.passages),
        )
        if body.question
        else None
    )
    row = await feedback.rate(body.request_id, body.rating, body.comment, sent)
    return FeedbackCreated(id=row, request_id=body.request_id)


__all__ = ["router"]
