"""The batches and photos tables."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.db import Database, NotFound, Row, dt, row_dict, to_json, ts
from core.intake.models import UNFINISHED, Batch, BatchStatus, InboxItem, Photo

_COUNTERS = frozenset({"photos_total", "photos_done", "items_found", "drafts_done"})
_SETTABLE = frozenset(Batch.model_fields) - {"id", "user_id", "created_at", "updated_at"}


class BatchRepository:
    """Every seller's batches and their photos."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # ---- batches -------------------------------------------------------------------------

    async def create(self, batch: Batch) -> Batch:
        """Store a new batch and return it with its id and creation time."""
        params = {**_batch_params(batch), "user_id": batch.user_id, "now": ts(self.db.now())}
        columns = [c for c in params if c != "now"]
        row = await self.db.fetchone(
            f"INSERT INTO batches ({', '.join(columns)}, created_at, updated_at)"
            f" VALUES ({', '.join(':' + c for c in columns)}, :now, :now) RETURNING *",
            params,
        )
        assert row is not None
        return _batch(row)

    async def get(self, batch_id: int, user_id: int | None = None) -> Batch | None:
        """Return the batch, or None if missing or not owned by user_id (when given)."""
        row = await self.db.fetchone(
            "SELECT * FROM batches WHERE id = ? AND (? IS NULL OR user_id = ?)",
            (batch_id, user_id, user_id),
        )
        return None if row is None else _batch(row)

    async def update(self, batch_id: int, **fields: Any) -> Batch:
        """Set only the given fields (status, counters, message id...) and return the batch."""
        unknown = set(fields) - _SETTABLE
        if unknown:
            raise TypeError(f"update() got unknown fields: {sorted(unknown)}")
        # Validated through the model; only what was asked is written, so two tasks updating
        # different counters do not overwrite each other.
        checked = _batch_params(Batch.model_validate({"user_id": 0, **fields}))
        sets = "".join(f"{name} = :{name}, " for name in fields)
        row = await self.db.fetchone(
            f"UPDATE batches SET {sets}updated_at = :now WHERE id = :id RETURNING *",
            {**{n: checked[n] for n in fields}, "now": ts(self.db.now()), "id": batch_id},
        )
        if row is None:
            raise NotFound(f"batch {batch_id}")
        return _batch(row)

    async def increment(self, batch_id: int, **deltas: int) -> Batch:
        """Add to progress counters atomically (photos_total, photos_done, items_found...)."""
        if not deltas or set(deltas) - _COUNTERS:
            raise TypeError(f"increment() takes counters from {sorted(_COUNTERS)}")
        sets = ", ".join(f"{name} = {name} + :{name}" for name in deltas)
        row = await self.db.fetchone(
            f"UPDATE batches SET {sets}, updated_at = :now WHERE id = :id RETURNING *",
            {**{k: int(v) for k, v in deltas.items()}, "now": ts(self.db.now()), "id": batch_id},
        )
        if row is None:
            raise NotFound(f"batch {batch_id}")
        return _batch(row)

    async def move(
        self, batch_id: int, expect: BatchStatus, to: BatchStatus, **fields: Any
    ) -> bool:
        """Change the batch's status only if it is still `expect` (and set fields with it)."""
        checked = _batch_params(Batch.model_validate({"user_id": 0, **fields}))
        sets = "".join(f", {name} = :{name}" for name in fields if name in _SETTABLE)
        changed = await self.db.execute(
            f"UPDATE batches SET status = :to, updated_at = :now{sets}"
            " WHERE id = :id AND status = :expect",
            {
                **{n: checked[n] for n in fields},
                "to": to.value,
                "expect": expect.value,
                "now": ts(self.db.now()),
                "id": batch_id,
            },
        )
        return changed == 1

    async def unfinished(self) -> list[Batch]:
        """Return every batch still receiving, pending or analysing, oldest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM batches WHERE status IN (SELECT value FROM json_each(?)) ORDER BY id",
            (to_json([s.value for s in UNFINISHED]),),
        )
        return [_batch(row) for row in rows]

    # ---- the inbox: what arrived, before it is stored -------------------------------------

    async def receive(self, item: InboxItem) -> None:
        """Record a file as it arrives (again: the first record stays)."""
        await self.db.execute(
            "INSERT INTO batch_inbox (batch_id, position, file_id, name, album_key, caption,"
            " status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)"
            " ON CONFLICT (batch_id, position) DO NOTHING",
            (
                item.batch_id,
                item.position,
                item.file_id,
                item.name,
                item.album_key,
                item.caption,
                ts(self.db.now()),
            ),
        )

    async def settle_received(
        self, batch_id: int, position: int, status: str, reason: str | None = None
    ) -> None:
        """Mark a received file stored, or refused with the reason's text key."""
        await self.db.execute(
            "UPDATE batch_inbox SET status = ?, reason = ? WHERE batch_id = ? AND position = ?",
            (status, reason, batch_id, position),
        )

    async def inbox(self, batch_id: int) -> list[InboxItem]:
        """Return what the batch received, in order of arrival."""
        rows = await self.db.fetchall(
            "SELECT * FROM batch_inbox WHERE batch_id = ? ORDER BY position", (batch_id,)
        )
        return [InboxItem.model_validate(dict(row)) for row in rows]

    async def recent(self, user_id: int, *, limit: int = 10) -> list[Batch]:
        """Return the seller's most recent batches, newest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM batches WHERE user_id = ? ORDER BY id DESC LIMIT ?", (user_id, limit)
        )
        return [_batch(row) for row in rows]

    async def photos_analysed(self, user_id: int, since: datetime) -> int:
        return await self.db.scalar(
            "SELECT COALESCE(SUM(photos_done), 0) FROM batches"
            " WHERE user_id = ? AND created_at >= ?",
            (user_id, ts(since)),
        )

    # ---- photos --------------------------------------------------------------------------

    async def add_photo(self, photo: Photo) -> Photo:
        """Store a photo of a batch and return it with its id."""
        row = await self.db.fetchone(
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
                ts(self.db.now()),
            ),
        )
        assert row is not None
        return _photo(row)

    async def photos(self, batch_id: int) -> list[Photo]:
        """Return the batch's photos in order of arrival."""
        rows = await self.db.fetchall(
            "SELECT * FROM photos WHERE batch_id = ? ORDER BY position, id", (batch_id,)
        )
        return [_photo(row) for row in rows]

    async def get_photos(self, photo_ids: list[int], user_id: int | None = None) -> list[Photo]:
        """Return these photos in the given order, skipping missing ones (and others' photos)."""
        rows = await self.db.fetchall(
            "SELECT * FROM photos WHERE id IN (SELECT value FROM json_each(?))"
            " AND (? IS NULL OR user_id = ?)",
            (to_json(list(photo_ids)), user_id, user_id),
        )
        by_id = {row["id"]: _photo(row) for row in rows}
        return [by_id[i] for i in photo_ids if i in by_id]

    async def find_by_hash(self, user_id: int, phash: str) -> Photo | None:
        """Return the seller's most recent photo with this perceptual hash, or None."""
        row = await self.db.fetchone(
            "SELECT * FROM photos WHERE user_id = ? AND phash = ? ORDER BY id DESC LIMIT 1",
            (user_id, phash),
        )
        return None if row is None else _photo(row)


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


def _batch(row: Row) -> Batch:
    data = row_dict(row)
    data["created_at"] = dt(data["created_at"])
    data["updated_at"] = dt(data["updated_at"])
    return Batch.model_validate(data)


def _photo(row: Row) -> Photo:
    return Photo.model_validate(row_dict(row))
