"""What the replica recorded, in the shapes tests read: requests, photos, items and drafts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tests.fakes.vinted.data import fold


@dataclass(frozen=True)
class RecordedRequest:
    """One request the replica answered (header names in lower case)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    cookies: dict[str, str]
    status: int
    json: Any = None  # the parsed body of a JSON request


@dataclass(frozen=True)
class UploadedPhoto:
    id: int
    user_id: int
    temp_uuid: str
    photo_type: str
    filename: str
    content_type: str
    data: bytes
    headers: dict[str, str]
    cookies: dict[str, str]


@dataclass(frozen=True)
class Submission:
    """A form the page sent: its full JSON body, photos in their order, headers and cookies."""

    id: int
    user_id: int
    body: dict[str, Any]
    photos: tuple[UploadedPhoto, ...]
    headers: dict[str, str]
    cookies: dict[str, str]
    created_at: float

    @property
    def item(self) -> dict[str, Any]:
        item = self.body.get("item")
        return item if isinstance(item, dict) else {}

    @property
    def title(self) -> str:
        return str(self.item.get("title") or "")

    @property
    def description(self) -> str:
        return str(self.item.get("description") or "")

    @property
    def price(self) -> float | None:
        price = self.item.get("price")
        return float(price) if isinstance(price, int | float) else None

    @property
    def catalog_id(self) -> int | None:
        return self.item.get("catalog_id")

    @property
    def brand_id(self) -> int | None:
        return self.item.get("brand_id")

    @property
    def brand(self) -> str | None:
        return self.item.get("brand")

    @property
    def package_size_id(self) -> int | None:
        return self.item.get("package_size_id")

    @property
    def color_ids(self) -> list[int]:
        return list(self.item.get("color_ids") or [])

    @property
    def push_up(self) -> bool:
        return bool(self.body.get("push_up"))

    def attribute(self, code: str) -> list[int]:
        """Return the ids of one item attribute ("condition", "size", "material")."""
        for attribute in self.item.get("item_attributes") or []:
            if isinstance(attribute, dict) and attribute.get("code") == code:
                return list(attribute.get("ids") or [])
        return []

    @property
    def condition_id(self) -> int | None:
        ids = self.attribute("condition")
        return ids[0] if ids else None

    @property
    def size_id(self) -> int | None:
        ids = self.attribute("size")
        return ids[0] if ids else None

    @property
    def material_ids(self) -> list[int]:
        return self.attribute("material")

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", fold(self.title)).strip("-") or "item"

    @property
    def path(self) -> str:
        return f"/items/{self.id}-{self.slug}"


@dataclass(frozen=True)
class CreatedItem(Submission):
    """A listing published through POST /api/v2/item_upload/items (or a draft's completion)."""


@dataclass(frozen=True)
class SavedDraft(Submission):
    """A Vinted draft saved through POST /api/v2/item_upload/drafts."""

    completed_item_id: int | None = None
