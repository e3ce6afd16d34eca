"""The publishing queue: claim approved drafts once, pace each Vinted account, retry, reconcile.

Exactly once. Before the browser opens, one SQLite transaction checks that the account has no
running attempt and no pause, moves the draft approved -> publishing at its current
`publish_generation` and records the attempt under the UNIQUE key "draft:<id>:v<generation>".
A second claim of that draft, from this process or another one on the same file, is refused.
When Vinted gives the new item's id, `on_created` writes it to the attempt and the draft at once.

A crash. An attempt carries its owner and a lease that a live publish renews. `reconcile()`
(run at the start of every tick, so before any retry) takes over attempts whose lease lapsed:
with a saved item id the draft is published; without one `find_listing` looks for the title
in the seller's wardrobe; only when it is not there does the draft go back to the queue, under
the next generation's key. So a listing is never created twice.

Pacing, per Vinted account: a least interval with jitter (drawn once per publish and stored,
so every reader sees the same next time), a daily cap on the seller's local day, optional
publishing hours in the seller's time zone, and each draft's own "publish at". Sellers
override the defaults in their users.settings: publish_min_interval_seconds, publish_jitter,
publish_daily_cap, publish_hours, publish_mode, timezone.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import re
import secrets
import socket
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.catalog import get_category
from core.models import Draft, DraftStatus, Photo
from core.store import (
    OUTCOME_FAILED,
    OUTCOME_PUBLISHED,
    OUTCOME_UNKNOWN,
    PublishAccount,
    PublishAttempt,
    PublishSettlement,
    QueuedDraft,
    Store,
)
from core.vault import SessionUnreadable
from core.vinted.listing import ListingToPublish
from core.vinted.outcomes import Cookies

if TYPE_CHECKING:
    from core.config import Settings

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
T = TypeVar("T")

DEFAULT_TIMEZONE = "Europe/Paris"
# Waits before the 1st, 2nd and 3rd retry of a transient failure; the next one fails the draft.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=4), timedelta(minutes=15))
RATE_LIMIT_MIN = timedelta(minutes=15)
# A live publish renews its lease every third of this; a crashed one is reconciled after it.
LEASE = timedelta(seconds=90)

SUCCESS_KINDS = frozenset({"published", "saved_as_draft"})
TRANSIENT_KINDS = frozenset({"timeout", "page_changed", "network", "interrupted"})
PAUSE_KINDS = frozenset({"captcha", "session_expired", "verification"})
# Pauses found before the browser opens: no stored session, or one that cannot be decrypted.
SESSION_MISSING = "session_missing"
SESSION_UNREADABLE = "session_unreadable"
INTERRUPTED = "interrupted"  # the run died mid-publish and no listing was found afterwards

# Vinted's parcel sizes: 1 small (a large envelope), 2 medium (a shoe box), 3 large.
PACKAGE_SMALL = 1
PACKAGE_SIZES = {"sneakers": 2, "shoes": 2, "bag": 2, "boots": 3, "coat": 3, "puffer": 3}

# users.settings keys a seller may set to override the bot-wide publishing settings.
SELLER_KEYS = (
    "publish_min_interval_seconds",
    "publish_jitter",
    "publish_daily_cap",
    "publish_hours",
    "publish_mode",
    "timezone",
)
PUBLISH_MODES = ("publish", "draft")


# ---- ports -------------------------------------------------------------------------------------


class OutcomePort(Protocol):
    """How a run ended; kind-specific fields (item_id, retry_after, field...) are read by name."""

    @property
    def kind(self) -> str: ...

    @property
    def transient(self) -> bool: ...


class PublishResultPort(Protocol):
    """What a publisher run returns (core.vinted.outcomes.PublishResult)."""

    @property
    def outcome(self) -> OutcomePort: ...

    @property
    def cookies(self) -> Sequence[Mapping[str, Any]]: ...

    @property
    def step(self) -> str: ...

    @property
    def screenshot(self) -> Path | None: ...


class PublisherPort(Protocol):
    """The browser that fills Vinted's upload form (core.vinted.publisher)."""

    async def publish(
        self,
        cookies: Cookies,
        listing: ListingToPublish,
        *,
        mode: str = "publish",
        on_created: Callable[[int], Awaitable[None]] | None = None,
    ) -> PublishResultPort: ...

    async def find_listing(
        self,
        cookies: Cookies,
        user_id: int,
        title: str,
        *,
        on_cookies: Callable[[Cookies], Awaitable[None]] | None = None,
    ) -> int | None: ...


