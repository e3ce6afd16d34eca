"""What the queue needs besides its tables: the marketplace, the sessions and the seller's ear."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Protocol

from core.accounts.sessions import Checkout, CookieWriter
from core.drafts.models import Draft
from core.marketplace import Marketplace

__all__ = ["Marketplace", "NotifierPort", "SessionPort"]


class SessionPort(Protocol):
    """The sellers' encrypted marketplace cookies (core.accounts.sessions.SessionVault)."""

    def account_lock(self, user_id: int) -> asyncio.Lock:
        """The one lock all browser work on the account runs under."""

    async def checkout(self, user_id: int) -> Checkout | None:
        """The cookies to start a run from, with their lineage; raises SessionUnreadable."""

    def writer(self, user_id: int, checkout: Checkout) -> CookieWriter:
        """The sink a run's cookies go to, written only onto the lineage it started from."""

    async def account_id(self, user_id: int) -> str | None: ...

    async def connected_users(self) -> list[int]:
        """The sellers with a stored session."""


class NotifierPort(Protocol):
    """Tells the seller what the queue did (the Telegram bot implements it)."""

    async def publishing(self, draft: Draft) -> None:
        """A run has just claimed the draft: show it on its card."""

    async def published(self, draft: Draft, url: str | None) -> None:
        """The draft is on the marketplace; url is None when it was saved as a draft there."""

    async def failed(
        self, draft: Draft, reason_kind: str, detail: str, screenshot: Path | None
    ) -> None:
        """The draft failed for good: offer Retry (after an edit for field_rejected)."""

    async def paused(self, user_id: int, reason_kind: str, screenshot: Path | None) -> None:
        """The account's queue stopped until the seller acts and calls resume()."""

    async def retrying(self, draft: Draft, when: datetime, reason_kind: str) -> None:
        """The draft goes back in line and will be tried again at `when` at the earliest."""
