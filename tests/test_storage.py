"""The storage database's migrations (`storage/migrations/`), on SQLite and on a real
PostgreSQL: a fresh database reaches the newest revision, a database made before the
migrations existed keeps its rows, `bookchat db upgrade` and the service's start-up run
them."""

from __future__ import annotations

import asyncio
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    insert,
    inspect,
    select,
    text,
)

from storage import Database, FeedbackStore, StorageUnavailable, head
from storage.tables import chatkit_threads, metadata
from tests.support.processes import ROOT, bookchat
from tests.support.settings import ClientFactory, MakeSettings

INSTANCES = 4  # without the migration lock, 2 already collide every time
TABLES = {
    "bookchat_feedback",
    "bookchat_questions",
    "chatkit_threads",
    "chatkit_items",
    "chatkit_attachments",
}

# The schema as bookchat made it before it had migrations (`create_all` on first use of
# the feedback store, and of the ChatKit store when ChatKit was on), frozen here.
BEFORE = MetaData()
BEFORE_FEEDBACK = Table(
    "bookchat_feedback",
    BEFORE,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("request_id", String(64), nullable=False, index=True),
    Column("rating", String(8), nullable=False),
    Column("comment", Text, nullable=True),
    Column("question", Text, nullable=True),
    Column("history", Text, nullable=True),
    Column("retrieval_query", Text, nullable=True),
    Column("passages", Text, nullable=True),
    Column("outcome", String(32), nullable=True),
    Column("origin", String(16), nullable=False),
    Column("user_id", String(255), nullable=True),
)
BEFORE_THREADS = Table(
    "chatkit_threads",
    BEFORE,
    Column("user_id", String(255), primary_key=True),
    Column("id", String(255), primary_key=True),
    Column("created_us", BigInteger, nullable=False),
    Column("data", Text, nullable=False),
    Index("ix_chatkit_threads_user_created", "user_id", "created_us", "id"),
)


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'bookchat.db'}"
    return str(request.getfixturevalue("pg_url"))


def table_names(conn: Connection) -> set[str]:
    return set(inspect(conn).get_table_names())


def schema_differences(conn: Connection) -> list[object]:
    return list(compare_metadata(MigrationContext.configure(conn), metadata))


async def make_database_before_migrations(url: str) -> None:
    """A rating and a ChatKit thread, as the code before the migrations stored them."""
    async with Database.open(url) as database, database.engine.begin() as conn:
        await conn.run_sync(BEFORE.create_all)
        await conn.execute(
            insert(BEFORE_FEEDBACK).values(
                created_at=datetime(2026, 11, 30, tzinfo=UTC),
                request_id="r-before",
                rating="down",
                comment="wrong page",
                question="What is ZMP?",
                history="[]",
                passages='[{"id": "p1", "source": "control/balance.md"}]',
                origin="api",
            )
        )
        await conn.execute(
            insert(BEFORE_THREADS).values(
                user_id="alice", id="thr_before", created_us=1, data='{"id": "thr_before"}'
            )
        )


async def test_a_fresh_database_is_migrated_to_the_newest_revision(db_url: str) -> None:
    async with Database.open(db_url) as database:
        assert await database.revision() is None

        revision = await database.upgrade()

        assert revision == head()
        assert await database.revision() == head()
        async with database.engine.connect() as conn:
            assert await conn.run_sync(table_names) >= TABLES
            assert await conn.run_sync(schema_differences) == []


async def test_a_database_made_before_the_migrations_keeps_its_rows(db_url: str) -> None:
    await make_database_before_migrations(db_url)

    async with Database.open(db_url) as database:
        assert await database.revision() is None
        assert await database.upgrade() == head()
        (rating,) = await FeedbackStore(database).rows()
        async with database.engine.connect() as conn:
            threads = (await conn.execute(select(chatkit_threads.c.id))).scalars().all()
            assert await conn.run_sync(table_names) >= TABLES  # the missing ones created
            assert await conn.run_sync(schema_differences) == []

    assert (rating.request_id, rating.rating, rating.comment) == ("r-before", "down", "wrong page")
    assert rating.question == "What is ZMP?"
    assert rating.passages == [{"id": "p1", "source": "control/balance.md"}]
    assert threads == ["thr_before"]


async def test_the_upgrade_keeps_the_last_rating_of_each_answer(db_url: str) -> None:
    await make_database_before_migrations(db_url)
    async with Database.open(db_url) as database, database.engine.begin() as conn:
        for comment in ("second thoughts", "final word"):
            await conn.execute(
                insert(BEFORE_FEEDBACK).values(
                    created_at=datetime(2026, 12, 1, tzinfo=UTC),
                    request_id="r-before",
                    rating="up",
                    comment=comment,
                    origin="api",
                )
            )

    async with Database.open(db_url) as database:
        await database.upgrade()
        (rating,) = await FeedbackStore(database).rows()

    assert (rating.rating, rating.comment) == ("up", "final word")


async def test_instances_starting_together_migrate_once(db_url: str) -> None:
    databases = [Database.open(db_url) for _ in range(INSTANCES)]
    try:
        revisions = await asyncio.gather(*(database.upgrade() for database in databases))
        async with databases[0].engine.connect() as conn:
            versions = (await conn.execute(text("SELECT version_num FROM alembic_version"))).all()
    finally:
        for database in databases:
            await database.aclose()

    assert revisions == [head()] * INSTANCES
    assert [row[0] for row in versions] == [head()]


async def test_a_database_newer_than_the_code_is_unavailable_not_touched(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bookchat.db'}"
    async with Database.open(url) as database:
        await database.upgrade()
        async with database.engine.begin() as conn:
            await conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))

        with pytest.raises(StorageUnavailable) as raised:
            await database.upgrade()

        assert "9999" in raised.value.detail
        assert await database.revision() == "9999"


def bookchat_db_upgrade(url: str) -> subprocess.CompletedProcess[str]:
    """`bookchat db upgrade` with nothing configured but the database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOOKCHAT_", "GEMINI_"))}
    env |= {"BOOKCHAT_FEEDBACK_DB": url, "PYTHONPATH": str(ROOT)}
    return bookchat("db", "upgrade", env=env)


def test_bookchat_db_upgrade_migrates_and_exits_0(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bookchat.db'}"
    asyncio.run(make_database_before_migrations(url))

    first = bookchat_db_upgrade(url)
    again = bookchat_db_upgrade(url)

    assert first.returncode == 0, first.stderr
    assert f"upgraded from revision (none) to {head()}" in first.stdout
    assert again.returncode == 0, again.stderr
    assert f"already at revision {head()}" in again.stdout


def test_bookchat_db_upgrade_of_an_unreachable_database_is_one_line_and_exit_1() -> None:
    result = bookchat_db_upgrade("postgresql://nobody@127.0.0.1:9/none")

    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()[-1:]
    assert line.startswith("bookchat: the database is unavailable: ")
    assert "Traceback" not in result.stderr


async def test_the_service_migrates_the_database_at_start_up(
    app_client: ClientFactory, make_settings: MakeSettings, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"

    async with app_client(make_settings(service={"feedback_db": url})) as client:
        assert (await client.get("/health")).status_code == 200
        async with Database.open(url) as database:
            revision = await database.revision()

    assert revision == head()
