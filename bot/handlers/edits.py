"""Text the seller types: a value for a field being edited, or a free-text edit of a card."""

from __future__ import annotations

import html

from telegram import Update

from bot import cards
from bot.changes import change_line
from bot.context import BotContext
from bot.handlers.session import take_cookies
from bot.texts import t
from core.catalog import search_categories
from core.sellers.models import AwaitKind


async def on_text(update: Update, context: BotContext) -> None:
    """Apply a field value, a free-text edit of the card replied to, or give a hint."""
    state = context.state
    services = state.services
    message = update.effective_message
    assert message is not None and message.text is not None
    seller, lang = context.seller, context.lang
    awaiting = await services.sellers.awaited(seller.user_id)
    replied = message.reply_to_message
    if awaiting and awaiting.kind is AwaitKind.COOKIES:
        await take_cookies(state, message, seller.user_id, lang, message.text)
        return
    if (
        awaiting
        and awaiting.kind is AwaitKind.FIELD
        and awaiting.draft_id is not None
        and awaiting.field is not None
        and (replied is None or replied.message_id == awaiting.prompt_message_id)
    ):
        draft_id, field = awaiting.draft_id, awaiting.field
        if field == "category":
            matches = search_categories(message.text, seller.language)
            if not matches:
                await message.reply_text(
                    t(lang, "no_category_match", query=html.escape(message.text))
                )
                return
            await services.sellers.stop_waiting(seller.user_id, AwaitKind.FIELD)
            await message.reply_text(
                t(lang, "pick_category"),
                reply_markup=cards.category_keyboard(draft_id, lang, matches),
            )
            return
        # A refused value keeps the question open, so the seller simply types it again.
        draft, change = await services.editor.set_field(
            seller.user_id, draft_id, field, message.text
        )
        await services.sellers.stop_waiting(seller.user_id, AwaitKind.FIELD)
        note = change_line(change, lang)
        if change.unapproved:
            note += "\n" + t(lang, "edit_needs_reapproval")
        await state.sender.refresh_card(draft, lang, note=note)
        await message.reply_text(note)
        return
    if replied is not None:
        card = await services.drafts.by_card(message.chat_id, replied.message_id, seller.user_id)
        if card is not None and card.id is not None:
            await context.bot.send_chat_action(message.chat_id, "typing")
            draft, changes = await services.editor.free_text_edit(
                seller.user_id, card.id, message.text
            )
            lines = [change_line(c, lang) for c in changes]
            if any(c.unapproved for c in changes):
                lines.append(t(lang, "edit_needs_reapproval"))
            note = "\n".join(lines)
            await state.sender.refresh_card(draft, lang, note=note)
            await message.reply_text(note)
            return
    await message.reply_text(t(lang, "hint_send_photos"))
