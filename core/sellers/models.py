"""A seller, their typed settings, and the one answer the bot may be waiting for."""

from __future__ import annotations

import logging
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field, ValidationError, field_validator

from core.quality.footer import check_footer

log = logging.getLogger(__name__)


class SellerSettings(BaseModel):
    """What a seller chose; None means the bot-wide default."""

    grouping: Literal["auto", "album"] | None = None
    one_next: bool = False  # the next batch is one item (/one)
    publish_mode: Literal["publish", "draft"] | None = None
    timezone: str | None = None
    publish_min_interval_seconds: float | None = None
    publish_jitter: float | None = None
    publish_daily_cap: int | None = None
    publish_hours: str | None = None
    ui_language_chosen: bool = False  # chosen in /settings; until then it follows Telegram
    relist_mode: Literal["off", "ask", "auto"] | None = None  # relisting what did not sell
    relist_after_days: int | None = Field(None, ge=1, le=365)
    footer: list[str] | None = None  # lines added to every published description

    @field_validator("footer")
    @classmethod
    def _valid_footer(cls, value: list[str] | None) -> list[str] | None:
        return check_footer(value) if value else None  # FooterRefused is a ValueError

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                ZoneInfo(value)
            except (ValueError, OSError, LookupError) as exc:  # unknown, empty or path-like
                raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @classmethod
    def lenient(cls, data: dict[str, Any]) -> SellerSettings:
        """Read stored settings, dropping (and logging) any value that no longer validates."""
        known = {k: v for k, v in data.items() if k in cls.model_fields}
        try:
            return cls.model_validate(known)
        except ValidationError as exc:
            bad = {str(err["loc"][0]) for err in exc.errors() if err["loc"]}
            log.warning("ignoring invalid seller settings %s", sorted(bad))
            return cls.model_validate({k: v for k, v in known.items() if k not in bad})

    def overrides(self) -> dict[str, Any]:
        """Return the settings the seller set, for the publishing rules."""
        return self.model_dump(
            exclude_none=True,
            exclude={"one_next", "grouping", "relist_mode", "relist_after_days"},
        )


class Seller(BaseModel):
    """A seller: listing language, interface language and settings."""

    user_id: int
    language: str = "fr"  # of the listings
    ui_language: str | None = None  # of the chat; None until known
    settings: SellerSettings = Field(default_factory=SellerSettings)
    created_at: datetime


class AwaitKind(StrEnum):
    FIELD = "field"  # a value for one field of a draft (category: a search for it)
    COOKIES = "cookies"  # the Vinted cookies after /connect
    FOOTER = "footer"  # the seller's footer lines, after /settings' Footer button


class Awaiting(BaseModel):
    """The answer the bot waits for from a seller, until it expires."""

    kind: AwaitKind
    draft_id: int | None = None
    field: str | None = None
    prompt_message_id: int | None = None  # the question the answer may reply to
    expires_at: datetime
