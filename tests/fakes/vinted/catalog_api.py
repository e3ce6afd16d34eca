"""The pickers' read API: catalogs and suggestions, brands, sizes, conditions, colours, materials.

Each call takes Switches.picker_delay, so the page's loaders show as on Vinted.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from aiohttp import web

from tests.fakes.vinted.data import (
    COLORS,
    CONDITIONS,
    MATERIALS,
    CatalogNode,
    catalog_by_path,
    catalog_tree,
    catalogs_by_id,
    fold,
    search_brands,
    size_group,
)
from tests.fakes.vinted.responses import json_response, unauthorized
from tests.fakes.vinted.session import Sessions
from tests.fakes.vinted.state import Account


class CatalogApi(Sessions):
    """GET /api/v2/item_upload/{catalogs, catalog_suggestions, brands, size_groups, ...}."""

    async def _api_read(self, request: web.Request) -> Account | web.Response:
        """Check the session of a picker call, after the small delay that shows its loader."""
        account = self._api_session(request)
        if account is None:
            return unauthorized()
        await asyncio.sleep(self.switches.picker_delay)
        return account

    def _leaf(self, request: web.Request, name: str) -> CatalogNode | None:
        raw = request.query.get(name, "").split(",")[0]
        node = catalogs_by_id().get(int(raw)) if raw.isdigit() else None
        return node if node is not None and node.is_leaf else None

    async def _api_catalogs(self, request: web.Request) -> web.StreamResponse:
        checked = await self._api_read(request)
        if isinstance(checked, web.Response):
            return checked
        return json_response({"catalogs": [root.to_json() for root in catalog_tree()], "code": 0})

    async def _api_catalog_suggestions(self, request: web.Request) -> web.StreamResponse:
        checked = await self._api_read(request)
        if isinstance(checked, web.Response):
            return checked
        suggested: list[dict[str, Any]] = []
        node = catalog_by_path(list(self.switches.recognition_path))
        if self.switches.photo_recognition and node is not None and node.is_leaf:
            suggested.append({"id": node.id, "title": node.title, "path": node.path()})
        return json_response({"catalogs": suggested, "code": 0})

    async def _api_brands(self, request: web.Request) -> web.StreamResponse:
        checked = await self._api_read(request)
        if isinstance(checked, web.Response):
            return checked
        brands = search_brands(request.query.get("keyword", ""))[:30]
        return json_response(
            {
                "brands": [
                    {
                        "id": brand_id,
                        "title": title,
                        "slug": re.sub(r"[^a-z0-9]+", "-", fold(title)).strip("-"),
                        "item_count": 1000 + (brand_id * 7919) % 90000,
                        "is_luxury": False,
                    }
                    for brand_id, title in brands
                ],
                "code": 0,
            }
        )

    async def _api_size_groups(self, request: web.Request) -> web.StreamResponse:
        checked = await self._api_read(request)
        if isinstance(checked, web.Response):
            return checked
        node = self._leaf(request, "catalog_ids")
        groups = []
        if node is not None and node.size_group_id is not None:
            group = size_group(node.size_group_id)
            groups.append(
                {
                    "id": group.id,
                    "caption": group.caption,
                    "sizes": [{"id": i, "title": t} for i, t in group.sizes],
                }
            )
        return json_response({"size_groups": groups, "code": 0})

    async def _api_conditions(self, request: web.Request) -> web.StreamResponse:
        checked = await self._api_read(request)
        if isinstance(checked, web.Response):
            return checked
        return json_response(
            {
                "conditions": [{"id": i, "title": t, "explanation": e} for i, t, e in CONDITIONS],
                "code": 0,
            }
        )

    async def _api_colors(self, request: web.Request) -> web.StreamResponse:
        checked = await self._api_read(request)
        if isinstance(checked, web.Response):
            return checked
        return json_response(
            {
                "colors": [
                    {"id": i, "title": t, "hex": h, "code": fold(t).upper()} for i, t, h in COLORS
                ],
                "code": 0,
            }
        )

    async def _api_materials(self, request: web.Request) -> web.StreamResponse:
        checked = await self._api_read(request)
        if isinstance(checked, web.Response):
            return checked
        return json_response(
            {"materials": [{"id": i, "title": t} for i, t in MATERIALS], "code": 0}
        )
