"""The seller's listings, read through the wardrobe API (every page), to find one again.

`GET /api/v2/wardrobe/{user_id}/items?page=N&per_page=M` answers the items with their id,
title, price, draft flag and photos, and a pagination block (UPLOAD-FORM.md section 6): with
the owner's session it includes their Vinted drafts. This, not the wardrobe page's markup, is
the reliable way to find a listing again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.marketplace import ListingQuery, LookupDoubt
from core.vinted import selectors as sel
from core.vinted.errors import Stop
from core.vinted.helpers import same_title
from core.vinted.page import Run

PER_PAGE = 100
MAX_PAGES = 50  # 5,000 listings: past that, the look-up says it cannot tell


@dataclass(frozen=True)
class WardrobeItem:
    id: int
    title: str
    price: float | None
    is_draft: bool
    photo_count: int


async def wardrobe(run: Run, user_id: int) -> list[WardrobeItem]:
    """Return every listing (and draft) on the member's wardrobe, all pages read."""
    items: list[WardrobeItem] = []
    page = 1
    while True:
        answer = await run.fetch_json(sel.wardrobe_api(user_id, page, PER_PAGE))
        if answer.status != 200 or not isinstance(answer.body, dict):
            raise Stop(run.api_refusal(answer, sel.wardrobe_api(user_id, page, PER_PAGE)))
        items.extend(_item(raw) for raw in answer.body.get("items") or [] if _has_id(raw))
        pagination = answer.body.get("pagination") or {}
        total = _int(pagination.get("total_pages")) or 1
        if page >= total or not answer.body.get("items"):
            return items
        page += 1
        if page > MAX_PAGES:
            raise Stop(run.api_refusal(answer, f"{sel.wardrobe_api(user_id, page, PER_PAGE)}"))


async def find_on_wardrobe(run: Run, user_id: int, query: ListingQuery) -> int | None:
    """Return the one listing that is ours: same title, price and photos, not known before.

    Two candidates are a doubt, not an answer: the caller must not guess which.
    """
    run.step = "find_listing"
    await run.goto(run.url("/"))
    candidates = [
        item
        for item in await wardrobe(run, user_id)
        if item.id not in query.exclude
        and item.is_draft == query.is_draft
        and same_title(item.title) == same_title(query.title)
        and (item.price is None or round(item.price, 2) == round(query.price, 2))
        and (item.photo_count in (0, query.photo_count))
    ]
    if len(candidates) > 1:
        ids = ", ".join(str(c.id) for c in candidates)
        run.notes.append(f"several listings could be ours: {ids}")
        raise Stop(LookupDoubt(detail=ids))
    return candidates[0].id if candidates else None


async def known_items(run: Run, user_id: int) -> list[int]:
    """Return the ids already on the wardrobe (read before sending: none of them is ours)."""
    return [item.id for item in await wardrobe(run, user_id)]


def _has_id(raw: Any) -> bool:
    return isinstance(raw, dict) and _int(raw.get("id")) is not None


def _item(raw: dict[str, Any]) -> WardrobeItem:
    price = raw.get("price")
    amount = price.get("amount") if isinstance(price, dict) else price
    photos = raw.get("photos")
    return WardrobeItem(
        id=int(raw["id"]),
        title=str(raw.get("title") or ""),
        price=_float(amount),
        is_draft=bool(raw.get("is_draft")),
        photo_count=len(photos) if isinstance(photos, list) else 0,
    )


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _float(value: Any) -> float | None:
    try:
        return float(str(value).replace(",", ".")) if value is not None else None
    except ValueError:
        return None
