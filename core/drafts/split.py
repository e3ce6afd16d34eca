"""Taking apart an item that auto-grouping made of several albums: one draft per album.

The seller sent the albums separately; the model judged them one item. When it was wrong, Split
gives each album its draft back: the first album stays on the draft, each other one gets a new
draft, in one transaction (no photo is ever on two drafts or on none), then every part is
analysed again. A part whose analysis fails stays as a failed draft to retry from its card.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from core.drafts.drafting import DraftingService
from core.drafts.models import Draft, DraftStatus, StaleDraft
from core.drafts.parsing import EditRejected
from core.drafts.repository import DraftRepository
from core.intake.models import Photo
from core.intake.repository import BatchRepository
from core.models import GroupingMode

log = logging.getLogger(__name__)

SPLITTABLE = frozenset({DraftStatus.DRAFT, DraftStatus.FAILED})
PENDING = "split_pending"  # a new part's error until its analysis is written


@dataclass(frozen=True)
class Albums:
    """Where a draft's photos came from: how many albums, how many loose photos."""

    albums: int = 0
    loose: int = 0

    @property
    def parts(self) -> int:
        """How many drafts Split would make: one per album, the loose photos together."""
        return self.albums + (1 if self.loose else 0)


def album_parts(photos: Sequence[Photo]) -> list[list[int]]:
    """Group photo ids by the album they came in, in photo order; loose photos together."""
    parts: dict[str | None, list[int]] = {}
    for photo in photos:
        if photo.id is not None:
            parts.setdefault(photo.album_key, []).append(photo.id)
    return list(parts.values())


def albums_of(photos: Sequence[Photo]) -> Albums:
    keys = {p.album_key for p in photos if p.album_key is not None}
    return Albums(albums=len(keys), loose=sum(p.album_key is None for p in photos))


class DraftSplitter:
    """Say what a draft was merged from, and split it back into one draft per album."""

    def __init__(
        self, drafts: DraftRepository, batches: BatchRepository, drafting: DraftingService
    ) -> None:
        self.drafts = drafts
        self.batches = batches
        self.drafting = drafting

    async def merged_from(self, draft: Draft, photos: Sequence[Photo] | None = None) -> Albums:
        """Where an auto-grouped draft's photos came from (nothing for a draft not merged);
        `photos`: the draft's photos when the caller has read them already."""
        if draft.batch_id is None or draft.status not in SPLITTABLE:
            return Albums()
        if photos is None:
            photos = await self.batches.get_photos(draft.photo_ids, draft.user_id)
        found = albums_of(photos)
        if found.parts < 2:
            return Albums()
        batch = await self.batches.get(draft.batch_id)
        if batch is None or batch.mode is not GroupingMode.AUTO:
            return Albums()  # the seller grouped these photos on purpose
        return found

    async def split(self, user_id: int, draft_id: int) -> list[Draft]:
        """Give each album its own draft and analyse each again; the drafts, this one first."""
        draft = await self.drafts.get(draft_id, user_id)
        if draft is None:
            raise EditRejected("draft_not_found", f"no draft {draft_id}", draft_id=draft_id)
        if draft.status not in SPLITTABLE:
            status = draft.status.value
            raise EditRejected("not_editable", f"a {status} draft cannot change", status=status)
        parts = album_parts(await self.batches.get_photos(draft.photo_ids, user_id))
        if len(parts) < 2:
            raise EditRejected("split_single", f"draft {draft_id} holds one album")
        pending = Draft(
            user_id=user_id,
            batch_id=draft.batch_id,
            language=draft.language,
            hint=draft.hint,
            status=DraftStatus.FAILED,
            error=PENDING,
        )
        new_ids = await self.drafts.split(draft, parts, pending)
        if not new_ids:
            raise EditRejected("draft_changed", f"draft {draft_id} changed meanwhile")
        ids = [draft_id, *new_ids]
        await asyncio.gather(*(self._analyse(i) for i in ids))
        found = [await self.drafts.get(i, user_id) for i in ids]
        return [d for d in found if d is not None]

    async def _analyse(self, draft_id: int) -> None:
        draft = await self.drafts.get(draft_id)
        if draft is None:
            return
        try:
            await self.drafting.regenerate(draft)
        except StaleDraft:
            log.info("draft %s changed while its part was analysed: kept as it is", draft_id)
        except Exception:  # the part stays as it is (failed, or its former content)
            log.warning("the analysis of split draft %s failed", draft_id, exc_info=True)
