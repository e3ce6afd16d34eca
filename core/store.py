"""The aiosqlite repository: users, batches, photos, drafts, publishing, sessions and events."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiosqlite
from pydantic import BaseModel, Field

from core.models import Batch, BatchStatus, Draft, DraftStatus, Photo

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]

BUSY_TIMEOUT_MS = 10_000

UNFINISHED_BATCH_STATUSES = (BatchStatus.RECEIVING, BatchStatus.PENDING, BatchStatus.ANALYSING)

# Publish attempt lifecycle: claimed as running, then finished with an outcome.
ATTEMPT_RUNNING = "running"
ATTEMPT_FINISHED = "finished"
OUTCOME_PUBLISHED = "published"
OUTCOME_FAILED = "failed"
OUTCOME_UNKNOWN = "unknown"  # the browser died mid-publish: the listing may exist on Vinted

# Append only, never edit a shipped script: script N brings the schema to user_version N.
# Each runs in one transaction with foreign keys off (SQLite's recipe for table rebuilds) and
# must leave `PRAGMA foreign_key_check` clean.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE users (
        user_id     INTEGER PRIMARY KEY,
        language    TEXT NOT NULL DEFAULT 'fr',
        ui_language TEXT,
        settings    TEXT NOT NULL DEFAULT '{}',
        created_at  TEXT NOT NULL
    );

    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );

    CREATE TABLE batches (
        id                  INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id             INTEGER NOT NULL,
        status              TEXT NOT NULL,
        mode                TEXT NOT NULL,
        hint                TEXT,
        language            TEXT NOT NULL,
        photos_total        INTEGER NOT NULL DEFAULT 0,
        photos_done         INTEGER NOT NULL DEFAULT 0,
        items_found         INTEGER NOT NULL DEFAULT 0,
        drafts_done         INTEGER NOT NULL DEFAULT 0,
        error               TEXT,
        chat_id             INTEGER,
        progress_message_id INTEGER,
        created_at          TEXT NOT NULL,
        updated_at          TEXT NOT NULL
    );
    CREATE INDEX batches_user ON batches (user_id, created_at);
    CREATE INDEX batches_status ON batches (status);

    CREATE TABLE photos (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id          INTEGER NOT NULL,
        batch_id         INTEGER NOT NULL REFERENCES batches (id),
        position         INTEGER NOT NULL,
        album_key        TEXT,
        source_name      TEXT NOT NULL DEFAULT '',
        path             TEXT NOT NULL,
        vision_path      TEXT NOT NULL,
        phash            TEXT NOT NULL DEFAULT '',
        width            INTEGER NOT NULL DEFAULT 0,
        height           INTEGER NOT NULL DEFAULT 0,
        telegram_file_id TEXT,
        created_at       TEXT NOT NULL
    );
    CREATE INDEX photos_batch ON photos (batch_id, position);
    CREATE INDEX photos_hash ON photos (user_id, phash);

    CREATE TABLE drafts (
        id                INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id           INTEGER NOT NULL,
        batch_id          INTEGER REFERENCES batches (id) ON DELETE SET NULL,
        language          TEXT NOT NULL,
        status            TEXT NOT NULL,
        title             TEXT NOT NULL DEFAULT '',
        description       TEXT NOT NULL DEFAULT '',
        hashtags          TEXT NOT NULL DEFAULT '[]',
        brand             TEXT,
        category          TEXT NOT NULL DEFAULT '',
        size              TEXT NOT NULL DEFAULT '',
        condition         TEXT,
        colours           TEXT NOT NULL DEFAULT '[]',
        material          TEXT,
        defects           TEXT NOT NULL DEFAULT '[]',
        measurements      TEXT,
        price_min         REAL,
        price_target      REAL,
        price_max         REAL,
        price_currency    TEXT,
        confidence        REAL NOT NULL DEFAULT 0,
        publish_ready     INTEGER NOT NULL DEFAULT 0,
        missing           TEXT NOT NULL DEFAULT '[]',
        to_confirm        TEXT NOT NULL DEFAULT '[]',
        hint              TEXT,
        prompt_tokens     INTEGER NOT NULL DEFAULT 0,
        completion_tokens INTEGER NOT NULL DEFAULT 0,
        error             TEXT,
        vinted_item_id    INTEGER,
        vinted_url        TEXT,
        card_chat_id      INTEGER,
        card_message_id   INTEGER,
        created_at        TEXT NOT NULL,
        updated_at        TEXT NOT NULL,
        approved_at       TEXT,
        published_at      TEXT
    );
    CREATE INDEX drafts_user ON drafts (user_id, status, id);
    CREATE INDEX drafts_batch ON drafts (batch_id);

    -- No cascade from photos: a photo still shown by a draft cannot be deleted.
    CREATE TABLE draft_photos (
        draft_id INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
        photo_id INTEGER NOT NULL REFERENCES photos (id),
        position INTEGER NOT NULL,
        PRIMARY KEY (draft_id, position)
    ) WITHOUT ROWID;
    CREATE INDEX draft_photos_photo ON draft_photos (photo_id);

    -- Attempts outlive their draft: the idempotency key must keep refusing a second publish.
    CREATE TABLE publish_attempts (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        draft_id        INTEGER REFERENCES drafts (id) ON DELETE SET NULL,
        user_id         INTEGER NOT NULL,
        idempotency_key TEXT UNIQUE NOT NULL,
        status          TEXT NOT NULL,
        started_at      TEXT NOT NULL,
        finished_at     TEXT,
        outcome         TEXT,
        detail          TEXT NOT NULL DEFAULT '{}',
        vinted_item_id  INTEGER
    );
    CREATE INDEX publish_attempts_draft ON publish_attempts (draft_id);
    CREATE INDEX publish_attempts_status ON publish_attempts (status);

    CREATE TABLE vinted_sessions (
        user_id         INTEGER PRIMARY KEY,
        encrypted       BLOB NOT NULL,
        username        TEXT,
        checked_at      TEXT,
        last_publish_at TEXT,
        status          TEXT NOT NULL
    );

    CREATE TABLE events (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id    INTEGER,
        kind       TEXT NOT NULL,
        data       TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL
    );
    CREATE INDEX events_user ON events (user_id, created_at);
    CREATE INDEX events_created ON events (created_at);
    """,
    # 2: the publishing queue. A draft's publish_generation names its next attempt's key; an
    # attempt's owner and lease tell a live publish from one cut by a crash; publish_accounts
    # holds each Vinted account's pacing, rate limit and pause, so they survive a restart.
    """
    ALTER TABLE drafts ADD COLUMN publish_at TEXT;
    ALTER TABLE drafts ADD COLUMN publish_generation INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE drafts ADD COLUMN publish_failures INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE drafts ADD COLUMN publish_retry_at TEXT;
    ALTER TABLE drafts ADD COLUMN publish_error TEXT;
    CREATE INDEX drafts_status ON drafts (status, user_id);

    ALTER TABLE publish_attempts ADD COLUMN owner TEXT;
    ALTER TABLE publish_attempts ADD COLUMN lease_until TEXT;
    CREATE INDEX publish_attempts_user ON publish_attempts (user_id, status);

    ALTER TABLE vinted_sessions ADD COLUMN vinted_user_id INTEGER;

    CREATE TABLE publish_accounts (
        user_id            INTEGER PRIMARY KEY,
        not_before         TEXT,
        rate_limited_until TEXT,
        rate_limit_seconds REAL,
        paused_reason      TEXT,
        paused_at          TEXT,
        paused_detail      TEXT NOT NULL DEFAULT '{}'
    );
    """,
)