class SessionPort(Protocol):
    """The sellers' encrypted Vinted cookies (core.vault.SessionVault)."""

    async def load(self, user_id: int) -> Sequence[Mapping[str, Any]] | None: ...

    async def update_cookies(
        self, user_id: int, cookies: Sequence[Mapping[str, Any]]
    ) -> object: ...


class NotifierPort(Protocol):
    """Tells the seller what the queue did (the Telegram bot implements it)."""

    async def published(self, draft: Draft, url: str | None) -> None:
        """The draft is on Vinted; url is None when it was saved as a Vinted draft."""

    async def failed(
        self, draft: Draft, reason_kind: str, detail: str, screenshot: Path | None
    ) -> None:
        """The draft failed for good: offer Retry (after an edit for field_rejected)."""

    async def paused(self, user_id: int, reason_kind: str, screenshot: Path | None) -> None:
        """The account's queue stopped until the seller acts and calls resume()."""

    async def retrying(self, draft: Draft, when: datetime, reason_kind: str) -> None:
        """The draft goes back in line and will be tried again at `when` at the earliest."""


# ---- the listing the browser types in ---------------------------------------------------------


class ListingInvalid(ValueError):
    """The draft lacks something the form needs; `field` names it."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


def listing_from_draft(draft: Draft, photos: Sequence[Photo], data_dir: Path) -> ListingToPublish:
    """Build the upload form's values from a draft and its photos (cover first)."""
    category = get_category(draft.category)
    if category is None:
        raise ListingInvalid("category", f"unknown category {draft.category!r}")
    if draft.price is None:
        raise ListingInvalid("price", "the draft has no price")
    if draft.condition is None:
        raise ListingInvalid("condition", "the draft has no condition")
    if not photos:
        raise ListingInvalid("photos", "the draft has no photos")
    description = draft.description.strip()
    if draft.hashtags:
        description = f"{description}\n\n{' '.join(draft.hashtags)}"
    return ListingToPublish(
        title=draft.title,
        description=description,
        price=draft.price.target,
        category_path=list(category.path_fr),
        brand=draft.brand,
        size=draft.size or None,
        condition=draft.condition,
        colours=list(draft.colours),
        material=draft.material,
        photos=[data_dir / photo.path for photo in photos],
        package_size=PACKAGE_SIZES.get(category.price_key, PACKAGE_SMALL),
    )


# ---- pacing rules ------------------------------------------------------------------------------

_HOURS = re.compile(r"(\d{1,2})(?::(\d{2}))?-(\d{1,2})(?::(\d{2}))?")


@dataclass(frozen=True)
class HourWindow:
    """Local hours when publishing may run, in minutes after midnight; end is excluded."""

    start: int
    end: int  # at or before start: the window runs past midnight ("22-2")


def parse_hours(text: str) -> tuple[HourWindow, ...]:
    """Read publishing hours such as "18-22" or "9-12, 18:30-23"; empty means any time."""
    windows: list[HourWindow] = []
    for part in (text or "").replace(";", ",").split(","):
        part = part.replace(" ", "")
        if not part:
            continue
        match = _HOURS.fullmatch(part)
        if match is None:
            raise ValueError(f"publishing hours look like 18-22 or 9-12,18:30-23, not {part!r}")
        start = _minutes(int(match[1]), int(match[2] or 0))
        end = _minutes(int(match[3]), int(match[4] or 0))
        if start == end or start == 24 * 60:
            raise ValueError(f"publishing hours {part!r} are an empty window")
        windows.append(HourWindow(start, end))
    return tuple(windows)


def _minutes(hour: int, minute: int) -> int:
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        raise ValueError(f"{hour}:{minute:02d} is not a time of day")
    return hour * 60 + minute


