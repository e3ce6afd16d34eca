"""The publishing queue: each account's next due draft, claimed once, published, settled.

One run at a time per account (and at most `concurrency` accounts at once in this process).
Before the browser opens, the claim (core.publishing.attempts) checks pacing again and records
the attempt under its idempotency key; when the marketplace names the new item, its id is
written to the attempt at once; the run's outcome becomes a settlement (core.publishing.policy)
stored in one transaction. Crashed runs are settled by core.publishing.reconcile.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import secrets
import socket
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path

from core.accounts.sessions import Checkout
from core.accounts.vault import SessionUnreadable
from core.catalogs.service import CatalogService
from core.drafts.models import Draft, DraftStatus
from core.drafts.repository import DraftRepository
from core.events import EventLog
from core.intake.repository import BatchRepository
from core.marketplace import ListingInvalid, Marketplace, PublishResult
from core.publishing import policy
from core.publishing.attempts import AttemptRepository
from core.publishing.herald import Herald
from core.publishing.models import (
    INTERRUPTED,
    SESSION_MISSING,
    SESSION_UNREADABLE,
    QueuedDraft,
    RunReport,
    publish_key,
)
from core.publishing.pacing import AccountRules, PublishingConfig
from core.publishing.ports import NotifierPort, SessionPort
from core.publishing.reconcile import ListingFinder, Reconciler, cookie_list
from core.publishing.views import (
    PublishStats,
    QueueView,
    account_ready,
    due,
    in_order,
    queue_view,
    stats_from,
)
from core.publishing.waiting import WaitingRepository
from core.sellers.repository import SellerRepository

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


class PublishingQueue:
    """Publish approved drafts one at a time per account, paced, retried, exactly once."""

    def __init__(
        self,
        *,
        attempts: AttemptRepository,
        waiting: WaitingRepository,
        drafts: DraftRepository,
        photos: BatchRepository,
        sellers: SellerRepository,
        events: EventLog,
        catalogs: CatalogService,
        marketplace: Marketplace,
        sessions: SessionPort,
        notifier: NotifierPort,
        config: PublishingConfig,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        owner: str | None = None,
    ) -> None:
        self.attempts = attempts
        self.waiting = waiting
        self.drafts = drafts
        self.photos = photos
        self.sellers = sellers
        self.events = events
        self.catalogs = catalogs
        self.marketplace = marketplace
        self.sessions = sessions
        self.notifier = notifier
        self.config = config
        self._now = clock or (lambda: datetime.now(UTC))
        self._rng = rng or random.Random()
        # Names this queue's leases: another process never takes over a live publish, and a
        # restarted bot sees at once that the process behind an old lease is gone.
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self._slots = asyncio.Semaphore(config.concurrency)
        self._in_flight: set[int] = set()
        self.finder = ListingFinder(marketplace, sessions, attempts)
        self.herald = Herald(notifier, events, drafts, attempts)
        self._told_checked = False
        self.reconciler = Reconciler(
            attempts,
            waiting,
            self.finder,
            config,
            owner=self.owner,
            locks=self._lock,
            in_flight=self._in_flight,
            rules=self.rules,
            apply=self._apply,
            pause=self._pause_account,
            now=self._now,
            rng=self._rng,
        )

    # ---- the tick ------------------------------------------------------------------------

    async def tick(self) -> list[RunReport]:
        """Reconcile crashed attempts, then publish each free account's next due draft."""
        if not self._told_checked:  # once a process: URLs a stop left unsent go out first
            self._told_checked = True
            await self.herald.tell_untold()
        reports = await self.reconciler.reconcile()
        users = await self.waiting.users_with_queue()
        runs = await asyncio.gather(
            *(self._run_account(user_id) for user_id in users), return_exceptions=True
        )
        for user_id, run in zip(users, runs, strict=True):
            if isinstance(run, BaseException):
                if not isinstance(run, Exception):
                    raise run
                log.error("publishing for user %s failed", user_id, exc_info=run)
            elif run is not None:
                reports.append(run)
        return reports

    async def reconcile(self) -> list[RunReport]:
        """Settle the attempts a crash left running (also done at the start of every tick)."""
        return await self.reconciler.reconcile()

    def _lock(self, user_id: int) -> asyncio.Lock:
        # The account's one lock: /dryrun, /check and the catalog read wait for a publish.
        return self.sessions.account_lock(user_id)

    async def _run_account(self, user_id: int) -> RunReport | None:
        lock = self._lock(user_id)
        if lock.locked():
            return None  # this process is publishing on that account already
        async with lock, self._slots:
            return await self._publish_next(user_id)

    async def _publish_next(self, user_id: int) -> RunReport | None:
        now = self._now()
        account = await self.waiting.account(user_id)
        if account.paused_reason is not None:
            return None
        rules = await self.rules(user_id)
        entries = in_order(await self.waiting.queued(user_id))
        if not entries:
            return None
        published = {rules.local_day(now): await self._published_today(user_id, rules, now)}
        entry = entries[0]
        if rules.earliest(max(account_ready(now, account), due(entry)), published) > now:
            return None
        draft = entry.draft
        assert draft.id is not None
        # Cookies first: without a session nothing is claimed and the draft keeps its place.
        try:
            checkout = await self.sessions.checkout(user_id)
        except SessionUnreadable:
            return await self._pause_before_claim(user_id, draft, SESSION_UNREADABLE)
        if checkout is None:
            return await self._pause_before_claim(user_id, draft, SESSION_MISSING)
        attempt_id = await self.attempts.begin(
            draft.id,
            user_id,
            generation=entry.generation,
            key=publish_key(draft.id, entry.generation),
            owner=self.owner,
            lease_until=now + self.config.lease,
        )
        if attempt_id is None:
            return None  # another tick or process claimed it, or the seller took it back
        self._in_flight.add(attempt_id)
        heartbeat = asyncio.create_task(self._keep_lease(attempt_id))
        try:
            return await self._run(attempt_id, entry, checkout, rules)
        finally:
            heartbeat.cancel()
            with suppress(asyncio.CancelledError):
                await heartbeat
            self._in_flight.discard(attempt_id)
            # Best effort: a crash skips this and the lease simply lapses.
            with suppress(Exception):
                await self.attempts.release_lease(attempt_id, self.owner)

    async def _run(
        self, attempt_id: int, entry: QueuedDraft, checkout: Checkout, rules: AccountRules
    ) -> RunReport:
        draft = entry.draft
        await self.herald.starting(draft)
        try:
            if await self.catalogs.read_if_none(draft):  # under the account's lock
                # Reading the tree went through the session: start from what it left.
                with suppress(SessionUnreadable):
                    checkout = await self.sessions.checkout(draft.user_id) or checkout
            category = await self.catalogs.choice_for(draft)
            if category is None:
                raise ListingInvalid("category", "the marketplace's category is still to choose")
            photos = await self.photos.get_photos(draft.photo_ids, draft.user_id)
            form = self.marketplace.form_for(
                draft, photos, self.config.data_dir, category, rules.footer
            )
        except ListingInvalid as exc:
            detail = {"kind": "field_rejected", "field": exc.field, "message": str(exc)}
            return await self._apply(attempt_id, entry, policy.failed(entry, detail), None)
        known: list[int] = []

        async def on_known(item_ids: list[int]) -> None:
            known[:] = item_ids
            await self.attempts.record_known(attempt_id, item_ids)

        async def on_created(item_id: int) -> None:
            await self.attempts.record_item(attempt_id, item_id)

        writer = self.sessions.writer(draft.user_id, checkout)
        try:
            result = await self.marketplace.publish(
                cookie_list(checkout.cookies),
                form,
                mode=rules.mode,
                on_created=on_created,
                on_known=on_known,
                on_cookies=writer,
            )
        except Exception:
            # The listing may exist: the attempt stays running for reconcile() to settle.
            log.exception("publishing draft %s broke off; reconcile will check", draft.id)
            return RunReport(draft.user_id, draft.id, INTERRUPTED)
        await writer.keep(result.cookies)
        return await self._settle(attempt_id, entry, result, rules, known)

    async def _keep_lease(self, attempt_id: int) -> None:
        while True:
            await asyncio.sleep(self.config.lease.total_seconds() / 3)  # a heartbeat's pace
            try:
                await self.attempts.renew_lease(
                    attempt_id, self.owner, self._now() + self.config.lease
                )
            except Exception:
                log.exception("could not renew the lease of publish attempt %s", attempt_id)

    async def _pause_before_claim(self, user_id: int, draft: Draft, reason: str) -> RunReport:
        await self._pause_account(user_id, draft.id or 0, reason)
        return RunReport(user_id, draft.id, reason)

    async def _pause_account(self, user_id: int, draft_id: int, reason: str) -> None:
        """Pause the account's publishing and tell the seller, once per pause."""
        if await self.waiting.pause(user_id, reason, {"draft_id": draft_id}):
            await self.events.log(user_id, "publish_paused", {"reason": reason})
            await self.herald.notify(self.notifier.paused(user_id, reason, None))

    # ---- outcomes ------------------------------------------------------------------------

    async def _settle(
        self,
        attempt_id: int,
        entry: QueuedDraft,
        result: PublishResult,
        rules: AccountRules,
        known: list[int],
    ) -> RunReport:
        outcome = result.outcome
        screenshot = result.screenshot or outcome.screenshot
        item_id = getattr(outcome, "item_id", None)
        url = getattr(outcome, "url", None) if outcome.kind == "published" else None
        if outcome.kind == "published" and url is None and item_id is not None:
            url = self.marketplace.listing_url(item_id)
        if outcome.kind not in ("published", "saved_as_draft") and result.maybe_created:
            # The create call went out unanswered: look before trying again.
            # From the cookies the run left (rotated), not the ones it started from.
            found = await self.finder.look_up(
                entry.draft, is_draft=rules.mode == "draft", known=known
            )
            if found is None:
                return RunReport(entry.draft.user_id, entry.draft.id, INTERRUPTED)  # later
            if found:
                kind = "saved_as_draft" if rules.mode == "draft" else "published"
                decision = policy.succeeded(
                    entry,
                    kind,
                    found,
                    None if rules.mode == "draft" else self.marketplace.listing_url(found),
                    rules=rules,
                    now=self._now(),
                    rng=self._rng,
                )
                return await self._apply(attempt_id, entry, decision, None)
        detail = policy.outcome_detail(outcome, result.step, screenshot)
        decision = policy.decide(
            outcome,
            detail,
            entry,
            await self.waiting.account(entry.draft.user_id),
            config=self.config,
            rules=rules,
            now=self._now(),
            rng=self._rng,
            url=url,
            left_out=result.left_out,
        )
        return await self._apply(attempt_id, entry, decision, screenshot)

    async def _apply(
        self,
        attempt_id: int,
        entry: QueuedDraft,
        decision: policy.Decision,
        screenshot: Path | None,
        reconciled: bool = False,
    ) -> RunReport:
        """Store the decision, then tell the seller (only if this call settled the attempt)."""
        settled, paused_now = await self.attempts.settle(attempt_id, decision.settlement)
        draft, s, kind = entry.draft, decision.settlement, decision.kind
        await self.herald.tell(
            draft,
            decision,
            screenshot,
            settled=settled,
            paused_now=paused_now,
            attempt_id=attempt_id,
        )
        published = s.draft_status is DraftStatus.PUBLISHED
        return RunReport(
            draft.user_id,
            draft.id,
            kind,
            item_id=s.item_id if published else None,
            url=s.url if published else None,
            retry_at=decision.retry_at,
            reconciled=reconciled,
        )

    # ---- the seller's actions ------------------------------------------------------------

    async def retry(self, user_id: int, draft_id: int) -> bool:
        """Put the seller's draft whose publishing failed back in line; False if it cannot."""
        moved = await self.waiting.requeue_failed(draft_id, user_id)
        if moved:
            await self.events.log(user_id, "publish_retry", {"draft_id": draft_id})
        return moved

    async def resume(self, user_id: int) -> bool:
        """Lift the account's pause (after a captcha, a login...); False if it was not paused."""
        resumed = await self.waiting.resume(user_id)
        if resumed:
            await self.events.log(user_id, "publish_resumed", {})
        return resumed

    async def schedule(self, user_id: int, draft_id: int, when: datetime | None) -> bool:
        """Publish the seller's approved draft not before `when` (None: when its turn comes)."""
        entry = await self.waiting.queued_one(draft_id)
        if entry is None or entry.draft.user_id != user_id:
            return False
        if entry.draft.status is not DraftStatus.APPROVED:
            return False
        return await self.waiting.set_publish_at(draft_id, user_id, when)

    # ---- what the bot shows --------------------------------------------------------------

    async def rules(self, user_id: int) -> AccountRules:
        """Return the pacing the seller's account follows, their overrides applied."""
        seller = await self.sellers.get(user_id)
        return self.config.rules_for(seller.settings.overrides() if seller else {})

    async def queue_view(self, user_id: int) -> QueueView:
        """Return the approved drafts in publishing order and when the next one goes."""
        now = self._now()
        rules = await self.rules(user_id)
        return queue_view(
            user_id,
            now,
            await self.waiting.account(user_id),
            rules,
            await self.waiting.queued(user_id),
            await self.waiting.queued(user_id, [DraftStatus.PUBLISHING]),
            await self._published_today(user_id, rules, now),
        )

    async def stats(self, user_id: int, since: datetime) -> PublishStats:
        """Return the seller's publishes and failed attempts since a time, by reason."""
        return stats_from(await self.attempts.outcomes(user_id, since))

    # ---- helpers -------------------------------------------------------------------------

    async def _published_today(self, user_id: int, rules: AccountRules, now: datetime) -> int:
        start, end = rules.day_bounds(now)
        return await self.attempts.count_published(user_id, start, end)