class _ClaimRefused(Exception):
    """Raised inside a claim's transaction to roll it back."""


class SchemaError(RuntimeError):
    """The database was written by a newer version of the bot, or a migration broke it."""


class NotFound(LookupError):
    """The row to update does not exist (or belongs to another user)."""


class User(BaseModel):
    """A seller: listing language, interface language and per-seller setting overrides."""

    user_id: int
    language: str = "fr"
    ui_language: str | None = None
    settings: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime


class PublishAttempt(BaseModel):
    """One claimed try at publishing a draft, keyed so it can never run twice."""

    id: int
    draft_id: int | None
    user_id: int
    idempotency_key: str
    status: str = ATTEMPT_RUNNING
    started_at: datetime
    finished_at: datetime | None = None
    outcome: str | None = None
    detail: dict[str, Any] = Field(default_factory=dict)
    vinted_item_id: int | None = None
    owner: str | None = None  # the queue running it; its lease says whether it is still alive
    lease_until: datetime | None = None


class QueuedDraft(BaseModel):
    """A draft with its publishing state: when it may go, its next key and its last failure."""

    draft: Draft
    publish_at: datetime | None = None  # the seller's "not before"
    retry_at: datetime | None = None  # backoff after a transient failure
    generation: int = 1  # names the idempotency key of its next attempt
    failures: int = 0  # transient failures in a row
    error: dict[str, Any] = Field(default_factory=dict)  # last failure: kind, detail, field...


class PublishAccount(BaseModel):
    """A Vinted account's publishing state: pacing, rate limit and pause."""

    user_id: int
    not_before: datetime | None = None
    rate_limited_until: datetime | None = None
    rate_limit_seconds: float | None = None  # the last rate-limit wait; a repeat doubles it
    paused_reason: str | None = None
    paused_at: datetime | None = None
    paused_detail: dict[str, Any] = Field(default_factory=dict)


class PublishSettlement(BaseModel):
    """How a publish attempt ended and what follows for its draft and account."""

    outcome: str  # OUTCOME_PUBLISHED or OUTCOME_FAILED
    draft_status: DraftStatus  # published, approved (to retry) or failed
    detail: dict[str, Any] = Field(default_factory=dict)
    vinted_item_id: int | None = None
    vinted_url: str | None = None
    failures: int = 0
    retry_at: datetime | None = None
    error: str | None = None  # Draft.error, what the card shows
    not_before: datetime | None = None  # the account starts nothing earlier (only raised)
    rate_limited_until: datetime | None = None
    rate_limit_seconds: float | None = None
    clear_rate_limit: bool = False
    pause_reason: str | None = None
    pause_detail: dict[str, Any] = Field(default_factory=dict)


class VintedSession(BaseModel):
    """A seller's encrypted Vinted browser session and what we last learned about it."""

    user_id: int
    encrypted: bytes
    username: str | None = None
    checked_at: datetime | None = None
    last_publish_at: datetime | None = None
    status: str = "unknown"
    vinted_user_id: int | None = None


class Event(BaseModel):
    """One line of the audit log that /stats and support read."""

    id: int
    user_id: int | None
    kind: str
    data: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime


class PurgeResult(BaseModel):
    """How many rows and files one purge removed."""

    drafts: int = 0
    photos: int = 0
    files: int = 0
    batches: int = 0
    events: int = 0


