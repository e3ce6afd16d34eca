"""Sending and refreshing draft cards, spaced so one chat never gets a flood of messages."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import defaultdict
from pathlib import Path

from telegram import Bot, InlineKeyboardMarkup, InputMediaPhoto, Message
from telegram.error import BadRequest, TelegramError

from bot import cards, keyboards
from core.catalogs.service import CatalogService
from core.drafts.models import Draft
from core.drafts.service import DraftService
from core.drafts.split import DraftSplitter
from core.intake.models import Photo
from core.market.service import MarketService
from core.sellers.service import SellerService

log = logging.getLogger(__name__)

HARMLESS = ("message is not modified",)


class Sender:
    """Render drafts as cards in the chat and keep them up to date."""

    def __init__(
        self,
        bot: Bot,
        drafts: DraftService,
        catalogs: CatalogService,
        splitter: DraftSplitter,
        market: MarketService,
        data_dir: Path,
        interval: float,
        *,
        sellers: SellerService,
    ) -> None:
        self.market = market
        self.sellers = sellers  # the footer the card says is added
        self.bot = bot
        self.drafts = drafts
        self.catalogs = catalogs
        self.splitter = splitter
        self.data_dir = data_dir
        self.interval = interval
        self._next_free: dict[int, float] = defaultdict(float)
        self._locks: dict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def pace(self, chat_id: int) -> None:
        """Wait for this chat's next free slot: about one message per interval in bursts."""
        async with self._locks[chat_id]:
            now = time.monotonic()
            wait = self._next_free[chat_id] - now
            if wait > 0:
                await asyncio.sleep(wait)  # deliberate pacing towards Telegram, not a sync
            self._next_free[chat_id] = max(now, self._next_free[chat_id]) + self.interval

    async def _cover(self, draft: Draft) -> tuple[bytes, list[Photo]]:
        photos = await self.drafts.photos(draft)
        if not photos:
            raise LookupError(f"draft {draft.id} has no photos")
        data = await asyncio.to_thread((self.data_dir / photos[0].path).read_bytes)
        return data, photos

    async def _placement(self, draft: Draft) -> cards.Placement:
        placed = await self.catalogs.placed(draft)
        if placed is None:
            return cards.Placement()
        return cards.Placement(path=tuple(placed.titles), to_choose=placed.choice is None)

    async def _render(
        self,
        draft: Draft,
        lang: str,
        photos: list[Photo],
        note: str | None,
        *,
        undo: bool,
        busy: bool,
    ) -> tuple[str, InlineKeyboardMarkup | None]:
        """Return the card's caption and buttons as the draft stands."""
        merged = await self.splitter.merged_from(draft, photos)
        basis = await self.market.basis(draft)
        placement = await self._placement(draft)
        lookalike = await self.drafts.lookalike(draft, photos)
        footer = await self.sellers.footer(draft.user_id)
        caption = cards.render_caption(
            draft, lang, note, placement, merged, basis, lookalike, footer
        )
        markup = keyboards.main_keyboard(
            draft,
            lang,
            len(photos),
            undo=undo,
            busy=busy,
            split=merged.parts > 1,
            suggested=basis.suggestion if basis else None,
        )
        return caption, markup

    async def send_card(self, chat_id: int, draft: Draft, lang: str) -> Draft:
        """Send the draft's card (cover photo, caption, buttons) and remember where it is."""
        cover, photos = await self._cover(draft)
        caption, markup = await self._render(draft, lang, photos, None, undo=False, busy=False)
        await self.pace(chat_id)
        message = await self.bot.send_photo(chat_id, cover, caption=caption, reply_markup=markup)
        # Only where the card is: the rest of the draft may have moved on meanwhile.
        return await self.drafts.record_card(draft, chat_id, message.message_id)

    async def reopen_card(self, chat_id: int, draft: Draft, lang: str, moved: str) -> Draft:
        """Send the card again at the bottom of the chat and take the old one away: deleted
        where Telegram allows, otherwise left saying `moved` without its buttons."""
        old = (draft.card_chat_id, draft.card_message_id)
        current = await self.send_card(chat_id, draft, lang)
        old_chat, old_message = old
        if old_chat is None or old_message is None or old_message == current.card_message_id:
            return current
        try:
            await self.bot.delete_message(old_chat, old_message)
        except TelegramError:  # too old to delete (48 h), or gone already
            with contextlib.suppress(TelegramError):
                await self.bot.edit_message_caption(
                    chat_id=old_chat, message_id=old_message, caption=moved, reply_markup=None
                )
        return current

    async def refresh_card(
        self,
        draft: Draft,
        lang: str,
        *,
        note: str | None = None,
        new_cover: bool = False,
        undo: bool = False,
        busy: bool = False,
        buttons: InlineKeyboardMarkup | None = None,
    ) -> None:
        """Show the draft's current state on its card, in place (Undo: an edit just made;
        busy: work on it is under way, so only the photos button stays; `buttons`: a menu
        the seller is in, kept instead of the card's own buttons)."""
        if draft.card_chat_id is None or draft.card_message_id is None:
            return
        cover, photos = await self._cover(draft)
        caption, markup = await self._render(draft, lang, photos, note, undo=undo, busy=busy)
        markup = buttons or markup
        try:
            if new_cover:
                await self.bot.edit_message_media(
                    InputMediaPhoto(cover, caption=caption),
                    chat_id=draft.card_chat_id,
                    message_id=draft.card_message_id,
                    reply_markup=markup,
                )
            else:
                await self.bot.edit_message_caption(
                    chat_id=draft.card_chat_id,
                    message_id=draft.card_message_id,
                    caption=caption,
                    reply_markup=markup,
                )
        except BadRequest as exc:
            if any(h in exc.message.lower() for h in HARMLESS):
                return
            if "not found" in exc.message.lower():
                # The seller deleted the card: send a fresh one rather than fail.
                await self.send_card(draft.card_chat_id, draft, lang)
                return
            raise

    async def send_photos(self, chat_id: int, draft: Draft) -> list[Message]:
        """Send all the draft's photos as albums of up to ten, each captioned with its number."""
        photos = await self.drafts.photos(draft)
        sent: list[Message] = []
        for start in range(0, len(photos), 10):
            chunk = photos[start : start + 10]
            # Numbered like the cover buttons: photo 1 is the cover.
            media = [
                InputMediaPhoto(
                    await asyncio.to_thread((self.data_dir / p.path).read_bytes),
                    caption=str(start + n + 1),
                )
                for n, p in enumerate(chunk)
            ]
            await self.pace(chat_id)
            if len(media) == 1:
                sent.append(await self.bot.send_photo(chat_id, media[0].media, caption="1"))
            else:
                sent.extend(await self.bot.send_media_group(chat_id, media))
        return sent

    async def text(self, chat_id: int, text: str, **kwargs: object) -> Message:
        """Send a text message in this chat's pace."""
        await self.pace(chat_id)
        return await self.bot.send_message(chat_id, text, **kwargs)  # type: ignore[arg-type]
