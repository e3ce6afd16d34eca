"""Approving a batch's ready drafts at once, and taking that back."""

from __future__ import annotations

from core.drafts.editing import ApproveOutcome, DraftEditor
from core.drafts.models import Draft, DraftStatus
from core.drafts.repository import DraftRepository


class BulkApproval:
    def __init__(self, drafts: DraftRepository, editor: DraftEditor) -> None:
        self.drafts = drafts
        self.editor = editor

    async def ready(self, user_id: int, batch_id: int) -> list[Draft]:
        """The batch's drafts one tap would approve: ready, nothing left to confirm."""
        return [
            d
            for d in await self.drafts.of_batch(batch_id)
            if d.user_id == user_id
            and d.status is DraftStatus.DRAFT
            and d.publish_ready
            and not d.to_confirm
        ]

    async def approve(self, user_id: int, batch_id: int) -> list[Draft]:
        """Approve every ready draft of the batch (each checked again); the approved ones."""
        approved = []
        for draft in await self.ready(user_id, batch_id):
            result = await self.editor.approve(user_id, draft.id or 0)
            if result.outcome is ApproveOutcome.APPROVED:
                approved.append(result.draft)
        return approved

    async def undo(self, user_id: int, batch_id: int) -> list[Draft]:
        """Take back the batch's approvals still waiting in the queue (not those publishing)."""
        taken = []
        for draft in await self.drafts.of_batch(batch_id):
            if draft.user_id == user_id and draft.status is DraftStatus.APPROVED:
                back = await self.editor.undo_approve(user_id, draft.id or 0)
                if back.status is DraftStatus.DRAFT:
                    taken.append(back)
        return taken
