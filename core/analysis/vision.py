"""The vision model port: group a batch of photos into items, draft, correct and edit listings."""

from __future__ import annotations

import asyncio
import base64
import email.utils
import logging
import math
import random
import time
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

from openai import (
    APIConnectionError,
    APIStatusError,
    AsyncOpenAI,
    RateLimitError,
)
from openai.types.chat import (
    ChatCompletion,
    ChatCompletionContentPartImageParam,
    ChatCompletionContentPartParam,
    ChatCompletionMessageParam,
)
from openai.types.shared_params import ResponseFormatJSONSchema
from pydantic import BaseModel, ValidationError

from core.analysis import prompts
from core.analysis.errors import AnalysisBadAnswer, AnalysisUnavailable, UnavailableReason
from core.analysis.schemas import (
    DraftOut,
    EditOut,
    GroupingContinuedOut,
    GroupingOut,
    GroupOut,
    listing_for_prompt,
    strict_schema,
)
from core.analysis.tokens import Detail
from core.drafts.models import Listing
from core.models import Usage

log = logging.getLogger(__name__)

OutT = TypeVar("OutT", bound=BaseModel)

# Label photos are what high detail is paid for; beyond three they repeat the same tag.
MAX_HIGH_DETAIL_LABELS = 3
# Status codes worth another try besides 429 and 5xx: request timeout and lock conflict.
_RETRYABLE_4XX = frozenset({408, 409})


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


class _InvalidAnswer(ValueError):
    """A well-formed answer whose content breaks the request's rules."""


