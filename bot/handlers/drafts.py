"""Buttons on draft cards: approve, edit menu, regenerate, delete, confirmations (the
Photos menu is in photo_buttons)."""

from __future__ import annotations

import contextlib
import html
import logging
import time

from telegram import CallbackQuery, InlineKeyboardMarkup, Update

from bot import cards, keyboards
from bot.changes import change_line, regenerated_note
from bot.context import BotContext
from bot.handlers.edit_buttons import EDIT_ACTIONS
from bot.handlers.errors import friendly
from bot.handlers.photo_buttons import PHOTO_ACTIONS
from bot.state import BotState
from bot.texts import t
from core.catalogs.service import CategoryNotFound
from core.drafts.editing import MARKETPLACE_CATEGORY, ApproveOutcome
from core.drafts.models import Draft
from core.drafts.parsing import EditRejected

log = logging.getLogger(__name__)


async def on_button(update: Update, context: BotContext) -> None:
    """Route a card button to its action, after checking who owns the draft."""
    state = context.state
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    lang = context.lang
    callback = cards.decode(query.data)
    if callback is None:
        await query.answer(t(lang, "old_button"), show_alert=True)
        return
    if callback.action == "rs":  # the draft is in the trash: only its owner can bring it back
        await _restore(state, query, update.effective_user.id, callback.target, lang)
        return
    draft = await state.services.drafts.find(callback.target)
    if draft is None:
        await query.answer(t(lang, "draft_gone"), show_alert=True)
        return
    if draft.user_id != update.effective_user.id:
        await query.answer(t(lang, "not_yours"), show_alert=True)
        return
    action = _ACTIONS.get(callback.action)
    if action is None:
        await query.answer(t(lang, "old_button"), show_alert=True)
        return
    await action(state, query, draft, callback.arg, lang)


async def _approve(state: BotState, query: CallbackQuery, draft: Draft, _: str, lang: str) -> None:
    """Approve, or first ask for what is still to confirm, or say what is missing."""
    assert draft.id is not None
    result = await state.services.editor.approve(draft.user_id, draft.id)
    if result.outcome is ApproveOutcome.APPROVED:
        await state.sender.refresh_card(result.draft, lang)
        if await state.services.sessions.info(draft.user_id) is None:
            # Kept in the queue, but nothing can go out before a session: say so now.
            await query.answer(t(lang, "approved_connect_first"), show_alert=True)
        else:
            await query.answer(t(lang, "approved"))
    elif result.outcome is ApproveOutcome.NEEDS_CONFIRMATION:
        first = result.to_confirm[0]
        if first == MARKETPLACE_CATEGORY:
            await _show_categories(
                state, query, result.draft, 0, lang, approving=True, answer=False
            )
        else:
            markup = (
                keyboards.condition_keyboard(draft.id, lang, "cc", result.draft.condition)
                if first == "condition"
                else keyboards.size_keyboard(result.draft, lang)
            )
            await query.edit_message_reply_markup(markup)
        items = ", ".join(t(lang, f"field_{f}") for f in result.to_confirm)
        await query.answer(t(lang, "approve_confirm_first", items=items), show_alert=True)
    elif result.outcome is ApproveOutcome.NOT_READY:
        await query.edit_message_reply_markup(keyboards.edit_keyboard(draft.id, lang))
        await query.answer(
            t(lang, "approve_not_ready", items=cards.missing_words(result.missing, lang))[:200],
            show_alert=True,
        )
    elif result.outcome is ApproveOutcome.FAILED:
        await query.answer(cards.status_line(result.draft, lang)[:200], show_alert=True)
    else:
        await query.answer(t(lang, "approve_already"))


async def _confirm(
    state: BotState, query: CallbackQuery, draft: Draft, value: str, lang: str, field: str
) -> None:
    """Take a one-tap confirmation from the approve flow, then carry on approving."""
    assert draft.id is not None
    updated, change = await state.services.editor.confirm(draft.user_id, draft.id, field, value)
    await state.sender.refresh_card(updated, lang, note=change_line(change, lang))
    await _approve(state, query, updated, "", lang)


async def _confirm_condition(
    state: BotState, query: CallbackQuery, draft: Draft, arg: str, lang: str
) -> None:
    await _confirm(state, query, draft, arg, lang, "condition")


async def _confirm_size(
    state: BotState, query: CallbackQuery, draft: Draft, arg: str, lang: str
) -> None:
    await _confirm(state, query, draft, arg, lang, "size")


async def _marketplace_category(
    state: BotState, query: CallbackQuery, draft: Draft, arg: str, lang: str
) -> None:
    """Walk the site's own category tree from the Edit menu; a leaf is chosen."""
    await _walk_categories(state, query, draft, arg, lang, approving=False)


