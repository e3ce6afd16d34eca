"""After a crash: settle the attempts a dead run left open, never publishing twice.

An attempt carries its owner and a lease that a live publish renews. `reconcile()` (run at the
start of every tick, so before any retry) takes over attempts whose lease lapsed or whose owner
process is gone: with a saved item id the draft is published; without one the marketplace is
asked for the listing; only when it is surely not there does the draft go back in line, under
the next generation's key. When the marketplace cannot tell, the attempt stays open.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from core.accounts.vault import SessionUnreadable
from core.drafts.models import Draft, DraftStatus
from core.marketplace import Cookies, ListingQuery, Marketplace
from core.publishing import policy
from core.publishing.attempts import AttemptRepository
from core.publishing.models import (
    INTERRUPTED,
    LOOKUP_FAILED,
    OUTCOME_UNKNOWN,
    PublishAttempt,
    QueuedDraft,
    RunReport,
    Settlement,
)
from core.publishing.pacing import AccountRules, PublishingConfig
from core.publishing.ports import SessionPort
from core.publishing.waiting import WaitingRepository

log = logging.getLogger(__name__)

Apply = Callable[[int, QueuedDraft, policy.Decision, Path | None, bool], Awaitable[RunReport]]
Pause = Callable[[int, int, str], Awaitable[None]]  # user, draft, reason
# Look-ups in a row that cannot tell before the seller is told and the account paused.
LOOKUP_TRIES = 5


class ListingFinder:
    """Ask whether a draft's listing exists: its id, 0 if surely absent, None if unknown."""

    def __init__(
        self, marketplace: Marketplace, sessions: SessionPort, attempts: AttemptRepository
    ) -> None:
        self.marketplace = marketplace
        self.sessions = sessions
        self.attempts = attempts

    async def look_up(
        self, draft: Draft, *, is_draft: bool, known: list[int] | None
    ) -> int | None:
        """Look for the listing an attempt made: same title, price and photos, new, unlinked.

        The caller holds the account's lock; the cookies are read now, so the look-up starts
        from whatever the last run rotated them to.
        """
        try:
            checkout = await self.sessions.checkout(draft.user_id)
        except SessionUnreadable:
            checkout = None
        if checkout is None:
            log.warning("no session to look for draft %s", draft.id)
            return None
        # What was there before the form went out, or belongs to another draft, is not ours.
        exclude = set(known or ()) | await self.attempts.linked_items(draft.user_id)
        query = ListingQuery(
            title=draft.title,
            price=draft.price.target if draft.price else 0.0,
            photo_count=len(draft.photo_ids),
            is_draft=is_draft,
            exclude=frozenset(exclude),
        )
        account_id = await self.sessions.account_id(draft.user_id)
        try:
            found = await self.marketplace.find_listing(
                cookie_list(checkout.cookies),
                account_id,
                query,
                on_cookies=self.sessions.writer(draft.user_id, checkout),
            )
        except Exception:  # ListingLookupFailed, or the browser broke: "unknown", not "absent"
            log.warning("could not look for draft %s", draft.id, exc_info=True)
            return None
        return 0 if found is None else found

    def listing_url(self, item_id: int) -> str:
        return self.marketplace.listing_url(item_id)