def next_open(moment: datetime, windows: Sequence[HourWindow], tz: ZoneInfo) -> datetime:
    """Return moment if publishing hours allow it, else the start of the next window (UTC)."""
    if not windows:
        return moment
    local = moment.astimezone(tz)
    best: datetime | None = None
    for offset in (-1, 0, 1, 2):
        midnight = datetime.combine(local.date() + timedelta(days=offset), time(), tzinfo=tz)
        for window in windows:
            length = (window.end - window.start) % (24 * 60) or 24 * 60
            # Wall-clock arithmetic: "18-22" stays 18:00-22:00 on the days clocks change.
            start = _utc(midnight + timedelta(minutes=window.start))
            end = _utc(midnight + timedelta(minutes=window.start + length))
            if start <= moment < end:
                return moment
            if start > moment and (best is None or start < best):
                best = start
    assert best is not None
    return best


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class AccountRules:
    """The pacing one seller's account publishes under."""

    min_interval: timedelta
    jitter: float
    daily_cap: int
    hours: tuple[HourWindow, ...]
    hours_text: str
    mode: str
    timezone: ZoneInfo

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.timezone).date()

    def day_bounds(self, moment: datetime) -> tuple[datetime, datetime]:
        """Return the UTC start and end of the seller's local day around moment."""
        day = self.local_day(moment)
        start = datetime.combine(day, time(), tzinfo=self.timezone)
        end = datetime.combine(day + timedelta(days=1), time(), tzinfo=self.timezone)
        return _utc(start), _utc(end)

    def earliest(self, moment: datetime, published: Mapping[date, int]) -> datetime:
        """Return the first time from moment that the daily cap and the hours allow."""
        for _ in range(16):
            start = moment
            if published.get(self.local_day(moment), 0) >= self.daily_cap:
                moment = self.day_bounds(moment)[1]
            moment = next_open(moment, self.hours, self.timezone)
            if moment == start:
                break
        return moment

    def next_interval(self, rng: random.Random) -> timedelta:
        """Return the least interval with its random jitter, e.g. 180 s +/- 40 %."""
        return self.min_interval * (1 + rng.uniform(-self.jitter, self.jitter))


@dataclass(frozen=True)
class PublishingConfig:
    """The bot-wide publishing settings, which each seller may override."""

    data_dir: Path
    vinted_base_url: str = "https://www.vinted.fr"
    tick_seconds: float = 30.0
    min_interval_seconds: float = 180.0
    jitter: float = 0.4
    daily_cap: int = 30
    hours: str = ""
    mode: str = "publish"
    timezone: str = DEFAULT_TIMEZONE
    concurrency: int = 2
    backoff: tuple[timedelta, ...] = BACKOFF
    rate_limit_min: timedelta = RATE_LIMIT_MIN
    lease: timedelta = LEASE

    @classmethod
    def from_settings(cls, settings: Settings) -> PublishingConfig:
        return cls(
            data_dir=settings.data_dir,
            vinted_base_url=settings.vinted_base_url,
            tick_seconds=settings.publish_tick_seconds,
            min_interval_seconds=settings.publish_min_interval_seconds,
            jitter=settings.publish_jitter,
            daily_cap=settings.publish_daily_cap,
            hours=settings.publish_hours,
            mode=settings.publish_mode,
            concurrency=settings.publish_concurrency,
        )

    def rules_for(self, overrides: Mapping[str, Any]) -> AccountRules:
        """Return the account's rules: these settings with the seller's valid overrides."""
        interval = _override(
            overrides,
            "publish_min_interval_seconds",
            self.min_interval_seconds,
            lambda v: _ranged(float(v), 0, 86_400),
        )
        jitter = _override(
            overrides, "publish_jitter", self.jitter, lambda v: _ranged(float(v), 0, 0.99)
        )
        cap = _override(
            overrides, "publish_daily_cap", self.daily_cap, lambda v: int(_ranged(int(v), 1, 1000))
        )
        hours_text = _override(overrides, "publish_hours", self.hours, _hours_text)
        hours = parse_hours(hours_text)
        mode = _override(overrides, "publish_mode", self.mode, _mode)
        zone = _override(overrides, "timezone", ZoneInfo(self.timezone), _zone)
        return AccountRules(
            min_interval=timedelta(seconds=interval),
            jitter=jitter,
            daily_cap=cap,
            hours=hours,
            hours_text=hours_text if hours else "",
            mode=mode,
            timezone=zone,
        )


def _override(overrides: Mapping[str, Any], key: str, default: T, read: Callable[[Any], T]) -> T:
    if overrides.get(key) is None:
        return default
    try:
        return read(overrides[key])
    except (TypeError, ValueError, ZoneInfoNotFoundError):
        log.warning("ignoring the seller's setting %s=%r", key, overrides[key])
        return default


def _ranged(value: float, low: float, high: float) -> float:
    if not low <= value <= high:
        raise ValueError(f"{value} is not between {low} and {high}")
    return value


def _hours_text(value: Any) -> str:
    parse_hours(str(value))
    return str(value).strip()


def _mode(value: Any) -> str:
    if value not in PUBLISH_MODES:
        raise ValueError(f"publish mode is one of {PUBLISH_MODES}")
    return str(value)