async def _marketplace_category_then_approve(
    state: BotState, query: CallbackQuery, draft: Draft, arg: str, lang: str
) -> None:
    """Walk the tree from the approve flow; choosing a leaf carries on approving."""
    await _walk_categories(state, query, draft, arg, lang, approving=True)


async def _walk_categories(
    state: BotState, query: CallbackQuery, draft: Draft, arg: str, lang: str, *, approving: bool
) -> None:
    assert draft.id is not None
    catalogs = state.services.catalogs
    node_id = cards.as_id(arg) or 0
    path, _ = await catalogs.children(node_id or None)
    if path and not path[-1].children:  # a leaf: the seller's choice
        try:
            chosen = await catalogs.choose(draft.user_id, draft.id, node_id)
        except CategoryNotFound:
            await query.answer(t(lang, "old_button"), show_alert=True)
            return
        note = t(lang, "marketplace_category_set", path=html.escape(" > ".join(chosen.titles)))
        current = await state.services.drafts.get(draft.user_id, draft.id) or draft
        await state.sender.refresh_card(current, lang, note=note)
        if approving:
            await _approve(state, query, current, "", lang)
        else:
            await query.answer(t(lang, "edited"))
        return
    # "0": suggestions first (or the roots); "r": the whole tree from its roots.
    suggest = arg == "0"
    await _show_categories(
        state, query, draft, node_id, lang, approving=approving, suggest=suggest
    )


async def _show_categories(
    state: BotState,
    query: CallbackQuery,
    draft: Draft,
    node_id: int,
    lang: str,
    *,
    approving: bool,
    suggest: bool = True,
    answer: bool = True,
) -> None:
    """Show the leaves suggested for the draft, or one node's children (0: the roots)."""
    assert draft.id is not None
    catalogs = state.services.catalogs
    action = "vca" if approving else "vc"
    if await catalogs.tree() is None:
        await query.answer(t(lang, "marketplace_category_unknown"), show_alert=True)
        return
    path, children = await catalogs.children(node_id or None)
    suggested = await catalogs.candidates(draft) if suggest and not path else []
    placed = await catalogs.placed(draft)
    chosen = frozenset(placed.choice.ids) if placed and placed.choice else frozenset()
    if suggested:
        options = [(c.leaf_id, " > ".join(c.titles[-2:])) for c in suggested]
        markup = keyboards.marketplace_category_keyboard(
            draft.id, lang, options, up=None, other=True, action=action, chosen=chosen
        )
    else:
        options = [(n.id, n.title + ("" if not n.children else " ›")) for n in children]
        up = str(path[-2].id) if len(path) > 1 else ("r" if path else None)
        markup = keyboards.marketplace_category_keyboard(
            draft.id, lang, options, up=up, other=False, action=action, chosen=chosen
        )
    await query.edit_message_reply_markup(markup)
    if answer:
        await query.answer(t(lang, "pick_marketplace_category"))


async def _edit_menu(
    state: BotState, query: CallbackQuery, draft: Draft, _: str, lang: str
) -> None:
    assert draft.id is not None
    state.edit_menus[draft.user_id] = (draft.id, time.monotonic())
    await query.edit_message_reply_markup(keyboards.edit_keyboard(draft.id, lang))
    await query.answer(t(lang, "edit_menu"))


async def _back(state: BotState, query: CallbackQuery, draft: Draft, _: str, lang: str) -> None:
    await state.sender.refresh_card(draft, lang)
    await query.answer()


async def _regenerate(
    state: BotState, query: CallbackQuery, draft: Draft, _: str, lang: str
) -> None:
    """Analyse the item again in the background: the card says so, then what changed."""
    await query.answer(t(lang, "regenerating"))

    async def run() -> None:
        with contextlib.suppress(Exception):  # said on the card, logged when unexpected
            await regenerate_on_card(state, draft, lang)

    state.intake.app.create_task(run())


async def regenerate_on_card(
    state: BotState, draft: Draft, lang: str, hint: str | None = None
) -> Draft:
    """Write a new version while the card says so, then say on it what changed.

    When it fails the listing stays as it was, the card says why, and the error is raised.
    """
    assert draft.id is not None
    await state.sender.refresh_card(draft, lang, note=t(lang, "regenerating_card"), busy=True)
    try:
        updated = await state.services.editor.regenerate(draft.user_id, draft.id, hint)
    except Exception as exc:
        key = friendly(exc)
        if key is None:
            log.exception("regenerating draft %s failed", draft.id)
        current = await state.services.drafts.get(draft.user_id, draft.id)
        if current is not None:
            note = t(lang, "regenerate_failed", reason=t(lang, key or "err_generic"))
            with contextlib.suppress(Exception):
                await state.sender.refresh_card(current, lang, note=note)
        raise
    await state.sender.refresh_card(updated, lang, note=regenerated_note(draft, updated, lang))
    return updated


