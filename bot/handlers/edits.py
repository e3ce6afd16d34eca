"""Text the seller types: a value for a field being edited, or a free-text edit of a card."""

from __future__ import annotations

import html
import logging

from telegram import Message, Update
from telegram.error import TelegramError

from bot import keyboards
from bot.changes import edit_note
from bot.context import BotContext
from bot.handlers.session import take_cookies
from bot.handlers.settings import take_footer
from bot.state import BotState
from bot.texts import t
from core.catalog import search_categories
from core.drafts.parsing import EditRejected
from core.sellers.models import AwaitKind

log = logging.getLogger(__name__)


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
        and awaiting.kind is AwaitKind.FOOTER
        and (replied is None or replied.message_id == awaiting.prompt_message_id)
    ):
        await take_footer(state, message, seller.user_id, lang, message.text)
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
            current = await services.drafts.get(seller.user_id, draft_id)
            await message.reply_text(
                t(lang, "pick_category"),
                reply_markup=keyboards.category_keyboard(
                    draft_id, lang, matches, current.category if current else ""
                ),
            )
            return
        # A refused value keeps the question open, so the seller simply types it again.
        draft, change = await services.editor.set_field(
            seller.user_id, draft_id, field, message.text
        )
        await services.sellers.stop_waiting(seller.user_id, AwaitKind.FIELD)
        # Said once, on the card; the question and the answer go where Telegram allows.
        await state.sender.refresh_card(draft, lang, note=edit_note([change], lang), undo=True)
        await _clean_up(message, awaiting.prompt_message_id)
        return
    if replied is not None:
        card = await services.drafts.by_card(message.chat_id, replied.message_id, seller.user_id)
        if card is not None and card.id is not None:
            await context.bot.send_chat_action(message.chat_id, "typing")
            await apply_request(state, message, card.id, message.text, lang)
            return
    await message.reply_text(t(lang, "hint_send_photos"))


async def apply_request(
    state: BotState, message: Message, draft_id: int, request: str, lang: str
) -> None:
    """Apply a request in the seller's words to a card: only what it names, said on the card
    with Undo; what it asked in vain is said in reply."""
    assert message.from_user is not None
    try:
        draft, changes, unapplied = await state.services.editor.free_text_edit(
            message.from_user.id, draft_id, request
        )
    except EditRejected as exc:
        parts = exc.params.get("unapplied") if exc.key == "nothing_to_edit" else None
        if not parts:
            raise
        said = [t(lang, "err_nothing_to_edit"), edit_note([], lang, parts)]
        await message.reply_text("\n".join(said))
        return
    note = edit_note(changes, lang, unapplied)
    await state.sender.refresh_card(draft, lang, note=note, undo=True)


async def _clean_up(answer: Message, question_id: int | None) -> None:
    """Delete the question and the seller's answer; both are said on the card now."""
    for message_id in (question_id, answer.message_id):
        if message_id is None:
            continue
        try:
            await answer.get_bot().delete_message(answer.chat_id, message_id)
        except TelegramError:
            log.info("message %s could not be deleted; it stays", message_id)
