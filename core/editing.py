"""The seller's changes to a draft: field edits, free-text edits, approval, undo and delete.

Every method is scoped by owner: another seller's draft is "draft_not_found" and never touched.
A draft being published or already published cannot change ("not_editable"). An edit of an
approved (or queued) draft takes it back to draft, so it must be approved again; an edit never
approves and never publishes.

Build one DraftEditor per process: it serialises the operations on each draft, and the status
compare-and-set in the store keeps the publishing queue from claiming a draft mid-edit.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import math
import re
import unicodedata
import weakref
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from core.analysis import AnalysisBadAnswer, AnalysisUnavailable, EditOut, VisionAnalyser
from core.analysis import apply_edit as apply_model_edit
from core.catalog import Category, categories, get_category
from core.drafting import DraftingService
from core.models import Condition, Draft, DraftStatus, Listing, Price
from core.pricing import round_price
from core.quality import TITLE_MAX_CHARS
from core.store import NotFound, Store

log = logging.getLogger(__name__)

PRICE_MIN = 1.0  # Vinted's smallest asking price, EUR
PRICE_MAX = 100_000.0
PRICE_RANGE_BELOW = 0.85  # min and max of the range set around a price the seller typed
PRICE_RANGE_ABOVE = 1.15
SIZE_MAX_CHARS = 20
NAME_MAX_CHARS = 50  # brand and material
MAX_COLOURS = 2

# Fields set_field() accepts; the listing fields free_text_edit() may report, in card order.
EDITABLE_FIELDS = (
    "title",
    "description",
    "price",
    "brand",
    "size",
    "condition",
    "category",
    "colours",
    "material",
)
LISTING_FIELDS = (
    "title",
    "description",
    "hashtags",
    "brand",
    "category",
    "size",
    "condition",
    "colours",
    "material",
    "defects",
    "measurements",
    "price",
)
CONFIRMABLE_FIELDS = ("size", "condition")  # also the order needs_confirmation lists them in

# Every key EditRejected may carry, for the bot's texts module to cover; the last three are
# the analysis failures of free_text_edit, named as in Draft.error.
REJECTION_KEYS = (
    "draft_not_found",
    "not_editable",
    "nothing_to_edit",
    "field_unknown",
    "value_empty",
    "value_too_long",
    "price_invalid",
    "title_too_long",
    "size_too_long",
    "category_unknown",
    "too_many_colours",
    "condition_unknown",
    "photos_missing",
    "photo_not_found",
    "ai_unavailable",
    "ai_rate_limited",
    "ai_bad_answer",
)

_EDITABLE_STATUSES = frozenset(
    {DraftStatus.DRAFT, DraftStatus.FAILED, DraftStatus.APPROVED, DraftStatus.QUEUED}
)
_APPROVED_STATUSES = frozenset({DraftStatus.APPROVED, DraftStatus.QUEUED})
_LOCKED_STATUSES = frozenset({DraftStatus.PUBLISHING, DraftStatus.PUBLISHED})
_CONFIRM_MISSING = {"size": "size_to_confirm", "condition": "condition_to_confirm"}

# What a seller types to say "there is none" (compared folded: no case, no accents).
_NONE_WORDS = frozenset(
    {
        "-",
        "--",
        "aucune",
        "aucun",
        "none",
        "no brand",
        "keine",
        "kein",
        "sans",
        "sans marque",
        "pas de marque",
        "aucune marque",
        "ohne marke",
        "keine marke",
        "n/a",
    }
)
_COLOUR_SEPARATORS = re.compile(r"\s*(?:[,;/+&]|\bet\b|\band\b|\bund\b)\s*", re.IGNORECASE)
_CURRENCY = re.compile(r"€|eur(?:os?)?", re.IGNORECASE)
_PRICE = re.compile(r"(\d{1,6})(?:[.,](\d{1,2}))?")


class EditRejected(Exception):
    """The seller's change cannot be applied; `key` names the reason for the texts module."""

    def __init__(self, key: str, message: str = "", **params: Any) -> None:
        super().__init__(message or key.replace("_", " "))
        self.key = key
        self.params: dict[str, Any] = params


@dataclass
class Change:
    """One field's value before and after an edit, as short strings (see format_value)."""

    field: str
    before: str
    after: str
    # The draft was approved (or queued) and went back to draft: it must be approved again.
    unapproved: bool = False


