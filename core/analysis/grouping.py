"""Photos as the model sees them, the items found among them, and the rules a grouping keeps."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from core.analysis.calls import InvalidAnswer
from core.analysis.schemas import GroupOut


@dataclass(frozen=True)
class VisionImage:
    """One photo as the model sees it: its vision-sized JPEG and where it sits in the batch."""

    index: int  # position in the batch
    jpeg: bytes  # the vision-sized JPEG
    width: int
    height: int
    album_key: str | None = None


@dataclass
class Group:
    """One item found in a batch: its photos (cover first) and which of them show a label."""

    indices: list[int]  # batch positions (VisionImage.index)
    label_indices: list[int]

    @property
    def cover(self) -> int:
        return self.indices[0]


def album_letters(images: Sequence[VisionImage]) -> dict[str | None, str]:
    """Name each album of a request A, B, C... in order of first appearance."""
    letters: dict[str | None, str] = {}
    for image in images:
        key = image.album_key
        if key is not None and key not in letters:
            letters[key] = _letter(len(letters))
    return letters


def _letter(n: int) -> str:
    name = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def check_grouping(groups: Sequence[GroupOut], count: int) -> None:
    """Raise InvalidAnswer unless every photo 1..count is in exactly one non-empty group."""
    seen: set[int] = set()
    for group in groups:
        if not group.photo_indices:
            raise InvalidAnswer("an empty group")
        for number in group.photo_indices:
            if not 1 <= number <= count:
                raise InvalidAnswer(f"photo {number} out of range 1..{count}")
            if number in seen:
                raise InvalidAnswer(f"photo {number} in two groups")
            seen.add(number)
    missing = sorted(set(range(1, count + 1)) - seen)
    if missing:
        raise InvalidAnswer(f"photos {missing} in no group")


def to_group(out: GroupOut, positions: Sequence[int]) -> Group:
    """Turn the model's group of photo numbers into batch positions, cover first."""
    indices = sorted(positions[n - 1] for n in out.photo_indices)
    # A label number outside its own group is a slip of the model: ignore it, keep the group.
    labels = sorted(
        positions[n - 1] for n in set(out.label_photo_indices) & set(out.photo_indices)
    )
    return Group(indices=cover_first(indices, labels), label_indices=labels)


def cover_first(indices: Sequence[int], labels: Collection[int]) -> list[int]:
    """Order photos by arrival, but never open with a label close-up when a view exists."""
    ordered = sorted(set(indices))
    cover = next((i for i in ordered if i not in labels), ordered[0])
    return [cover, *(i for i in ordered if i != cover)]


def groups_by_album(images: Sequence[VisionImage]) -> list[Group]:
    """Return one group per album key, the loose photos together as one more group."""
    by_album: dict[str | None, list[int]] = {}
    for image in images:
        by_album.setdefault(image.album_key, []).append(image.index)
    groups = [Group(indices=sorted(ix), label_indices=[]) for ix in by_album.values()]
    return sorted(groups, key=lambda g: g.indices[0])
