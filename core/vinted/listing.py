"""The listing the publisher takes, and what makes one unpublishable before any page opens."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from core.marketplace import FieldRejected
from core.models import Condition

MAX_PHOTOS = 20
Mode = Literal["publish", "draft", "dry_run"]
MODES = ("publish", "draft", "dry_run")


@dataclass
class ListingToPublish:
    """A listing as the upload form takes it."""

    title: str
    description: str  # already ends with the hashtags
    price: float
    category_ids: list[int]  # the leaf of the site's own tree, root first
    category_titles: list[str]  # the same path's titles, as the site names them
    brand: str | None
    size: str | None
    condition: Condition
    colours: list[str]  # names in fr/en/de: "bleu", "navy", "schwarz"
    material: str | None
    photos: list[Path]  # Vinted-sized JPEGs, cover first
    package_size: int = 2  # 1 small, 2 medium, 3 large


def invalid_listing(listing: ListingToPublish) -> FieldRejected | None:
    """Return what makes a listing unpublishable before any page opens, or None."""
    if not listing.photos:
        return FieldRejected("photos", "at least one photo is needed", step="validate")
    if len(listing.photos) > MAX_PHOTOS:
        return FieldRejected("photos", f"at most {MAX_PHOTOS} photos", step="validate")
    absent = [p.name for p in listing.photos if not Path(p).is_file()]
    if absent:
        return FieldRejected("photos", f"missing files: {', '.join(absent)}", step="validate")
    if not listing.title.strip():
        return FieldRejected("title", "the title is empty", step="validate")
    if not listing.category_ids or len(listing.category_ids) != len(listing.category_titles):
        return FieldRejected("category", "no category of the site", step="validate")
    if not (math.isfinite(listing.price) and listing.price > 0):
        return FieldRejected("price", f"{listing.price} is not a price", step="validate")
    if listing.package_size not in (1, 2, 3):
        return FieldRejected(
            "package_size", f"{listing.package_size} is not 1, 2 or 3", step="validate"
        )
    return None
