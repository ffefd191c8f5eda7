"""Readers' ratings of answers, stored for evaluation (`POST /feedback`, ChatKit's
`items.feedback`, `bookchat feedback export`).

One SQLAlchemy database (`BOOKCHAT_FEEDBACK_DB`: a SQLite file under `.data/` by default,
any SQLAlchemy URL, PostgreSQL when several instances share it) holds the ratings, each
with what it is about: the question, the history before it, the retrieval query and the
ids and sources of the passages shown. The service remembers that much of its recent
answers (`RecentAnswers`, bounded, in its own memory), so a rating needs only the
`request_id`; a client may send the rest back instead (another instance answered, or the
answer is older than the memory).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    event,
    insert,
    select,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from engine.errors import UpstreamUnavailable
from engine.types import Turn

logger = logging.getLogger(__name__)

Rating = Literal["up", "down"]

metadata = MetaData()
feedback_table = Table(
    "bookchat_feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("request_id", String(64), nullable=False, index=True),
    Column("rating", String(8), nullable=False),
    Column("comment", Text, nullable=True),
    Column("question", Text, nullable=True),
    Column("history", Text, nullable=True),  # JSON [{"role", "content"}]
    Column("retrieval_query", Text, nullable=True),
    Column("passages", Text, nullable=True),  # JSON [{"id", "source"}]
    Column("outcome", String(32), nullable=True),
    Column("origin", String(16), nullable=False),  # "api" | "chatkit"
    Column("user_id", String(255), nullable=True),
)


@dataclass(frozen=True)
class AnswerRecord:
    """What a rating is about: one answer as the reader saw it."""

    question: str
    retrieval_query: str | None = None
    history: tuple[Turn, ...] = ()
    passages: tuple[tuple[str, str], ...] = ()
    """(passage id, source) of each passage shown, in rank order."""
    outcome: str | None = None


class RecentAnswers:
    """The last `capacity` answers by request id, in this process's memory."""

    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._answers: OrderedDict[str, AnswerRecord] = OrderedDict()

    def remember(self, request_id: str, record: AnswerRecord) -> None:
        self._answers[request_id] = record
        self._answers.move_to_end(request_id)
        while len(self._answers) > self.capacity:
            self._answers.popitem(last=False)

    def get(self, request_id: str) -> AnswerRecord | None:
        return self._answers.get(request_id)