async def _split(state: BotState, query: CallbackQuery, draft: Draft, _: str, lang: str) -> None:
    """Give each album the auto-grouping merged its own draft; the new cards follow."""
    assert draft.id is not None
    merged = await state.services.splitter.merged_from(draft)
    if merged.parts < 2:
        await query.answer(t(lang, "err_split_single"), show_alert=True)
        return
    working = t(lang, "splitting", count=merged.parts)
    await query.answer(working)
    await state.sender.refresh_card(draft, lang, note=working, busy=True)
    chat_id = query.message.chat.id  # type: ignore[union-attr]

    async def run() -> None:
        try:
            first, *others = await state.services.splitter.split(draft.user_id, draft.id or 0)
        except Exception as exc:  # nothing moved: the card says why
            key = friendly(exc)
            if key is None:
                log.exception("splitting draft %s failed", draft.id)
            current = await state.services.drafts.get(draft.user_id, draft.id or 0)
            if current is not None:
                await state.sender.refresh_card(current, lang, note=t(lang, key or "err_generic"))
            return
        done = t(lang, "split_done", count=1 + len(others))
        await state.sender.refresh_card(first, lang, note=done)
        for other in others:
            await state.sender.send_card(chat_id, other, lang)

    state.intake.app.create_task(run())


async def _delete_ask(
    state: BotState, query: CallbackQuery, draft: Draft, _: str, lang: str
) -> None:
    assert draft.id is not None
    await query.edit_message_reply_markup(keyboards.delete_keyboard(draft.id, lang))
    await query.answer(t(lang, "confirm_delete"))


async def _delete(state: BotState, query: CallbackQuery, draft: Draft, _: str, lang: str) -> None:
    assert draft.id is not None
    await state.services.editor.delete(draft.user_id, draft.id)
    restore = InlineKeyboardMarkup([[cards.draft_button(lang, draft.id, "rs", "btn_restore")]])
    await query.edit_message_caption(t(lang, "card_deleted_undo"), reply_markup=restore)
    await query.answer(t(lang, "deleted"))


async def _restore(
    state: BotState, query: CallbackQuery, user_id: int, draft_id: int, lang: str
) -> None:
    """Bring a deleted draft back onto the card that said it was deleted."""
    try:
        draft, to_approve = await state.services.editor.restore(user_id, draft_id)
    except EditRejected:
        await query.answer(t(lang, "err_restore_gone"), show_alert=True)
        return
    note = t(lang, "restored_to_approve" if to_approve else "restored")
    await state.sender.refresh_card(draft, lang, note=note)
    await query.answer(t(lang, "restored"))


async def _undo(state: BotState, query: CallbackQuery, draft: Draft, _: str, lang: str) -> None:
    assert draft.id is not None
    updated = await state.services.editor.undo_approve(draft.user_id, draft.id)
    await state.sender.refresh_card(updated, lang)
    await query.answer(t(lang, "undone"))


async def _retry_publish(
    state: BotState, query: CallbackQuery, draft: Draft, _: str, lang: str
) -> None:
    """Put a draft whose publishing failed back in the queue."""
    assert draft.id is not None
    await state.queue.retry(draft.user_id, draft.id)
    updated = await state.services.drafts.get(draft.user_id, draft.id)
    if updated is not None:
        await state.sender.refresh_card(updated, lang)
    await query.answer(t(lang, "approved"))


async def _open(state: BotState, query: CallbackQuery, draft: Draft, _: str, lang: str) -> None:
    """Send the draft's card again at the bottom (from /drafts, /queue or a failure notice);
    the old card goes, so only one card of a draft is live."""
    await query.answer()
    chat_id = query.message.chat.id  # type: ignore[union-attr]
    await state.sender.reopen_card(chat_id, draft, lang, t(lang, "card_moved"))


_ACTIONS = {
    "ap": _approve,
    "cc": _confirm_condition,
    "cs": _confirm_size,
    "ed": _edit_menu,
    "bk": _back,
    "rg": _regenerate,
    "dl": _delete_ask,
    "dly": _delete,
    "sp": _split,
    "un": _undo,
    "op": _open,
    "pr": _retry_publish,
    "vc": _marketplace_category,
    "vca": _marketplace_category_then_approve,
    **EDIT_ACTIONS,
    **PHOTO_ACTIONS,
}


async def on_unknown_button(update: Update, context: BotContext) -> None:
    """Answer a press on a button this version does not know (e.g. from an old card)."""
    query = update.callback_query
    assert query is not None
    await query.answer(t(context.lang, "old_button"), show_alert=True)
