"""Relisting, run by the publishing queue's pacing: draft-first, one step at a time, once.

A queued relist is claimed under the account's one lock, within the seller's hours and daily
cap, after the drafts due. Each step (core.relisting.models) is written as it ends and is safe
to run again: a restart goes on from the last one, reading back from the wardrobe what a killed
run did. copy: saved as a Vinted draft at the new price (known wardrobe and copy id kept; after
a kill with no id the copy is looked for first). delete: the old listing must still be live
(else it sold: the copy goes, the relist ends "gone"); "deleting" is written before the delete
is sent. complete: the copy is published; one completed before a kill is found on the wardrobe.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from contextlib import suppress
from datetime import datetime, timedelta

from core.accounts.sessions import Checkout
from core.accounts.vault import SessionUnreadable
from core.catalogs.service import CatalogService
from core.drafts.models import Draft
from core.drafts.repository import DraftRepository
from core.intake.repository import BatchRepository
from core.marketplace import ListingInvalid, ListingQuery, Marketplace, Outcome
from core.models import Price
from core.publishing.attempts import AttemptRepository
from core.publishing.pacing import AccountRules, PublishingConfig
from core.publishing.ports import SessionPort
from core.publishing.reconcile import cookie_list, owner_is_dead
from core.publishing.views import account_ready, due
from core.publishing.waiting import WaitingRepository
from core.relisting import models as m
from core.relisting.models import Relist
from core.relisting.ports import RelistNotifier
from core.relisting.repository import RelistRepository

log = logging.getLogger(__name__)


class _Wait(Exception):
    """The step cannot tell yet (a look-up failed): try again later, counted as transient."""


class Relister:
    """Run each account's next relist, step by step, under the account's lock."""

    def __init__(
        self,
        *,
        repo: RelistRepository,
        attempts: AttemptRepository,
        waiting: WaitingRepository,
        drafts: DraftRepository,
        photos: BatchRepository,
        catalogs: CatalogService,
        marketplace: Marketplace,
        sessions: SessionPort,
        notifier: RelistNotifier,
        config: PublishingConfig,
        rules: Callable[[int], Awaitable[AccountRules]],
        owner: str,
        clock: Callable[[], datetime],
        rng: random.Random | None = None,
    ) -> None:
        self.repo = repo
        self.attempts = attempts
        self.waiting = waiting
        self.drafts = drafts
        self.photos = photos
        self.catalogs = catalogs
        self.marketplace = marketplace
        self.sessions = sessions
        self.notifier = notifier
        self.config = config
        self.rules = rules
        self.owner = owner
        self._now = clock
        self._rng = rng or random.Random()
        self._told_checked = False

    async def tick(self) -> list[Relist]:
        """Run (or go on with) each account's next relist; the relists that ended."""
        if not self._told_checked:  # once a process: new URLs a stop left unsent go out
            self._told_checked = True
            for relist in await self.repo.untold():
                await self._tell_done(relist)
        ended: list[Relist] = []
        for user_id in await self.repo.users_with_work():
            lock = self.sessions.account_lock(user_id)
            if lock.locked():
                continue  # a publish (or a read) runs on that account in this process
            async with lock:
                try:
                    done = await self._run_next(user_id)
                except Exception:
                    log.exception("relisting for user %s failed", user_id)
                    continue
            if done is not None:
                ended.append(done)
        return ended

    async def _run_next(self, user_id: int) -> Relist | None:
        now = self._now()
        account = await self.waiting.account(user_id)
        if account.paused_reason is not None:
            return None
        rules = await self.rules(user_id)
        relists = await self.repo.of_user(user_id, (m.RUNNING, m.QUEUED))
        due_now = [r for r in relists if r.status == m.RUNNING or (r.retry_at or now) <= now]
        # One a kill left running goes first, then one whose old listing is down (or going):
        # those are finished before new drafts and outside the hours and cap, as the item
        # must not stay offline; the others wait for the drafts due and the pacing.
        midway = (m.DELETING, m.COMPLETE)
        due_now.sort(key=lambda r: (r.status != m.RUNNING, r.step not in midway, r.id))
        if not due_now:
            return None
        relist = due_now[0]
        if relist.status == m.QUEUED and relist.step not in midway:
            if any(due(entry) <= now for entry in await self.waiting.queued(user_id)):
                return None  # drafts waiting to be published go first
            start, end = rules.day_bounds(now)
            done_today = await self.attempts.count_published(user_id, start, end)
            ready = max(account_ready(now, account), relist.retry_at or now)
            if rules.earliest(ready, {rules.local_day(now): done_today}) > now:
                return None
        elif account_ready(now, account) > now:
            return None
        try:
            checkout = await self.sessions.checkout(user_id)
        except SessionUnreadable:
            return None
        if checkout is None:
            return None  # the publishing queue tells the seller to connect
        dead = relist.owner is not None and owner_is_dead(relist.owner)
        if not await self.repo.claim(relist, self.owner, now + self.config.lease, dead=dead):
            return None
        heartbeat = asyncio.create_task(self._keep_lease(relist.id))
        try:
            return await self._steps(relist.id, checkout, rules)
        finally:
            heartbeat.cancel()
            with suppress(asyncio.CancelledError):
                await heartbeat
            with suppress(Exception):
                await self.repo.release(relist.id, self.owner)

    async def _keep_lease(self, relist_id: int) -> None:
        while True:
            await asyncio.sleep(self.config.lease.total_seconds() / 3)
            with suppress(Exception):
                await self.repo.renew(relist_id, self.owner, self._now() + self.config.lease)

    async def _steps(
        self, relist_id: int, checkout: Checkout, rules: AccountRules
    ) -> Relist | None:
        while True:
            relist = await self.repo.get(relist_id)
            if relist is None or relist.status != m.RUNNING or relist.owner != self.owner:
                return None
            draft = None if relist.draft_id is None else await self.drafts.get(relist.draft_id)
            if relist.step == m.COPY and draft is None:
                await self.repo.end(relist, self.owner, m.FAILED, "draft_deleted")
                return await self.repo.get(relist_id)
            try:
                outcome = await self._step(relist, draft, checkout, rules)
            except _Wait:
                await self._later(relist, draft, "lookup_failed")
                return None
            if outcome is not None:
                await self._failed(relist, draft, outcome)
                return await self.repo.get(relist_id)
            if relist.step == m.COMPLETE:
                return await self.repo.get(relist_id)
            # Each run rotates the cookies: the next step starts from what this one left.
            with suppress(SessionUnreadable):
                checkout = await self.sessions.checkout(relist.user_id) or checkout

    async def _step(
        self, relist: Relist, draft: Draft | None, checkout: Checkout, rules: AccountRules
    ) -> Outcome | None:
        """Run the relist's current step; None when it moved on (or ended gone / done)."""
        cookies = cookie_list(checkout.cookies)
        writer = self.sessions.writer(relist.user_id, checkout)
        account = await self.sessions.account_id(relist.user_id)
        if relist.step == m.COPY:
            assert draft is not None
            return await self._copy(relist, draft, checkout)
        if relist.step == m.DELETE:
            seen = await self.marketplace.read_wardrobe(cookies, account, on_cookies=writer)
            if isinstance(seen, Outcome):
                return seen
            if not any(item.id == relist.old_item_id and not item.is_draft for item in seen):
                # Sold or removed since it was offered: never relisted; the copy goes.
                if relist.copy_id is not None:
                    gone = await self.marketplace.delete_draft(
                        cookies, relist.copy_id, on_cookies=writer
                    )
                    if gone is not None:
                        return gone
                await self.repo.end(relist, self.owner, m.GONE)
                await self._tell(relist, draft, "gone")
                return None
            await self.repo.advance(relist, self.owner, m.DELETING)
            return None
        if relist.step == m.DELETING:
            refused = await self.marketplace.delete_listing(
                cookies, account, relist.old_item_id, on_cookies=writer
            )
            if refused is not None:
                return refused
            await self.repo.advance(relist, self.owner, m.COMPLETE)
            return None
        assert relist.step == m.COMPLETE and relist.copy_id is not None
        exclude = (
            set(relist.known_items or ())
            | await self.attempts.linked_items(relist.user_id)
            | await self.repo.linked_items(relist.user_id)
        ) - {relist.copy_id}
        query = ListingQuery(
            title=draft.title if draft else "",
            price=relist.price,
            photo_count=len(draft.photo_ids) if draft else 0,
            exclude=frozenset(exclude),
        )
        done = await self.marketplace.complete_draft(
            cookies, account, relist.copy_id, query, on_cookies=writer
        )
        item_id = getattr(done, "item_id", None)
        if done.kind != "published" or item_id is None:
            return done
        url = getattr(done, "url", None) or self.marketplace.listing_url(item_id)
        not_before = self._now() + rules.next_interval(self._rng)
        if await self.repo.finish(relist, self.owner, item_id, url, not_before):
            ended = await self.repo.get(relist.id)
            if ended is not None:
                await self._tell_done(ended)
        return None

    async def _copy(self, relist: Relist, draft: Draft, checkout: Checkout) -> Outcome | None:
        if relist.copy_id is None and relist.known_items is not None:
            found = await self._look_for_copy(relist, draft, checkout)
            if found:
                await self.repo.advance(relist, self.owner, m.DELETE, copy_id=found)
                return None
        priced = _at_price(draft, relist.price)
        footer = (await self.rules(draft.user_id)).footer  # the seller's, as it is now
        try:
            category = await self.catalogs.choice_for(draft)
            if category is None:
                raise ListingInvalid("category", "the marketplace's category is not known")
            photos = await self.photos.get_photos(draft.photo_ids, draft.user_id)
            form = self.marketplace.form_for(
                priced, photos, self.config.data_dir, category, footer
            )
        except ListingInvalid as exc:
            await self.repo.end(relist, self.owner, m.FAILED, f"{exc.field}: {exc}")
            await self._tell(relist, draft, "failed", "field_rejected", str(exc))
            return None

        async def on_known(item_ids: list[int]) -> None:
            await self.repo.advance(relist, self.owner, m.COPY, known_items=item_ids)

        async def on_created(copy_id: int) -> None:
            await self.repo.advance(relist, self.owner, m.DELETE, copy_id=copy_id)

        writer = self.sessions.writer(relist.user_id, checkout)
        result = await self.marketplace.publish(
            cookie_list(checkout.cookies),
            form,
            mode="draft",
            on_created=on_created,
            on_known=on_known,
            on_cookies=writer,
        )
        await writer.keep(result.cookies)
        copy_id = getattr(result.outcome, "draft_id", None)
        if result.outcome.kind == "saved_as_draft" and copy_id is not None:
            await self.repo.advance(relist, self.owner, m.DELETE, copy_id=copy_id)
            return None
        if result.maybe_created:
            raise _Wait  # the copy may exist: look for it before sending it again
        return result.outcome

    async def _look_for_copy(self, relist: Relist, draft: Draft, checkout: Checkout) -> int:
        """Return the copy a killed run saved (0 if surely none); _Wait when it cannot tell."""
        exclude = (
            set(relist.known_items or ())
            | await self.attempts.linked_items(relist.user_id)
            | await self.repo.linked_items(relist.user_id)
        )
        query = ListingQuery(
            title=draft.title,
            price=relist.price,
            photo_count=len(draft.photo_ids),
            is_draft=True,
            exclude=frozenset(exclude),
        )
        try:
            found = await self.marketplace.find_listing(
                cookie_list(checkout.cookies),
                await self.sessions.account_id(relist.user_id),
                query,
                on_cookies=self.sessions.writer(relist.user_id, checkout),
            )
        except Exception as exc:  # the wardrobe could not be read, or two could be ours
            log.warning("relist %s: could not look for its copy: %s", relist.id, exc)
            raise _Wait from exc
        return found or 0

    # ---- when a step does not go through --------------------------------------------------

    async def _failed(self, relist: Relist, draft: Draft | None, outcome: Outcome) -> None:
        now = self._now()
        if outcome.pauses_account:
            paused = await self.repo.hold_account(relist.user_id, pause=outcome.kind)
            await self.repo.back_in_line(
                relist, self.owner, retry_at=None, failures=relist.failures, error=outcome.kind
            )
            if paused:
                await self.notifier.paused(relist.user_id, outcome.kind, outcome.screenshot)
            return
        if outcome.kind == "rate_limited":
            wait = getattr(outcome, "retry_after", None) or 0.0
            until = now + max(self.config.rate_limit_min, timedelta(seconds=wait))
            await self.repo.hold_account(relist.user_id, until=until)
            await self.repo.back_in_line(
                relist, self.owner, retry_at=until, failures=relist.failures, error=outcome.kind
            )
            return
        if outcome.transient or outcome.kind == "lookup_doubt":
            await self._later(relist, draft, outcome.kind)
            return
        # Refused for good. Before the old listing went, it stays as it was (the copy goes);
        # after, the copy waits in the seller's Vinted drafts, and the seller is told so.
        if relist.step in (m.COPY, m.DELETE):
            await self._drop_copy(relist)
        await self.repo.end(relist, self.owner, m.FAILED, outcome.kind)
        await self._tell(relist, draft, "failed", outcome.kind, outcome.describe())

    async def _later(self, relist: Relist, draft: Draft | None, kind: str) -> None:
        """Try again after the backoff; before the old listing goes, give up after the last."""
        failures = relist.failures + 1
        backoff = self.config.backoff
        if failures > len(backoff) and relist.step in (m.COPY, m.DELETE):
            await self._drop_copy(relist)
            await self.repo.end(relist, self.owner, m.FAILED, kind)
            await self._tell(relist, draft, "failed", kind, "")
            return
        wait = backoff[min(failures, len(backoff)) - 1]
        await self.repo.back_in_line(
            relist, self.owner, retry_at=self._now() + wait, failures=failures, error=kind
        )
        if failures == len(backoff) + 1:  # the old listing is down: say so once, keep trying
            await self._tell(relist, draft, "stuck", kind, "")

    async def _drop_copy(self, relist: Relist) -> None:
        """Delete the copy saved as a Vinted draft, best effort (it is not a live listing)."""
        if relist.copy_id is None:
            return
        with suppress(Exception):
            checkout = await self.sessions.checkout(relist.user_id)
            if checkout is not None:
                await self.marketplace.delete_draft(
                    cookie_list(checkout.cookies),
                    relist.copy_id,
                    on_cookies=self.sessions.writer(relist.user_id, checkout),
                )

    # ---- telling the seller ---------------------------------------------------------------

    async def _tell(
        self, relist: Relist, draft: Draft | None, what: str, kind: str = "", detail: str = ""
    ) -> None:
        with suppress(Exception):  # a message that cannot go out never undoes a step
            await self.notifier.relist_news(relist, draft, what, kind, detail)

    async def _tell_done(self, relist: Relist) -> None:
        draft = None if relist.draft_id is None else await self.drafts.get(relist.draft_id)
        url = self.marketplace.listing_url(relist.new_item_id or 0)
        try:
            await self.notifier.relisted(relist, draft, url)
        except Exception:
            log.warning("could not tell relist %s; told after the next start", relist.id)
            return
        await self.repo.mark_told(relist.id)


def _at_price(draft: Draft, price: float) -> Draft:
    """The draft as it goes out again: the new price, inside its range."""
    current = draft.price
    if current is None:
        return draft.model_copy(update={"price": Price(min=price, target=price, max=price)})
    new = Price(
        min=min(current.min, price),
        target=price,
        max=max(current.max, price),
        currency=current.currency,
    )
    return draft.model_copy(update={"price": new})
