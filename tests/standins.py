"""Stand-ins for what lies outside the queue: the marketplace (Vinted's adapter) and the chat.

The stand-in marketplace keeps each seller's wardrobe and follows a script of mishaps; it
maps drafts to forms with the real Vinted mapping, so what it receives is what Vinted would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from core.accounts.sessions import SessionVault
from core.catalog import get_category
from core.catalogs.resolver import resolve
from core.drafts.models import Draft, DraftStatus
from core.intake.models import Photo
from core.market.models import MarketQuery, MarketRead
from core.marketplace import (
    CatalogNode,
    CategoryChoice,
    Cookies,
    DraftMissing,
    HealthReport,
    ListingLookupFailed,
    ListingQuery,
    NetworkFailure,
    Outcome,
    Published,
    PublishResult,
    WardrobeListing,
)
from core.vinted.mapping import form_for
from core.vinted.publisher import ListingToPublish
from tests.fakes.vinted import SITES
from tests.fakes.vinted.catalog import CatalogNode as ReplicaNode

SELLER = 111
OTHER = 222
THIRD = 333
VINTED_IDS = {SELLER: 9111, OTHER: 9222, THIRD: 9333}
BASE = "https://www.vinted.fr"

OnCreated = Callable[[int], Awaitable[None]] | None

Step = Callable[["StandInVinted", Cookies, ListingToPublish, OnCreated], Awaitable[PublishResult]]


class StandInVinted:
    """Stands in for the browser publisher: each seller's wardrobe, and a script of mishaps."""

    def __init__(self) -> None:
        self.wardrobe: dict[int, list[tuple[int, str]]] = {}  # Vinted member -> items
        self.script: list[Step] = []  # what the next runs do; then every run publishes
        self.listings: list[ListingToPublish] = []  # what each run was asked to publish
        self.modes: list[str] = []
        self.lookups: list[tuple[int, str]] = []
        self.gate: asyncio.Event | None = None  # when set, runs wait for it
        self.started = asyncio.Event()
        self.running = 0
        self.most_at_once = 0
        self._next_item = 5000
        self.catalog_reads = 0
        self.market: MarketRead | Outcome = MarketRead()  # what a market read answers
        self.market_reads: list[MarketQuery] = []
        self.late: set[int] = set()  # created, not shown by the wardrobe's first look-up
        self.lookups_fail = False
        self.health_checks = 0
        self.checked = asyncio.Event()  # the wardrobe cannot be read (captcha, browser down)

    async def publish(
        self,
        cookies: Cookies,
        listing: ListingToPublish,
        *,
        mode: str = "publish",
        on_created: OnCreated = None,
        on_known: Callable[[list[int]], Awaitable[None]] | None = None,
        on_cookies: Callable[[Cookies], Awaitable[None]] | None = None,
    ) -> PublishResult:
        self.listings.append(listing)
        if on_known is not None:  # what is on the wardrobe just before the form is sent
            member = next((int(c["value"]) for c in cookies if c["name"] == "v_uid"), 0)
            await on_known([item for item, _ in self.wardrobe.get(member, [])])
        self.modes.append(mode)
        step = self.script.pop(0) if self.script else create
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        try:
            self.started.set()
            if self.gate is not None:
                await self.gate.wait()
            result = await step(self, cookies, listing, on_created)
        finally:
            self.running -= 1
        if on_cookies is not None:  # as the real one does when its browser context closes
            await on_cookies(result.cookies)
        return result

    async def find_listing(
        self,
        cookies: Cookies,
        account_id: str | None,
        query: ListingQuery,
        *,
        on_cookies: Callable[[Cookies], Awaitable[None]] | None = None,
    ) -> int | None:
        assert account_id is not None, "connect stores the member id"
        member = int(account_id)
        self.lookups.append((member, query.title))
        if self.lookups_fail:
            raise ListingLookupFailed(NetworkFailure(step="wardrobe", detail="unreachable"))
        found = next(
            (
                i
                for i, t in self.wardrobe.get(member, [])
                if t == query.title and i not in query.exclude
            ),
            None,
        )
        if found in self.late:
            self.late.discard(found)  # shown from the next look-up on
            return None
        return found

    async def read_wardrobe(
        self, cookies: Cookies, account_id: str | None, **_: object
    ) -> list[WardrobeListing]:
        member = int(account_id or 0)
        return [WardrobeListing(i, t, None, False) for i, t in self.wardrobe.get(member, [])]

    async def delete_listing(
        self, cookies: Cookies, account_id: str | None, item_id: int, **_: object
    ) -> None:
        member = int(account_id or 0)
        self.wardrobe[member] = [(i, t) for i, t in self.wardrobe.get(member, []) if i != item_id]

    async def complete_draft(self, *_: object, **__: object) -> Outcome:
        return DraftMissing(step="complete_draft")  # this stand-in keeps no marketplace drafts

    async def delete_draft(self, *_: object, **__: object) -> None:
        return None

    # The rest of the marketplace port, as Vinted's adapter has it.
    name = "vinted"
    login_cookies = ("access_token_web", "refresh_token_web")

    async def read_catalog(
        self, cookies: Cookies, *, on_cookies: Callable[[Cookies], Awaitable[None]] | None = None
    ) -> list[CatalogNode]:
        self.catalog_reads += 1
        return site_tree()

    async def read_market(
        self,
        cookies: Cookies,
        query: MarketQuery,
        *,
        on_cookies: Callable[[Cookies], Awaitable[None]] | None = None,
    ) -> MarketRead | Outcome:
        self.market_reads.append(query)
        return self.market

    def form_for(
        self,
        draft: Draft,
        photos: list[Photo],
        data_dir: Path,
        category: CategoryChoice,
        footer: Sequence[str] = (),
    ) -> ListingToPublish:
        return form_for(draft, photos, data_dir, category, footer)

    def listing_url(self, item_id: int) -> str:
        return f"{BASE}/items/{item_id}"

    async def health_check(
        self, cookies: Cookies, *, on_cookies: Callable[[Cookies], Awaitable[None]] | None = None
    ) -> HealthReport:
        self.health_checks += 1
        self.checked.set()
        self.most_at_once = max(self.most_at_once, self.running + 1)
        if on_cookies is not None:
            await on_cookies(rotated(cookies, f"token-after-check-{self.health_checks}"))
        return HealthReport(ok=True, missing=[], cookies=list(cookies))

    async def close(self) -> None:
        return None

    def create(self, cookies: Cookies, listing: ListingToPublish) -> int:
        member = int(next(c["value"] for c in cookies if c["name"] == "v_uid"))
        self._next_item += 1
        self.wardrobe.setdefault(member, []).append((self._next_item, listing.title))
        return self._next_item

    def items(self) -> list[str]:
        return [title for items in self.wardrobe.values() for _, title in items]


