"""The question log (`bookchat_questions`), and one rating per answer: the ratings'
`request_id` index becomes unique, the latest rating of an answer kept where there were
several.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bookchat_questions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("request_id", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("history", sa.Text, nullable=True),
        sa.Column("retrieval_query", sa.Text, nullable=True),
        sa.Column("answer", sa.Text, nullable=True),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("sources", sa.Text, nullable=True),
        sa.Column("latency_ms", sa.Integer, nullable=True),
        sa.Column("tokens_in", sa.Integer, nullable=True),
        sa.Column("tokens_out", sa.Integer, nullable=True),
        sa.Column("tokens_thinking", sa.Integer, nullable=True),
        sa.Column("version", sa.String(64), nullable=True),
        sa.Column("locale", sa.String(32), nullable=True),
        sa.Column("page", sa.Text, nullable=True),
        sa.Column("reader", sa.String(32), nullable=True),
    )
    op.create_index(
        "ix_bookchat_questions_request_id", "bookchat_questions", ["request_id"], unique=True
    )
    op.create_index("ix_bookchat_questions_created_at", "bookchat_questions", ["created_at"])
    # One rating per answer: the last one of each request id stays.
    op.execute(
        "DELETE FROM bookchat_feedback WHERE id NOT IN "
        "(SELECT keep FROM (SELECT MAX(id) AS keep FROM bookchat_feedback "
        "GROUP BY request_id) AS latest)"
    )
    op.drop_index("ix_bookchat_feedback_request_id", table_name="bookchat_feedback")
    op.create_index(
        "ix_bookchat_feedback_request_id", "bookchat_feedback", ["request_id"], unique=True
    )


def downgrade() -> None:
    op.drop_index("ix_bookchat_feedback_request_id", table_name="bookchat_feedback")
    op.create_index("ix_bookchat_feedback_request_id", "bookchat_feedback", ["request_id"])
    op.drop_table("bookchat_questions")
