"""The seller's listings as shown: an item's JSON, the item pages, the wardrobe page and API.

GET /api/v2/wardrobe/{user_id}/items?page=N&per_page=M pages through the member's live items,
newest first; with the owner's session the open Vinted drafts are among them (is_draft true).
"""

from __future__ import annotations

import math
from typing import Any

from aiohttp import web

from tests.fakes.vinted import pages
from tests.fakes.vinted.records import SavedDraft, Submission
from tests.fakes.vinted.responses import html_response, json_response, redirect
from tests.fakes.vinted.session import Sessions
from tests.fakes.vinted.sites import site

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 96


def _positive(raw: str | None, default: int) -> int:
    return int(raw) if raw and raw.isdigit() and int(raw) > 0 else default


class Wardrobe(Sessions):
    """/items/{id}, /member/{id} and /api/v2/wardrobe/{id}/items, /api/v2/items/{id}."""

    def _item_json(self, item: Submission, request: web.Request) -> dict[str, Any]:
        """Return an item (or a draft) as the API and the pages show it, in its site's words."""
        base = f"{request.scheme}://{request.host}"
        where = site(item.site)
        with self._lock:
            login = self._state.accounts[item.user_id].login
        group = where.size_group(where.catalog.by_id(item.catalog_id))
        size_title = dict(group.sizes).get(item.size_id or 0, "") if group else ""
        colors = where.words.colors
        conditions = {i: t for i, t, _ in where.words.conditions}
        url = f"{base}/items/{item.id}/edit" if item.is_draft else base + item.path
        return {
            "id": item.id,
            "title": item.title,
            "description": item.description,
            "price": {"amount": f"{item.price or 0:.2f}", "currency_code": where.currency},
            "price_text": where.money(item.price),
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
            "is_draft": item.is_draft,
            "path": item.path,
            "url": url,
            "photo_url": f"{base}/photos/{item.photos[0].id}/f800.jpg" if item.photos else "",
            "photos": [{"id": p.id, "url": f"{base}/photos/{p.id}/f800.jpg"} for p in item.photos],
            "user": {"id": item.user_id, "login": login},
        }

    def _wardrobe_of(self, user_id: int, viewer_id: int | None) -> list[Submission]:
        """Return the member's live items, and their open drafts for the owner, newest first."""
        shown: list[Submission] = list(self._items_of(user_id))
        if viewer_id == user_id:
            shown += self._open_drafts_of(user_id)
        return sorted(shown, key=lambda s: (s.created_at, s.id), reverse=True)

    async def _item_redirect(self, request: web.Request) -> web.StreamResponse:
        item = self.item(int(request.match_info["item_id"]))
        if item is None or not item.is_live:
            account, _ = self._page_session(request)
            return html_response(pages.not_found(self._login(account), self.site), status=404)
        return redirect(item.path, status=301)

    async def _item_page(self, request: web.Request) -> web.StreamResponse:
        account, early = self._page_session(request)
        if early:
            return early
        item = self.item(int(request.match_info["item_id"]))
        if item is None or not item.is_live:
            return html_response(pages.not_found(self._login(account), self.site), status=404)
        data = self._item_json(item, request)
        return html_response(pages.item(data, self._login(account), self.site))

    async def _wardrobe_page(self, request: web.Request) -> web.StreamResponse:
        viewer, early = self._page_session(request)
        if early:
            return early
        user_id = int(request.match_info["user_id"])
        with self._lock:
            owner = self._state.accounts.get(user_id)
        if owner is None:
            return html_response(pages.not_found(self._login(viewer), self.site), status=404)
        shown = [self._item_json(i, request) for i in self._items_of(user_id)]
        drafts = None
        if viewer is not None and viewer.user_id == user_id:
            drafts = [self._item_json(d, request) for d in self._open_drafts_of(user_id)]
        html = pages.wardrobe(owner.login, shown, drafts, self._login(viewer), self.site)
        return html_response(html)

    async def _api_wardrobe(self, request: web.Request) -> web.StreamResponse:
        user_id = int(request.match_info["user_id"])
        with self._lock:
            known = user_id in self._state.accounts
        if not known:
            return json_response({"code": 104, "message": "Not found"}, status=404)
        viewer = self._api_session(request)
        shown = self._wardrobe_of(user_id, viewer.user_id if viewer else None)
        page = _positive(request.query.get("page"), 1)
        per_page = min(_positive(request.query.get("per_page"), DEFAULT_PER_PAGE), MAX_PER_PAGE)
        chunk = shown[(page - 1) * per_page : page * per_page]
        return json_response(
            {
                "items": [self._item_json(i, request) for i in chunk],
                "pagination": {
                    "current_page": page,
                    "total_pages": math.ceil(len(shown) / per_page),
                    "total_entries": len(shown),
                    "per_page": per_page,
                },
                "code": 0,
            }
        )

    async def _api_item(self, request: web.Request) -> web.StreamResponse:
        item = self.item(int(request.match_info["item_id"]))
        if item is None or not item.is_live:
            return json_response({"code": 104, "message": "Not found"}, status=404)
        return json_response({"item": self._item_json(item, request), "code": 0})

    def _draft_of(self, draft_id: int, user_id: int) -> SavedDraft | None:
        """Return the member's open draft with this id, or None."""
        draft = self.draft(draft_id)
        return draft if draft is not None and draft.user_id == user_id and draft.is_open else None
