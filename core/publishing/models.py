"""The queue's vocabulary: attempts, an account's publishing state, settlements, reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from core.drafts.models import Draft, DraftStatus

# Publish attempt lifecycle: claimed as running, then finished with an outcome.
ATTEMPT_RUNNING = "running"
ATTEMPT_FINISHED = "finished"
OUTCOME_PUBLISHED = "published"
OUTCOME_FAILED = "failed"
OUTCOME_UNKNOWN = "unknown"  # the run died mid-publish and the draft is gone

SUCCESS_KINDS = frozenset({"published", "saved_as_draft"})
TRANSIENT_KINDS = frozenset({"timeout", "page_changed", "network", "interrupted"})
PAUSE_KINDS = frozenset({"captcha", "session_expired", "verification"})
# Outcomes whose screenshot shows the seller something the words do not: the field and its
# error, the challenge, the page as it changed. The others (a network error page, a rate limit,
# a wait that ran out) keep theirs in the log only.
SHOWN_KINDS = frozenset({"field_rejected", "captcha", "verification", "page_changed"})
# Pauses found before the browser opens: no stored session, or one that cannot be decrypted.
SESSION_MISSING = "session_missing"
SESSION_UNREADABLE = "session_unreadable"
LOOKUP_FAILED = "lookup_failed"  # the marketplace could not say whether a cut-off run made one
INTERRUPTED = "interrupted"  # the run died mid-publish and no listing was found afterwards


class PublishAttempt(BaseModel):
    """One claimed try at publishing a draft, keyed so it can never run twice."""

    id: int
    draft_id: int | None
    user_id: int
    marketplace: str
    idempotency_key: str
    status: str = ATTEMPT_RUNNING
    started_at: datetime
    finished_at: datetime | None = None
    outcome: str | None = None
    detail: dict[str, Any] = Field(default_factory=dict)
    item_id: int | None = None  # what the marketplace named while the attempt ran
    known_items: list[int] | None = None  # on the wardrobe just before the form was sent
    owner: str | None = None  # the queue running it; its lease says whether it is still alive
    lease_until: datetime | None = None


class QueuedDraft(BaseModel):
    """A draft with its publishing state: when it may go, its next key and its last failure."""

    draft: Draft
    publish_at: datetime | None = None  # the seller's "not before"
    retry_at: datetime | None = None  # backoff after a transient failure
    generation: int = 1  # names the idempotency key of its next attempt
    failures: int = 0  # transient failures in a row
    error: dict[str, Any] = Field(default_factory=dict)  # last failure: kind, detail, field...


class PublishAccount(BaseModel):
    """A seller's account on a marketplace, as the queue paces it."""

    user_id: int
    not_before: datetime | None = None
    rate_limited_until: datetime | None = None
    rate_limit_seconds: float | None = None  # the last rate-limit wait; a repeat doubles it
    paused_reason: str | None = None
    paused_at: datetime | None = None
    paused_detail: dict[str, Any] = Field(default_factory=dict)


class Settlement(BaseModel):
    """How a publish attempt ended and what follows for its draft and account."""

    outcome: str  # OUTCOME_PUBLISHED, OUTCOME_FAILED or OUTCOME_UNKNOWN
    draft_status: DraftStatus  # published, approved (to retry) or failed
    detail: dict[str, Any] = Field(default_factory=dict)
    item_id: int | None = None
    url: str | None = None
    is_draft: bool = False  # saved as a marketplace draft, not listed
    left_out: dict[str, str] = Field(default_factory=dict)  # fields the marketplace lacked
    failures: int = 0
    retry_at: datetime | None = None
    error: str | None = None  # Draft.error, what the card shows
    not_before: datetime | None = None  # the account starts nothing earlier (only raised)
    rate_limited_until: datetime | None = None
    rate_limit_seconds: float | None = None
    clear_rate_limit: bool = False
    pause_reason: str | None = None
    pause_detail: dict[str, Any] = Field(default_factory=dict)


@dataclass(frozen=True)
class RunReport:
    """What one run on one account did: the outcome kind and, when published, the item."""

    user_id: int
    draft_id: int | None
    kind: str  # an outcome kind, "interrupted", "session_missing" or "session_unreadable"
    item_id: int | None = None
    url: str | None = None
    retry_at: datetime | None = None
    reconciled: bool = False  # settled by reconcile() after a crash


def publish_key(draft_id: int, generation: int) -> str:
    """Return the idempotency key of a draft's attempt at this generation."""
    return f"draft:{draft_id}:v{generation}"
