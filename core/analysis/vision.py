"""The vision model port: group a batch of photos into items, draft, correct and edit listings."""

from __future__ import annotations

import asyncio
import base64
import logging
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence

from openai import AsyncOpenAI
from openai.types.chat import (
    ChatCompletionContentPartImageParam,
    ChatCompletionContentPartParam,
    ChatCompletionMessageParam,
)

from core.analysis import prompts
from core.analysis.calls import ModelCalls
from core.analysis.errors import AnalysisBadAnswer, AnalysisUnavailable
from core.analysis.grouping import (
    Group,
    VisionImage,
    album_letters,
    check_grouping,
    cover_first,
    groups_by_album,
    to_group,
)
from core.analysis.schemas import (
    CategoryPickOut,
    DraftOut,
    EditOut,
    GroupingContinuedOut,
    GroupingOut,
    RewriteOut,
    listing_for_prompt,
)
from core.analysis.tokens import Detail
from core.drafts.models import Listing
from core.models import Usage

log = logging.getLogger(__name__)

# Label photos are what high detail is paid for; beyond three they repeat the same tag.
MAX_HIGH_DETAIL_LABELS = 3
GROUPING_PARALLEL = 8  # grouping calls of one batch in flight at once


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
        grouping_parallel: int = GROUPING_PARALLEL,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self._calls = ModelCalls(
            client,
            model,
            max_attempts=max_attempts,
            base_delay=base_delay,
            max_delay=max_delay,
            sleep=sleep,
        )
        self._batch_size = batch_size
        self._grouping_parallel = max(1, grouping_parallel)

    # ---- grouping --------------------------------------------------------------------------

    async def group(
        self, images: Sequence[VisionImage], *, hint: str | None = None
    ) -> tuple[list[Group], Usage]:
        """Split a batch into items, in calls of at most `batch_size` low-detail photos.

        A later chunk also gets the previous chunk's last photo, and the model says whether its
        first photo continues that item. The reference is known before any answer, so every
        chunk is asked at once (GROUPING_PARALLEL at a time) and the chunks are joined after:
        a batch of any size costs about one grouping latency. An answer that breaks the rules
        twice falls back to one item per album, loose photos together.
        """
        if not images:
            return [], Usage()
        if len(images) == 1:
            return [Group(indices=[images[0].index], label_indices=[])], Usage()
        chunks = [
            images[i : i + self._batch_size] for i in range(0, len(images), self._batch_size)
        ]
        gate = asyncio.Semaphore(self._grouping_parallel)

        async def ask(n: int) -> tuple[list[Group], bool, Usage]:
            async with gate:
                reference = chunks[n - 1][-1] if n else None
                return await self._group_chunk(chunks[n], reference, hint)

        answers = await asyncio.gather(
            *(ask(n) for n in range(len(chunks))), return_exceptions=True
        )
        usage = Usage()
        for answer in answers:
            if isinstance(answer, AnalysisUnavailable | AnalysisBadAnswer):
                usage += answer.usage
            elif isinstance(answer, BaseException):
                raise answer
            else:
                usage += answer[2]
        failed = [a for a in answers if isinstance(a, BaseException)]
        groups: list[Group] = []
        tail: Group | None = None  # the item the previous chunk ended with
        try:
            if failed:
                raise failed[0]
            for chunk, answer in zip(chunks, answers, strict=True):
                assert not isinstance(answer, BaseException)
                found, continues, _ = answer
                if tail is not None and continues:
                    head = next(g for g in found if chunk[0].index in g.indices)
                    found.remove(head)
                    labels = sorted({*tail.label_indices, *head.label_indices})
                    tail.indices = cover_first(tail.indices + head.indices, labels)
                    tail.label_indices = labels
                groups.extend(found)
                last = chunk[-1].index
                tail = next(g for g in groups if last in g.indices)
        except AnalysisBadAnswer as exc:
            log.warning("grouping answer unusable twice, grouping by album: %s", exc)
            return groups_by_album(images), usage
        except AnalysisUnavailable as exc:
            exc.usage = usage
            raise
        groups.sort(key=lambda g: min(g.indices))
        return groups, usage

    async def _group_chunk(
        self,
        chunk: Sequence[VisionImage],
        reference: VisionImage | None,
        hint: str | None,
    ) -> tuple[list[Group], bool, Usage]:
        albums = album_letters([*chunk, *([reference] if reference else [])])
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
            check_grouping(out.groups, len(chunk))

        if continued:
            cont, usage = await self._calls.structured(
                messages, GroupingContinuedOut, "grouping_continued", check
            )
            groups, continues = cont.groups, cont.first_group_continues_previous
        else:
            first, usage = await self._calls.structured(messages, GroupingOut, "grouping", check)
            groups, continues = first.groups, False
        return [to_group(g, positions) for g in groups], continues, usage

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
        return await self._calls.structured(messages, DraftOut, "draft")

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
        return await self._calls.structured(messages, DraftOut, "correction")

    async def choose_category(
        self, listing: Listing, candidates: Sequence[str]
    ) -> tuple[int | None, float, Usage]:
        """Pick one of the marketplace's candidate categories for the item (text only).

        Returns the 0-based index of the candidate (None when the model says none fits),
        the model's confidence and the tokens used.
        """
        item = {
            "title": listing.title,
            "our_category": listing.category,
            "brand": listing.brand,
            "description": listing.description[:400],
        }
        messages: list[ChatCompletionMessageParam] = [
            {"role": "system", "content": prompts.CATEGORY_SYSTEM},
            {"role": "user", "content": prompts.category_user(item, candidates)},
        ]
        out, usage = await self._calls.structured(messages, CategoryPickOut, "category_choice")
        index = out.choice - 1 if 1 <= out.choice <= len(candidates) else None
        return index, min(1.0, max(0.0, out.confidence)), usage

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
        return await self._calls.structured(messages, EditOut, "edit")

    async def rewrite_lines(
        self, lines: Sequence[str], change: str, *, language: str
    ) -> tuple[list[str], Usage]:
        """Rewrite description lines so they agree with a change to the listing (text only)."""
        messages: list[ChatCompletionMessageParam] = [
            {"role": "system", "content": prompts.rewrite_system(language)},
            {"role": "user", "content": prompts.rewrite_user(lines, change)},
        ]
        out, usage = await self._calls.structured(messages, RewriteOut, "rewrite")
        return out.lines, usage


# ---- helpers -------------------------------------------------------------------------------


def _image_part(image: VisionImage, detail: Detail) -> ChatCompletionContentPartImageParam:
    url = "data:image/jpeg;base64," + base64.b64encode(image.jpeg).decode("ascii")
    return {"type": "image_url", "image_url": {"url": url, "detail": detail}}
