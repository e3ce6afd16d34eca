"""The database: one SQLite file in WAL mode, its transactions, its clock and value codecs.

Repositories (one per slice) share one Database. Writes that must hold together run in
`transaction()`: BEGIN IMMEDIATE takes the write lock up front, so a second process waits
(busy_timeout) instead of failing half-way when it upgrades a read to a write.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite

from core.migrations import MIGRATIONS, migrate, user_version
from core.private import FILE_MODE, make_private, private_dir

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
Row = sqlite3.Row

BUSY_TIMEOUT_MS = 10_000


class NotFound(LookupError):
    """The row to change does not exist (or belongs to another seller)."""


class Tx:
    """The statements of one transaction."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Any = ()) -> int:
        """Run a statement; return the number of rows it changed."""
        cursor = await self._conn.execute(sql, params)
        changed = cursor.rowcount
        await cursor.close()
        return changed

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self._conn.executemany(sql, rows)

    async def fetchall(self, sql: str, params: Any = ()) -> list[Row]:
        return list(await self._conn.execute_fetchall(sql, params))

    async def fetchone(self, sql: str, params: Any = ()) -> Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def scalar(self, sql: str, params: Any = ()) -> int:
        rows = await self.fetchall(sql, params)
        return int(rows[0][0]) if rows and rows[0][0] is not None else 0


class Database:
    """The bot's single SQLite database; open it once at start-up and share it."""

    def __init__(self, conn: aiosqlite.Connection, path: Path, clock: Clock) -> None:
        self._conn = conn
        self._tx = Tx(conn)
        self.path = path
        self.now = clock
        # aiosqlite serialises statements, not transactions: without this lock another task's
        # statement could land inside (and be rolled back with) someone else's transaction.
        self._lock = asyncio.Lock()

    @classmethod
    async def open(
        cls, path: Path, *, clock: Clock | None = None, migrations: Sequence[str] = MIGRATIONS
    ) -> Database:
        """Open (or create) the database file and bring its schema up to date."""
        path = Path(path)
        private_dir(path.parent)
        # SQLite gives its -wal and -shm files the database file's mode: create it 0600 first.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))
        for companion in ("", "-wal", "-shm"):
            make_private(path.with_name(path.name + companion))
        conn = await aiosqlite.connect(path, isolation_level=None)
        try:
            conn.row_factory = sqlite3.Row
            await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            rows = list(await conn.execute_fetchall("PRAGMA journal_mode = WAL"))
            if rows[0][0] != "wal":
                log.warning("SQLite refused WAL mode for %s (got %s)", path, rows[0][0])
            await conn.execute("PRAGMA synchronous = NORMAL")
            await migrate(conn, migrations)
            await conn.execute("PRAGMA foreign_keys = ON")
        except BaseException:
            await conn.close()
            raise
        return cls(conn, path, clock or utcnow)

    async def close(self) -> None:
        """Close the connection; the database is unusable afterwards."""
        async with self._lock:
            await self._conn.close()

    async def schema_version(self) -> int:
        async with self._lock:
            return await user_version(self._conn)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """Run the block's statements as one transaction (rolled back if it raises)."""
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._tx
                await self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    await self._conn.execute("ROLLBACK")
                raise

    async def execute(self, sql: str, params: Any = ()) -> int:
        """Run one autocommitted statement; return the number of rows it changed."""
        async with self._lock:
            return await self._tx.execute(sql, params)

    async def fetchall(self, sql: str, params: Any = ()) -> list[Row]:
        async with self._lock:
            return await self._tx.fetchall(sql, params)

    async def fetchone(self, sql: str, params: Any = ()) -> Row | None:
        async with self._lock:
            return await self._tx.fetchone(sql, params)

    async def scalar(self, sql: str, params: Any = ()) -> int:
        async with self._lock:
            return await self._tx.scalar(sql, params)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Tx]:
        """Run several reads with no write landing between them."""
        async with self._lock:
            yield self._tx


# ---- value codecs --------------------------------------------------------------------------


def utcnow() -> datetime:
    return datetime.now(UTC)


def ts(moment: datetime | None) -> str | None:
    """Return a fixed-width UTC ISO string, so text order is time order; naive means UTC."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def dt(text: str | None) -> datetime | None:
    return None if not text else datetime.fromisoformat(text)


def when(text: str) -> datetime:
    return datetime.fromisoformat(text)


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def from_json(text: str | None, default: Any = None) -> Any:
    return default if text is None else json.loads(text)


def row_dict(row: Row) -> dict[str, Any]:
    return dict(zip(row.keys(), tuple(row), strict=True))
