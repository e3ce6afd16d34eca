"""The seller's Vinted account: /connect, /disconnect, /status, /check, Resume."""

from __future__ import annotations

import contextlib
import html
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import cards
from bot.state import BotState, state_of
from bot.texts import t
from core.accounts import Connected, NotConnected
from core.publishing import QueueView
from core.vault import CookieFormatError, SessionUnreadable

log = logging.getLogger(__name__)

MAX_COOKIE_FILE = 256 * 1024


async def connect(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain how to copy the cookies, or take them from `/connect <cookies>`."""
    state = state_of(context)
    message = update.effective_message
    assert message is not None and message.text is not None
    user = await state.user(update)
    lang = await state.lang(update)
    pasted = message.text.partition(" ")[2].strip()
    if pasted:
        await take_cookies(state, message, user.user_id, lang, pasted)
        return
    await state.services.store.update_user(user.user_id, settings={"awaiting": {"connect": 1}})
    await message.reply_text(
        t(lang, "connect_help", site=html.escape(state.settings.vinted_base_url)),
        parse_mode=ParseMode.HTML,
        disable_web_page_preview=True,
    )


async def take_cookies(
    state: BotState, message: Message, user_id: int, lang: str, pasted: str
) -> None:
    """Delete the message holding the cookies, check them with Vinted and store them."""
    with contextlib.suppress(TelegramError):  # the cookies must not stay in the chat
        await message.delete()
    chat_id = message.chat_id
    await state.services.store.update_user(user_id, settings={"awaiting": None})
    progress = await state.sender.text(
        chat_id, t(lang, "connect_checking") + "\n" + t(lang, "connect_deleted_note")
    )
    try:
        result = await state.services.accounts.connect(user_id, pasted)
    except CookieFormatError as exc:
        await state.services.store.update_user(user_id, settings={"awaiting": {"connect": 1}})
        key = f"cookies_{exc.reason}"
        await progress.edit_text(t(lang, key, site=html.escape(state.settings.vinted_base_url)))
        return
    if isinstance(result, Connected):
        await state.queue.resume(user_id)
        await progress.edit_text(
            t(lang, "connect_ok", username=html.escape(result.username)),
            parse_mode=ParseMode.HTML,
        )
        return
    await progress.edit_text(outcome_text(result.kind, lang, getattr(result, "step", "")))


def outcome_text(kind: str, lang: str, step: str = "") -> str:
    """Return why Vinted did not let us in, and what to do."""
    try:
        return t(lang, f"vinted_{kind}", step=step or "?", field="?", message="")
    except KeyError:  # an outcome this version has no words for
        return t(lang, "vinted_network")


async def disconnect(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Forget the seller's Vinted session."""
    state = state_of(context)
    message = update.effective_message
    assert message is not None
    user = await state.user(update)
    lang = await state.lang(update)
    removed = await state.services.accounts.disconnect(user.user_id)
    await message.reply_text(t(lang, "disconnected" if removed else "not_connected"))


async def status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the Vinted session (username, last check, last publish) and the queue."""
    state = state_of(context)
    message = update.effective_message
    assert message is not None
    user = await state.user(update)
    lang = await state.lang(update)
    info = await state.services.sessions.info(user.user_id)
    if info is None:
        await message.reply_text(t(lang, "not_connected"))
        return
    view = await state.queue.queue_view(user.user_id)
    zone = ZoneInfo(view.timezone)
    text = t(
        lang,
        "status",
        username=html.escape(info.username or "?"),
        checked=when_text(info.checked_at, zone, lang),
        published=when_text(info.last_publish_at, zone, lang),
        mode=t(lang, f"mode_{view.mode}"),
        queued=len(view.entries),
        today=view.published_today,
        cap=view.daily_cap,
        next=next_text(view, zone, lang),
    )
    await message.reply_text(text, parse_mode=ParseMode.HTML)


def when_text(moment: datetime | None, zone: ZoneInfo, lang: str) -> str:
    if moment is None:
        return t(lang, "status_never")
    return moment.astimezone(zone).strftime("%d/%m %H:%M")


def next_text(view: QueueView, zone: ZoneInfo, lang: str) -> str:
    """Return when the next publish happens, or why it does not."""
    if view.paused_reason:
        return t(lang, "status_paused", reason=cards.publish_reason(view.paused_reason, "", lang))
    if not view.entries:
        return t(lang, "status_not_scheduled")
    if view.next_at is None:
        return t(lang, "status_now")
    return view.next_at.astimezone(zone).strftime("%d/%m %H:%M")


async def check(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Check that Vinted's upload page still has everything the publisher needs."""
    state = state_of(context)
    message = update.effective_message
    assert message is not None
    user = await state.user(update)
    lang = await state.lang(update)
    progress = await message.reply_text(t(lang, "check_running"))
    try:
        report = await state.services.accounts.check_page(user.user_id)
    except NotConnected:
        await progress.edit_text(t(lang, "not_connected"))
        return
    except SessionUnreadable:
        await progress.edit_text(t(lang, "session_unreadable"))
        return
    if report.outcome is not None:
        await progress.edit_text(outcome_text(report.outcome.kind, lang, report.outcome.step))
    elif report.ok:
        await progress.edit_text(t(lang, "check_ok"))
    else:
        await progress.edit_text(
            t(lang, "check_missing", selectors=html.escape(", ".join(report.missing)))
        )


async def on_resume(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Lift the pause on the seller's publishing queue."""
    state = state_of(context)
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    lang = await state.lang(update)
    await state.queue.resume(update.effective_user.id)
    await query.answer(t(lang, "resumed"))
    with contextlib.suppress(TelegramError):
        await query.edit_message_reply_markup(None)


async def daily_check(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Check the upload page once a day for each connected seller; tell them if it changed."""
    state = state_of(context)
    for user_id in await state.services.store.vinted_session_users():
        user = await state.services.store.get_user(user_id)
        lang = (user.ui_language if user else None) or "en"
        try:
            report = await state.services.accounts.check_page(user_id)
        except (NotConnected, SessionUnreadable):
            continue
        if report.outcome is None and report.missing:
            await state.sender.text(
                user_id,
                t(lang, "check_missing", selectors=html.escape(", ".join(report.missing))),
            )