class Reconciler:
    """Take over and settle the publish attempts a crash left running."""

    def __init__(
        self,
        attempts: AttemptRepository,
        waiting: WaitingRepository,
        finder: ListingFinder,
        config: PublishingConfig,
        *,
        owner: str,
        locks: Callable[[int], asyncio.Lock],
        in_flight: set[int],
        rules: Callable[[int], Awaitable[AccountRules]],
        apply: Apply,
        pause: Pause,
        now: Callable[[], datetime],
        rng: random.Random,
    ) -> None:
        self.attempts = attempts
        self.waiting = waiting
        self.finder = finder
        self.config = config
        self.owner = owner
        self._lock = locks
        self._in_flight = in_flight
        self._rules = rules
        self._apply = apply
        self._pause = pause
        self._now = now
        self._rng = rng
        # Attempt id -> when a look-up first found no listing for it (in memory: after a
        # restart the wait starts again, which only errs on the side of waiting).
        self._absent_since: dict[int, datetime] = {}
        self._unknown: dict[int, int] = {}  # attempt id -> look-ups in a row that could not tell

    async def reconcile(self) -> list[RunReport]:
        """Settle attempts a crash left running: published if the listing exists, else retry."""
        reports: list[RunReport] = []
        for attempt in await self.attempts.open_attempts():
            if attempt.id in self._in_flight:
                continue
            lock = self._lock(attempt.user_id)
            if lock.locked():
                continue  # this process is busy on that account; the next tick will look
            async with lock:
                try:
                    report = await self._reconcile(attempt)
                except Exception:
                    log.exception("could not reconcile publish attempt %s", attempt.id)
                    continue
            if report is not None:
                reports.append(report)
        return reports

    async def _reconcile(self, attempt: PublishAttempt) -> RunReport | None:
        until = self._now() + self.config.lease
        dead = attempt.owner is not None and owner_is_dead(attempt.owner)
        taken = await self.attempts.take_over(
            attempt.id, self.owner, until, dead_owner=attempt.owner if dead else None
        )
        if not taken:
            return None  # its owner is alive (its lease holds)
        self._in_flight.add(attempt.id)
        try:
            entry = (
                None
                if attempt.draft_id is None
                else await self.waiting.queued_one(attempt.draft_id)
            )
            if entry is None:
                # The draft is gone; its key keeps refusing, so closing the attempt is enough.
                await self.attempts.settle(
                    attempt.id,
                    Settlement(
                        outcome=OUTCOME_UNKNOWN,
                        draft_status=DraftStatus.FAILED,
                        detail={"kind": INTERRUPTED},
                    ),
                )
                return None
            item_id = attempt.item_id
            rules = await self._rules(attempt.user_id)
            if item_id is None:
                found = await self.finder.look_up(
                    entry.draft, is_draft=rules.mode == "draft", known=attempt.known_items
                )
                if found is None:
                    await self._could_not_tell(attempt, entry)
                    return None  # cannot tell yet: try again on the next tick
                self._unknown.pop(attempt.id, None)
                if found == 0 and not self._surely_absent(attempt.id):
                    return None  # a listing made just before the crash may not show yet
                item_id = found or None
            if item_id is not None:
                log.info("draft %s was published before the crash as %s", entry.draft.id, item_id)
                kind = "saved_as_draft" if rules.mode == "draft" else "published"
                decision = policy.succeeded(
                    entry,
                    kind,
                    item_id,
                    None
                    if kind == "saved_as_draft"
                    else self.finder.marketplace.listing_url(item_id),
                    rules=rules,
                    now=self._now(),
                    rng=self._rng,
                    reconciled=True,
                )
                return await self._apply(attempt.id, entry, decision, None, True)
            detail = {"kind": INTERRUPTED, "detail": "no listing found after the interruption"}
            decision = policy.transient(entry, detail, config=self.config, now=self._now())
            return await self._apply(attempt.id, entry, decision, None, True)
        finally:
            self._in_flight.discard(attempt.id)
            await self.attempts.release_lease(attempt.id, self.owner)

    async def _could_not_tell(self, attempt: PublishAttempt, entry: QueuedDraft) -> None:
        """Count a look-up that could not tell; after a few, pause the account and say so."""
        tries = self._unknown.get(attempt.id, 0) + 1
        self._unknown[attempt.id] = tries
        if tries % LOOKUP_TRIES == 0:
            log.warning("attempt %s: %d look-ups could not tell; pausing", attempt.id, tries)
            await self._pause(attempt.user_id, entry.draft.id or 0, LOOKUP_FAILED)

    def _surely_absent(self, attempt_id: int) -> bool:
        """Return whether look-ups at least `settle` apart have all found nothing."""
        now = self._now()
        first = self._absent_since.setdefault(attempt_id, now)
        if now - first < self.config.settle:
            log.info("no listing yet for attempt %s: looking again before retrying", attempt_id)
            return False
        del self._absent_since[attempt_id]
        return True


def cookie_list(cookies: Sequence[Mapping[str, Any]]) -> Cookies:
    # Keep the vault's own dict subclass (its repr hides the values) when it is one.
    return [c if isinstance(c, dict) else dict(c) for c in cookies]


def owner_is_dead(owner: str) -> bool:
    """Return True when the lease's owner was a process on this machine that no longer runs."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False  # another machine, or an owner name we do not understand: trust the lease
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