class Store:
    """The bot's single SQLite database; open it once at start-up and share it."""

    def __init__(self, db: aiosqlite.Connection, path: Path, clock: Clock) -> None:
        self._db = db
        self.path = path
        self._now = clock
        # aiosqlite serialises statements, not transactions: without this lock another task's
        # statement could land inside (and be rolled back with) someone else's transaction.
        self._lock = asyncio.Lock()

    # ---- lifecycle ----------------------------------------------------------------------

    @classmethod
    async def open(
        cls,
        path: Path,
        *,
        clock: Clock | None = None,
        migrations: Sequence[str] = MIGRATIONS,
    ) -> Store:
        """Open (or create) the database file and bring its schema up to date."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(path, isolation_level=None)
        try:
            db.row_factory = sqlite3.Row
            await db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            rows = await db.execute_fetchall("PRAGMA journal_mode = WAL")
            mode = next(iter(rows))[0]
            if mode != "wal":
                log.warning("SQLite refused WAL mode for %s (got %s)", path, mode)
            await db.execute("PRAGMA synchronous = NORMAL")
            await _migrate(db, migrations)
            await db.execute("PRAGMA foreign_keys = ON")
        except BaseException:
            await db.close()
            raise
        return cls(db, path, clock or _utcnow)

    async def close(self) -> None:
        """Close the connection; the store is unusable afterwards."""
        async with self._lock:
            await self._db.close()

    async def schema_version(self) -> int:
        """Return the schema version of the open database."""
        async with self._lock:
            return await _user_version(self._db)

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._lock:
            # IMMEDIATE takes the write lock up front, so a second process waits (busy_timeout)
            # instead of failing half-way when it upgrades a read to a write.
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                await self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    await self._db.execute("ROLLBACK")
                raise

    async def _fetchall(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        async with self._lock:
            return list(await self._db.execute_fetchall(sql, params))

    async def _fetchone(self, sql: str, params: Any = ()) -> sqlite3.Row | None:
        rows = await self._fetchall(sql, params)
        return rows[0] if rows else None

    async def _write(self, sql: str, params: Any = ()) -> int:
        """Run one autocommitted statement; return the number of rows it changed."""
        async with self._lock:
            cursor = await self._db.execute(sql, params)
            changed = cursor.rowcount
            await cursor.close()
            return changed

    # ---- users and meta -----------------------------------------------------------------

    async def ensure_user(
        self, user_id: int, *, language: str = "fr", ui_language: str | None = None
    ) -> User:
        """Return the user, creating it with these languages the first time."""
        await self._write(
            "INSERT INTO users (user_id, language, ui_language, settings, created_at)"
            " VALUES (?, ?, ?, '{}', ?) ON CONFLICT (user_id) DO NOTHING",
            (user_id, language, ui_language, _ts(self._now())),
        )
        user = await self.get_user(user_id)
        assert user is not None
        return user

    async def get_user(self, user_id: int) -> User | None:
        """Return the user, or None if it never talked to the bot."""
        row = await self._fetchone("SELECT * FROM users WHERE user_id = ?", (user_id,))
        return None if row is None else _user_from_row(row)

    async def update_user(self, user_id: int, **fields: Any) -> User:
        """Change language, ui_language or settings; settings merge, a None value drops a key."""
        unknown = set(fields) - {"language", "ui_language", "settings"}
        if unknown:
            raise TypeError(f"update_user() got unknown fields: {sorted(unknown)}")
        async with self._transaction() as db:
            rows = list(
                await db.execute_fetchall("SELECT * FROM users WHERE user_id = ?", (user_id,))
            )
            if not rows:
                raise NotFound(f"user {user_id}")
            user = _user_from_row(rows[0])
            settings = dict(user.settings)
            for key, value in (fields.get("settings") or {}).items():
                if value is None:
                    settings.pop(key, None)
                else:
                    settings[key] = value
            await db.execute(
                "UPDATE users SET language = ?, ui_language = ?, settings = ? WHERE user_id = ?",
                (
                    fields.get("language", user.language),
                    fields.get("ui_language", user.ui_language),
                    _json(settings),
                    user_id,
                ),
            )
        updated = await self.get_user(user_id)
        assert updated is not None
        return updated

    async def get_meta(self, key: str) -> str | None:
        """Return a bot-wide value such as the paired owner, or None."""
        row = await self._fetchone("SELECT value FROM meta WHERE key = ?", (key,))
        return None if row is None else str(row["value"])

    async def set_meta(self, key: str, value: str) -> None:
        """Set a bot-wide value, replacing the previous one."""
        await self._write(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # ---- batches ------------------------------------------------------------------------

    async def create_batch(self, batch: Batch) -> Batch:
        """Store a new batch and return it with its id and creation time."""
        now = _ts(self._now())
        async with self._lock:
            rows = await self._db.execute_fetchall(
                "INSERT INTO batches (user_id, status, mode, hint, language, photos_total,"
                " photos_done, items_found, drafts_done, error, chat_id, progress_message_id,"
                " created_at, updated_at) VALUES (:user_id, :status, :mode, :hint, :language,"
                " :photos_total, :photos_done, :items_found, :drafts_done, :error, :chat_id,"
                " :progress_message_id, :now, :now) RETURNING *",
                {**_batch_params(batch), "user_id": batch.user_id, "now": now},
            )
        return _batch_from_row(next(iter(rows)))

    async def get_batch(self, batch_id: int, user_id: int | None = None) -> Batch | None:
        """Return the batch, or None if missing or not owned by user_id (when given)."""
        row = await self._fetchone(
            "SELECT * FROM batches WHERE id = ? AND (? IS NULL OR user_id = ?)",
            (batch_id, user_id, user_id),
        )
        return None if row is None else _batch_from_row(row)

    async def update_batch(self, batch_id: int, **fields: Any) -> Batch:
        """Set the given batch fields (status, counters, message ids...) and return the batch."""
        allowed = set(Batch.model_fields) - {"id", "user_id", "created_at"}
        unknown = set(fields) - allowed
        if unknown:
            raise TypeError(f"update_batch() got unknown fields: {sorted(unknown)}")
        # Validate the values through the model, then write only what was asked so two tasks
        # updating different counters do not overwrite each other.
        checked = _batch_params(Batch.model_validate({"user_id": 0, **fields}))
        assignments = ", ".join(f"{name} = :{name}" for name in fields)
        params = {name: checked[name] for name in fields}
        sets = f"{assignments}, updated_at = :now" if assignments else "updated_at = :now"
        async with self._lock:
            rows = list(
                await self._db.execute_fetchall(
                    f"UPDATE batches SET {sets} WHERE id = :id RETURNING *",
                    {**params, "now": _ts(self._now()), "id": batch_id},
                )
            )
        if not rows:
            raise NotFound(f"batch {batch_id}")
        return _batch_from_row(rows[0])

    async def increment_batch(self, batch_id: int, **deltas: int) -> Batch:
        """Add to progress counters atomically (photos_total, photos_done, items_found...)."""
        counters = {"photos_total", "photos_done", "items_found", "drafts_done"}
        unknown = set(deltas) - counters
        if unknown or not deltas:
            raise TypeError(f"increment_batch() takes counters from {sorted(counters)}")
        sets = ", ".join(f"{name} = {name} + :{name}" for name in deltas)
        async with self._lock:
            rows = list(
                await self._db.execute_fetchall(
                    f"UPDATE batches SET {sets}, updated_at = :now WHERE id = :id RETURNING *",
                    {
                        **{k: int(v) for k, v in deltas.items()},
                        "now": _ts(self._now()),
                        "id": batch_id,
                    },
                )
            )
        if not rows:
            raise NotFound(f"batch {batch_id}")
        return _batch_from_row(rows[0])

    async def unfinished_batches(self) -> list[Batch]:
        """Return every batch still receiving, pending or analysing, oldest first."""
        rows = await self._fetchall(
            "SELECT * FROM batches WHERE status IN (SELECT value FROM json_each(?)) ORDER BY id",
            (_json([s.value for s in UNFINISHED_BATCH_STATUSES]),),
        )
        return [_batch_from_row(row) for row in rows]

    async def user_batches(self, user_id: int, *, limit: int = 10) -> list[Batch]:
        """Return the user's most recent batches, newest first."""
        rows = await self._fetchall(
            "SELECT * FROM batches WHERE user_id = ? ORDER BY id DESC LIMIT ?", (user_id, limit)
        )
        return [_batch_from_row(row) for row in rows]

    # ---- photos -------------------------------------------------------------------------

    async def add_photo(self, photo: Photo) -> Photo:
        """Store a photo of a batch and return it with its id."""
        async with self._lock:
            rows = await self._db.execute_fetchall(
                "INSERT INTO photos (user_id, batch_id, position, album_key, source_name, path,"
                " vision_path, phash, width, height, telegram_file_id, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
                (
                    photo.user_id,
                    photo.batch_id,
                    photo.position,
                    photo.album_key,
                    photo.source_name,
                    photo.path,
                    photo.vision_path,
                    photo.phash,
                    photo.width,
                    photo.height,
                    photo.telegram_file_id,
                    _ts(self._now()),
                ),
            )
        return _photo_from_row(next(iter(rows)))

    async def batch_photos(self, batch_id: int) -> list[Photo]:
        """Return the batch's photos in order of arrival."""
        rows = await self._fetchall(
            "SELECT * FROM photos WHERE batch_id = ? ORDER BY position, id", (batch_id,)
        )
        return [_photo_from_row(row) for row in rows]

    async def get_photos(self, photo_ids: list[int], user_id: int | None = None) -> list[Photo]:
        """Return these photos in the given order, skipping missing ones (and others' photos)."""
        rows = await self._fetchall(
            "SELECT * FROM photos WHERE id IN (SELECT value FROM json_each(?))"
            " AND (? IS NULL OR user_id = ?)",
            (_json(list(photo_ids)), user_id, user_id),
        )
        by_id = {row["id"]: _photo_from_row(row) for row in rows}
        return [by_id[i] for i in photo_ids if i in by_id]

    async def find_photo_by_hash(self, user_id: int, phash: str) -> Photo | None:
        """Return the user's most recent photo with this perceptual hash, or None."""
        row = await self._fetchone(
            "SELECT * FROM photos WHERE user_id = ? AND phash = ? ORDER BY id DESC LIMIT 1",
            (user_id, phash),
        )
        return None if row is None else _photo_from_row(row)

    # ---- drafts -------------------------------------------------------------------------

    async def add_draft(self, draft: Draft) -> Draft:
        """Store a new draft with its photos and return it with its id and times."""
        now = _ts(self._now())
        params = {**_draft_params(draft), "user_id": draft.user_id, "now": now}
        columns = [c for c in params if c != "now"]
        async with self._transaction() as db:
            rows = list(
                await db.execute_fetchall(
                    f"INSERT INTO drafts ({', '.join(columns)}, created_at, updated_at,"
                    f" approved_at, published_at) VALUES ({', '.join(':' + c for c in columns)},"
                    " :now, :now, CASE WHEN :status = 'approved' THEN :now END,"
                    " CASE WHEN :status = 'published' THEN :now END) RETURNING id",
                    params,
                )
            )
            draft_id = int(rows[0]["id"])
            await _link_photos(db, draft_id, draft.photo_ids)
        stored = await self.get_draft(draft_id)
        assert stored is not None
        return stored

    async def get_draft(self, draft_id: int, user_id: int | None = None) -> Draft | None:
        """Return the draft, or None if missing or not owned by user_id (when given)."""
        async with self._lock:
            drafts = await _load_drafts(
                self._db,
                "WHERE id = ? AND (? IS NULL OR user_id = ?)",
                (draft_id, user_id, user_id),
            )
        return drafts[0] if drafts else None

    async def save_draft(self, draft: Draft) -> Draft:
        """Write every field of an existing draft (photos included) and bump updated_at."""
        if draft.id is None:
            raise NotFound("draft without id")
        params = {**_draft_params(draft), "now": _ts(self._now()), "id": draft.id}
        params["owner"] = draft.user_id
        assignments = ", ".join(f"{c} = :{c}" for c in _draft_params(draft))
        async with self._transaction() as db:
            cursor = await db.execute(
                f"UPDATE drafts SET {assignments}, updated_at = :now, {_STATUS_TIMES}"
                " WHERE id = :id AND user_id = :owner",
                params,
            )
            if cursor.rowcount != 1:
                raise NotFound(f"draft {draft.id} of user {draft.user_id}")
            await db.execute("DELETE FROM draft_photos WHERE draft_id = ?", (draft.id,))
            await _link_photos(db, draft.id, draft.photo_ids)
        stored = await self.get_draft(draft.id)
        assert stored is not None
        return stored

    async def set_draft_status(
        self, draft_id: int, status: DraftStatus, *, expected: DraftStatus | None = None
    ) -> bool:
        """Move the draft to status, only from `expected` when given; True if it moved."""
        changed = await self._write(
            f"UPDATE drafts SET status = :status, updated_at = :now, {_STATUS_TIMES}"
            " WHERE id = :id AND (:expected IS NULL OR status = :expected)",
            {
                "status": DraftStatus(status).value,
                "now": _ts(self._now()),
                "id": draft_id,
                "expected": None if expected is None else DraftStatus(expected).value,
            },
        )
        return changed == 1

    async def list_drafts(
        self,
        user_id: int,
        statuses: Iterable[DraftStatus] | None = None,
        *,
        limit: int = 10,
        offset: int = 0,
    ) -> list[Draft]:
        """Return a page of the user's drafts, newest first, optionally only these statuses."""
        where, params = _status_filter(user_id, statuses)
        async with self._lock:
            return await _load_drafts(
                self._db, f"{where} ORDER BY id DESC LIMIT ? OFFSET ?", (*params, limit, offset)
            )

    async def count_drafts(
        self, user_id: int, statuses: Iterable[DraftStatus] | None = None
    ) -> int:
        """Count the user's drafts, optionally only these statuses."""
        where, params = _status_filter(user_id, statuses)
        row = await self._fetchone(f"SELECT COUNT(*) FROM drafts {where}", params)
        return int(row[0]) if row else 0

    async def draft_by_card(self, chat_id: int, message_id: int, user_id: int) -> Draft | None:
        """Return the user's draft whose card is this message, or None."""
        async with self._lock:
            drafts = await _load_drafts(
                self._db,
                "WHERE card_chat_id = ? AND card_message_id = ? AND user_id = ?",
                (chat_id, message_id, user_id),
            )
        return drafts[0] if drafts else None

    async def batch_drafts(self, batch_id: int) -> list[Draft]:
        """Return the drafts made from a batch, in the order they were written."""
        async with self._lock:
            return await _load_drafts(self._db, "WHERE batch_id = ? ORDER BY id", (batch_id,))

    async def delete_draft(self, draft_id: int, user_id: int) -> bool:
        """Delete the user's draft (not its photos, which purge removes once unused)."""
        changed = await self._write(
            "DELETE FROM drafts WHERE id = ? AND user_id = ?", (draft_id, user_id)
        )
        return changed == 1

    async def draft_times(self, draft_id: int) -> tuple[datetime | None, datetime | None]:
        """Return when the draft was last approved and first published (None if never)."""
        row = await self._fetchone(
            "SELECT approved_at, published_at FROM drafts WHERE id = ?", (draft_id,)
        )
        if row is None:
            raise NotFound(f"draft {draft_id}")
        return _dt(row["approved_at"]), _dt(row["published_at"])

    # ---- publish attempts ---------------------------------------------------------------

    async def claim_publish(self, draft_id: int, user_id: int, key: str) -> int | None:
        """Record a running attempt under this idempotency key; None if the key was used."""
        rows = await self._fetchall(
            "INSERT INTO publish_attempts (draft_id, user_id, idempotency_key, status,"
            " started_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
            (draft_id, user_id, key, ATTEMPT_RUNNING, _ts(self._now())),
        )
        return int(rows[0]["id"]) if rows else None

    async def finish_publish(
        self,
        attempt_id: int,
        outcome: str,
        *,
        detail: dict[str, Any] | None = None,
        vinted_item_id: int | None = None,
    ) -> bool:
        """Close a running attempt with its outcome; False if it was already finished."""
        changed = await self._write(
            "UPDATE publish_attempts SET status = ?, finished_at = ?, outcome = ?, detail = ?,"
            " vinted_item_id = ? WHERE id = ? AND status = ?",
            (
                ATTEMPT_FINISHED,
                _ts(self._now()),
                outcome,
                _json(detail or {}),
                vinted_item_id,
                attempt_id,
                ATTEMPT_RUNNING,
            ),
        )
        return changed == 1

    async def open_publish_attempts(self, user_id: int | None = None) -> list[PublishAttempt]:
        """Return attempts claimed but never finished (e.g. cut by a restart), oldest first."""
        rows = await self._fetchall(
            "SELECT * FROM publish_attempts WHERE status = ? AND (? IS NULL OR user_id = ?)"
            " ORDER BY id",
            (ATTEMPT_RUNNING, user_id, user_id),
        )
        return [_attempt_from_row(row) for row in rows]

    async def get_publish_attempt(self, key: str) -> PublishAttempt | None:
        """Return the attempt recorded under this idempotency key, or None."""
        row = await self._fetchone(
            "SELECT * FROM publish_attempts WHERE idempotency_key = ?", (key,)
        )
        return None if row is None else _attempt_from_row(row)

    async def draft_publish_attempts(self, draft_id: int) -> list[PublishAttempt]:
        """Return every attempt at publishing this draft, oldest first."""
        rows = await self._fetchall(
            "SELECT * FROM publish_attempts WHERE draft_id = ? ORDER BY id", (draft_id,)
        )
        return [_attempt_from_row(row) for row in rows]

    # ---- vinted sessions ----------------------------------------------------------------

    async def set_vinted_cookies(self, user_id: int, encrypted: bytes) -> bool:
        """Replace the session's encrypted cookies only; False if the seller disconnected."""
        changed = await self._write(
            "UPDATE vinted_sessions SET encrypted = ? WHERE user_id = ?", (encrypted, user_id)
        )
        return changed == 1

    async def vinted_session_users(self) -> list[int]:
        """Return the users who have a Vinted session stored."""
        rows = await self._fetchall("SELECT user_id FROM vinted_sessions ORDER BY user_id")
        return [int(row["user_id"]) for row in rows]

    async def get_vinted_session(self, user_id: int) -> VintedSession | None:
        """Return the user's stored Vinted session, or None."""
        row = await self._fetchone("SELECT * FROM vinted_sessions WHERE user_id = ?", (user_id,))
        if row is None:
            return None
        return VintedSession(
            user_id=row["user_id"],
            encrypted=bytes(row["encrypted"]),
            username=row["username"],
            checked_at=_dt(row["checked_at"]),
            last_publish_at=_dt(row["last_publish_at"]),
            status=row["status"],
            vinted_user_id=row["vinted_user_id"],
        )

    async def put_vinted_session(self, session: VintedSession) -> None:
        """Store or replace the user's Vinted session."""
        await self._write(
            "INSERT INTO vinted_sessions (user_id, encrypted, username, checked_at,"
            " last_publish_at, status, vinted_user_id) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE"
            " SET encrypted = excluded.encrypted, username = excluded.username,"
            " checked_at = excluded.checked_at, last_publish_at = excluded.last_publish_at,"
            " status = excluded.status, vinted_user_id = excluded.vinted_user_id",
            (
                session.user_id,
                session.encrypted,
                session.username,
                _ts(session.checked_at),
                _ts(session.last_publish_at),
                session.status,
                session.vinted_user_id,
            ),
        )

    async def delete_vinted_session(self, user_id: int) -> bool:
        """Forget the user's Vinted session; True if there was one."""
        changed = await self._write("DELETE FROM vinted_sessions WHERE user_id = ?", (user_id,))
        return changed == 1

    async def set_vinted_user_id(self, user_id: int, vinted_user_id: int | None) -> bool:
        """Remember which Vinted member the user's stored session signs in as."""
        changed = await self._write(
            "UPDATE vinted_sessions SET vinted_user_id = ? WHERE user_id = ?",
            (vinted_user_id, user_id),
        )
        return changed == 1

    # ---- publishing queue ---------------------------------------------------------------

    async def begin_publish(
        self,
        draft_id: int,
        user_id: int,
        *,
        generation: int,
        key: str,
        owner: str,
        lease_until: datetime,
    ) -> int | None:
        """Claim the approved draft for publishing; None if anything else got there first.

        In one transaction: the account has no running attempt, no pause and no wait pending,
        the draft moves approved -> publishing at this generation, and the key is recorded once.
        """
        now = _ts(self._now())
        try:
            async with self._transaction() as db:
                # Pacing is checked here too: another process may have just published.
                busy = await _scalar(
                    db,
                    "SELECT (SELECT COUNT(*) FROM publish_attempts"
                    "  WHERE user_id = :user AND status = :running)"
                    " + (SELECT COUNT(*) FROM publish_accounts WHERE user_id = :user"
                    "  AND (paused_reason IS NOT NULL OR COALESCE(not_before, '') > :now"
                    "  OR COALESCE(rate_limited_until, '') > :now))",
                    {"user": user_id, "running": ATTEMPT_RUNNING, "now": now},
                )
                if busy:
                    return None
                cursor = await db.execute(
                    "UPDATE drafts SET status = ?, updated_at = ? WHERE id = ? AND user_id = ?"
                    " AND status IN (?, ?) AND publish_generation = ?",
                    (
                        DraftStatus.PUBLISHING.value,
                        now,
                        draft_id,
                        user_id,
                        DraftStatus.APPROVED.value,
                        DraftStatus.QUEUED.value,
                        generation,
                    ),
                )
                if cursor.rowcount != 1:
                    return None
                rows = list(
                    await db.execute_fetchall(
                        "INSERT INTO publish_attempts (draft_id, user_id, idempotency_key,"
                        " status, started_at, owner, lease_until) VALUES (?, ?, ?, ?, ?, ?, ?)"
                        " ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
                        (draft_id, user_id, key, ATTEMPT_RUNNING, now, owner, _ts(lease_until)),
                    )
                )
                if not rows:
                    raise _ClaimRefused  # rolls the draft back to approved
                return int(rows[0]["id"])
        except _ClaimRefused:
            return None

    async def record_created_item(self, attempt_id: int, vinted_item_id: int) -> bool:
        """Save the item id Vinted just gave a running attempt, on the attempt and its draft."""
        async with self._transaction() as db:
            cursor = await db.execute(
                "UPDATE publish_attempts SET vinted_item_id = ? WHERE id = ? AND status = ?",
                (vinted_item_id, attempt_id, ATTEMPT_RUNNING),
            )
            if cursor.rowcount != 1:
                return False
            await db.execute(
                "UPDATE drafts SET vinted_item_id = ?, updated_at = ?"
                " WHERE id = (SELECT draft_id FROM publish_attempts WHERE id = ?)",
                (vinted_item_id, _ts(self._now()), attempt_id),
            )
        return True

    async def renew_publish_lease(self, attempt_id: int, owner: str, until: datetime) -> bool:
        """Extend the owner's lease on its running attempt; False if it is no longer its own."""
        changed = await self._write(
            "UPDATE publish_attempts SET lease_until = ? WHERE id = ? AND owner = ?"
            " AND status = ?",
            (_ts(until), attempt_id, owner, ATTEMPT_RUNNING),
        )
        return changed == 1

    async def release_publish_lease(self, attempt_id: int, owner: str) -> bool:
        """Give up the lease on a running attempt, so reconciling may take it at once."""
        changed = await self._write(
            "UPDATE publish_attempts SET lease_until = NULL WHERE id = ? AND owner = ?"
            " AND status = ?",
            (attempt_id, owner, ATTEMPT_RUNNING),
        )
        return changed == 1

    async def take_over_attempt(
        self, attempt_id: int, owner: str, until: datetime, *, dead_owner: str | None = None
    ) -> bool:
        """Lease a running attempt whose owner is gone to owner.

        Gone means its lease lapsed or was released, or it is `dead_owner` (a process the
        caller saw is no longer running: no need to wait for its lease).
        """
        changed = await self._write(
            "UPDATE publish_attempts SET owner = :owner, lease_until = :until"
            " WHERE id = :id AND status = :running AND (owner IS NULL OR owner = :owner"
            " OR owner = :dead OR lease_until IS NULL OR lease_until < :now)",
            {
                "owner": owner,
                "until": _ts(until),
                "id": attempt_id,
                "running": ATTEMPT_RUNNING,
                "now": _ts(self._now()),
                "dead": dead_owner,
            },
        )
        return changed == 1

    async def settle_publish(
        self, attempt_id: int, settlement: PublishSettlement
    ) -> tuple[bool, bool]:
        """Finish a running attempt, move its draft on and update its account, all at once.

        Returns (settled, paused_now): settled is False when the attempt was already finished
        (nothing is written); paused_now is True when this settlement paused the account.
        """
        s = settlement
        now = _ts(self._now())
        async with self._transaction() as db:
            rows = list(
                await db.execute_fetchall(
                    "UPDATE publish_attempts SET status = ?, finished_at = ?, outcome = ?,"
                    " detail = ?, vinted_item_id = COALESCE(?, vinted_item_id), lease_until = NULL"
                    " WHERE id = ? AND status = ? RETURNING draft_id, user_id",
                    (
                        ATTEMPT_FINISHED,
                        now,
                        s.outcome,
                        _json(s.detail),
                        s.vinted_item_id,
                        attempt_id,
                        ATTEMPT_RUNNING,
                    ),
                )
            )
            if not rows:
                return False, False
            draft_id, user_id = rows[0]["draft_id"], int(rows[0]["user_id"])
            published = s.draft_status is DraftStatus.PUBLISHED
            # approved_at is left alone: a draft back from publishing keeps its place in line.
            await db.execute(
                "UPDATE drafts SET status = :status, updated_at = :now,"
                " published_at = CASE WHEN :status = 'published'"
                "  THEN COALESCE(published_at, :now) ELSE published_at END,"
                " vinted_item_id = COALESCE(:item, vinted_item_id),"
                " vinted_url = COALESCE(:url, vinted_url), error = :error,"
                " publish_failures = :failures, publish_retry_at = :retry_at,"
                " publish_error = :publish_error, publish_generation = publish_generation + 1"
                " WHERE id = :id AND status = :publishing",
                {
                    "status": DraftStatus(s.draft_status).value,
                    "now": now,
                    "item": s.vinted_item_id,
                    "url": s.vinted_url,
                    "error": s.error,
                    "failures": s.failures,
                    "retry_at": _ts(s.retry_at),
                    "publish_error": None if published else _json(s.detail),
                    "id": draft_id,
                    "publishing": DraftStatus.PUBLISHING.value,
                },
            )
            await db.execute(
                "INSERT INTO publish_accounts (user_id) VALUES (?) ON CONFLICT DO NOTHING",
                (user_id,),
            )
            await db.execute(
                "UPDATE publish_accounts SET"
                " not_before = MAX(COALESCE(not_before, ''), COALESCE(:not_before, '')),"
                " rate_limited_until = COALESCE(:limited_until, rate_limited_until),"
                " rate_limit_seconds = CASE WHEN :clear THEN NULL"
                "  ELSE COALESCE(:limit_seconds, rate_limit_seconds) END"
                " WHERE user_id = :user",
                {
                    "not_before": _ts(s.not_before),
                    "limited_until": _ts(s.rate_limited_until),
                    "clear": int(s.clear_rate_limit),
                    "limit_seconds": s.rate_limit_seconds,
                    "user": user_id,
                },
            )
            paused_now = False
            if s.pause_reason is not None:
                cursor = await db.execute(
                    "UPDATE publish_accounts SET paused_reason = ?, paused_at = ?,"
                    " paused_detail = ? WHERE user_id = ? AND paused_reason IS NULL",
                    (s.pause_reason, now, _json(s.pause_detail), user_id),
                )
                paused_now = cursor.rowcount == 1
            if published:
                await db.execute(
                    "UPDATE vinted_sessions SET last_publish_at = ? WHERE user_id = ?",
                    (now, user_id),
                )
        return True, paused_now

    async def get_publish_account(self, user_id: int) -> PublishAccount:
        """Return the account's publishing state (a fresh one if it never published)."""
        row = await self._fetchone("SELECT * FROM publish_accounts WHERE user_id = ?", (user_id,))
        if row is None:
            return PublishAccount(user_id=user_id)
        return PublishAccount(
            user_id=row["user_id"],
            not_before=_dt(row["not_before"] or None),
            rate_limited_until=_dt(row["rate_limited_until"]),
            rate_limit_seconds=row["rate_limit_seconds"],
            paused_reason=row["paused_reason"],
            paused_at=_dt(row["paused_at"]),
            paused_detail=json.loads(row["paused_detail"]),
        )

    async def pause_publishing(
        self, user_id: int, reason: str, detail: dict[str, Any] | None = None
    ) -> bool:
        """Pause the account's queue; True if it was running until now."""
        async with self._transaction() as db:
            await db.execute(
                "INSERT INTO publish_accounts (user_id) VALUES (?) ON CONFLICT DO NOTHING",
                (user_id,),
            )
            cursor = await db.execute(
                "UPDATE publish_accounts SET paused_reason = ?, paused_at = ?, paused_detail = ?"
                " WHERE user_id = ? AND paused_reason IS NULL",
                (reason, _ts(self._now()), _json(detail or {}), user_id),
            )
            return cursor.rowcount == 1

    async def resume_publishing(self, user_id: int) -> bool:
        """Lift the account's pause; True if it was paused."""
        changed = await self._write(
            "UPDATE publish_accounts SET paused_reason = NULL, paused_at = NULL,"
            " paused_detail = '{}' WHERE user_id = ? AND paused_reason IS NOT NULL",
            (user_id,),
        )
        return changed == 1

    async def accounts_with_queue(self) -> list[int]:
        """Return the users with approved drafts waiting to be published."""
        rows = await self._fetchall(
            "SELECT DISTINCT user_id FROM drafts WHERE status IN (?, ?) ORDER BY user_id",
            (DraftStatus.APPROVED.value, DraftStatus.QUEUED.value),
        )
        return [int(row[0]) for row in rows]

    async def queued_drafts(
        self,
        user_id: int,
        statuses: Iterable[DraftStatus] = (DraftStatus.APPROVED, DraftStatus.QUEUED),
    ) -> list[QueuedDraft]:
        """Return the user's drafts in these statuses with their publishing state, by id."""
        where, params = _status_filter(user_id, statuses)
        async with self._lock:
            drafts = await _load_drafts(self._db, f"{where} ORDER BY id", params)
            rows = await self._db.execute_fetchall(
                f"SELECT id, publish_at, publish_retry_at, publish_generation, publish_failures,"
                f" publish_error FROM drafts {where}",
                params,
            )
        state = {row["id"]: row for row in rows}
        return [_queued(draft, state[draft.id]) for draft in drafts if draft.id in state]

    async def queued_draft(self, draft_id: int) -> QueuedDraft | None:
        """Return one draft with its publishing state, whatever its status."""
        async with self._lock:
            drafts = await _load_drafts(self._db, "WHERE id = ?", (draft_id,))
            rows = list(
                await self._db.execute_fetchall(
                    "SELECT id, publish_at, publish_retry_at, publish_generation,"
                    " publish_failures, publish_error FROM drafts WHERE id = ?",
                    (draft_id,),
                )
            )
        if not drafts or not rows:
            return None
        return _queued(drafts[0], rows[0])

    async def set_publish_at(self, draft_id: int, user_id: int, when: datetime | None) -> bool:
        """Set (or clear, with None) the time before which the user's draft is not published."""
        changed = await self._write(
            "UPDATE drafts SET publish_at = ?, updated_at = ? WHERE id = ? AND user_id = ?",
            (_ts(when), _ts(self._now()), draft_id, user_id),
        )
        return changed == 1

    async def requeue_failed_publish(self, draft_id: int, user_id: int) -> bool:
        """Put a draft whose publishing failed back in the queue, its failures forgotten."""
        changed = await self._write(
            "UPDATE drafts SET status = ?, updated_at = ?, error = NULL, publish_failures = 0,"
            " publish_retry_at = NULL, publish_error = NULL"
            " WHERE id = ? AND user_id = ? AND status = ? AND publish_error IS NOT NULL",
            (
                DraftStatus.APPROVED.value,
                _ts(self._now()),
                draft_id,
                user_id,
                DraftStatus.FAILED.value,
            ),
        )
        return changed == 1

    async def count_published(self, user_id: int, since: datetime, until: datetime) -> int:
        """Count the account's successful publishes finished in [since, until)."""
        row = await self._fetchone(
            "SELECT COUNT(*) FROM publish_attempts WHERE user_id = ? AND outcome = ?"
            " AND finished_at >= ? AND finished_at < ?",
            (user_id, OUTCOME_PUBLISHED, _ts(since), _ts(until)),
        )
        return int(row[0]) if row else 0

    async def publish_outcomes(self, user_id: int, since: datetime) -> dict[str, int]:
        """Count the user's finished attempts since a time by kind ("published", "captcha"...)."""
        rows = await self._fetchall(
            "SELECT COALESCE(json_extract(detail, '$.kind'), outcome) AS kind, COUNT(*) AS n"
            " FROM publish_attempts WHERE user_id = ? AND status = ? AND finished_at >= ?"
            " GROUP BY 1 ORDER BY 1",
            (user_id, ATTEMPT_FINISHED, _ts(since)),
        )
        return {str(row["kind"]): int(row["n"]) for row in rows}

    # ---- events -------------------------------------------------------------------------

    async def log_event(
        self, user_id: int | None, kind: str, data: dict[str, Any] | None = None
    ) -> int:
        """Append an event to the audit log and return its id."""
        rows = await self._fetchall(
            "INSERT INTO events (user_id, kind, data, created_at) VALUES (?, ?, ?, ?)"
            " RETURNING id",
            (user_id, kind, _json(data or {}), _ts(self._now())),
        )
        return int(rows[0]["id"])

    async def list_events(
        self,
        user_id: int | None = None,
        *,
        kinds: Iterable[str] | None = None,
        since: datetime | None = None,
        limit: int = 100,
    ) -> list[Event]:
        """Return logged events, newest first, filtered by user, kinds and time."""
        kind_list = None if kinds is None else _json(list(kinds))
        rows = await self._fetchall(
            "SELECT * FROM events WHERE (:user IS NULL OR user_id = :user)"
            " AND (:kinds IS NULL OR kind IN (SELECT value FROM json_each(:kinds)))"
            " AND (:since IS NULL OR created_at >= :since) ORDER BY id DESC LIMIT :limit",
            {"user": user_id, "kinds": kind_list, "since": _ts(since), "limit": limit},
        )
        return [
            Event(
                id=row["id"],
                user_id=row["user_id"],
                kind=row["kind"],
                data=json.loads(row["data"]),
                created_at=_when(row["created_at"]),
            )
            for row in rows
        ]

    # ---- purge and stats ----------------------------------------------------------------

    async def purge(
        self, now: datetime, photos_root: Path, draft_days: int = 30, event_days: int = 90
    ) -> PurgeResult:
        """Delete old never-approved drafts, their unshared photos and files, and old events."""
        draft_cutoff = _ts(now - timedelta(days=draft_days))
        event_cutoff = _ts(now - timedelta(days=event_days))
        unfinished = _json([s.value for s in UNFINISHED_BATCH_STATUSES])
        result = PurgeResult()
        async with self._transaction() as db:
            # Age counts from the last edit: a seller still working on a draft keeps it.
            cursor = await db.execute(
                "DELETE FROM drafts WHERE status IN (?, ?) AND approved_at IS NULL"
                " AND updated_at < ?",
                (DraftStatus.DRAFT.value, DraftStatus.FAILED.value, draft_cutoff),
            )
            result.drafts = cursor.rowcount
            # Photos no draft shows any more; photos of a batch still in progress wait for it.
            doomed = list(
                await db.execute_fetchall(
                    "SELECT id, path, vision_path FROM photos p WHERE created_at < ?"
                    " AND NOT EXISTS (SELECT 1 FROM draft_photos dp WHERE dp.photo_id = p.id)"
                    " AND batch_id NOT IN (SELECT id FROM batches WHERE status IN"
                    " (SELECT value FROM json_each(?)))",
                    (draft_cutoff, unfinished),
                )
            )
            ids = _json([row["id"] for row in doomed])
            cursor = await db.execute(
                "DELETE FROM photos WHERE id IN (SELECT value FROM json_each(?))", (ids,)
            )
            result.photos = cursor.rowcount
            candidates = {row["path"] for row in doomed} | {row["vision_path"] for row in doomed}
            # Two photo rows may point at one file (a re-sent duplicate): keep it while used.
            still_used = {
                row[0]
                for row in await db.execute_fetchall(
                    "SELECT path FROM photos WHERE path IN (SELECT value FROM json_each(:p))"
                    " UNION SELECT vision_path FROM photos"
                    " WHERE vision_path IN (SELECT value FROM json_each(:p))",
                    {"p": _json(sorted(candidates))},
                )
            }
            cursor = await db.execute(
                "DELETE FROM batches WHERE status NOT IN (SELECT value FROM json_each(?))"
                " AND updated_at < ?"
                " AND NOT EXISTS (SELECT 1 FROM photos p WHERE p.batch_id = batches.id)"
                " AND NOT EXISTS (SELECT 1 FROM drafts d WHERE d.batch_id = batches.id)",
                (unfinished, draft_cutoff),
            )
            result.batches = cursor.rowcount
            cursor = await db.execute("DELETE FROM events WHERE created_at < ?", (event_cutoff,))
            result.events = cursor.rowcount
        # Files go only after the commit: a rolled-back purge must not leave rows without files.
        result.files = await asyncio.to_thread(
            _remove_files, photos_root, sorted(candidates - still_used)
        )
        return result

    async def stats(self, user_id: int, since: datetime) -> dict[str, int | float]:
        """Return the user's activity since a time: photos, drafts, publishing and tokens."""
        start = _ts(since)
        async with self._lock:
            photos = await _scalar(
                self._db,
                "SELECT COALESCE(SUM(photos_done), 0) FROM batches"
                " WHERE user_id = ? AND created_at >= ?",
                (user_id, start),
            )
            rows = list(
                await self._db.execute_fetchall(
                    "SELECT COUNT(*) AS drafts, COALESCE(SUM(publish_ready), 0) AS ready,"
                    " COALESCE(SUM(status = 'failed' AND approved_at IS NULL), 0) AS failed,"
                    " COALESCE(SUM(prompt_tokens), 0) AS prompt_tokens,"
                    " COALESCE(SUM(completion_tokens), 0) AS completion_tokens"
                    " FROM drafts WHERE user_id = ? AND created_at >= ?",
                    (user_id, start),
                )
            )
            published = await _scalar(
                self._db,
                "SELECT COUNT(*) FROM drafts WHERE user_id = ? AND published_at >= ?",
                (user_id, start),
            )
            publish_failed = await _scalar(
                self._db,
                "SELECT COUNT(*) FROM publish_attempts WHERE user_id = ? AND outcome = ?"
                " AND finished_at >= ?",
                (user_id, OUTCOME_FAILED, start),
            )
        row = rows[0]
        drafts = int(row["drafts"])
        return {
            "photos_analysed": photos,
            "drafts": drafts,
            "ready": int(row["ready"]),
            "ready_share": int(row["ready"]) / drafts if drafts else 0.0,
            "published": published,
            "failed": int(row["failed"]),
            "publish_failed": publish_failed,
            "prompt_tokens": int(row["prompt_tokens"]),
            "completion_tokens": int(row["completion_tokens"]),
        }


