"""The question log: every answer the service gives, for `bookchat report` and to bound
the ratings (`POST /feedback` rates only an answer logged here within the retention).

What a row holds: the request id, the time, where it came from (`api`, `stream`,
`chatkit`), the question and the history before it, the retrieval query, the answer, the
outcome, the passages shown (id, page, cited or not), the latency, the tokens the answer
spent (when the engine reports them), the version, locale and page asked about, and
`reader`: a hash of the client (its address, or ChatKit's user id) keyed by a salt drawn
at random for each UTC day and kept only in the process's memory, so that readers can be
counted per day while no address is stored and yesterday's hashes cannot be recomputed.
No IP address and no API key is ever stored.

Writes never wait on the request: `QuestionLog.record` puts the row on a bounded queue
(dropped with a warning when it is full) and one background task writes what has
accumulated in one `INSERT` (a batch) at a time. Rows older than
`BOOKCHAT_RETENTION_DAYS` are deleted (`purge`, at start-up and hourly in the service, and
by `bookchat report`), with the ratings of that age.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import secrets
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import SQLAlchemyError

from engine.types import Turn
from storage.database import Database, StorageUnavailable, describe
from storage.feedback import AnswerRecord
from storage.tables import feedback as feedback_table
from storage.tables import questions as questions_table

logger = logging.getLogger(__name__)

QUEUE_CAPACITY = 10_000
"""Rows waiting to be written at most; past it a row is dropped (and counted)."""
BATCH = 500
"""Rows one write takes at most."""
CLOSE_SECONDS = 5.0
"""How long closing waits for the rows still queued."""


@dataclass(frozen=True)
class LoggedAnswer:
    """One answer as the log keeps it."""

    request_id: str
    question: str
    outcome: str
    origin: str = "api"
    retrieval_query: str | None = None
    answer: str | None = None
    history: tuple[Turn, ...] = ()
    sources: tuple[tuple[str, str, bool], ...] = ()
    """(passage id, page `source`, cited) of each passage shown, in rank order."""
    latency_ms: int | None = None
    tokens_in: int | None = None
    tokens_out: int | None = None
    tokens_thinking: int | None = None
    version: str | None = None
    locale: str | None = None
    page: str | None = None
    reader: str | None = None
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def values(self) -> dict[str, Any]:
        return {
            "request_id": self.request_id,
            "created_at": self.created_at,
            "origin": self.origin,
            "question": self.question,
            "history": json.dumps([asdict(turn) for turn in self.history]),
            "retrieval_query": self.retrieval_query,
            "answer": self.answer,
            "outcome": self.outcome,
            "sources": json.dumps([{"id": i, "source": s, "cited": c} for i, s, c in self.sources]),
            "latency_ms": self.latency_ms,
            "tokens_in": self.tokens_in,
            "tokens_out": self.tokens_out,
            "tokens_thinking": self.tokens_thinking,
            "version": self.version,
            "locale": self.locale,
            "page": self.page,
            "reader": self.reader,
        }


class FinishedAnswer(Protocol):
    """What the log reads of an engine answer (a `ChatResult`, or a finished `ChatStream`)."""

    @property
    def answer(self) -> str: ...
    @property
    def retrieval_query(self) -> str: ...
    @property
    def outcome(self) -> str: ...
    @property
    def cited(self) -> Sequence[int]: ...
    @property
    def sources(self) -> Sequence[Any]: ...


def logged(
    request_id: str,
    question: str,
    history: Sequence[Turn],
    result: FinishedAnswer,
    *,
    origin: str,
    started: float,
    reader: str | None,
    page: str | None = None,
    version: str | None = None,
    locale: str | None = None,
) -> LoggedAnswer:
    """The log's row of a finished answer, from any front end (`started`: its
    `time.perf_counter()` at the request's start)."""
    tokens_in, tokens_out, tokens_thinking = tokens_of(result)
    cited = set(result.cited)
    return LoggedAnswer(
        request_id=request_id,
        question=question,
        outcome=result.outcome,
        origin=origin,
        retrieval_query=result.retrieval_query,
        answer=result.answer,
        history=tuple(history),
        sources=tuple(
            (s.id, str(s.metadata.get("source", "")), rank in cited)
            for rank, s in enumerate(result.sources, 1)
        ),
        latency_ms=round((time.perf_counter() - started) * 1000),
        tokens_in=tokens_in,
        tokens_out=tokens_out,
        tokens_thinking=tokens_thinking,
        version=version,
        locale=locale,
        page=page,
        reader=reader,
    )


