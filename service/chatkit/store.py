"""ChatKit's thread store over the storage database (`storage.Database`).

The tables are the storage layer's (`storage.tables`): ``chatkit_threads``,
``chatkit_items``, ``chatkit_attachments``, in the database of ``BOOKCHAT_FEEDBACK_DB``
beside the ratings, through the one engine the service opened. Every row carries the
owner's ``user_id``, every query filters on it, and the primary keys include it: a thread
id of another user behaves exactly like an unknown id.

Thread metadata and items are stored as the package's own JSON (``model_dump_json`` /
``TypeAdapter(ThreadItem)``), so every item type round-trips, with the columns needed to
filter and paginate next to it. Ordering is by creation time (integer microseconds since
the epoch, so naive and aware datetimes compare correctly) then id, which makes the
``after`` cursor stable even when two rows share a timestamp.

A database error becomes ``StorageUnavailable`` (the server turns it into a 503 or an
``error`` event).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from chatkit.store import NotFoundError, Store, StoreItemType
from chatkit.types import Attachment, Page, ThreadItem, ThreadMetadata
from pydantic import TypeAdapter
from sqlalchemy import Table, and_, delete, func, insert, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.database import Database, StorageUnavailable, describe
from storage.tables import chatkit_attachments as attachments
from storage.tables import chatkit_items as items
from storage.tables import chatkit_threads as threads

__all__ = ["NotFoundError", "RequestContext", "SqlStore"]


@dataclass(frozen=True)
class RequestContext:
    """What the ``/chatkit`` route knows about the caller (ChatKit's ``context``)."""

    user_id: str
    request_id: str
    page: str | None = None  # the reader's current page, if the site sends it
    version: str | None = None  # the docs version to answer from, if the site sends it
    locale: str | None = None  # the locale to answer from and in, likewise


MAX_PAGE = 100  # the largest page: the server refuses a `limit` above it (422)

_ITEM = TypeAdapter(ThreadItem)
_ATTACHMENT = TypeAdapter(Attachment)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _micros(moment: datetime) -> int:
    """Exact integer microseconds since the epoch; a naive datetime is local time
    (ChatKit stamps its items with ``datetime.now()``)."""
    aware = moment if moment.tzinfo is not None else moment.astimezone()
    return (aware - _EPOCH) // timedelta(microseconds=1)


# --------------------------------------------------------------------------- ChatKit store


class SqlStore(Store[RequestContext]):
    """ChatKit's ``Store`` over SQLAlchemy; survives restarts, isolates users."""

    def __init__(self, database: Database) -> None:
        self.database = database

    @asynccontextmanager
    async def _connect(self, write: bool = False) -> AsyncIterator[AsyncConnection]:
        """A connection (in a transaction that commits at the end, to write), with the
        schema migrated first; a database error becomes StorageUnavailable."""
        await self.database.ready()
        engine = self.database.engine
        try:
            if write:
                async with engine.begin() as conn:
                    yield conn
            else:
                async with engine.connect() as conn:
                    yield conn
        except (SQLAlchemyError, OSError) as exc:
            raise StorageUnavailable(describe(exc)) from exc

    # The package's ids are a prefix plus 8 hex digits (32 bits): collisions become likely
    # after tens of thousands of threads. Ours keep the prefix and use a whole UUID4.
    def generate_thread_id(self, context: RequestContext) -> str:
        return f"thr_{uuid.uuid4().hex}"

    def generate_item_id(
        self, item_type: StoreItemType, thread: ThreadMetadata, context: RequestContext
    ) -> str:
        prefix = {
            "thread": "thr",
            "message": "msg",
            "tool_call": "tc",
            "workflow": "wf",
            "task": "tsk",
            "attachment": "atc",
            "sdk_hidden_context": "shcx",
        }.get(item_type, item_type)
        return f"{prefix}_{uuid.uuid4().hex}"

    # -- threads

    async def load_thread(self, thread_id: str, context: RequestContext) -> ThreadMetadata:
        async with self._connect() as conn:
            data = await conn.scalar(
                select(threads.c.data).where(
                    threads.c.user_id == context.user_id, threads.c.id == thread_id
                )
            )
        if data is None:
            raise NotFoundError(f"Thread {thread_id} not found")
        return ThreadMetadata.model_validate_json(data)

    async def save_thread(self, thread: ThreadMetadata, context: RequestContext) -> None:
        # The server sometimes passes a `Thread` (metadata plus a page of items): keep only
        # the metadata.
        data = ThreadMetadata.model_validate(thread.model_dump(exclude={"items"}))
        key = and_(threads.c.user_id == context.user_id, threads.c.id == thread.id)
        async with self._connect(write=True) as conn:
            done = await conn.execute(
                update(threads).where(key).values(data=data.model_dump_json())
            )
            if done.rowcount == 0:
                await conn.execute(
                    insert(threads).values(
                        user_id=context.user_id,
                        id=thread.id,
                        created_us=_micros(thread.created_at),
                        data=data.model_dump_json(),
                    )
                )

    async def load_threads(
        self, limit: int, after: str | None, order: str, context: RequestContext
    ) -> Page[ThreadMetadata]:
        async with self._connect() as conn:
            rows = await self._page(
                conn, threads, threads.c.user_id == context.user_id, after, limit, order
            )
        return _paged(
            [ThreadMetadata.model_validate_json(r.data) for r in rows], min(limit, MAX_PAGE)
        )

    async def delete_thread(self, thread_id: str, context: RequestContext) -> None:
        async with self._connect(write=True) as conn:
            await conn.execute(
                delete(items).where(
                    items.c.user_id == context.user_id, items.c.thread_id == thread_id
                )
            )
            await conn.execute(
                delete(threads).where(
                    threads.c.user_id == context.user_id, threads.c.id == thread_id
                )
            )

    # -- items

    async def load_thread_items(
        self,
        thread_id: str,
        after: str | None,
        limit: int,
        order: str,
        context: RequestContext,
    ) -> Page[ThreadItem]:
        """Items of one of the caller's threads; another user's (or an unknown) thread
        has no items, as in the package's own reference store."""
        scope = and_(items.c.user_id == context.user_id, items.c.thread_id == thread_id)
        async with self._connect() as conn:
            rows = await self._page(conn, items, scope, after, limit, order)
        return _paged([_ITEM.validate_json(r.data) for r in rows], min(limit, MAX_PAGE))

    async def add_thread_item(
        self, thread_id: str, item: ThreadItem, context: RequestContext
    ) -> None:
        await self._upsert_item(thread_id, item, context)

    async def save_item(self, thread_id: str, item: ThreadItem, context: RequestContext) -> None:
        await self._upsert_item(thread_id, item, context)

    async def load_item(self, thread_id: str, item_id: str, context: RequestContext) -> ThreadItem:
        async with self._connect() as conn:
            data = await conn.scalar(
                select(items.c.data).where(
                    items.c.user_id == context.user_id,
                    items.c.thread_id == thread_id,
                    items.c.id == item_id,
                )
            )
        if data is None:
            raise NotFoundError(f"Item {item_id} not found in thread {thread_id}")
        return _ITEM.validate_json(data)

    async def delete_thread_item(
        self, thread_id: str, item_id: str, context: RequestContext
    ) -> None:
        async with self._connect(write=True) as conn:
            await conn.execute(
                delete(items).where(
                    items.c.user_id == context.user_id,
                    items.c.thread_id == thread_id,
                    items.c.id == item_id,
                )
            )

    async def _upsert_item(self, thread_id: str, item: ThreadItem, context: RequestContext) -> None:
        """Insert or replace an item of one of the caller's threads (``add_thread_item``
        and ``save_item`` share it: the server may replace an item it never added, and a
        retried insert must not fail). An item can only go into a thread the caller owns."""
        data = _ITEM.dump_json(item).decode()
        key = and_(
            items.c.user_id == context.user_id,
            items.c.thread_id == thread_id,
            items.c.id == item.id,
        )
        async with self._connect(write=True) as conn:
            owned = await conn.scalar(
                select(func.count())
                .select_from(threads)
                .where(threads.c.user_id == context.user_id, threads.c.id == thread_id)
            )
            if not owned:
                raise NotFoundError(f"Thread {thread_id} not found")
            done = await conn.execute(update(items).where(key).values(data=data, type=item.type))
            if done.rowcount == 0:
                await conn.execute(
                    insert(items).values(
                        user_id=context.user_id,
                        thread_id=thread_id,
                        id=item.id,
                        type=item.type,
                        created_us=_micros(item.created_at),
                        data=data,
                    )
                )

    # -- attachments (bookchat does not accept attachments; kept for completeness)

    async def save_attachment(self, attachment: Attachment, context: RequestContext) -> None:
        data = _ATTACHMENT.dump_json(attachment).decode()
        key = and_(attachments.c.user_id == context.user_id, attachments.c.id == attachment.id)
        async with self._connect(write=True) as conn:
            done = await conn.execute(update(attachments).where(key).values(data=data))
            if done.rowcount == 0:
                await conn.execute(
                    insert(attachments).values(user_id=context.user_id, id=attachment.id, data=data)
                )

    async def load_attachment(self, attachment_id: str, context: RequestContext) -> Attachment:
        async with self._connect() as conn:
            data = await conn.scalar(
                select(attachments.c.data).where(
                    attachments.c.user_id == context.user_id,
                    attachments.c.id == attachment_id,
                )
            )
        if data is None:
            raise NotFoundError(f"Attachment {attachment_id} not found")
        return _ATTACHMENT.validate_json(data)

    async def delete_attachment(self, attachment_id: str, context: RequestContext) -> None:
        async with self._connect(write=True) as conn:
            await conn.execute(
                delete(attachments).where(
                    attachments.c.user_id == context.user_id,
                    attachments.c.id == attachment_id,
                )
            )

    # -- pagination

    @staticmethod
    async def _page(
        conn: AsyncConnection,
        table: Table,
        scope: Any,
        after: str | None,
        limit: int,
        order: str,
    ) -> Sequence[Any]:
        """Up to ``limit + 1`` rows of ``scope`` in (created, id) order, strictly after the
        row whose id is ``after`` (NotFoundError when that row is not in scope)."""
        if order not in ("asc", "desc"):
            raise ValueError(f"order must be 'asc' or 'desc', not {order!r}")
        if limit < 1:
            raise ValueError("limit must be at least 1")
        limit = min(limit, MAX_PAGE)
        created, ident = table.c.created_us, table.c.id
        query = select(table.c.data).where(scope)
        if after is not None:
            cursor = (
                await conn.execute(select(created).where(scope, ident == after))
            ).scalar_one_or_none()
            if cursor is None:
                raise NotFoundError(f"{after} not found")
            if order == "asc":
                query = query.where(or_(created > cursor, and_(created == cursor, ident > after)))
            else:
                query = query.where(or_(created < cursor, and_(created == cursor, ident < after)))
        if order == "asc":
            query = query.order_by(created.asc(), ident.asc())
        else:
            query = query.order_by(created.desc(), ident.desc())
        return (await conn.execute(query.limit(limit + 1))).all()


def _paged(rows: list[Any], limit: int) -> Page[Any]:
    """The package's semantics: ``has_more`` when a row beyond ``limit`` exists, and then
    ``after`` is the id of the page's last row (else None)."""
    has_more = len(rows) > limit
    data = rows[:limit]
    return Page(data=data, has_more=has_more, after=data[-1].id if has_more else None)
