"""What a seller types or taps, read into field values; every refusal names its reason.

A refusal is an EditRejected whose `key` the bot's texts modules translate (REJECTION_KEYS).
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from core.analysis import EditOut
from core.analysis import apply_edit as apply_model_edit
from core.catalog import get_category
from core.drafts.fields import CONFIRMABLE_FIELDS
from core.drafts.models import Draft, Listing
from core.models import Condition, Price
from core.pricing import round_price
from core.quality import DESCRIPTION_MAX_CHARS as DESCRIPTION_LIMIT
from core.quality import TITLE_MAX_CHARS
from core.text import clean_line, clean_text

PRICE_MIN = 1.0  # Vinted's smallest asking price, EUR
PRICE_MAX = 100_000.0
PRICE_RANGE_BELOW = 0.85  # min and max of the range set around a price the seller typed
PRICE_RANGE_ABOVE = 1.15
SIZE_MAX_CHARS = 20
NAME_MAX_CHARS = 50  # brand and material
MAX_COLOURS = 2

# Every key EditRejected may carry, for the bot's texts module to cover; the last three are
# the analysis failures of free_text_edit, named as in Draft.error.
REJECTION_KEYS = (
    "draft_not_found",
    "not_editable",
    "draft_changed",
    "nothing_to_edit",
    "field_unknown",
    "value_empty",
    "value_too_long",
    "price_invalid",
    "title_too_long",
    "size_too_long",
    "category_unknown",
    "too_many_colours",
    "condition_unknown",
    "photos_missing",
    "photo_not_found",
    "ai_unavailable",
    "ai_rate_limited",
    "ai_bad_answer",
)

# What a seller types to say "there is none" (compared folded: no case, no accents).
_NONE_WORDS = frozenset(
    {
        "-",
        "--",
        "aucune",
        "aucun",
        "none",
        "no brand",
        "keine",
        "kein",
        "sans",
        "sans marque",
        "pas de marque",
        "aucune marque",
        "ohne marke",
        "keine marke",
        "n/a",
    }
)
_COLOUR_SEPARATORS = re.compile(r"\s*(?:[,;/+&]|\bet\b|\band\b|\bund\b)\s*", re.IGNORECASE)
_CURRENCY = re.compile(r"€|eur(?:os?)?", re.IGNORECASE)
_PRICE = re.compile(r"(\d{1,6})(?:[.,](\d{1,2}))?")


class EditRejected(Exception):
    """The seller's change cannot be applied; `key` names the reason for the texts module."""

    def __init__(self, key: str, message: str = "", **params: Any) -> None:
        super().__init__(message or key.replace("_", " "))
        self.key = key
        self.params: dict[str, Any] = params


# ---- parsing what the seller typed -------------------------------------------------------------


def parse_price(text: str) -> float:
    """Read a price in EUR such as "25", "25,50", "25.5 EUR", "€25" or " 12,5 € "."""
    raw = _CURRENCY.sub(" ", text or "")
    # Spaces inside a number ("1 200") are thousands separators.
    raw = re.sub(r"(?<=\d)[\s\u00a0\u202f](?=\d{3}\b)", "", raw).strip()
    match = _PRICE.fullmatch(raw)
    if match is None:
        raise EditRejected(
            "price_invalid",
            f"not a price: {text!r}",
            value=text.strip(),
            min=PRICE_MIN,
            max=PRICE_MAX,
        )
    value = float(f"{match[1]}.{match[2] or '0'}")
    if not PRICE_MIN <= value <= PRICE_MAX:
        raise EditRejected(
            "price_invalid",
            f"a price must lie between {PRICE_MIN:g} and {PRICE_MAX:g} EUR",
            value=text.strip(),
            min=PRICE_MIN,
            max=PRICE_MAX,
        )
    return value


def price_around(target: float) -> Price:
    """Return a range of about -15%/+15% around the seller's price, on round prices."""
    low = min(round_price(target * PRICE_RANGE_BELOW), target)
    high = max(round_price(target * PRICE_RANGE_ABOVE), target)
    return Price(min=low, target=target, max=high)


def parse_title(text: str) -> str:
    """Read a title: one line, at most 70 characters."""
    title = clean_line(text or "", 10 * TITLE_MAX_CHARS)  # visible characters only
    if not title:
        raise EditRejected("value_empty", "the title is empty", field="title")
    if len(title) > TITLE_MAX_CHARS:
        raise EditRejected(
            "title_too_long",
            f"the title has {len(title)} characters, at most {TITLE_MAX_CHARS} are allowed",
            count=len(title),
            max=TITLE_MAX_CHARS,
        )
    return title


def parse_description(text: str) -> str:
    """Read a description, keeping its lines."""
    description = clean_text(text or "", 10 * DESCRIPTION_LIMIT)
    if not description:
        raise EditRejected("value_empty", "the description is empty", field="description")
    if len(description) > DESCRIPTION_LIMIT:
        raise EditRejected(
            "description_too_long",
            f"the description has {len(description)} characters, at most"
            f" {DESCRIPTION_LIMIT} are allowed",
            count=len(description),
            max=DESCRIPTION_LIMIT,
        )
    return description


def parse_size(text: str) -> str:
    """Read a size as typed ("M", "38", "W32 L34"), at most 20 characters."""
    size = " ".join((text or "").split())
    if not size:
        raise EditRejected("value_empty", "the size is empty", field="size")
    if len(size) > SIZE_MAX_CHARS:
        raise EditRejected(
            "size_too_long",
            f"a size has at most {SIZE_MAX_CHARS} characters",
            count=len(size),
            max=SIZE_MAX_CHARS,
        )
    return size


