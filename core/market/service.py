"""Pricing a draft from what sold like it, read through the seller's own session.

Reads are sparing: one per site leaf, brand and condition a day (kept in the store), under the
account's one lock, so they never run beside a publish on the same account. A read that fails
never blocks a draft: it keeps the rule price and the basis says so.
"""

from __future__ import annotations

import logging
from datetime import datetime

from core.accounts.sessions import SessionVault
from core.accounts.vault import SessionUnreadable
from core.catalogs.service import CatalogService
from core.drafts.models import Draft, DraftStatus
from core.drafts.repository import DraftRepository
from core.market.models import Basis, MarketQuery, MarketRead
from core.market.prices import market_price, rules_basis
from core.market.repository import MarketRepository
from core.marketplace import Marketplace, Outcome
from core.pricing import PriceRules
from core.publishing.waiting import WaitingRepository

log = logging.getLogger(__name__)


class MarketService:
    def __init__(
        self,
        repo: MarketRepository,
        reader: Marketplace,
        sessions: SessionVault,
        catalogs: CatalogService,
        drafts: DraftRepository,
        rules: PriceRules,
        waiting: WaitingRepository,
    ) -> None:
        self.waiting = waiting
        self.repo = repo
        self.reader = reader
        self.sessions = sessions
        self.catalogs = catalogs
        self.drafts = drafts
        self.rules = rules

    async def asked_against_sold(
        self, user_id: int, since: datetime
    ) -> list[tuple[str, float, float, int]]:
        """Per month ("2026-11"): mean asking price of what was published priced from sales,
        the mean sold median it was priced against, and how many listings."""
        return await self.repo.asked_against_sold(user_id, since)

    async def basis(self, draft: Draft) -> Basis | None:
        return None if draft.id is None else await self.repo.basis(draft.id)

    async def reprice(self, draft: Draft) -> Draft:
        """Price a fresh draft from the market when the seller is connected; the draft as it
        now stands. The seller's own price, set meanwhile, is never overwritten."""
        assert draft.id is not None
        if draft.status is not DraftStatus.DRAFT or draft.condition is None or not draft.price:
            return draft
        currency = draft.price.currency
        if await self.sessions.info(draft.user_id) is None:  # no session: nothing to read with
            basis = rules_basis(draft.brand, draft.condition, "not_connected", currency)
            await self.repo.set_basis(draft.id, draft.user_id, basis)
            return draft
        choice = await self.catalogs.choice_for(draft)
        # A connected seller's first draft: read the site's tree, as publishing would.
        first = choice is None and await self.catalogs.tree() is None
        if first and await self.catalogs.refresh_if_stale(draft.user_id):
            choice = await self.catalogs.choice_for(draft)
        if choice is None:
            basis = rules_basis(draft.brand, draft.condition, "no_category", currency)
            await self.repo.set_basis(draft.id, draft.user_id, basis)
            return draft
        query = MarketQuery(choice.leaf_id, draft.condition, draft.brand)
        read = await self.repo.cached(self.catalogs.site, query)
        if read is None:
            read, reason = await self._read(draft.user_id, query)
            if read is None:
                basis = rules_basis(draft.brand, draft.condition, reason, currency)
                await self.repo.set_basis(draft.id, draft.user_id, basis)
                return draft
            await self.repo.keep(self.catalogs.site, query, read)
        price, basis = market_price(
            self.rules,
            read,
            category_id=draft.category,
            condition=draft.condition,
            brand=draft.brand,
            size=draft.size,
            now=self.repo.db.now(),
            currency=currency,
        )
        current = await self.drafts.get(draft.id, draft.user_id)
        if current is None:
            return draft
        await self.repo.set_basis(draft.id, draft.user_id, basis)
        if current.price != draft.price or current.status is not DraftStatus.DRAFT:
            return current  # the seller priced it (or moved it) meanwhile: theirs stands
        written = await self.drafts.write(
            current.model_copy(update={"price": price}),
            expect=DraftStatus.DRAFT,
            to=DraftStatus.DRAFT,
        )
        return written or (await self.drafts.get(draft.id, draft.user_id)) or current

    async def _read(self, user_id: int, query: MarketQuery) -> tuple[MarketRead | None, str]:
        account = await self.waiting.account(user_id)
        resting = account.rate_limited_until and account.rate_limited_until > self.repo.db.now()
        if account.paused_reason or resting:
            return None, "unavailable"  # a captcha, a rate limit: no reads either meanwhile
        async with self.sessions.account_lock(user_id):
            try:
                checkout = await self.sessions.checkout(user_id)
            except SessionUnreadable:
                checkout = None
            if checkout is None:
                return None, "not_connected"
            found = await self.reader.read_market(
                [dict(c) for c in checkout.cookies],
                query,
                on_cookies=self.sessions.writer(user_id, checkout),
            )
        if isinstance(found, Outcome):
            log.warning("market data for %s not read: %s", query, found.describe())
            return None, "unavailable"
        return found, ""
