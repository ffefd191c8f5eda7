"""A question log filled with answers and ratings, for the report's tests and bench/."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from storage import Database, FeedbackStore, LoggedAnswer, QuestionLog


def answer(
    request_id: str,
    question: str,
    *,
    outcome: str = "answered",
    cited: Sequence[str] = (),
    shown: Sequence[str] = (),
    days_ago: float = 0.0,
    latency_ms: int = 100,
    reader: str | None = "r1",
    answer_text: str = "An answer [1].",
    tokens: tuple[int, int, int] | None = None,
) -> LoggedAnswer:
    sources = [(f"{request_id}-{n}", page, True) for n, page in enumerate(cited)]
    sources += [(f"{request_id}-s{n}", page, False) for n, page in enumerate(shown)]
    return LoggedAnswer(
        request_id=request_id,
        question=question,
        outcome=outcome,
        answer=answer_text if outcome == "answered" else "That is not in the book.",
        sources=tuple(sources),
        latency_ms=latency_ms,
        reader=reader,
        created_at=datetime.now(UTC) - timedelta(days=days_ago),
        tokens_in=tokens[0] if tokens else None,
        tokens_out=tokens[1] if tokens else None,
        tokens_thinking=tokens[2] if tokens else None,
    )


async def seed(
    url: str,
    answers: Sequence[LoggedAnswer],
    ratings: Sequence[tuple[str, str, str | None]] = (),
    batch: int = 5000,
) -> None:
    """Write `answers` and `ratings` ((request id, "up"|"down", comment)) into `url`."""
    async with Database.open(url) as database:
        await database.upgrade()
        log = QuestionLog(database, 3650)
        for start in range(0, len(answers), batch):
            await log.write(answers[start : start + batch])
        store = FeedbackStore(database)
        for request_id, rating, comment in ratings:
            await store.add(request_id, rating, comment, None)  # type: ignore[arg-type]
