"""Pacing, per account: a least interval with jitter, a daily cap on the seller's local day,
optional publishing hours in the seller's time zone. Sellers override the bot-wide defaults in
their settings: publish_min_interval_seconds, publish_jitter, publish_daily_cap, publish_hours,
publish_mode, timezone, and the footer every listing of theirs ends with. A new pacing rule
goes here (AccountRules.earliest).
"""

from __future__ import annotations

import logging
import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.quality.footer import check_footer

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_TIMEZONE = "Europe/Paris"
# Waits before the 1st, 2nd and 3rd retry of a transient failure; the next one fails the draft.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=4), timedelta(minutes=15))
RATE_LIMIT_MIN = timedelta(minutes=15)
# A live publish renews its lease every third of this; a crashed one is reconciled after it.
LEASE = timedelta(seconds=90)
# A listing created just before a crash may take a while to show on the wardrobe: "absent"
# counts only once look-ups this far apart agree.
SETTLE = timedelta(minutes=2)
PUBLISH_MODES = ("publish", "draft")


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
    """The pacing one seller's account publishes under, and the footer of its listings."""

    min_interval: timedelta
    jitter: float
    daily_cap: int
    hours: tuple[HourWindow, ...]
    hours_text: str
    mode: str
    timezone: ZoneInfo
    footer: tuple[str, ...] = ()

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
    settle: timedelta = SETTLE

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
        none: tuple[str, ...] = ()
        footer = _override(overrides, "footer", none, lambda v: tuple(check_footer(v)))
        return AccountRules(
            min_interval=timedelta(seconds=interval),
            jitter=jitter,
            daily_cap=cap,
            hours=hours,
            hours_text=hours_text if hours else "",
            mode=mode,
            timezone=zone,
            footer=footer,
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
