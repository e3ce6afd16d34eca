"""Publishing commands: /dryrun fills Vinted's form without publishing; /at sets a time."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta

from telegram import Update

from bot import cards
from bot.context import BotContext
from bot.handlers.session import outcome_text
from bot.texts import t
from core.accounts.service import NotConnected
from core.accounts.vault import SessionUnreadable
from core.drafts.models import DraftStatus
from core.marketplace import ListingInvalid

_TIME = re.compile(r"^(?:(\d{1,2})/(\d{1,2})\s+)?(\d{1,2})[:h](\d{2})$")


def parse_when(text: str, now: datetime) -> datetime | None:
    """Read "18:30", "18h30" or "28/11 18:30" as the next such moment in now's time zone."""
    match = _TIME.match(text.strip())
    if not match:
        return None
    day, month, hour, minute = match.groups()
    try:
        moment = now.replace(hour=int(hour), minute=int(minute), second=0, microsecond=0)
        if day:
            moment = moment.replace(day=int(day), month=int(month))
            if moment < now:
                moment = moment.replace(year=moment.year + 1)
        elif moment < now:
            moment += timedelta(days=1)
    except ValueError:
        return None
    return moment


async def dry_run(update: Update, context: BotContext) -> None:
    """Fill Vinted's upload form with a draft, stop before publishing, show the screenshot."""
    state, lang, user_id = context.state, context.lang, context.seller.user_id
    message = update.effective_message
    assert message is not None
    args = context.args or []
    draft_id = cards.as_id(args[0]) if len(args) == 1 else None
    if draft_id is None:
        await message.reply_text(t(lang, "usage_dryrun"))
        return
    progress = await message.reply_text(t(lang, "dryrun_running", id=draft_id))
    try:
        result = await state.services.accounts.dry_run(user_id, draft_id)
    except NotConnected:
        await progress.edit_text(t(lang, "not_connected"))
        return
    except SessionUnreadable:
        await progress.edit_text(t(lang, "session_unreadable"))
        return
    except ListingInvalid as exc:
        await progress.edit_text(
            t(lang, "draft_missing_field", field=t(lang, f"field_{exc.field}"))
        )
        return
    if result is None:
        await progress.edit_text(t(lang, "draft_gone"))
        return
    if result.outcome.kind != "dry_run":
        reason = outcome_text(result.outcome.kind, lang, result.step)
        await progress.edit_text(t(lang, "dryrun_failed", id=draft_id, reason=reason))
        return
    await progress.delete()
    caption = t(lang, "dryrun_done", id=draft_id)
    if result.screenshot is not None:
        with result.screenshot.open("rb") as shot:
            await message.reply_photo(shot, caption=caption)
    else:
        await message.reply_text(caption)


async def publish_at(update: Update, context: BotContext) -> None:
    """Set (or clear, with "-") the earliest time one approved draft is published."""
    state, lang, user_id = context.state, context.lang, context.seller.user_id
    message = update.effective_message
    assert message is not None
    args = context.args or []
    draft_id = cards.as_id(args[0]) if len(args) >= 2 else None
    if draft_id is None:
        await message.reply_text(t(lang, "usage_at"))
        return
    draft = await state.services.drafts.get(user_id, draft_id)
    if draft is None:
        await message.reply_text(t(lang, "draft_gone"))
        return
    if draft.status is not DraftStatus.APPROVED:
        await message.reply_text(t(lang, "at_not_queued", id=draft_id))
        return
    zone = (await state.queue.rules(user_id)).timezone
    text = " ".join(args[1:])
    if text.strip() == "-":
        await state.queue.schedule(user_id, draft_id, None)
        await message.reply_text(t(lang, "at_cleared", id=draft_id))
        return
    when = parse_when(text, datetime.now(zone))
    if when is None:
        await message.reply_text(t(lang, "usage_at"))
        return
    await state.queue.schedule(user_id, draft_id, when)
    await message.reply_text(
        t(lang, "at_set", id=draft_id, when=html.escape(when.strftime("%d/%m %H:%M")))
    )
