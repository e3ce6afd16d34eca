"""A seller's marketplace account: connect with pasted cookies, check it, check the page."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from core.accounts.cookies import Cookie, keep_http_only, parse_cookies
from core.accounts.sessions import SessionVault
from core.accounts.vault import SessionUnreadable
from core.catalogs.service import CatalogService
from core.drafts.repository import DraftRepository
from core.intake.repository import BatchRepository
from core.marketplace import (
    HealthReport,
    ListingInvalid,
    Marketplace,
    Outcome,
    PublishResult,
    SessionInfo,
)

log = logging.getLogger(__name__)


class NotConnected(Exception):
    """The seller has no session stored."""


@dataclass(frozen=True)
class Connected:
    username: str
    account_id: int


class AccountService:
    """Connect, check and forget sellers' marketplace sessions."""

    def __init__(
        self,
        sessions: SessionVault,
        marketplace: Marketplace,
        drafts: DraftRepository,
        photos: BatchRepository,
        catalogs: CatalogService,
        *,
        base_url: str,
        data_dir: Path,
    ) -> None:
        self.sessions = sessions
        self.marketplace = marketplace
        self.drafts = drafts
        self.photos = photos
        self.catalogs = catalogs
        self.base_url = base_url
        self.data_dir = data_dir

    async def connect(self, user_id: int, pasted: str) -> Connected | Outcome:
        """Read the pasted cookies, check who they sign in, and store them encrypted.

        Raises CookieFormatError when the text is no cookie format we know. Returns the
        marketplace's outcome (logged out, captcha...) when it does not accept them; nothing
        is stored then.
        """
        cookies = parse_cookies(pasted, self.base_url, self.marketplace.login_cookies)
        async with self.sessions.account_lock(user_id):
            return await self._connect(user_id, cookies)

    async def _connect(self, user_id: int, cookies: list[Cookie]) -> Connected | Outcome:
        try:
            known = await self.sessions.load(user_id) or []
        except SessionUnreadable:
            known = []
        cookies = keep_http_only(cookies, known)
        found = await self.marketplace.check_session(list(map(dict, cookies)))
        if not isinstance(found, SessionInfo):
            log.info("user %s: session refused (%s)", user_id, found.kind)
            return found
        await self.sessions.save(
            user_id, found.cookies, username=found.login, account_id=str(found.user_id)
        )
        # The site's own category tree, read through this session: each open draft gets its
        # leaf in it now, so publishing later clicks the right one.
        if await self.catalogs.refresh(user_id):
            await self.catalogs.resolve_open(user_id)
        return Connected(username=found.login, account_id=found.user_id)

    async def check_page(self, user_id: int) -> HealthReport:
        """Open the upload page with the seller's session and check everything we need."""
        async with self.sessions.account_lock(user_id):
            checkout = await self.sessions.checkout(user_id)  # raises SessionUnreadable
            if checkout is None:
                raise NotConnected()
            report = await self.marketplace.health_check(
                list(map(dict, checkout.cookies)),
                on_cookies=self.sessions.writer(user_id, checkout),
            )
        if report.missing:
            log.warning("the upload page changed: missing %s", ", ".join(report.missing))
        return report

    async def dry_run(self, user_id: int, draft_id: int) -> PublishResult | None:
        """Fill the form with the draft and stop before publishing; None if no such draft.

        Raises NotConnected, SessionUnreadable, or ListingInvalid when a field is missing.
        """
        draft = await self.drafts.get(draft_id, user_id=user_id)
        if draft is None:
            return None
        photos = await self.photos.get_photos(draft.photo_ids, user_id)
        category = await self.catalogs.choice_for(draft)
        if category is None:
            raise ListingInvalid("category", "the marketplace's category is still to choose")
        form = self.marketplace.form_for(draft, photos, self.data_dir, category)
        async with self.sessions.account_lock(user_id):  # never beside a publish on it
            checkout = await self.sessions.checkout(user_id)
            if checkout is None:
                raise NotConnected()
            return await self.marketplace.publish(
                list(map(dict, checkout.cookies)),
                form,
                mode="dry_run",
                on_cookies=self.sessions.writer(user_id, checkout),
            )

    async def disconnect(self, user_id: int) -> bool:
        return await self.sessions.delete(user_id)
