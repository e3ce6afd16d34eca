"""The card's Photos menu: see the photos numbered, move one, remove one (with Undo), add more.

Each change shows at once on the card, which stays in the menu the seller is using. Buttons
name photos by id, so a press after another change still acts on the photo the seller saw.
"""

from __future__ import annotations

from telegram import CallbackQuery

from bot import cards, keyboards
from bot.state import BotState
from bot.texts import t
from core.drafts.lifecycle import EDITABLE
from core.drafts.models import Draft
from core.drafts.photos import PhotoChange


async def _menu(state: BotState, query: CallbackQuery, draft: Draft, _: str, lang: str) -> None:
    """Send the photos numbered; on a draft that may still change, open the Photos menu."""
    await _show(state, query, draft)
    if draft.status not in EDITABLE:
        await query.answer()
        return
    await query.edit_message_reply_markup(keyboards.photos_keyboard(draft, lang))
    await query.answer(t(lang, "photos_menu")[:200])


async def _show(state: BotState, query: CallbackQuery, draft: Draft) -> None:
    await state.sender.send_photos(query.message.chat.id, draft)  # type: ignore[union-attr]


async def _show_again(
    state: BotState, query: CallbackQuery, draft: Draft, _: str, lang: str
) -> None:
    """Send the photos again, numbered as they are now."""
    await _show(state, query, draft)
    await query.answer()


async def _back_to_menu(
    state: BotState, query: CallbackQuery, draft: Draft, _: str, lang: str
) -> None:
    await query.edit_message_reply_markup(keyboards.photos_keyboard(draft, lang))
    await query.answer()


async def _how_to_add(
    state: BotState, query: CallbackQuery, draft: Draft, _: str, lang: str
) -> None:
    limit = state.services.photos.max_photos
    await query.answer(t(lang, "photos_add_how", max=limit), show_alert=True)


async def _pick(state: BotState, query: CallbackQuery, draft: Draft, arg: str, lang: str) -> None:
    """Open what can be done with one photo."""
    photo_id = cards.as_id(arg)
    if photo_id is None or photo_id not in draft.photo_ids:
        await query.answer(t(lang, "err_photo_gone"), show_alert=True)
        return
    await query.edit_message_reply_markup(keyboards.photo_keyboard(draft, lang, photo_id))
    number = draft.photo_ids.index(photo_id) + 1
    await query.answer(t(lang, "photo_picked", number=number, count=len(draft.photo_ids)))


async def _earlier(
    state: BotState, query: CallbackQuery, draft: Draft, arg: str, lang: str
) -> None:
    await _shift(state, query, draft, arg, lang, -1)


async def _later(state: BotState, query: CallbackQuery, draft: Draft, arg: str, lang: str) -> None:
    await _shift(state, query, draft, arg, lang, 1)


async def _shift(
    state: BotState, query: CallbackQuery, draft: Draft, arg: str, lang: str, by: int
) -> None:
    assert draft.id is not None
    photo_id = cards.as_id(arg)
    if photo_id is None:
        await query.answer(t(lang, "old_button"), show_alert=True)
        return
    moved = await state.services.photos.shift(draft.user_id, draft.id, photo_id, by)
    await _moved(state, query, moved, lang)


async def _move_to(
    state: BotState, query: CallbackQuery, draft: Draft, arg: str, lang: str
) -> None:
    assert draft.id is not None
    photo_id, to = _two_ids(arg)
    if photo_id is None or to is None:
        await query.answer(t(lang, "old_button"), show_alert=True)
        return
    moved = await state.services.photos.move(draft.user_id, draft.id, photo_id, to)
    await _moved(state, query, moved, lang)


async def _moved(state: BotState, query: CallbackQuery, moved: PhotoChange, lang: str) -> None:
    """Show the new order on the card, still in the moved photo's menu."""
    assert moved.before is not None and moved.after is not None
    if moved.before == moved.after:
        await query.answer(t(lang, "photo_not_moved"))
        return
    before, after = moved.before + 1, moved.after + 1
    note = (
        t(lang, "photo_moved_cover", before=before)
        if moved.after == 0
        else t(lang, "photo_moved", before=before, after=after)
    )
    await state.sender.refresh_card(
        moved.draft,
        lang,
        note=_with_reapproval(note, moved, lang),
        new_cover=moved.cover_changed,
        buttons=keyboards.photo_keyboard(moved.draft, lang, moved.photo_id),
    )
    await query.answer(note)


async def _remove(
    state: BotState, query: CallbackQuery, draft: Draft, arg: str, lang: str
) -> None:
    """Take the photo off; the card offers to put it back."""
    assert draft.id is not None
    photo_id = cards.as_id(arg)
    if photo_id is None:
        await query.answer(t(lang, "old_button"), show_alert=True)
        return
    removed = await state.services.photos.remove(draft.user_id, draft.id, photo_id)
    assert removed.before is not None
    left = removed.draft
    note = t(lang, "photo_removed", number=removed.before + 1, count=len(left.photo_ids))
    await state.sender.refresh_card(
        left,
        lang,
        note=_with_reapproval(note, removed, lang),
        new_cover=removed.cover_changed,
        buttons=keyboards.photos_keyboard(left, lang, undo=(photo_id, removed.before)),
    )
    await query.answer(note)


async def _put_back(
    state: BotState, query: CallbackQuery, draft: Draft, arg: str, lang: str
) -> None:
    """Undo a removal: the photo returns where it was, if nothing changed the draft since."""
    assert draft.id is not None
    parts = arg.split(".")
    ids = [cards.as_id(p) for p in parts] if len(parts) == 3 else []
    if len(ids) != 3 or any(i is None for i in ids):
        await query.answer(t(lang, "old_button"), show_alert=True)
        return
    photo_id, position, version = (int(i or 0) for i in ids)
    back = await state.services.photos.put_back(
        draft.user_id, draft.id, photo_id, position, version
    )
    assert back.after is not None
    note = t(lang, "photo_put_back", number=back.after + 1)
    await state.sender.refresh_card(
        back.draft,
        lang,
        note=_with_reapproval(note, back, lang),
        new_cover=back.cover_changed,
        buttons=keyboards.photos_keyboard(back.draft, lang),
    )
    await query.answer(note)


def _two_ids(arg: str) -> tuple[int | None, int | None]:
    first, _, second = arg.partition(".")
    return cards.as_id(first), cards.as_id(second) if second else None


def _with_reapproval(note: str, change: PhotoChange, lang: str) -> str:
    return f"{note}\n{t(lang, 'edit_needs_reapproval')}" if change.unapproved else note


PHOTO_ACTIONS = {
    "ph": _menu,
    "ps": _show_again,
    "pb": _back_to_menu,
    "pa": _how_to_add,
    "pk": _pick,
    "pe": _earlier,
    "pl": _later,
    "pt": _move_to,
    "px": _remove,
    "pu": _put_back,
}