def tokens_of(result: object) -> tuple[int | None, int | None, int | None]:
    """(in, out, thinking) tokens of an engine result that reports its usage (`usage`
    with `prompt`, `output`, `thinking`); (None, None, None) when it does not."""
    usage = getattr(result, "usage", None)
    if usage is None:
        return None, None, None

    def count(name: str) -> int | None:
        value = getattr(usage, name, None)
        return int(value) if isinstance(value, int) else None

    return count("prompt"), count("output"), count("thinking")


class ReaderHash:
    """Distinct readers per UTC day without keeping who they are: a keyed hash of the
    client under a random salt that lives one day, in this process's memory only."""

    def __init__(self) -> None:
        self._day: date | None = None
        self._salt = b""

    def of(self, client: str | None) -> str | None:
        if not client:
            return None
        today = datetime.now(UTC).date()
        if today != self._day:
            self._day, self._salt = today, secrets.token_bytes(16)
        return hashlib.blake2b(client.encode(), key=self._salt, digest_size=8).hexdigest()


def utc(moment: datetime) -> datetime:
    """A stored time as UTC (SQLite gives it back naive)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True)
class WindowRow:
    """One logged answer with its rating, as `bookchat report` reads it."""

    created_at: datetime
    question: str
    answer: str | None
    outcome: str
    sources: list[dict[str, Any]]
    latency_ms: int | None
    reader: str | None
    rating: str | None
    comment: str | None
    tokens: int = 0
    """Tokens the answer spent (in + out + thinking; 0 when not reported)."""


class QuestionLog:
    """The log's writer (a bounded queue, a background task), its look-ups and clean-up."""

    def __init__(
        self,
        database: Database,
        retention_days: int,
        *,
        enabled: bool = True,
        capacity: int = QUEUE_CAPACITY,
        batch: int = BATCH,
    ) -> None:
        self.database = database
        self.retention = timedelta(days=retention_days)
        self.enabled = enabled
        self.batch = batch
        self.readers = ReaderHash()
        self.dropped = 0
        """Rows not written: the queue was full, or the database failed."""
        self._queue: asyncio.Queue[LoggedAnswer] = asyncio.Queue(capacity)
        self._task: asyncio.Task[None] | None = None

    # ------------------------------------------------------------------ writing

    def record(self, answer: LoggedAnswer) -> None:
        """Queue one answer for the log; never waits (a full queue drops it)."""
        if not self.enabled:
            return
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())
        try:
            self._queue.put_nowait(answer)
        except asyncio.QueueFull:
            self.dropped += 1
            if self.dropped % 1000 == 1:
                logger.warning("question log queue full: %d answer(s) not logged", self.dropped)

    async def flush(self) -> None:
        """Wait until every queued answer is written (or dropped)."""
        if self._task is not None:
            await self._queue.join()

    async def aclose(self) -> None:
        """Write what is queued (within CLOSE_SECONDS), then stop the writer."""
        if self._task is None:
            return
        try:
            async with asyncio.timeout(CLOSE_SECONDS):
                await self._queue.join()
        except TimeoutError:
            logger.warning("question log: %d answer(s) not written", self._queue.qsize())
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)
        self._task = None

    async def _run(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while len(batch) < self.batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                await self.write(batch)
            except StorageUnavailable as exc:
                self.dropped += len(batch)
                logger.warning("%d answer(s) not logged: %s", len(batch), exc.detail)
            except Exception:  # a bug: logged, the writer goes on
                self.dropped += len(batch)
                logger.exception("question log write failed")
            finally:
                for _ in batch:
                    self._queue.task_done()

    async def write(self, answers: Sequence[LoggedAnswer]) -> None:
        """Insert answers now, in one statement (the writer's batch; tests and seeding)."""
        if not answers:
            return
        try:
            await self.database.ready()
            async with self.database.engine.begin() as conn:
                await conn.execute(insert(questions_table), [a.values() for a in answers])
        except (SQLAlchemyError, OSError) as exc:
            raise StorageUnavailable(describe(exc)) from exc

    # ------------------------------------------------------------------ reading

    def cutoff(self, now: datetime | None = None) -> datetime:
        return (now or datetime.now(UTC)) - self.retention

    async def find(self, request_id: str) -> AnswerRecord | None:
        """The logged answer of `request_id` within the retention window, or None."""
        query = select(
            questions_table.c.question,
            questions_table.c.retrieval_query,
            questions_table.c.history,
            questions_table.c.sources,
            questions_table.c.outcome,
        ).where(
            questions_table.c.request_id == request_id,
            questions_table.c.created_at >= self.cutoff(),
        )
        try:
            await self.database.ready()
            async with self.database.engine.connect() as conn:
                row = (await conn.execute(query)).mappings().first()
        except (SQLAlchemyError, OSError) as exc:
            raise StorageUnavailable(describe(exc)) from exc
        if row is None:
            return None
        turns = json.loads(row["history"] or "[]")
        return AnswerRecord(
            question=row["question"],
            retrieval_query=row["retrieval_query"],
            history=tuple(Turn(t["role"], t["content"]) for t in turns),
            passages=tuple((p["id"], p["source"]) for p in json.loads(row["sources"] or "[]")),
            outcome=row["outcome"],
        )

    async def window(self, since: datetime) -> list[WindowRow]:
        """Every answer logged since `since`, oldest first, with its rating."""
        q, f = questions_table.c, feedback_table.c
        query = (
            select(
                q.created_at,
                q.question,
                q.answer,
                q.outcome,
                q.sources,
                q.latency_ms,
                q.reader,
                f.rating,
                f.comment,
                q.tokens_in,
                q.tokens_out,
                q.tokens_thinking,
            )
            .select_from(questions_table.outerjoin(feedback_table, f.request_id == q.request_id))
            .where(q.created_at >= since)
            .order_by(q.id)
        )
        try:
            await self.database.ready()
            async with self.database.engine.connect() as conn:
                found = (await conn.execute(query)).all()
        except (SQLAlchemyError, OSError) as exc:
            raise StorageUnavailable(describe(exc)) from exc
        return [
            WindowRow(
                created_at=utc(row[0]),
                question=row[1],
                answer=row[2],
                outcome=row[3],
                sources=json.loads(row[4] or "[]"),
                latency_ms=row[5],
                reader=row[6],
                rating=row[7],
                comment=row[8],
                tokens=sum(count or 0 for count in row[9:12]),
            )
            for row in found
        ]

    # ------------------------------------------------------------------ deleting

    async def purge(self, now: datetime | None = None) -> tuple[int, int]:
        """Delete answers and ratings older than the retention; (answers, ratings)."""
        return await self.forget(self.cutoff(now))

    async def forget(self, before: datetime) -> tuple[int, int]:
        """Delete answers and ratings made before `before`; (answers, ratings)."""
        try:
            await self.database.ready()
            async with self.database.engine.begin() as conn:
                answers = await conn.execute(
                    delete(questions_table).where(questions_table.c.created_at < before)
                )
                ratings = await conn.execute(
                    delete(feedback_table).where(feedback_table.c.created_at < before)
                )
        except (SQLAlchemyError, OSError) as exc:
            raise StorageUnavailable(describe(exc)) from exc
        return answers.rowcount, ratings.rowcount