# ---- migrations ---------------------------------------------------------------------------


async def _user_version(db: aiosqlite.Connection) -> int:
    return await _scalar(db, "PRAGMA user_version")


async def _migrate(db: aiosqlite.Connection, migrations: Sequence[str]) -> None:
    """Run the scripts the database has not seen yet, one transaction each."""
    target = len(migrations)
    while True:
        version = await _user_version(db)
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
            version = await _user_version(db)
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
    if script[start:].strip():
        statements.append(script[start:].strip())
    return statements


# ---- rows <-> models ----------------------------------------------------------------------

# Kept in SQL so a status change and its timestamp are one statement (`status` here is the old
# value): approval is stamped on entering approved and cleared when the seller takes the draft
# back, publication keeps its first time. Taken back, a draft also starts its publishing
# afresh: an edited draft does not inherit the failures of the version before.
_STATUS_TIMES = (
    "approved_at = CASE WHEN :status = 'draft' THEN NULL"
    " WHEN :status = 'approved' AND (status <> 'approved' OR approved_at IS NULL) THEN :now"
    " ELSE approved_at END,"
    " published_at = CASE WHEN :status = 'published' THEN COALESCE(published_at, :now)"
    " ELSE published_at END,"
    " publish_failures = CASE WHEN :status = 'draft' THEN 0 ELSE publish_failures END,"
    " publish_retry_at = CASE WHEN :status = 'draft' THEN NULL ELSE publish_retry_at END,"
    " publish_error = CASE WHEN :status = 'draft' THEN NULL ELSE publish_error END"
)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _ts(moment: datetime | None) -> str | None:
    """Return a fixed-width UTC ISO string, so text order is time order; naive means UTC."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _dt(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


async def _scalar(db: aiosqlite.Connection, sql: str, params: Any = ()) -> int:
    rows = list(await db.execute_fetchall(sql, params))
    return int(rows[0][0]) if rows and rows[0][0] is not None else 0


def _row_dict(row: sqlite3.Row) -> dict[str, Any]:
    return dict(zip(row.keys(), tuple(row), strict=True))


def _user_from_row(row: sqlite3.Row) -> User:
    return User(
        user_id=row["user_id"],
        language=row["language"],
        ui_language=row["ui_language"],
        settings=json.loads(row["settings"]),
        created_at=_when(row["created_at"]),
    )


def _batch_params(batch: Batch) -> dict[str, Any]:
    return {
        "status": BatchStatus(batch.status).value,
        "mode": batch.mode.value,
        "hint": batch.hint,
        "language": batch.language,
        "photos_total": batch.photos_total,
        "photos_done": batch.photos_done,
        "items_found": batch.items_found,
        "drafts_done": batch.drafts_done,
        "error": batch.error,
        "chat_id": batch.chat_id,
        "progress_message_id": batch.progress_message_id,
    }


def _batch_from_row(row: sqlite3.Row) -> Batch:
    data = _row_dict(row)
    data["created_at"] = _dt(data["created_at"])
    data["updated_at"] = _dt(data["updated_at"])  # picked up if the model gains the field
    return Batch.model_validate(data)


def _photo_from_row(row: sqlite3.Row) -> Photo:
    data = _row_dict(row)
    data["created_at"] = _dt(data["created_at"])
    return Photo.model_validate(data)


def _draft_params(draft: Draft) -> dict[str, Any]:
    """Return the draft's columns, except id, owner and the times the store sets."""
    price = draft.price
    return {
        "batch_id": draft.batch_id,
        "language": draft.language,
        "status": DraftStatus(draft.status).value,
        "title": draft.title,
        "description": draft.description,
        "hashtags": _json(draft.hashtags),
        "brand": draft.brand,
        "category": draft.category,
        "size": draft.size,
        "condition": None if draft.condition is None else draft.condition.value,
        "colours": _json(draft.colours),
        "material": draft.material,
        "defects": _json(draft.defects),
        "measurements": draft.measurements,
        "price_min": None if price is None else price.min,
        "price_target": None if price is None else price.target,
        "price_max": None if price is None else price.max,
        "price_currency": None if price is None else price.currency,
        "confidence": draft.confidence,
        "publish_ready": int(draft.publish_ready),
        "missing": _json(draft.missing),
        "to_confirm": _json(draft.to_confirm),
        "hint": draft.hint,
        "prompt_tokens": draft.usage.prompt_tokens,
        "completion_tokens": draft.usage.completion_tokens,
        "error": draft.error,
        "vinted_item_id": draft.vinted_item_id,
        "vinted_url": draft.vinted_url,
        "card_chat_id": draft.card_chat_id,
        "card_message_id": draft.card_message_id,
    }


