"""The product's shared vocabulary: conditions, prices, token usage, grouping and progress.

Each slice keeps its own models (core.drafts.models, core.intake.models...); what several
slices speak of lives here. No marketplace's ids: each adapter maps these to its own.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel


class Condition(StrEnum):
    """An item's condition, in the five steps second-hand marketplaces use."""

    NEW_WITH_TAGS = "new_with_tags"
    NEW_WITHOUT_TAGS = "new_without_tags"
    VERY_GOOD = "very_good"
    GOOD = "good"
    SATISFACTORY = "satisfactory"


class GroupingMode(StrEnum):
    AUTO = "auto"  # the model groups the batch into items
    ALBUM = "album"  # each album is one item
    ONE = "one"  # the whole batch is one item


class Price(BaseModel):
    """A price range in EUR: min <= target <= max."""

    min: float
    target: float
    max: float
    currency: str = "EUR"


class Usage(BaseModel):
    """Tokens one or more model calls used."""

    prompt_tokens: int = 0
    completion_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
        )

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


class Progress(BaseModel):
    """What the analysis of a batch has done so far, for the progress message."""

    photos_total: int
    photos_processed: int = 0
    items_found: int = 0
    drafts_written: int = 0
