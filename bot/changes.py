"""How a change to a draft is said to the seller: "Prix : 30 EUR -> 25 EUR"."""

from __future__ import annotations

import html

from bot import cards
from bot.texts import t
from core.drafts.editing import Change
from core.models import Condition


def change_line(change: Change, lang: str) -> str:
    """Return "Price: 30 EUR -> 25 EUR" for the seller, as HTML (the values are escaped)."""
    return t(
        lang,
        "field_updated",
        field=t(lang, f"field_{change.field}"),
        before=html.escape(display_value(change.field, change.before, lang) or "-"),
        after=html.escape(display_value(change.field, change.after, lang) or "-"),
    )


def display_value(field: str, value: str, lang: str) -> str:
    """Turn a raw change value into words: prices in EUR, conditions and categories by name."""
    if not value:
        return value
    if field == "price":
        return cards.format_price(float(value))
    if field == "condition":
        return cards.condition_label(Condition(value), lang)
    if field == "category":
        return cards.category_label(value, lang)
    return value
