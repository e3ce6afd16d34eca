"""The category list the vision model chooses from (core/data/categories.json)."""

from __future__ import annotations

import json
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
