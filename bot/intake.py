"""Photos in: batching with a quiet window, downloads, progress, then draft cards out."""

from __future__ import annotations

import asyncio
import html
import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application

from bot import cards
from bot.context import BotContext
from bot.handlers.batches import approve_ready_keyboard
from bot.sender import HARMLESS, Sender
from bot.texts import t
from core.drafts.models import Draft
from core.images import ImageRejected
from core.intake.models import Batch, BatchStatus, InboxItem
from core.intake.service import BatchTooLarge, DuplicatePhoto
from core.models import Progress
from core.private import is_disk_full
from core.sellers.models import Seller
from core.services import Services

log = logging.getLogger(__name__)

BOT_API_DOWNLOAD_LIMIT = 20 * 1024 * 1024  # getFile refuses larger files
PROGRESS_EVERY = 1.0  # seconds between two edits of the progress message


@dataclass
class Incoming:
    """One attachment of a message, as the photos handler understood it."""

    name: str
    file_id: str | None = None
    size: int | None = None
    album_key: str | None = None
    caption: str | None = None
    skip: str | None = None  # a skip_* text key when it is not a photo we can take
    # Where it sits in what the seller sent: the update's id, which Telegram numbers in order
    # (updates are handled concurrently, so the order they reach the batch is not that order).
    order: int | None = None


@dataclass
class OpenBatch:
    """A batch still receiving photos: the debounce state of one seller."""

    batch: Batch
    chat_id: int
    lang: str
    next_position: int = 0
    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    full: bool = False
    accepted: int = 0  # attachments taken for download (refused ones are not fetched)


