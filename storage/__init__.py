"""bookchat's storage layer: one database (`BOOKCHAT_FEEDBACK_DB`) for the readers'
ratings, ChatKit's threads and the question log, its schema kept by Alembic migrations.

The front ends (`service`, `cli`) use it; the engine never does (it imports no
SQLAlchemy). Its tables are in `storage.tables`, the migrations in
`storage/migrations/versions/`.
"""

from storage.database import Database, StorageUnavailable, head
from storage.feedback import (
    AnswerNotFound,
    AnswerRecord,
    FeedbackLog,
    FeedbackRow,
    FeedbackStore,
    Rating,
    RecentAnswers,
    evaluation_cases,
)
from storage.questions import LoggedAnswer, QuestionLog, tokens_of

__all__ = [
    "AnswerNotFound",
    "AnswerRecord",
    "Database",
    "FeedbackLog",
    "FeedbackRow",
    "FeedbackStore",
    "LoggedAnswer",
    "QuestionLog",
    "Rating",
    "RecentAnswers",
    "StorageUnavailable",
    "evaluation_cases",
    "head",
    "tokens_of",
]
