"""Relisting, as the seller sees it: the day's sweep of the wardrobe, the offer, the answers.

Once a local day per connected seller (inside their publishing hours, when the account is
free), the wardrobe is read: listings it no longer shows are marked gone (sold or removed:
never relisted), and live ones older than the seller's RELIST_AFTER_DAYS are offered at a
lower price (RELIST_PRICE_DROP_PERCENT, never below the draft's minimum), a few a day, in one
message; with automatic relisting they are queued at once. The runner does the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.accounts.vault import SessionUnreadable
from core.marketplace import Marketplace, Outcome
from core.publishing.pacing import AccountRules
from core.publishing.ports import SessionPort
from core.publishing.reconcile import cookie_list
from core.publishing.waiting import WaitingRepository
from core.relisting import models as m
from core.relisting.models import Relist, dropped_price
from core.relisting.ports import RelistNotifier
from core.relisting.repository import RelistRepository
from core.relisting.runner import Relister
from core.sellers.models import SellerSettings
from core.sellers.repository import SellerRepository

log = logging.getLogger(__name__)

# A listing made this recently may not show on the wardrobe yet: not taken for gone.
FRESH = timedelta(hours=1)
RETRY_SWEEP = timedelta(hours=1)  # after a sweep that could not read the wardrobe


@dataclass(frozen=True)
class RelistConfig:
    after_days: float = 30.0
    mode: str = "ask"
    drop_percent: float = 5.0
    daily_offers: int = 5
    snooze: timedelta = timedelta(days=7)


@dataclass(frozen=True)
class RelistPolicy:
    """What one seller chose: off, ask or auto, and after how many days."""

    mode: str
    after_days: float


class RelistService:
    def __init__(
        self,
        *,
        repo: RelistRepository,
        sellers: SellerRepository,
        waiting: WaitingRepository,
        marketplace: Marketplace,
        sessions: SessionPort,
        notifier: RelistNotifier,
        runner: Relister,
        config: RelistConfig,
        rules: Callable[[int], Awaitable[AccountRules]],
        clock: Callable[[], datetime],
    ) -> None:
        self.repo = repo
        self.sellers = sellers
        self.waiting = waiting
        self.marketplace = marketplace
        self.sessions = sessions
        self.notifier = notifier
        self.runner = runner
        self.config = config
        self.rules = rules
        self._now = clock

    def policy(self, settings: SellerSettings | None) -> RelistPolicy:
        mode = (settings.relist_mode if settings else None) or self.config.mode
        days = (settings.relist_after_days if settings else None) or self.config.after_days
        return RelistPolicy(mode=mode, after_days=float(days))

    async def tick(self) -> list[Relist]:
        """Sweep the wardrobes due today, then run the relists in line."""
        for user_id in await self.sessions.connected_users():
            lock = self.sessions.account_lock(user_id)
            if lock.locked():
                continue
            async with lock:
                try:
                    await self._sweep_if_due(user_id)
                except Exception:
                    log.exception("the relisting sweep for user %s failed", user_id)
        return await self.runner.tick()

    async def _sweep_if_due(self, user_id: int) -> None:
        now = self._now()
        seller = await self.sellers.get(user_id)
        policy = self.policy(seller.settings if seller else None)
        if policy.mode == "off" or not await self.repo.live_listings(user_id):
            return  # nothing to relist, nothing to read
        rules = await self.rules(user_id)
        key = f"relist_sweep:{user_id}"
        last = await self.sellers.get_meta(key)
        today = rules.local_day(now).isoformat()
        if last == f"day:{today}":
            return  # swept today
        if last is not None and last.startswith("retry:") and last[6:] > now.isoformat():
            return  # a sweep that could not read the wardrobe waits before the next try
        if rules.earliest(now, {}) > now:
            return  # outside the seller's hours
        account = await self.waiting.account(user_id)
        if account.paused_reason is not None:
            return
        if await self.sweep(user_id, policy):
            await self.sellers.set_meta(key, f"day:{today}")
        else:
            await self.sellers.set_meta(key, f"retry:{(now + RETRY_SWEEP).isoformat()}")

    async def sweep(self, user_id: int, policy: RelistPolicy) -> bool:
        """Read the wardrobe; mark what is gone, offer what is due. False if it was not read."""
        try:
            checkout = await self.sessions.checkout(user_id)
        except SessionUnreadable:
            return False
        if checkout is None:
            return False
        seen = await self.marketplace.read_wardrobe(
            cookie_list(checkout.cookies),
            await self.sessions.account_id(user_id),
            on_cookies=self.sessions.writer(user_id, checkout),
        )
        if isinstance(seen, Outcome):
            log.info("relisting sweep for user %s: %s", user_id, seen.describe())
            return False
        now = self._now()
        live = {item.id: item.price for item in seen if not item.is_draft}
        relisting = {r.listing_id for r in await self.repo.of_user(user_id, (m.RUNNING, m.QUEUED))}
        ours = await self.repo.live_listings(user_id)
        gone = [
            listing.listing_id
            for listing in ours
            if listing.item_id not in live
            and listing.listing_id not in relisting
            and now - listing.created_at > FRESH
        ]
        if gone:
            await self.repo.mark_gone(gone)
        await self.repo.seen({x.listing_id: live[x.item_id] for x in ours if x.item_id in live})
        await self.repo.wake_snoozed(user_id, now)
        status = m.QUEUED if policy.mode == "auto" else m.OFFERED
        made: list[Relist] = []
        for listing in await self.repo.live_listings(user_id):
            if len(made) >= self.config.daily_offers:
                break
            if listing.item_id not in live or listing.listing_id in relisting:
                continue
            if now - listing.created_at < timedelta(days=policy.after_days):
                continue
            price = listing.price or 0.0
            if price <= 0:
                continue
            new_price = dropped_price(price, self.config.drop_percent, listing.min_price)
            relist_id = await self.repo.offer(listing, user_id, new_price, status)
            relist = None if relist_id is None else await self.repo.get(relist_id)
            if relist is not None:
                made.append(relist)
        offered = await self.repo.of_user(user_id, (m.OFFERED,))
        queued = [r for r in made if r.status == m.QUEUED]
        if offered or queued:
            await self.notifier.offer(user_id, offered, queued, policy.after_days)
        return True

    # ---- the seller's answers ---------------------------------------------------------------

    async def offered(self, user_id: int) -> list[Relist]:
        return await self.repo.of_user(user_id, (m.OFFERED,))

    async def accept(self, user_id: int, ids: Iterable[int] | None = None) -> int:
        """Queue the offered relists (all of them when ids is None); how many."""
        chosen = [r.id for r in await self.offered(user_id)] if ids is None else list(ids)
        return await self.repo.answer(user_id, chosen, m.QUEUED)

    async def snooze(self, user_id: int, ids: Iterable[int] | None = None) -> int:
        """Put the offered relists off (offered again after a week); how many."""
        chosen = [r.id for r in await self.offered(user_id)] if ids is None else list(ids)
        until = self._now() + self.config.snooze
        return await self.repo.answer(user_id, chosen, m.SNOOZED, until)
