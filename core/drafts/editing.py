"""The seller's changes to a draft: field edits, free-text edits, approval, undo and delete.

Every method is scoped by owner: another seller's draft is "draft_not_found" and never touched.
A draft being published or already published cannot change ("not_editable"). An edit of an
approved draft takes it back to draft, so it must be approved again; an edit never approves
and never publishes.

Every write is made on the version the editor read: if anything changed the draft meanwhile
(another edit, the publishing queue), nothing is written. A typed value is then applied again
to the fresh draft; a model's edit or a regeneration, made on the old content, is refused with
"draft_changed" rather than silently undoing the other change.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from typing import Any

from core.analysis import AnalysisBadAnswer, AnalysisUnavailable, VisionAnalyser
from core.drafts.drafting import DraftingService
from core.drafts.fields import CONFIRMABLE_FIELDS, EDITABLE_FIELDS, LISTING_FIELDS
from core.drafts.followup import FollowThrough
from core.drafts.lifecycle import EDITABLE
from core.drafts.models import Draft, DraftStatus, Listing, StaleDraft
from core.drafts.outcomes import (
    ApproveOutcome,
    ApproveResult,
    CategoryPlacement,
    Change,
    changes_between,
    followed_lines,
)
from core.drafts.parsing import EditRejected, format_value, read_model_edit, with_value
from core.drafts.repository import DraftRepository
from core.drafts.requests import Unapplied, keep_asked, unapplied_parts
from core.drafts.trash import DraftTrash
from core.drafts.undo import UndoStore
from core.events import EventLog
from core.models import Usage
from core.quality import TITLE_MAX_CHARS

log = logging.getLogger(__name__)

MARKETPLACE_CATEGORY = "marketplace_category"  # to confirm: the leaf of the site's own tree
ATTEMPTS = 3  # a typed value is applied again to a draft that changed meanwhile, this often
_LOCKED = frozenset({DraftStatus.PUBLISHING, DraftStatus.PUBLISHED})
_CONFIRM_MISSING = {"size": "size_to_confirm", "condition": "condition_to_confirm"}


class DraftEditor:
    """Apply the seller's edits, approvals and deletions to their drafts."""

    def __init__(
        self,
        drafts: DraftRepository,
        drafting: DraftingService,
        analyser: VisionAnalyser,
        events: EventLog,
        categories: CategoryPlacement | None = None,
        follow: FollowThrough | None = None,
        undo: UndoStore | None = None,
        trash: DraftTrash | None = None,
    ) -> None:
        self.drafts = drafts
        self.trash = trash
        self.categories = categories
        self.follow = follow
        self.undo = undo
        self.drafting = drafting
        self.analyser = analyser
        self.events = events
        # Edits of one draft in this process wait for each other (fewer stale writes); the
        # version check is what keeps other processes and the queue out. A lock lives while
        # someone holds it, so finished drafts do not pile up here.
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    def _lock(self, draft_id: int) -> asyncio.Lock:
        lock = self._locks.get(draft_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[draft_id] = lock
        return lock

    # ---- field edits ---------------------------------------------------------------------

    async def set_field(
        self, user_id: int, draft_id: int, field: str, raw: object
    ) -> tuple[Draft, Change]:
        """Set one field from what the seller typed or tapped, re-check the draft and save it.

        Setting size or condition also confirms it. Setting a field to its current value with
        nothing to confirm saves nothing (and leaves an approved draft approved).
        """
        if field not in EDITABLE_FIELDS:
            raise EditRejected("field_unknown", f"unknown field {field!r}", field=field)
        async with self._lock(draft_id):
            for _ in range(ATTEMPTS):
                draft = await self._editable(user_id, draft_id)
                listing = with_value(draft, field, raw)  # type: ignore[arg-type]
                listing, usage, still = await self._follow(draft, listing, [field])
                to_confirm = [f for f in draft.to_confirm if f != field]
                checked = await self.drafting.recheck(
                    draft.with_listing(listing, to_confirm=to_confirm)
                )
                change = Change(
                    field,
                    format_value(field, getattr(draft, field)),
                    format_value(field, getattr(checked, field)),
                    followed=followed_lines(draft, checked, [field]),
                    still_stated=still,
                )
                if _same(draft, checked):
                    return draft, change
                checked.usage = draft.usage + usage
                saved = await self._commit(draft, checked)
                if saved is not None:
                    change.unapproved = draft.status is DraftStatus.APPROVED
                    return saved, change
            raise await self._stale(user_id, draft_id)

    async def confirm(
        self, user_id: int, draft_id: int, field: str, value: object
    ) -> tuple[Draft, Change]:
        """Confirm (or correct) the size or the condition from the approve flow's buttons."""
        if field not in CONFIRMABLE_FIELDS:
            raise EditRejected("field_unknown", f"{field!r} is not confirmed", field=field)
        return await self.set_field(user_id, draft_id, field, value)

    async def free_text_edit(
        self, user_id: int, draft_id: int, instruction: str
    ) -> tuple[Draft, list[Change], list[Unapplied]]:
        """Have the model turn the seller's request into changes, check them and save the draft.

        Only the fields the request names (or whose new value it states) change; the title and
        the description then follow the changed facts. Returns a Change per field that changed
        or that the seller confirmed, in card order, and what the request asked in vain.
        """
        instruction = (instruction or "").strip()
        if not instruction:
            raise EditRejected("value_empty", "the change request is empty", field="instruction")
        async with self._lock(draft_id):
            draft = await self._editable(user_id, draft_id)
            try:
                out, usage = await self.analyser.edit(
                    draft.listing(), instruction, language=draft.language
                )
            except AnalysisUnavailable as exc:
                await self._log_unused(draft, "edit_failed", exc.usage.total_tokens, exc)
                raise EditRejected(exc.reason, str(exc)) from exc
            except AnalysisBadAnswer as exc:
                await self._log_unused(draft, "edit_failed", exc.usage.total_tokens, exc)
                raise EditRejected("ai_bad_answer", str(exc)) from exc

            edited, given = read_model_edit(draft, out)
            edited, put_back = keep_asked(draft.listing(), edited, instruction, LISTING_FIELDS)
            changed = [n for n in LISTING_FIELDS if getattr(draft, n) != getattr(edited, n)]
            listing, follow_usage, still = await self._follow(draft, edited, changed)
            unapplied = unapplied_parts(draft.listing(), listing, instruction, out.remove_defects)
            checked = await self.drafting.recheck(
                draft.with_listing(
                    listing,
                    to_confirm=[f for f in draft.to_confirm if f not in given or f in put_back],
                )
            )
            if "title_too_long" in checked.missing:
                raise EditRejected(
                    "title_too_long",
                    "the new title cannot be shortened to 70 characters",
                    count=len(checked.title),
                    max=TITLE_MAX_CHARS,
                )
            # The fields asked for; the title and description lines they brought along go
            # with the first of them.
            followed = [n for n in ("title", "description") if n not in changed]
            changes = changes_between(draft, checked, skip=followed)
            if changes:
                changes[0].followed = followed_lines(draft, checked, changed)
                changes[0].still_stated = still
            usage = usage + follow_usage
            if not changes:
                await self._log_unused(draft, "edit_not_understood", usage.total_tokens, None)
                raise EditRejected(
                    "nothing_to_edit", out.summary, summary=out.summary, unapplied=unapplied
                )
            checked.usage = draft.usage + usage
            saved = await self._commit(draft, checked)
            if saved is None:
                await self._log_unused(draft, "edit_stale", usage.total_tokens, None)
                raise await self._stale(user_id, draft_id)
            for change in changes:
                change.unapproved = draft.status is DraftStatus.APPROVED
            return saved, changes, unapplied

    async def undo_edit(self, user_id: int, draft_id: int) -> tuple[Draft, list[Change]]:
        """Put back the listing as it was before the last edit, if nothing changed it since."""
        if self.undo is None:
            raise EditRejected("undo_unavailable", "undo is not kept here")
        async with self._lock(draft_id):
            point = await self.undo.point(draft_id, user_id)
            draft = await self._editable(user_id, draft_id)
            if point is None:
                raise EditRejected("undo_unavailable", f"draft {draft_id} has nothing to undo")
            if point.version != draft.version:
                raise EditRejected("undo_stale", f"draft {draft_id} changed since the edit")
            checked = await self.drafting.recheck(
                draft.with_listing(point.listing, to_confirm=point.to_confirm)
            )
            # Saved as an edit: undoing the undo brings the edit back.
            saved = await self._commit(draft, checked)
            if saved is None:
                raise await self._stale(user_id, draft_id)
            return saved, changes_between(draft, checked)

    async def set_cover(self, user_id: int, draft_id: int, index: int) -> Draft:
        """Make the photo at this position (0-based, cover first) the cover; the rest keep order.

        The cover is what buyers see first, so a new cover takes an approved draft back to draft.
        """
        async with self._lock(draft_id):
            for _ in range(ATTEMPTS):
                draft = await self._editable(user_id, draft_id)
                if not 0 <= index < len(draft.photo_ids):
                    raise EditRejected(
                        "photo_not_found",
                        f"the draft has no photo number {index + 1}",
                        number=index + 1,
                        count=len(draft.photo_ids),
                    )
                if index == 0:
                    return draft
                cover = draft.photo_ids[index]
                order = [cover, *(p for p in draft.photo_ids if p != cover)]
                saved = await self._commit(draft, draft.model_copy(update={"photo_ids": order}))
                if saved is not None:
                    return saved
            raise await self._stale(user_id, draft_id)

    # ---- approval ------------------------------------------------------------------------

    async def approve(self, user_id: int, draft_id: int) -> ApproveResult:
        """Approve a ready draft for publishing; only one of two simultaneous presses wins."""
        async with self._lock(draft_id):
            for _ in range(ATTEMPTS):
                draft = await self._owned(user_id, draft_id)
                if draft.status is not DraftStatus.DRAFT:
                    return _status_result(draft)
                # Fresh gates: the stored verdict may predate the current rules.
                checked = await self.drafting.recheck(draft)
                blockers = [m for m in checked.missing if m not in _CONFIRM_MISSING.values()]
                if blockers or (not checked.publish_ready and not checked.to_confirm):
                    return ApproveResult(ApproveOutcome.NOT_READY, draft, missing=checked.missing)
                if checked.to_confirm:
                    fields = [f for f in CONFIRMABLE_FIELDS if f in checked.to_confirm]
                    return ApproveResult(
                        ApproveOutcome.NEEDS_CONFIRMATION,
                        draft,
                        to_confirm=fields,
                        missing=checked.missing,
                    )
                # The marketplace's own category must be settled before the draft may go.
                if self.categories is not None and await self.categories.needs_seller(draft):
                    return ApproveResult(
                        ApproveOutcome.NEEDS_CONFIRMATION,
                        draft,
                        to_confirm=[MARKETPLACE_CATEGORY],
                        missing=checked.missing,
                    )
                # Approve exactly what was checked: the version it was read at.
                if await self.drafts.move(
                    draft_id,
                    expect=DraftStatus.DRAFT,
                    to=DraftStatus.APPROVED,
                    user_id=user_id,
                    version=draft.version,
                ):
                    return ApproveResult(
                        ApproveOutcome.APPROVED, await self._owned(user_id, draft_id)
                    )
            return _status_result(await self._owned(user_id, draft_id))

    async def undo_approve(self, user_id: int, draft_id: int) -> Draft:
        """Take an approved draft back to draft (a no-op on a draft not approved)."""
        async with self._lock(draft_id):
            moved = await self.drafts.move(
                draft_id, expect=DraftStatus.APPROVED, to=DraftStatus.DRAFT, user_id=user_id
            )
            draft = await self._owned(user_id, draft_id)
            if not moved and draft.status in _LOCKED:
                raise _not_editable(draft)
            return draft

    # ---- delete, regenerate --------------------------------------------------------------

    async def delete(self, user_id: int, draft_id: int) -> bool:
        """Delete the draft, refusing while it is being published.

        A published draft leaves the list only: the listing stays on the marketplace. A deleted
        approved draft simply is no longer there for the queue to claim.
        """
        async with self._lock(draft_id):
            gone = self.trash.discard if self.trash else self.drafts.delete
            if await gone(draft_id, user_id, unless=[DraftStatus.PUBLISHING]):
                return True
            draft = await self._owned(user_id, draft_id)
            raise _not_editable(draft)

    async def restore(self, user_id: int, draft_id: int) -> tuple[Draft, bool]:
        """Bring back a draft deleted a moment ago; True: it was approved, to approve again."""
        async with self._lock(draft_id):
            was = await self.trash.restore(draft_id, user_id) if self.trash else None
            if was is None:
                raise EditRejected("restore_gone", f"draft {draft_id} is not in the trash")
            return await self._owned(user_id, draft_id), was is DraftStatus.APPROVED

    async def regenerate(self, user_id: int, draft_id: int, hint: str | None = None) -> Draft:
        """Analyse the draft's photos again, with the seller's hint; not once approved."""
        async with self._lock(draft_id):
            draft = await self._owned(user_id, draft_id)
            if draft.status not in (DraftStatus.DRAFT, DraftStatus.FAILED):
                raise _not_editable(draft)
            if not draft.photo_ids:
                raise EditRejected("photos_missing", "the draft has no photos to analyse")
            try:
                # The result may be a FAILED draft (error set) when the model is unavailable.
                return await self.drafting.regenerate(draft, (hint or "").strip() or None)
            except StaleDraft:
                raise await self._stale(user_id, draft_id) from None

    async def retry_failed(self, user_id: int, draft_id: int) -> Draft:
        """Analyse a failed draft's photos again."""
        return await self.regenerate(user_id, draft_id, None)

    # ---- helpers -------------------------------------------------------------------------

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
        """Say why a write found the draft changed: no longer editable, or edited meanwhile."""
        current = await self._owned(user_id, draft_id)
        if current.status not in EDITABLE:
            return _not_editable(current)
        return EditRejected(
            "draft_changed", f"draft {draft_id} changed meanwhile", draft_id=draft_id
        )

    async def _commit(self, before: Draft, after: Draft) -> Draft | None:
        """Save an edited draft as a draft, at the version it was read; None if it changed.

        The listing before the edit is kept, so the seller can undo it.
        """
        edited = after.model_copy(update={"error": None, "version": before.version})
        saved = await self.drafts.write(edited, expect=before.status, to=DraftStatus.DRAFT)
        if saved is not None and self.undo is not None:
            await self.undo.keep(before, saved)
        return saved

    async def _follow(
        self, draft: Draft, listing: Listing, fields: list[str]
    ) -> tuple[Listing, Usage, list[str]]:
        """Bring the title and description in line with the changed fields (see followup)."""
        if self.follow is None:
            return listing, Usage(), []
        done = await self.follow.follow(draft.listing(), listing, fields, draft.language)
        return done.listing, done.usage, done.still_stated

    async def _log_unused(
        self, draft: Draft, kind: str, tokens: int, exc: Exception | None
    ) -> None:
        """Record the tokens of a model call that changed nothing (the draft is not saved)."""
        data: dict[str, Any] = {"draft_id": draft.id, "tokens": tokens}
        if exc is not None:
            data["error"] = str(exc)[:200]
        await self.events.log(draft.user_id, kind, data)


def _not_editable(draft: Draft) -> EditRejected:
    return EditRejected(
        "not_editable", f"a {draft.status.value} draft cannot change", status=draft.status.value
    )


def _status_result(draft: Draft) -> ApproveResult:
    if draft.status is DraftStatus.FAILED:
        return ApproveResult(ApproveOutcome.FAILED, draft, missing=draft.missing)
    return ApproveResult(ApproveOutcome.ALREADY, draft)


def _same(before: Draft, after: Draft) -> bool:
    keys = {*LISTING_FIELDS, "to_confirm", "missing", "publish_ready"}
    return before.model_dump(include=keys) == after.model_dump(include=keys)
