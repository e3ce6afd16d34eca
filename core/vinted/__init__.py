"""The Playwright publisher: Vinted's upload page driven like a seller would drive it."""

from core.marketplace import (
    CaptchaRequired,
    DryRunDone,
    FieldRejected,
    HealthReport,
    ListingLookupFailed,
    NetworkFailure,
    Outcome,
    PageChanged,
    Published,
    PublishResult,
    RateLimited,
    SavedAsDraft,
    SessionExpired,
    SessionInfo,
    Timeout,
    VerificationRequired,
)
from core.vinted.listing import ListingToPublish
from core.vinted.publisher import VintedPublisher

__all__ = [
    "CaptchaRequired",
    "DryRunDone",
    "FieldRejected",
    "HealthReport",
    "ListingLookupFailed",
    "ListingToPublish",
    "NetworkFailure",
    "Outcome",
    "PageChanged",
    "PublishResult",
    "Published",
    "RateLimited",
    "SavedAsDraft",
    "SessionExpired",
    "SessionInfo",
    "Timeout",
    "VerificationRequired",
    "VintedPublisher",
]
