"""What can go wrong when asking the vision model, as the caller needs to tell it."""

from __future__ import annotations

from typing import Literal

from core.models import Usage

UnavailableReason = Literal["ai_unavailable", "ai_rate_limited"]


class AnalysisError(Exception):
    """The vision model could not give a usable answer; `usage` is what was spent anyway."""

    def __init__(self, message: str, *, usage: Usage | None = None) -> None:
        super().__init__(message)
        self.usage = usage if usage is not None else Usage()


class AnalysisUnavailable(AnalysisError):
    """The model API kept failing (rate limits, 5xx, timeouts) or refused the request."""

    def __init__(
        self, reason: UnavailableReason, detail: str = "", *, usage: Usage | None = None
    ) -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason, usage=usage)
        self.reason: UnavailableReason = reason
        self.detail = detail


class AnalysisBadAnswer(AnalysisError):
    """The model answered twice with something that does not fit the expected structure."""
