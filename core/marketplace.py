"""The marketplace port: what publishing needs from a marketplace, and how a run ends.

A marketplace adapter (core.vinted implements it for Vinted) checks a seller's session, reads
the site's catalog, maps a draft to its upload form, publishes the form (or saves it as a
marketplace draft), finds a listing again after a crash, and names a listing's URL. Every run
ends in a typed outcome: `kind` is a stable string for storage and routing, `transient` says a
plain retry later may work, `pauses_account` says the seller must act first (captcha, login,
verification). Rate limits are neither: the queue backs off, honouring `retry_after`.

A second marketplace (Leboncoin, eBay...) is a new package beside core/vinted/ implementing
`Marketplace`, wired in core/services.py; nothing else changes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol

from core.drafts.models import Draft
from core.intake.models import Photo
from core.market.models import MarketQuery, MarketRead

Cookies = list[dict[str, Any]]
CookieSink = Callable[[Cookies], Awaitable[None]]
OnCreated = Callable[[int], Awaitable[None]]
KnownSink = Callable[[list[int]], Awaitable[None]]
MODES = ("publish", "draft", "dry_run")


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """The end of one publisher run."""

    kind: ClassVar[str] = ""
    success: ClassVar[bool] = False
    transient: ClassVar[bool] = False
    pauses_account: ClassVar[bool] = False

    step: str = ""
    screenshot: Path | None = None

    def describe(self) -> str:
        """Return one line for logs and the seller's error message."""
        return self.kind


@dataclass(frozen=True)
class Published(Outcome):
    """The create call answered with the new item's id: the listing is live."""

    kind: ClassVar[str] = "published"
    success: ClassVar[bool] = True

    item_id: int
    url: str

    def describe(self) -> str:
        return f"published item {self.item_id}: {self.url}"


@dataclass(frozen=True)
class SavedAsDraft(Outcome):
    """The marketplace saved the listing as one of the seller's drafts."""

    kind: ClassVar[str] = "saved_as_draft"
    success: ClassVar[bool] = True

    draft_id: int

    def describe(self) -> str:
        return f"saved as marketplace draft {self.draft_id}"


@dataclass(frozen=True)
class DryRunDone(Outcome):
    """Every field was filled and checked; nothing was sent."""

    kind: ClassVar[str] = "dry_run"
    success: ClassVar[bool] = True


@dataclass(frozen=True)
class CaptchaRequired(Outcome):
    """DataDome asks for a captcha: never solved silently, the seller must look."""

    kind: ClassVar[str] = "captcha"
    pauses_account: ClassVar[bool] = True

    def describe(self) -> str:
        return f"the marketplace asks for a captcha ({self.step})"


@dataclass(frozen=True)
class SessionExpired(Outcome):
    """The cookies no longer sign the seller in (logged out, or a refresh that never ends)."""

    kind: ClassVar[str] = "session_expired"
    pauses_account: ClassVar[bool] = True

    detail: str = ""

    def describe(self) -> str:
        return f"the session has expired ({self.detail or self.step})"


@dataclass(frozen=True)
class VerificationRequired(Outcome):
    """The marketplace sends the seller to verify the account (phone, e-mail)."""

    kind: ClassVar[str] = "verification"
    pauses_account: ClassVar[bool] = True

    url: str = ""

    def describe(self) -> str:
        return f"the marketplace asks the seller to verify the account: {self.url}"


@dataclass(frozen=True)
class RateLimited(Outcome):
    """The site answered 429 / too many requests; `retry_after` in seconds when it said."""

    kind: ClassVar[str] = "rate_limited"

    retry_after: float | None = None

    def describe(self) -> str:
        wait = f", retry after {self.retry_after:g} s" if self.retry_after is not None else ""
        return f"the marketplace rate-limits this account{wait}"


@dataclass(frozen=True)
class FieldRejected(Outcome):
    """A field was refused, by the form or by our own read-back; the seller must edit it."""

    kind: ClassVar[str] = "field_rejected"

    field: str
    message: str
    # The message is the site's own words (shown to the seller); ours stay in the log.
    said_by_site: bool = False

    def describe(self) -> str:
        return f"{self.field}: {self.message}"


@dataclass(frozen=True)
class PageChanged(Outcome):
    """A step's element was not found in time: the page changed, or the site has a bad day."""

    kind: ClassVar[str] = "page_changed"
    transient: ClassVar[bool] = True

    step: str = ""  # positional first, as in PageChanged("category", "#catalog-16")
    selector: str = ""

    def describe(self) -> str:
        return f"step {self.step!r}: {self.selector} not found"


@dataclass(frozen=True)
class NetworkFailure(Outcome):
    """The browser could not reach the site, or the run broke unexpectedly."""

    kind: ClassVar[str] = "network"
    transient: ClassVar[bool] = True

    detail: str = ""

    def describe(self) -> str:
        return f"network failure at {self.step!r}: {self.detail}"


@dataclass(frozen=True)
class BrowserFailed(Outcome):
    """The browser would not start or open a session (missing, crashed, out of memory)."""

    kind: ClassVar[str] = "browser"
    transient: ClassVar[bool] = True

    detail: str = ""

    def describe(self) -> str:
        return f"the browser failed: {self.detail}"


@dataclass(frozen=True)
class Timeout(Outcome):
    """The site did not answer in time (the create call, a page load)."""

    kind: ClassVar[str] = "timeout"
    transient: ClassVar[bool] = True

    detail: str = ""

    def describe(self) -> str:
        return f"timeout at {self.step!r}: {self.detail}"


@dataclass(frozen=True)
class LookupDoubt(Outcome):
    """More than one listing on the wardrobe could be ours: the look-up cannot tell."""

    kind: ClassVar[str] = "lookup_doubt"

    detail: str = ""

    def describe(self) -> str:
        return f"several listings could be ours: {self.detail}"


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
    ) -> ListingForm:
        """Map a draft, its photos (cover first) and its category to the upload form.

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

    def listing_url(self, item_id: int) -> str:
        """Return the public URL of a listing."""

    async def health_check(
        self, cookies: Cookies, *, on_cookies: CookieSink | None = None
    ) -> HealthReport:
        """Check that the upload page still has everything publishing needs; publish nothing."""

    async def close(self) -> None:
        """Let go of the browser (or any other resource)."""
