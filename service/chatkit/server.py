"""bookchat behind the ChatKit protocol: ``BookChatKitServer`` and a ``POST /chatkit`` route.

``respond()`` runs bookchat's engine (``BookAssistant.stream``; no OpenAI model): the
thread's earlier user/assistant messages are the history, the user message's
``quoted_text`` is the ``selected_text``, the answer streams as text deltas into one
assistant message, and the cited passages become URL annotations.

Event sequence of one answer (after the package's own ``stream_options`` and, on
``threads.create``, ``thread.created`` and the user item's ``thread.item.done``):

    progress_update "Searching the book…"
    thread.updated                        (first question only: the title)
    thread.item.added                     assistant_message, no content yet
    thread.item.updated  content_part.added (index 0, empty)
    thread.item.updated  content_part.text_delta (n times)
    thread.item.updated  content_part.annotation_added (one per cited passage)
    thread.item.updated  content_part.done (full text and annotations)
    thread.item.done                      (persisted by the package)
    notice (info)                         only when the outcome is not_in_book

Failures end the stream with one ``error`` event (``allow_retry`` from the error's own
``retryable`` hint); a partly streamed answer is withdrawn first (``thread.item.removed``)
so that the retry (``threads.retry_after_item``) starts clean.

This module imports ``chatkit.server``, which imports ``agents`` and ``openai``
(several seconds, ~65 MB): import it only when ``BOOKCHAT_CHATKIT=on``, at start-up.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from datetime import datetime
from typing import Any

import anyio
from chatkit.server import ChatKitServer, NonStreamingResult, StreamingResult
from chatkit.store import NotFoundError
from chatkit.types import (
    Annotation,
    AssistantMessageContent,
    AssistantMessageContentPartAdded,
    AssistantMessageContentPartAnnotationAdded,
    AssistantMessageContentPartDone,
    AssistantMessageContentPartTextDelta,
    AssistantMessageItem,
    ChatKitReq,
    ErrorEvent,
    FeedbackKind,
    FileSource,
    NoticeEvent,
    ProgressUpdateEvent,
    ThreadItemAddedEvent,
    ThreadItemDoneEvent,
    ThreadItemRemovedEvent,
    ThreadItemUpdatedEvent,
    ThreadMetadata,
    ThreadStreamEvent,
    URLSource,
    UserMessageItem,
    UserMessageTagContent,
    UserMessageTextContent,
    is_streaming_req,
)
from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import TypeAdapter, ValidationError

from engine import BookAssistant, ChatStream
from engine.errors import BookChatError, InvalidQuery
from engine.types import ChatQuery, Source, Turn
from service.chatkit.store import MAX_PAGE, RequestContext, SqlStore
from service.errors import error_json, shown_error
from service.lifecycle import Drain
from service.schemas import MAX_SCOPE, HelpLink
from storage import AnswerRecord, Database, FeedbackLog, Rating
from storage.questions import logged

logger = logging.getLogger(__name__)


# The request types bookchat serves. Left out: attachments.* (no AttachmentStore: answers
# come from the book), input.transcribe (no dictation), threads.add_client_tool_output,
# threads.add_structured_input, threads.custom_action, threads.sync_custom_action (no
# client tools, structured inputs or widgets are ever emitted).
SUPPORTED = frozenset(
    {
        "threads.create",
        "threads.add_user_message",
        "threads.retry_after_item",
        "threads.get_by_id",
        "threads.list",
        "threads.update",
        "threads.delete",
        "items.list",
        "items.feedback",
    }
)
_REQUEST = TypeAdapter[Any](ChatKitReq)
HISTORY_ITEMS = 40  # the last 20 turns (bookchat bounds history too)
TITLE_CHARS = 60
CLEANUP_SECONDS = 5.0


class RefusedRequest(Exception):
    """A request refused before anything runs or is stored: its status, code, message."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnsupportedRequest(RefusedRequest):
    code = "unsupported_request"


class InvalidPage(RefusedRequest):
    status = 422
    code = InvalidQuery.code


class InvalidScope(RefusedRequest):
    """A version or locale header the collection holds none of."""

    status = 422
    code = InvalidQuery.code


