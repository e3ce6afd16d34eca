"""What the seller sees of the queue: the line with estimated times, and publishing stats."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from core.drafts.models import Draft
from core.publishing.models import PublishAccount, QueuedDraft
from core.publishing.pacing import AccountRules


@dataclass(frozen=True)
class QueueEntry:
    """One approved draft in line, with when it should go (None while paused)."""

    position: int
    draft: Draft
    eta: datetime | None
    publish_at: datetime | None = None
    retry_at: datetime | None = None
    failures: int = 0
    last_error: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class QueueView:
    """An account's queue as the seller sees it in /queue."""

    user_id: int
    entries: tuple[QueueEntry, ...]
    next_at: datetime | None  # when the first entry goes; None if empty or paused
    paused_reason: str | None
    paused_since: datetime | None
    rate_limited_until: datetime | None
    publishing: tuple[Draft, ...]  # being published right now
    published_today: int
    daily_cap: int
    mode: str
    timezone: str
    hours: str  # "" for any time


@dataclass(frozen=True)
class PublishStats:
    """Publishes and failed attempts since a time, failures by reason kind."""

    published: int
    saved_as_draft: int
    failures: dict[str, int]

    @property
    def failed(self) -> int:
        return sum(self.failures.values())


def due(entry: QueuedDraft) -> datetime:
    """Return when the draft joined the line or may go, whichever is later."""
    draft = entry.draft
    since = draft.approved_at or draft.created_at or datetime.min.replace(tzinfo=UTC)
    return max(t for t in (since, entry.publish_at, entry.retry_at) if t is not None)


def in_order(entries: Sequence[QueuedDraft]) -> list[QueuedDraft]:
    return sorted(entries, key=lambda e: (due(e), e.draft.id or 0))


def account_ready(now: datetime, account: PublishAccount) -> datetime:
    return max(t for t in (now, account.not_before, account.rate_limited_until) if t is not None)


def queue_view(
    user_id: int,
    now: datetime,
    account: PublishAccount,
    rules: AccountRules,
    waiting: Sequence[QueuedDraft],
    publishing: Sequence[QueuedDraft],
    published_today: int,
) -> QueueView:
    """Return the approved drafts in publishing order and when each should go."""
    entries = in_order(waiting)
    etas: list[datetime | None] = [None] * len(entries)
    if account.paused_reason is None:
        # Nominal interval (no jitter): an estimate, the real one is drawn at each publish.
        published = {rules.local_day(now): published_today}
        moment = account_ready(now, account)
        if publishing:  # the one in the browser now sets the next interval when it ends
            moment = max(moment, now + rules.min_interval)
        for index, entry in enumerate(entries):
            at = rules.earliest(max(moment, due(entry)), published)
            etas[index] = at
            day = rules.local_day(at)
            published[day] = published.get(day, 0) + 1
            moment = at + rules.min_interval
    limited = account.rate_limited_until
    return QueueView(
        user_id=user_id,
        entries=tuple(
            QueueEntry(
                position=index + 1,
                draft=entry.draft,
                eta=etas[index],
                publish_at=entry.publish_at,
                retry_at=entry.retry_at,
                failures=entry.failures,
                last_error=entry.error,
            )
            for index, entry in enumerate(entries)
        ),
        next_at=etas[0] if etas else None,
        paused_reason=account.paused_reason,
        paused_since=account.paused_at,
        rate_limited_until=limited if limited and limited > now else None,
        publishing=tuple(entry.draft for entry in publishing),
        published_today=published_today,
        daily_cap=rules.daily_cap,
        mode=rules.mode,
        timezone=rules.timezone.key,
        hours=rules.hours_text,
    )


def stats_from(counts: dict[str, int]) -> PublishStats:
    counts = dict(counts)
    published = counts.pop("published", 0)
    saved = counts.pop("saved_as_draft", 0)
    return PublishStats(published=published, saved_as_draft=saved, failures=counts)
