"""The seller's listings as shown: an item's JSON, the item pages, the wardrobe page and API."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tests.fakes.vinted import pages
from tests.fakes.vinted.data import COLORS, CONDITIONS, catalogs_by_id, size_group
from tests.fakes.vinted.records import Submission
from tests.fakes.vinted.responses import html_response, json_response, redirect
from tests.fakes.vinted.session import Sessions


def _price_text(price: float | None) -> str:
    return f"{price or 0:.2f}".replace(".", ",") + " €"


class Wardrobe(Sessions):
    """/items/{id}, /member/{id} and /api/v2/wardrobe/{id}/items, /api/v2/items/{id}."""

    def _item_json(self, item: Submission, request: web.Request) -> dict[str, Any]:
        """Return an item as the API and the pages show it."""
        base = f"{request.scheme}://{request.host}"
        with self._lock:
            login = self._state.accounts[item.user_id].login
        node = catalogs_by_id().get(item.catalog_id) if item.catalog_id else None
        size_title = ""
        if node is not None and node.size_group_id is not None:
            size_title = dict(size_group(node.size_group_id).sizes).get(item.size_id or 0, "")
        colors = {i: t for i, t, _ in COLORS}
        conditions = {i: t for i, t, _ in CONDITIONS}
        return {
            "id": item.id,
            "title": item.title,
            "description": item.description,
            "price": {"amount": f"{item.price or 0:.2f}", "currency_code": "EUR"},
            "price_text": _price_text(item.price),
            "brand_id": item.brand_id,
            "brand_title": item.brand or "",
            "catalog_id": item.catalog_id,
            "size_id": item.size_id,
            "size_title": size_title,
            "status_id": item.condition_id,
            "status": conditions.get(item.condition_id or 0, ""),
            "color_ids": item.color_ids,
            "color": ", ".join(colors.get(i, "") for i in item.color_ids),
            "material_ids": item.material_ids,
            "package_size_id": item.package_size_id,
            "is_draft": False,
            "path": item.path,
            "url": base + item.path,
            "photo_url": f"{base}/photos/{item.photos[0].id}/f800.jpg" if item.photos else "",
            "photos": [{"id": p.id, "url": f"{base}/photos/{p.id}/f800.jpg"} for p in item.photos],
            "user": {"id": item.user_id, "login": login},
        }

    async def _item_redirect(self, request: web.Request) -> web.StreamResponse:
        item = self.item(int(request.match_info["item_id"]))
        if item is None:
            account, _ = self._page_session(request)
            return html_response(pages.not_found(self._login(account)), status=404)
        return redirect(item.path, status=301)

    async def _item_page(self, request: web.Request) -> web.StreamResponse:
        account, early = self._page_session(request)
        if early:
            return early
        item = self.item(int(request.match_info["item_id"]))
        if item is None:
            return html_response(pages.not_found(self._login(account)), status=404)
        return html_response(pages.item(self._item_json(item, request), self._login(account)))

    async def _wardrobe_page(self, request: web.Request) -> web.StreamResponse:
        viewer, early = self._page_session(request)
        if early:
            return early
        user_id = int(request.match_info["user_id"])
        with self._lock:
            owner = self._state.accounts.get(user_id)
        if owner is None:
            return html_response(pages.not_found(self._login(viewer)), status=404)
        items = [self._item_json(i, request) for i in self._items_of(user_id)]
        drafts = None
        if viewer is not None and viewer.user_id == user_id:
            drafts = [
                {"id": d.id, "title": d.title}
                for d in reversed(self.drafts)
                if d.user_id == user_id and d.completed_item_id is None
            ]
        return html_response(pages.wardrobe(owner.login, items, drafts, self._login(viewer)))

    async def _api_wardrobe(self, request: web.Request) -> web.StreamResponse:
        user_id = int(request.match_info["user_id"])
        items = [self._item_json(i, request) for i in self._items_of(user_id)]
        return json_response(
            {
                "items": items,
                "pagination": {"current_page": 1, "total_pages": 1, "total_entries": len(items)},
                "code": 0,
            }
        )

    async def _api_item(self, request: web.Request) -> web.StreamResponse:
        item = self.item(int(request.match_info["item_id"]))
        if item is None:
            return json_response({"code": 104, "message": "Not found"}, status=404)
        return json_response({"item": self._item_json(item, request), "code": 0})