class ApproveOutcome(StrEnum):
    APPROVED = "approved"
    NEEDS_CONFIRMATION = "needs_confirmation"  # only size/condition wait for the seller
    NOT_READY = "not_ready"  # a quality gate still fails: see `missing`
    ALREADY = "already"  # approved, queued, publishing or published before this press
    FAILED = "failed"  # the analysis (or a publish) failed: retry or edit it first


@dataclass
class ApproveResult:
    """What pressing Approve did, and what the seller must do next."""

    outcome: ApproveOutcome
    draft: Draft
    to_confirm: list[str] = dataclasses.field(default_factory=list)  # size, then condition
    missing: list[str] = dataclasses.field(default_factory=list)  # core.quality.MISSING_KEYS


# ---- parsing what the seller typed -------------------------------------------------------------


def parse_price(text: str) -> float:
    """Read a price in EUR such as "25", "25,50", "25.5 EUR", "€25" or " 12,5 € "."""
    raw = _CURRENCY.sub(" ", text or "")
    # Spaces inside a number ("1 200") are thousands separators.
    raw = re.sub(r"(?<=\d)[\s\u00a0\u202f](?=\d{3}\b)", "", raw).strip()
    match = _PRICE.fullmatch(raw)
    if match is None:
        raise EditRejected(
            "price_invalid",
            f"not a price: {text!r}",
            value=text.strip(),
            min=PRICE_MIN,
            max=PRICE_MAX,
        )
    value = float(f"{match[1]}.{match[2] or '0'}")
    if not PRICE_MIN <= value <= PRICE_MAX:
        raise EditRejected(
            "price_invalid",
            f"a price must lie between {PRICE_MIN:g} and {PRICE_MAX:g} EUR",
            value=text.strip(),
            min=PRICE_MIN,
            max=PRICE_MAX,
        )
    return value


def price_around(target: float) -> Price:
    """Return a range of about -15%/+15% around the seller's price, on round prices."""
    low = min(round_price(target * PRICE_RANGE_BELOW), target)
    high = max(round_price(target * PRICE_RANGE_ABOVE), target)
    return Price(min=low, target=target, max=high)


def parse_title(text: str) -> str:
    """Read a title: one line, at most 70 characters."""
    title = " ".join((text or "").split())
    if not title:
        raise EditRejected("value_empty", "the title is empty", field="title")
    if len(title) > TITLE_MAX_CHARS:
        raise EditRejected(
            "title_too_long",
            f"the title has {len(title)} characters, at most {TITLE_MAX_CHARS} are allowed",
            count=len(title),
            max=TITLE_MAX_CHARS,
        )
    return title


def parse_description(text: str) -> str:
    """Read a description, keeping its lines."""
    description = (text or "").replace("\r\n", "\n").strip()
    if not description:
        raise EditRejected("value_empty", "the description is empty", field="description")
    return description


def parse_size(text: str) -> str:
    """Read a size as typed ("M", "38", "W32 L34"), at most 20 characters."""
    size = " ".join((text or "").split())
    if not size:
        raise EditRejected("value_empty", "the size is empty", field="size")
    if len(size) > SIZE_MAX_CHARS:
        raise EditRejected(
            "size_too_long",
            f"a size has at most {SIZE_MAX_CHARS} characters",
            count=len(size),
            max=SIZE_MAX_CHARS,
        )
    return size


def parse_brand(text: str) -> str | None:
    """Read a brand; "-", "aucune", "none", "no brand" or "keine" mean no brand (None)."""
    return _parse_name(text, "brand")


def parse_material(text: str) -> str | None:
    """Read a material such as "100% coton"; the no-brand words clear it (None)."""
    return _parse_name(text, "material")


def _parse_name(text: str, what: str) -> str | None:
    name = " ".join((text or "").split())
    if not name:
        raise EditRejected("value_empty", f"the {what} is empty", field=what)
    if _fold(name).strip(" .") in _NONE_WORDS:
        return None
    if len(name) > NAME_MAX_CHARS:
        raise EditRejected(
            "value_too_long",
            f"the {what} has more than {NAME_MAX_CHARS} characters",
            field=what,
            count=len(name),
            max=NAME_MAX_CHARS,
        )
    return name


def parse_condition(value: str | Condition) -> Condition:
    """Read a condition given as its value, e.g. "very_good"."""
    try:
        return Condition(str(value).strip())
    except ValueError:
        raise EditRejected(
            "condition_unknown", f"unknown condition {value!r}", value=str(value)
        ) from None


