"""What follows from how a publish run ended: the settlement of its draft and account.

Pure decisions, no I/O: the queue stores the settlement and tells the seller. Success spaces
the next publish by the account's interval; a rate limit rests the account (at least 15 min,
doubling, Retry-After honoured); a captcha, a logout or a verification pauses it until the
seller acts; a rejected field fails the draft for the seller to edit; anything transient is
retried after 1, 4 and 15 minutes, then fails.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from core.drafts.models import DraftStatus
from core.marketplace import Outcome
from core.publishing.models import (
    INTERRUPTED,
    OUTCOME_FAILED,
    OUTCOME_PUBLISHED,
    PAUSE_KINDS,
    SUCCESS_KINDS,
    TRANSIENT_KINDS,
    PublishAccount,
    QueuedDraft,
    Settlement,
)
from core.publishing.pacing import AccountRules, PublishingConfig

Notice = Literal["published", "failed", "paused", "retrying", "none"]


@dataclass(frozen=True)
class Decision:
    """A settlement to store, and what to tell the seller once it is stored."""

    settlement: Settlement
    notice: Notice
    kind: str
    text: str = ""  # why it failed, for the seller
    retry_at: datetime | None = None


def outcome_detail(outcome: Outcome, step: str, screenshot: Path | None) -> dict[str, Any]:
    """Return what is stored of a run's outcome: its kind, step, description and screenshot."""
    detail: dict[str, Any] = {
        "kind": outcome.kind,
        "step": step or outcome.step,
        "detail": outcome.describe(),
        "screenshot": None if screenshot is None else str(screenshot),
    }
    if outcome.kind == "field_rejected":
        detail["field"] = getattr(outcome, "field", "")
        detail["message"] = getattr(outcome, "message", "")
        detail["said_by_site"] = bool(getattr(outcome, "said_by_site", False))
    return detail


def decide(
    outcome: Outcome,
    detail: dict[str, Any],
    entry: QueuedDraft,
    account: PublishAccount,
    *,
    config: PublishingConfig,
    rules: AccountRules,
    now: datetime,
    rng: random.Random,
    url: str | None,
    left_out: dict[str, str] | None = None,
) -> Decision:
    """Return the decision for a run that ended with this outcome."""
    kind = outcome.kind
    if kind in SUCCESS_KINDS:
        item_id = getattr(outcome, "item_id", None) or getattr(outcome, "draft_id", None)
        return succeeded(
            entry, kind, item_id, url, rules=rules, now=now, rng=rng, left_out=left_out
        )
    if kind == "rate_limited":
        retry_after = getattr(outcome, "retry_after", None)
        return rate_limited(entry, account, retry_after, detail, config=config, now=now)
    if kind in PAUSE_KINDS or outcome.pauses_account:
        return paused(entry, kind, detail)
    if kind == "field_rejected":
        return failed(entry, detail)
    if outcome.transient or kind in TRANSIENT_KINDS:
        return transient(entry, detail, config=config, now=now)
    return failed(entry, detail)


def succeeded(
    entry: QueuedDraft,
    kind: str,
    item_id: int | None,
    url: str | None,
    *,
    rules: AccountRules,
    now: datetime,
    rng: random.Random,
    reconciled: bool = False,
    left_out: dict[str, str] | None = None,
) -> Decision:
    return Decision(
        Settlement(
            outcome=OUTCOME_PUBLISHED,
            draft_status=DraftStatus.PUBLISHED,
            detail={"kind": kind, "url": url, "reconciled": reconciled},
            item_id=item_id,
            url=url,
            is_draft=kind == "saved_as_draft",
            left_out=dict(left_out or {}),
            not_before=now + rules.next_interval(rng),
            clear_rate_limit=True,
        ),
        "published",
        kind,
    )


def rate_limited(
    entry: QueuedDraft,
    account: PublishAccount,
    retry_after: float | None,
    detail: dict[str, Any],
    *,
    config: PublishingConfig,
    now: datetime,
) -> Decision:
    wait = config.rate_limit_min
    if account.rate_limit_seconds:
        wait = max(wait, timedelta(seconds=2 * account.rate_limit_seconds))
    if retry_after:
        wait = max(wait, timedelta(seconds=float(retry_after)))
    until = now + wait
    return Decision(
        Settlement(
            outcome=OUTCOME_FAILED,
            draft_status=DraftStatus.APPROVED,
            detail=detail,
            failures=entry.failures,
            retry_at=entry.retry_at,
            rate_limited_until=until,
            rate_limit_seconds=wait.total_seconds(),
        ),
        "retrying",
        "rate_limited",
        retry_at=until,
    )


def paused(entry: QueuedDraft, kind: str, detail: dict[str, Any]) -> Decision:
    # The draft goes back in line unharmed: nothing is lost while the seller sorts it out.
    return Decision(
        Settlement(
            outcome=OUTCOME_FAILED,
            draft_status=DraftStatus.APPROVED,
            detail=detail,
            failures=entry.failures,
            retry_at=entry.retry_at,
            pause_reason=kind,
            pause_detail={"draft_id": entry.draft.id, **detail},
        ),
        "paused",
        kind,
    )


def transient(
    entry: QueuedDraft, detail: dict[str, Any], *, config: PublishingConfig, now: datetime
) -> Decision:
    failures = entry.failures + 1
    if failures > len(config.backoff):
        return failed(entry, detail, failures=failures)
    kind = str(detail["kind"])
    # Our own crash is not the marketplace's doing: once look-ups `settle` apart show no
    # listing, go again at once (it still counts as a try, so a crash loop ends in `failed`).
    interrupted = kind == INTERRUPTED
    retry_at = now + (timedelta(0) if interrupted else config.backoff[failures - 1])
    return Decision(
        Settlement(
            outcome=OUTCOME_FAILED,
            draft_status=DraftStatus.APPROVED,
            detail=detail,
            failures=failures,
            retry_at=retry_at,
            # The whole account waits: if the site is down, one draft finds out, not all.
            not_before=retry_at,
        ),
        "none" if interrupted else "retrying",
        kind,
        retry_at=retry_at,
    )


def failed(entry: QueuedDraft, detail: dict[str, Any], *, failures: int | None = None) -> Decision:
    kind = str(detail["kind"])
    if kind == "field_rejected":
        # The site's own words reach the seller; our own checks' English stays in the log.
        said = detail.get("message") if detail.get("said_by_site") else ""
        text = f"{detail.get('field')}: {said or ''}"
    else:
        text = str(detail.get("detail") or "")
    return Decision(
        Settlement(
            outcome=OUTCOME_FAILED,
            draft_status=DraftStatus.FAILED,
            detail=detail,
            failures=entry.failures if failures is None else failures,
            error=f"{kind}: {text}" if text and text != kind else kind,
        ),
        "failed",
        kind,
        text=text,
    )
