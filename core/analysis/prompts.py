"""Prompts for the vision model: instructions in English, listing text in the seller's language.

System prompts are static per language and come first, so repeated calls share a prefix the
API can cache; everything that varies (photos, hints, listings) goes in the user message.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from core.catalog import categories

LANGUAGE_NAMES: Mapping[str, str] = {"fr": "French", "en": "English", "de": "German"}

# What the quality gates' keys (core.quality.MISSING_KEYS) ask of the model; unknown keys are
# passed through as written.
_VIOLATION_HINTS: Mapping[str, str] = {
    "title_missing": "the title is empty: write one with brand, item type and size",
    "title_too_long": "the title is over 70 characters: shorten it, keep brand, type and size",
    "title_broken": "the title reads broken: write it as item type + brand + colour + size",
    "description_missing": "the description is empty: write 5 to 8 factual lines",
    "description_invalid": "the description needs 5 to 8 factual lines and no hashtags in it",
    "hashtags_invalid": "give 3 to 5 hashtags, one word each, starting with #",
    "emoji": "remove every emoji",
    "marketing_phrases": "remove the marketing phrases from title and description; facts only",
    "category_missing": "choose the category id from the list",
    "price_invalid": "give positive EUR prices with price_min <= price_target <= price_max",
}


def language_name(language: str) -> str:
    """Return the English name of a listing language code ("fr" -> "French")."""
    try:
        return LANGUAGE_NAMES[language]
    except KeyError:
        raise ValueError(
            f"unsupported listing language {language!r}; use one of {sorted(LANGUAGE_NAMES)}"
        ) from None


def _language_line(language: str) -> str:
    # A fixed wording: the fake OpenAI server reads the language back from this line.
    return f"Listing language: {language_name(language)} ({language})."


# ---- grouping ------------------------------------------------------------------------------

GROUPING_SYSTEM = """\
You sort a seller's photos of second-hand clothes and accessories into items to sell.
One item is one garment, one pair of shoes or one accessory.
Rules:
- Put every numbered photo in exactly one item; never leave a photo out, never use a number twice.
- Photos of labels (brand, size, care or composition tags) and close-ups (fabric, details,
  defects) belong with the garment they were taken from, usually among its neighbouring photos.
- Photos are numbered in the order the seller sent them; an item's photos are usually next to
  each other. Photos of the same album (same letter) usually show the same item, but an album
  may hold several items and an item may span albums.
