"""The tables bookchat created before it had migrations: ratings and ChatKit threads.

Each table and index is created only when missing (`IF NOT EXISTS`), so a database made
by that code (some or all of these tables, no `alembic_version`) upgrades in place with
its rows, and a fresh one gets them all.

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels = None
depends_on = None

ID = sa.String(255)


def upgrade() -> None:
    op.create_table(
        "bookchat_feedback",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("request_id", sa.String(64), nullable=False),
        sa.Column("rating", sa.String(8), nullable=False),
        sa.Column("comment", sa.Text, nullable=True),
        sa.Column("question", sa.Text, nullable=True),
        sa.Column("history", sa.Text, nullable=True),
        sa.Column("retrieval_query", sa.Text, nullable=True),
        sa.Column("passages", sa.Text, nullable=True),
        sa.Column("outcome", sa.String(32), nullable=True),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("user_id", sa.String(255), nullable=True),
        if_not_exists=True,
    )
    op.create_index(
        "ix_bookchat_feedback_request_id",
        "bookchat_feedback",
        ["request_id"],
        if_not_exists=True,
    )
    op.create_table(
        "chatkit_threads",
        sa.Column("user_id", ID, primary_key=True),
        sa.Column("id", ID, primary_key=True),
        sa.Column("created_us", sa.BigInteger, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        if_not_exists=True,
    )
    op.create_index(
        "ix_chatkit_threads_user_created",
        "chatkit_threads",
        ["user_id", "created_us", "id"],
        if_not_exists=True,
    )
    op.create_table(
        "chatkit_items",
        sa.Column("user_id", ID, primary_key=True),
        sa.Column("thread_id", ID, primary_key=True),
        sa.Column("id", ID, primary_key=True),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("created_us", sa.BigInteger, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        if_not_exists=True,
    )
    op.create_index(
        "ix_chatkit_items_thread_created",
        "chatkit_items",
        ["user_id", "thread_id", "created_us", "id"],
        if_not_exists=True,
    )
    op.create_table(
        "chatkit_attachments",
        sa.Column("user_id", ID, primary_key=True),
        sa.Column("id", ID, primary_key=True),
        sa.Column("data", sa.Text, nullable=False),
        if_not_exists=True,
    )


def downgrade() -> None:
    for table in ("chatkit_attachments", "chatkit_items", "chatkit_threads", "bookchat_feedback"):
        op.drop_table(table)
