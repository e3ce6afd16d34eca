"""The relists table, and what relisting reads and writes of listings.

Exactly once: a relist is one row per old item ever (UNIQUE marketplace, old item). A claim
checks in one transaction that the account has no publish or relist running and is not
paused or waiting; each step is written compare-and-set on (owner, step), so a queue that lost
its lease cannot move a relist another one took over; the end (the listing now names the new
item, the account's pacing moves on) is one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from core.db import Database, Row, dt, to_json, ts, when
from core.publishing.models import ATTEMPT_RUNNING
from core.publishing.waiting import ensure_account, pause_account
from core.relisting.models import (
    COPY,
    DONE,
    GONE,
    OFFERED,
    OPEN,
    QUEUED,
    RUNNING,
    SNOOZED,
    LiveListing,
    Relist,
)


class RelistRepository:
    def __init__(self, db: Database, marketplace: str) -> None:
        self.db = db
        self.marketplace = marketplace

    # ---- listings --------------------------------------------------------------------------

    async def live_listings(self, user_id: int) -> list[LiveListing]:
        """The seller's listings the store believes live (not marketplace drafts), oldest first."""
        rows = await self.db.fetchall(
            "SELECT l.id, l.draft_id, l.item_id, l.price, l.created_at, d.title,"
            " d.price_min, d.price_target FROM listings l JOIN drafts d ON d.id = l.draft_id"
            " WHERE l.user_id = ? AND l.marketplace = ? AND l.state = 'live' AND l.is_draft = 0"
            " ORDER BY l.created_at, l.id",
            (user_id, self.marketplace),
        )
        return [
            LiveListing(
                listing_id=r["id"],
                draft_id=r["draft_id"],
                item_id=int(r["item_id"]),
                title=r["title"],
                price=r["price"] if r["price"] is not None else r["price_target"],
                min_price=r["price_min"],
                created_at=when(r["created_at"]),
            )
            for r in rows
            if str(r["item_id"]).isdigit()
        ]

    async def seen(self, prices: dict[int, float | None]) -> None:
        """Keep the prices the wardrobe shows for live listings (by listing id)."""
        async with self.db.transaction() as tx:
            await tx.executemany(
                "UPDATE listings SET price = COALESCE(?, price) WHERE id = ?",
                [(price, listing_id) for listing_id, price in prices.items()],
            )

    async def mark_gone(self, listing_ids: Iterable[int]) -> int:
        """Mark listings sold or removed; their relists not yet started go with them."""
        ids = to_json(sorted(listing_ids))
        now = ts(self.db.now())
        async with self.db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE listings SET state = 'gone', gone_at = ? WHERE state = 'live'"
                " AND id IN (SELECT value FROM json_each(?))",
                (now, ids),
            )
            await tx.execute(
                "UPDATE relists SET status = ?, updated_at = ? WHERE status IN (?, ?, ?)"
                " AND listing_id IN (SELECT value FROM json_each(?))",
                (GONE, now, OFFERED, QUEUED, SNOOZED, ids),
            )
        return changed

    # ---- offers ----------------------------------------------------------------------------

    async def offer(
        self, listing: LiveListing, user_id: int, price: float, status: str
    ) -> int | None:
        """Record the listing's relist (offered, or queued at once); None if it has one."""
        now = ts(self.db.now())
        row = await self.db.fetchone(
            "INSERT INTO relists (listing_id, draft_id, user_id, marketplace, old_item_id,"
            " old_price, price, status, step, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (marketplace, old_item_id) DO NOTHING RETURNING id",
            (
                listing.listing_id,
                listing.draft_id,
                user_id,
                self.marketplace,
                str(listing.item_id),
                listing.price,
                price,
                status,
                COPY,
                now,
                now,
            ),
        )
        return None if row is None else int(row["id"])

    async def wake_snoozed(self, user_id: int, before: datetime) -> int:
        """Offer again what the seller put off until before now."""
        return await self.db.execute(
            "UPDATE relists SET status = ?, retry_at = NULL, updated_at = ? WHERE user_id = ?"
            " AND marketplace = ? AND status = ? AND COALESCE(retry_at, '') <= ?",
            (OFFERED, ts(self.db.now()), user_id, self.marketplace, SNOOZED, ts(before)),
        )

    async def of_user(self, user_id: int, statuses: Iterable[str] = OPEN) -> list[Relist]:
        wanted = to_json(list(statuses))
        rows = await self.db.fetchall(
            "SELECT * FROM relists WHERE user_id = ? AND marketplace = ?"
            " AND status IN (SELECT value FROM json_each(?)) ORDER BY id",
            (user_id, self.marketplace, wanted),
        )
        return [_relist(r) for r in rows]

    async def get(self, relist_id: int) -> Relist | None:
        row = await self.db.fetchone("SELECT * FROM relists WHERE id = ?", (relist_id,))
        return None if row is None else _relist(row)

    async def answer(
        self, user_id: int, ids: Iterable[int], status: str, until: datetime | None = None
    ) -> int:
        """Move the seller's offered relists to queued or snoozed (until a time)."""
        return await self.db.execute(
            "UPDATE relists SET status = ?, retry_at = ?, updated_at = ? WHERE user_id = ?"
            " AND status = ? AND id IN (SELECT value FROM json_each(?))",
            (status, ts(until), ts(self.db.now()), user_id, OFFERED, to_json(sorted(ids))),
        )

    # ---- the run ---------------------------------------------------------------------------

    async def users_with_work(self) -> list[int]:
        rows = await self.db.fetchall(
            "SELECT DISTINCT user_id FROM relists WHERE marketplace = ? AND status IN (?, ?)",
            (self.marketplace, QUEUED, RUNNING),
        )
        return [int(r["user_id"]) for r in rows]

    async def claim(
        self, relist: Relist, owner: str, lease_until: datetime, *, dead: bool = False
    ) -> bool:
        """Take a queued relist, or a running one whose owner is gone (its lease lapsed, or
        `dead`: its process no longer runs), for this queue."""
        now = ts(self.db.now())
        async with self.db.transaction() as tx:
            busy = await tx.scalar(
                "SELECT (SELECT COUNT(*) FROM publish_attempts WHERE user_id = :user"
                "  AND marketplace = :market AND status = :running_attempt)"
                " + (SELECT COUNT(*) FROM relists WHERE user_id = :user AND marketplace = :market"
                "  AND status = :running AND id != :id AND COALESCE(lease_until, '') > :now)"
                " + (SELECT COUNT(*) FROM publish_accounts WHERE user_id = :user"
                "  AND marketplace = :market AND (paused_reason IS NOT NULL"
                "  OR COALESCE(not_before, '') > :now"
                "  OR COALESCE(rate_limited_until, '') > :now))",
                {
                    "user": relist.user_id,
                    "market": self.marketplace,
                    "running_attempt": ATTEMPT_RUNNING,
                    "running": RUNNING,
                    "id": relist.id,
                    "now": now,
                },
            )
            if busy:
                return False
            changed = await tx.execute(
                "UPDATE relists SET status = :running, owner = :owner, lease_until = :until,"
                " updated_at = :now WHERE id = :id AND (status = :queued OR (status = :running"
                " AND (owner IS NULL OR owner = :owner OR lease_until IS NULL"
                " OR lease_until < :now OR owner = :dead)))",
                {
                    "running": RUNNING,
                    "owner": owner,
                    "until": ts(lease_until),
                    "now": now,
                    "id": relist.id,
                    "queued": QUEUED,
                    "dead": relist.owner if dead else None,
                },
            )
        return changed == 1

    async def renew(self, relist_id: int, owner: str, until: datetime) -> bool:
        return (
            await self.db.execute(
                "UPDATE relists SET lease_until = ? WHERE id = ? AND owner = ? AND status = ?",
                (ts(until), relist_id, owner, RUNNING),
            )
            == 1
        )

    async def release(self, relist_id: int, owner: str) -> None:
        await self.db.execute(
            "UPDATE relists SET lease_until = NULL WHERE id = ? AND owner = ?", (relist_id, owner)
        )

    async def advance(self, relist: Relist, owner: str, step: str, **sets: Any) -> bool:
        """Write the step the relist reached (and what it learnt), if this queue still owns it."""
        columns = {"step": step, "updated_at": ts(self.db.now())}
        for name, value in sets.items():
            columns[name] = to_json(value) if name == "known_items" else _text(value)
        assignments = ", ".join(f"{name} = :{name}" for name in columns)
        changed = await self.db.execute(
            f"UPDATE relists SET {assignments} WHERE id = :relist_id"  # noqa: S608 - our names
            " AND owner = :owner AND status = :running",
            {**columns, "relist_id": relist.id, "owner": owner, "running": RUNNING},
        )
        return changed == 1

    async def back_in_line(
        self, relist: Relist, owner: str, *, retry_at: datetime | None, failures: int, error: str
    ) -> bool:
        """A try failed for now: queued again (keeping its step) from retry_at."""
        return (
            await self.db.execute(
                "UPDATE relists SET status = ?, owner = NULL, lease_until = NULL, retry_at = ?,"
                " failures = ?, error = ?, updated_at = ? WHERE id = ? AND owner = ?"
                " AND status = ?",
                (
                    QUEUED,
                    ts(retry_at),
                    failures,
                    error,
                    ts(self.db.now()),
                    relist.id,
                    owner,
                    RUNNING,
                ),
            )
            == 1
        )

    async def end(self, relist: Relist, owner: str, status: str, error: str | None = None) -> bool:
        """Finish a relist that did not make a new listing (failed, or the old one is gone)."""
        now = ts(self.db.now())
        async with self.db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE relists SET status = ?, error = ?, owner = NULL, lease_until = NULL,"
                " finished_at = ?, updated_at = ? WHERE id = ? AND owner = ? AND status = ?",
                (status, error, now, now, relist.id, owner, RUNNING),
            )
            if changed and status == GONE:
                await tx.execute(
                    "UPDATE listings SET state = 'gone', gone_at = ? WHERE id = ?",
                    (now, relist.listing_id),
                )
        return changed == 1

    async def finish(
        self, relist: Relist, owner: str, new_item_id: int, url: str, not_before: datetime
    ) -> bool:
        """The copy is live: the listing names the new item, the account waits its interval."""
        now = self.db.now()
        async with self.db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE relists SET status = ?, step = 'done', new_item_id = ?, owner = NULL,"
                " lease_until = NULL, finished_at = ?, updated_at = ? WHERE id = ? AND owner = ?"
                " AND status = ?",
                (DONE, str(new_item_id), ts(now), ts(now), relist.id, owner, RUNNING),
            )
            if not changed:
                return False
            await tx.execute(
                "UPDATE listings SET item_id = ?, url = ?, price = ?, created_at = ?,"
                " state = 'live' WHERE id = ?",
                (str(new_item_id), url, relist.price, ts(now), relist.listing_id),
            )
            await ensure_account(tx, relist.user_id, self.marketplace)
            await tx.execute(
                "UPDATE publish_accounts SET not_before = MAX(COALESCE(not_before, ''), ?),"
                " rate_limited_until = NULL, rate_limit_seconds = NULL"
                " WHERE user_id = ? AND marketplace = ?",
                (ts(not_before), relist.user_id, self.marketplace),
            )
        return True

    async def hold_account(
        self, user_id: int, *, until: datetime | None = None, pause: str | None = None
    ) -> bool:
        """Rate limit (until) or pause the account, as a failed publish would; True if this
        call paused it."""
        async with self.db.transaction() as tx:
            await ensure_account(tx, user_id, self.marketplace)
            if until is not None:
                await tx.execute(
                    "UPDATE publish_accounts SET rate_limited_until = ?"
                    " WHERE user_id = ? AND marketplace = ?",
                    (ts(until), user_id, self.marketplace),
                )
            if pause is None:
                return False
            return await pause_account(
                tx, user_id, self.marketplace, pause, {"relist": True}, self.db.now()
            )

    async def mark_told(self, relist_id: int) -> None:
        await self.db.execute(
            "UPDATE relists SET told_at = ? WHERE id = ?", (ts(self.db.now()), relist_id)
        )

    async def untold(self) -> list[Relist]:
        rows = await self.db.fetchall(
            "SELECT * FROM relists WHERE marketplace = ? AND status = ? AND told_at IS NULL",
            (self.marketplace, DONE),
        )
        return [_relist(r) for r in rows]

    async def linked_items(self, user_id: int) -> set[int]:
        """Items other relists already own (copies and new listings): never taken for ours."""
        rows = await self.db.fetchall(
            "SELECT copy_id, new_item_id FROM relists WHERE user_id = ? AND marketplace = ?",
            (user_id, self.marketplace),
        )
        return {int(v) for r in rows for v in (r["copy_id"], r["new_item_id"]) if v}

    async def count_done(self, user_id: int, since: datetime, until: datetime) -> int:
        return await self.db.scalar(
            "SELECT COUNT(*) FROM relists WHERE user_id = ? AND marketplace = ? AND status = ?"
            " AND finished_at >= ? AND finished_at < ?",
            (user_id, self.marketplace, DONE, ts(since), ts(until)),
        )


def _text(value: Any) -> Any:
    if isinstance(value, datetime):
        return ts(value)
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _relist(row: Row) -> Relist:
    return Relist(
        id=row["id"],
        listing_id=row["listing_id"],
        draft_id=row["draft_id"],
        user_id=row["user_id"],
        old_item_id=int(row["old_item_id"]),
        old_price=row["old_price"],
        price=row["price"],
        status=row["status"],
        step=row["step"],
        copy_id=int(row["copy_id"]) if row["copy_id"] else None,
        new_item_id=int(row["new_item_id"]) if row["new_item_id"] else None,
        known_items=None if row["known_items"] is None else json.loads(row["known_items"]),
        owner=row["owner"],
        lease_until=dt(row["lease_until"]),
        retry_at=dt(row["retry_at"]),
        failures=row["failures"],
        error=row["error"],
        created_at=when(row["created_at"]),
        finished_at=dt(row["finished_at"]),
    )
