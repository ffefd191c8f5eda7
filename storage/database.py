"""The one database of bookchat's storage layer, and its migrations.

`BOOKCHAT_FEEDBACK_DB` (a SQLite file under `.data/` by default, any SQLAlchemy URL,
PostgreSQL when several instances share it) holds every table of `storage.tables`: the
readers' ratings, ChatKit's threads, and what comes next. One `Database` a process owns
the one async engine (its connection pool) that every store uses.

The schema is Alembic's (`storage/migrations/`, shipped inside the package): the service
upgrades it at start-up and `bookchat db upgrade` does it by hand. The first revision
creates only the tables that are missing, so a database made before the migrations
existed (tables, no `alembic_version`) is upgraded in place, rows kept.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from pathlib import Path
from types import TracebackType
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from engine.errors import UpstreamUnavailable

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "alembic_version"  # Alembic's default, where a database's revision is kept
# Any constant: PostgreSQL's advisory lock that lets one process at a time migrate.
PG_MIGRATION_LOCK = 0x626F6F6B63686174  # "bookchat"


class StorageUnavailable(UpstreamUnavailable):
    """The database could not be reached, read or written, or its schema could not be
    brought up to date (a 503 over HTTP). `detail` is the reason, for the operator: it
    may name the server or its user, so it is logged and printed, never sent to a client."""

    def __init__(self, detail: str) -> None:
        super().__init__("the database is unavailable")
        self.detail = detail


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
    read_only = parsed.query.get("mode") == "ro"
    if on_disk and not str(parsed.database).startswith("file:"):
        Path(str(parsed.database)).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(parsed, pool_pre_ping=not sqlite)
    if sqlite:

        @event.listens_for(engine.sync_engine, "connect")
        def _pragmas(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA busy_timeout = 10000")
            if on_disk and not read_only:
                try:
                    cursor.execute("PRAGMA journal_mode = WAL")
                except sqlite3.OperationalError:
                    # "database is locked", busy_timeout notwithstanding: connections
                    # opening a new file together (instances starting at once) all switch
                    # it; one succeeds, and the mode is kept in the file (measured: 26 of
                    # 300 trios of connections failed here before this).
                    logger.debug("journal mode switched by another connection")
            cursor.close()

    return engine


def alembic_config() -> Config:
    """Alembic's configuration, with no `alembic.ini`: the scripts inside this package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head() -> str | None:
    """The newest revision of the migrations this code ships."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def describe(exc: BaseException) -> str:
    """An error in one line, for the operator (its class, its first line)."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


class FileGuard:
    """A SQLite database file as it was when this process first used it (device and
    inode), watched like the embedded Qdrant folder (`engine.store.FolderGuard`): a file
    deleted or replaced under an open connection takes writes that no later reader sees
    (the connection writes to the unlinked inode), so every use checks it (one `stat`)
    and the database is unavailable (503) until a restart opens the file again."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.identity: tuple[int, int] | None = None

    def arm(self) -> None:
        """Remember the file as it is now (once it exists)."""
        if self.identity is None:
            try:
                found = os.stat(self.path)
            except OSError:
                return
            self.identity = (found.st_dev, found.st_ino)

    def lost(self) -> str | None:
        """Why the file is no longer the one this process opened, or None."""
        if self.identity is None:
            return None
        try:
            found = os.stat(self.path)
        except OSError:
            return f"the database file {self.path} was deleted while serving"
        if (found.st_dev, found.st_ino) != self.identity:
            return f"the database file {self.path} was replaced while serving"
        return None


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL, or None (another database, memory, a `file:` URI)."""
    parsed = make_url(url)
    name = parsed.database
    if parsed.get_backend_name() != "sqlite" or name in (None, "", ":memory:"):
        return None
    if str(name).startswith("file:"):
        return None
    return Path(str(name)).expanduser().resolve()


class Database:
    """The async engine shared by every store, and the migrations of its schema."""

    def __init__(self, engine: AsyncEngine, file: Path | None = None) -> None:
        self.engine = engine
        self._ready = False
        self._lock = asyncio.Lock()
        self.guard = FileGuard(file) if file is not None else None

    @classmethod
    def open(cls, url: str) -> Database:
        """The database at a SQLAlchemy URL; nothing connects until it is used."""
        return cls(make_engine(url), sqlite_file(url))

    async def aclose(self) -> None:
        await self.engine.dispose()

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def upgrade(self) -> str | None:
        """Bring the schema up to the newest revision; returns that revision. One process
        at a time (a PostgreSQL advisory lock, SQLite's write lock): instances starting
        together do not both create the tables. StorageUnavailable when it cannot.

        A database already at the newest revision is only read (no lock, no write): a
        start-up costs two small queries, and a read-only database can still be served."""
        newest = head()
        if await self.revision() == newest:
            self._ready = True
            self._arm()
            return newest
        try:
            async with self.engine.connect() as conn:
                await _lock_for_migration(conn)
                revision = await conn.run_sync(_upgrade)
                await conn.commit()
        except (SQLAlchemyError, OSError, CommandError) as exc:
            raise StorageUnavailable(describe(exc)) from exc
        self._ready = True
        self._arm()
        return revision

    def _arm(self) -> None:
        if self.guard is not None:
            self.guard.arm()

    def lost(self) -> str | None:
        """Why the database file is no longer the one this process opened, or None."""
        return self.guard.lost() if self.guard is not None else None

    async def revision(self) -> str | None:
        """The schema's current revision (None: never migrated)."""
        try:
            async with self.engine.connect() as conn:
                return await conn.run_sync(_current_revision)
        except (SQLAlchemyError, OSError) as exc:
            raise StorageUnavailable(describe(exc)) from exc

    async def ready(self) -> None:
        """Upgrade the schema the first time a store needs it in this process (when
        start-up could not); after that, one `stat` of a SQLite file: StorageUnavailable
        when it was deleted or replaced (`FileGuard`)."""
        if self.guard is not None and (lost := self.guard.lost()) is not None:
            raise StorageUnavailable(f"{lost}: restart the service to open it again")
        if self._ready:
            return
        async with self._lock:
            if not self._ready:
                await self.upgrade()


async def _lock_for_migration(conn: AsyncConnection) -> None:
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_MIGRATION_LOCK})
    elif conn.dialect.name == "sqlite":
        # pysqlite would begin only before the first INSERT, and run the DDL outside any
        # transaction: take the write lock now (another process waits, busy_timeout).
        await conn.exec_driver_sql("BEGIN IMMEDIATE")


def _current_revision(connection: Connection) -> str | None:
    # Read directly: Alembic's MigrationContext would log two INFO lines at every start.
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    return connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def _upgrade(connection: Connection) -> str | None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
    return _current_revision(connection)
