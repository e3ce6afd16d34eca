"""Typed outcomes now live in core.marketplace (the port); kept until the adapter moves."""

from core.marketplace import (  # noqa: F401
    CaptchaRequired,
    Cookies,
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
