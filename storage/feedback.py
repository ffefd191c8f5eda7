"""Readers' ratings of answers, stored for evaluation (`POST /feedback`, ChatKit's
`items.feedback`, `bookchat feedback export`).

The ratings live in the `bookchat_feedback` table of the storage database
(`storage.Database`), one per answer (a new rating of the same answer replaces it), each
with what it is about: the question, the history before it, the retrieval query and the
ids and sources of the passages shown. With the question log on (the default) a rating
is accepted only for an answer the service gave within the retention window: one this
process remembers (`RecentAnswers`), else one in the log (`storage.questions`, shared
by every instance and kept across restarts); anything else is `AnswerNotFound` (404).
With the log off, any `request_id` is rated, with what this process remembers of it or
what the client sent back.
"""

from __future__ import annotations

import json
import logging
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from engine.errors import BookChatError
from engine.types import Turn
from storage.database import Database, StorageUnavailable, describe
from storage.tables import feedback as feedback_table

if TYPE_CHECKING:
    from storage.questions import QuestionLog

logger = logging.getLogger(__name__)

Rating = Literal["up", "down"]


class AnswerNotFound(BookChatError):
    """A rating of an answer this service did not give within the retention window."""

    code = "not_found"

    def __init__(self, request_id: str) -> None:
        super().__init__(
            f"no answer {request_id!r} was given by this service within the retention window"
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
        self._answers: OrderedDict[str, tuple[AnswerRecord, float]] = OrderedDict()

    def remember(self, request_id: str, record: AnswerRecord) -> None:
        self._answers[request_id] = (record, time.monotonic())
        self._answers.move_to_end(request_id)
        while len(self._answers) > self.capacity:
            self._answers.popitem(last=False)

    def get(self, request_id: str, max_age: float | None = None) -> AnswerRecord | None:
        """The answer, unless it is older than `max_age` seconds."""
        found = self._answers.get(request_id)
        if found is None or (max_age is not None and time.monotonic() - found[1] > max_age):
            return None
        return found[0]


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
    """Ratings in the storage database."""

    def __init__(self, database: Database) -> None:
        self.database = database

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
        """Store one rating with what it is about, replacing an earlier rating of the
        same answer (the last wins); returns its row id."""
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
            await self.database.ready()
            async with self.database.engine.begin() as conn:
                dialect = conn.dialect.name
                make = postgresql.insert if dialect == "postgresql" else sqlite.insert
                statement = make(feedback_table).values(**values)
                upsert = statement.on_conflict_do_update(
                    index_elements=[feedback_table.c.request_id],
                    set_={key: statement.excluded[key] for key in values if key != "request_id"},
                ).returning(feedback_table.c.id)
                key = (await conn.execute(upsert)).scalar_one()
        except StorageUnavailable as exc:
            logger.warning("feedback not stored: %s", exc.detail)
            raise
        except (SQLAlchemyError, OSError) as exc:
            logger.warning("feedback not stored: %s", type(exc).__name__)
            raise StorageUnavailable(describe(exc)) from exc
        return int(key)

    async def rows(self, rating: Rating | None = None) -> list[FeedbackRow]:
        """Every rating (or those of one kind), oldest first."""
        await self.database.ready()
        query = select(feedback_table).order_by(feedback_table.c.id)
        if rating is not None:
            query = query.where(feedback_table.c.rating == rating)
        try:
            async with self.database.engine.connect() as conn:
                found = (await conn.execute(query)).mappings().all()
        except (SQLAlchemyError, OSError) as exc:
            raise StorageUnavailable(describe(exc)) from exc
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

    def __init__(
        self, store: FeedbackStore, capacity: int = 10_000, questions: QuestionLog | None = None
    ) -> None:
        self.store = store
        self.recent = RecentAnswers(capacity)
        self.questions = questions if questions is not None and questions.enabled else None
        """The question log, when on: only the answers it holds may be rated."""

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
        any_answer: bool = False,
    ) -> int:
        """Store a rating: about the answer this process remembers, else the one the
        question log holds (AnswerNotFound when none), else (log off) what was sent.
        `any_answer`: the caller bounded the ids itself (ChatKit's items)."""
        window = self.questions.retention.total_seconds() if self.questions else None
        about = self.recent.get(request_id, window)
        if about is None and self.questions is not None:
            about = await self.questions.find(request_id)
            if about is None and not any_answer:
                raise AnswerNotFound(request_id)
        about = about or sent
        return await self.store.add(
            request_id, rating, comment, about, origin=origin, user_id=user_id
        )


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
