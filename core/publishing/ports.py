"""What the queue needs besides its tables: the marketplace, the sessions and the seller's ear."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from core.drafts.models import Draft
from core.marketplace import Marketplace

__all__ = ["Marketplace", "NotifierPort", "SessionPort"]


class SessionPort(Protocol):
    """The sellers' encrypted marketplace cookies (core.accounts.sessions.SessionVault)."""

    async def load(self, user_id: int) -> Sequence[Mapping[str, Any]] | None: ...

    async def update_cookies(
        self, user_id: int, cookies: Sequence[Mapping[str, Any]]
    ) -> object: ...

    async def account_id(self, user_id: int) -> str | None: ...


class NotifierPort(Protocol):
    """Tells the seller what the queue did (the Telegram bot implements it)."""

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
