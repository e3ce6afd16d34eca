"""A draft's photos, from its card: reorder them, remove one (and put it back), add more.

Photos are named by their id, never by a position a button once showed: a press that arrives
after another change still acts on the photo the seller saw. A listing keeps at least one
photo and at most MAX_PHOTOS. The edit rules are the editor's: a draft being published or
published keeps its photos ("not_editable"); a change takes an approved draft back to draft.

Every write is made at the version read (compare-and-set) and tried again on the fresh draft
when something else wrote meanwhile, so two quick presses, or a press racing an edit, never
lose or duplicate a photo. Removing a photo leaves it stored (no draft holds it), so it can be
put back while nothing else changed the draft.
"""

from __future__ import annotations

import asyncio
import secrets
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.drafts.lifecycle import EDITABLE
from core.drafts.models import Draft, DraftStatus
from core.drafts.parsing import EditRejected
from core.drafts.repository import DraftRepository
from core.images import ImageLimits, ProcessedImage, is_same_photo, process_image_async
from core.intake.models import Batch, BatchStatus, Photo
from core.intake.repository import BatchRepository
from core.private import write_private
from core.vinted.listing import MAX_PHOTOS  # what the upload form takes (the publisher checks)

ATTEMPTS = 3  # a change is made again on a draft another writer changed meanwhile, this often
_Where = Callable[[int, int], int]  # (index now, photo count) -> index wanted


@dataclass(frozen=True)
class PhotoChange:
    """A draft after a photo change: which photo, where it was and is (0-based, cover 0)."""

    draft: Draft
    photo_id: int
    before: int | None  # None: the photo was added
    after: int | None  # None: the photo was removed
    unapproved: bool = False  # the draft was approved: it must be approved again

    @property
    def cover_changed(self) -> bool:
        return 0 in (self.before, self.after)