- For each item list its label photos: those showing a readable brand, size or care label.
- Use the photo numbers exactly as given. Answer with JSON only."""


def grouping_intro(count: int, *, continued: bool) -> str:
    """Return the text that opens a grouping request of `count` photos."""
    text = f"Here are {count} photos, numbered 1 to {count}." if count > 1 else "Here is photo 1."
    if continued:
        text += (
            " They follow earlier photos of the same batch. The reference image, shown first and"
            " not numbered, is the last of those earlier photos."
        )
    return text


def grouping_reference_caption(album: str | None) -> str:
    """Return the caption of the reference image (the previous chunk's last photo)."""
    where = f" (album {album})" if album else " (sent alone)"
    return f"reference: the last earlier photo{where}"


def grouping_photo_caption(number: int, album: str | None) -> str:
    """Return the caption put before one photo, e.g. "photo 3 (album A)"."""
    where = f" (album {album})" if album else " (sent alone)"
    return f"photo {number}{where}"


def grouping_instruction(*, continued: bool, hint: str | None) -> str:
    """Return the closing instruction of a grouping request."""
    text = "Group the numbered photos into items."
    if continued:
        text += (
            " Set first_group_continues_previous to true when photo 1 shows the same item as the"
            " reference image (another view, its label or a close-up); the item holding photo 1"
            " is then joined to that earlier item. Never put the reference image in a group."
        )
    if hint:
        text += f"\nThe seller's note: {json.dumps(hint, ensure_ascii=False)}"
    return text


# ---- drafting ------------------------------------------------------------------------------

_LISTING_RULES = """\
You write listings for Vinted, the second-hand clothing marketplace, from a seller's photos.
Rules:
- Be factual: describe only what the photos show or the seller's note states. Never invent a
  brand, size, material, measurement or defect.
- No emoji. No marketing phrases (such as "perfect for", "must-have", "timeless", "a real
  bargain", "don't miss", "coup de coeur", "incontournable"); no exclamation marks.
- title: at most 70 characters: brand (when known) + item type + size (when known), e.g.
  "Robe Zara fleurie taille M".
- description: 5 to 8 short lines, one fact per line: type and cut, colour, material,
  size and fit, condition and any defect, measurements when shown.
- hashtags: 3 to 5, each one word starting with #, no duplicates.
- brand: as printed on a label or logo; null when none is readable.
- size_on_label: the size exactly as printed on a readable size label (e.g. "US 8", "EU 40",
  "W32 L34") or as the seller's note states it; else null.
- size: that size converted to the French system Vinted France uses (e.g. label "US 8" ->
  "38", "UK 10" -> "38", "IT 44" -> "40", letter sizes stay "M"); null when size_on_label is null.
  Never guess a size from how the garment looks.
- condition: new_with_tags only when a shop tag is still attached; new_without_tags when
  unworn without tag; very_good, good or satisfactory by visible wear; null when unclear.
- colours: the one or two main colours, in the listing language.
- material: from a readable composition label, in the listing language; else null.
- defects: every visible stain, hole, pilling, fading or missing button; empty when none.
- measurements: only when a tape measure is visible in a photo; else null.
- category: exactly one id from the list below.
- price_min, price_target, price_max: asking prices in EUR for the French second-hand market
  (Vinted France), given brand, type and condition; price_min <= price_target <= price_max.
- confidence: from 0 to 1, how sure you are of brand, size, category and condition.
Categories (id: path):
"""


def _category_list(language: str) -> str:
    return "\n".join(f"{c.id}: {c.label(language)}" for c in categories())


def draft_system(language: str) -> str:
    """Return the system prompt for drafting a listing in `language`."""
    return (
        f"{_LISTING_RULES}{_category_list(language)}\n"
        f"Write title, description, hashtags, colours, material, defects and measurements in "
        f"{language_name(language)}. {_language_line(language)} Answer with JSON only."
    )


def draft_photo_caption(number: int, *, cover: bool, label: bool) -> str:
    """Return the caption put before one photo of the item."""
    notes = [n for n, on in (("cover", cover), ("label close-up", label)) if on]
    return f"photo {number}" + (f" ({', '.join(notes)})" if notes else "")


def draft_intro(count: int, hint: str | None) -> str:
    """Return the text that opens a drafting request for one item."""
    text = f"Write the listing of the item shown in these {count} photos."
    if hint:
        note = json.dumps(hint, ensure_ascii=False)
        text += f"\nThe seller's note (trust it, e.g. for brand and size): {note}"
    return text


# ---- correcting and editing ----------------------------------------------------------------


def _listing_block(listing: Mapping[str, Any]) -> str:
    return "Current listing:\n```json\n" + json.dumps(listing, ensure_ascii=False) + "\n```"


def correct_system(language: str) -> str:
    """Return the system prompt for fixing a listing the quality gates rejected."""
    return (
        f"{_LISTING_RULES}{_category_list(language)}\n"
        "You are given a listing and the problems our checks found. Return the whole listing "
        "with those problems fixed, changing nothing else; you cannot see the photos, so keep "
        "every fact (brand, size, condition, material, defects) as it is, and keep null fields "
        f"null. {_language_line(language)} Answer with JSON only."
    )


def correct_user(
    listing: Mapping[str, Any],
    violations: Iterable[str],
    details: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """Return the user message listing the problems to fix, with what was found where known."""
    details = details or {}

    def line(v: str) -> str:
        found = "".join(f' found: "{d}"' for d in details.get(v, ()))
        return f"- {v}: {_VIOLATION_HINTS.get(v, v)}{found}"

    problems = "\n".join(line(v) for v in violations)
    return f"{_listing_block(listing)}\nProblems to fix:\n{problems}"


def edit_system(language: str) -> str:
    """Return the system prompt for applying a seller's edit to a listing."""
    return (
        "You apply a seller's change request to a Vinted listing. Return only what the seller "
        "asked to change: every other field is null (unchanged); add_defects and remove_defects "
        "are empty unless asked. A new price sets price_target, with price_min and price_max "
        "around it (about -15% and +15%). A new description is given as 5 to 8 factual lines. "
        "No emoji, no marketing phrases; the title stays at most 70 characters. category, when "
        f"changed, is an id from: {', '.join(c.id for c in categories())}. summary: one short "
        f"sentence in {language_name(language)} saying what changed. "
        f"{_language_line(language)} Answer with JSON only."
    )


def edit_user(listing: Mapping[str, Any], instruction: str) -> str:
    """Return the user message carrying the seller's change request."""
    return (
        f"{_listing_block(listing)}\n"
        f"The seller's change request: {json.dumps(instruction, ensure_ascii=False)}"
    )


def rewrite_system(language: str) -> str:
    """Return the system prompt for bringing description lines in line with one change."""
    return (
        "You keep a Vinted listing true after the seller changed one of its facts. You are "
        "given some lines of its description and the change. Rewrite each line so it agrees "
        "with the change, and change nothing else: same facts, same tone, one line for each "
        "line given, in the same order. A line that no longer says anything true may become "
        "a short factual line about the change. No emoji, no marketing phrases. "
        f"{_language_line(language)} Answer with JSON only."
    )


def rewrite_user(lines: Sequence[str], change: str) -> str:
    """Return the user message with the lines to rewrite and the change they must follow."""
    return (
        "Lines:\n```json\n" + json.dumps(list(lines), ensure_ascii=False) + "\n```\n"
        f"The change: {json.dumps(change, ensure_ascii=False)}"
    )


# ---- choosing a marketplace category ---------------------------------------------------------

CATEGORY_SYSTEM = """\
You file a second-hand item in a marketplace's own category tree. You are given the item (its \
title, our category, brand and description) and a few numbered candidate categories, each as \
its full path. Answer with the number of the category a buyer would look in for this item, \
or 0 when none of them fits. confidence is 0 to 1. Answer with JSON only."""


def category_user(item: Mapping[str, Any], candidates: Sequence[str]) -> str:
    """Return the user message with the item and the numbered candidate paths."""
    lines = "\n".join(f"{n}. {path}" for n, path in enumerate(candidates, start=1))
    return (
        "Item:\n```json\n" + json.dumps(item, ensure_ascii=False) + "\n```\n"
        f"Candidate categories:\n{lines}"
    )
