"""Creating listings: the create call, Vinted drafts and their completion, answered as Vinted does.

POST /api/v2/item_upload/items, POST /api/v2/item_upload/drafts and
POST /api/v2/item_upload/drafts/{id}/completion; the failure switches of the create call
(rate_limited, critical_error_once, crash_after_create_once, field_error) act here.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any

from aiohttp import web

from tests.fakes.vinted.records import CreatedItem, SavedDraft
from tests.fakes.vinted.responses import json_response, lower_headers, validation_failed
from tests.fakes.vinted.state import Account
from tests.fakes.vinted.validation import Validation
from tests.fakes.vinted.wardrobe import Wardrobe


class Listings(Validation, Wardrobe):
    """The write API of the upload form: items and drafts, with new ids as Vinted hands them."""

    async def _read_item(self, request: web.Request) -> dict[str, Any] | web.Response:
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("item"), dict):
            return validation_failed([{"field": "item", "value": "Requête invalide."}])
        return body

    async def _api_create_item(self, request: web.Request) -> web.StreamResponse:
        account = await self._api_write_checks(request)
        if isinstance(account, web.Response):
            return account
        switches = self.switches
        if switches.rate_limited:
            return json_response(
                {"code": 429, "message": "Too many requests", "message_code": "rate_limited"},
                status=429,
                headers={"Retry-After": str(switches.retry_after)},
            )
        if switches.critical_error_once:
            self.set_switches(critical_error_once=False)
            return json_response({"code": 1, "message": "Internal server error"}, status=500)
        body = await self._read_item(request)
        if isinstance(body, web.Response):
            return body
        return self._publish(request, account, body, item_id=None)

    def _publish(
        self,
        request: web.Request,
        account: Account,
        body: dict[str, Any],
        item_id: int | None,
    ) -> web.Response:
        """Validate a listing body and record the item; answer as Vinted does."""
        item = body["item"]
        errors = self._validate(item, account.user_id)
        forced = self.switches.field_error
        if forced and not any(e["field"] == forced for e in errors):
            errors.insert(0, {"field": forced, "value": "Ce champ contient une erreur."})
        photos = self._assigned_photos(item, account.user_id)
        if (
            not errors
            and self.switches.reject_duplicates
            and self._is_duplicate(account.user_id, item, photos)
        ):
            errors.append(
                {"field": "title", "value": "Tu as déjà mis en vente un article identique."}
            )
        if errors:
            return validation_failed(errors)
        with self._lock:
            if item_id is None:
                item_id = self._new_item_id()
            created = CreatedItem(
                id=item_id,
                user_id=account.user_id,
                body=body,
                photos=tuple(photos),
                headers=lower_headers(request),
                cookies=dict(request.cookies),
                created_at=time.time(),
                site=self.switches.site,
            )
            self._state.items.append(created)
        if self.switches.crash_after_create_once:
            self.set_switches(crash_after_create_once=False)
            return json_response({"code": 1, "message": "Internal server error"}, status=500)
        return json_response(
            {"item": self._item_json(created, request), "code": 0, "after_upload_actions": []}
        )

    async def _api_save_draft(self, request: web.Request) -> web.StreamResponse:
        account = await self._api_write_checks(request)
        if isinstance(account, web.Response):
            return account
        body = await self._read_item(request)
        if isinstance(body, web.Response):
            return body
        with self._lock:
            draft = SavedDraft(
                id=self._new_item_id(),
                user_id=account.user_id,
                body=body,
                photos=tuple(self._assigned_photos(body["item"], account.user_id)),
                headers=lower_headers(request),
                cookies=dict(request.cookies),
                created_at=time.time(),
                site=self.switches.site,
            )
            self._state.drafts.append(draft)
        return json_response({"draft": self._item_json(draft, request), "code": 0})

    async def _api_complete_draft(self, request: web.Request) -> web.StreamResponse:
        account = await self._api_write_checks(request)
        if isinstance(account, web.Response):
            return account
        draft_id = int(request.match_info["draft_id"])
        with self._lock:
            draft = next((d for d in self._state.drafts if d.id == draft_id), None)
        if draft is None or draft.user_id != account.user_id or not draft.is_open:
            return json_response({"code": 104, "message": "Not found"}, status=404)
        body: dict[str, Any] = draft.body
        if request.body_exists:
            sent = await self._read_item(request)
            if isinstance(sent, web.Response):
                return sent
            body = sent
        how = self.switches.completion
        response = self._publish(
            request, account, body, item_id=draft.id if how == "same_id" else None
        )
        if response.status == 200:
            with self._lock:
                item_id = self._state.items[-1].id if how != "same_id" else draft.id
                at = self._state.drafts.index(draft)
                self._state.drafts[at] = dataclasses.replace(draft, completed_item_id=item_id)
            if how == "bare":
                return json_response({"code": 0})
        return response

    def _new_item_id(self) -> int:
        self._next_item_id += self._rng.randint(50, 5000)
        return self._next_item_id