class BookChatKitServer(ChatKitServer[RequestContext]):
    def __init__(
        self,
        store: SqlStore,
        feedback: FeedbackLog,
        assistant: BookAssistant,
        drain: Drain,
        help: HelpLink | None = None,
    ) -> None:
        super().__init__(store)  # no AttachmentStore: attachments are not supported
        self.feedback = feedback
        # Offered in the "not in the book" notice (BOOKCHAT_HELP_URL).
        self.help = help
        self.assistant = assistant
        # A shutdown's bound ends the retrieval or the deltas with ShuttingDown: the
        # stream's usual `error` event (retryable) instead of a cut.
        self.drain = drain
        # Answer streams still open, per request: closed deterministically when the
        # response stream ends early (see `_closing`).
        self._live: dict[str, list[ChatStream]] = {}

    # ------------------------------------------------------------------ entry point

    async def process(
        self, request: str | bytes | bytearray, context: RequestContext
    ) -> StreamingResult | NonStreamingResult:
        """The package's ``process``, with what it leaves to a broken stream refused before
        the response starts: unsupported request types and attachments (RefusedRequest,
        400), a page ``limit`` out of bounds or a version or locale the collection does not
        hold (422, ``X-BookChat-Version``, ``X-BookChat-Locale``), a thread the caller does not own
        (NotFoundError, 404), and a storage failure up to the stream's first event (the
        thread's creation, the user's message: StorageUnavailable, 503). A failure after
        it ends the stream with an ``error`` event, never a cut; the stream closes the
        engine's stream as soon as it is closed itself."""
        parsed = _REQUEST.validate_json(request)  # ValidationError: the route says 422
        _refuse(parsed)
        if is_streaming_req(parsed) and (context.version or context.locale):
            try:
                await self.assistant.check_scope(context.version, context.locale)
            except InvalidQuery as exc:
                raise InvalidScope(exc.message) from None
            except BookChatError:
                pass  # the answer meets it again and reports it in the stream, as ever
        if is_streaming_req(parsed):
            thread_id = getattr(parsed.params, "thread_id", None)
            if thread_id is not None:
                await self.store.load_thread(thread_id, context)
        result = await super().process(request, context)
        if isinstance(result, StreamingResult):
            events = result.json_events
            try:
                first = await anext(events)  # the package writes to the store before it
            except StopAsyncIteration:
                first = None
            except BaseException:
                await events.aclose()
                raise
            return StreamingResult(self._closing(first, events, context))
        return result

    async def _closing(
        self, first: bytes | None, events: AsyncGenerator[bytes, None], context: RequestContext
    ) -> AsyncGenerator[bytes, None]:
        try:
            if first is None:
                return
            yield first
            try:
                async for chunk in events:
                    yield chunk
            except Exception as exc:
                # Raised by the package outside its own handling (a store write between
                # two steps of its stream, e.g. a database gone read-only mid-way).
                yield b"data: " + self._serialize(error_event(exc, context)) + b"\n\n"
        finally:
            # Closing the package's generator unwinds its frames, but the nested
            # generators (down to respond()) are only finalised later by the event loop's
            # async-generator hook; stop the engine now.
            await events.aclose()
            for stream in self._live.pop(context.request_id, []):
                await _quietly_close(stream)

    async def handle_stream_cancelled(
        self, thread: ThreadMetadata, pending_items: list[Any], context: RequestContext
    ) -> None:
        """The package persists the partial answer and a hidden "user cancelled" item here,
        but it runs inside the cancelled task: under Starlette (an anyio cancel scope, which
        cancels every further await) its first database write is cancelled and nothing is
        saved. Shielded, with a bound so a stuck database cannot hold the task."""
        with anyio.move_on_after(CLEANUP_SECONDS, shield=True):
            await super().handle_stream_cancelled(thread, pending_items, context)

    # ------------------------------------------------------------------ respond

    async def respond(
        self,
        thread: ThreadMetadata,
        input_user_message: UserMessageItem | None,
        context: RequestContext,
    ) -> AsyncIterator[ThreadStreamEvent]:
        if input_user_message is None:  # client tool output / structured input: not ours
            return
        question = user_text(input_user_message)
        started = time.perf_counter()
        if not thread.title:
            thread.title = make_title(question)  # the package saves it, sends thread.updated
        history = await self._history(thread, input_user_message, context)
        yield ProgressUpdateEvent(icon="book-open", text="Searching the book…")
        try:
            stream = await self.drain.call(
                self.assistant.stream(
                    ChatQuery(
                        message=question,
                        history=history,
                        selected_text=input_user_message.quoted_text or None,
                        page=context.page,
                        version=context.version,
                        locale=context.locale,
                    )
                )
            )
        except Exception as exc:
            yield error_event(exc, context)
            return
        # (a list: bookchat's ChatStream is a mutable dataclass, hence unhashable)
        live = self._live.setdefault(context.request_id, [])
        live.append(stream)
        item = AssistantMessageItem(
            id=self.store.generate_item_id("message", thread, context),
            thread_id=thread.id,
            created_at=datetime.now(),
            content=[],
        )
        try:
            yield ThreadItemAddedEvent(item=item)
            yield _update(
                item,
                AssistantMessageContentPartAdded(
                    content_index=0, content=AssistantMessageContent(text="")
                ),
            )
            text = ""
            try:
                async for delta in self.drain.bounded(stream.deltas):
                    if delta:
                        text += delta
                        yield _update(
                            item, AssistantMessageContentPartTextDelta(content_index=0, delta=delta)
                        )
            except Exception as exc:
                yield ThreadItemRemovedEvent(item_id=item.id)
                yield error_event(exc, context)
                return
            final = stream.answer or text
            annotations = annotations_for(final, stream.sources, stream.cited)
            for index, annotation in enumerate(annotations):
                yield _update(
                    item,
                    AssistantMessageContentPartAnnotationAdded(
                        content_index=0, annotation_index=index, annotation=annotation
                    ),
                )
            content = AssistantMessageContent(text=final, annotations=annotations)
            yield _update(item, AssistantMessageContentPartDone(content_index=0, content=content))
            yield ThreadItemDoneEvent(item=item.model_copy(update={"content": [content]}))
            self._record(stream, question, history, item.id)
            self._log(stream, question, history, item.id, context, started)
            if stream.outcome == "not_in_book":
                yield NoticeEvent(level="info", title="Not in the book", message=self._way_on())
            elif unsupported := [s.text for s in stream.sentences if not s.supported]:
                yield NoticeEvent(
                    level="warning",
                    title="Not found in the cited passages",
                    message=unsupported_notice(unsupported),
                )
        finally:
            if stream in live:
                live.remove(stream)
            if not live:
                self._live.pop(context.request_id, None)
            await _quietly_close(stream)

    def _way_on(self) -> str:
        """The "not in the book" notice's words (ChatKit renders them as Markdown)."""
        words = "Try rephrasing, or ask about a topic the book covers."
        if self.help is None:
            return words
        return f"{words} [{self.help.label}]({self.help.url})"

    async def _history(
        self, thread: ThreadMetadata, current: UserMessageItem, context: RequestContext
    ) -> list[Turn]:
        """The thread's earlier user and assistant messages, oldest first (hidden context
        items, e.g. the package's "user cancelled" note, are not conversation)."""
        page = await self.store.load_thread_items(
            thread.id, None, HISTORY_ITEMS + 1, "desc", context
        )
        turns: list[Turn] = []
        for item in reversed(page.data):
            if item.id == current.id:
                continue
            if isinstance(item, UserMessageItem):
                turns.append(Turn("user", user_text(item)))
            elif isinstance(item, AssistantMessageItem):
                text = "".join(part.text for part in item.content).strip()
                if text:
                    turns.append(Turn("assistant", text))
        return turns[-HISTORY_ITEMS:]

    def _record(self, stream: ChatStream, question: str, history: list[Turn], item_id: str) -> None:
        """Remember what this answer was about, keyed by its item id, for a rating of it
        later (``items.feedback``). In this process's memory, like ``/chat``'s answers."""
        self.feedback.remember(
            item_id,
            AnswerRecord(
                question=question,
                retrieval_query=stream.retrieval_query,
                history=tuple(history),
                passages=tuple(
                    (source.id, str(source.metadata.get("source", ""))) for source in stream.sources
                ),
                outcome=stream.outcome,
            ),
        )

    def _log(
        self,
        stream: ChatStream,
        question: str,
        history: list[Turn],
        item_id: str,
        context: RequestContext,
        started: float,
    ) -> None:
        """The question log's row of this answer (when the log is on), keyed by its item
        id; the reader is the hash of the user id under the day's salt."""
        questions = self.feedback.questions
        if questions is None:
            return
        questions.record(
            logged(
                item_id,
                question,
                history,
                stream,
                origin="chatkit",
                started=started,
                reader=questions.readers.of(context.user_id),
                page=context.page,
                version=context.version,
                locale=context.locale,
            )
        )

    # ------------------------------------------------------------------ feedback

    async def add_feedback(
        self,
        thread_id: str,
        item_ids: list[str],
        feedback: FeedbackKind,
        context: RequestContext,
    ) -> None:
        """``items.feedback`` → bookchat's feedback log, once per rated answer (keyed by
        the assistant item's id). Items that are not answers (user messages) are ignored."""
        await self.store.load_thread(thread_id, context)  # NotFoundError if not the caller's
        rating: Rating = "up" if feedback == "positive" else "down"
        for item_id in item_ids:
            try:
                item = await self.store.load_item(thread_id, item_id, context)
            except NotFoundError:
                logger.info("feedback on unknown item %s ignored", item_id)
                continue
            if not isinstance(item, AssistantMessageItem):
                continue
            await self.feedback.rate(
                item_id, rating, origin="chatkit", user_id=context.user_id, any_answer=True
            )


