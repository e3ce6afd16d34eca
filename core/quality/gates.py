"""Quality gates of a listing draft, with the deterministic repairs tried before rejecting."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from core.catalog import get_category
from core.drafts.models import Listing
from core.models import Condition, Price
from core.quality.footer import footer_length, with_footer
from core.quality.hashtags import (
    HASHTAGS_MAX,
    HASHTAGS_MIN,
    has_hashtag,
    pull_hashtags,
    repair_hashtags,
)
from core.quality.phrases import MarketingPhrases, packaged_phrases
from core.quality.text import fold, has_emoji, strip_emoji
from core.quality.titles import (
    TITLE_MAX_CHARS,
    reads_broken,
    repair_title,
    shorten_title,
    tidy_title,
)

DESCRIPTION_MIN_LINES = 2
DESCRIPTION_MAX_CHARS = 2000  # a listing a buyer reads, typed into the form key by key

# Every key `missing` may hold, in the order they are reported. "emoji" is part of the
# vocabulary but emoji are always stripped, so enforce() never reports it.
MISSING_KEYS = (
    "title_missing",
    "title_too_long",
    "title_broken",
    "description_missing",
    "description_invalid",
    "description_too_long",
    "hashtags_invalid",
    "emoji",
    "marketing_phrases",
    "size_to_confirm",
    "condition_to_confirm",
    "category_missing",
    "price_invalid",
)
# What only a new model answer can fix; size and condition wait for the seller, and a bad
# price is replaced by the pricing rules.
MODEL_FIXES = frozenset(
    {
        "title_missing",
        "title_too_long",
        "title_broken",
        "description_missing",
        "description_invalid",
        "description_too_long",
        "hashtags_invalid",
        "marketing_phrases",
        "category_missing",
    }
)

DEFAULT_CONDITION = Condition.GOOD
_SIZE_LABELS = {"fr": "Taille non visible", "en": "Size not visible", "de": "Größe nicht sichtbar"}


@dataclass
class QualityReport:
    """The repaired listing and what still stands between it and publishing."""

    listing: Listing  # repaired copy (the input is never mutated)
    publish_ready: bool
    missing: list[str]  # keys of MISSING_KEYS, in that order
    to_confirm: list[str]  # fields the seller must confirm: "size", "condition"
    needs_model: list[str]  # the part of `missing` only the model can fix (ask it once)
    repairs: list[str]  # what was repaired, for logs and stats


def description_room(footer: Sequence[str] | None = None) -> int:
    """Return the characters a description may have, the seller's footer left room for."""
    return DESCRIPTION_MAX_CHARS - footer_length(footer)


def default_size_label(language: str) -> str:
    """Return the size shown while the size is unreadable, in the listing's language."""
    return _SIZE_LABELS.get(language, _SIZE_LABELS["en"])


