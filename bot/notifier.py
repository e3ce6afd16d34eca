"""The publishing queue's news, told in the seller's chat (core.publishing.ports.NotifierPort)."""

from __future__ import annotations

import asyncio
import html
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import cards
from bot.failures import failure_keyboard, failure_text
from bot.sender import Sender
from bot.texts import t
from core.drafts.models import Draft
from core.publishing.pacing import DEFAULT_TIMEZONE
from core.sellers.service import SellerService

PAUSE_TEXTS = {
    "captcha": "paused_captcha",
    "session_expired": "paused_session_expired",
    "verification": "paused_verification",
    "session_missing": "not_connected",
    "session_unreadable": "session_unreadable",
    "lookup_failed": "paused_lookup_failed",
}

NEEDS_CONNECT = frozenset({"session_missing", "session_unreadable"})


class TelegramNotifier:
    """Edit the draft's card and send the seller a message for each publishing event."""

    def __init__(self, sender: Sender, sellers: SellerService) -> None:
        self.sender = sender
        self.sellers = sellers

    async def _lang(self, user_id: int) -> str:
        seller = await self.sellers.get(user_id)
        return (seller.ui_language if seller else None) or "en"

    async def publishing(self, draft: Draft) -> None:
        await self.sender.refresh_card(draft, await self._lang(draft.user_id))

    async def published(self, draft: Draft, url: str | None) -> None:
        lang = await self._lang(draft.user_id)
        await self.sender.refresh_card(draft, lang)
        title = html.escape(draft.title)
        if url is None:
            text = t(lang, "saved_draft_msg", title=title)
        else:
            text = t(lang, "published_msg", title=title, url=html.escape(url))
        left_out = cards.left_out_line(draft, lang)
        await self.sender.text(draft.user_id, f"{text}\n{left_out}" if left_out else text)

    async def failed(
        self, draft: Draft, reason_kind: str, detail: str, screenshot: Path | None
    ) -> None:
        lang = await self._lang(draft.user_id)
        await self.sender.refresh_card(draft, lang)
        text = failure_text(draft, reason_kind, detail, lang)
        markup = failure_keyboard(draft, reason_kind, detail, lang)
        await self._with_screenshot(draft.user_id, text, screenshot, markup)

    async def paused(self, user_id: int, reason_kind: str, screenshot: Path | None) -> None:
        lang = await self._lang(user_id)
        key = PAUSE_TEXTS.get(reason_kind, "paused_captcha")
        if reason_kind in NEEDS_CONNECT:  # /connect resumes; a Resume button could not
            await self._with_screenshot(user_id, t(lang, key), screenshot, None)
            return
        resume = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        t(lang, "btn_resume"), callback_data=cards.encode("p", user_id, "resume")
                    )
                ]
            ]
        )
        await self._with_screenshot(user_id, t(lang, key), screenshot, resume)

    async def retrying(self, draft: Draft, when: datetime, reason_kind: str) -> None:
        lang = await self._lang(draft.user_id)
        seller = await self.sellers.get(draft.user_id)
        zone = ZoneInfo((seller.settings.timezone if seller else None) or DEFAULT_TIMEZONE)
        local = when.astimezone(zone).strftime("%H:%M")
        reason = cards.publish_reason(reason_kind, "", lang)
        await self.sender.text(
            draft.user_id,
            t(lang, "publish_retrying", title=html.escape(draft.title), reason=reason, when=local),
        )

    async def _with_screenshot(
        self,
        chat_id: int,
        text: str,
        screenshot: Path | None,
        markup: InlineKeyboardMarkup | None,
    ) -> None:
        """Send the text, with the page's screenshot when there is one (what Vinted showed)."""
        data = await asyncio.to_thread(_read, screenshot) if screenshot is not None else None
        if data is not None:
            await self.sender.pace(chat_id)
            await self.sender.bot.send_photo(
                chat_id, data, caption=text[:1024], reply_markup=markup
            )
            return
        await self.sender.text(chat_id, text, reply_markup=markup)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
