"""Deleted drafts, kept for a while so the seller can bring one back from the card.

A deletion moves the draft's row and the rows that hang on it (its photos in order, its place
in the marketplace's tree) here in the same transaction; restoring puts them back under the
same id (SQLite's AUTOINCREMENT never hands an id out twice). The listing it went out as and
its publish attempts, which outlive it unlinked, are linked again. The purge empties what is
older than TRASH_HOURS.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from core.db import Database, Tx, from_json, row_dict, to_json, ts
from core.drafts.models import DraftStatus

TRASH_HOURS = 48
# Tables whose rows die with a draft (ON DELETE CASCADE) and are worth keeping.
_RELATED = ("draft_photos", "draft_categories", "draft_prices")


class DraftTrash:
    """Delete drafts into the trash, and restore them from it."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def discard(
        self, draft_id: int, user_id: int, *, unless: Iterable[DraftStatus] = ()
    ) -> bool:
        """Delete the seller's draft unless it is in one of these statuses, keeping a copy."""
        blocked = to_json([DraftStatus(s).value for s in unless])
        async with self.db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT * FROM drafts WHERE id = ? AND user_id = ?"
                " AND status NOT IN (SELECT value FROM json_each(?))",
                (draft_id, user_id, blocked),
            )
            if row is None:
                return False
            related: dict[str, Any] = {
                table: [
                    row_dict(r)
                    for r in await tx.fetchall(
                        f"SELECT * FROM {table} WHERE draft_id = ?",  # noqa: S608 - our names
                        (draft_id,),
                    )
                ]
                for table in _RELATED
            }
            for table in ("listings", "publish_attempts", "relists"):  # they outlive it, unlinked
                linked = await tx.fetchall(
                    f"SELECT id FROM {table} WHERE draft_id = ?",  # noqa: S608 - our names
                    (draft_id,),
                )
                related[table] = [r["id"] for r in linked]
            await tx.execute(
                "INSERT OR REPLACE INTO draft_trash"
                " (draft_id, user_id, draft, related, deleted_at) VALUES (?, ?, ?, ?, ?)",
                (draft_id, user_id, to_json(row_dict(row)), to_json(related), ts(self.db.now())),
            )
            await tx.executemany(
                "INSERT OR IGNORE INTO draft_trash_photos (draft_id, photo_id) VALUES (?, ?)",
                [(draft_id, p["photo_id"]) for p in related["draft_photos"]],
            )
            await tx.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))
        return True

    async def restore(self, draft_id: int, user_id: int) -> DraftStatus | None:
        """Put a deleted draft back as it was (an approved one waits to be approved again) and
        return the status it was deleted in; None when it is not in the trash (restored
        already, or emptied)."""
        async with self.db.transaction() as tx:
            kept = await tx.fetchone(
                "SELECT draft, related FROM draft_trash WHERE draft_id = ? AND user_id = ?",
                (draft_id, user_id),
            )
            if kept is None:
                return None
            draft: dict[str, Any] = from_json(kept["draft"])
            related: dict[str, Any] = from_json(kept["related"])
            was = DraftStatus(draft["status"])
            if was is DraftStatus.APPROVED:
                draft["status"] = DraftStatus.DRAFT.value
                draft["approved_at"] = None
            draft["version"] = int(draft.get("version") or 1) + 1
            draft["updated_at"] = ts(self.db.now())
            await _insert(tx, "drafts", draft)
            for table in _RELATED:
                for related_row in related.get(table, []):
                    await _insert(tx, table, related_row)
            for table in ("listings", "publish_attempts", "relists"):
                await tx.execute(
                    f"UPDATE {table} SET draft_id = ? WHERE draft_id IS NULL"  # noqa: S608
                    " AND id IN (SELECT value FROM json_each(?))",
                    (draft_id, to_json(related.get(table, []))),
                )
            await tx.execute("DELETE FROM draft_trash WHERE draft_id = ?", (draft_id,))
        return was

    async def empty(self, now: datetime, hours: int = TRASH_HOURS) -> int:
        """Forget what was deleted more than `hours` ago; how many drafts."""
        return await self.db.execute(
            "DELETE FROM draft_trash WHERE deleted_at < ?", (ts(now - timedelta(hours=hours)),)
        )


async def _insert(tx: Tx, table: str, values: dict[str, Any]) -> None:
    """Insert a kept row, with only the columns the table has today (the schema may move on)."""
    columns = {r["name"] for r in await tx.fetchall(f"PRAGMA table_info({table})")}
    names = [name for name in values if name in columns]
    await tx.execute(
        f"INSERT INTO {table} ({', '.join(names)})"  # noqa: S608 - our names, bound values
        f" VALUES ({', '.join('?' for _ in names)})",
        [values[name] for name in names],
    )
