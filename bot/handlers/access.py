"""The gate every update passes first: allowed users in, pairing, strangers politely out."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from bot.texts import t, ui_language
from core.access import Pairing
from core.services import Services

log = logging.getLogger(__name__)
_PAIRING_TEXTS = {
    Pairing.PAIRED: "paired",
    Pairing.WRONG: "pairing_wrong",
    Pairing.TOO_MANY: "pairing_too_many",
    Pairing.TAKEN: "pairing_taken",
}


async def gate(update: Update, context: BotContext) -> None:
    """Load the allowed seller for the handlers; pair the first owner; refuse everyone else.

    Access is decided before any network call, and anyone not allowed is stopped here even
    when telling them fails (they blocked the bot, a flood limit, an old button).
    """
    state = context.state
    services = state.services
    user = update.effective_user
    if user is None:
        raise ApplicationHandlerStop  # channel posts and the like are not for us
    if update.edited_message is not None or update.edited_channel_post is not None:
        # An edited caption or text is not a new photo or request: acting on it again would
        # make a second draft (two AI calls) or apply an edit twice.
        log.debug("ignored an edited message from user %s", user.id)
        raise ApplicationHandlerStop
    lang = ui_language(user.language_code)
    if services.access.is_allowed(user.id):
        # No language from Telegram: keep what is stored rather than guess English.
        told = lang if user.language_code else None
        context.seller = await services.sellers.enter(user.id, told)
        return
    try:
        await _turn_away(update, user.id, lang, services)
    except Exception:  # noqa: BLE001 - whatever went wrong, the stranger stays out
        log.info("could not answer user %s, who may not use the bot", user.id, exc_info=True)
    raise ApplicationHandlerStop


async def _turn_away(update: Update, user_id: int, lang: str, services: Services) -> None:
    message = update.effective_message
    text = message.text if message and message.text else ""
    if services.access.pairing_open and message and text.startswith("/start"):
        parts = text.split(maxsplit=1)
        if len(parts) < 2:
            await message.reply_text(t(lang, "pairing_wrong"))
            return
        result = await services.access.pair(user_id, parts[1])
        if result is Pairing.PAIRED:
            await services.sellers.enter(user_id, lang)
        await message.reply_text(t(lang, _PAIRING_TEXTS[result]))
        return
    if update.callback_query:
        await update.callback_query.answer(t(lang, "refused", user_id=user_id), show_alert=True)
    elif message:
        await message.reply_text(t(lang, "refused", user_id=user_id))
