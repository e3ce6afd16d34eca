"""The buttons of the day's relisting offer: relist what it showed, or not now."""

from __future__ import annotations

from contextlib import suppress

from telegram import Update
from telegram.error import BadRequest

from bot import cards
from bot.context import BotContext
from bot.texts import t


async def on_relist_button(update: Update, context: BotContext) -> None:
    """Queue (or put off) the offered relists the message showed: those up to its last id."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    lang, user_id = context.lang, update.effective_user.id
    callback = cards.decode(query.data)
    if callback is None or callback.action not in ("yes", "later"):
        await query.answer(t(lang, "old_button"), show_alert=True)
        return
    relists = context.state.relists
    shown = [r.id for r in await relists.offered(user_id) if r.id <= callback.target]
    if not shown:
        await query.answer(t(lang, "relist_nothing"), show_alert=True)
        with suppress(BadRequest):  # "not modified" when the buttons are gone already
            await query.edit_message_reply_markup(None)
        return
    if callback.action == "yes":
        count = await relists.accept(user_id, shown)
        text = t(lang, "relist_accepted", count=count)
    else:
        await relists.snooze(user_id, shown)
        text = t(lang, "relist_snoozed")
    await query.answer()
    with suppress(BadRequest):
        await query.edit_message_reply_markup(None)
    await context.state.sender.text(user_id, text)