def _draft_from_row(row: sqlite3.Row, photo_ids: list[int]) -> Draft:
    price = None
    if row["price_target"] is not None:
        price = {
            "min": row["price_min"],
            "target": row["price_target"],
            "max": row["price_max"],
            "currency": row["price_currency"],
        }
    return Draft.model_validate(
        {
            **_row_dict(row),
            "hashtags": json.loads(row["hashtags"]),
            "colours": json.loads(row["colours"]),
            "defects": json.loads(row["defects"]),
            "missing": json.loads(row["missing"]),
            "to_confirm": json.loads(row["to_confirm"]),
            "publish_ready": bool(row["publish_ready"]),
            "price": price,
            "usage": {
                "prompt_tokens": row["prompt_tokens"],
                "completion_tokens": row["completion_tokens"],
            },
            "photo_ids": photo_ids,
            "created_at": _dt(row["created_at"]),
            "updated_at": _dt(row["updated_at"]),
            # Picked up if the model gains these fields; draft_times() reads them meanwhile.
            "approved_at": _dt(row["approved_at"]),
            "published_at": _dt(row["published_at"]),
        }
    )


async def _load_drafts(db: aiosqlite.Connection, clause: str, params: Any) -> list[Draft]:
    rows = list(await db.execute_fetchall(f"SELECT * FROM drafts {clause}", params))
    if not rows:
        return []
    links = await db.execute_fetchall(
        "SELECT draft_id, photo_id FROM draft_photos"
        " WHERE draft_id IN (SELECT value FROM json_each(?)) ORDER BY draft_id, position",
        (_json([row["id"] for row in rows]),),
    )
    photos: dict[int, list[int]] = {}
    for link in links:
        photos.setdefault(link["draft_id"], []).append(link["photo_id"])
    return [_draft_from_row(row, photos.get(row["id"], [])) for row in rows]


