"""Our vocabulary in Vinted's terms: condition ids, parcel sizes, a draft as the upload form."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from core.catalog import Category, categories, get_category
from core.drafts.models import Draft
from core.intake.models import Photo
from core.marketplace import CategoryChoice, ListingInvalid
from core.models import Condition
from core.quality.footer import with_footer
from core.vinted.listing import ListingToPublish

# Vinted's `status_id` per condition (UPLOAD-FORM.md section 4).
CONDITION_IDS: dict[Condition, int] = {
    Condition.NEW_WITH_TAGS: 6,
    Condition.NEW_WITHOUT_TAGS: 1,
    Condition.VERY_GOOD: 2,
    Condition.GOOD: 3,
    Condition.SATISFACTORY: 4,
}

# Vinted's parcel sizes: 1 small (a large envelope), 2 medium (a shoe box), 3 large.
PACKAGE_SMALL = 1
PACKAGE_SIZES = {"sneakers": 2, "shoes": 2, "bag": 2, "boots": 3, "coat": 3, "puffer": 3}


def condition_id(condition: Condition) -> int:
    """Return Vinted's `status_id` for a condition."""
    return CONDITION_IDS[condition]


def form_for(
    draft: Draft,
    photos: Sequence[Photo],
    data_dir: Path,
    category: CategoryChoice,
    footer: Sequence[str] = (),
) -> ListingToPublish:
    """Build the upload form's values from a draft, its photos (cover first) and its leaf.

    The description is the draft's, then the seller's footer (once), then the hashtags.
    """
    ours = get_category(draft.category)
    if ours is None:
        raise ListingInvalid("category", f"unknown category {draft.category!r}")
    if draft.price is None:
        raise ListingInvalid("price", "the draft has no price")
    if draft.condition is None:
        raise ListingInvalid("condition", "the draft has no condition")
    if not photos:
        raise ListingInvalid("photos", "the draft has no photos")
    description = with_footer(draft.description, footer)
    if draft.hashtags:
        description = f"{description}\n\n{' '.join(draft.hashtags)}"
    return ListingToPublish(
        title=draft.title,
        description=description,
        price=draft.price.target,
        category_ids=list(category.ids),
        category_titles=list(category.titles),
        brand=draft.brand,
        size=draft.size or None,
        condition=draft.condition,
        colours=list(draft.colours),
        material=draft.material,
        photos=[data_dir / photo.path for photo in photos],
        package_size=PACKAGE_SIZES.get(ours.price_key, PACKAGE_SMALL),
    )


def sample_category() -> Category:
    """Return a category that shows every leaf-only field (size, condition, colours...)."""
    return next((c for c in categories() if c.price_key == "t-shirt"), categories()[0])