def make_engine(url: str) -> AsyncEngine:
    """An async engine for a SQLAlchemy URL; plain `sqlite:///` and `postgresql://` URLs get
    their async drivers (aiosqlite, asyncpg). A SQLite file's folder is created, and the
    file runs in WAL mode with a busy timeout (a reader never blocks the writer)."""
    parsed = make_url(url)
    if parsed.drivername == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    elif parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    sqlite = parsed.get_backend_name() == "sqlite"
    on_disk = sqlite and parsed.database not in (None, "", ":memory:")
    if on_disk:
        Path(str(parsed.database)).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(parsed, pool_pre_ping=not sqlite)
    if sqlite:

        @event.listens_for(engine.sync_engine, "connect")
        def _pragmas(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA busy_timeout = 10000")
            if on_disk:
                cursor.execute("PRAGMA journal_mode = WAL")
            cursor.close()

    return engine


@dataclass
class FeedbackRow:
    request_id: str
    rating: str
    comment: str | None
    question: str | None
    history: list[dict[str, str]] = field(default_factory=list)
    retrieval_query: str | None = None
    passages: list[dict[str, str]] = field(default_factory=list)
    outcome: str | None = None
    origin: str = "api"
    user_id: str | None = None
    created_at: str = ""


class FeedbackStore:
    """Ratings in the feedback database; tables are created on first use."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._ready = False
        self._lock = asyncio.Lock()

    @classmethod
    def open(cls, url: str) -> FeedbackStore:
        return cls(make_engine(url))

    async def aclose(self) -> None:
        await self.engine.dispose()

    async def _create_tables(self) -> None:
        if self._ready:
            return
        async with self._lock:
            if not self._ready:
                async with self.engine.begin() as conn:
                    await conn.run_sync(metadata.create_all, tables=[feedback_table])
                self._ready = True

    async def add(
        self,
        request_id: str,
        rating: Rating,
        comment: str | None,
        about: AnswerRecord | None,
        *,
        origin: Literal["api", "chatkit"] = "api",
        user_id: str | None = None,
    ) -> int:
        """Store one rating with what it is about; returns its row id."""
        values = {
            "created_at": datetime.now(UTC),
            "request_id": request_id,
            "rating": rating,
            "comment": comment,
            "origin": origin,
            "user_id": user_id,
        }
        if about is not None:
            values |= {
                "question": about.question,
                "history": json.dumps([asdict(turn) for turn in about.history]),
                "retrieval_query": about.retrieval_query,
                "passages": json.dumps([{"id": i, "source": s} for i, s in about.passages]),
                "outcome": about.outcome,
            }
        try:
            await self._create_tables()
            async with self.engine.begin() as conn:
                result = await conn.execute(insert(feedback_table).values(**values))
        except (SQLAlchemyError, OSError) as exc:
            logger.warning("feedback not stored: %s", type(exc).__name__)
            raise UpstreamUnavailable("the feedback database is unavailable") from exc
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])

    async def rows(self, rating: Rating | None = None) -> list[FeedbackRow]:
        """Every rating (or those of one kind), oldest first."""
        await self._create_tables()
        query = select(feedback_table).order_by(feedback_table.c.id)
        if rating is not None:
            query = query.where(feedback_table.c.rating == rating)
        async with self.engine.connect() as conn:
            found = (await conn.execute(query)).mappings().all()
        return [
            FeedbackRow(
                request_id=row["request_id"],
                rating=row["rating"],
                comment=row["comment"],
                question=row["question"],
                history=json.loads(row["history"] or "[]"),
                retrieval_query=row["retrieval_query"],
                passages=json.loads(row["passages"] or "[]"),
                outcome=row["outcome"],
                origin=row["origin"],
                user_id=row["user_id"],
                created_at=row["created_at"].isoformat() if row["created_at"] else "",
            )
            for row in found
        ]


class FeedbackLog:
    """Ratings with what they are about: the recent answers of this process, and the store."""

    def __init__(self, store: FeedbackStore, capacity: int = 10_000) -> None:
        self.store = store
        self.recent = RecentAnswers(capacity)

    def remember(self, request_id: str, record: AnswerRecord) -> None:
        self.recent.remember(request_id, record)

    async def rate(
        self,
        request_id: str,
        rating: Rating,
        comment: str | None = None,
        sent: AnswerRecord | None = None,
        *,
        origin: Literal["api", "chatkit"] = "api",
        user_id: str | None = None,
    ) -> int:
        """Store a rating: about the answer this process remembers, else what was sent."""
        about = self.recent.get(request_id) or sent
        return await self.store.add(
            request_id, rating, comment, about, origin=origin, user_id=user_id
        )

    async def aclose(self) -> None:
        await self.store.aclose()


def evaluation_cases(rows: Sequence[FeedbackRow]) -> list[dict[str, Any]]:
    """Down-voted answers as `bookchat eval` lines, to be marked by a person: `expected`
    starts as the pages that were shown (delete the wrong ones, add the right ones, or
    leave it empty when the book does not cover the question)."""
    cases = []
    for row in rows:
        if not row.question:
            continue
        shown = list(dict.fromkeys(p["source"] for p in row.passages if p.get("source")))
        case: dict[str, Any] = {"question": row.question, "expected": shown}
        if row.history:
            case["history"] = row.history
        case["feedback"] = {
            "request_id": row.request_id,
            "comment": row.comment,
            "retrieval_query": row.retrieval_query,
            "outcome": row.outcome,
            "shown": shown,
            "to_mark": True,
        }
        cases.append(case)
    return cases