class VisionAnalyser:
    """Ask an OpenAI-compatible vision model for groupings, drafts, corrections and edits.

    The caller builds the client with `max_retries=0` and its timeout; this class owns retries:
    429s (honouring retry-after, capped), 5xx, timeouts and connection errors are retried with
    exponential backoff and jitter up to `max_attempts` calls, then AnalysisUnavailable; an
    answer that does not validate is asked again once, then AnalysisBadAnswer. It keeps no
    per-call state, so its methods may run concurrently.
    """

    def __init__(
        self,
        client: AsyncOpenAI,
        model: str,
        *,
        max_attempts: int = 4,
        base_delay: float = 1.0,
        max_delay: float = 30.0,
        batch_size: int = 25,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self._client = client
        self._model = model
        self._max_attempts = max_attempts
        self._base_delay = base_delay
        self._max_delay = max_delay
        self._batch_size = batch_size
        self._sleep = sleep

    # ---- grouping --------------------------------------------------------------------------

    async def group(
        self, images: Sequence[VisionImage], *, hint: str | None = None
    ) -> tuple[list[Group], Usage]:
        """Split a batch into items, in calls of at most `batch_size` low-detail photos.

        A later chunk also gets the cover of the item the previous chunk ended with, and the
        model says whether its first photo continues that item. An answer that breaks the rules
        twice falls back to one item per album, loose photos together.
        """
        if not images:
            return [], Usage()
        if len(images) == 1:
            return [Group(indices=[images[0].index], label_indices=[])], Usage()
        by_index = {image.index: image for image in images}
        usage = Usage()
        groups: list[Group] = []
        tail: Group | None = None  # the item the previous chunk ended with
        try:
            for start in range(0, len(images), self._batch_size):
                chunk = images[start : start + self._batch_size]
                reference = by_index[tail.cover] if tail is not None else None
                found, continues, used = await self._group_chunk(chunk, reference, hint)
                usage += used
                if tail is not None and continues:
                    head = next(g for g in found if chunk[0].index in g.indices)
                    found.remove(head)
                    labels = sorted({*tail.label_indices, *head.label_indices})
                    tail.indices = _cover_first(tail.indices + head.indices, labels)
                    tail.label_indices = labels
                groups.extend(found)
                last = chunk[-1].index
                tail = next(g for g in groups if last in g.indices)
        except AnalysisBadAnswer as exc:
            log.warning("grouping answer unusable twice, grouping by album: %s", exc)
            return _groups_by_album(images), usage + exc.usage
        except AnalysisUnavailable as exc:
            exc.usage = usage + exc.usage
            raise
        groups.sort(key=lambda g: min(g.indices))
        return groups, usage

    async def _group_chunk(
        self,
        chunk: Sequence[VisionImage],
        reference: VisionImage | None,
        hint: str | None,
    ) -> tuple[list[Group], bool, Usage]:
        albums = _album_letters([*chunk, *([reference] if reference else [])])
        continued = reference is not None
        content: list[ChatCompletionContentPartParam] = [
            {"type": "text", "text": prompts.grouping_intro(len(chunk), continued=continued)}
        ]
        if reference is not None:
            caption = prompts.grouping_reference_caption(albums.get(reference.album_key))
            content += [{"type": "text", "text": caption}, _image_part(reference, "low")]
        for number, image in enumerate(chunk, start=1):
            caption = prompts.grouping_photo_caption(number, albums.get(image.album_key))
            content += [{"type": "text", "text": caption}, _image_part(image, "low")]
        content.append(
            {"type": "text", "text": prompts.grouping_instruction(continued=continued, hint=hint)}
        )
        messages: list[ChatCompletionMessageParam] = [
            {"role": "system", "content": prompts.GROUPING_SYSTEM},
            {"role": "user", "content": content},
        ]
        positions = [image.index for image in chunk]

        def check(out: GroupingOut | GroupingContinuedOut) -> None:
            _check_grouping(out.groups, len(chunk))

        if continued:
            cont, usage = await self._structured(
                messages, GroupingContinuedOut, "grouping_continued", check
            )
            groups, continues = cont.groups, cont.first_group_continues_previous
        else:
            first, usage = await self._structured(messages, GroupingOut, "grouping", check)
            groups, continues = first.groups, False
        return [_to_group(g, positions) for g in groups], continues, usage

    # ---- drafting --------------------------------------------------------------------------

    async def draft(
        self,
        images: Sequence[VisionImage],
        *,
        language: str,
        hint: str | None = None,
        label_indices: Collection[int] = (),
    ) -> tuple[DraftOut, Usage]:
        """Write the listing of one item from its photos (cover first) in `language`.

        Only label photos are sent in high detail (at most three), since reading brand, size
        and composition is what needs the pixels; when no label is known the cover goes in high
        detail instead, so the model still gets one sharp view. Everything else is low detail.
        """
        if not images:
            raise ValueError("draft needs at least one photo")
        high = [image.index for image in images if image.index in label_indices]
        high = high[:MAX_HIGH_DETAIL_LABELS] or [images[0].index]
        content: list[ChatCompletionContentPartParam] = [
            {"type": "text", "text": prompts.draft_intro(len(images), hint)}
        ]
        for number, image in enumerate(images, start=1):
            caption = prompts.draft_photo_caption(
                number, cover=number == 1, label=image.index in label_indices
            )
            detail: Detail = "high" if image.index in high else "low"
            content += [{"type": "text", "text": caption}, _image_part(image, detail)]
        messages: list[ChatCompletionMessageParam] = [
            {"role": "system", "content": prompts.draft_system(language)},
            {"role": "user", "content": content},
        ]
        return await self._structured(messages, DraftOut, "draft")

    async def correct(
        self,
        listing: Listing,
        violations: list[str],
        *,
        language: str,
        details: Mapping[str, Sequence[str]] | None = None,
    ) -> tuple[DraftOut, Usage]:
        """Ask for the listing with the quality gates' violations fixed (text only, no photos)."""
        messages: list[ChatCompletionMessageParam] = [
            {"role": "system", "content": prompts.correct_system(language)},
            {
                "role": "user",
                "content": prompts.correct_user(listing_for_prompt(listing), violations, details),
            },
        ]
        return await self._structured(messages, DraftOut, "correction")

    async def edit(
        self, listing: Listing, instruction: str, *, language: str
    ) -> tuple[EditOut, Usage]:
        """Turn the seller's free-text change request into a structured edit (text only)."""
        messages: list[ChatCompletionMessageParam] = [
            {"role": "system", "content": prompts.edit_system(language)},
            {
                "role": "user",
                "content": prompts.edit_user(listing_for_prompt(listing), instruction),
            },
        ]
        return await self._structured(messages, EditOut, "edit")

    # ---- calls -----------------------------------------------------------------------------

    async def _structured(
        self,
        messages: list[ChatCompletionMessageParam],
        model: type[OutT],
        name: str,
        check: Callable[[OutT], None] | None = None,
    ) -> tuple[OutT, Usage]:
        """Call the model with a strict schema and parse the answer; ask once more if invalid."""
        response_format: ResponseFormatJSONSchema = {
            "type": "json_schema",
            "json_schema": {"name": name, "strict": True, "schema": _schema_of(model)},
        }
        usage = Usage()
        problem = ""
        for _ in range(2):
            try:
                completion = await self._create(messages, response_format)
            except AnalysisUnavailable as exc:
                exc.usage = usage + exc.usage
                raise
            usage += _usage_of(completion)
            try:
                out = _parse(completion, model)
                if check is not None:
                    check(out)
                return out, usage
            except (ValidationError, _InvalidAnswer) as exc:
                problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                log.warning("%s answer rejected: %s", name, problem)
        raise AnalysisBadAnswer(f"{name}: {problem}", usage=usage)

    async def _create(
        self, messages: list[ChatCompletionMessageParam], response_format: ResponseFormatJSONSchema
    ) -> ChatCompletion:
        """Send one request, retrying transient failures with backoff."""
        reason: UnavailableReason = "ai_unavailable"
        detail = ""
        for attempt in range(1, self._max_attempts + 1):
            try:
                return await self._client.chat.completions.create(
                    model=self._model, messages=messages, response_format=response_format
                )
            except RateLimitError as exc:
                if exc.code == "insufficient_quota":
                    # Waiting does not refill a quota: give up now.
                    raise AnalysisUnavailable("ai_unavailable", "insufficient quota") from exc
                reason, detail = "ai_rate_limited", f"HTTP 429: {exc.message}"
                delay = _retry_after(exc)
                delay = self._backoff(attempt) if delay is None else min(delay, self._max_delay)
            except APIStatusError as exc:
                if exc.status_code < 500 and exc.status_code not in _RETRYABLE_4XX:
                    raise AnalysisUnavailable(
                        "ai_unavailable", f"HTTP {exc.status_code}: {exc.message}"
                    ) from exc
                reason, detail = "ai_unavailable", f"HTTP {exc.status_code}: {exc.message}"
                delay = self._backoff(attempt)
            except APIConnectionError as exc:  # timeouts included
                reason, detail = "ai_unavailable", exc.message
                delay = self._backoff(attempt)
            if attempt < self._max_attempts:
                log.info("model call failed (%s), retry %d in %.2fs", detail, attempt, delay)
                await self._sleep(delay)
        raise AnalysisUnavailable(reason, detail)

    def _backoff(self, attempt: int) -> float:
        """Return the delay before retry `attempt`: exponential, capped, with jitter."""
        ceiling = min(self._max_delay, self._base_delay * 2 ** (attempt - 1))
        # Equal jitter: spread concurrent retries without ever retrying immediately.
        return ceiling / 2 + random.uniform(0, ceiling / 2)


# ---- helpers -------------------------------------------------------------------------------


# Schemas never change at run time; building one walks the whole model.
_schema_of = cache(strict_schema)


def _image_part(image: VisionImage, detail: Detail) -> ChatCompletionContentPartImageParam:
    url = "data:image/jpeg;base64," + base64.b64encode(image.jpeg).decode("ascii")
    return {"type": "image_url", "image_url": {"url": url, "detail": detail}}


def _parse(completion: ChatCompletion, model: type[OutT]) -> OutT:
    if not completion.choices:
        raise _InvalidAnswer("no choices in the answer")
    message = completion.choices[0].message
    if message.refusal:
        raise _InvalidAnswer(f"refused: {message.refusal}")
    if not message.content:
        raise _InvalidAnswer("empty answer")
    return model.model_validate_json(message.content)


def _usage_of(completion: ChatCompletion) -> Usage:
    if completion.usage is None:  # some local servers leave it out
        return Usage()
    return Usage(
        prompt_tokens=completion.usage.prompt_tokens,
        completion_tokens=completion.usage.completion_tokens,
    )


def _retry_after(exc: APIStatusError) -> float | None:
    """Return the wait the server asked for, from retry-after-ms or retry-after, if any."""
    headers = exc.response.headers
    raw_ms = headers.get("retry-after-ms")
    if raw_ms:
        try:
            return max(0.0, float(raw_ms) / 1000)
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if not raw:
        return None
    try:
        seconds = float(raw)
    except ValueError:
        parsed = email.utils.parsedate_tz(raw)
        if parsed is None:
            return None
        seconds = email.utils.mktime_tz(parsed) - time.time()
    return max(0.0, seconds) if math.isfinite(seconds) else None


def _album_letters(images: Sequence[VisionImage]) -> dict[str | None, str]:
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


def _check_grouping(groups: Sequence[GroupOut], count: int) -> None:
    """Raise _InvalidAnswer unless every photo 1..count is in exactly one non-empty group."""
    seen: set[int] = set()
    for group in groups:
        if not group.photo_indices:
            raise _InvalidAnswer("an empty group")
        for number in group.photo_indices:
            if not 1 <= number <= count:
                raise _InvalidAnswer(f"photo {number} out of range 1..{count}")
            if number in seen:
                raise _InvalidAnswer(f"photo {number} in two groups")
            seen.add(number)
    missing = sorted(set(range(1, count + 1)) - seen)
    if missing:
        raise _InvalidAnswer(f"photos {missing} in no group")


def _to_group(out: GroupOut, positions: Sequence[int]) -> Group:
    indices = sorted(positions[n - 1] for n in out.photo_indices)
    # A label number outside its own group is a slip of the model: ignore it, keep the group.
    labels = sorted(
        positions[n - 1] for n in set(out.label_photo_indices) & set(out.photo_indices)
    )
    return Group(indices=_cover_first(indices, labels), label_indices=labels)


def _cover_first(indices: Sequence[int], labels: Collection[int]) -> list[int]:
    """Order photos by arrival, but never open with a label close-up when a view exists."""
    ordered = sorted(set(indices))
    cover = next((i for i in ordered if i not in labels), ordered[0])
    return [cover, *(i for i in ordered if i != cover)]


def _groups_by_album(images: Sequence[VisionImage]) -> list[Group]:
    """Return one group per album key, the loose photos together as one more group."""
    by_album: dict[str | None, list[int]] = {}
    for image in images:
        by_album.setdefault(image.album_key, []).append(image.index)
    groups = [Group(indices=sorted(ix), label_indices=[]) for ix in by_album.values()]
    return sorted(groups, key=lambda g: g.indices[0])
