"""bookchat's storage layer: one database (`BOOKCHAT_FEEDBACK_DB`) for the readers'
ratings, ChatKit's threads and what comes next, its schema kept by Alembic migrations.

The front ends (`service`, `cli`) use it; the engine never does (it imports no
SQLAlchemy). Its tables are in `storage.tables`, the migrations in
`storage/migrations/versions/`.
"""

from storage.database import Database, StorageUnavailable, head
from storage.feedback import (
    AnswerRecord,
    FeedbackLog,
    FeedbackRow,
    FeedbackStore,
    Rating,
    RecentAnswers,
    evaluation_cases,
)

__all__ = [
    "AnswerRecord",
    "Database",
    "FeedbackLog",
    "FeedbackRow",
    "FeedbackStore",
    "Rating",
    "RecentAnswers",
    "StorageUnavailable",
    "evaluation_cases",
    "head",
]