class Intake:
    """Collect each seller's photos into batches and run their analysis in the background."""

    def __init__(
        self, app: Application[Any, Any, Any, Any, Any, Any], services: Services, sender: Sender
    ) -> None:
        self.app = app
        self.services = services
        self.sender = sender
        self.quiet = services.settings.album_quiet_seconds
        self._open: dict[int, OpenBatch] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self._running: set[int] = set()

    # ---- receiving --------------------------------------------------------------------------

    async def receive(self, seller: Seller, chat_id: int, lang: str, item: Incoming) -> None:
        """Add one attachment to the seller's open batch and (re)start the quiet window."""
        lock = self._locks.setdefault(seller.user_id, asyncio.Lock())
        async with lock:
            current = self._open.get(seller.user_id)
            if current is None:
                current = await self._start(seller, chat_id, lang)
                self._open[seller.user_id] = current
            position = current.next_position if item.order is None else item.order
            current.next_position = max(current.next_position, position) + 1
            if item.caption:
                current.hints.append(item.caption)
            self._arm(seller.user_id)
            if item.skip:
                current.skipped.append((item.name, item.skip))
                return
            if current.accepted >= self.services.settings.max_batch_photos:
                current.full = True  # refused before any download or decoding
                return
            current.accepted += 1
            assert current.batch.id is not None and item.file_id is not None
            # On record before the download: a restart from here on fetches it again.
            await self.services.intake.receive(
                InboxItem(
                    batch_id=current.batch.id,
                    position=position,
                    file_id=item.file_id,
                    name=item.name,
                    album_key=item.album_key,
                    caption=item.caption,
                )
            )
            task = asyncio.create_task(self._store(current, item, position))
            current.tasks.add(task)
        await task

    async def _start(self, seller: Seller, chat_id: int, lang: str) -> OpenBatch:
        batch = await self.services.intake.open_for(seller, chat_id)
        ack = await self.sender.text(chat_id, t(lang, "batch_receiving"))
        assert batch.id is not None
        batch = await self.services.intake.show_progress_in(batch.id, ack.message_id)
        return OpenBatch(batch=batch, chat_id=chat_id, lang=lang)

    def _arm(self, user_id: int) -> None:
        """Restart the seller's quiet window: the batch closes when nothing came for a while."""
        jobs = self.app.job_queue
        assert jobs is not None, "python-telegram-bot[job-queue] is required"
        name = f"batch:{user_id}"
        for job in jobs.get_jobs_by_name(name):
            job.schedule_removal()
        jobs.run_once(self._on_quiet, when=self.quiet, name=name, data=user_id)

    async def _store(self, current: OpenBatch, item: Incoming, position: int) -> None:
        """Download the file once and store it; a bad file is noted, never fatal."""
        assert item.file_id is not None and current.batch.id is not None
        reason: str | None = None
        try:
            tg_file = await self.app.bot.get_file(item.file_id)
            data = bytes(await tg_file.download_as_bytearray())
            await self.services.intake.add_photo(
                current.batch,
                data,
                item.name,
                album_key=item.album_key,
                telegram_file_id=item.file_id,
                position=position,
            )
        except ImageRejected as exc:
            reason = f"skip_{exc.reason}"
        except DuplicatePhoto:
            reason = "skip_duplicate"
        except BatchTooLarge:
            current.full = True
            reason = "batch_full"
        except BadRequest as exc:
            reason = "skip_too_big" if "too big" in exc.message.lower() else "skip_download"
        except TelegramError as exc:
            log.warning("download of %s failed: %s", item.name, exc)
            reason = "skip_download"
        except OSError as exc:
            if not is_disk_full(exc):
                raise
            log.error("the disk is full: photo %s not stored (%s)", item.name, exc)
            reason = "skip_disk_full"
        if reason is not None and reason != "batch_full":
            current.skipped.append((item.name, reason))
        await self.services.intake.received(current.batch.id, position, reason)

    async def _on_quiet(self, context: BotContext) -> None:
        """Close the seller's batch once no photo came during the quiet window."""
        assert context.job is not None
        user_id = context.job.data
        assert isinstance(user_id, int)
        current = self._open.get(user_id)
        if current is None:
            return
        await asyncio.gather(*list(current.tasks), return_exceptions=True)
        jobs = self.app.job_queue
        assert jobs is not None
        if any(j is not context.job for j in jobs.get_jobs_by_name(f"batch:{user_id}")):
            return  # more photos came while we waited: the newer window closes the batch
        del self._open[user_id]
        await self._close(current)

    async def _close(self, current: OpenBatch) -> None:
        lang, chat_id = current.lang, current.chat_id
        assert current.batch.id is not None
        # Closed first: a notice that cannot be sent must never leave the batch receiving.
        closed = await self.services.intake.close_batch(current.batch.id, current.hints)
        if current.skipped:
            await self._notice(chat_id, skipped_summary(current.skipped, lang))
        if current.full:
            limit = self.services.settings.max_batch_photos
            await self._notice(chat_id, t(lang, "batch_full", limit=limit))
        if closed.empty:
            await self._edit_progress(closed.batch, t(lang, "batch_empty"))
            return
        key = "batch_received_one" if closed.photos == 1 else "batch_received"
        await self._edit_progress(closed.batch, t(lang, key, count=closed.photos))
        self.start_analysis(closed.batch, lang)

    async def _notice(self, chat_id: int, text: str) -> None:
        """Send a side notice; its failure is logged, never in the way of the batch."""
        try:
            await self.sender.text(chat_id, text)
        except TelegramError as exc:
            log.warning("could not send a notice to chat %s: %s", chat_id, exc)

    # ---- analysing --------------------------------------------------------------------------

    def start_analysis(self, batch: Batch, lang: str) -> None:
        """Analyse the batch in the background, so the bot keeps answering meanwhile."""
        assert batch.id is not None
        if batch.id in self._running:
            return
        self._running.add(batch.id)
        self.app.create_task(self._analyse(batch, lang), name=f"analyse:{batch.id}")

    async def _analyse(self, batch: Batch, lang: str) -> None:
        assert batch.id is not None
        last_edit = 0.0

        async def progress(p: Progress) -> None:
            nonlocal last_edit
            now = time.monotonic()
            if now - last_edit < PROGRESS_EVERY:
                return
            last_edit = now
            await self._edit_progress(
                batch,
                t(
                    lang,
                    "batch_progress",
                    total=p.photos_total,
                    photos=p.photos_processed,
                    items=p.items_found,
                    drafts=p.drafts_written,
                ),
            )

        try:
            drafts = await self.services.drafting.analyse_batch(batch.id, progress)
            for draft in drafts:
                if draft.card_message_id is None and batch.chat_id is not None:
                    await self.sender.send_card(batch.chat_id, draft, lang)
            ready = sum(d.publish_ready for d in drafts)
            photos = sum(len(d.photo_ids) for d in drafts)
            offer = await self.services.bulk.ready(batch.user_id, batch.id)
            await self._edit_progress(
                batch,
                t(lang, "batch_done", drafts=len(drafts), photos=photos, ready=ready),
                approve_ready_keyboard(batch.id, len(offer), lang),
            )
            await self._price_from_market(drafts, lang)  # after the cards: never in their way
        except Exception as exc:
            log.exception("analysis of batch %s failed", batch.id)
            await self.services.intake.fail(batch.id, type(exc).__name__)
            retry = InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            t(lang, "retry"), callback_data=cards.encode("b", batch.id, "retry")
                        )
                    ]
                ]
            )
            await self._edit_progress(
                batch, t(lang, "batch_failed", reason=t(lang, "err_generic")), retry
            )
        finally:
            self._running.discard(batch.id)

    async def _price_from_market(self, drafts: list[Draft], lang: str) -> None:
        """Price each new draft from what sold (or say why not) and show it on its card.

        Never in the way: the cards are out already, and a failure leaves the rule price."""
        for draft in drafts:
            try:
                current = await self.services.drafts.get(draft.user_id, draft.id or 0)
                if current is None:
                    continue
                priced = await self.services.market.reprice(current)
                await self.sender.refresh_card(priced, lang)
            except Exception:
                log.exception("pricing draft %s from the market failed", draft.id)

    async def _edit_progress(
        self, batch: Batch, text: str, markup: InlineKeyboardMarkup | None = None
    ) -> None:
        if batch.chat_id is None or batch.progress_message_id is None:
            return
        try:
            await self.app.bot.edit_message_text(
                text,
                chat_id=batch.chat_id,
                message_id=batch.progress_message_id,
                reply_markup=markup,
            )
        except BadRequest as exc:
            if not any(h in exc.message.lower() for h in HARMLESS):
                log.info("progress message of batch %s not updated: %s", batch.id, exc)

    async def resume(self) -> None:
        """Finish the batches a restart cut short: nothing the seller sent is lost."""
        for batch in await self.services.intake.resumable():
            seller = await self.services.sellers.get(batch.user_id)
            lang = (seller.ui_language if seller else None) or "en"
            log.info("resuming batch %s of user %s", batch.id, batch.user_id)
            if batch.status is BatchStatus.RECEIVING:
                await self._finish_receiving(batch, lang)
            else:
                self.start_analysis(batch, lang)

    async def _finish_receiving(self, batch: Batch, lang: str) -> None:
        """Fetch what the batch received but had not stored, then close it as usual."""
        assert batch.id is not None
        items = await self.services.intake.inbox(batch.id)
        stored = await self.services.intake.stored_file_ids(batch.id)
        current = OpenBatch(
            batch=batch,
            chat_id=batch.chat_id or batch.user_id,
            lang=lang,
            next_position=max((i.position for i in items), default=-1) + 1,
            hints=[i.caption for i in items if i.caption],
        )
        for item in items:
            if item.status == "refused" and item.reason and item.reason.startswith("skip_"):
                current.skipped.append((item.name, item.reason))
            elif item.status == "pending" and item.file_id in stored:
                await self.services.intake.received(batch.id, item.position)  # stored, then cut
            elif item.status == "pending":
                incoming = Incoming(name=item.name, file_id=item.file_id, album_key=item.album_key)
                await self._store(current, incoming, item.position)
        await self._close(current)

    async def retry(self, batch_id: int, user_id: int, lang: str) -> bool:
        """Run a failed batch's analysis again."""
        batch = await self.services.intake.retry(batch_id, user_id)
        if batch is None:
            return False
        self.start_analysis(batch, lang)
        return True


SKIPPED_NAMED = 10  # files named one by one; the rest are counted by reason
_MESSAGE_LIMIT = 4096


def skipped_summary(skipped: list[tuple[str, str]], lang: str) -> str:
    """Say which files were not taken, in one message however many there were."""
    lines = [t(lang, "skipped_header")]
    for name, reason in skipped[:SKIPPED_NAMED]:
        line = t(lang, "skipped_line", name=html.escape(name[:80]), reason=t(lang, reason))
        lines.append(line)
    rest = Counter(reason for _, reason in skipped[SKIPPED_NAMED:])
    for reason, count in rest.most_common():
        lines.append(t(lang, "skipped_more", count=count, reason=t(lang, reason)))
    text = "\n".join(lines)
    return text if len(text) <= _MESSAGE_LIMIT else text[: _MESSAGE_LIMIT - 1] + "…"