# ---------------------------------------------------------------------- helpers


def _refuse(parsed: Any) -> None:
    """RefusedRequest for what bookchat does not serve or cannot page."""
    if parsed.type not in SUPPORTED:
        raise UnsupportedRequest(f"ChatKit request type {parsed.type!r} is not supported")
    message = getattr(parsed.params, "input", None)
    if message is not None and message.attachments:
        # The package would look each id up in the store and cut the stream it started.
        raise UnsupportedRequest("attachments are not supported: bookchat answers from the book")
    limit = getattr(parsed.params, "limit", None)
    if limit is not None and not 1 <= limit <= MAX_PAGE:
        raise InvalidPage(f"limit must be between 1 and {MAX_PAGE}")


def _update(item: AssistantMessageItem, update: Any) -> ThreadItemUpdatedEvent:
    return ThreadItemUpdatedEvent(item_id=item.id, update=update)


async def _quietly_close(stream: ChatStream) -> None:
    """Close the engine's stream even from a cancelled task (shielded, bounded)."""
    with anyio.move_on_after(CLEANUP_SECONDS, shield=True):
        try:
            await stream.aclose()
        except Exception:
            logger.exception("closing the answer stream failed")


def user_text(item: UserMessageItem) -> str:
    parts = []
    for part in item.content:
        if isinstance(part, UserMessageTextContent | UserMessageTagContent):
            parts.append(part.text)
    return " ".join(p.strip() for p in parts if p.strip())


