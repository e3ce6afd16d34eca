"""The size grid a seller picks from, by category: letters, waists, shoe sizes, one size.

Grids follow what Vinted's size pickers offer for each kind of item (UPLOAD-FORM.md: the size
picker is a grid per size group); the publisher matches the chosen size against the site's own
labels when it fills the form (core.vinted.helpers.match_size).
"""

from __future__ import annotations

from core.catalog import get_category

WOMEN_CLOTHING = (
    "XXS",
    "XS",
    "S",
    "M",
    "L",
    "XL",
    "XXL",
    "3XL",
    "34",
    "36",
    "38",
    "40",
    "42",
    "44",
    "46",
    "48",
)
MEN_CLOTHING = ("XS", "S", "M", "L", "XL", "XXL", "3XL", "4XL", "44", "46", "48", "50", "52", "54")
WOMEN_WAISTS = (
    "W24",
    "W25",
    "W26",
    "W27",
    "W28",
    "W29",
    "W30",
    "W31",
    "W32",
    "W33",
    "W34",
    "W36",
    "34",
    "36",
    "38",
    "40",
    "42",
    "44",
    "46",
)
MEN_WAISTS = (
    "W28",
    "W29",
    "W30",
    "W31",
    "W32",
    "W33",
    "W34",
    "W36",
    "W38",
    "W40",
    "S",
    "M",
    "L",
    "XL",
    "XXL",
)
WOMEN_SHOES = ("35", "36", "37", "38", "39", "40", "41", "42")
MEN_SHOES = ("39", "40", "41", "42", "43", "44", "45", "46", "47")
ANY = ("XS", "S", "M", "L", "XL", "XXL", "36", "38", "40", "42", "44")  # category unknown

_WAISTED = frozenset({"jeans", "trousers", "joggers", "shorts"})
_SHOES = frozenset({"sneakers", "boots", "shoes"})
_ONE_SIZE_KINDS = frozenset({"bag", "hat", "scarf", "belt"})
# "One size" in the listing's language, as the seller and the site's picker read it.
ONE_SIZE = {"fr": "Taille unique", "en": "One size", "de": "Einheitsgröße"}


def one_size(language: str) -> str:
    return ONE_SIZE.get(language, ONE_SIZE["en"])


def size_grid(category_id: str, language: str) -> tuple[str, ...]:
    """Return the sizes to offer for an item of this category, ending with "one size"."""
    category = get_category(category_id)
    one = one_size(language)
    if category is None:
        return (*ANY, one)
    kind, men = category.price_key, category.id.startswith("men_")
    if kind in _ONE_SIZE_KINDS:
        return (one,)
    if kind in _SHOES:
        return MEN_SHOES if men else WOMEN_SHOES
    if kind in _WAISTED:
        return MEN_WAISTS if men else WOMEN_WAISTS
    return (*(MEN_CLOTHING if men else WOMEN_CLOTHING), one)