def _zone(value: Any) -> ZoneInfo:
    try:
        return ZoneInfo(str(value))
    except (ValueError, OSError) as exc:  # a path-like or empty key
        raise ValueError(str(exc)) from None


# ---- what the queue reports --------------------------------------------------------------------


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


# ---- the queue ---------------------------------------------------------------------------------


class PublishingQueue:
    """Publish approved drafts one at a time per Vinted account, paced, retried, exactly once."""

    def __init__(
        self,
        store: Store,
        publisher: PublisherPort,
        sessions: SessionPort,
        notifier: NotifierPort,
        config: PublishingConfig,
        *,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        owner: str | None = None,
    ) -> None:
        self.store = store
        self.publisher = publisher
        self.sessions = sessions
        self.notifier = notifier
        self.config = config
        self._now = clock or (lambda: datetime.now(UTC))
        self._rng = rng or random.Random()
        # Names this queue's leases: another process never takes over a live publish, and a
        # restarted bot sees at once that the process behind an old lease is gone.
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self._locks: dict[int, asyncio.Lock] = {}
        self._slots = asyncio.Semaphore(config.concurrency)
        self._in_flight: set[int] = set()

    # ---- the tick ------------------------------------------------------------------------

    async def tick(self) -> list[RunReport]:
        """Reconcile crashed attempts, then publish each free account's next due draft."""
        reports = await self.reconcile()
        users = await self.store.accounts_with_queue()
        runs = await asyncio.gather(
            *(self._run_account(user_id) for user_id in users), return_exceptions=True
        )
        for user_id, run in zip(users, runs, strict=True):
            if isinstance(run, BaseException):
                if not isinstance(run, Exception):
                    raise run
                log.error("publishing for user %s failed", user_id, exc_info=run)
            elif run is not None:
                reports.append(run)
        return reports

    def _lock(self, user_id: int) -> asyncio.Lock:
        return self._locks.setdefault(user_id, asyncio.Lock())

    async def _run_account(self, user_id: int) -> RunReport | None:
        lock = self._lock(user_id)
        if lock.locked():
            return None  # this process is publishing on that account already
        async with lock, self._slots:
            return await self._publish_next(user_id)

    async def _publish_next(self, user_id: int) -> RunReport | None:
        now = self._now()
        account = await self.store.get_publish_account(user_id)
        if account.paused_reason is not None:
            return None
        rules = await self.rules(user_id)
        entries = _in_order(await self.store.queued_drafts(user_id))
        if not entries:
            return None
        published = {rules.local_day(now): await self._published_today(user_id, rules, now)}
        entry = entries[0]
        if rules.earliest(max(_account_ready(now, account), _due(entry)), published) > now:
            return None
        draft = entry.draft
        assert draft.id is not None
        # Cookies first: without a session nothing is claimed and the draft keeps its place.
        try:
            loaded = await self.sessions.load(user_id)
        except SessionUnreadable:
            return await self._pause_before_claim(user_id, draft, SESSION_UNREADABLE)
        if loaded is None:
            return await self._pause_before_claim(user_id, draft, SESSION_MISSING)
        cookies = _cookie_list(loaded)
        attempt_id = await self.store.begin_publish(
            draft.id,
            user_id,
            generation=entry.generation,
            key=publish_key(draft.id, entry.generation),
            owner=self.owner,
            lease_until=now + self.config.lease,
        )
        if attempt_id is None:
            return None  # another tick or process claimed it, or the seller took it back
        self._in_flight.add(attempt_id)
        heartbeat = asyncio.create_task(self._keep_lease(attempt_id))
        try:
            try:
                photos = await self.store.get_photos(draft.photo_ids, user_id)
                listing = listing_from_draft(draft, photos, self.config.data_dir)
            except ListingInvalid as exc:
                detail = {"kind": "field_rejected", "field": exc.field, "message": str(exc)}
                return await self._fail(attempt_id, entry, detail, None)

            async def on_created(item_id: int) -> None:
                await self.store.record_created_item(attempt_id, item_id)

            try:
                result = await self.publisher.publish(
                    cookies, listing, mode=rules.mode, on_created=on_created
                )
            except Exception:
                # The listing may exist: the attempt stays running for reconcile() to settle.
                log.exception("publishing draft %s broke off; reconcile will check", draft.id)
                return RunReport(user_id, draft.id, INTERRUPTED)
            await self._save_cookies(user_id, result.cookies)
            return await self._settle(attempt_id, entry, result, rules, cookies)
        finally:
            heartbeat.cancel()
            with suppress(asyncio.CancelledError):
                await heartbeat
            self._in_flight.discard(attempt_id)
            # Best effort: a crash skips this and the lease simply lapses.
            with suppress(Exception):
                await self.store.release_publish_lease(attempt_id, self.owner)

    async def _keep_lease(self, attempt_id: int) -> None:
        while True:
            await asyncio.sleep(self.config.lease.total_seconds() / 3)
            try:
                await self.store.renew_publish_lease(
                    attempt_id, self.owner, self._now() + self.config.lease
                )
            except Exception:
                log.exception("could not renew the lease of publish attempt %s", attempt_id)

    async def _pause_before_claim(self, user_id: int, draft: Draft, reason: str) -> RunReport:
        if await self.store.pause_publishing(user_id, reason, {"draft_id": draft.id}):
            await self.store.log_event(user_id, "publish_paused", {"reason": reason})
            await self._notify(self.notifier.paused(user_id, reason, None))
        return RunReport(user_id, draft.id, reason)

    # ---- outcomes ------------------------------------------------------------------------

    async def _settle(
        self,
        attempt_id: int,
        entry: QueuedDraft,
        result: PublishResultPort,
        rules: AccountRules,
        cookies: Cookies,
    ) -> RunReport:
        outcome = result.outcome
        kind = outcome.kind
        screenshot = result.screenshot or getattr(outcome, "screenshot", None)
        detail: dict[str, Any] = {
            "kind": kind,
            "step": result.step or getattr(outcome, "step", ""),
            "detail": _describe(outcome),
            "screenshot": None if screenshot is None else str(screenshot),
        }
        draft = entry.draft
        if kind in SUCCESS_KINDS:
            item_id = getattr(outcome, "item_id", None) or getattr(outcome, "draft_id", None)
            url = getattr(outcome, "url", None) if kind == "published" else None
            return await self._succeed(attempt_id, entry, rules, item_id, url, kind)
        if getattr(result, "maybe_created", False):
            # The create call went out unanswered: look before trying again.
            found = await self._look_up(draft, cookies)
            if found is None:
                return RunReport(draft.user_id, draft.id, INTERRUPTED)  # reconcile later
            if found:
                return await self._succeed(attempt_id, entry, rules, found, None, "published")
        if kind == "rate_limited":
            return await self._rate_limited(attempt_id, entry, outcome, detail)
        if kind in PAUSE_KINDS or getattr(outcome, "pauses_account", False):
            return await self._pause(attempt_id, entry, kind, detail, screenshot)
        if kind == "field_rejected":
            detail["field"] = getattr(outcome, "field", "")
            detail["message"] = getattr(outcome, "message", "")
            return await self._fail(attempt_id, entry, detail, screenshot)
        if outcome.transient or kind in TRANSIENT_KINDS:
            return await self._transient(attempt_id, entry, detail, screenshot)
        return await self._fail(attempt_id, entry, detail, screenshot)

    async def _succeed(
        self,
        attempt_id: int,
        entry: QueuedDraft,
        rules: AccountRules,
        item_id: int | None,
        url: str | None,
        kind: str,
        *,
        reconciled: bool = False,
    ) -> RunReport:
        draft = entry.draft
        if url is None and item_id is not None and kind == "published":
            url = f"{self.config.vinted_base_url}/items/{item_id}"
        settled, _ = await self.store.settle_publish(
            attempt_id,
            PublishSettlement(
                outcome=OUTCOME_PUBLISHED,
                draft_status=DraftStatus.PUBLISHED,
                detail={"kind": kind, "url": url, "reconciled": reconciled},
                vinted_item_id=item_id,
                vinted_url=url,
                not_before=self._now() + rules.next_interval(self._rng),
                clear_rate_limit=True,
            ),
        )
        if settled:
            await self.store.log_event(
                draft.user_id, "publish_published", {"draft_id": draft.id, "item_id": item_id}
            )
            await self._notify_with_draft(draft, lambda d: self.notifier.published(d, url))
        return RunReport(draft.user_id, draft.id, kind, item_id, url, reconciled=reconciled)

    async def _rate_limited(
        self, attempt_id: int, entry: QueuedDraft, outcome: OutcomePort, detail: dict[str, Any]
    ) -> RunReport:
        draft = entry.draft
        account = await self.store.get_publish_account(draft.user_id)
        wait = self.config.rate_limit_min
        if account.rate_limit_seconds:
            wait = max(wait, timedelta(seconds=2 * account.rate_limit_seconds))
        retry_after = getattr(outcome, "retry_after", None)
        if retry_after:
            wait = max(wait, timedelta(seconds=float(retry_after)))
        until = self._now() + wait
        settled, _ = await self.store.settle_publish(
            attempt_id,
            PublishSettlement(
                outcome=OUTCOME_FAILED,
                draft_status=DraftStatus.APPROVED,
                detail=detail,
                failures=entry.failures,
                retry_at=entry.retry_at,
                rate_limited_until=until,
                rate_limit_seconds=wait.total_seconds(),
            ),
        )
        if settled:
            await self._notify_with_draft(
                draft, lambda d: self.notifier.retrying(d, until, "rate_limited")
            )
        return RunReport(draft.user_id, draft.id, "rate_limited", retry_at=until)

    async def _pause(
        self,
        attempt_id: int,
        entry: QueuedDraft,
        kind: str,
        detail: dict[str, Any],
        screenshot: Path | None,
    ) -> RunReport:
        draft = entry.draft
        # The draft goes back in line unharmed: nothing is lost while the seller sorts it out.
        _, paused_now = await self.store.settle_publish(
            attempt_id,
            PublishSettlement(
                outcome=OUTCOME_FAILED,
                draft_status=DraftStatus.APPROVED,
                detail=detail,
                failures=entry.failures,
                retry_at=entry.retry_at,
                pause_reason=kind,
                pause_detail={"draft_id": draft.id, **detail},
            ),
        )
        if paused_now:
            await self.store.log_event(draft.user_id, "publish_paused", {"reason": kind})
            await self._notify(self.notifier.paused(draft.user_id, kind, screenshot))
        return RunReport(draft.user_id, draft.id, kind)

    async def _transient(
        self,
        attempt_id: int,
        entry: QueuedDraft,
        detail: dict[str, Any],
        screenshot: Path | None,
        *,
        reconciled: bool = False,
    ) -> RunReport:
        failures = entry.failures + 1
        if failures > len(self.config.backoff):
            return await self._fail(attempt_id, entry, detail, screenshot, failures=failures)
        draft = entry.draft
        kind = str(detail["kind"])
        # Our own crash is not Vinted's doing: once the wardrobe shows no listing, go again at
        # once (it still counts as a try, so a crash loop ends in `failed`).
        interrupted = kind == INTERRUPTED
        retry_at = self._now() + (
            timedelta(0) if interrupted else self.config.backoff[failures - 1]
        )
        settled, _ = await self.store.settle_publish(
            attempt_id,
            PublishSettlement(
                outcome=OUTCOME_FAILED,
                draft_status=DraftStatus.APPROVED,
                detail=detail,
                failures=failures,
                retry_at=retry_at,
                # The whole account waits: if Vinted is down, one draft finds out, not all.
                not_before=retry_at,
            ),
        )
        if settled and not interrupted:
            await self._notify_with_draft(
                draft, lambda d: self.notifier.retrying(d, retry_at, kind)
            )
        return RunReport(draft.user_id, draft.id, kind, retry_at=retry_at, reconciled=reconciled)

    async def _fail(
        self,
        attempt_id: int,
        entry: QueuedDraft,
        detail: dict[str, Any],
        screenshot: Path | None,
        *,
        failures: int | None = None,
    ) -> RunReport:
        draft = entry.draft
        kind = str(detail["kind"])
        if kind == "field_rejected":
            text = f"{detail.get('field')}: {detail.get('message')}"
        else:
            text = str(detail.get("detail") or "")
        settled, _ = await self.store.settle_publish(
            attempt_id,
            PublishSettlement(
                outcome=OUTCOME_FAILED,
                draft_status=DraftStatus.FAILED,
                detail=detail,
                failures=entry.failures if failures is None else failures,
                error=f"{kind}: {text}" if text and text != kind else kind,
            ),
        )
        if settled:
            await self.store.log_event(
                draft.user_id, "publish_failed", {"draft_id": draft.id, "kind": kind}
            )
            await self._notify_with_draft(
                draft, lambda d: self.notifier.failed(d, kind, text, screenshot)
            )
        return RunReport(draft.user_id, draft.id, kind)

    # ---- after a crash -------------------------------------------------------------------

    async def reconcile(self) -> list[RunReport]:
        """Settle attempts a crash left running: published if the listing exists, else retry."""
        reports: list[RunReport] = []
        for attempt in await self.store.open_publish_attempts():
            if attempt.id in self._in_flight:
                continue
            lock = self._lock(attempt.user_id)
            if lock.locked():
                continue  # this process is busy on that account; the next tick will look
            async with lock:
                try:
                    report = await self._reconcile(attempt)
                except Exception:
                    log.exception("could not reconcile publish attempt %s", attempt.id)
                    continue
            if report is not None:
                reports.append(report)
        return reports

    async def _reconcile(self, attempt: PublishAttempt) -> RunReport | None:
        until = self._now() + self.config.lease
        dead = attempt.owner is not None and _owner_is_dead(attempt.owner)
        taken = await self.store.take_over_attempt(
            attempt.id, self.owner, until, dead_owner=attempt.owner if dead else None
        )
        if not taken:
            return None  # its owner is alive (its lease holds)
        self._in_flight.add(attempt.id)
        try:
            entry = (
                None
                if attempt.draft_id is None
                else await self.store.queued_draft(attempt.draft_id)
            )
            if entry is None:
                # The draft is gone; its key keeps refusing, so closing the attempt is enough.
                await self.store.settle_publish(
                    attempt.id,
                    PublishSettlement(
                        outcome=OUTCOME_UNKNOWN,
                        draft_status=DraftStatus.FAILED,
                        detail={"kind": INTERRUPTED},
                    ),
                )
                return None
            draft = entry.draft
            rules = await self.rules(attempt.user_id)
            item_id = attempt.vinted_item_id
            if item_id is None:
                found = await self._look_up(draft)
                if found is None:
                    return None  # cannot tell yet: try again on the next tick
                item_id = found or None
            if item_id is not None:
                log.info("draft %s was published before the crash as item %s", draft.id, item_id)
                return await self._succeed(
                    attempt.id, entry, rules, item_id, None, "published", reconciled=True
                )
            detail = {"kind": INTERRUPTED, "detail": "no listing found after the interruption"}
            return await self._transient(attempt.id, entry, detail, None, reconciled=True)
        finally:
            self._in_flight.discard(attempt.id)
            await self.store.release_publish_lease(attempt.id, self.owner)

    async def _look_up(self, draft: Draft, cookies: Cookies | None = None) -> int | None:
        """Return the listing's item id, 0 when it is surely absent, None when unknown."""
        if cookies is None:
            try:
                loaded = await self.sessions.load(draft.user_id)
            except SessionUnreadable:
                loaded = None
            if loaded is None:
                log.warning("no session to look for draft %s on Vinted", draft.id)
                return None
            cookies = _cookie_list(loaded)
        vinted_user_id = await self._vinted_user_id(draft.user_id, cookies)
        if vinted_user_id is None:
            log.warning("unknown Vinted member for user %s: cannot look up", draft.user_id)
            return None
        try:
            # Vinted may rotate the tokens during the lookup too: keep them.
            async def keep(rotated: Cookies) -> None:
                await self.sessions.update_cookies(draft.user_id, rotated)

            found = await self.publisher.find_listing(
                cookies, vinted_user_id, draft.title, on_cookies=keep
            )
        except Exception:  # ListingLookupFailed, or the browser broke: "unknown", not "absent"
            log.warning("could not look for draft %s on Vinted", draft.id, exc_info=True)
            return None
        return 0 if found is None else found

    async def _vinted_user_id(self, user_id: int, cookies: Cookies) -> int | None:
        session = await self.store.get_vinted_session(user_id)
        if session is not None and session.vinted_user_id is not None:
            return session.vinted_user_id
        # Vinted names the signed-in member in its v_uid cookie.
        for cookie in cookies:
            if cookie.get("name") == "v_uid":
                with suppress(TypeError, ValueError):
                    return int(cookie.get("value", ""))
        return None

    # ---- the seller's actions ------------------------------------------------------------

    async def retry(self, user_id: int, draft_id: int) -> bool:
        """Put the seller's draft whose publishing failed back in line; False if it cannot."""
        moved = await self.store.requeue_failed_publish(draft_id, user_id)
        if moved:
            await self.store.log_event(user_id, "publish_retry", {"draft_id": draft_id})
        return moved

    async def resume(self, user_id: int) -> bool:
        """Lift the account's pause (after a captcha, a login...); False if it was not paused."""
        resumed = await self.store.resume_publishing(user_id)
        if resumed:
            await self.store.log_event(user_id, "publish_resumed", {})
        return resumed

    async def schedule(self, user_id: int, draft_id: int, when: datetime | None) -> bool:
        """Publish the seller's draft not before `when` (None: as soon as its turn comes)."""
        return await self.store.set_publish_at(draft_id, user_id, when)

    # ---- what the bot shows --------------------------------------------------------------

    async def rules(self, user_id: int) -> AccountRules:
        """Return the pacing the seller's account follows, their overrides applied."""
        user = await self.store.get_user(user_id)
        return self.config.rules_for(user.settings if user else {})

    async def queue_view(self, user_id: int) -> QueueView:
        """Return the approved drafts in publishing order and when the next one goes."""
        now = self._now()
        account = await self.store.get_publish_account(user_id)
        rules = await self.rules(user_id)
        entries = _in_order(await self.store.queued_drafts(user_id))
        publishing = await self.store.queued_drafts(user_id, [DraftStatus.PUBLISHING])
        today = await self._published_today(user_id, rules, now)
        etas: list[datetime | None] = [None] * len(entries)
        if account.paused_reason is None:
            # Nominal interval (no jitter): an estimate, the real one is drawn at each publish.
            published = {rules.local_day(now): today}
            moment = _account_ready(now, account)
            if publishing:  # the one in the browser now sets the next interval when it ends
                moment = max(moment, now + rules.min_interval)
            for index, entry in enumerate(entries):
                at = rules.earliest(max(moment, _due(entry)), published)
                etas[index] = at
                day = rules.local_day(at)
                published[day] = published.get(day, 0) + 1
                moment = at + rules.min_interval
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
            rate_limited_until=(
                account.rate_limited_until
                if account.rate_limited_until and account.rate_limited_until > now
                else None
            ),
            publishing=tuple(entry.draft for entry in publishing),
            published_today=today,
            daily_cap=rules.daily_cap,
            mode=rules.mode,
            timezone=rules.timezone.key,
            hours=rules.hours_text,
        )

    async def stats(self, user_id: int, since: datetime) -> PublishStats:
        """Return the seller's publishes and failed attempts since a time, by reason."""
        counts = await self.store.publish_outcomes(user_id, since)
        published = counts.pop("published", 0)
        saved = counts.pop("saved_as_draft", 0)
        return PublishStats(published=published, saved_as_draft=saved, failures=counts)

    # ---- helpers -------------------------------------------------------------------------

    async def _published_today(self, user_id: int, rules: AccountRules, now: datetime) -> int:
        start, end = rules.day_bounds(now)
        return await self.store.count_published(user_id, start, end)

    async def _save_cookies(self, user_id: int, cookies: Sequence[Mapping[str, Any]]) -> None:
        """Save the cookies the run came back with: Vinted rotates its tokens."""
        if not cookies:
            return
        try:
            await self.sessions.update_cookies(user_id, cookies)
        except Exception:
            log.exception("could not save the rotated cookies of user %s", user_id)

    async def _notify(self, call: Awaitable[None]) -> None:
        # The queue's state is already stored: a Telegram hiccup must not undo or repeat it.
        try:
            await call
        except Exception:
            log.exception("the publishing notifier failed")

    async def _notify_with_draft(
        self, draft: Draft, call: Callable[[Draft], Awaitable[None]]
    ) -> None:
        current = await self.store.get_draft(draft.id or 0) or draft
        await self._notify(call(current))


