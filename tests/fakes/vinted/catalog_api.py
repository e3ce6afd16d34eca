"""The pickers' read API: catalogs and suggestions, brands, sizes, conditions, colours, materials.

Everything is the active site's (Switches.site). Each call takes Switches.picker_delay, so the
page's loaders show as on Vinted.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from aiohttp import web

from tests.fakes.vinted.catalog import CatalogNode
from tests.fakes.vinted.data import COLOR_HEX, fold
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
        return self.site.catalog.leaf(int(raw)) if raw.isdigit() else None

    async def _api_catalogs(self, request: web.Request) -> web.StreamResponse:
        checked = await self._api_read(request)
        if isinstance(checked, web.Response):
            return checked
        return json_response({"catalogs": self.site.catalog_json(), "code": 0})

    async def _api_catalog_suggestions(self, request: web.Request) -> web.StreamResponse:
        """Answer what photo recognition sees in the photos: nothing unless switched on."""
        checked = await self._api_read(request)
        if isinstance(checked, web.Response):
            return checked
        switches, site = self.switches, self.site
        suggested: list[dict[str, Any]] = []
        if switches.photo_recognition:
            paths = list(site.recognition)
            if switches.recognition_path:
                paths.insert(0, switches.recognition_path)
            for path in paths:
                node = site.catalog.by_path(path)
                if node is not None and node.is_leaf:
                    suggested.append({"id": node.id, "title": node.title, "path": node.path()})
        return json_response({"catalogs": suggested, "code": 0})

    async def _api_brands(self, request: web.Request) -> web.StreamResponse:
        checked = await self._api_read(request)
        if isinstance(checked, web.Response):
            return checked
        brands = self.site.search_brands(request.query.get("keyword", ""))[:30]
        lower = self.switches.lowercase_brands
        return json_response(
            {
                "brands": [
                    {
                        "id": brand_id,
                        "title": title.lower() if lower else title,
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
        group = self.site.size_group(self._leaf(request, "catalog_ids"))
        groups = []
        if group is not None:
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
        conditions = self.site.words.conditions
        return json_response(
            {
                "conditions": [{"id": i, "title": t, "explanation": e} for i, t, e in conditions],
                "code": 0,
            }
        )

    async def _api_colors(self, request: web.Request) -> web.StreamResponse:
        checked = await self._api_read(request)
        if isinstance(checked, web.Response):
            return checked
        names = self.site.words.colors
        return json_response(
            {
                "colors": [
                    {"id": i, "title": names[i], "hex": h, "code": fold(names[i]).upper()}
                    for i, h in COLOR_HEX.items()
                ],
                "code": 0,
            }
        )

    async def _api_materials(self, request: web.Request) -> web.StreamResponse:
        checked = await self._api_read(request)
        if isinstance(checked, web.Response):
            return checked
        materials = self.site.words.materials
        return json_response(
            {"materials": [{"id": i, "title": t} for i, t in materials.items()], "code": 0}
        )
