"""The fake model's default answer to a grouping request ("grouping", "grouping_continued")."""

from __future__ import annotations

import re
from typing import Any

from tests.fakes.openai.recording import ReceivedRequest

_PHOTO = re.compile(r"^photo (\d+) \((?:album (\w+)|sent alone)\)$")
_REFERENCE = re.compile(r"^reference: .*\((?:album (\w+)|sent alone)\)$")


def grouping_answer(received: ReceivedRequest) -> dict[str, Any]:
    """Group photos by the album letter of their caption; loose photos form one group.

    Photos that all carry an item mark (recording.item_mark) are grouped by it instead, as a
    model tells garments apart: an item may then span albums and chunks.
    """
    marked = _by_mark(received)
    if marked is not None:
        return marked
    albums: dict[str | None, list[int]] = {}
    has_reference = False
    reference_album: str | None = None
    first_album: str | None = None
    for text in received.user_texts:
        if match := _REFERENCE.match(text):
            has_reference, reference_album = True, match.group(1)
        elif match := _PHOTO.match(text):
            number, album = int(match.group(1)), match.group(2)
            if number == 1:
                first_album = album
            albums.setdefault(album, []).append(number)
    groups = [{"photo_indices": ns, "label_photo_indices": []} for ns in albums.values()]
    groups.sort(key=lambda g: g["photo_indices"][0])
    answer: dict[str, Any] = {"groups": groups}
    if received.schema_name == "grouping_continued":
        answer = {
            "first_group_continues_previous": has_reference and reference_album == first_album,
            **answer,
        }
    return answer


def _by_mark(received: ReceivedRequest) -> dict[str, Any] | None:
    marks = [image.mark for image in received.images]
    continued = received.schema_name == "grouping_continued"
    reference = marks[0] if continued and marks else None
    numbered = marks[1:] if continued else marks
    if not numbered or any(m is None for m in numbered):
        return None
    items: dict[int | None, list[int]] = {}
    for number, mark in enumerate(numbered, start=1):
        items.setdefault(mark, []).append(number)
    groups = [{"photo_indices": ns, "label_photo_indices": []} for ns in items.values()]
    answer: dict[str, Any] = {"groups": groups}
    if continued:
        answer = {"first_group_continues_previous": reference == numbered[0], **answer}
    return answer
