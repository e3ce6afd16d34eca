"""The last edit of each draft, kept so the seller can undo it from the card."""

from __future__ import annotations

from dataclasses import dataclass

from core.db import Database, from_json, to_json, ts
from core.drafts.models import Draft, Listing


@dataclass(frozen=True)
class UndoPoint:
    """The listing before an edit, and the version the edit wrote."""

    draft_id: int
    version: int
    listing: Listing
    to_confirm: list[str]


class UndoStore:
    """One undo point per draft: a new edit replaces the one before."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def keep(self, before: Draft, after: Draft) -> None:
        """Remember `before` as what undoing the edit that wrote `after` brings back."""
        await self.db.execute(
            "INSERT INTO draft_undo (draft_id, user_id, version, listing, to_confirm, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (draft_id) DO UPDATE SET"
            " version = excluded.version, listing = excluded.listing,"
            " to_confirm = excluded.to_confirm, created_at = excluded.created_at",
            (
                after.id,
                after.user_id,
                after.version,
                before.listing().model_dump_json(),
                to_json(before.to_confirm),
                ts(self.db.now()),
            ),
        )

    async def point(self, draft_id: int, user_id: int) -> UndoPoint | None:
        row = await self.db.fetchone(
            "SELECT * FROM draft_undo WHERE draft_id = ? AND user_id = ?", (draft_id, user_id)
        )
        if row is None:
            return None
        return UndoPoint(
            draft_id=int(row["draft_id"]),
            version=int(row["version"]),
            listing=Listing.model_validate_json(row["listing"]),
            to_confirm=list(from_json(row["to_confirm"])),
        )
