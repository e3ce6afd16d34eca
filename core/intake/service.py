"""Photos in: open a seller's batch, store each photo once (normalised), close the batch.

Every photo is written to disk and recorded before any analysis, so nothing the seller sent
is lost to a restart: `resumable()` hands back the batches a restart cut short.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

from core.images import ImageLimits, is_same_photo, process_image_async
from core.intake.models import Batch, BatchStatus, InboxItem, Photo
from core.intake.repository import BatchRepository
from core.models import GroupingMode
from core.private import write_private
from core.sellers.models import Seller
from core.sellers.repository import SellerRepository

log = logging.getLogger(__name__)


class DuplicatePhoto(Exception):
    """The same photo was already sent in this batch."""

    def __init__(self, filename: str, first_position: int) -> None:
        super().__init__(f"{filename}: the same photo is already in this batch")
        self.filename = filename
        self.first_position = first_position


class BatchTooLarge(Exception):
    """The batch already holds the maximum number of photos."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"a batch holds at most {limit} photos")
        self.limit = limit


@dataclass(frozen=True)
class Closed:
    """A batch closed for analysis, or found empty (then it is failed: nothing to analyse)."""

    batch: Batch
    photos: int

    @property
    def empty(self) -> bool:
        return self.photos == 0


class IntakeService:
    """Receive each seller's photos into batches."""

    def __init__(
        self,
        batches: BatchRepository,
        sellers: SellerRepository,
        *,
        data_dir: Path,
        limits: ImageLimits,
        max_batch_photos: int = 500,
    ) -> None:
        self.batches = batches
        self.sellers = sellers
        self.data_dir = data_dir
        self.limits = limits
        self.max_batch_photos = max_batch_photos
        self._locks: dict[int, asyncio.Lock] = {}

    async def start_batch(
        self,
        user_id: int,
        *,
        mode: GroupingMode = GroupingMode.AUTO,
        hint: str | None = None,
        language: str = "fr",
        chat_id: int | None = None,
    ) -> Batch:
        """Open a new batch that photos are added to."""
        return await self.batches.create(
            Batch(user_id=user_id, mode=mode, hint=hint, language=language, chat_id=chat_id)
        )

    async def open_for(self, seller: Seller, chat_id: int) -> Batch:
        """Open the seller's next batch in their grouping mode (one item after /one)."""
        mode = GroupingMode(seller.settings.grouping or GroupingMode.AUTO.value)
        if await self.sellers.take_flag(seller.user_id, "one_next"):
            mode = GroupingMode.ONE
        return await self.start_batch(
            seller.user_id, mode=mode, language=seller.language, chat_id=chat_id
        )

    async def show_progress_in(self, batch_id: int, message_id: int) -> Batch:
        """Remember the message that shows the batch's progress."""
        return await self.batches.update(batch_id, progress_message_id=message_id)

    async def add_photo(
        self,
        batch: Batch,
        data: bytes,
        filename: str,
        *,
        album_key: str | None = None,
        telegram_file_id: str | None = None,
        position: int | None = None,
    ) -> Photo:
        """Normalise one photo, write its files and store it in the batch."""
        assert batch.id is not None
        processed = await process_image_async(data, filename, self.limits)
        async with self._lock(batch.id):
            existing = await self.batches.photos(batch.id)
            if len(existing) >= self.max_batch_photos:
                raise BatchTooLarge(self.max_batch_photos)
            for other in existing:
                if is_same_photo(other.phash, processed.phash):
                    raise DuplicatePhoto(filename, other.position)
            if position is None:
                position = max((p.position for p in existing), default=-1) + 1
            rel_dir = Path("photos") / str(batch.user_id) / str(batch.id)
            stem = f"{position:04d}"
            path = rel_dir / f"{stem}.jpg"
            vision_path = rel_dir / f"{stem}.vision.jpg"
            try:
                await asyncio.to_thread(self._write, path, processed.vinted_jpeg)
                await asyncio.to_thread(self._write, vision_path, processed.vision_jpeg)
            except OSError:
                # A full disk: leave no half-stored photo behind; what was stored stays.
                await asyncio.to_thread(self._unlink, path, vision_path)
                raise
            photo = await self.batches.add_photo(
                Photo(
                    user_id=batch.user_id,
                    batch_id=batch.id,
                    position=position,
                    album_key=album_key,
                    source_name=filename,
                    path=str(path),
                    vision_path=str(vision_path),
                    phash=processed.phash,
                    width=processed.width,
                    height=processed.height,
                    telegram_file_id=telegram_file_id,
                )
            )
            await self.batches.update(batch.id, photos_total=len(existing) + 1)
        return photo

    def _write(self, rel: Path, data: bytes) -> None:
        """Write a file atomically so a crash never leaves half a photo."""
        write_private(self.data_dir / rel, data)

    def _unlink(self, *relative: Path) -> None:
        for rel in relative:
            for leftover in (
                self.data_dir / rel,
                self.data_dir / rel.with_name(rel.name + ".tmp"),
            ):
                leftover.unlink(missing_ok=True)

    def _lock(self, batch_id: int) -> asyncio.Lock:
        return self._locks.setdefault(batch_id, asyncio.Lock())

    async def close_batch(self, batch_id: int, hints: list[str] | None = None) -> Closed:
        """Mark a batch fully received (its captions become its hint), or failed when empty."""
        self._locks.pop(batch_id, None)
        if hints:
            await self.batches.update(batch_id, hint="\n".join(hints))
        photos = await self.batches.photos(batch_id)
        if not photos:
            batch = await self.batches.update(
                batch_id, status=BatchStatus.FAILED, error="no_photos"
            )
            return Closed(batch, 0)
        batch = await self.batches.update(batch_id, status=BatchStatus.PENDING)
        return Closed(batch, len(photos))

    async def resumable(self) -> list[Batch]:
        """Return the batches a restart cut short: receiving ones first (their inbox says what
        is still to fetch), then those stored and waiting for, or in, their analysis."""
        return await self.batches.unfinished()

    async def receive(self, item: InboxItem) -> None:
        """Record a file as it arrives, before any download: a restart fetches it again."""
        await self.batches.receive(item)

    async def received(self, batch_id: int, position: int, reason: str | None = None) -> None:
        """Mark a received file stored (no reason) or refused (the reason's text key)."""
        status = "stored" if reason is None else "refused"
        await self.batches.settle_received(batch_id, position, status, reason)

    async def inbox(self, batch_id: int) -> list[InboxItem]:
        return await self.batches.inbox(batch_id)

    async def stored_file_ids(self, batch_id: int) -> set[str]:
        """The Telegram file ids of the photos the batch already stored."""
        return {
            p.telegram_file_id for p in await self.batches.photos(batch_id) if p.telegram_file_id
        }

    async def retry(self, batch_id: int, user_id: int) -> Batch | None:
        """Make a failed batch of this seller pending again; None if there is no such batch."""
        batch = await self.batches.get(batch_id, user_id=user_id)
        if batch is None:
            return None
        return await self.batches.update(batch_id, status=BatchStatus.PENDING, error=None)

    async def fail(self, batch_id: int, reason: str) -> Batch:
        """Record that the batch's analysis failed, and why."""
        return await self.batches.update(batch_id, status=BatchStatus.FAILED, error=reason)
