"""Text the seller types: a value for a field being edited, or a free-text edit of a card."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot import cards
from bot.handlers.drafts import change_line
from bot.handlers.session import take_cookies
from bot.state import state_of
from bot.texts import t
from core.editing import search_categories


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Apply a field value, a free-text edit of the card replied to, or give a hint."""
    state = state_of(context)
    message = update.effective_message
    assert message is not None and message.text is not None
    user = await state.user(update)
    lang = await state.lang(update)
    store = state.services.store
    awaiting = user.settings.get("awaiting")
    replied = message.reply_to_message
    if awaiting and awaiting.get("connect"):
        await take_cookies(state, message, user.user_id, lang, message.text)
        return
    if awaiting and (replied is None or replied.message_id == awaiting.get("prompt")):
        draft_id, field = int(awaiting["draft"]), str(awaiting["field"])
        if field == "category":
            matches = search_categories(message.text, user.language)
            if not matches:
                await message.reply_text(t(lang, "no_category_match", query=message.text))
                return
            await store.update_user(user.user_id, settings={"awaiting": None})
            await message.reply_text(
                t(lang, "pick_category"),
                reply_markup=cards.category_keyboard(draft_id, lang, matches),
            )
            return
        # A refused value keeps the question open, so the seller simply types it again.
        draft, change = await state.editor.set_field(user.user_id, draft_id, field, message.text)
        await store.update_user(user.user_id, settings={"awaiting": None})
        note = change_line(change, lang)
        if change.unapproved:
            note += "\n" + t(lang, "edit_needs_reapproval")
        await state.sender.refresh_card(draft, lang, note=note)
        await message.reply_text(note)
        return
    if replied is not None:
        card = await store.draft_by_card(message.chat_id, replied.message_id, user.user_id)
        if card is not None and card.id is not None:
            await context.bot.send_chat_action(message.chat_id, "typing")
            draft, changes = await state.editor.free_text_edit(user.user_id, card.id, message.text)
            lines = [change_line(c, lang) for c in changes]
            if any(c.unapproved for c in changes):
                lines.append(t(lang, "edit_needs_reapproval"))
            note = "\n".join(lines)
            await state.sender.refresh_card(draft, lang, note=note)
            await message.reply_text(note)
            return
    await message.reply_text(t(lang, "hint_send_photos"))
