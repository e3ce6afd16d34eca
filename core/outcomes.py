"""How a marketplace run ends: a typed outcome per kind (core.marketplace re-exports them).

`kind` is a stable string for storage and routing, `transient` says a plain retry later may
work, `pauses_account` says the seller must act first (captcha, login, verification). Rate
limits are neither: the queue backs off, honouring `retry_after`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar


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
class DraftMissing(Outcome):
    """The marketplace draft to complete is no longer there, nor a listing made from it."""

    kind: ClassVar[str] = "draft_missing"

    draft_id: int = 0

    def describe(self) -> str:
        return f"marketplace draft {self.draft_id} is gone"
