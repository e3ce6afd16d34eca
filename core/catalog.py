"""The category list the vision model chooses from (core/data/categories.json)."""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from importlib import resources

from pydantic import BaseModel


class Category(BaseModel):
    id: str
    path_fr: list[str]
    path_en: list[str]
    price_key: str

    def label(self, language: str) -> str:
        """Return the path as a person reads it, e.g. "Hommes > Vêtements > Jeans"."""
        path = self.path_fr if language == "fr" else self.path_en
        return " > ".join(path)


@cache
def categories() -> tuple[Category, ...]:
    """Return every category leaf, in file order."""
    raw = json.loads(resources.files("core.data").joinpath("categories.json").read_text("utf-8"))
    return tuple(Category.model_validate(c) for c in raw["categories"])


def category_ids() -> list[str]:
    return [c.id for c in categories()]


def get_category(category_id: str) -> Category | None:
    """Return the category with this id, or None when unknown."""
    return _by_id().get(category_id)


@cache
def _by_id() -> dict[str, Category]:
    return {c.id: c for c in categories()}


def search_categories(query: str, language: str = "fr", limit: int = 8) -> list[Category]:
    """Return the categories whose French or English path matches the query's words, best first.

    Matching ignores case, accents, hyphens and a plural s; a query word matches the start of a
    path word ("jean" finds "Jeans"). More query words matched ranks first, then matches in the
    leaf, then the listing's language, then the shorter path; categories matching fewer query
    words than the best one are left out.
    """
    words = [w for w in _words(query) if len(w) > 1 and w not in _STOP_WORDS]
    if not words:
        return []
    scored: list[tuple[tuple[int, int, int, int, int], Category]] = []
    for position, category in enumerate(categories()):
        own, other = (
            (category.path_fr, category.path_en)
            if language == "fr"
            else (category.path_en, category.path_fr)
        )
        own_words, other_words = _path_words(own), _path_words(other)
        leaf_words = _words(own[-1]) | _words(other[-1])
        matched = in_leaf = in_own = 0
        for word in words:
            hits = [w for w in own_words | other_words if w.startswith(word)]
            if not hits:
                continue
            matched += 1
            in_leaf += any(h in leaf_words for h in hits)
            in_own += any(h in own_words for h in hits)
        if matched:
            scored.append(((-matched, -in_leaf, -in_own, len(own_words), position), category))
    scored.sort(key=lambda item: item[0])
    # Only the categories matching as many words as the best: "jean homme" is not women_jeans.
    best = scored[0][0][0] if scored else 0
    return [category for key, category in scored if key[0] == best][:limit]


_STOP_WORDS = frozenset({"et", "de", "des", "du", "la", "le", "les", "a", "and", "the", "of"})


def _path_words(path: list[str]) -> set[str]:
    return set().union(*(_words(part) for part in path))


def _words(text: str) -> set[str]:
    """Fold text into comparable words: "T-shirts à manches" -> {"tshirt", "a", "manche"}."""
    folded = _fold(text).replace("-", "")
    return {_singular(w) for w in re.findall(r"\w+", folded)}


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith(("s", "x")) else word


def _fold(text: str) -> str:
    """Return the text without case or accents, for matching."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
