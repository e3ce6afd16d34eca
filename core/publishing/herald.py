"""Telling the seller what the queue did, once its settlement is stored."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from core.drafts.models import Draft
from core.drafts.repository import DraftRepository
from core.events import EventLog
from core.publishing.attempts import AttemptRepository
from core.publishing.models import SHOWN_KINDS
from core.publishing.policy import Decision
from core.publishing.ports import NotifierPort

log = logging.getLogger(__name__)


class Herald:
    """Log each settled outcome and tell the seller, with the draft as it now stands."""

    def __init__(
        self,
        notifier: NotifierPort,
        events: EventLog,
        drafts: DraftRepository,
        attempts: AttemptRepository,
    ) -> None:
        self.notifier = notifier
        self.events = events
        self.drafts = drafts
        self.attempts = attempts

    async def tell(
        self,
        draft: Draft,
        decision: Decision,
        screenshot: Path | None,
        *,
        settled: bool,
        paused_now: bool,
        attempt_id: int | None = None,
    ) -> None:
        """Tell what this settlement did; nothing when another run settled it first."""
        s, kind, notice = decision.settlement, decision.kind, decision.notice
        if kind not in SHOWN_KINDS:
            screenshot = None  # it would add nothing to the words (kept on disk for the log)
        if notice == "published" and settled:
            await self.events.log(
                draft.user_id, "publish_published", {"draft_id": draft.id, "item_id": s.item_id}
            )
            told = await self._with_draft(draft, lambda d: self.notifier.published(d, s.url))
            if told and attempt_id is not None:
                await self.attempts.mark_told(attempt_id)
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

    async def starting(self, draft: Draft) -> None:
        """Show on the card that its run began; a slow chat never holds the run up for long."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._with_draft(draft, self.notifier.publishing), 15)

    async def tell_untold(self) -> int:
        """Send the listing URLs a stop between storing and telling left unsent; how many."""
        told = 0
        for attempt_id, draft_id in await self.attempts.untold_successes():
            draft = await self.drafts.get(draft_id)
            publication = draft.publication if draft else None
            if draft is None or publication is None:
                await self.attempts.mark_told(attempt_id)  # deleted since: nobody to tell
                continue
            log.info("telling the seller about draft %s, published before a stop", draft_id)
            url = None if publication.is_draft else publication.url
            if await self.notify(self.notifier.published(draft, url)):
                await self.attempts.mark_told(attempt_id)
                told += 1
        return told

    async def notify(self, call: Awaitable[None]) -> bool:
        # The queue's state is already stored: a Telegram hiccup must not undo or repeat it.
        try:
            await call
        except Exception:
            log.exception("the publishing notifier failed")
            return False
        return True

    async def _with_draft(self, draft: Draft, call: Callable[[Draft], Awaitable[None]]) -> bool:
        current = await self.drafts.get(draft.id or 0) or draft
        return await self.notify(call(current))
