"""Alembic's environment: the connection comes from `storage.Database.upgrade` (which
holds the migration lock), never from a URL here."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from storage.tables import metadata


def run(connection: Connection) -> None:
    # render_as_batch: SQLite alters a table by copying it (Alembic's batch mode).
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise SystemExit("migrations run with `bookchat db upgrade` (or at the service's start-up)")
run(connection)