def parse_category(value: str) -> str:
    """Check a category id from core.catalog and return it."""
    category_id = (value or "").strip()
    if get_category(category_id) is None:
        raise EditRejected("category_unknown", f"unknown category {value!r}", value=category_id)
    return category_id


def parse_colours(text: str) -> list[str]:
    """Read one or two colours separated by a comma, "et", "and" or "und"."""
    colours: list[str] = []
    for part in _COLOUR_SEPARATORS.split(text or ""):
        colour = " ".join(part.split())
        if colour and _fold(colour) not in {_fold(c) for c in colours}:
            colours.append(colour)
    if not colours:
        raise EditRejected("value_empty", "no colour given", field="colours")
    if len(colours) > MAX_COLOURS:
        raise EditRejected(
            "too_many_colours",
            f"at most {MAX_COLOURS} colours",
            count=len(colours),
            max=MAX_COLOURS,
        )
    return colours


def search_categories(query: str, language: str = "fr", limit: int = 8) -> list[Category]:
    """Return the categories whose French or English path matches the query's words, best first.

    Matching ignores case, accents, hyphens and a plural s; a query word matches the start of a
    path word ("jean" finds "Jeans"). More query words matched ranks first, then matches in the
    leaf, then the listing's language, then the shorter path; categories matching fewer query
    words than the best one are left out.
    """
    words = [w for w in _words(query) if len(w) > 1 and w not in _STOP_WORDS]
    if not words:
        return []
    scored: list[tuple[tuple[int, int, int, int, int], Category]] = []
    for position, category in enumerate(categories()):
        own, other = (
            (category.path_fr, category.path_en)
            if language == "fr"
            else (category.path_en, category.path_fr)
        )
        own_words, other_words = _path_words(own), _path_words(other)
        leaf_words = _words(own[-1]) | _words(other[-1])
        matched = in_leaf = in_own = 0
        for word in words:
            hits = [w for w in own_words | other_words if w.startswith(word)]
            if not hits:
                continue
            matched += 1
            in_leaf += any(h in leaf_words for h in hits)
            in_own += any(h in own_words for h in hits)
        if matched:
            scored.append(((-matched, -in_leaf, -in_own, len(own_words), position), category))
    scored.sort(key=lambda item: item[0])
    # Only the categories matching as many words as the best: "jean homme" is not women_jeans.
    best = scored[0][0][0] if scored else 0
    return [category for key, category in scored if key[0] == best][:limit]


_STOP_WORDS = frozenset({"et", "de", "des", "du", "la", "le", "les", "a", "and", "the", "of"})


def _path_words(path: list[str]) -> set[str]:
    return set().union(*(_words(part) for part in path))


def _words(text: str) -> set[str]:
    """Fold text into comparable words: "T-shirts à manches" -> {"tshirt", "a", "manche"}."""
    folded = _fold(text).replace("-", "")
    return {_singular(w) for w in re.findall(r"\w+", folded)}


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith(("s", "x")) else word


