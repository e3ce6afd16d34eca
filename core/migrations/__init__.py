"""Versioned schema: `NNNN_name.sql` brings the database to user_version NNNN.

Append only, never edit a shipped script. Each runs in one transaction with foreign keys off
(SQLite's recipe for table rebuilds) and must leave `PRAGMA foreign_key_check` clean.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Sequence
from importlib import resources

import aiosqlite

log = logging.getLogger(__name__)

_SCRIPT = re.compile(r"(\d{4})_[a-z0-9_]+\.sql")


class SchemaError(RuntimeError):
    """The database was written by a newer version of the bot, or a migration broke it."""


def load_scripts() -> tuple[str, ...]:
    """Return the migration scripts in order; their numbers must run 1, 2, 3... without gaps."""
    found: dict[int, str] = {}
    for entry in resources.files(__name__).iterdir():
        match = _SCRIPT.fullmatch(entry.name)
        if match:
            found[int(match[1])] = entry.read_text("utf-8")
    if sorted(found) != list(range(1, len(found) + 1)):
        raise SchemaError(f"migration scripts are not numbered 1..n: {sorted(found)}")
    return tuple(found[number] for number in sorted(found))


MIGRATIONS: tuple[str, ...] = load_scripts()


async def user_version(db: aiosqlite.Connection) -> int:
    rows = list(await db.execute_fetchall("PRAGMA user_version"))
    return int(rows[0][0])


async def migrate(db: aiosqlite.Connection, migrations: Sequence[str] = MIGRATIONS) -> None:
    """Run the scripts the database has not seen yet, one transaction each."""
    target = len(migrations)
    while True:
        version = await user_version(db)
        if version > target:
            raise SchemaError(
                f"database schema is version {version} but this code knows only {target}:"
                " run a newer version of the bot"
            )
        if version == target:
            return
        await db.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the write lock.
            version = await user_version(db)
            if version < target:
                for statement in split_sql(migrations[version]):
                    await db.execute(statement)
                broken = list(await db.execute_fetchall("PRAGMA foreign_key_check"))
                if broken:
                    raise SchemaError(f"migration {version + 1} broke foreign keys: {broken[:3]}")
                await db.execute(f"PRAGMA user_version = {version + 1}")
            await db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                await db.execute("ROLLBACK")
            raise
        if version < target:
            log.info("database migrated to schema version %d", version + 1)


def split_sql(script: str) -> list[str]:
    """Split a script into statements (executescript would commit our transaction)."""
    statements: list[str] = []
    start = 0
    for index, char in enumerate(script):
        if char == ";" and sqlite3.complete_statement(script[start : index + 1]):
            statements.append(script[start : index + 1].strip())
            start = index + 1
    tail = "\n".join(
        line for line in script[start:].splitlines() if not line.strip().startswith("--")
    )
    if tail.strip():
        statements.append(script[start:].strip())
    return statements