class DraftPhotos:
    """Reorder, remove, put back and add the photos of a seller's draft."""

    def __init__(
        self,
        drafts: DraftRepository,
        batches: BatchRepository,
        *,
        data_dir: Path,
        limits: ImageLimits,
        max_photos: int = MAX_PHOTOS,
    ) -> None:
        self.drafts = drafts
        self.batches = batches
        self.data_dir = data_dir
        self.limits = limits
        self.max_photos = max_photos
        # Changes of one draft in this process wait for each other (fewer stale writes); the
        # version check is what keeps the editor, the queue and other processes out.
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    # ---- reorder --------------------------------------------------------------------------

    async def move(self, user_id: int, draft_id: int, photo_id: int, to: int) -> PhotoChange:
        """Put the photo at this position (0-based: 0 makes it the cover); the rest keep order."""
        return await self._reorder(user_id, draft_id, photo_id, lambda _, count: _at(to, count))

    async def shift(self, user_id: int, draft_id: int, photo_id: int, by: int) -> PhotoChange:
        """Move the photo `by` places later (negative: earlier) from where it is now, stopping
        at either end; two quick presses move it two places."""
        if by not in (-1, 1):
            raise ValueError(f"a photo moves one place at a time, not {by}")
        return await self._reorder(
            user_id, draft_id, photo_id, lambda index, count: min(max(index + by, 0), count - 1)
        )

    async def _reorder(
        self, user_id: int, draft_id: int, photo_id: int, where: _Where
    ) -> PhotoChange:
        async with self._lock(draft_id):
            for _ in range(ATTEMPTS):
                draft = await self._editable(user_id, draft_id)
                index = _index_of(draft, photo_id)
                to = where(index, len(draft.photo_ids))
                if to == index:
                    return PhotoChange(draft, photo_id, index, index)
                order = [p for p in draft.photo_ids if p != photo_id]
                order.insert(to, photo_id)
                saved = await self._write(draft, order)
                if saved is not None:
                    return PhotoChange(saved, photo_id, index, to, _unapproved(draft))
            raise await self._stale(user_id, draft_id)

    # ---- remove, put back -----------------------------------------------------------------

    async def remove(self, user_id: int, draft_id: int, photo_id: int) -> PhotoChange:
        """Take the photo off the draft (never its last one); the file stays for Undo."""
        async with self._lock(draft_id):
            for _ in range(ATTEMPTS):
                draft = await self._editable(user_id, draft_id)
                index = _index_of(draft, photo_id)
                if len(draft.photo_ids) <= 1:
                    raise EditRejected("photo_last", f"draft {draft_id} keeps its last photo")
                order = [p for p in draft.photo_ids if p != photo_id]
                saved = await self._write(draft, order)
                if saved is not None:
                    return PhotoChange(saved, photo_id, index, None, _unapproved(draft))
            raise await self._stale(user_id, draft_id)

    async def put_back(
        self, user_id: int, draft_id: int, photo_id: int, position: int, version: int
    ) -> PhotoChange:
        """Undo a removal: the photo returns where it was, if the draft has not changed since
        the removal wrote `version` and no draft holds the photo meanwhile."""
        async with self._lock(draft_id):
            draft = await self._editable(user_id, draft_id)
            if draft.version != version:
                raise EditRejected("undo_stale", f"draft {draft_id} changed since the removal")
            owned = await self.batches.get_photos([photo_id], user_id)
            if not owned or photo_id in draft.photo_ids or await self.drafts.holds(photo_id):
                raise EditRejected("undo_unavailable", f"photo {photo_id} cannot come back")
            if len(draft.photo_ids) >= self.max_photos:
                raise _full(draft, self.max_photos)
            to = _at(position, len(draft.photo_ids) + 1)
            order = list(draft.photo_ids)
            order.insert(to, photo_id)
            saved = await self._write(draft, order)
            if saved is None:  # the version moved under us: the removal is no longer the last
                raise EditRejected("undo_stale", f"draft {draft_id} changed since the removal")
            return PhotoChange(saved, photo_id, None, to, _unapproved(draft))

    # ---- add ------------------------------------------------------------------------------

    async def editable(self, user_id: int, draft_id: int) -> Draft:
        """Return the seller's draft if its photos may change now; else say why not."""
        return await self._editable(user_id, draft_id)

    async def add(
        self,
        user_id: int,
        draft_id: int,
        data: bytes,
        filename: str,
        *,
        telegram_file_id: str | None = None,
    ) -> PhotoChange:
        """Normalise a photo like any photo sent in, and add it after the draft's photos.

        Refused: the same photo already on the draft ("photo_duplicate"), a draft holding
        MAX_PHOTOS already ("photos_full"), a file that is not a usable image (ImageRejected).
        """
        await self._editable(user_id, draft_id)  # say so before the work of decoding
        processed = await process_image_async(data, filename, self.limits)
        async with self._lock(draft_id):
            stored: Photo | None = None
            for _ in range(ATTEMPTS):
                draft = await self._editable(user_id, draft_id)
                if len(draft.photo_ids) >= self.max_photos:
                    raise _full(draft, self.max_photos)
                photos = await self.batches.get_photos(draft.photo_ids, user_id)
                for number, other in enumerate(photos, start=1):
                    if other.id != getattr(stored, "id", None) and is_same_photo(
                        other.phash, processed.phash
                    ):
                        raise EditRejected(
                            "photo_duplicate", f"{filename} is on the draft", number=number
                        )
                if stored is None:
                    album = photos[0].album_key if photos else None
                    stored = await self._store(draft, processed, filename, album, telegram_file_id)
                assert stored.id is not None
                saved = await self._write(draft, [*draft.photo_ids, stored.id])
                if saved is not None:
                    index = len(saved.photo_ids) - 1
                    return PhotoChange(saved, stored.id, None, index, _unapproved(draft))
            raise await self._stale(user_id, draft_id)

    async def _store(
        self,
        draft: Draft,
        processed: ProcessedImage,
        filename: str,
        album_key: str | None,
        telegram_file_id: str | None,
    ) -> Photo:
        """Write the photo's files next to the draft's batch and record it there.

        It joins the album of the draft's cover, so the card never takes it for another album
        that auto-grouping merged in.
        """
        batch = await self._batch_of(draft)
        assert batch.id is not None
        existing = await self.batches.photos(batch.id)
        position = max((p.position for p in existing), default=-1) + 1
        # A random part: two drafts of one batch may each take a photo at the same moment.
        stem = f"{position:04d}-{secrets.token_hex(4)}"
        rel_dir = Path("photos") / str(draft.user_id) / str(batch.id)
        path, vision_path = rel_dir / f"{stem}.jpg", rel_dir / f"{stem}.vision.jpg"
        await asyncio.to_thread(write_private, self.data_dir / path, processed.vinted_jpeg)
        await asyncio.to_thread(write_private, self.data_dir / vision_path, processed.vision_jpeg)
        return await self.batches.add_photo(
            Photo(
                user_id=draft.user_id,
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

    async def _batch_of(self, draft: Draft) -> Batch:
        """The draft's batch; a finished one of its own when that batch is gone."""
        if draft.batch_id is not None:
            batch = await self.batches.get(draft.batch_id, user_id=draft.user_id)
            if batch is not None:
                return batch
        return await self.batches.create(
            Batch(user_id=draft.user_id, status=BatchStatus.DONE, language=draft.language)
        )

    # ---- helpers --------------------------------------------------------------------------

    def _lock(self, draft_id: int) -> asyncio.Lock:
        lock = self._locks.get(draft_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[draft_id] = lock
        return lock

    async def _owned(self, user_id: int, draft_id: int) -> Draft:
        draft = await self.drafts.get(draft_id, user_id)
        if draft is None:
            raise EditRejected("draft_not_found", f"no draft {draft_id}", draft_id=draft_id)
        return draft

    async def _editable(self, user_id: int, draft_id: int) -> Draft:
        draft = await self._owned(user_id, draft_id)
        if draft.status not in EDITABLE:
            raise _not_editable(draft)
        return draft

    async def _stale(self, user_id: int, draft_id: int) -> EditRejected:
        """Say why the writes kept finding the draft changed."""
        current = await self._owned(user_id, draft_id)
        if current.status not in EDITABLE:
            return _not_editable(current)
        return EditRejected("draft_changed", f"draft {draft_id} changed meanwhile")

    async def _write(self, draft: Draft, order: list[int]) -> Draft | None:
        """Save the new photo order at the version read; None when the draft changed.

        Like any edit, it takes an approved (or publish-failed) draft back to draft; a draft
        whose analysis failed stays failed, to retry from its card.
        """
        failed_analysis = draft.status is DraftStatus.FAILED and not draft.title
        to = DraftStatus.FAILED if failed_analysis else DraftStatus.DRAFT
        error = draft.error if failed_analysis else None
        changed = draft.model_copy(update={"photo_ids": order, "error": error})
        return await self.drafts.write(changed, expect=draft.status, to=to)


def _at(position: int, count: int) -> int:
    """Check a position asked for (a button's, so possibly forged) against the photos there."""
    if not 0 <= position < count:
        raise EditRejected(
            "photo_not_found",
            f"no position {position} among {count} photos",
            number=position + 1,
            count=count,
        )
    return position


def _index_of(draft: Draft, photo_id: int) -> int:
    if photo_id not in draft.photo_ids:
        raise EditRejected("photo_gone", f"photo {photo_id} is not on draft {draft.id}")
    return draft.photo_ids.index(photo_id)


def _unapproved(draft: Draft) -> bool:
    return draft.status is DraftStatus.APPROVED


def _full(draft: Draft, limit: int) -> EditRejected:
    return EditRejected(
        "photos_full", f"draft {draft.id} holds {limit} photos", max=limit, count=limit
    )


def _not_editable(draft: Draft) -> EditRejected:
    return EditRejected(
        "not_editable", f"a {draft.status.value} draft cannot change", status=draft.status.value
    )
