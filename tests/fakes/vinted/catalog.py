"""The category tree of a site: nodes, the lookups tests and handlers use, and how it is built.

A tree's data (tests/fakes/vinted/sites/tree_*.py) is nested titles: a dict maps a title to its
children, a list holds leaves, None marks a leaf inside a dict. Each leaf gets a size kind
("women", "men_shoes" ...) that a site's words turn into a size group.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Union

from tests.fakes.vinted.data import fold

Tree = Mapping[str, Union["Tree", Sequence[str], None]]
Path = tuple[str, ...]


@dataclass(eq=False)
class CatalogNode:
    """One catalog of the upload page's category picker."""

    id: int
    title: str
    children: list[CatalogNode] = field(default_factory=list)
    size_kind: str | None = None  # leaves only: which size group the site shows
    parent: CatalogNode | None = field(default=None, repr=False)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def path(self) -> list[str]:
        """Return the titles from the root down to this node."""
        node: CatalogNode | None = self
        titles: list[str] = []
        while node is not None:
            titles.append(node.title)
            node = node.parent
        return titles[::-1]

    def walk(self) -> Iterator[CatalogNode]:
        yield self
        for child in self.children:
            yield from child.walk()


class Catalog:
    """A site's catalog roots, indexed by id and by title path."""

    def __init__(self, roots: Sequence[CatalogNode]) -> None:
        self.roots = tuple(roots)
        self._by_id = {n.id: n for root in self.roots for n in root.walk()}
        if len(self._by_id) != sum(1 for root in self.roots for _ in root.walk()):
            raise ValueError("two catalogs share an id")

    def nodes(self) -> list[CatalogNode]:
        return list(self._by_id.values())

    def leaves(self) -> list[CatalogNode]:
        return [n for n in self._by_id.values() if n.is_leaf]

    def by_id(self, catalog_id: object) -> CatalogNode | None:
        return self._by_id.get(catalog_id) if isinstance(catalog_id, int) else None

    def leaf(self, catalog_id: object) -> CatalogNode | None:
        node = self.by_id(catalog_id)
        return node if node is not None and node.is_leaf else None

    def by_path(self, path: Sequence[str]) -> CatalogNode | None:
        """Return the node at this title path, e.g. ["Femmes", "Vêtements"], or None."""
        level: Sequence[CatalogNode] = self.roots
        node: CatalogNode | None = None
        for title in path:
            node = next((n for n in level if n.title == title), None)
            if node is None:
                return None
            level = node.children
        return node

    def search(self, text: str) -> list[CatalogNode]:
        """Return the leaves whose title contains text, ignoring case and accents."""
        key = fold(text.strip())
        return [n for n in self.leaves() if key and key in fold(n.title)]


def build_catalog(
    tree: Tree, *, ids: Callable[[Path], int], size_kind: Callable[[Path], str | None]
) -> Catalog:
    """Return the catalog of nested titles, with ids and size kinds given per title path."""

    def nodes(level: Tree | Sequence[str] | None, above: Path) -> list[CatalogNode]:
        if level is None:
            return []
        entries = level.items() if isinstance(level, Mapping) else ((t, None) for t in level)
        built = []
        for title, below in entries:
            path = (*above, title)
            node = CatalogNode(id=ids(path), title=title, children=nodes(below, path))
            for child in node.children:
                child.parent = node
            if node.is_leaf:
                node.size_kind = size_kind(path)
            built.append(node)
        return built

    return Catalog(nodes(tree, ()))


def scattered_ids(
    seed: str, low: int, high: int, known: Mapping[Path, int] | None = None
) -> Callable[[Path], int]:
    """Return an id giver: known ids first, else distinct ids drawn from [low, high) by seed.

    Vinted's ids follow no order a walk could guess; neither do these.
    """
    rng = random.Random(seed)
    given: dict[Path, int] = dict(known or {})
    used = set(given.values())

    def give(path: Path) -> int:
        if path not in given:
            candidate = rng.randrange(low, high)
            while candidate in used:
                candidate = rng.randrange(low, high)
            given[path] = candidate
            used.add(candidate)
        return given[path]

    return give


def size_kinds(
    genders: Mapping[str, str],
    sections: Mapping[str, str],
    men_jeans: frozenset[str] = frozenset({"Jeans"}),
) -> Callable[[Path], str | None]:
    """Return the size kind of a leaf path from its root (gender) and section titles.

    genders maps a root title to "women", "men" or "kids"; sections maps a title met on the way
    down to "clothes", "shoes", "accessories" or "none" (bags, toys, beauty: no size).
    """

    def kind(path: Path) -> str | None:
        gender = genders.get(path[0])
        section = next((sections[t] for t in path[1:] if t in sections), None)
        if gender is None or section is None or section == "none":
            return None
        if section == "accessories":
            return "accessories"
        if section == "shoes":
            return f"{gender}_shoes"
        if gender == "men" and path[-1] in men_jeans:
            return "men_jeans"
        return gender

    return kind
