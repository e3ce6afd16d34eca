"""The two error paths: known problems as friendly replies, the rest logged first."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.texts import t, ui_language
from core.analysis import AnalysisBadAnswer, AnalysisUnavailable
from core.editing import EditRejected

log = logging.getLogger(__name__)

# Telegram errors that mean nothing is wrong (matched exactly, lower case).
HARMLESS = (
    "message is not modified",
    "query is too old and response timeout expired or query id is invalid",
)


def friendly(exc: BaseException) -> str | None:
    """Return the text key for a known domain error, or None."""
    if isinstance(exc, EditRejected):
        return f"err_{exc.key}"
    if isinstance(exc, AnalysisUnavailable):
        return f"err_{exc.reason}"
    if isinstance(exc, AnalysisBadAnswer):
        return "err_ai_bad_answer"
    return None


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer known problems kindly; log anything else in full, then apologise."""
    exc = context.error
    if isinstance(exc, BadRequest) and any(h in exc.message.lower() for h in HARMLESS):
        return
    key = friendly(exc) if exc else None
    if key is None:
        log.error("unhandled error while handling an update", exc_info=exc)
        key = "err_generic"
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    user = update.effective_user
    lang = ui_language(user.language_code if user else None)
    state = context.application.bot_data.get("state")
    if state is not None and user is not None:
        stored = await state.services.store.get_user(user.id)
        lang = (stored.ui_language if stored else None) or lang
    params = getattr(exc, "params", {}) or {}
    text = t(lang, key, **params) if params else t(lang, key)
    if update.callback_query:
        await update.callback_query.answer(text[:200], show_alert=True)
    else:
        await context.bot.send_message(update.effective_chat.id, text)