def enforce(
    listing: Listing,
    *,
    language: str = "fr",
    to_confirm: Iterable[str] = (),
    phrases: MarketingPhrases | None = None,
    footer: Sequence[str] | None = None,
) -> QualityReport:
    """Repair what can be repaired without the model, then report what keeps it unpublishable.

    The seller's footer counts towards the description's length (it is published with it); the
    least number of lines is the description's own, as a footer says nothing of the item.
    """
    phrases = phrases or packaged_phrases()
    repairs: list[str] = []
    missing: set[str] = set()
    confirm = list(dict.fromkeys(to_confirm))

    def repaired(what: str) -> None:
        if what not in repairs:
            repairs.append(what)

    # Emoji go first, from every field, so no later step sees them.
    title = strip_emoji(listing.title)
    description = strip_emoji(listing.description)
    raw_tags = [strip_emoji(t) for t in listing.hashtags]
    brand = _clean_optional(listing.brand)
    size = strip_emoji(listing.size).strip()
    colours = [c for c in (strip_emoji(c).strip() for c in listing.colours) if c]
    defects = [d for d in (strip_emoji(d).strip() for d in listing.defects) if d]
    material = _clean_optional(listing.material)
    measurements = _clean_optional(listing.measurements)
    texts = [listing.title, listing.description, listing.size, *listing.hashtags]
    texts += [listing.brand or "", listing.material or "", listing.measurements or ""]
    if any(has_emoji(t) for t in [*texts, *listing.colours, *listing.defects]):
        repaired("emoji_removed")

    # Hashtags: the field holds them all; whoever renders puts them at the end.
    title, from_title = pull_hashtags(title)
    description, from_description = pull_hashtags(description)
    if from_title or from_description:
        repaired("hashtags_moved")
    hashtags, tag_repairs = repair_hashtags([*raw_tags, *from_title, *from_description], phrases)
    for what in tag_repairs:
        repaired(what)
    if not HASHTAGS_MIN <= len(hashtags) <= HASHTAGS_MAX:
        missing.add("hashtags_invalid")

    # Title: drop marketing words, then shorten around the brand and the size.
    title = tidy_title(title, brand, size)
    cleaned = repair_title(
        title,
        phrases,
        brand=brand,
        size="" if _is_size_placeholder(size) else size,
        facts=[*colours, material or ""],
        condition=listing.condition.value if listing.condition else None,
        language=language,
    )
    if cleaned != title:
        repaired("title_marketing_removed")
        title = cleaned
        if reads_broken(title, brand, size):
            missing.add("title_broken")
    if len(title) > TITLE_MAX_CHARS:
        title = shorten_title(title, brand, size)
        repaired("title_shortened")
    if not title:
        missing.add("title_missing")
    elif len(title) > TITLE_MAX_CHARS:
        missing.add("title_too_long")

    # Description: its words are the model's; only layout, emoji and hashtags are touched.
    description = _tidy_description(description)
    lines = [line for line in description.split("\n") if line.strip()]
    if not lines:
        missing.add("description_missing")
    elif len(lines) < DESCRIPTION_MIN_LINES or has_hashtag(description):
        missing.add("description_invalid")
    elif len(with_footer(description, footer)) > DESCRIPTION_MAX_CHARS:
        missing.add("description_too_long")
    if phrases.find(description) or phrases.find(title):
        missing.add("marketing_phrases")

    # Size and condition: a visible default, then the seller confirms.
    if not size or _is_size_placeholder(size):
        if size != default_size_label(language):
            repaired("size_defaulted")
        size = default_size_label(language)
        confirm.append("size")
    condition = listing.condition
    if condition is None:
        condition = DEFAULT_CONDITION
        repaired("condition_defaulted")
        confirm.append("condition")
    confirm = list(dict.fromkeys(confirm))
    if "size" in confirm:
        missing.add("size_to_confirm")
    if "condition" in confirm:
        missing.add("condition_to_confirm")

    if get_category(listing.category) is None:
        missing.add("category_missing")

    price = listing.price
    if price is None or not _price_positive(price):
        missing.add("price_invalid")
    elif not price.min <= price.target <= price.max:
        low, target, high = sorted((price.min, price.target, price.max))
        price = price.model_copy(update={"min": low, "target": target, "max": high})
        repaired("price_sorted")

    fixed = listing.model_copy(
        deep=True,
        update={
            "title": title,
            "description": description,
            "hashtags": hashtags,
            "brand": brand,
            "size": size,
            "condition": condition,
            "colours": colours,
            "defects": defects,
            "material": material,
            "measurements": measurements,
            "price": price.model_copy() if price is not None else None,
        },
    )
    ordered = [key for key in MISSING_KEYS if key in missing]
    return QualityReport(
        listing=fixed,
        publish_ready=not ordered,
        missing=ordered,
        to_confirm=confirm,
        needs_model=[key for key in ordered if key in MODEL_FIXES],
        repairs=repairs,
    )


# ---- description, size, price ---------------------------------------------------------------


def _tidy_description(description: str) -> str:
    """Trim spaces at line ends and collapse blank lines; the words stay the model's."""
    lines = [line.rstrip() for line in description.replace("\r\n", "\n").split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _is_size_placeholder(size: str) -> bool:
    folded = fold(size).strip(" .")
    return folded in {fold(label) for label in _SIZE_LABELS.values()}


def _price_positive(price: Price) -> bool:
    values = (price.min, price.target, price.max)
    return all(math.isfinite(v) and v > 0 for v in values)


def _clean_optional(value: str | None) -> str | None:
    if value is None:
        return None
    return strip_emoji(value).strip() or None
