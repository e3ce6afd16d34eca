"""The marketplace port: what publishing needs from a marketplace, and how a run ends.

A marketplace adapter (core.vinted implements it for Vinted) checks a seller's session, reads
the site's catalog, maps a draft to its upload form, publishes the form (or saves it as a
marketplace draft), finds a listing again after a crash, and names a listing's URL. Every run
ends in a typed outcome: `kind` is a stable string for storage and routing, `transient` says a
plain retry later may work, `pauses_account` says the seller must act first (captcha, login,
verification). Rate limits are neither: the queue backs off, honouring `retry_after`.

Listings already made are read back from the seller's wardrobe, deleted, and relisted
draft-first (save a copy as a marketplace draft, delete the old listing, complete the draft).

A second marketplace (Leboncoin, eBay...) is a new package beside core/vinted/ implementing
`Marketplace`, wired in core/services.py; nothing else changes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from core.drafts.models import Draft
from core.intake.models import Photo
from core.market.models import MarketQuery, MarketRead
from core.outcomes import (
    BrowserFailed,
    CaptchaRequired,
    DraftMissing,
    DryRunDone,
    FieldRejected,
    LookupDoubt,
    NetworkFailure,
    Outcome,
    PageChanged,
    Published,
    RateLimited,
    SavedAsDraft,
    SessionExpired,
    Timeout,
    VerificationRequired,
)

Cookies = list[dict[str, Any]]
CookieSink = Callable[[Cookies], Awaitable[None]]
OnCreated = Callable[[int], Awaitable[None]]
KnownSink = Callable[[list[int]], Awaitable[None]]
MODES = ("publish", "draft", "dry_run")

__all__ = [
    "BrowserFailed",
    "CaptchaRequired",
    "DraftMissing",
    "DryRunDone",
    "FieldRejected",
    "LookupDoubt",
    "NetworkFailure",
    "Outcome",
    "PageChanged",
    "Published",
    "RateLimited",
    "SavedAsDraft",
    "SessionExpired",
    "Timeout",
    "VerificationRequired",
]


@dataclass(frozen=True)
class PublishResult:
    """What publish() did, with the cookies to save (rotated tokens included).

    `maybe_created` is True when a create call left the browser without a definite answer
    (a crash, a timeout): the listing may exist, so reconcile with find_listing before a retry.
    """

    outcome: Outcome
    cookies: Cookies
    step: str = ""
    screenshot: Path | None = None
    notes: list[str] = field(default_factory=list)
    maybe_created: bool = False
    typing_seconds: float = 0.0  # of the run's time, what went on typing like a person
    # Fields the marketplace's own list did not offer, left empty there: field -> our value
    # ("brand", "colours", "material"). The seller is told; nothing else was changed.
    left_out: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SessionInfo:
    """Who the cookies sign in, and the cookies as they stand after the check."""

    user_id: int
    login: str
    cookies: Cookies


@dataclass(frozen=True)
class HealthReport:
    """Whether every selector the publisher needs is on the upload page."""

    ok: bool
    missing: list[str] = field(default_factory=list)
    outcome: Outcome | None = None  # set when the page could not be checked (captcha, login)
    cookies: Cookies = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    screenshot: Path | None = None


class ListingLookupFailed(Exception):
    """find_listing could not read the wardrobe, so "not found" would be a guess."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.describe())
        self.outcome = outcome


# ---- what the marketplace is given ------------------------------------------------------------


class ListingInvalid(ValueError):
    """The draft lacks something the form needs; `field` names it."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


class ListingForm(Protocol):
    """A draft mapped to one marketplace's upload form (each adapter has its own)."""

    @property
    def title(self) -> str: ...

    @property
    def price(self) -> float: ...

    @property
    def photos(self) -> list[Path]: ...


@dataclass(frozen=True)
class CatalogNode:
    """One category of the marketplace's own tree; a leaf has no children."""

    id: int
    title: str
    children: tuple[CatalogNode, ...] = ()


@dataclass(frozen=True)
class CategoryChoice:
    """A leaf of the site's tree for a draft: its ids and titles, root first."""

    ids: tuple[int, ...]
    titles: tuple[str, ...]

    @property
    def leaf_id(self) -> int:
        return self.ids[-1]


