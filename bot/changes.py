"""How a change to a draft is said to the seller: "Prix : 30 € -> 25 €"."""

from __future__ import annotations

import html

from bot import cards
from bot.texts import t
from core.drafts.models import Draft
from core.drafts.outcomes import Change, changes_between
from core.drafts.requests import Unapplied
from core.models import Condition


def change_line(change: Change, lang: str) -> str:
    """Return "Price: €30 -> €25" for the seller, as HTML (the values are escaped)."""
    return t(
        lang,
        "field_updated",
        field=t(lang, f"field_{change.field}"),
        before=html.escape(display_value(change.field, change.before, lang) or "-"),
        after=html.escape(display_value(change.field, change.after, lang) or "-"),
    )


def edit_note(changes: list[Change], lang: str, unapplied: list[Unapplied] | None = None) -> str:
    """Say everything an edit did, as HTML: each change, the lines that followed it, what the
    description still states, what the request asked in vain, and whether to approve again."""
    lines = [change_line(c, lang) for c in changes]
    changed = {c.field for c in changes}
    for change in changes:
        for field, before, after in change.followed:
            lines.append(
                t(
                    lang,
                    "followed_line",
                    field=t(lang, f"field_{field}"),
                    before=html.escape(before),
                    after=html.escape(after),
                )
            )
        lines += [t(lang, "still_stated", line=html.escape(s)) for s in change.still_stated]
    for part in unapplied or []:
        if part.reason == "defect_not_found":
            lines.append(t(lang, "unapplied_defect_not_found", value=html.escape(part.value)))
        elif part.field not in changed:
            lines.append(t(lang, "unapplied_unchanged", field=t(lang, f"field_{part.field}")))
    if any(c.unapproved for c in changes):
        lines.append(t(lang, "edit_needs_reapproval"))
    return "\n".join(lines)


def regenerated_note(before: Draft, after: Draft, lang: str) -> str:
    """Say what a new version changed, as HTML: each fact, then whether the text was rewritten."""
    changes = changes_between(before, after, skip=("description", "hashtags"))
    lines = [change_line(c, lang) for c in changes]
    if before.description != after.description:
        lines.append(t(lang, "regenerated_description"))
    if not lines:
        return t(lang, "regenerated_same")
    return "\n".join([t(lang, "regenerated"), *lines])


def display_value(field: str, value: str, lang: str) -> str:
    """Turn a raw change value into words: prices as the seller writes them, conditions by name."""
    if not value:
        return value
    if field == "price":
        return cards.format_price(float(value), lang)
    if field == "condition":
        return cards.condition_label(Condition(value), lang)
    if field == "category":
        return cards.category_label(value, lang)
    return value
