"""Relisting's news in the seller's chat (core.relisting.ports.RelistNotifier)."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import cards
from bot.notifier import TelegramNotifier
from bot.texts import t
from core.drafts.models import Draft
from core.relisting.models import COMPLETE, DELETING, Relist

# An offer message shows this many listings by name; the rest are counted.
SHOWN = 10


class TelegramRelistNotifier(TelegramNotifier):
    """The day's offer with its buttons, each new URL, and why a relist did not happen."""

    async def offer(
        self, user_id: int, offered: list[Relist], queued: list[Relist], after_days: float
    ) -> None:
        lang = await self._lang(user_id)
        days = f"{after_days:g}"
        parts: list[str] = []
        if queued:
            parts.append(t(lang, "relist_auto", count=len(queued), days=days))
            parts.append(await self._lines(queued, lang))
        markup = None
        if offered:
            parts.append(t(lang, "relist_offer", count=len(offered), days=days))
            parts.append(await self._lines(offered, lang))
            parts.append(t(lang, "relist_how"))
            last = max(r.id for r in offered)  # the buttons answer for what this message shows
            yes = (
                t(lang, "btn_relist_all", count=len(offered))
                if len(offered) > 1
                else t(lang, "btn_relist_one")
            )
            markup = InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(yes, callback_data=cards.encode("r", last, "yes")),
                        InlineKeyboardButton(
                            t(lang, "btn_relist_later"),
                            callback_data=cards.encode("r", last, "later"),
                        ),
                    ]
                ]
            )
        await self.sender.text(user_id, "\n".join(parts), reply_markup=markup)

    async def _lines(self, relists: list[Relist], lang: str) -> str:
        lines = []
        for relist in relists[:SHOWN]:
            title = await self._title(relist)
            new = cards.format_price(relist.price, lang)
            if relist.old_price is not None and relist.old_price != relist.price:
                old = cards.format_price(relist.old_price, lang)
                lines.append(t(lang, "relist_line_drop", title=title, old=old, new=new))
            else:
                lines.append(t(lang, "relist_line", title=title, price=new))
        if len(relists) > SHOWN:
            lines.append(t(lang, "relist_more", count=len(relists) - SHOWN))
        return "\n".join(lines)

    async def _title(self, relist: Relist, draft: Draft | None = None) -> str:
        if draft is None and relist.draft_id is not None:
            draft = await self.sender.drafts.get(relist.user_id, relist.draft_id)
        return html.escape(draft.title) if draft is not None else f"#{relist.old_item_id}"

    async def relisted(self, relist: Relist, draft: Draft | None, url: str) -> None:
        lang = await self._lang(relist.user_id)
        title = await self._title(relist, draft)
        price = cards.format_price(relist.price, lang)
        if draft is not None:  # its card names the listing: now the new one
            await self.sender.refresh_card(draft, lang)
        await self.sender.text(
            relist.user_id,
            t(lang, "relisted_msg", title=title, price=price, url=html.escape(url)),
        )

    async def relist_news(
        self, relist: Relist, draft: Draft | None, what: str, kind: str, detail: str
    ) -> None:
        lang = await self._lang(relist.user_id)
        title = await self._title(relist, draft)
        reason = cards.publish_reason(kind, detail, lang) if kind else ""
        if what == "gone":
            text = t(lang, "relist_gone", title=title)
        elif what == "stuck":
            text = t(lang, "relist_stuck", title=title, reason=reason)
        elif relist.step in (DELETING, COMPLETE):  # the old listing may be down already
            text = t(lang, "relist_failed_down", title=title, reason=reason)
        else:
            text = t(lang, "relist_failed_kept", title=title, reason=reason)
        await self.sender.text(relist.user_id, text)
