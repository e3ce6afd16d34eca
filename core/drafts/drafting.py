"""From stored photos to checked, priced listing drafts: the analysis service."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from core.analysis import (
    AnalysisBadAnswer,
    AnalysisUnavailable,
    Group,
    VisionAnalyser,
    VisionImage,
    to_listing,
)
from core.drafts.models import Draft, DraftStatus, Listing, StaleDraft
from core.drafts.repository import DraftRepository
from core.images import ImageLimits
from core.intake.models import Batch, BatchStatus, Photo
from core.intake.repository import BatchRepository
from core.models import GroupingMode, Progress, Usage
from core.pricing import PriceRules, suggest_price
from core.quality import MarketingPhrases, description_room, enforce, find_marketing_phrases

log = logging.getLogger(__name__)

ProgressCallback = Callable[[Progress], Awaitable[None]]


class CategoryResolver(Protocol):
    """Places a draft in the marketplace's own tree (core.catalogs.service.CatalogService)."""

    async def resolve(self, draft: Draft) -> object: ...


class Footers(Protocol):
    """The lines a seller adds to every description (core.sellers.service.SellerService)."""

    async def footer(self, user_id: int) -> list[str]: ...


@dataclass(frozen=True)
class DraftingConfig:
    concurrency: int = 4


class DraftingService:
    """Group a batch's photos into items and write one checked draft per item."""

    def __init__(
        self,
        batches: BatchRepository,
        drafts: DraftRepository,
        analyser: VisionAnalyser,
        *,
        data_dir: Path,
        limits: ImageLimits,
        price_rules: PriceRules,
        phrases: MarketingPhrases,
        config: DraftingConfig = DraftingConfig(),
        categories: CategoryResolver | None = None,
        footers: Footers | None = None,
    ) -> None:
        self.batches = batches
        self.footers = footers
        self.categories = categories
        self.drafts = drafts
        self.analyser = analyser
        self.data_dir = data_dir
        self.limits = limits
        self.price_rules = price_rules
        self.phrases = phrases
        self.config = config
        # One limit for every batch of every seller: the AI service sees at most this many calls.
        self._slots = asyncio.Semaphore(config.concurrency)

    # ---- analysing --------------------------------------------------------------------------

    async def analyse_batch(
        self, batch_id: int, progress: ProgressCallback | None = None
    ) -> list[Draft]:
        """Group the batch's photos into items and write a draft per item.

        Photos already covered by a draft (from a run interrupted by a restart) are not analysed
        again, so resuming a batch never duplicates its items.
        """
        batch = await self.batches.get(batch_id)
        if batch is None:
            raise LookupError(f"batch {batch_id} not found")
        photos = await self.batches.photos(batch_id)
        done_drafts = await self.drafts.of_batch(batch_id)
        covered = {pid for d in done_drafts for pid in d.photo_ids}
        todo = [p for p in photos if p.id not in covered]
        state = Progress(
            photos_total=len(photos),
            photos_processed=len(photos) - len(todo),
            items_found=len(done_drafts),
            drafts_written=len(done_drafts),
        )
        await self.batches.update(
            batch_id,
            status=BatchStatus.ANALYSING,
            photos_total=len(photos),
            photos_done=state.photos_processed,
        )
        await _report(progress, state)
        if not todo:
            return await self._finish(batch_id, done_drafts)

        # Only what each photo is, not its pixels: the JPEGs are read once an AI slot is free,
        # so sellers waiting for one hold no photos in memory.
        images = [self._vision_meta(p) for p in todo]
        try:
            groups, usage = await self._group(batch, todo, images)
        except (AnalysisUnavailable, AnalysisBadAnswer) as exc:
            log.warning("batch %s: grouping failed (%s), one item per album", batch_id, exc)
            groups, usage = _groups_by_album(images), Usage()
        by_index = {img.index: photo for img, photo in zip(images, todo, strict=True)}
        state.photos_processed = len(photos)
        state.items_found += len(groups)
        await self.batches.update(batch_id, photos_done=len(photos), items_found=state.items_found)
        await _report(progress, state)

        # The grouping call's tokens are shared out over the items it found.
        share = Usage(
            prompt_tokens=usage.prompt_tokens // max(len(groups), 1),
            completion_tokens=usage.completion_tokens // max(len(groups), 1),
        )
        lock = asyncio.Lock()

        async def one(group: Group) -> Draft:
            group_photos = [by_index[i] for i in group.indices if i in by_index]
            draft = Draft(
                user_id=batch.user_id,
                batch_id=batch_id,
                photo_ids=[p.id for p in group_photos if p.id is not None],
                language=batch.language,
                hint=batch.hint,
                usage=share,
            )
            draft = await self._write_draft(draft, group_photos, group.label_indices)
            async with lock:
                state.drafts_written += 1
                await self.batches.update(batch_id, drafts_done=state.drafts_written)
                await _report(progress, state)
            return draft

        new = await asyncio.gather(*(one(g) for g in groups))
        return await self._finish(batch_id, [*done_drafts, *new])

    async def _finish(self, batch_id: int, drafts: list[Draft]) -> list[Draft]:
        await self.batches.update(
            batch_id,
            status=BatchStatus.DONE,
            items_found=len(drafts),
            drafts_done=len(drafts),
        )
        return drafts

    async def _group(
        self, batch: Batch, photos: Sequence[Photo], metas: Sequence[VisionImage]
    ) -> tuple[list[Group], Usage]:
        if batch.mode is GroupingMode.ONE or len(metas) == 1:
            return [Group(indices=[i.index for i in metas], label_indices=[])], Usage()
        if batch.mode is GroupingMode.ALBUM:
            return _groups_by_album(metas), Usage()
        async with self._slots:
            images = await self._vision_images(photos)
            return await self.analyser.group(images, hint=batch.hint)

    def _vision_meta(self, photo: Photo) -> VisionImage:
        """The photo as the model will see it, without its JPEG (read when a slot is free)."""
        # Both JPEGs come from the same original and neither is upscaled, so the vision size
        # follows from the stored Vinted size.
        scale = min(1.0, self.limits.vision_long_side / max(photo.width, photo.height, 1))
        return VisionImage(
            index=photo.position,
            jpeg=b"",
            width=round(photo.width * scale),
            height=round(photo.height * scale),
            album_key=photo.album_key,
        )

    async def _vision_images(self, photos: Sequence[Photo]) -> list[VisionImage]:
        """Read the photos' vision JPEGs (inside an AI slot: memory follows the slots)."""

        def read() -> list[bytes]:
            return [(self.data_dir / p.vision_path).read_bytes() for p in photos]

        data = await asyncio.to_thread(read)
        return [
            dataclasses.replace(self._vision_meta(p), jpeg=jpeg)
            for p, jpeg in zip(photos, data, strict=True)
        ]

    async def _write_draft(
        self,
        draft: Draft,
        photos: Sequence[Photo],
        label_indices: Sequence[int],
        *,
        keep_on_failure: bool = False,
    ) -> Draft:
        """Analyse one item and store its draft; a failure is stored as a failed draft.

        With keep_on_failure the stored draft is left as it was and the error is raised. An
        existing draft is written at the version it was read: StaleDraft if it changed since.
        """
        previous_status = draft.status
        try:
            async with self._slots:
                images = await self._vision_images(photos)
                out, usage = await self.analyser.draft(
                    images, language=draft.language, hint=draft.hint, label_indices=label_indices
                )
                del images
            listing, to_confirm = to_listing(out)
            draft.usage = draft.usage + usage
            draft.confidence = out.confidence
            draft = await self._checked(draft, listing, to_confirm)
            draft.status = DraftStatus.DRAFT
            draft.error = None
        except (AnalysisUnavailable, AnalysisBadAnswer) as exc:
            if keep_on_failure:
                raise
            reason = exc.reason if isinstance(exc, AnalysisUnavailable) else "ai_bad_answer"
            draft.status, draft.error = DraftStatus.FAILED, reason
            draft.usage = draft.usage + exc.usage
        if draft.id is None:
            written = await self.drafts.add(draft)
        else:
            stored = await self.drafts.write(draft, expect=previous_status, to=draft.status)
            if stored is None:
                raise StaleDraft(draft.id)
            written = stored
        await self._place(written)
        return written

    async def _place(self, draft: Draft) -> None:
        """Find the draft's leaf in the marketplace's tree now (best effort: never fails it)."""
        if self.categories is None or draft.status is DraftStatus.FAILED:
            return
        try:
            await self.categories.resolve(draft)
        except Exception:
            log.exception("could not place draft %s in the marketplace's tree", draft.id)

    async def _checked(self, draft: Draft, listing: Listing, to_confirm: list[str]) -> Draft:
        """Price the listing, run the quality gates, and ask the model once to fix the rest."""
        listing = self._priced(listing)
        footer = await self.footer(draft.user_id)
        report = enforce(
            listing,
            language=draft.language,
            to_confirm=to_confirm,
            phrases=self.phrases,
            footer=footer,
        )
        if report.needs_model:
            try:
                async with self._slots:
                    fixed, usage = await self.analyser.correct(
                        report.listing,
                        report.needs_model,
                        language=draft.language,
                        details=self._details(report.listing, footer),
                    )
                draft.usage = draft.usage + usage
                corrected, _ = to_listing(fixed)
                # The correction may only change text; what the photos showed stays.
                kept = report.listing.model_copy(
                    update={
                        "title": corrected.title,
                        "description": corrected.description,
                        "hashtags": corrected.hashtags,
                    }
                )
                report = enforce(
                    kept,
                    language=draft.language,
                    to_confirm=report.to_confirm,
                    phrases=self.phrases,
                    footer=footer,
                )
            except (AnalysisUnavailable, AnalysisBadAnswer) as exc:
                log.info("draft correction skipped: %s", exc)
        return draft.with_listing(
            report.listing,
            publish_ready=report.publish_ready,
            missing=report.missing,
            to_confirm=report.to_confirm,
        )

    def _details(self, listing: Listing, footer: list[str]) -> dict[str, list[str]]:
        """Name the marketing phrases found and the description's room, so the model knows
        exactly what to rewrite."""
        text = "\n".join([listing.title, listing.description, *listing.hashtags])
        found = find_marketing_phrases(text, self.phrases)
        details = {"marketing_phrases": found} if found else {}
        room = description_room(footer)
        if len(listing.description) > room:
            details["description_too_long"] = [
                f"{len(listing.description)} characters: {room} at most"
            ]
        return details

    async def footer(self, user_id: int) -> list[str]:
        """Return the lines the seller adds to every description."""
        return await self.footers.footer(user_id) if self.footers is not None else []

    def _priced(self, listing: Listing) -> Listing:
        price = suggest_price(
            self.price_rules,
            category_id=listing.category,
            condition=listing.condition,
            brand=listing.brand,
            model_price=listing.price,
        )
        return listing.model_copy(update={"price": price})

    async def recheck(self, draft: Draft, footer: list[str] | None = None) -> Draft:
        """Re-run the quality gates on a draft the seller changed, keeping its price."""
        report = enforce(
            draft.listing(),
            language=draft.language,
            to_confirm=draft.to_confirm,
            phrases=self.phrases,
            footer=await self.footer(draft.user_id) if footer is None else footer,
        )
        return draft.with_listing(
            report.listing,
            publish_ready=report.publish_ready,
            missing=report.missing,
            to_confirm=report.to_confirm,
        )

    async def regenerate(self, draft: Draft, hint: str | None = None) -> Draft:
        """Analyse the draft's photos again, optionally with the seller's hint.

        A draft that had content keeps it when the AI fails (the error is raised); a failed
        draft stays failed with the new reason. StaleDraft when the draft changed meanwhile.
        """
        photos = await self.batches.get_photos(draft.photo_ids)
        fresh = Draft(
            id=draft.id,
            version=draft.version,
            status=draft.status,
            user_id=draft.user_id,
            batch_id=draft.batch_id,
            photo_ids=draft.photo_ids,
            language=draft.language,
            hint=hint or draft.hint,
            usage=draft.usage,
            card_chat_id=draft.card_chat_id,
            card_message_id=draft.card_message_id,
        )
        return await self._write_draft(
            fresh, photos, label_indices=(), keep_on_failure=bool(draft.title)
        )


async def _report(progress: ProgressCallback | None, state: Progress) -> None:
    if progress is None:
        return
    try:
        await progress(state.model_copy())
    except Exception:  # a progress display must never stop the analysis
        log.exception("progress callback failed")


def _groups_by_album(images: Sequence[VisionImage]) -> list[Group]:
    """Return the safe grouping: one item per album, loose photos together as one item."""
    groups: dict[str | None, list[int]] = {}
    for img in images:
        groups.setdefault(img.album_key, []).append(img.index)
    return [Group(indices=idx, label_indices=[]) for idx in groups.values()]
