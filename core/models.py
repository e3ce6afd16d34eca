"""The product's vocabulary: photos, batches, drafts, prices and conditions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class Condition(StrEnum):
    """Vinted's five item conditions."""

    NEW_WITH_TAGS = "new_with_tags"
    NEW_WITHOUT_TAGS = "new_without_tags"
    VERY_GOOD = "very_good"
    GOOD = "good"
    SATISFACTORY = "satisfactory"

    @property
    def vinted_id(self) -> int:
        """Vinted's `status_id` for this condition."""
        return _VINTED_CONDITION_IDS[self]


_VINTED_CONDITION_IDS = {
    Condition.NEW_WITH_TAGS: 6,
    Condition.NEW_WITHOUT_TAGS: 1,
    Condition.VERY_GOOD: 2,
    Condition.GOOD: 3,
    Condition.SATISFACTORY: 4,
}


class DraftStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    QUEUED = "queued"
    PUBLISHING = "publishing"
    PUBLISHED = "published"
    FAILED = "failed"


class BatchStatus(StrEnum):
    RECEIVING = "receiving"  # photos still arriving / being stored
    PENDING = "pending"  # all photos stored, analysis not started or interrupted
    ANALYSING = "analysing"
    DONE = "done"
    FAILED = "failed"


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


class Photo(BaseModel):
    """One stored, normalised photo of a batch."""

    id: int | None = None
    user_id: int
    batch_id: int
    position: int  # order of arrival within the batch
    album_key: str | None = None  # Telegram media_group_id, or None for a loose photo
    source_name: str = ""  # file name as sent, for messages
    path: str  # Vinted-sized JPEG, relative to DATA_DIR
    vision_path: str  # vision-sized JPEG, relative to DATA_DIR
    phash: str = ""
    width: int = 0  # of the Vinted-sized JPEG
    height: int = 0
    telegram_file_id: str | None = None


class Listing(BaseModel):
    """The listing fields of a draft, as the seller and Vinted see them."""

    title: str = ""
    description: str = ""
    hashtags: list[str] = Field(default_factory=list)
    brand: str | None = None
    category: str = ""  # an id from core/data/categories.json
    size: str = ""
    condition: Condition | None = None
    colours: list[str] = Field(default_factory=list)
    material: str | None = None
    defects: list[str] = Field(default_factory=list)
    measurements: str | None = None
    price: Price | None = None


class Draft(Listing):
    """A listing draft for one item: its fields, photos, quality outcome and status."""

    id: int | None = None
    user_id: int
    batch_id: int | None = None
    photo_ids: list[int] = Field(default_factory=list)  # cover first
    language: str = "fr"
    status: DraftStatus = DraftStatus.DRAFT
    confidence: float = 0.0
    publish_ready: bool = False
    missing: list[str] = Field(default_factory=list)  # e.g. ["title_too_long", "size_missing"]
    to_confirm: list[str] = Field(default_factory=list)  # fields defaulted: "size", "condition"
    hint: str | None = None  # the seller's caption or regenerate hint
    usage: Usage = Field(default_factory=Usage)
    error: str | None = None  # why the analysis failed, a key of the texts module
    vinted_item_id: int | None = None
    vinted_url: str | None = None
    card_chat_id: int | None = None
    card_message_id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    approved_at: datetime | None = None
    published_at: datetime | None = None

    def listing(self) -> Listing:
        return Listing.model_validate(self.model_dump(include=set(Listing.model_fields)))

    def with_listing(self, listing: Listing, **changes: object) -> Draft:
        """Return a copy carrying the listing's fields (and any other changes)."""
        fields = {name: getattr(listing, name) for name in Listing.model_fields}
        return self.model_copy(update={**fields, **changes})


class Batch(BaseModel):
    """Photos that arrived together, analysed as one unit."""

    id: int | None = None
    user_id: int
    status: BatchStatus = BatchStatus.RECEIVING
    mode: GroupingMode = GroupingMode.AUTO
    hint: str | None = None
    language: str = "fr"
    photos_total: int = 0
    photos_done: int = 0
    items_found: int = 0
    drafts_done: int = 0
    error: str | None = None
    chat_id: int | None = None
    progress_message_id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class Progress(BaseModel):
    """What the analysis of a batch has done so far, for the progress message."""

    photos_total: int
    photos_processed: int = 0
    items_found: int = 0
    drafts_written: int = 0
