"""Our category, found by meaning in a marketplace's own tree, whatever its names and depth.

Our categories (core/data/categories.json) say a gender and a kind of item ("women_tshirts").
A site's tree names them in its language and nests them its way ("Damen > Kleidung > Tops &
T-Shirts > T-Shirts", or one level more). The resolver finds the gender root, then scores each
leaf under it by how much of the leaf's title our words for that kind cover (French, English,
German and synonyms, core/data/category_words.toml), with a bonus when an ancestor names the
family (clothing, shoes, bags, accessories). A clear winner is "sure"; close calls are handed
back as candidates for the model or the seller to choose among.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from core.catalog import Category
from core.marketplace import CatalogNode, CategoryChoice

SURE_SCORE = 0.6  # a leaf whose title our words cover this much...
SURE_MARGIN = 0.2  # ...and this much better than the next one
CANDIDATE_SCORE = 0.3
MAX_CANDIDATES = 6
_FAMILY_BONUS = 0.15
_OWN_TITLE_BONUS = 0.25  # the leaf is named exactly as our own category is
_GENERIC_PENALTY = 0.25  # "Autres ..." only wins when nothing names the kind itself
_BRANCH_SCORE = 0.4  # a leaf under a branch our words name (never sure: the leaf is a guess)
_STOP = frozenset(
    {"et", "de", "des", "du", "la", "le", "les", "a", "l", "d", "en", "pour", "avec"}
    | {"and", "the", "of", "for", "with", "und", "mit", "fur"}
)
_GENERIC = frozenset(
    {"autres", "autre", "other", "others", "andere", "sonstige", "divers", "weitere"}
)


@dataclass(frozen=True)
class Resolution:
    """Where our category sits in a site's tree, and how sure that is."""

    choice: CategoryChoice | None
    sure: bool
    candidates: list[CategoryChoice] = field(default_factory=list)
    score: float = 0.0


@dataclass(frozen=True)
class _Words:
    roots: dict[str, frozenset[str]]
    families: dict[str, frozenset[str]]
    kinds: dict[str, tuple[str, list[frozenset[str]]]]  # kind -> (family, phrases)


def resolve(tree: list[CatalogNode], category: Category) -> Resolution:
    """Return our category's leaf in the tree: sure, among candidates, or not found."""
    gender, _, kind = category.id.partition("_")
    words = _words()
    family, phrases = words.kinds.get(category.id) or words.kinds.get(kind, ("", []))
    own = [_phrase(category.path_fr[-1]), _phrase(category.path_en[-1])]
    if kind == "trousers":  # our own leaf is the generic one under its parent
        own += [_phrase(category.path_fr[-2]), _phrase(category.path_en[-2])]
    family_words = words.families.get(family, frozenset())
    names = _Names([*phrases, *own], [p for p in own if p], family_words)
    roots = [n for n in tree if _words_of(n.title) & words.roots.get(gender, frozenset())]
    scored: list[tuple[float, list[CatalogNode]]] = []
    for root in roots or tree:
        for path in _leaves(root):
            score = _score(path, names)
            if not roots:
                score -= _FAMILY_BONUS  # no gender root matched: a weaker guess
            if score >= CANDIDATE_SCORE:
                scored.append((score, path))
    scored.sort(key=lambda item: (-item[0], len(item[1]), [n.id for n in item[1]]))
    if not scored:
        return Resolution(None, False)
    candidates = [_choice(path) for _, path in scored[:MAX_CANDIDATES]]
    best, second = scored[0][0], (scored[1][0] if len(scored) > 1 else 0.0)
    sure = best >= SURE_SCORE and best - second >= SURE_MARGIN - 1e-9
    return Resolution(candidates[0], sure, candidates, round(best, 3))


def choice_from_ids(tree: list[CatalogNode], ids: list[int]) -> CategoryChoice | None:
    """Return the choice of this id path, if the tree has it down to a leaf."""
    level: tuple[CatalogNode, ...] = tuple(tree)
    path: list[CatalogNode] = []
    for catalog_id in ids:
        node = next((n for n in level if n.id == catalog_id), None)
        if node is None:
            return None
        path.append(node)
        level = node.children
    return _choice(path) if path and not level else None


def find_node(tree: list[CatalogNode], catalog_id: int) -> list[CatalogNode] | None:
    """Return the path to the node with this id (any level), root first."""
    for root in tree:
        for path in _paths(root):
            if path[-1].id == catalog_id:
                return path
    return None


@dataclass(frozen=True)
class _Names:
    """What our category is called: every phrase, our own titles, and its family's words."""

    phrases: list[frozenset[str]]
    own: list[frozenset[str]]
    family: frozenset[str]


def _coverage(title: frozenset[str], phrases: list[frozenset[str]]) -> float:
    """Return the share of a title's words that phrases found whole in it cover."""
    covered: frozenset[str] = frozenset().union(*(p for p in phrases if p and p <= title))
    return len(covered) / len(title) if title else 0.0


def _score(path: list[CatalogNode], names: _Names) -> float:
    """Score a leaf: how much of its title our names cover, with a bonus or two."""
    leaf = path[-1]
    title = _words_of(leaf.title)
    generic = bool(title & _GENERIC)
    title -= _GENERIC
    if not title and len(path) > 1:  # "Autres": what it is says its parent
        title = _words_of(path[-2].title) - _GENERIC
    if not title:
        return 0.0
    ancestors: frozenset[str] = frozenset().union(*(_words_of(n.title) for n in path[:-1]))
    family = _FAMILY_BONUS if ancestors & names.family else 0.0
    coverage = _coverage(title, names.phrases)
    if coverage == 0.0:
        # "Sportbekleidung > Sport-Tops": the branch is our kind, which leaf is not said.
        branch = any(_coverage(_words_of(n.title), names.phrases) == 1.0 for n in path[1:-1])
        return _BRANCH_SCORE + family if branch else 0.0
    own = _OWN_TITLE_BONUS if title in names.own else 0.0
    return coverage + family + own - (_GENERIC_PENALTY if generic else 0.0)


def _leaves(node: CatalogNode) -> Iterator[list[CatalogNode]]:
    for path in _paths(node):
        if not path[-1].children:
            yield path


def _paths(node: CatalogNode, above: tuple[CatalogNode, ...] = ()) -> Iterator[list[CatalogNode]]:
    here = (*above, node)
    yield list(here)
    for child in node.children:
        yield from _paths(child, here)


def _choice(path: list[CatalogNode]) -> CategoryChoice:
    return CategoryChoice(ids=tuple(n.id for n in path), titles=tuple(n.title for n in path))


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _words_of(text: str) -> frozenset[str]:
    """Return a title's meaningful words: folded, hyphens joined, plurals dropped."""
    folded = _fold(text).replace("-", "")
    return frozenset(_singular(w) for w in re.findall(r"[a-z0-9]+", folded) if w not in _STOP)


def _phrase(text: str) -> frozenset[str]:
    return _words_of(text) - _GENERIC


@cache
def _words() -> _Words:
    raw = tomllib.loads(
        resources.files("core.data").joinpath("category_words.toml").read_text("utf-8")
    )
    return _Words(
        roots={k: frozenset(_singular(_fold(w)) for w in v) for k, v in raw["roots"].items()},
        families={
            k: frozenset().union(*(_words_of(w) for w in v)) for k, v in raw["families"].items()
        },
        kinds={
            kind: (values[0], [_phrase(w) for w in values[1:]])
            for kind, values in raw["kinds"].items()
        },
    )
