"""A seller's Vinted account: connect with pasted cookies, check it, check the upload page."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from core.catalog import categories
from core.publishing import listing_from_draft
from core.store import Store
from core.vault import SessionVault, parse_cookies
from core.vinted.outcomes import HealthReport, Outcome, PublishResult, SessionInfo
from core.vinted.publisher import VintedPublisher

log = logging.getLogger(__name__)


class NotConnected(Exception):
    """The seller has no Vinted session stored."""


@dataclass(frozen=True)
class Connected:
    username: str
    vinted_user_id: int


class AccountService:
    """Connect, check and forget sellers' Vinted sessions."""

    def __init__(
        self,
        store: Store,
        sessions: SessionVault,
        publisher: VintedPublisher,
        base_url: str,
        data_dir: Path,
    ) -> None:
        self.store = store
        self.sessions = sessions
        self.publisher = publisher
        self.base_url = base_url
        self.data_dir = data_dir

    async def connect(self, user_id: int, pasted: str) -> Connected | Outcome:
        """Read the pasted cookies, check who they sign in, and store them encrypted.

        Raises CookieFormatError when the text is no cookie format we know. Returns the
        publisher's outcome (logged out, captcha...) when Vinted does not accept them; nothing
        is stored then.
        """
        cookies = parse_cookies(pasted, self.base_url)
        found = await self.publisher.check_session(list(map(dict, cookies)))
        if not isinstance(found, SessionInfo):
            log.info("user %s: Vinted session refused (%s)", user_id, found.kind)
            return found
        await self.sessions.save(
            user_id, found.cookies, username=found.login, vinted_user_id=found.user_id
        )
        return Connected(username=found.login, vinted_user_id=found.user_id)

    async def check_page(self, user_id: int) -> HealthReport:
        """Open the upload page with the seller's session and check every selector we need."""
        cookies = await self.sessions.load(user_id)  # raises SessionUnreadable
        if cookies is None:
            raise NotConnected()
        report = await self.publisher.health_check(
            list(map(dict, cookies)), category_path=_sample_path()
        )
        if report.cookies:
            await self.sessions.update_cookies(user_id, report.cookies)
        if report.missing:
            log.warning("Vinted's upload page changed: missing %s", ", ".join(report.missing))
        return report

    async def dry_run(self, user_id: int, draft_id: int) -> PublishResult | None:
        """Fill Vinted's form with the draft and stop before publishing; None if no such draft.

        Raises NotConnected, SessionUnreadable, or ListingInvalid when a field is missing.
        """
        draft = await self.store.get_draft(draft_id, user_id=user_id)
        if draft is None:
            return None
        cookies = await self.sessions.load(user_id)
        if cookies is None:
            raise NotConnected()
        photos = await self.store.get_photos(draft.photo_ids)
        listing = listing_from_draft(draft, photos, self.data_dir)
        result = await self.publisher.publish(list(map(dict, cookies)), listing, mode="dry_run")
        if result.cookies:
            await self.sessions.update_cookies(user_id, result.cookies)
        return result

    async def disconnect(self, user_id: int) -> bool:
        return await self.sessions.delete(user_id)


def _sample_path() -> list[str]:
    """Return a category that shows every leaf-only field (size, condition, colours...)."""
    for category in categories():
        if category.price_key == "t-shirt":
            return category.path_fr
    return categories()[0].path_fr
