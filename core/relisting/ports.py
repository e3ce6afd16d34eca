"""What relisting tells the seller (the Telegram bot implements it)."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from core.drafts.models import Draft
from core.relisting.models import Relist


class RelistNotifier(Protocol):
    async def offer(
        self, user_id: int, offered: list[Relist], queued: list[Relist], after_days: float
    ) -> None:
        """The day's message: relists offered (to say yes to), and those queued by the
        seller's automatic relisting."""

    async def relisted(self, relist: Relist, draft: Draft | None, url: str) -> None:
        """The copy is live at url; the old listing is gone."""

    async def relist_news(
        self, relist: Relist, draft: Draft | None, what: str, kind: str, detail: str
    ) -> None:
        """what: "gone" (sold or removed meanwhile, not relisted), "failed" (kind says why;
        relist.step says whether the old listing still stands), "stuck" (the old listing is
        down and the copy will not go live yet: still trying)."""

    async def paused(self, user_id: int, reason_kind: str, screenshot: Path | None) -> None:
        """The account's queue stopped until the seller acts (captcha, login...)."""
