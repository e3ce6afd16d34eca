"""The drafts as the chat shows them: pages, the draft behind a card, photos, card messages."""

from __future__ import annotations

from collections.abc import Iterable

from core.drafts.lookalike import Lookalike, LookalikeFinder
from core.drafts.models import Draft, DraftStatus
from core.drafts.repository import DraftRepository
from core.intake.models import Photo
from core.intake.repository import BatchRepository

OPEN = (DraftStatus.DRAFT, DraftStatus.FAILED, DraftStatus.APPROVED)


class DraftService:
    """Read a seller's drafts, and remember where each card is."""

    def __init__(
        self, drafts: DraftRepository, photos: BatchRepository, lookalikes: LookalikeFinder
    ) -> None:
        self.drafts = drafts
        self.photo_repo = photos
        self.lookalikes = lookalikes

    async def get(self, user_id: int, draft_id: int) -> Draft | None:
        """Return the seller's draft, None when it is missing or someone else's."""
        return await self.drafts.get(draft_id, user_id)

    async def find(self, draft_id: int) -> Draft | None:
        """Return a draft whoever owns it (the caller checks the owner, to say so)."""
        return await self.drafts.get(draft_id)

    async def page(
        self,
        user_id: int,
        statuses: Iterable[DraftStatus] | None = OPEN,
        *,
        limit: int = 10,
        offset: int = 0,
    ) -> list[Draft]:
        return await self.drafts.page(user_id, statuses, limit=limit, offset=offset)

    async def count(self, user_id: int, statuses: Iterable[DraftStatus] | None = OPEN) -> int:
        return await self.drafts.count(user_id, statuses)

    async def by_card(self, chat_id: int, message_id: int, user_id: int) -> Draft | None:
        """Return the seller's draft whose card is this message, or None."""
        return await self.drafts.by_card(chat_id, message_id, user_id)

    async def photos(self, draft: Draft) -> list[Photo]:
        """Return the draft's photos, cover first."""
        return await self.photo_repo.get_photos(draft.photo_ids, draft.user_id)

    async def lookalike(self, draft: Draft, photos: list[Photo]) -> Lookalike | None:
        """Return the seller's published draft this one's photos match (already listed?)."""
        return await self.lookalikes.published_twin(draft, photos)

    async def record_card(self, draft: Draft, chat_id: int, message_id: int) -> Draft:
        """Remember the message that shows the draft's card; return the draft with it."""
        assert draft.id is not None
        await self.drafts.set_card(draft.id, chat_id, message_id)
        return draft.model_copy(update={"card_chat_id": chat_id, "card_message_id": message_id})
