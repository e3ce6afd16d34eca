"""Buttons on a batch's progress message: retry a failed analysis, approve the ready drafts."""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot import cards
from bot.context import BotContext
from bot.state import BotState
from bot.texts import t


def approve_ready_keyboard(batch_id: int, ready: int, lang: str) -> InlineKeyboardMarkup | None:
    """The summary's offer to approve every ready draft of the batch, when there are some."""
    if ready < 1:
        return None
    label = t(lang, "btn_approve_ready", count=ready) if ready > 1 else t(lang, "btn_approve_one")
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=cards.encode("b", batch_id, "apr"))]]
    )


async def on_batch_button(update: Update, context: BotContext) -> None:
    """Retry a failed batch; approve its ready drafts (after a confirmation), or undo that."""
    state = context.state
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    lang, user_id = context.lang, update.effective_user.id
    callback = cards.decode(query.data)
    if callback is None:
        await query.answer(t(lang, "old_button"), show_alert=True)
        return
    batch_id = callback.target
    if callback.action == "retry":
        if not await state.intake.retry(batch_id, user_id, lang):
            await query.answer(t(lang, "old_button"), show_alert=True)
            return
        await query.answer(t(lang, "regenerating"))
    elif callback.action in ("apr", "apry", "apu"):
        await _bulk(state, query, user_id, batch_id, callback.action, lang)
    else:
        await query.answer(t(lang, "old_button"), show_alert=True)


async def _bulk(
    state: BotState, query: CallbackQuery, user_id: int, batch_id: int, action: str, lang: str
) -> None:
    bulk = state.services.bulk

    def button(key: str, code: str, **params: object) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            t(lang, key, **params), callback_data=cards.encode("b", batch_id, code)
        )

    if action == "apr":  # ask first: it sends them all to the publishing queue
        ready = await bulk.ready(user_id, batch_id)
        if not ready:
            await query.answer(t(lang, "bulk_none_ready"), show_alert=True)
            return
        confirm = button("btn_confirm_approve_ready", "apry", count=len(ready))
        await query.edit_message_reply_markup(InlineKeyboardMarkup([[confirm]]))
        await query.answer(t(lang, "bulk_confirm", count=len(ready)))
        return
    if action == "apry":
        done = await bulk.approve(user_id, batch_id)
        for draft in done:
            await state.sender.refresh_card(draft, lang)
        undo = InlineKeyboardMarkup([[button("btn_undo_approve_ready", "apu")]])
        text = t(lang, "bulk_approved", count=len(done))
        if await state.services.sessions.info(user_id) is None:
            text += "\n" + t(lang, "approved_connect_first")
        await query.edit_message_text(text, reply_markup=undo if done else None)
        await query.answer(t(lang, "bulk_approved", count=len(done)))
        return
    back = await bulk.undo(user_id, batch_id)
    for draft in back:
        await state.sender.refresh_card(draft, lang)
    await query.edit_message_text(t(lang, "bulk_undone", count=len(back)), reply_markup=None)
    await query.answer(t(lang, "bulk_undone", count=len(back)))
