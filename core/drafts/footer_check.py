"""The seller changed their footer: the gates run again on the drafts not yet published."""

from __future__ import annotations

from dataclasses import dataclass

from core.drafts.drafting import DraftingService
from core.drafts.models import Draft, DraftStatus
from core.drafts.repository import DraftRepository

OPEN = (DraftStatus.DRAFT, DraftStatus.APPROVED)  # not yet published, nor failed


@dataclass
class FooterCheck:
    """Hold the seller's open drafts to their new footer."""

    drafts: DraftRepository
    drafting: DraftingService

    async def recheck_open(self, user_id: int) -> tuple[list[Draft], int]:
        """Run the gates again on the seller's open drafts with their footer as it is now.

        Return the drafts whose verdict changed (an approved one no longer ready goes back to
        the drafts, so nothing too long is published) and how many are now too long.
        """
        footer = await self.drafting.footer(user_id)
        changed: list[Draft] = []
        too_long = 0
        for draft in await self.drafts.of_statuses(user_id, OPEN):
            checked = await self.drafting.recheck(draft, footer)
            too_long += "description_too_long" in checked.missing
            if (checked.publish_ready, checked.missing) == (draft.publish_ready, draft.missing):
                continue
            ready = checked.publish_ready or draft.status is DraftStatus.DRAFT
            stored = await self.drafts.write(
                checked, expect=draft.status, to=draft.status if ready else DraftStatus.DRAFT
            )
            if stored is not None:  # otherwise it changed meanwhile, and that ran the gates
                changed.append(stored)
        return changed, too_long
