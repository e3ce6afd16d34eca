"""The drafts waiting in line, with their queue state, and each account's pause and pace."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from core.db import Database, Row, Tx, dt, to_json, ts
from core.drafts import lifecycle
from core.drafts.models import Draft, DraftStatus
from core.drafts.repository import load_drafts
from core.publishing.models import PublishAccount, QueuedDraft

_QUEUE_COLUMNS = (
    "SELECT id, publish_at, publish_retry_at, publish_generation, publish_failures,"
    " publish_error FROM drafts"
)


class WaitingRepository:
    """Approved drafts in line and the accounts that publish them, on one marketplace."""

    def __init__(self, db: Database, marketplace: str) -> None:
        self.db = db
        self.marketplace = marketplace

    # ---- accounts ----------------------------------------------------------------------------

    async def account(self, user_id: int) -> PublishAccount:
        """Return the account's publishing state (a fresh one if it never published)."""
        row = await self.db.fetchone(
            "SELECT * FROM publish_accounts WHERE user_id = ? AND marketplace = ?",
            (user_id, self.marketplace),
        )
        if row is None:
            return PublishAccount(user_id=user_id)
        return PublishAccount(
            user_id=row["user_id"],
            not_before=dt(row["not_before"]),
            rate_limited_until=dt(row["rate_limited_until"]),
            rate_limit_seconds=row["rate_limit_seconds"],
            paused_reason=row["paused_reason"],
            paused_at=dt(row["paused_at"]),
            paused_detail=json.loads(row["paused_detail"]),
        )

    async def pause(self, user_id: int, reason: str, detail: dict[str, Any] | None = None) -> bool:
        """Pause the account's queue; True if it was running until now."""
        async with self.db.transaction() as tx:
            await ensure_account(tx, user_id, self.marketplace)
            return await pause_account(
                tx, user_id, self.marketplace, reason, detail or {}, self.db.now()
            )

    async def resume(self, user_id: int) -> bool:
        """Lift the account's pause; True if it was paused."""
        changed = await self.db.execute(
            "UPDATE publish_accounts SET paused_reason = NULL, paused_at = NULL,"
            " paused_detail = '{}' WHERE user_id = ? AND marketplace = ?"
            " AND paused_reason IS NOT NULL",
            (user_id, self.marketplace),
        )
        return changed == 1

    # ---- the queue's drafts ----------------------------------------------------------------

    async def users_with_queue(self) -> list[int]:
        """Return the sellers with approved drafts waiting to be published."""
        rows = await self.db.fetchall(
            "SELECT DISTINCT user_id FROM drafts WHERE status = ? ORDER BY user_id",
            (DraftStatus.APPROVED.value,),
        )
        return [int(row[0]) for row in rows]

    async def queued(
        self, user_id: int, statuses: Iterable[DraftStatus] = (DraftStatus.APPROVED,)
    ) -> list[QueuedDraft]:
        """Return the seller's drafts in these statuses with their publishing state, by id."""
        params = (user_id, to_json([DraftStatus(s).value for s in statuses]))
        in_statuses = "status IN (SELECT value FROM json_each(?))"
        async with self.db.reading() as tx:
            drafts = await load_drafts(
                tx, f"WHERE d.user_id = ? AND d.{in_statuses} ORDER BY d.id", params
            )
            rows = await tx.fetchall(
                f"{_QUEUE_COLUMNS} WHERE user_id = ? AND {in_statuses}", params
            )
        state = {row["id"]: row for row in rows}
        return [_queued(d, state[d.id]) for d in drafts if d.id in state]

    async def queued_one(self, draft_id: int) -> QueuedDraft | None:
        """Return one draft with its publishing state, whatever its status."""
        async with self.db.reading() as tx:
            drafts = await load_drafts(tx, "WHERE d.id = ?", (draft_id,))
            row = await tx.fetchone(f"{_QUEUE_COLUMNS} WHERE id = ?", (draft_id,))
        if not drafts or row is None:
            return None
        return _queued(drafts[0], row)

    async def set_publish_at(self, draft_id: int, user_id: int, moment: datetime | None) -> bool:
        """Set (or clear, with None) the time before which the seller's draft is not published."""
        changed = await self.db.execute(
            "UPDATE drafts SET publish_at = ? WHERE id = ? AND user_id = ?",
            (ts(moment), draft_id, user_id),
        )
        return changed == 1

    async def requeue_failed(self, draft_id: int, user_id: int) -> bool:
        """Put a draft whose publishing failed back in the queue, its failures forgotten."""
        async with self.db.transaction() as tx:
            failed_publish = await tx.scalar(
                "SELECT COUNT(*) FROM drafts WHERE id = ? AND publish_error IS NOT NULL",
                (draft_id,),
            )
            if not failed_publish:
                return False  # an analysis that failed is regenerated, not published
            return await lifecycle.transition(
                tx,
                draft_id,
                expect=DraftStatus.FAILED,
                to=DraftStatus.APPROVED,
                now=self.db.now(),
                user_id=user_id,
                sets={
                    "error": None,
                    "publish_failures": 0,
                    "publish_retry_at": None,
                    "publish_error": None,
                },
            )


async def ensure_account(tx: Tx, user_id: int, marketplace: str) -> None:
    await tx.execute(
        "INSERT INTO publish_accounts (user_id, marketplace) VALUES (?, ?) ON CONFLICT DO NOTHING",
        (user_id, marketplace),
    )


async def pause_account(
    tx: Tx, user_id: int, marketplace: str, reason: str, detail: dict[str, Any], now: datetime
) -> bool:
    """Pause the account unless it is paused already; True if this call paused it."""
    changed = await tx.execute(
        "UPDATE publish_accounts SET paused_reason = ?, paused_at = ?, paused_detail = ?"
        " WHERE user_id = ? AND marketplace = ? AND paused_reason IS NULL",
        (reason, ts(now), to_json(detail), user_id, marketplace),
    )
    return changed == 1


def _queued(draft: Draft, row: Row) -> QueuedDraft:
    return QueuedDraft(
        draft=draft,
        publish_at=dt(row["publish_at"]),
        retry_at=dt(row["publish_retry_at"]),
        generation=row["publish_generation"],
        failures=row["publish_failures"],
        error=json.loads(row["publish_error"] or "{}"),
    )
