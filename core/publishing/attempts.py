"""The queue's tables: publish attempts, listings, accounts, and each draft's queue state.

Exactly once. `begin` checks in one transaction that the account has no running attempt and no
pause or wait, moves the draft approved -> publishing at its current generation and records the
attempt under the UNIQUE key "draft:<id>:v<generation>": a second claim of that draft, from this
process or another one on the same file, is refused. `settle` finishes the attempt, moves the
draft on (through core.drafts.lifecycle), records the listing and updates the account, at once.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime

from core.db import Database, Row, Tx, dt, to_json, ts, when
from core.drafts import lifecycle
from core.drafts.models import DraftStatus
from core.publishing.models import (
    ATTEMPT_FINISHED,
    ATTEMPT_RUNNING,
    OUTCOME_PUBLISHED,
    PublishAttempt,
    Settlement,
)
from core.publishing.waiting import ensure_account, pause_account


class _Refused(Exception):
    """Raised inside a claim's transaction to roll it back."""


class AttemptRepository:
    """Publish attempts on one marketplace: claims, settlements, leases."""

    def __init__(self, db: Database, marketplace: str) -> None:
        self.db = db
        self.marketplace = marketplace

    # ---- claiming and settling -------------------------------------------------------------

    async def begin(
        self,
        draft_id: int,
        user_id: int,
        *,
        generation: int,
        key: str,
        owner: str,
        lease_until: datetime,
    ) -> int | None:
        """Claim the approved draft for publishing; None if anything else got there first."""
        now = self.db.now()
        try:
            async with self.db.transaction() as tx:
                # Pacing is checked here too: another process may have just published.
                busy = await tx.scalar(
                    "SELECT (SELECT COUNT(*) FROM publish_attempts"
                    "  WHERE user_id = :user AND marketplace = :market AND status = :running)"
                    " + (SELECT COUNT(*) FROM publish_accounts WHERE user_id = :user"
                    "  AND marketplace = :market AND (paused_reason IS NOT NULL"
                    "  OR COALESCE(not_before, '') > :now"
                    "  OR COALESCE(rate_limited_until, '') > :now))"
                    # A relist on the account under a live lease (core.relisting) waits too.
                    " + (SELECT COUNT(*) FROM relists WHERE user_id = :user"
                    "  AND marketplace = :market AND status = 'running'"
                    "  AND COALESCE(lease_until, '') > :now)",
                    {
                        "user": user_id,
                        "market": self.marketplace,
                        "running": ATTEMPT_RUNNING,
                        "now": ts(now),
                    },
                )
                if busy:
                    return None
                generation_now = await tx.scalar(
                    "SELECT publish_generation FROM drafts WHERE id = ?", (draft_id,)
                )
                if generation_now != generation:
                    return None
                moved = await lifecycle.transition(
                    tx,
                    draft_id,
                    expect=DraftStatus.APPROVED,
                    to=DraftStatus.PUBLISHING,
                    now=now,
                    user_id=user_id,
                )
                if not moved:
                    return None
                row = await tx.fetchone(
                    "INSERT INTO publish_attempts (draft_id, user_id, marketplace,"
                    " idempotency_key, status, started_at, owner, lease_until)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
                    (
                        draft_id,
                        user_id,
                        self.marketplace,
                        key,
                        ATTEMPT_RUNNING,
                        ts(now),
                        owner,
                        ts(lease_until),
                    ),
                )
                if row is None:
                    raise _Refused  # rolls the draft back to approved
                return int(row["id"])
        except _Refused:
            return None

    async def record_item(self, attempt_id: int, item_id: int) -> bool:
        """Save the item id the marketplace just gave a running attempt (not yet its listing)."""
        changed = await self.db.execute(
            "UPDATE publish_attempts SET item_id = ? WHERE id = ? AND status = ?",
            (item_id, attempt_id, ATTEMPT_RUNNING),
        )
        return changed == 1

    async def record_known(self, attempt_id: int, item_ids: list[int]) -> bool:
        """Save what was on the wardrobe just before the attempt sent its form."""
        changed = await self.db.execute(
            "UPDATE publish_attempts SET known_items = ? WHERE id = ? AND status = ?",
            (to_json(sorted(item_ids)), attempt_id, ATTEMPT_RUNNING),
        )
        return changed == 1

    async def linked_items(self, user_id: int) -> set[int]:
        """Return the seller's items already recorded as some draft's listing here."""
        rows = await self.db.fetchall(
            "SELECT item_id FROM listings WHERE user_id = ? AND marketplace = ?",
            (user_id, self.marketplace),
        )
        return {int(row["item_id"]) for row in rows if str(row["item_id"]).isdigit()}

    async def mark_told(self, attempt_id: int) -> None:
        """Record that the seller was told the attempt's outcome."""
        await self.db.execute(
            "UPDATE publish_attempts SET told_at = ? WHERE id = ?", (ts(self.db.now()), attempt_id)
        )

    async def untold_successes(self) -> list[tuple[int, int]]:
        """(attempt id, draft id) of the listings made whose seller was not told yet."""
        rows = await self.db.fetchall(
            "SELECT id, draft_id FROM publish_attempts WHERE status = ? AND told_at IS NULL"
            " AND outcome IN ('published', 'saved_as_draft') AND draft_id IS NOT NULL"
            " ORDER BY id",
            (ATTEMPT_FINISHED,),
        )
        return [(int(r["id"]), int(r["draft_id"])) for r in rows]

    async def settle(self, attempt_id: int, s: Settlement) -> tuple[bool, bool]:
        """Finish a running attempt, move its draft on and update its account, all at once.

        Returns (settled, paused_now): settled is False when the attempt was already finished
        (nothing is written); paused_now is True when this settlement paused the account.
        """
        now = self.db.now()
        async with self.db.transaction() as tx:
            row = await tx.fetchone(
                "UPDATE publish_attempts SET status = ?, finished_at = ?, outcome = ?,"
                " detail = ?, item_id = COALESCE(?, item_id), lease_until = NULL"
                " WHERE id = ? AND status = ? RETURNING draft_id, user_id",
                (
                    ATTEMPT_FINISHED,
                    ts(now),
                    s.outcome,
                    to_json(s.detail),
                    s.item_id,
                    attempt_id,
                    ATTEMPT_RUNNING,
                ),
            )
            if row is None:
                return False, False
            draft_id, user_id = row["draft_id"], int(row["user_id"])
            if draft_id is not None:
                await self._settle_draft(tx, attempt_id, int(draft_id), user_id, s)
            paused_now = await self._settle_account(tx, user_id, s)
        return True, paused_now

    async def _settle_draft(
        self, tx: Tx, attempt_id: int, draft_id: int, user_id: int, s: Settlement
    ) -> None:
        published = s.draft_status is DraftStatus.PUBLISHED
        generation = await tx.scalar(
            "SELECT publish_generation FROM drafts WHERE id = ?", (draft_id,)
        )
        await lifecycle.transition(
            tx,
            draft_id,
            expect=DraftStatus.PUBLISHING,
            to=s.draft_status,
            now=self.db.now(),
            sets={
                "error": s.error,
                "publish_failures": s.failures,
                "publish_retry_at": ts(s.retry_at),
                "publish_error": None if published else to_json(s.detail),
                "publish_generation": generation + 1,
            },
        )
        if published and s.item_id is not None:
            await tx.execute(
                "INSERT INTO listings (draft_id, user_id, marketplace, item_id, url, is_draft,"
                " attempt_id, created_at, left_out) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (
                    draft_id,
                    user_id,
                    self.marketplace,
                    str(s.item_id),
                    s.url,
                    int(s.is_draft),
                    attempt_id,
                    ts(self.db.now()),
                    to_json(s.left_out),
                ),
            )
            await tx.execute(
                "UPDATE marketplace_sessions SET last_publish_at = ?"
                " WHERE user_id = ? AND marketplace = ?",
                (ts(self.db.now()), user_id, self.marketplace),
            )

    async def _settle_account(self, tx: Tx, user_id: int, s: Settlement) -> bool:
        await ensure_account(tx, user_id, self.marketplace)
        await tx.execute(
            "UPDATE publish_accounts SET"
            " not_before = MAX(COALESCE(not_before, ''), COALESCE(:not_before, '')),"
            " rate_limited_until = COALESCE(:limited_until, rate_limited_until),"
            " rate_limit_seconds = CASE WHEN :clear THEN NULL"
            "  ELSE COALESCE(:limit_seconds, rate_limit_seconds) END"
            " WHERE user_id = :user AND marketplace = :market",
            {
                "not_before": ts(s.not_before),
                "limited_until": ts(s.rate_limited_until),
                "clear": int(s.clear_rate_limit),
                "limit_seconds": s.rate_limit_seconds,
                "user": user_id,
                "market": self.marketplace,
            },
        )
        if s.pause_reason is None:
            return False
        return await pause_account(
            tx, user_id, self.marketplace, s.pause_reason, s.pause_detail, self.db.now()
        )

    # ---- leases ----------------------------------------------------------------------------

    async def renew_lease(self, attempt_id: int, owner: str, until: datetime) -> bool:
        """Extend the owner's lease on its running attempt; False if it is no longer its own."""
        changed = await self.db.execute(
            "UPDATE publish_attempts SET lease_until = ? WHERE id = ? AND owner = ?"
            " AND status = ?",
            (ts(until), attempt_id, owner, ATTEMPT_RUNNING),
        )
        return changed == 1

    async def release_lease(self, attempt_id: int, owner: str) -> bool:
        """Give up the lease on a running attempt, so reconciling may take it at once."""
        changed = await self.db.execute(
            "UPDATE publish_attempts SET lease_until = NULL WHERE id = ? AND owner = ?"
            " AND status = ?",
            (attempt_id, owner, ATTEMPT_RUNNING),
        )
        return changed == 1

    async def take_over(
        self, attempt_id: int, owner: str, until: datetime, *, dead_owner: str | None = None
    ) -> bool:
        """Lease a running attempt whose owner is gone (lease lapsed or released, or dead)."""
        changed = await self.db.execute(
            "UPDATE publish_attempts SET owner = :owner, lease_until = :until"
            " WHERE id = :id AND status = :running AND (owner IS NULL OR owner = :owner"
            " OR owner = :dead OR lease_until IS NULL OR lease_until < :now)",
            {
                "owner": owner,
                "until": ts(until),
                "id": attempt_id,
                "running": ATTEMPT_RUNNING,
                "now": ts(self.db.now()),
                "dead": dead_owner,
            },
        )
        return changed == 1

    # ---- attempts --------------------------------------------------------------------------

    async def open_attempts(self, user_id: int | None = None) -> list[PublishAttempt]:
        """Return attempts claimed but never finished (e.g. cut by a restart), oldest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM publish_attempts WHERE status = ? AND marketplace = ?"
            " AND (? IS NULL OR user_id = ?) ORDER BY id",
            (ATTEMPT_RUNNING, self.marketplace, user_id, user_id),
        )
        return [_attempt(row) for row in rows]

    async def attempts_of(self, draft_id: int) -> list[PublishAttempt]:
        """Return every attempt at publishing this draft, oldest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM publish_attempts WHERE draft_id = ? ORDER BY id", (draft_id,)
        )
        return [_attempt(row) for row in rows]

    async def count_published(self, user_id: int, since: datetime, until: datetime) -> int:
        """Count the account's successful publishes and relists finished in [since, until):
        both count against the daily cap."""
        return await self.db.scalar(
            "SELECT (SELECT COUNT(*) FROM publish_attempts WHERE user_id = :user"
            " AND marketplace = :market AND outcome = :published AND finished_at >= :since"
            " AND finished_at < :until) + (SELECT COUNT(*) FROM relists WHERE user_id = :user"
            " AND marketplace = :market AND status = 'done' AND finished_at >= :since"
            " AND finished_at < :until)",
            {
                "user": user_id,
                "market": self.marketplace,
                "published": OUTCOME_PUBLISHED,
                "since": ts(since),
                "until": ts(until),
            },
        )

    async def outcomes(self, user_id: int, since: datetime) -> dict[str, int]:
        """Count the seller's items by how their last try since a time ended ("published",
        "captcha"...): a draft retried three times, then published, is one published item.

        Items are told apart by the draft id in the idempotency key, which outlives the
        draft: a listing published and then deleted from the list still counts, once.
        """
        rows = await self.db.fetchall(
            "SELECT idempotency_key AS key,"
            " COALESCE(json_extract(detail, '$.kind'), outcome) AS kind FROM publish_attempts"
            " WHERE user_id = :user AND status = :finished AND finished_at >= :since"
            " ORDER BY id",
            {"user": user_id, "finished": ATTEMPT_FINISHED, "since": ts(since)},
        )
        last = {item_of_key(str(row["key"])): str(row["kind"]) for row in rows}
        return dict(sorted(Counter(last.values()).items()))


def item_of_key(key: str) -> str:
    """Return the item an idempotency key is about ("draft:12:v3" -> "draft:12")."""
    kind, _, rest = key.partition(":")
    return f"{kind}:{rest.partition(':')[0]}"


def _attempt(row: Row) -> PublishAttempt:
    return PublishAttempt(
        id=row["id"],
        draft_id=row["draft_id"],
        user_id=row["user_id"],
        marketplace=row["marketplace"],
        idempotency_key=row["idempotency_key"],
        status=row["status"],
        started_at=when(row["started_at"]),
        finished_at=dt(row["finished_at"]),
        outcome=row["outcome"],
        detail=json.loads(row["detail"]),
        item_id=row["item_id"],
        known_items=None if row["known_items"] is None else json.loads(row["known_items"]),
        owner=row["owner"],
        lease_until=dt(row["lease_until"]),
    )