def _fold(text: str) -> str:
    """Return the text without case or accents, for matching."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# ---- rendering values ------------------------------------------------------------------------


def format_value(field_name: str, value: object) -> str:
    """Render a field's value as a short string: price "25.5", colours "bleu, blanc"...

    Condition and category stay ids (the bot names them in the seller's language); a long
    description is cut to 80 characters with its lines joined by " / ".
    """
    if value is None:
        return ""
    if isinstance(value, Price):
        return _amount(value.target)
    if isinstance(value, Condition):
        return value.value
    if isinstance(value, list):
        return (" " if field_name == "hashtags" else ", ").join(str(v) for v in value)
    text = str(value)
    if field_name == "description":
        text = " / ".join(line.strip() for line in text.splitlines() if line.strip())
        if len(text) > 80:
            text = text[:79].rstrip() + "…"
    return text


def _amount(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


# ---- the service -------------------------------------------------------------------------------


class DraftEditor:
    """Apply the seller's edits, approvals and deletions to their drafts."""

    def __init__(self, store: Store, drafting: DraftingService, analyser: VisionAnalyser) -> None:
        self.store = store
        self.drafting = drafting
        self.analyser = analyser
        # A lock lives while someone holds it, so finished drafts do not pile up here.
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    def _lock(self, draft_id: int) -> asyncio.Lock:
        lock = self._locks.get(draft_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[draft_id] = lock
        return lock

    # ---- field edits ---------------------------------------------------------------------

    async def set_field(
        self, user_id: int, draft_id: int, field: str, raw: str | Condition
    ) -> tuple[Draft, Change]:
        """Set one field from what the seller typed or tapped, re-check the draft and save it.

        Setting size or condition also confirms it. Setting a field to its current value with
        nothing to confirm saves nothing (and leaves an approved draft approved).
        """
        if field not in EDITABLE_FIELDS:
            raise EditRejected("field_unknown", f"unknown field {field!r}", field=field)
        async with self._lock(draft_id):
            draft = await self._editable(user_id, draft_id)
            listing = _with_value(draft, field, raw)
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
            saved, change.unapproved = await self._commit(draft, checked)
            return saved, change

    async def confirm(
        self, user_id: int, draft_id: int, field: str, value: str | Condition
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

            listing, given = _apply_model_edit(draft, out)
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
            saved, unapproved = await self._commit(draft, checked)
            for change in changes:
                change.unapproved = unapproved
            return saved, changes

    async def set_cover(self, user_id: int, draft_id: int, index: int) -> Draft:
        """Make the photo at this position (0-based, cover first) the cover; the rest keep order.

        The cover is what buyers see first, so a new cover takes an approved draft back to draft.
        """
        async with self._lock(draft_id):
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
            saved, _ = await self._commit(draft, draft.model_copy(update={"photo_ids": order}))
            return saved

    # ---- approval ------------------------------------------------------------------------

    async def approve(self, user_id: int, draft_id: int) -> ApproveResult:
        """Approve a ready draft for publishing; only one of two simultaneous presses wins."""
        async with self._lock(draft_id):
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
            moved = await self.store.set_draft_status(
                draft_id, DraftStatus.APPROVED, expected=DraftStatus.DRAFT
            )
            current = await self._owned(user_id, draft_id)
            if not moved:
                return _status_result(current)
            return ApproveResult(ApproveOutcome.APPROVED, current)

    async def undo_approve(self, user_id: int, draft_id: int) -> Draft:
        """Take an approved or queued draft back to draft (a no-op on a draft not approved)."""
        async with self._lock(draft_id):
            draft = await self._owned(user_id, draft_id)
            if draft.status in _APPROVED_STATUSES:
                await self._move_to_draft(draft)
                return await self._owned(user_id, draft_id)
            if draft.status in _LOCKED_STATUSES:
                raise _not_editable(draft)
            return draft

    # ---- delete, regenerate --------------------------------------------------------------

    async def delete(self, user_id: int, draft_id: int) -> bool:
        """Delete the draft, refusing while it is being published.

        A published draft leaves the list only: the listing stays on Vinted. An approved or
        queued draft is first taken out of the queue so the publisher cannot claim it.
        """
        async with self._lock(draft_id):
            draft = await self._owned(user_id, draft_id)
            if draft.status is DraftStatus.PUBLISHING:
                raise _not_editable(draft)
            if draft.status in _APPROVED_STATUSES:
                await self._move_to_draft(draft)
            return await self.store.delete_draft(draft_id, user_id)

    async def regenerate(self, user_id: int, draft_id: int, hint: str | None = None) -> Draft:
        """Analyse the draft's photos again, with the seller's hint; not once approved."""
        async with self._lock(draft_id):
            draft = await self._owned(user_id, draft_id)
            if draft.status not in (DraftStatus.DRAFT, DraftStatus.FAILED):
                raise _not_editable(draft)
            if not draft.photo_ids:
                raise EditRejected("photos_missing", "the draft has no photos to analyse")
            # The result may be a FAILED draft (error set) when the model is unavailable.
            return await self.drafting.regenerate(draft, (hint or "").strip() or None)

    async def retry_failed(self, user_id: int, draft_id: int) -> Draft:
        """Analyse a failed draft's photos again."""
        return await self.regenerate(user_id, draft_id, None)

    # ---- helpers -------------------------------------------------------------------------

    async def _owned(self, user_id: int, draft_id: int) -> Draft:
        draft = await self.store.get_draft(draft_id, user_id)
        if draft is None:
            raise EditRejected("draft_not_found", f"no draft {draft_id}", draft_id=draft_id)
        return draft

    async def _editable(self, user_id: int, draft_id: int) -> Draft:
        draft = await self._owned(user_id, draft_id)
        if draft.status not in _EDITABLE_STATUSES:
            raise _not_editable(draft)
        return draft

    async def _move_to_draft(self, draft: Draft) -> DraftStatus:
        """Set the draft's status to draft unless it was claimed for publishing meanwhile.

        Returns the status it left. The compare-and-set retries when only a harmless status
        change happened (approved -> queued) since the draft was read.
        """
        assert draft.id is not None
        status = draft.status
        for _ in range(3):
            if await self.store.set_draft_status(draft.id, DraftStatus.DRAFT, expected=status):
                return status
            current = await self._owned(draft.user_id, draft.id)
            if current.status not in _EDITABLE_STATUSES:
                raise _not_editable(current)
            status = current.status
        raise _not_editable(draft)

    async def _commit(self, before: Draft, after: Draft) -> tuple[Draft, bool]:
        """Save an edited draft as a draft; True when it had been approved or queued."""
        left = await self._move_to_draft(before)
        try:
            saved = await self.store.save_draft(
                after.model_copy(update={"status": DraftStatus.DRAFT, "error": None})
            )
        except NotFound:
            raise EditRejected("draft_not_found", f"no draft {before.id}") from None
        return saved, left in _APPROVED_STATUSES

    async def _log_unused(
        self, draft: Draft, kind: str, tokens: int, exc: Exception | None
    ) -> None:
        """Record the tokens of a model call that changed nothing (the draft is not saved)."""
        data: dict[str, Any] = {"draft_id": draft.id, "tokens": tokens}
        if exc is not None:
            data["error"] = str(exc)[:200]
        await self.store.log_event(draft.user_id, kind, data)


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


def _with_value(draft: Draft, field_name: str, raw: str | Condition) -> Listing:
    """Return the draft's listing with one field set from the seller's raw value."""
    listing = draft.listing()
    text = raw.value if isinstance(raw, Condition) else str(raw)
    value: object
    if field_name == "title":
        value = parse_title(text)
    elif field_name == "description":
        value = parse_description(text)
    elif field_name == "price":
        value = price_around(parse_price(text))
    elif field_name == "brand":
        value = parse_brand(text)
    elif field_name == "size":
        value = parse_size(text)
    elif field_name == "condition":
        value = parse_condition(text)
    elif field_name == "category":
        value = parse_category(text)
    elif field_name == "colours":
        value = parse_colours(text)
    else:
        value = parse_material(text)
    return listing.model_copy(update={field_name: value})


def _apply_model_edit(draft: Draft, out: EditOut) -> tuple[Listing, set[str]]:
    """Apply the model's edit with the checks a typed value gets; return it and the fields set.

    Null means unchanged; an empty title, size or description too. An empty brand or material,
    or one of the "none" words, clears it. A new target price gets the usual range around it
    (the model's min and max are kept only when the target stays).
    """
    updates: dict[str, Any] = {}
    clears: set[str] = set()
    if out.title is not None and out.title.strip():
        updates["title"] = " ".join(out.title.split())
    if out.size is not None and out.size.strip():
        updates["size"] = parse_size(out.size)
    if out.description is not None and any(line.strip() for line in out.description):
        updates["description"] = out.description
    for name in ("brand", "material"):
        value = getattr(out, name)
        if value is None:
            continue
        parsed = _parse_name(value, name) if value.strip() else None
        if parsed is None:
            clears.add(name)
        else:
            updates[name] = parsed
    for price in (out.price_min, out.price_target, out.price_max):
        if price is not None and not (math.isfinite(price) and PRICE_MIN <= price <= PRICE_MAX):
            raise EditRejected(
                "price_invalid",
                f"the new price {price} is out of range",
                value=str(price),
                min=PRICE_MIN,
                max=PRICE_MAX,
            )
    edit = out.model_copy(
        update={
            "title": None,
            "size": None,
            "description": None,
            "brand": None,
            "material": None,
            **updates,
        }
    )
    listing = apply_model_edit(draft.listing(), edit).model_copy(update=dict.fromkeys(clears))
    current = draft.price
    if out.price_target is not None and (current is None or out.price_target != current.target):
        listing = listing.model_copy(update={"price": price_around(out.price_target)})
    given = {name for name in CONFIRMABLE_FIELDS if getattr(edit, name) is not None}
    return listing, given
