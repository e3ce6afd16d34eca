"""What a site's pages say: condition, colour, material and size labels, and the page texts.

One Words per language (french.py, german.py, english.py). Ids that UPLOAD-FORM.md fixes
(conditions, colours) are the same everywhere; size group and size ids are not fixed, so each
language numbers its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class SizeGroup:
    id: int
    caption: str
    sizes: tuple[tuple[int, str], ...]


def sizes(group_id: int, caption: str, first_id: int, labels: Sequence[str]) -> SizeGroup:
    """Return a size group whose sizes are numbered from first_id in the labels' order."""
    return SizeGroup(group_id, caption, tuple((first_id + n, t) for n, t in enumerate(labels)))


@dataclass(frozen=True)
class Words:
    conditions: tuple[tuple[int, str, str], ...]  # id, title, explanation
    colors: Mapping[int, str]
    materials: Mapping[int, str]
    size_groups: Mapping[str, SizeGroup]  # by the size kind of a leaf (catalog.py)
    package_sizes: tuple[tuple[int, str, str], ...]  # id, title, hint
    texts: Mapping[str, str]  # the pages' strings, by key (see french.py for every key)

    def text(self, key: str, **values: object) -> str:
        return self.texts[key].format(**values)

    def size_group(self, group_id: int) -> SizeGroup | None:
        return next((g for g in self.size_groups.values() if g.id == group_id), None)