async def _link_photos(db: aiosqlite.Connection, draft_id: int, photo_ids: list[int]) -> None:
    await db.executemany(
        "INSERT INTO draft_photos (draft_id, photo_id, position) VALUES (?, ?, ?)",
        [(draft_id, photo_id, position) for position, photo_id in enumerate(photo_ids)],
    )


def _status_filter(
    user_id: int, statuses: Iterable[DraftStatus] | None
) -> tuple[str, tuple[Any, ...]]:
    if statuses is None:
        return "WHERE user_id = ?", (user_id,)
    values = _json([DraftStatus(s).value for s in statuses])
    return "WHERE user_id = ? AND status IN (SELECT value FROM json_each(?))", (user_id, values)


def _attempt_from_row(row: sqlite3.Row) -> PublishAttempt:
    return PublishAttempt(
        id=row["id"],
        draft_id=row["draft_id"],
        user_id=row["user_id"],
        idempotency_key=row["idempotency_key"],
        status=row["status"],
        started_at=_when(row["started_at"]),
        finished_at=_dt(row["finished_at"]),
        outcome=row["outcome"],
        detail=json.loads(row["detail"]),
        vinted_item_id=row["vinted_item_id"],
        owner=row["owner"],
        lease_until=_dt(row["lease_until"]),
    )


def _queued(draft: Draft, row: sqlite3.Row) -> QueuedDraft:
    return QueuedDraft(
        draft=draft,
        publish_at=_dt(row["publish_at"]),
        retry_at=_dt(row["publish_retry_at"]),
        generation=row["publish_generation"],
        failures=row["publish_failures"],
        error=json.loads(row["publish_error"] or "{}"),
    )


def _remove_files(root: Path, relative_paths: list[str]) -> int:
    """Delete these files under root (never outside it) and the folders they leave empty."""
    base = root.resolve()
    removed = 0
    for relative in relative_paths:
        target = (base / relative).resolve()
        if not target.is_relative_to(base) or target == base:
            log.warning("purge skipped a photo path outside DATA_DIR: %s", relative)
            continue
        try:
            target.unlink()
            removed += 1
        except FileNotFoundError:
            continue
        # Drop the per-batch folders left empty, but keep the top folder (photos/) itself.
        parent = target.parent
        while parent != base and parent.parent != base:
            with suppress(OSError):
                parent.rmdir()
            if parent.exists():
                break
            parent = parent.parent
    return removed
