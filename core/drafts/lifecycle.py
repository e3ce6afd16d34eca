"""The one door every status change of a draft goes through.

`transition` names the status (or statuses) it expects to leave and moves the draft only from
there, in one UPDATE: a writer holding a stale copy changes nothing. Every write bumps the
draft's version, so an edit computed on an older version is refused as well. The drafts
repository and the publishing queue's settlement both call it, inside their transactions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from core.db import Tx, to_json, ts
from core.drafts.models import DraftStatus

S = DraftStatus

# Where each status may go. Publishing is the queue's: only a claim enters it, only a
# settlement leaves it, and nothing leaves published.
ALLOWED: dict[DraftStatus, frozenset[DraftStatus]] = {
    S.DRAFT: frozenset({S.DRAFT, S.APPROVED, S.FAILED}),
    S.APPROVED: frozenset({S.DRAFT, S.PUBLISHING}),
    S.PUBLISHING: frozenset({S.PUBLISHED, S.APPROVED, S.FAILED}),
    S.FAILED: frozenset({S.DRAFT, S.APPROVED, S.FAILED}),
    S.PUBLISHED: frozenset(),
}
EDITABLE = frozenset({S.DRAFT, S.FAILED, S.APPROVED})

# The draft columns a transition may set besides its status (content, publishing state).
WRITABLE_COLUMNS = frozenset(
    {
        "title",
        "description",
        "hashtags",
        "brand",
        "category",
        "size",
        "condition",
        "colours",
        "material",
        "defects",
        "measurements",
        "price_min",
        "price_target",
        "price_max",
        "price_currency",
        "confidence",
        "publish_ready",
        "missing",
        "to_confirm",
        "hint",
        "prompt_tokens",
        "completion_tokens",
        "error",
        "publish_failures",
        "publish_retry_at",
        "publish_error",
        "publish_generation",
    }
)


class IllegalTransition(ValueError):
    """A writer asked for a move the lifecycle forbids (a bug, not a race)."""


def statuses(expect: DraftStatus | Iterable[DraftStatus]) -> frozenset[DraftStatus]:
    if isinstance(expect, DraftStatus):
        return frozenset({expect})
    return frozenset(DraftStatus(s) for s in expect)


async def transition(
    tx: Tx,
    draft_id: int,
    *,
    expect: DraftStatus | Iterable[DraftStatus],
    to: DraftStatus,
    now: datetime,
    user_id: int | None = None,
    version: int | None = None,
    sets: Mapping[str, Any] | None = None,
) -> bool:
    """Move the draft from one of `expect` to `to` (setting `sets` too); True if it moved.

    Nothing is written when the draft is in another status, belongs to another seller or is no
    longer at `version` (when given). Entering approved stamps the approval time (a draft back
    from publishing keeps its place in line); going back to draft clears the approval and the
    failures of the version before; entering published stamps its first publication time.
    """
    leaving = statuses(expect)
    for status in leaving:
        if to not in ALLOWED[status]:
            raise IllegalTransition(f"a draft cannot go from {status.value} to {to.value}")
    extra = dict(sets or {})
    unknown = set(extra) - WRITABLE_COLUMNS
    if unknown:
        raise IllegalTransition(f"transition() cannot set {sorted(unknown)}")
    assignments = "".join(f", {name} = :set_{name}" for name in extra)
    resets = (
        ""
        if {"publish_failures", "publish_retry_at", "publish_error"} & set(extra)
        else ", publish_failures = CASE WHEN :to = 'draft' THEN 0 ELSE publish_failures END,"
        " publish_retry_at = CASE WHEN :to = 'draft' THEN NULL ELSE publish_retry_at END,"
        " publish_error = CASE WHEN :to = 'draft' THEN NULL ELSE publish_error END"
    )
    changed = await tx.execute(
        "UPDATE drafts SET status = :to, version = version + 1, updated_at = :now,"
        " approved_at = CASE WHEN :to = 'draft' THEN NULL"
        "  WHEN :to = 'approved' AND (status = 'draft' OR approved_at IS NULL) THEN :now"
        "  ELSE approved_at END,"
        " published_at = CASE WHEN :to = 'published' THEN COALESCE(published_at, :now)"
        f"  ELSE published_at END{resets}{assignments}"
        " WHERE id = :id AND status IN (SELECT value FROM json_each(:expect))"
        " AND (:user IS NULL OR user_id = :user) AND (:version IS NULL OR version = :version)",
        {
            "to": to.value,
            "now": ts(now),
            "id": draft_id,
            "expect": to_json(sorted(s.value for s in leaving)),
            "user": user_id,
            "version": version,
            **{f"set_{name}": value for name, value in extra.items()},
        },
    )
    return changed == 1