@dataclass(frozen=True)
class ListingQuery:
    """What identifies our listing on the seller's wardrobe after a crash.

    `exclude` holds the items that cannot be ours: known before the attempt was sent, or
    already linked to another draft.
    """

    title: str
    price: float
    photo_count: int
    is_draft: bool = False
    exclude: frozenset[int] = frozenset()


@dataclass(frozen=True)
class WardrobeListing:
    """One of the seller's listings (or marketplace drafts) as the wardrobe shows it now."""

    id: int
    title: str
    price: float | None
    is_draft: bool


# ---- the port ---------------------------------------------------------------------------------


class Marketplace(Protocol):
    """What the publishing queue and the seller's account need from a marketplace."""

    @property
    def name(self) -> str:
        """The key listings and sessions are stored under ("vinted")."""

    @property
    def login_cookies(self) -> tuple[str, ...]:
        """The cookies that carry a login: a pasted session needs one of them."""

    async def check_session(
        self, cookies: Cookies, *, on_cookies: CookieSink | None = None
    ) -> SessionInfo | Outcome:
        """Return who the cookies sign in, or why they do not."""

    async def read_catalog(
        self, cookies: Cookies, *, on_cookies: CookieSink | None = None
    ) -> list[CatalogNode] | Outcome:
        """Return the site's category tree as the seller's session sees it."""

    def form_for(
        self,
        draft: Draft,
        photos: Sequence[Photo],
        data_dir: Path,
        category: CategoryChoice,
        footer: Sequence[str] = (),
    ) -> ListingForm:
        """Map a draft, its photos (cover first) and its category to the upload form, the
        seller's footer after the description (once).

        Raise ListingInvalid when the draft lacks something the form needs.
        """

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
        """Fill the form and publish it, save it as a marketplace draft, or stop before.

        on_known(ids) is awaited just before the form is sent, with the listings already on
        the seller's wardrobe (none of them can be ours); on_created(item_id) as soon as the
        marketplace names the new item (or draft), before anything else happens: the caller
        stores both first.
        """

    async def find_listing(
        self,
        cookies: Cookies,
        account_id: str | None,
        query: ListingQuery,
        *,
        on_cookies: CookieSink | None = None,
    ) -> int | None:
        """Return the seller's listing that answers the query, None if surely absent.

        Raise ListingLookupFailed when it cannot tell: a guess of "absent" could publish twice.
        """

    async def read_market(
        self, cookies: Cookies, query: MarketQuery, *, on_cookies: CookieSink | None = None
    ) -> MarketRead | Outcome:
        """Return what sold like the item and the site's own price suggestion, or why not."""

    async def read_wardrobe(
        self, cookies: Cookies, account_id: str | None, *, on_cookies: CookieSink | None = None
    ) -> list[WardrobeListing] | Outcome:
        """Return every listing and marketplace draft on the seller's wardrobe, or why not."""

    async def delete_listing(
        self,
        cookies: Cookies,
        account_id: str | None,
        item_id: int,
        *,
        on_cookies: CookieSink | None = None,
    ) -> Outcome | None:
        """Delete a live listing; None once the wardrobe no longer shows it (already gone
        counts), else why it is still there. Safe to call again after a crash."""

    async def complete_draft(
        self,
        cookies: Cookies,
        account_id: str | None,
        draft_id: int,
        query: ListingQuery,
        *,
        on_cookies: CookieSink | None = None,
    ) -> Outcome:
        """Publish a marketplace draft: Published with the live item, or why not.

        Safe to call again after a crash: a draft already completed is found on the wardrobe
        (its id, or the one new listing answering `query`) instead of being sent twice.
        """

    async def delete_draft(
        self, cookies: Cookies, draft_id: int, *, on_cookies: CookieSink | None = None
    ) -> Outcome | None:
        """Delete a marketplace draft (gone already counts); None when done, else why not."""

    def listing_url(self, item_id: int) -> str:
        """Return the public URL of a listing."""

    async def health_check(
        self, cookies: Cookies, *, on_cookies: CookieSink | None = None
    ) -> HealthReport:
        """Check that the upload page still has everything publishing needs; publish nothing."""

    async def close(self) -> None:
        """Let go of the browser (or any other resource)."""
