"""Card buttons that change a field: open its editor, pick a value, choose the cover, undo.

A change is said once, on the card itself, with the lines that followed it and an Undo button.
"""

from __future__ import annotations

import html

from telegram import CallbackQuery, ForceReply

from bot import cards, keyboards
from bot.changes import edit_note
from bot.state import BotState
from bot.texts import t
from core.drafts.models import Draft
from core.drafts.parsing import format_value
from core.models import Condition
from core.sellers.models import AwaitKind

_ASK_KEYS = {
    "title": "ask_title",
    "price": "ask_price",
    "brand": "ask_brand",
    "colours": "ask_colours",
    "category": "ask_category",
    "size": "ask_other_size",
}


async def _field(
    state: BotState, query: CallbackQuery, draft: Draft, field: str, lang: str
) -> None:
    """Open the editor of one field: buttons for a condition, a question for the rest."""
    assert draft.id is not None
    if field == "condition":
        await query.edit_message_reply_markup(
            keyboards.condition_keyboard(draft.id, lang, "c", draft.condition)
        )
        await query.answer(t(lang, "pick_condition"))
        return
    if field == "size":
        await query.edit_message_reply_markup(keyboards.size_keyboard(draft, lang, "sz"))
        await query.answer(t(lang, "pick_size"))
        return
    if field == "cover":
        photos = await state.sender.send_photos(query.message.chat.id, draft)  # type: ignore[union-attr]
        await query.edit_message_reply_markup(
            keyboards.cover_keyboard(draft.id, lang, len(photos))
        )
        await query.answer(t(lang, "pick_cover"))
        return
    await _ask(state, query, draft, field, lang)


async def _ask(state: BotState, query: CallbackQuery, draft: Draft, field: str, lang: str) -> None:
    """Ask for the field's new value in a reply, the present value shown."""
    assert draft.id is not None
    current = format_value(field, getattr(draft, field, None))
    key = _ASK_KEYS.get(field)
    question = t(lang, key) if key else t(lang, "ask_value", field=t(lang, f"field_{field}"))
    if current and field != "description":
        question += f"\n({html.escape(current)})"
    chat_id = query.message.chat.id  # type: ignore[union-attr]
    prompt = await state.sender.text(
        chat_id, question, reply_markup=ForceReply(input_field_placeholder=current[:64] or None)
    )
    await state.services.sellers.await_answer(
        draft.user_id,
        AwaitKind.FIELD,
        draft_id=draft.id,
        field=field,
        prompt_message_id=prompt.message_id,
    )
    await query.answer()


async def _set_from_button(
    state: BotState, query: CallbackQuery, draft: Draft, field: str, value: object, lang: str
) -> None:
    """Set a field to a tapped value; the change is noted on the card, with Undo."""
    assert draft.id is not None
    updated, change = await state.services.editor.set_field(draft.user_id, draft.id, field, value)
    await state.sender.refresh_card(updated, lang, note=edit_note([change], lang), undo=True)
    await query.answer(t(lang, "edited"))


async def _set_condition(
    state: BotState, query: CallbackQuery, draft: Draft, arg: str, lang: str
) -> None:
    await _set_from_button(state, query, draft, "condition", Condition(arg), lang)


async def _set_category(
    state: BotState, query: CallbackQuery, draft: Draft, arg: str, lang: str
) -> None:
    await _set_from_button(state, query, draft, "category", arg, lang)


async def _set_cover(
    state: BotState, query: CallbackQuery, draft: Draft, arg: str, lang: str
) -> None:
    assert draft.id is not None
    photo_id = cards.as_id(arg)
    if photo_id is None:
        await query.answer(t(lang, "old_button"))
        return
    updated = await state.services.editor.set_cover(draft.user_id, draft.id, photo_id)
    await state.sender.refresh_card(updated, lang, new_cover=True)
    await query.answer(t(lang, "cover_set"))


async def _undo_edit(
    state: BotState, query: CallbackQuery, draft: Draft, _: str, lang: str
) -> None:
    """Put back the draft as it was before its last edit."""
    assert draft.id is not None
    updated, changes = await state.services.editor.undo_edit(draft.user_id, draft.id)
    note = "\n".join([t(lang, "edit_undone"), edit_note(changes, lang)])
    await state.sender.refresh_card(updated, lang, note=note, undo=True)
    await query.answer(t(lang, "edit_undone"))


async def _set_size(
    state: BotState, query: CallbackQuery, draft: Draft, arg: str, lang: str
) -> None:
    await _set_from_button(state, query, draft, "size", arg, lang)


async def _other_size(
    state: BotState, query: CallbackQuery, draft: Draft, _: str, lang: str
) -> None:
    await _ask(state, query, draft, "size", lang)


async def _vinted_price(
    state: BotState, query: CallbackQuery, draft: Draft, _: str, lang: str
) -> None:
    """Take Vinted's own suggested price, in one tap (with Undo, like any edit)."""
    basis = await state.services.market.basis(draft)
    if basis is None or not basis.suggestion:
        await query.answer(t(lang, "old_button"), show_alert=True)
        return
    amount = f"{basis.suggestion:.2f}".rstrip("0").rstrip(".")
    await _set_from_button(state, query, draft, "price", amount, lang)


EDIT_ACTIONS = {
    "vp": _vinted_price,
    "f": _field,
    "sz": _set_size,
    "sx": _other_size,
    "c": _set_condition,
    "cat": _set_category,
    "cv": _set_cover,
    "ue": _undo_edit,
}
