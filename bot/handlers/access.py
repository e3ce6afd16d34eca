"""The gate every update passes first: allowed users in, pairing, strangers politely out."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.state import state_of
from bot.texts import t, ui_language


async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Let allowed users through; pair the first owner; refuse everyone else."""
    state = state_of(context)
    user = update.effective_user
    if user is None:
        raise ApplicationHandlerStop  # channel posts and the like are not for us
    if state.access.is_allowed(user.id):
        return
    lang = ui_language(user.language_code)
    message = update.effective_message
    text = message.text if message and message.text else ""
    if state.access.pairing_code is not None and text.startswith("/start") and message:
        parts = text.split(maxsplit=1)
        if len(parts) == 2 and await state.access.pair(user.id, parts[1]):
            await state.services.store.ensure_user(
                user.id, language=state.settings.listing_language, ui_language=lang
            )
            await message.reply_text(t(lang, "paired"))
        else:
            await message.reply_text(t(lang, "pairing_wrong"))
        raise ApplicationHandlerStop
    if update.callback_query:
        await update.callback_query.answer(t(lang, "refused", user_id=user.id), show_alert=True)
    elif message:
        await message.reply_text(t(lang, "refused", user_id=user.id))
    raise ApplicationHandlerStop
