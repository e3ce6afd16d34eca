"""The buttons under a card and its pickers: each marks the present choice with ✓."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.cards import draft_button, encode
from bot.texts import money, t
from core.catalog import Category
from core.drafts.fields import EDITABLE_FIELDS
from core.drafts.models import Draft, DraftStatus
from core.models import Condition
from core.sizes import size_grid

EDIT_FIELDS = [*EDITABLE_FIELDS, "cover"]  # the Edit menu, in card order


def main_keyboard(
    draft: Draft,
    lang: str,
    photo_count: int,
    *,
    undo: bool = False,
    busy: bool = False,
    split: bool = False,
    suggested: float | None = None,
) -> InlineKeyboardMarkup | None:
    """Return the card's buttons for the draft's status (with Undo just after an edit; only
    the photos while work on the draft is under way)."""
    assert draft.id is not None
    did = draft.id
    photos = [draft_button(lang, did, "ph", "btn_photos", count=photo_count)]
    if busy:
        return InlineKeyboardMarkup([photos])
    if draft.status is DraftStatus.FAILED and not draft.title:
        return InlineKeyboardMarkup(
            [
                [
                    draft_button(lang, did, "rg", "btn_retry"),
                    draft_button(lang, did, "dl", "btn_delete"),
                ]
            ]
        )
    if draft.status is DraftStatus.FAILED:  # publishing failed: try again, or edit first
        return InlineKeyboardMarkup(
            [
                [
                    draft_button(lang, did, "pr", "btn_retry"),
                    draft_button(lang, did, "ed", "btn_edit"),
                ],
                [draft_button(lang, did, "dl", "btn_delete")],
                photos,
            ]
        )
    if draft.status is DraftStatus.APPROVED:
        return InlineKeyboardMarkup([[draft_button(lang, did, "un", "btn_undo")], photos])
    if draft.status in (DraftStatus.PUBLISHING, DraftStatus.PUBLISHED):
        return InlineKeyboardMarkup([photos])
    rows = [
        [
            draft_button(lang, did, "ap", "btn_approve"),
            draft_button(lang, did, "ed", "btn_edit"),
        ],
        [
            draft_button(lang, did, "rg", "btn_regenerate"),
            draft_button(lang, did, "dl", "btn_delete"),
        ],
        photos,
    ]
    currency = draft.price.currency if draft.price else "EUR"
    if (
        suggested
        and draft.price
        and money(lang, suggested, currency) != money(lang, draft.price.target, currency)
    ):  # Vinted's own suggestion, one tap away
        price = money(lang, suggested, currency)
        rows.insert(1, [draft_button(lang, did, "vp", "btn_vinted_price", price=price)])
    if split:  # auto-grouping made one item of several albums: offer them back apart
        rows.insert(-1, [draft_button(lang, did, "sp", "btn_split")])
    if undo:
        rows.insert(1, [draft_button(lang, did, "ue", "btn_undo_edit")])
    return InlineKeyboardMarkup(rows)


def edit_keyboard(draft_id: int, lang: str) -> InlineKeyboardMarkup:
    """Return the field menu opened by Edit."""
    buttons = [draft_button(lang, draft_id, "f", f"field_{f}", arg=f) for f in EDIT_FIELDS]
    buttons.append(draft_button(lang, draft_id, "vc", "btn_marketplace_category", arg="0"))
    rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    rows.append([draft_button(lang, draft_id, "bk", "btn_back")])
    return InlineKeyboardMarkup(rows)


CURRENT = "✓ "  # marks the draft's present value in a picker


def condition_keyboard(
    draft_id: int, lang: str, action: str = "cc", current: Condition | None = None
) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                (CURRENT if c is current else "") + t(lang, f"cond_{c.value}"),
                callback_data=encode("d", draft_id, action, c.value),
            )
        ]
        for c in Condition
    ]
    rows.append([draft_button(lang, draft_id, "bk", "btn_back")])
    return InlineKeyboardMarkup(rows)


def size_keyboard(draft: Draft, lang: str, action: str = "cs") -> InlineKeyboardMarkup:
    """Return the size grid for the draft's category, its present size marked (and first
    when the grid lacks it); "cs" confirms then approves, "sz" sets it from the Edit menu."""
    assert draft.id is not None
    grid = list(size_grid(draft.category, draft.language))
    if draft.size and draft.size not in grid and len(draft.size.encode()) <= 40:
        grid.insert(0, draft.size)
    buttons = [
        InlineKeyboardButton(
            (CURRENT if size == draft.size else "") + size,
            callback_data=encode("d", draft.id, action, size),
        )
        for size in grid
    ]
    rows = [buttons[i : i + 4] for i in range(0, len(buttons), 4)]
    rows.append([draft_button(lang, draft.id, "sx", "btn_other_size")])
    rows.append([draft_button(lang, draft.id, "bk", "btn_back")])
    return InlineKeyboardMarkup(rows)


def category_keyboard(
    draft_id: int, lang: str, matches: list[Category], current: str = ""
) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                (CURRENT if c.id == current else "") + c.label(lang)[-60:],
                callback_data=encode("d", draft_id, "cat", c.id),
            )
        ]
        for c in matches[:8]
    ]
    rows.append([draft_button(lang, draft_id, "bk", "btn_back")])
    return InlineKeyboardMarkup(rows)


def marketplace_category_keyboard(
    draft_id: int,
    lang: str,
    options: list[tuple[int, str]],
    *,
    up: str | None,
    other: bool,
    action: str = "vc",
    chosen: frozenset[int] = frozenset(),
) -> InlineKeyboardMarkup:
    """Return buttons for the site's categories: a leaf chooses it, a branch opens it.

    `options` are (node id, label); `up` is where Back goes ("r": the roots), `other` offers
    the whole tree after the first suggestions; the nodes on the path of the leaf already
    `chosen` are ticked.
    """
    rows = [
        [
            InlineKeyboardButton(
                (CURRENT if i in chosen else "") + label[-60:],
                callback_data=encode("d", draft_id, action, str(i)),
            )
        ]
        for i, label in options[:20]
    ]
    if other:
        rows.append([draft_button(lang, draft_id, action, "btn_other_marketplace_category", "r")])
    if up is not None:
        rows.append([draft_button(lang, draft_id, action, "btn_up", up)])
    rows.append([draft_button(lang, draft_id, "bk", "btn_back")])
    return InlineKeyboardMarkup(rows)


def cover_keyboard(draft_id: int, lang: str, count: int) -> InlineKeyboardMarkup:
    """Return a button per photo, numbered like the photos sent; photo 1 is the cover."""
    buttons = [
        InlineKeyboardButton(
            (CURRENT if i == 0 else "") + str(i + 1),
            callback_data=encode("d", draft_id, "cv", str(i)),
        )
        for i in range(count)
    ]
    rows = [buttons[i : i + 5] for i in range(0, len(buttons), 5)]
    rows.append([draft_button(lang, draft_id, "bk", "btn_back")])
    return InlineKeyboardMarkup(rows)


def delete_keyboard(draft_id: int, lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                draft_button(lang, draft_id, "dly", "btn_confirm_delete"),
                draft_button(lang, draft_id, "bk", "btn_back"),
            ]
        ]
    )


def photos_keyboard(
    draft: Draft, lang: str, *, undo: tuple[int, int] | None = None
) -> InlineKeyboardMarkup:
    """Return the Photos menu: a button per photo (numbered as sent, 1 the cover), to move
    or remove it, then show them again, add more, back. `undo`: the photo just removed and
    where it was, to put it back (the button carries the version the removal wrote)."""
    assert draft.id is not None
    did = draft.id
    buttons = [
        InlineKeyboardButton(str(n + 1), callback_data=encode("d", did, "pk", str(photo_id)))
        for n, photo_id in enumerate(draft.photo_ids)
    ]
    rows = [buttons[i : i + 5] for i in range(0, len(buttons), 5)]
    if undo is not None:
        photo_id, position = undo
        arg = f"{photo_id}.{position}.{draft.version}"
        rows.insert(0, [draft_button(lang, did, "pu", "btn_photo_undo", arg)])
    rows.append(
        [
            draft_button(lang, did, "ps", "btn_photos_show"),
            draft_button(lang, did, "pa", "btn_photos_add"),
        ]
    )
    rows.append([draft_button(lang, did, "bk", "btn_back")])
    return InlineKeyboardMarkup(rows)


def photo_keyboard(draft: Draft, lang: str, photo_id: int) -> InlineKeyboardMarkup:
    """Return what can be done with one photo: earlier, later, put it at a position (→ Cover
    is position 1), remove it (never the last one), back to the photos."""
    assert draft.id is not None
    did, count = draft.id, len(draft.photo_ids)
    index = draft.photo_ids.index(photo_id)
    pid = str(photo_id)
    steps = []
    if index > 0:
        steps.append(draft_button(lang, did, "pe", "btn_photo_earlier", pid))
    if index < count - 1:
        steps.append(draft_button(lang, did, "pl", "btn_photo_later", pid))
    places = [
        draft_button(
            lang,
            did,
            "pt",
            "btn_photo_to_cover" if to == 0 else "btn_photo_to",
            f"{pid}.{to}",
            count=to + 1,
        )
        for to in range(count)
        if to != index
    ]
    rows = [steps] if steps else []
    rows += [places[i : i + 5] for i in range(0, len(places), 5)]
    last = [draft_button(lang, did, "pb", "btn_photo_back")]
    if count > 1:
        last.insert(0, draft_button(lang, did, "px", "btn_photo_remove", pid))
    rows.append(last)
    return InlineKeyboardMarkup(rows)
