"""Photos sent in reply to a card: added to that draft, never grouped into new items.

An album arrives as several messages; they are gathered for the quiet window (a job named
after the draft, re-armed while parts keep arriving), added in the order the seller sent
them, and then told once: the card shows the new count and one message says what was not
added (already on the draft, the listing full, not an image).
"""

from __future__ import annotations

import asyncio
import html
import logging
from dataclasses import dataclass, field
from typing import Any

from telegram.error import TelegramError
from telegram.ext import Application

from bot.context import BotContext
from bot.intake import Incoming
from bot.sender import Sender
from bot.texts import t
from core.drafts.models import Draft
from core.drafts.parsing import EditRejected
from core.images import ImageRejected
from core.private import is_disk_full
from core.services import Services

log = logging.getLogger(__name__)


@dataclass
class Arriving:
    """The photos on their way to one draft, until the quiet window closes."""

    draft_id: int
    user_id: int
    chat_id: int
    lang: str
    files: list[tuple[int, Incoming, bytes]] = field(default_factory=list)  # (order, ...)
    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, reason text)


class CardPhotos:
    """Add the photos a seller sends in reply to a card to that card's draft."""

    def __init__(
        self, app: Application[Any, Any, Any, Any, Any, Any], services: Services, sender: Sender
    ) -> None:
        self.app = app
        self.services = services
        self.sender = sender
        self.quiet = services.settings.album_quiet_seconds
        self._arriving: dict[int, Arriving] = {}

    async def receive(
        self, user_id: int, chat_id: int, lang: str, draft: Draft, item: Incoming
    ) -> None:
        """Take one photo for the draft and (re)start its quiet window."""
        assert draft.id is not None
        current = self._arriving.get(draft.id)
        if current is None:
            current = Arriving(draft.id, user_id, chat_id, lang)
            self._arriving[draft.id] = current
        self._arm(draft.id)
        if item.skip or item.file_id is None:
            current.skipped.append((item.name, t(lang, item.skip or "skip_download")))
            return
        task = asyncio.create_task(self._download(current, item))
        current.tasks.add(task)
        await task

    def _arm(self, draft_id: int) -> None:
        jobs = self.app.job_queue
        assert jobs is not None, "python-telegram-bot[job-queue] is required"
        name = f"card-photos:{draft_id}"
        for job in jobs.get_jobs_by_name(name):
            job.schedule_removal()
        jobs.run_once(self._on_quiet, when=self.quiet, name=name, data=draft_id)

    async def _download(self, current: Arriving, item: Incoming) -> None:
        assert item.file_id is not None
        try:
            tg_file = await self.app.bot.get_file(item.file_id)
            data = bytes(await tg_file.download_as_bytearray())
        except TelegramError as exc:
            log.warning("download of %s failed: %s", item.name, exc)
            current.skipped.append((item.name, t(current.lang, "skip_download")))
            return
        current.files.append((item.order or 0, item, data))

    async def _on_quiet(self, context: BotContext) -> None:
        """Add what arrived, in the seller's order, then show it on the card and say it."""
        assert context.job is not None
        draft_id = context.job.data
        assert isinstance(draft_id, int)
        current = self._arriving.get(draft_id)
        if current is None:
            return
        await asyncio.gather(*list(current.tasks), return_exceptions=True)
        jobs = self.app.job_queue
        assert jobs is not None
        if any(j is not context.job for j in jobs.get_jobs_by_name(f"card-photos:{draft_id}")):
            return  # more came while we waited: the newer window adds them all
        del self._arriving[draft_id]
        await self._add_all(current)

    async def _add_all(self, current: Arriving) -> None:
        lang, photos = current.lang, self.services.photos
        added: Draft | None = None
        count = 0
        unapproved = False
        refused: str | None = None
        for _, item, data in sorted(current.files, key=lambda f: f[0]):
            try:
                change = await photos.add(
                    current.user_id,
                    current.draft_id,
                    data,
                    item.name,
                    telegram_file_id=item.file_id,
                )
            except EditRejected as exc:
                if exc.key in ("not_editable", "draft_not_found"):  # nothing more can go in
                    refused = (
                        t(lang, "photos_locked", id=current.draft_id)
                        if exc.key == "not_editable"
                        else t(lang, "err_draft_not_found")
                    )
                    break
                current.skipped.append((item.name, self._reason(exc, lang)))
                continue
            except ImageRejected as exc:
                current.skipped.append((item.name, t(lang, f"skip_{exc.reason}")))
                continue
            except OSError as exc:
                if not is_disk_full(exc):
                    raise
                log.error("the disk is full: photo %s not added (%s)", item.name, exc)
                current.skipped.append((item.name, t(lang, "skip_disk_full")))
                continue
            added, count = change.draft, count + 1
            unapproved = unapproved or change.unapproved
        lines: list[str] = []
        if added is not None:
            total = len(added.photo_ids)
            note = t(lang, "photos_added_note", added=count, count=total)
            if unapproved:
                note += "\n" + t(lang, "edit_needs_reapproval")
            await self.sender.refresh_card(added, lang, note=note)
            lines.append(t(lang, "photos_added", id=current.draft_id, added=count, count=total))
        if refused is not None:
            lines.append(refused)
        elif current.skipped:
            lines.append(t(lang, "photos_not_added", id=current.draft_id))
            lines += [
                t(lang, "skipped_line", name=html.escape(name[:80]), reason=reason)
                for name, reason in current.skipped[:20]
            ]
        if lines:
            await self._tell(current, "\n".join(lines))

    def _reason(self, exc: EditRejected, lang: str) -> str:
        if exc.key == "photo_duplicate":
            return t(lang, "skip_on_draft")
        if exc.key == "photos_full":
            return t(lang, "skip_listing_full", max=self.services.photos.max_photos)
        params = getattr(exc, "params", {}) or {}
        return t(lang, f"err_{exc.key}", **params)

    async def _tell(self, current: Arriving, text: str) -> None:
        try:
            await self.sender.text(current.chat_id, text)
        except TelegramError as exc:
            log.warning("could not tell chat %s about added photos: %s", current.chat_id, exc)