def rotated(cookies: Cookies, token: str) -> Cookies:
    """Return the cookies with a new access token, as Vinted hands out on a page load."""
    return [{**c, "value": token} if c["name"] == "access_token_web" else dict(c) for c in cookies]


async def create(
    vinted: StandInVinted, cookies: Cookies, listing: ListingToPublish, on_created: OnCreated
) -> PublishResult:
    item_id = vinted.create(cookies, listing)
    if on_created is not None:
        await on_created(item_id)
    outcome = Published(item_id=item_id, url=f"{BASE}/items/{item_id}-x", step="done")
    return PublishResult(outcome, rotated(cookies, f"token-after-{item_id}"), step="done")


def answer(outcome: Outcome) -> Step:
    """A run that ends with this outcome (nothing created)."""

    async def step(
        vinted: StandInVinted, cookies: Cookies, listing: ListingToPublish, on: OnCreated
    ) -> PublishResult:
        return PublishResult(outcome, rotated(cookies, f"token-after-{outcome.kind}"))

    return step


def crash(*, creates: bool, reports_id: bool, shows_late: bool = False) -> Step:
    """A run where the browser dies, after or before Vinted created the listing."""

    async def step(
        vinted: StandInVinted, cookies: Cookies, listing: ListingToPublish, on: OnCreated
    ) -> PublishResult:
        if creates:
            item_id = vinted.create(cookies, listing)
            if shows_late:
                vinted.late.add(item_id)
            if reports_id and on is not None:
                await on(item_id)
        raise RuntimeError("Target page, context or browser has been closed")

    return step


def hang_after_create(reached: asyncio.Event) -> Step:
    """A run that creates the listing, reports its id, then never returns."""

    async def step(
        vinted: StandInVinted, cookies: Cookies, listing: ListingToPublish, on: OnCreated
    ) -> PublishResult:
        item_id = vinted.create(cookies, listing)
        assert on is not None
        await on(item_id)
        reached.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    return step


class SellerChat:
    """Stands in for the Telegram notifier: what each seller is told, in order."""

    def __init__(self) -> None:
        self.said: list[tuple[Any, ...]] = []
        self.started: list[tuple[int | None, DraftStatus]] = []  # cards shown as publishing
        self.unreachable = False

    async def publishing(self, draft: Draft) -> None:
        self.started.append((draft.id, draft.status))

    async def published(self, draft: Draft, url: str | None) -> None:
        if self.unreachable:  # the bot stopped (or Telegram failed) between storing and telling
            raise ConnectionError("Telegram unreachable")
        self.said.append(("published", draft.id, url, draft.status))

    async def failed(
        self, draft: Draft, reason_kind: str, detail: str, screenshot: Path | None
    ) -> None:
        self.said.append(("failed", draft.id, reason_kind, detail, screenshot))

    async def paused(self, user_id: int, reason_kind: str, screenshot: Path | None) -> None:
        self.said.append(("paused", user_id, reason_kind, screenshot))

    async def retrying(self, draft: Draft, when: datetime, reason_kind: str) -> None:
        self.said.append(("retrying", draft.id, when))

    def kinds(self) -> list[str]:
        return [entry[0] for entry in self.said]


def login_cookies(user_id: int, token: str = "token-0") -> Cookies:
    domain = ".vinted.fr"
    return [
        {"name": "access_token_web", "value": token, "domain": domain, "path": "/"},
        {
            "name": "refresh_token_web",
            "value": f"refresh-{user_id}",
            "domain": domain,
            "path": "/",
        },
        {"name": "v_uid", "value": str(VINTED_IDS[user_id]), "domain": domain, "path": "/"},
    ]


async def connect(vault: SessionVault, user_id: int = SELLER) -> None:
    """The seller pastes their Vinted cookies (what /connect does)."""
    await vault.save(
        user_id,
        login_cookies(user_id),
        username=f"seller{user_id}",
        account_id=str(VINTED_IDS[user_id]),
    )


def site_tree(site: str = "fr") -> list[CatalogNode]:
    """Return a site's tree as the replica serves it (vinted.fr by default)."""
    return [_node(root) for root in SITES[site].catalog.roots]


def _node(node: ReplicaNode) -> CatalogNode:
    return CatalogNode(node.id, node.title, tuple(_node(c) for c in node.children))


def leaf_of(category_id: str) -> CategoryChoice:
    """Return our category's leaf in the site's tree (what the catalogs service resolves)."""
    category = get_category(category_id)
    assert category is not None
    found = resolve(site_tree(), category)
    assert found.sure and found.choice is not None, category_id
    return found.choice
