"""What the replica recorded, in the shapes tests read: requests, photos, items and drafts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tests.fakes.vinted.data import fold
from tests.fakes.vinted.sites import site


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


def attribute_ids(item: dict[str, Any], code: str) -> list[int]:
    """Return the ids of one item attribute ("condition", "size", "material") of a body."""
    for attribute in item.get("item_attributes") or []:
        if isinstance(attribute, dict) and attribute.get("code") == code:
            return list(attribute.get("ids") or [])
    return []


def flat_or_attribute(item: dict[str, Any], flat: str, code: str) -> int | None:
    """Return an id the page sends in item_attributes or flat (size_id, status_id), or None."""
    ids = attribute_ids(item, code)
    if ids:
        return ids[0]
    value = item.get(flat)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class Submission:
    """A form the page sent: its full JSON body, photos in their order, headers and cookies.

    Every field a test checks is a property here (title ... photos, is_draft), read from the
    body as the replica received it; catalog_path names the chosen catalog on the site
    (Switches.site) the body was sent to.
    """

    is_draft = False

    id: int
    user_id: int
    body: dict[str, Any]
    photos: tuple[UploadedPhoto, ...]
    headers: dict[str, str]
    cookies: dict[str, str]
    created_at: float
    site: str = "fr"

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
    def catalog_path(self) -> list[str] | None:
        """Return the titles of the chosen catalog, root to leaf, on the site it was sent to."""
        node = site(self.site).catalog.by_id(self.catalog_id)
        return node.path() if node else None

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
        return attribute_ids(self.item, code)

    @property
    def condition_id(self) -> int | None:
        """Return the condition (status_id): from item_attributes, else the flat field."""
        return flat_or_attribute(self.item, "status_id", "condition")

    @property
    def status_id(self) -> int | None:
        return self.condition_id

    @property
    def size_id(self) -> int | None:
        return flat_or_attribute(self.item, "size_id", "size")

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
    """A listing published through POST /api/v2/item_upload/items (or a draft's completion).

    An edit (PUT /api/v2/item_upload/items/{id}) replaces the body and sets edited_at; a
    deletion (POST /api/v2/items/{id}/delete) keeps the record and sets deleted_at.
    """

    edited_at: float | None = None
    deleted_at: float | None = None

    @property
    def is_live(self) -> bool:
        return self.deleted_at is None


@dataclass(frozen=True)
class SavedDraft(Submission):
    """A Vinted draft saved through POST /api/v2/item_upload/drafts."""

    is_draft = True

    completed_item_id: int | None = None
    deleted_at: float | None = None  # DELETE /api/v2/item_upload/drafts/{id}

    @property
    def is_open(self) -> bool:
        """Return whether the draft still waits in the wardrobe (not completed, not deleted)."""
        return self.completed_item_id is None and self.deleted_at is None
