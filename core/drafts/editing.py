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
import dataclasses
import logging
import weakref
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from core.analysis import AnalysisBadAnswer, AnalysisUnavailable, VisionAnalyser
from core.drafts.drafting import DraftingService
from core.drafts.fields import CONFIRMABLE_FIELDS, EDITABLE_FIELDS, LISTING_FIELDS
from core.drafts.lifecycle import EDITABLE
from core.drafts.models import Draft, DraftStatus, StaleDraft
from core.drafts.parsing import EditRejected, format_value, read_model_edit, with_value
from core.drafts.repository import DraftRepository
from core.events import EventLog
from core.quality import TITLE_MAX_CHARS

log = logging.getLogger(__name__)

MARKETPLACE_CATEGORY = "marketplace_category"  # to confirm: the leaf of the site's own tree
ATTEMPTS = 3  # a typed value is applied again to a draft that changed meanwhile, this often
_LOCKED = frozenset({DraftStatus.PUBLISHING, DraftStatus.PUBLISHED})
_CONFIRM_MISSING = {"size": "size_to_confirm", "condition": "condition_to_confirm"}


@dataclass
class Change:
    """One field's value before and after an edit, as short strings (see format_value)."""

    field: str
    before: str
    after: str
    # The draft was approved and went back to draft: it must be approved again.
    unapproved: bool = False


class ApproveOutcome(StrEnum):
    APPROVED = "approved"
    NEEDS_CONFIRMATION = "needs_confirmation"  # only size/condition wait for the seller
    NOT_READY = "not_ready"  # a quality gate still fails: see `missing`
    ALREADY = "already"  # approved, publishing or published before this press
    FAILED = "failed"  # the analysis (or a publish) failed: retry or edit it first


@dataclass
class ApproveResult:
    """What pressing Approve did, and what the seller must do next."""

    outcome: ApproveOutcome
    draft: Draft
    to_confirm: list[str] = dataclasses.field(default_factory=list)  # size, then condition
    missing: list[str] = dataclasses.field(default_factory=list)  # core.quality.MISSING_KEYS


class CategoryPlacement(Protocol):
    """Says whether the seller must still choose the draft's leaf in the marketplace's tree."""

    async def needs_seller(self, draft: Draft) -> bool: ...


class DraftEditor:
    """Apply the seller's edits, approvals and deletions to their drafts."""

    def __init__(
        self,
        drafts: DraftRepository,
        drafting: DraftingService,
        analyser: VisionAnalyser,
        events: EventLog,
        categories: CategoryPlacement | None = None,
    ) -> None:
        self.drafts = drafts
        self.categories = categories
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
                to_confirm = [f for f in draft.to_confirm if f != field]
                checked = await self.drafting.recheck(
                    draft.with_listing(listing, to_confirm=to_confirm)
                )
                change = Change(
                    field,
                    format_value(field, getattr(draft, field)),
                    format_value(field, getattr(checked, field)),
                )
                if _same(draft, checked):
                    return draft, change
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
    ) -> tuple[Draft, list[Change]]:
        """Have the model turn the seller's request into changes, check them and save the draft.

        Returns a Change per field that changed or that the seller confirmed, in card order.
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

            listing, given = read_model_edit(draft, out)
            checked = await self.drafting.recheck(
                draft.with_listing(
                    listing, to_confirm=[f for f in draft.to_confirm if f not in given]
                )
            )
            if "title_too_long" in checked.missing:
                raise EditRejected(
                    "title_too_long",
                    "the new title cannot be shortened to 70 characters",
                    count=len(checked.title),
                    max=TITLE_MAX_CHARS,
                )
            confirmed = set(draft.to_confirm) - set(checked.to_confirm)
            changes = [
                Change(
                    name,
                    format_value(name, getattr(draft, name)),
                    format_value(name, getattr(checked, name)),
                )
                for name in LISTING_FIELDS
                if getattr(draft, name) != getattr(checked, name) or name in confirmed
            ]
            if not changes:
                await self._log_unused(draft, "edit_not_understood", usage.total_tokens, None)
                raise EditRejected("nothing_to_edit", out.summary, summary=out.summary)
            checked.usage = draft.usage + usage
            saved = await self._commit(draft, checked)
            if saved is None:
                await self._log_unused(draft, "edit_stale", usage.total_tokens, None)
                raise await self._stale(user_id, draft_id)
            for change in changes:
                change.unapproved = draft.status is DraftStatus.APPROVED
            return saved, changes

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
            if await self.drafts.delete(draft_id, user_id, unless=[DraftStatus.PUBLISHING]):
                return True
            draft = await self._owned(user_id, draft_id)
            raise _not_editable(draft)

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
        """Save an edited draft as a draft, at the version it was read; None if it changed."""
        edited = after.model_copy(update={"error": None, "version": before.version})
        return await self.drafts.write(edited, expect=before.status, to=DraftStatus.DRAFT)

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