def publish_key(draft_id: int, generation: int) -> str:
    """Return the idempotency key of a draft's attempt at this generation."""
    return f"draft:{draft_id}:v{generation}"


def _due(entry: QueuedDraft) -> datetime:
    """Return when the draft joined the line or may go, whichever is later."""
    draft = entry.draft
    since = draft.approved_at or draft.created_at or datetime.min.replace(tzinfo=UTC)
    return max(t for t in (since, entry.publish_at, entry.retry_at) if t is not None)


def _in_order(entries: Sequence[QueuedDraft]) -> list[QueuedDraft]:
    return sorted(entries, key=lambda e: (_due(e), e.draft.id or 0))


def _account_ready(now: datetime, account: PublishAccount) -> datetime:
    return max(t for t in (now, account.not_before, account.rate_limited_until) if t is not None)


def _cookie_list(cookies: Sequence[Mapping[str, Any]]) -> Cookies:
    # Keep the vault's own dict subclass (its repr hides the values) when it is one.
    return [c if isinstance(c, dict) else dict(c) for c in cookies]


def _describe(outcome: OutcomePort) -> str:
    describe = getattr(outcome, "describe", None)
    if callable(describe):
        return str(describe())
    return str(getattr(outcome, "detail", "") or getattr(outcome, "message", "") or "")


def _owner_is_dead(owner: str) -> bool:
    """Return True when the lease's owner was a process on this machine that no longer runs."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False  # another machine, or an owner name we do not understand: trust the lease
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
