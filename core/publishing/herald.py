"""Telling the seller what the queue did, once its settlement is stored."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from core.drafts.models import Draft
from core.drafts.repository import DraftRepository
from core.events import EventLog
from core.publishing.policy import Decision
from core.publishing.ports import NotifierPort

log = logging.getLogger(__name__)


class Herald:
    """Log each settled outcome and tell the seller, with the draft as it now stands."""

    def __init__(self, notifier: NotifierPort, events: EventLog, drafts: DraftRepository) -> None:
        self.notifier = notifier
        self.events = events
        self.drafts = drafts

    async def tell(
        self,
        draft: Draft,
        decision: Decision,
        screenshot: Path | None,
        *,
        settled: bool,
        paused_now: bool,
    ) -> None:
        """Tell what this settlement did; nothing when another run settled it first."""
        s, kind, notice = decision.settlement, decision.kind, decision.notice
        if notice == "published" and settled:
            await self.events.log(
                draft.user_id, "publish_published", {"draft_id": draft.id, "item_id": s.item_id}
            )
            await self._with_draft(draft, lambda d: self.notifier.published(d, s.url))
        elif notice == "failed" and settled:
            await self.events.log(
                draft.user_id, "publish_failed", {"draft_id": draft.id, "kind": kind}
            )
            text = decision.text
            await self._with_draft(
                draft, lambda d: self.notifier.failed(d, kind, text, screenshot)
            )
        elif notice == "paused" and paused_now:
            await self.events.log(draft.user_id, "publish_paused", {"reason": kind})
            await self.notify(self.notifier.paused(draft.user_id, kind, screenshot))
        elif notice == "retrying" and settled and decision.retry_at is not None:
            when = decision.retry_at
            await self._with_draft(draft, lambda d: self.notifier.retrying(d, when, kind))

    async def notify(self, call: Awaitable[None]) -> None:
        # The queue's state is already stored: a Telegram hiccup must not undo or repeat it.
        try:
            await call
        except Exception:
            log.exception("the publishing notifier failed")

    async def _with_draft(self, draft: Draft, call: Callable[[Draft], Awaitable[None]]) -> None:
        current = await self.drafts.get(draft.id or 0) or draft
        await self.notify(call(current))
