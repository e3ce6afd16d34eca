"""The gate every update passes first: allowed users in, pairing, strangers politely out."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from bot.texts import t, ui_language


async def gate(update: Update, context: BotContext) -> None:
    """Load the allowed seller for the handlers; pair the first owner; refuse everyone else."""
    state = context.state
    services = state.services
    user = update.effective_user
    if user is None:
        raise ApplicationHandlerStop  # channel posts and the like are not for us
    lang = ui_language(user.language_code)
    if services.access.is_allowed(user.id):
        context.seller = await services.sellers.enter(user.id, lang)
        return
    message = update.effective_message
    text = message.text if message and message.text else ""
    if services.access.pairing_code is not None and text.startswith("/start") and message:
        parts = text.split(maxsplit=1)
        if len(parts) == 2 and await services.access.pair(user.id, parts[1]):
            await services.sellers.enter(user.id, lang)
            await message.reply_text(t(lang, "paired"))
        else:
            await message.reply_text(t(lang, "pairing_wrong"))
        raise ApplicationHandlerStop
    if update.callback_query:
        await update.callback_query.answer(t(lang, "refused", user_id=user.id), show_alert=True)
    elif message:
        await message.reply_text(t(lang, "refused", user_id=user.id))
    raise ApplicationHandlerStop
