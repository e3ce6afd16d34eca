"""A draft: one item's listing fields, its photos, its quality verdict and where it stands."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field, field_validator

from core.drafts.fields import LISTING_FIELDS
from core.models import Condition, Price, Usage
from core.text import DESCRIPTION_MAX, ITEM_MAX, ITEMS_MAX, LINE_MAX, clean_line, clean_text


class DraftStatus(StrEnum):
    DRAFT = "draft"  # the seller is working on it
    APPROVED = "approved"  # in the publishing queue
    PUBLISHING = "publishing"  # a publish attempt holds it
    PUBLISHED = "published"  # on the marketplace (or saved there as a draft)
    FAILED = "failed"  # the analysis or the publishing failed: see error


class StaleDraft(Exception):
    """The draft changed since it was read (another edit, the queue): nothing was written."""

    def __init__(self, draft_id: int) -> None:
        super().__init__(f"draft {draft_id} changed meanwhile")
        self.draft_id = draft_id


class Listing(BaseModel):
    """The listing fields of a draft, as the seller and the marketplace see them."""

    title: str = ""
    description: str = ""
    price: Price | None = None
    brand: str | None = None
    category: str = ""  # an id from core/data/categories.json
    size: str = ""
    condition: Condition | None = None
    colours: list[str] = Field(default_factory=list)
    material: str | None = None
    defects: list[str] = Field(default_factory=list)
    hashtags: list[str] = Field(default_factory=list)
    measurements: str | None = None

    # Whatever writes a listing (the model, the seller, the database), its text is visible,
    # normalised and bounded: see core/text.py.
    @field_validator("title", "size", "category", mode="before")
    @classmethod
    def _line(cls, value: object, info: object) -> object:
        name = getattr(info, "field_name", "")
        return clean_line(value, LINE_MAX[name]) if isinstance(value, str) else value

    @field_validator("brand", "material", "measurements", mode="before")
    @classmethod
    def _optional_line(cls, value: object, info: object) -> object:
        if not isinstance(value, str):
            return value
        return clean_line(value, LINE_MAX[getattr(info, "field_name", "")]) or None

    @field_validator("description", mode="before")
    @classmethod
    def _text(cls, value: object) -> object:
        return clean_text(value, DESCRIPTION_MAX) if isinstance(value, str) else value

    @field_validator("colours", "defects", "hashtags", mode="before")
    @classmethod
    def _items(cls, value: object) -> object:
        if not isinstance(value, list):
            return value
        cleaned = [clean_line(v, ITEM_MAX) if isinstance(v, str) else v for v in value]
        return [v for v in cleaned if v != ""][:ITEMS_MAX]


assert tuple(Listing.model_fields) == LISTING_FIELDS, "core.drafts.fields lists every field"


class Publication(BaseModel):
    """What a marketplace holds for a draft: the listing (or marketplace draft) made from it."""

    marketplace: str
    item_id: str
    url: str | None = None  # None for a draft saved on the marketplace
    is_draft: bool = False
    created_at: datetime | None = None
    left_out: dict[str, str] = Field(default_factory=dict)  # field -> our value, not offered


class Draft(Listing):
    """A listing draft for one item: its fields, photos, quality outcome and status.

    `version` grows with every write: a change made on an older version is refused, so two
    writers never silently undo each other.
    """

    id: int | None = None
    user_id: int
    batch_id: int | None = None
    photo_ids: list[int] = Field(default_factory=list)  # cover first
    language: str = "fr"
    status: DraftStatus = DraftStatus.DRAFT
    version: int = 1
    confidence: float = 0.0
    publish_ready: bool = False
    missing: list[str] = Field(default_factory=list)  # e.g. ["title_too_long", "size_missing"]
    to_confirm: list[str] = Field(default_factory=list)  # fields defaulted: "size", "condition"
    hint: str | None = None  # the seller's caption or regenerate hint
    usage: Usage = Field(default_factory=Usage)
    error: str | None = None  # why the analysis or the publishing failed
    card_chat_id: int | None = None
    card_message_id: int | None = None
    publication: Publication | None = None  # set by the publishing queue only
    created_at: datetime | None = None
    updated_at: datetime | None = None
    approved_at: datetime | None = None
    published_at: datetime | None = None

    def listing(self) -> Listing:
        return Listing.model_validate(self.model_dump(include=set(LISTING_FIELDS)))

    def with_listing(self, listing: Listing, **changes: object) -> Draft:
        """Return a copy carrying the listing's fields (and any other changes)."""
        # Validated again: whatever set the fields, their text is cleaned and bounded.
        checked = Listing.model_validate(listing.model_dump())
        fields = {name: getattr(checked, name) for name in LISTING_FIELDS}
        return self.model_copy(update={**fields, **changes})
