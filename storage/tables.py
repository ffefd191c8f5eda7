"""Every table of bookchat's database, as the queries see them.

The schema itself is made by the migrations (`storage/migrations/versions/`), never by
`create_all`: a new table or column is a new revision there, and the same change here.
`tests/test_storage.py` checks that a migrated database matches these definitions.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

# ---------------------------------------------------------------- readers' ratings

feedback = Table(
    "bookchat_feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("request_id", String(64), nullable=False, index=True, unique=True),  # one an answer
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

# ---------------------------------------------------------------- the question log
# One row per answer given (`/chat`, `/chat/stream`, ChatKit), kept
# BOOKCHAT_RETENTION_DAYS; no IP address or key: `reader` is a hash of the client under a
# salt that lives one UTC day in the process's memory (`storage.questions`).

questions = Table(
    "bookchat_questions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("request_id", String(64), nullable=False, index=True, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
    Column("origin", String(16), nullable=False),  # "api" | "stream" | "chatkit"
    Column("question", Text, nullable=False),
    Column("history", Text, nullable=True),  # JSON [{"role", "content"}]
    Column("retrieval_query", Text, nullable=True),
    Column("answer", Text, nullable=True),
    Column("outcome", String(32), nullable=False),
    Column("sources", Text, nullable=True),  # JSON [{"id", "source", "cited"}], rank order
    Column("latency_ms", Integer, nullable=True),
    Column("tokens_in", Integer, nullable=True),
    Column("tokens_out", Integer, nullable=True),
    Column("tokens_thinking", Integer, nullable=True),
    Column("version", String(64), nullable=True),
    Column("locale", String(32), nullable=True),
    Column("page", Text, nullable=True),
    Column("reader", String(32), nullable=True),
)

# ---------------------------------------------------------------- ChatKit threads
# Every row carries its owner's `user_id` and the primary keys include it; `data` is the
# ChatKit package's own JSON of the thread, item or attachment; `created_us` is integer
# microseconds since the epoch (the pagination order, with the id).

ID = String(255)

chatkit_threads = Table(
    "chatkit_threads",
    metadata,
    Column("user_id", ID, primary_key=True),
    Column("id", ID, primary_key=True),
    Column("created_us", BigInteger, nullable=False),
    Column("data", Text, nullable=False),
    Index("ix_chatkit_threads_user_created", "user_id", "created_us", "id"),
)

chatkit_items = Table(
    "chatkit_items",
    metadata,
    Column("user_id", ID, primary_key=True),
    Column("thread_id", ID, primary_key=True),
    Column("id", ID, primary_key=True),
    Column("type", String(64), nullable=False),
    Column("created_us", BigInteger, nullable=False),
    Column("data", Text, nullable=False),
    Index("ix_chatkit_items_thread_created", "user_id", "thread_id", "created_us", "id"),
)

chatkit_attachments = Table(
    "chatkit_attachments",
    metadata,
    Column("user_id", ID, primary_key=True),
    Column("id", ID, primary_key=True),
    Column("data", Text, nullable=False),
)
