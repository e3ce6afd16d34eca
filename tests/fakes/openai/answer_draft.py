"""The fake model's default answer to a draft request: a factual listing from the seller's note.

It reads brand, size and item type from the note; the rest is the same plausible item each time.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tests.fakes.openai.language import WORDS, language_of
from tests.fakes.openai.recording import ReceivedRequest

_NOTE = re.compile(r"The seller's note[^:]*: (\".*\")")
_SIZE = re.compile(
    r"\b(?:taille|size|gr(?:ö|oe)(?:ß|ss)e|t\.)\s*:?\s*"
    r"(XXS|XS|S|M|L|XL|XXL|XXXL|\d{2,3}(?:[.,]5)?|W\d{2}(?:\s*L\d{2})?)\b",
    re.IGNORECASE,
)
_BRANDS = (
    "Zara",
    "H&M",
    "Mango",
    "Uniqlo",
    "Nike",
    "Adidas",
    "Levi's",
    "Kiabi",
    "Promod",
    "Sandro",
    "Maje",
    "Jules",
    "Celio",
    "Esprit",
    "Only",
    "Vero Moda",
    "Bershka",
    "Pull&Bear",
    "Stradivarius",
    "Petit Bateau",
)
# keyword -> (category id, item type per language)
_TYPES: dict[str, tuple[str, dict[str, str]]] = {
    "robe": ("women_dresses", {"fr": "Robe", "en": "Dress", "de": "Kleid"}),
    "dress": ("women_dresses", {"fr": "Robe", "en": "Dress", "de": "Kleid"}),
    "kleid": ("women_dresses", {"fr": "Robe", "en": "Dress", "de": "Kleid"}),
    "jean": ("women_jeans", {"fr": "Jean", "en": "Jeans", "de": "Jeans"}),
    "jeans": ("women_jeans", {"fr": "Jean", "en": "Jeans", "de": "Jeans"}),
    "pull": ("women_sweaters", {"fr": "Pull", "en": "Jumper", "de": "Pullover"}),
    "sweater": ("women_sweaters", {"fr": "Pull", "en": "Jumper", "de": "Pullover"}),
    "pullover": ("women_sweaters", {"fr": "Pull", "en": "Jumper", "de": "Pullover"}),
    "veste": ("women_jackets", {"fr": "Veste", "en": "Jacket", "de": "Jacke"}),
    "jacket": ("women_jackets", {"fr": "Veste", "en": "Jacket", "de": "Jacke"}),
    "jacke": ("women_jackets", {"fr": "Veste", "en": "Jacket", "de": "Jacke"}),
    "jupe": ("women_skirts", {"fr": "Jupe", "en": "Skirt", "de": "Rock"}),
    "skirt": ("women_skirts", {"fr": "Jupe", "en": "Skirt", "de": "Rock"}),
    "chemise": ("men_shirts", {"fr": "Chemise", "en": "Shirt", "de": "Hemd"}),
    "shirt": ("men_shirts", {"fr": "Chemise", "en": "Shirt", "de": "Hemd"}),
    "baskets": ("men_sneakers", {"fr": "Baskets", "en": "Trainers", "de": "Sneaker"}),
    "sneakers": ("men_sneakers", {"fr": "Baskets", "en": "Trainers", "de": "Sneaker"}),
}
DEFAULT_TYPE = ("women_tshirts", {"fr": "T-shirt", "en": "T-shirt", "de": "T-Shirt"})


def _note(received: ReceivedRequest) -> str:
    for text in received.user_texts:
        if match := _NOTE.search(text):
            return str(json.loads(match.group(1)))
    return ""


def draft_answer(received: ReceivedRequest) -> dict[str, Any]:
    """Write a factual draft in the requested language, using brand and size from the note."""
    language = language_of(received)
    words = WORDS[language]
    note = _note(received)
    brand = next((b for b in _BRANDS if re.search(rf"(?i)\b{re.escape(b)}(?!\w)", note)), None)
    size_match = _SIZE.search(note)
    size = size_match.group(1).upper() if size_match else None
    category, names = next(
        (_TYPES[w] for w in re.findall(r"\w+", note.lower()) if w in _TYPES), DEFAULT_TYPE
    )
    kind = names[language]
    title = " ".join(
        part for part in (kind, brand, f"{words['size']} {size}" if size else None) if part
    )
    lines = [
        f"{kind} {brand or words['no_brand']}.",
        f"{words['colour_line']} : {words['colour']}."
        if language == "fr"
        else f"{words['colour_line']}: {words['colour']}.",
        f"{words['size_line']} : {size or words['unknown']}."
        if language == "fr"
        else f"{words['size_line']}: {size or words['unknown']}.",
        *words["lines"].split("|"),
    ]
    tags = [f"#{kind.lower().replace('-', '')}", f"#{words['colour']}"]
    if brand:
        tags.append("#" + re.sub(r"\W", "", brand.lower()))
    else:
        tags.append("#vinted")
    price = 18.0 if brand else 10.0
    return {
        "title": title,
        "description": lines,
        "hashtags": tags,
        "brand": brand,
        "category": category,
        "size_on_label": size,
        "size": size,
        "condition": "very_good",
        "colours": [words["colour"]],
        "material": None,
        "defects": [],
        "measurements": None,
        "price_min": round(price * 0.8, 2),
        "price_target": price,
        "price_max": round(price * 1.3, 2),
        "confidence": 0.8 if brand and size else 0.6,
    }