def make_title(question: str) -> str:
    title = " ".join(question.split())
    if len(title) <= TITLE_CHARS:
        return title
    cut = title[:TITLE_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def source_url(metadata: dict[str, Any]) -> str | None:
    url = metadata.get("url")
    if not url:
        return None
    anchor = metadata.get("anchor")
    if anchor and "#" not in url:
        url = f"{url}#{anchor}"
    return str(url)


def unsupported_notice(sentences: Sequence[str]) -> str:
    """The notice naming the answer's sentences its passages do not support."""
    quoted = "; ".join(f"“{text[:200]}”" for text in sentences[:5])
    more = f" and {len(sentences) - 5} more" if len(sentences) > 5 else ""
    return f"Check these against the book: the passages cited do not say so: {quoted}{more}."


def annotations_for(text: str, sources: Sequence[Source], cited: Sequence[int]) -> list[Annotation]:
    """One annotation per cited passage, in citation order, placed just after its first
    ``[n]`` marker in the text (the marker stays: the text is the one the other front ends
    show). A passage without a page URL becomes a file source named by its path."""
    annotations = []
    for n in dict.fromkeys(cited):
        if not 1 <= n <= len(sources):
            continue
        metadata = sources[n - 1].metadata
        title = str(metadata.get("title") or metadata.get("source") or f"Passage {n}")
        heading = metadata.get("heading")
        description = str(heading) if heading and heading != title else None
        url = source_url(metadata)
        source: URLSource | FileSource
        if url:
            source = URLSource(url=url, title=title, description=description)
        else:
            source = FileSource(
                filename=str(metadata.get("source", f"passage-{n}")),
                title=title,
                description=description,
            )
        match = re.search(rf"\[{n}\]", text)
        annotations.append(Annotation(source=source, index=match.end() if match else None))
    return annotations


def error_event(exc: BaseException, context: RequestContext) -> ErrorEvent:
    """An `error` event in the words of `service.errors.shown_error`. Anything not an
    engine error is a bug: logged with its traceback."""
    if isinstance(exc, BookChatError):
        logger.warning("chatkit %s failed: %s", context.request_id, exc.code)
    else:
        logger.error("chatkit %s: unhandled error", context.request_id, exc_info=exc)
    message, retryable = shown_error(exc)
    return ErrorEvent(code="custom", message=message, allow_retry=retryable)


# ---------------------------------------------------------------------- the route

USER_HEADER = "X-BookChat-User"
PAGE_HEADER = "X-BookChat-Page"
VERSION_HEADER = "X-BookChat-Version"
LOCALE_HEADER = "X-BookChat-Locale"
MAX_USER_ID = 200


def make_server(
    assistant: BookAssistant,
    feedback: FeedbackLog,
    database: Database,
    drain: Drain,
    help: HelpLink | None = None,
) -> BookChatKitServer:
    """The server over the storage database (the thread tables live there)."""
    return BookChatKitServer(SqlStore(database), feedback, assistant, drain, help)


def make_router() -> APIRouter:
    """``POST /chatkit`` (mounted only when BOOKCHAT_CHATKIT=on); the lifespan puts the
    server on ``app.state.chatkit``.

    The user id comes from a header the embedding site sets through ChatKit.js's custom
    ``fetch`` (``X-BookChat-User``: it isolates readers' threads, it does not authenticate
    them); the reader's current page, docs version and locale likewise
    (``X-BookChat-Page``, ``X-BookChat-Version``, ``X-BookChat-Locale``, optional: as
    ``page``, ``version`` and ``locale`` in ``/chat``).
    """
    router = APIRouter()

    def error(status: int, code: str, message: str) -> Response:
        return Response(error_json(code, message), status, media_type="application/json")

    @router.post("/chatkit", tags=["chatkit"])
    async def chatkit(request: Request) -> Response:
        """The ChatKit protocol: a JSON request, a JSON or server-sent-events response."""
        user_id = request.headers.get(USER_HEADER, "").strip()
        if not user_id or len(user_id) > MAX_USER_ID:
            return error(400, "missing_user", f"the {USER_HEADER} header is required")
        request_id = getattr(request.state, "request_id", None) or uuid.uuid4().hex
        scope = {
            header: request.headers.get(header, "").strip() or None
            for header in (VERSION_HEADER, LOCALE_HEADER)
        }
        for header, value in scope.items():
            if value is not None and len(value) > MAX_SCOPE:
                return error(422, "invalid_request", f"{header}: at most {MAX_SCOPE} characters")
        context = RequestContext(
            user_id=user_id,
            request_id=str(request_id),
            page=request.headers.get(PAGE_HEADER),
            version=scope[VERSION_HEADER],
            locale=scope[LOCALE_HEADER],
        )
        server: BookChatKitServer = request.app.state.chatkit
        try:
            result = await server.process(await request.body(), context)
        except ValidationError:
            return error(422, "invalid_request", "not a valid ChatKit request")
        except RefusedRequest as exc:
            return error(exc.status, exc.code, exc.message)
        except NotFoundError:
            return error(404, "not_found", "no such thread or item")
        if isinstance(result, StreamingResult):
            return StreamingResponse(
                result.json_events,
                media_type="text/event-stream",
                headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
            )
        return Response(content=result.json, media_type="application/json")

    return router
