"""Market data through the seller's session (UPLOAD-FORM.md section 7): what sold like the
item, and Vinted's own price suggestion. Read from the upload page, whose HTML holds the CSRF
token the suggestion call (a POST) needs; the suggestion is optional, the comparables are not.
"""

from __future__ import annotations

import contextlib
import re
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from core.market.models import MarketQuery, MarketRead, SoldItem, Suggestion
from core.marketplace import PageChanged
from core.vinted import selectors as sel
from core.vinted.errors import Stop
from core.vinted.helpers import fold
from core.vinted.mapping import condition_id
from core.vinted.page import Answer, Run

_CSRF = re.compile(sel.CSRF_IN_PAGE)


async def read_market(run: Run, query: MarketQuery) -> MarketRead:
    run.step = "market"
    await run.goto(run.url(sel.UPLOAD_PATH))
    found = _CSRF.search(await run.page.content())
    status_id = condition_id(query.condition)
    brand_id = await _brand_id(run, query.brand) if query.brand else None
    params = {"catalog_id": query.catalog_id, "brand_id": brand_id or "", "status_id": status_id}
    answer = await run.fetch_json(
        f"{sel.SOLD_ITEMS_API}?{urlencode({**params, 'page': 1, 'per_page': 20})}"
    )
    if answer.status != 200:
        raise Stop(run.api_refusal(answer, sel.SOLD_ITEMS_API))
    if not isinstance(answer.body, dict) or not isinstance(answer.body.get("items"), list):
        raise Stop(PageChanged(run.step, sel.SOLD_ITEMS_API))
    sold = tuple(item for raw in answer.body["items"] if (item := _sold(raw)) is not None)
    suggestion = None
    if found is not None:
        fields = {k: v for k, v in params.items() if v != ""}
        anon = next((c["value"] for c in run.cookies if c["name"] == sel.ANON_ID_COOKIE), "")
        headers = {"x-csrf-token": found[1], "x-anon-id": str(anon)}
        # The exact body is not documented: the fields both flat and as an item.
        reply = await run.post_json(sel.PRICE_SUGGESTION_API, {**fields, "item": fields}, headers)
        suggestion = _suggestion(reply)
    return MarketRead(sold=sold, suggestion=suggestion)


async def _brand_id(run: Run, brand: str) -> int | None:
    """Return the id of the brand the site spells like ours (ids are not stable: ask)."""
    answer = await run.fetch_json(f"{sel.BRANDS_API}?keyword={quote(brand)}")
    brands = answer.body.get("brands") if isinstance(answer.body, dict) else None
    if answer.status != 200 or not isinstance(brands, list):
        return None
    for entry in brands:
        if isinstance(entry, dict) and fold(str(entry.get("title", ""))) == fold(brand):
            with contextlib.suppress(TypeError, ValueError):
                return int(entry["id"])
    return None


def _amount(value: Any) -> float | None:
    """Read an amount the API writes as a string ("12.0") or a number; None if it is not one."""
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        return None
    return number if number > 0 else None


def _sold(raw: Any) -> SoldItem | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("price"), dict):
        return None
    price = _amount(raw["price"].get("amount"))
    if price is None:
        return None
    sold_at = None
    with contextlib.suppress(TypeError, ValueError):
        sold_at = datetime.fromisoformat(str(raw.get("sold_at")))
    return SoldItem(
        price=price,
        currency=str(raw["price"].get("currency_code") or ""),
        size=str(raw.get("size_title") or ""),
        sold_at=sold_at if sold_at is None or sold_at.tzinfo else None,
    )


def _suggestion(answer: Answer) -> Suggestion | None:
    body = answer.body if answer.status == 200 and isinstance(answer.body, dict) else {}
    raw = body.get("price_suggestion")
    if not isinstance(raw, dict):
        return None  # none offered (null), or the call was refused: the comparables remain
    price = _amount(raw.get("price")) or _amount(raw.get("midpoint"))
    if price is None:
        return None
    return Suggestion(
        price=price,
        minimum=_amount(raw.get("minimum")) or price,
        maximum=_amount(raw.get("maximum")) or price,
        currency=str(raw.get("currency_code") or ""),
    )