def parse_brand(text: str) -> str | None:
    """Read a brand; "-", "aucune", "none", "no brand" or "keine" mean no brand (None)."""
    return parse_name(text, "brand")


def parse_material(text: str) -> str | None:
    """Read a material such as "100% coton"; the no-brand words clear it (None)."""
    return parse_name(text, "material")


def parse_name(text: str, what: str) -> str | None:
    name = " ".join((text or "").split())
    if not name:
        raise EditRejected("value_empty", f"the {what} is empty", field=what)
    if fold(name).strip(" .") in _NONE_WORDS:
        return None
    if len(name) > NAME_MAX_CHARS:
        raise EditRejected(
            "value_too_long",
            f"the {what} has more than {NAME_MAX_CHARS} characters",
            field=what,
            count=len(name),
            max=NAME_MAX_CHARS,
        )
    return name


def parse_condition(value: str | Condition) -> Condition:
    """Read a condition given as its value, e.g. "very_good"."""
    try:
        return Condition(str(value).strip())
    except ValueError:
        raise EditRejected(
            "condition_unknown", f"unknown condition {value!r}", value=str(value)
        ) from None


def parse_category(value: str) -> str:
    """Check a category id from core.catalog and return it."""
    category_id = (value or "").strip()
    if get_category(category_id) is None:
        raise EditRejected("category_unknown", f"unknown category {value!r}", value=category_id)
    return category_id


def parse_colours(text: str) -> list[str]:
    """Read one or two colours separated by a comma, "et", "and" or "und"."""
    colours: list[str] = []
    for part in _COLOUR_SEPARATORS.split(text or ""):
        colour = " ".join(part.split())
        if colour and fold(colour) not in {fold(c) for c in colours}:
            colours.append(colour)
    if not colours:
        raise EditRejected("value_empty", "no colour given", field="colours")
    if len(colours) > MAX_COLOURS:
        raise EditRejected(
            "too_many_colours",
            f"at most {MAX_COLOURS} colours",
            count=len(colours),
            max=MAX_COLOURS,
        )
    return colours


def fold(text: str) -> str:
    """Return the text without case or accents, for matching."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# ---- rendering values ------------------------------------------------------------------------


def format_value(field_name: str, value: object) -> str:
    """Render a field's value as a short string: price "25.5", colours "bleu, blanc"...

    Condition and category stay ids (the bot names them in the seller's language); a long
    description is cut to 80 characters with its lines joined by " / ".
    """
    if value is None:
        return ""
    if isinstance(value, Price):
        return _amount(value.target)
    if isinstance(value, Condition):
        return value.value
    if isinstance(value, list):
        return (" " if field_name == "hashtags" else ", ").join(str(v) for v in value)
    text = str(value)
    if field_name == "description":
        text = " / ".join(line.strip() for line in text.splitlines() if line.strip())
        if len(text) > 80:
            text = text[:79].rstrip() + "…"
    return text


def _amount(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def with_value(draft: Draft, field_name: str, raw: str | Condition) -> Listing:
    """Return the draft's listing with one field set from the seller's raw value."""
    listing = draft.listing()
    text = raw.value if isinstance(raw, Condition) else str(raw)
    value: object
    if field_name == "title":
        value = parse_title(text)
    elif field_name == "description":
        value = parse_description(text)
    elif field_name == "price":
        value = price_around(parse_price(text))
    elif field_name == "brand":
        value = parse_brand(text)
    elif field_name == "size":
        value = parse_size(text)
    elif field_name == "condition":
        value = parse_condition(text)
    elif field_name == "category":
        value = parse_category(text)
    elif field_name == "colours":
        value = parse_colours(text)
    else:
        value = parse_material(text)
    return listing.model_copy(update={field_name: value})


def read_model_edit(draft: Draft, out: EditOut) -> tuple[Listing, set[str]]:
    """Apply the model's edit with the checks a typed value gets; return it and the fields set.

    Null means unchanged; an empty title, size or description too. An empty brand or material,
    or one of the "none" words, clears it. A new target price gets the usual range around it
    (the model's min and max are kept only when the target stays).
    """
    updates: dict[str, Any] = {}
    clears: set[str] = set()
    # "Empty" is judged on the visible text: zero-width characters are no title.
    title = clean_line(out.title or "", 10 * TITLE_MAX_CHARS)
    if title:
        updates["title"] = title
    if out.size is not None and clean_line(out.size, 100):
        updates["size"] = parse_size(out.size)
    if out.description is not None and clean_text("\n".join(out.description), DESCRIPTION_LIMIT):
        updates["description"] = out.description
    for name in ("brand", "material"):
        value = getattr(out, name)
        if value is None:
            continue
        parsed = parse_name(value, name) if value.strip() else None
        if parsed is None:
            clears.add(name)
        else:
            updates[name] = parsed
    for price in (out.price_min, out.price_target, out.price_max):
        if price is not None and not (math.isfinite(price) and PRICE_MIN <= price <= PRICE_MAX):
            raise EditRejected(
                "price_invalid",
                f"the new price {price} is out of range",
                value=str(price),
                min=PRICE_MIN,
                max=PRICE_MAX,
            )
    edit = out.model_copy(
        update={
            "title": None,
            "size": None,
            "description": None,
            "brand": None,
            "material": None,
            **updates,
        }
    )
    listing = apply_model_edit(draft.listing(), edit).model_copy(update=dict.fromkeys(clears))
    current = draft.price
    if out.price_target is not None and (current is None or out.price_target != current.target):
        listing = listing.model_copy(update={"price": price_around(out.price_target)})
    given = {name for name in CONFIRMABLE_FIELDS if getattr(edit, name) is not None}
    return listing, given
