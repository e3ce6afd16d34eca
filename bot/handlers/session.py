"""The seller's Vinted account: /connect, /disconnect, /status, /check, Resume."""

from __future__ import annotations

import contextlib
import html
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import Message, Update
from telegram.error import TelegramError

from bot import cards
from bot.context import BotContext
from bot.state import BotState
from bot.texts import t
from core.accounts.cookies import CookieFormatError
from core.accounts.service import Connected, NotConnected
from core.accounts.vault import SessionUnreadable
from core.drafts.models import DraftStatus
from core.publishing.views import QueueView
from core.sellers.models import AwaitKind

log = logging.getLogger(__name__)

MAX_COOKIE_FILE = 256 * 1024


async def connect(update: Update, context: BotContext) -> None:
    """Explain how to copy the cookies, or take them from `/connect <cookies>`."""
    state, lang, user_id = context.state, context.lang, context.seller.user_id
    message = update.effective_message
    assert message is not None and message.text is not None
    pasted = message.text.partition(" ")[2].strip()
    if pasted:
        await take_cookies(state, message, user_id, lang, pasted)
        return
    await state.services.sellers.await_answer(user_id, AwaitKind.COOKIES)
    await message.reply_text(
        t(lang, "connect_help", site=html.escape(state.settings.vinted_base_url)),
        disable_web_page_preview=True,
    )


async def take_cookies(
    state: BotState, message: Message, user_id: int, lang: str, pasted: str
) -> None:
    """Delete the message holding the cookies, check them with Vinted and store them."""
    deleted = await _delete(message)  # the cookies must not stay in the chat
    # Said only when Telegram confirmed it; otherwise the seller is asked, in every answer.
    note = t(lang, "connect_deleted_note" if deleted else "connect_delete_yourself")
    chat_id = message.chat_id
    sellers = state.services.sellers
    await sellers.stop_waiting(user_id, AwaitKind.COOKIES)
    progress = await state.sender.text(chat_id, t(lang, "connect_checking") + "\n" + note)
    try:
        result = await state.services.accounts.connect(user_id, pasted)
    except CookieFormatError as exc:
        await sellers.await_answer(user_id, AwaitKind.COOKIES)
        key = f"cookies_{exc.reason}"
        answer = t(lang, key, site=html.escape(state.settings.vinted_base_url))
    else:
        if isinstance(result, Connected):
            await state.queue.resume(user_id)
            answer = t(lang, "connect_ok", username=html.escape(result.username))
        else:
            answer = outcome_text(result.kind, lang, getattr(result, "step", ""))
    if not deleted:
        answer += "\n\n" + note
    await progress.edit_text(answer)


async def _delete(message: Message) -> bool:
    try:
        return bool(await message.delete())
    except TelegramError as exc:
        log.info("could not delete the cookie message: %s", type(exc).__name__)
        return False


def outcome_text(kind: str, lang: str, step: str = "") -> str:
    """Return why Vinted did not let us in, and what to do."""
    try:
        return t(lang, f"vinted_{kind}", step=step or "?", field="?", message="")
    except KeyError:  # an outcome this version has no words for
        return t(lang, "vinted_network")


async def disconnect(update: Update, context: BotContext) -> None:
    """Forget the seller's Vinted session."""
    message = update.effective_message
    assert message is not None
    removed = await context.state.services.accounts.disconnect(context.seller.user_id)
    lang = context.lang
    await message.reply_text(t(lang, "disconnected" if removed else "not_connected"))


async def status(update: Update, context: BotContext) -> None:
    """Show the Vinted session (username, last check, last publish) and the queue."""
    state, lang, user_id = context.state, context.lang, context.seller.user_id
    message = update.effective_message
    assert message is not None
    info = await state.services.sessions.info(user_id)
    if info is None:
        await message.reply_text(t(lang, "not_connected"))
        return
    view = await state.queue.queue_view(user_id)
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
    failed = [
        d
        for d in await state.services.drafts.page(user_id, [DraftStatus.FAILED], limit=50)
        if d.title  # a publish that failed, not an analysis
    ]
    if failed:
        text += "\n" + t(lang, "status_not_published", count=len(failed))
    await message.reply_text(text)


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


async def check(update: Update, context: BotContext) -> None:
    """Check that Vinted's upload page still has everything the publisher needs."""
    lang = context.lang
    message = update.effective_message
    assert message is not None
    progress = await message.reply_text(t(lang, "check_running"))
    try:
        report = await context.state.services.accounts.check_page(context.seller.user_id)
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


async def on_resume(update: Update, context: BotContext) -> None:
    """Lift the pause on the seller's publishing queue."""
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    lang = context.lang
    await context.state.queue.resume(update.effective_user.id)
    await query.answer(t(lang, "resumed"))
    with contextlib.suppress(TelegramError):
        await query.edit_message_reply_markup(None)


async def daily_check(context: BotContext) -> None:
    """Read the site's catalog and check the upload page once a day; say if it changed."""
    state = context.state
    users = await state.services.sessions.connected_users()
    for user_id in users[:1]:  # the site's own tree, read once a day with any session
        await state.services.catalogs.refresh_if_stale(user_id)
    for user_id in users:
        seller = await state.services.sellers.get(user_id)
        lang = (seller.ui_language if seller else None) or "en"
        try:
            report = await state.services.accounts.check_page(user_id)
        except (NotConnected, SessionUnreadable):
            continue
        if report.outcome is None and report.missing:
            await state.sender.text(
                user_id,
                t(lang, "check_missing", selectors=html.escape(", ".join(report.missing))),
            )
