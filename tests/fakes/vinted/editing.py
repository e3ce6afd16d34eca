"""Changing listings after the fact: edit an item, delete it, delete a Vinted draft.

PUT /api/v2/item_upload/items/{id} (the create call's body), POST /api/v2/items/{id}/delete and
DELETE /api/v2/item_upload/drafts/{id}, with the same headers as every write. Another member's
listing, or one already gone, answers 404 as an unknown id does.
"""

from __future__ import annotations

import dataclasses
import time

from aiohttp import web

from tests.fakes.vinted.listings import Listings
from tests.fakes.vinted.responses import json_response, lower_headers, validation_failed


def _not_found() -> web.Response:
    return json_response({"code": 104, "message": "Not found"}, status=404)


class Editing(Listings):
    """Edits and deletions of the member's own items and drafts."""

    async def _api_edit_item(self, request: web.Request) -> web.StreamResponse:
        account = await self._api_write_checks(request)
        if isinstance(account, web.Response):
            return account
        item = self.item(int(request.match_info["item_id"]))
        if item is None or item.user_id != account.user_id or not item.is_live:
            return _not_found()
        body = await self._read_item(request)
        if isinstance(body, web.Response):
            return body
        errors = self._validate(body["item"], account.user_id)
        photos = self._assigned_photos(body["item"], account.user_id)
        if not errors and self._is_duplicate(account.user_id, body["item"], photos, item.id):
            errors.append(
                {"field": "title", "value": "Tu as déjà mis en vente un article identique."}
            )
        if errors:
            return validation_failed(errors)
        with self._lock:
            at = self._state.items.index(item)
            edited = dataclasses.replace(
                item,
                body=body,
                photos=tuple(photos),
                headers=lower_headers(request),
                cookies=dict(request.cookies),
                edited_at=time.time(),
                site=self.switches.site,
            )
            self._state.items[at] = edited
        return json_response({"item": self._item_json(edited, request), "code": 0})

    async def _api_delete_item(self, request: web.Request) -> web.StreamResponse:
        account = await self._api_write_checks(request)
        if isinstance(account, web.Response):
            return account
        item = self.item(int(request.match_info["item_id"]))
        if item is None or item.user_id != account.user_id or not item.is_live:
            return _not_found()
        with self._lock:
            at = self._state.items.index(item)
            self._state.items[at] = dataclasses.replace(item, deleted_at=time.time())
        return json_response({"code": 0})

    async def _api_delete_draft(self, request: web.Request) -> web.StreamResponse:
        account = await self._api_write_checks(request)
        if isinstance(account, web.Response):
            return account
        draft = self._draft_of(int(request.match_info["draft_id"]), account.user_id)
        if draft is None:
            return _not_found()
        with self._lock:
            at = self._state.drafts.index(draft)
            self._state.drafts[at] = dataclasses.replace(draft, deleted_at=time.time())
        return json_response({"code": 0})
