"""What an edit or an approval did, as the chat tells it: changes, outcomes, what is left."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from core.drafts.fields import LISTING_FIELDS
from core.drafts.models import Draft
from core.drafts.parsing import format_value


@dataclass
class Change:
    """One field's value before and after an edit, as short strings (see format_value)."""

    field: str
    before: str
    after: str
    # The draft was approved and went back to draft: it must be approved again.
    unapproved: bool = False
    # The title and description lines that followed the change: (field, before, after).
    followed: list[tuple[str, str, str]] = dataclasses.field(default_factory=list)
    # Description lines that still state the old value (the rewrite failed or was refused).
    still_stated: list[str] = dataclasses.field(default_factory=list)


class ApproveOutcome(StrEnum):
    APPROVED = "approved"
    NEEDS_CONFIRMATION = "needs_confirmation"  # only size/condition wait for the seller
    NOT_READY = "not_ready"  # a quality gate still fails: see `missing`
    ALREADY = "already"  # approved, publishing or published before this press
    FAILED = "failed"  # the analysis (or a publish) failed: retry or edit it first


@dataclass
class ApproveResult:
    """What pressing Approve did, and what the seller must do next."""

    outcome: ApproveOutcome
    draft: Draft
    to_confirm: list[str] = dataclasses.field(default_factory=list)  # size, then condition
    missing: list[str] = dataclasses.field(default_factory=list)  # core.quality.MISSING_KEYS


class CategoryPlacement(Protocol):
    """Says whether the seller must still choose the draft's leaf in the marketplace's tree."""

    async def needs_seller(self, draft: Draft) -> bool: ...


def changes_between(before: Draft, after: Draft, skip: Sequence[str] = ()) -> list[Change]:
    """A Change per field that changed or that the seller confirmed, in card order."""
    confirmed = set(before.to_confirm) - set(after.to_confirm)
    return [
        Change(
            name,
            format_value(name, getattr(before, name)),
            format_value(name, getattr(after, name)),
        )
        for name in LISTING_FIELDS
        if name not in skip
        and (getattr(before, name) != getattr(after, name) or name in confirmed)
    ]


def followed_lines(
    before: Draft, after: Draft, fields: Sequence[str]
) -> list[tuple[str, str, str]]:
    """The title and description lines a change brought along: (field, before, after)."""
    pairs: list[tuple[str, str, str]] = []
    if "title" not in fields and before.title != after.title:
        pairs.append(("title", before.title, after.title))
    if "description" not in fields and before.description != after.description:
        old, new = before.description.split("\n"), after.description.split("\n")
        pairs.extend(("description", o, n) for o, n in zip(old, new, strict=False) if o != n)
    return pairs
