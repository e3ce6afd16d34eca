"""The two error paths: known problems as friendly replies, then the rest logged and reported.

`on_known_error` runs first: harmless Telegram answers are ignored, domain errors become a
reply in the seller's language, and either stops there. `on_unexpected_error` logs the rest
with its traceback, sends the traceback to the owner's chat and apologises to the seller.
"""

from __future__ import annotations

import html
import logging
import traceback

from telegram import Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from bot.texts import t, ui_language
from core.analysis import AnalysisBadAnswer, AnalysisUnavailable
from core.drafts.parsing import EditRejected
from core.private import is_disk_full

log = logging.getLogger(__name__)

# Telegram errors that mean nothing is wrong (matched exactly, lower case).
HARMLESS = (
    "message is not modified",
    "query is too old and response timeout expired or query id is invalid",
)
TRACEBACK_CHARS = 3500  # within one message, with the header


def friendly(exc: BaseException) -> str | None:
    """Return the text key for a known domain error, or None."""
    if isinstance(exc, EditRejected):
        return f"err_{exc.key}"
    if isinstance(exc, AnalysisUnavailable):
        return f"err_{exc.reason}"
    if isinstance(exc, AnalysisBadAnswer):
        return "err_ai_bad_answer"
    if is_disk_full(exc):
        log.error("the disk is full: %s", exc)  # the operator must make room
        return "err_disk_full"
    return None


async def on_known_error(update: object, context: BotContext) -> None:
    """Ignore harmless Telegram errors; answer domain errors kindly; leave the rest."""
    exc = context.error
    if isinstance(exc, BadRequest) and any(h in exc.message.lower() for h in HARMLESS):
        raise ApplicationHandlerStop
    key = friendly(exc) if exc else None
    if key is None:
        return
    params = getattr(exc, "params", {}) or {}
    await _tell(update, context, key, params)
    raise ApplicationHandlerStop


async def on_unexpected_error(update: object, context: BotContext) -> None:
    """Log the error with its traceback, report it to the owner, apologise to the seller."""
    exc = context.error
    log.error("unhandled error while handling %s", _what(update), exc_info=exc)
    owner = context.state.services.access.owner_chat() if "state" in context.bot_data else None
    if owner is not None and exc is not None:
        lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
        trace = "".join(lines)[-TRACEBACK_CHARS:]
        text = f"⚠️ {html.escape(_what(update))}\n<pre>{html.escape(trace)}</pre>"
        try:
            await context.bot.send_message(owner, text)
        except TelegramError:
            log.warning("could not send the traceback to the owner's chat", exc_info=True)
    await _tell(update, context, "err_generic", {})


async def _tell(update: object, context: BotContext, key: str, params: dict[str, object]) -> None:
    """Answer the update's seller in their language: an alert on a button, else a message."""
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    user = update.effective_user
    lang = ui_language(user.language_code if user else None)
    if user is not None and "state" in context.bot_data:
        seller = await context.state.services.sellers.get(user.id)
        lang = (seller.ui_language if seller else None) or lang
    try:
        if update.callback_query:  # an alert is plain text
            await update.callback_query.answer(t(lang, key, **params)[:200], show_alert=True)
        else:
            # The values come from what the seller typed: shown as text, never as markup.
            safe = {k: html.escape(v) if isinstance(v, str) else v for k, v in params.items()}
            await context.bot.send_message(update.effective_chat.id, t(lang, key, **safe))
    except TelegramError:
        log.warning("could not tell the seller about an error", exc_info=True)


def _what(update: object) -> str:
    if isinstance(update, Update):
        kind = "a button" if update.callback_query else "a message"
        return f"{kind} of user {update.effective_user.id if update.effective_user else '?'}"
    return "a job" if update is None else type(update).__name__
