"""A publish failure as the seller reads it: the cause, what to do, and the buttons to do it.

The cause comes from the typed outcome (core.marketplace), in the seller's language; the next
step is one line ("choose a category", "try again in a few minutes"); the buttons are the
card's own (Retry, Edit, and the category picker when Vinted has no category for the item).
"""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import cards
from bot.texts import LANGUAGES, t
from core.drafts.models import Draft

# The field a refusal names, when the seller fixes it somewhere else than the Edit menu.
_FIELD_TODOS = {"category", "photos", "push_up", "form"}


def todo_line(reason_kind: str, detail: str, lang: str) -> str:
    """Return what the seller can do about this failure, in one line."""
    if reason_kind == "field_rejected":
        field = detail.partition(":")[0].strip()
        if field in _FIELD_TODOS:
            return t(lang, f"todo_field_{field}")
        name = f"field_{field}"
        if name not in LANGUAGES["en"]:
            return t(lang, "todo_field_form")
        return t(lang, "todo_field", field=t(lang, name))
    key = f"todo_{reason_kind}"
    return t(lang, key) if key in LANGUAGES["en"] else t(lang, "todo_unknown")


def failure_text(draft: Draft, reason_kind: str, detail: str, lang: str) -> str:
    """Return the failure message: what failed, why, and what to do (HTML)."""
    reason = cards.publish_reason(reason_kind, detail, lang)
    head = t(lang, "publish_failed_msg", title=html.escape(draft.title), reason=reason)
    return f"{head}\n{todo_line(reason_kind, detail, lang)}"


def failure_keyboard(
    draft: Draft, reason_kind: str, detail: str, lang: str
) -> InlineKeyboardMarkup:
    """Return the buttons that act on this failure: the category first when it is the cause."""
    assert draft.id is not None
    rows: list[list[InlineKeyboardButton]] = []
    if reason_kind == "field_rejected" and detail.partition(":")[0].strip() == "category":
        rows.append(
            [cards.draft_button(lang, draft.id, "vc", "btn_marketplace_category", arg="0")]
        )
    rows.append(
        [
            cards.draft_button(lang, draft.id, "pr", "btn_retry"),
            cards.draft_button(lang, draft.id, "ed", "btn_edit"),
        ]
    )
    rows.append([cards.draft_button(lang, draft.id, "op", "btn_open_card")])
    return InlineKeyboardMarkup(rows)
