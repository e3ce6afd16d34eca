"""Market data read with the seller's session (UPLOAD-FORM.md section 7): sold comparables and
Vinted's own price suggestion, deterministic per category, brand and condition.

`sold_for` is what the replica answers, so tests can compute what the bot should make of it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import statistics
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web

from tests.fakes.vinted.responses import json_response, unauthorized
from tests.fakes.vinted.session import Sessions
from tests.fakes.vinted.sites import Site


@dataclass(frozen=True)
class Sold:
    price: float
    size: str
    sold_at: datetime


def _draws(*key: object) -> list[int]:
    digest = hashlib.sha256(":".join(map(str, key)).encode()).digest()
    return list(digest)


def sold_for(site: Site, catalog_id: int, brand_id: int | None, status_id: int) -> list[Sold]:
    """What sold for this category, brand and condition: 0 to 25 items around one price."""
    draws = _draws(site.locale, catalog_id, brand_id, status_id)
    count = draws[0] % 26
    base = 8 + draws[1] % 40
    group = site.size_group(site.catalog.leaf(catalog_id))
    sizes = [title for _, title in group.sizes] if group else [""]
    now = datetime.now(UTC)
    items = []
    for n in range(count):
        more = _draws(catalog_id, brand_id, status_id, n)
        price = round(base * (0.7 + 0.6 * more[0] / 255) * 2) / 2
        items.append(Sold(price, sizes[more[1] % len(sizes)], now - timedelta(days=more[2] % 85)))
    return items


class MarketApi(Sessions):
    """GET similar_sold_items and POST item_price_suggestions."""

    async def _api_similar_sold(self, request: web.Request) -> web.StreamResponse:
        account = self._api_session(request)
        if account is None:
            return unauthorized()
        if self.switches.market_moved:
            return json_response({"code": 404, "message": "Not found"}, 404)
        query = request.query
        try:
            catalog_id, status_id = int(query["catalog_id"]), int(query["status_id"])
            brand_id = int(query["brand_id"]) if query.get("brand_id") else None
        except (KeyError, ValueError):
            return json_response({"code": 99, "message": "Invalid parameters"}, 400)
        site = self.site
        items = sold_for(site, catalog_id, brand_id, status_id)
        return json_response(
            {
                "items": [
                    {
                        "title": f"Article {n}",
                        "price": {"amount": f"{s.price:.1f}", "currency_code": site.currency},
                        "size_title": s.size,
                        "brand": {"id": brand_id, "title": ""},
                        "sold_at": s.sold_at.isoformat(),
                    }
                    for n, s in enumerate(items[:20])
                ],
                "pagination": {"current_page": 1, "total_entries": len(items), "per_page": 20},
            }
        )

    async def _api_price_suggestion(self, request: web.Request) -> web.StreamResponse:
        checked = await self._api_write_checks(request)
        if isinstance(checked, web.Response):
            return checked
        if self.switches.market_moved:
            return json_response({"code": 404, "message": "Not found"}, 404)
        body: dict[str, Any] = {}
        with contextlib.suppress(ValueError, json.JSONDecodeError):
            body = await request.json()
        fields = body.get("item", body) if isinstance(body, dict) else {}
        try:
            catalog_id, status_id = int(fields["catalog_id"]), int(fields["status_id"])
            brand_id = int(fields["brand_id"]) if fields.get("brand_id") else None
        except (KeyError, TypeError, ValueError):
            return json_response({"code": 99, "message": "Invalid parameters"}, 400)
        prices = sorted(s.price for s in sold_for(self.site, catalog_id, brand_id, status_id))
        if len(prices) < 3:
            return json_response({"price_suggestion": None, "similar_sold_items_present": False})
        quartiles = statistics.quantiles(prices, n=4)
        low, high = quartiles[0], quartiles[2]
        price = statistics.median(prices)
        return json_response(
            {
                "price_suggestion": {
                    "minimum": f"{low:.2f}",
                    "maximum": f"{high:.2f}",
                    "price": f"{price:.2f}",
                    "midpoint": f"{(low + high) / 2:.2f}",
                    "currency_code": self.site.currency,
                },
                "similar_sold_items_present": True,
            }
        )
