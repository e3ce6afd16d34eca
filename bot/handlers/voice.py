"""Edits by voice: a voice note in reply to a card (or just after opening its Edit menu) is
transcribed, shown, and applied exactly as the same words typed would be."""

from __future__ import annotations

import html
import time
from datetime import timedelta

from telegram import Update

from bot.context import BotContext
from bot.handlers.edits import apply_request
from bot.texts import t
from core.analysis.transcribe import TranscriptionFailed

EDIT_MENU_WINDOW = 300.0  # seconds after opening a card's Edit menu a voice note goes to it


async def on_voice(update: Update, context: BotContext) -> None:
    state, lang, seller = context.state, context.lang, context.seller
    message = update.effective_message
    assert message is not None and message.voice is not None
    draft_id = await _target(context, message.chat_id, message.reply_to_message)
    if draft_id is None:
        await message.reply_text(t(lang, "voice_no_card"))
        return
    limit = state.settings.voice_max_seconds
    duration = message.voice.duration
    seconds = duration.total_seconds() if isinstance(duration, timedelta) else duration
    if seconds > limit:
        await message.reply_text(t(lang, "voice_too_long", max=limit))
        return
    await context.bot.send_chat_action(message.chat_id, "typing")
    file = await message.voice.get_file()
    audio = bytes(await file.download_as_bytearray())
    try:
        text = await state.services.transcriber.transcribe(audio, "voice.ogg", seller.language)
    except TranscriptionFailed:
        await message.reply_text(t(lang, "voice_failed"))
        return
    if not text:
        await message.reply_text(t(lang, "voice_empty"))
        return
    await message.reply_text(t(lang, "voice_heard", text=html.escape(text)), do_quote=True)
    await apply_request(state, message, draft_id, text, lang)


async def _target(context: BotContext, chat_id: int, replied: object) -> int | None:
    """The card replied to, else the one whose Edit menu was opened a moment ago."""
    services, user_id = context.state.services, context.seller.user_id
    message_id = getattr(replied, "message_id", None)
    if message_id is not None:
        card = await services.drafts.by_card(chat_id, message_id, user_id)
        return card.id if card is not None else None
    opened = context.state.edit_menus.get(user_id)
    if opened is None or time.monotonic() - opened[1] > EDIT_MENU_WINDOW:
        return None
    draft = await services.drafts.get(user_id, opened[0])
    return draft.id if draft is not None else None
