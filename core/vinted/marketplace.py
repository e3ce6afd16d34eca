"""Vinted behind the marketplace port: the browser publisher plus Vinted's own terms."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from core.drafts.models import Draft
from core.intake.models import Photo
from core.market.models import MarketQuery, MarketRead
from core.marketplace import (
    CatalogNode,
    CategoryChoice,
    Cookies,
    CookieSink,
    HealthReport,
    KnownSink,
    ListingQuery,
    OnCreated,
    Outcome,
    PublishResult,
    SessionInfo,
    WardrobeListing,
)
from core.vinted import selectors as sel
from core.vinted.listing import ListingToPublish
from core.vinted.mapping import form_for, sample_category
from core.vinted.publisher import VintedPublisher

NAME = "vinted"


class VintedMarketplace:
    """Publish on a Vinted site (vinted.fr, .de, .co.uk...) through the seller's session."""

    name = NAME
    login_cookies = sel.LOGIN_COOKIES

    def __init__(self, publisher: VintedPublisher) -> None:
        self.publisher = publisher
        self.base_url = publisher.base_url

    async def check_session(
        self, cookies: Cookies, *, on_cookies: CookieSink | None = None
    ) -> SessionInfo | Outcome:
        return await self.publisher.check_session(cookies, on_cookies=on_cookies)

    async def read_catalog(
        self, cookies: Cookies, *, on_cookies: CookieSink | None = None
    ) -> list[CatalogNode] | Outcome:
        return await self.publisher.read_catalog(cookies, on_cookies=on_cookies)

    async def read_market(
        self, cookies: Cookies, query: MarketQuery, *, on_cookies: CookieSink | None = None
    ) -> MarketRead | Outcome:
        return await self.publisher.read_market(cookies, query, on_cookies=on_cookies)

    def form_for(
        self,
        draft: Draft,
        photos: Sequence[Photo],
        data_dir: Path,
        category: CategoryChoice,
        footer: Sequence[str] = (),
    ) -> ListingToPublish:
        return form_for(draft, photos, data_dir, category, footer)

    async def publish(
        self,
        cookies: Cookies,
        form: Any,
        *,
        mode: str = "publish",
        on_created: OnCreated | None = None,
        on_known: KnownSink | None = None,
        on_cookies: CookieSink | None = None,
    ) -> PublishResult:
        return await self.publisher.publish(
            cookies,
            form,
            mode=mode,
            on_created=on_created,
            on_known=on_known,
            on_cookies=on_cookies,
        )

    async def find_listing(
        self,
        cookies: Cookies,
        account_id: str | None,
        query: ListingQuery,
        *,
        on_cookies: CookieSink | None = None,
    ) -> int | None:
        member = _member(account_id, cookies)
        return await self.publisher.find_listing(cookies, member, query, on_cookies=on_cookies)

    async def read_wardrobe(
        self, cookies: Cookies, account_id: str | None, *, on_cookies: CookieSink | None = None
    ) -> list[WardrobeListing] | Outcome:
        member = _member(account_id, cookies)
        return await self.publisher.read_wardrobe(cookies, member, on_cookies=on_cookies)

    async def delete_listing(
        self,
        cookies: Cookies,
        account_id: str | None,
        item_id: int,
        *,
        on_cookies: CookieSink | None = None,
    ) -> Outcome | None:
        member = _member(account_id, cookies)
        return await self.publisher.delete_listing(cookies, member, item_id, on_cookies=on_cookies)

    async def complete_draft(
        self,
        cookies: Cookies,
        account_id: str | None,
        draft_id: int,
        query: ListingQuery,
        *,
        on_cookies: CookieSink | None = None,
    ) -> Outcome:
        member = _member(account_id, cookies)
        return await self.publisher.complete_draft(
            cookies, member, draft_id, query, on_cookies=on_cookies
        )

    async def delete_draft(
        self, cookies: Cookies, draft_id: int, *, on_cookies: CookieSink | None = None
    ) -> Outcome | None:
        return await self.publisher.delete_draft(cookies, draft_id, on_cookies=on_cookies)

    def listing_url(self, item_id: int) -> str:
        return self.base_url + sel.item_path(item_id)

    async def health_check(
        self, cookies: Cookies, *, on_cookies: CookieSink | None = None
    ) -> HealthReport:
        return await self.publisher.health_check(
            cookies, sample=sample_category(), on_cookies=on_cookies
        )

    async def close(self) -> None:
        await self.publisher.close()


def _member(account_id: str | None, cookies: Cookies) -> int:
    member = _member_id(account_id, cookies)
    if member is None:
        raise LookupError("unknown Vinted member: cannot read the wardrobe")
    return member


def _member_id(account_id: str | None, cookies: Cookies) -> int | None:
    """Return the Vinted member the session signs in as: stored at connect, or its v_uid."""
    if account_id and account_id.isdigit():
        return int(account_id)
    for cookie in cookies:
        if cookie.get("name") == sel.USER_ID_COOKIE:
            with contextlib.suppress(TypeError, ValueError):
                return int(cookie.get("value", ""))
    return None
