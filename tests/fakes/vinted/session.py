"""Members and their sessions: cookies, Vinted-shaped JWTs, refresh and rotation, who is signed in.

A page load with an expired access token is sent through /session-refresh, which rotates the
tokens (the refresh token is single use) or spins for ever on a stale one; API calls answer 401.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
import uuid
from typing import TYPE_CHECKING
from urllib.parse import quote

from aiohttp import web

from tests.fakes.vinted import pages
from tests.fakes.vinted.responses import (
    access_denied,
    html_response,
    json_response,
    redirect,
    unauthorized,
)
from tests.fakes.vinted.state import Account, ReplicaState

if TYPE_CHECKING:
    from playwright._impl._api_structures import SetCookieParam


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _jwt(user_id: int, purpose: str, lifetime: int) -> str:
    """Return a token shaped like Vinted's JWTs (not signed: the replica only compares them)."""
    now = int(time.time())
    header = {"typ": "JWT", "alg": "PS256"}
    payload = {
        "account_id": user_id,
        "app_id": 4,
        "aud": "fr.core.api",
        "client_id": "web",
        "exp": now + lifetime,
        "iat": now,
        "iss": "vinted-iam-service",
        "purpose": purpose,
        "scope": "user",
        "sid": str(uuid.uuid4()),
        "sub": str(user_id),
    }
    parts = [json.dumps(header).encode(), json.dumps(payload).encode(), secrets.token_bytes(32)]
    return ".".join(_b64(p) for p in parts)


def browser_cookies(cookies: dict[str, str], base_url: str) -> list[SetCookieParam]:
    """Return cookies in the shape Playwright's BrowserContext.add_cookies takes."""
    return [{"name": k, "value": v, "url": base_url} for k, v in cookies.items()]


class Sessions(ReplicaState):
    """Members, their tokens and CSRF token; which member a page load or an API call is."""

    # ------------------------------------------------------------------ set-up
    def add_account(
        self, *, user_id: int, login: str, cookies: dict[str, str] | None = None
    ) -> dict[str, str]:
        """Register a member and return the cookies a browser signed in as them would hold."""
        given = dict(cookies or {})
        access = given.get("access_token_web") or _jwt(user_id, "access", 7200)
        refresh = given.get("refresh_token_web") or _jwt(user_id, "refresh", 7 * 86400)
        jar = {
            "access_token_web": access,
            "refresh_token_web": refresh,
            "anon_id": str(uuid.uuid4()),
            "v_udt": _b64(secrets.token_bytes(24)),
            "v_uid": str(user_id),
            "v_sid": secrets.token_hex(16),
            "datadome": _b64(secrets.token_bytes(48)),
            "cf_clearance": _b64(secrets.token_bytes(40)),
            "__cf_bm": _b64(secrets.token_bytes(30)),
            "anonymous-locale": "fr",
        }
        jar.update(given)
        account = Account(
            user_id=user_id,
            login=login,
            csrf_token=str(uuid.uuid4()),
            access_token=access,
            refresh_token=refresh,
            cookies=jar,
        )
        with self._lock:
            self._state.accounts[user_id] = account
            self._state.access_owner[access] = user_id
            self._state.refresh_owner[refresh] = user_id
        return dict(jar)

    def account_cookies(self, user_id: int) -> dict[str, str]:
        """Return the member's cookies as they stand now, rotated tokens included."""
        with self._lock:
            account = self._state.accounts[user_id]
            return {
                **account.cookies,
                "access_token_web": account.access_token,
                "refresh_token_web": account.refresh_token,
            }

    def csrf_token(self, user_id: int) -> str:
        with self._lock:
            return self._state.accounts[user_id].csrf_token

    def expire_access_token(self, user_id: int) -> None:
        """Make the member's access token expire: the next page load refreshes the session."""
        with self._lock:
            self._state.accounts[user_id].access_expired = True

    def revoke_refresh_token(self, user_id: int) -> None:
        """Expire the session for good: the browser's refresh token becomes stale."""
        with self._lock:
            account = self._state.accounts[user_id]
            account.access_expired = True
            account.refresh_token = _jwt(user_id, "refresh", 7 * 86400)
            self._state.refresh_owner[account.refresh_token] = user_id

    # ------------------------------------------------------------------ who is asking
    def _token_account(self, request: web.Request) -> tuple[Account | None, bool]:
        """Return the member the access cookie belongs to, and whether that token is valid."""
        token = request.cookies.get("access_token_web", "")
        with self._lock:
            user_id = self._state.access_owner.get(token)
            if user_id is None:
                refresh = request.cookies.get("refresh_token_web", "")
                user_id = self._state.refresh_owner.get(refresh)
                if user_id is None:
                    return None, False
                return self._state.accounts[user_id], False
            account = self._state.accounts[user_id]
            return account, token == account.access_token and not account.access_expired

    def _page_session(self, request: web.Request) -> tuple[Account | None, web.Response | None]:
        """Resolve the member of a page load, or the redirect the page load must take."""
        if self.switches.logged_out:
            return None, None
        account, valid = self._token_account(request)
        if account is None:
            return None, None
        if not valid:
            return None, redirect(f"/session-refresh?ref_url={quote(request.path_qs, safe='')}")
        if self.switches.verification:
            return account, redirect("/users/verification")
        return account, None

    def _api_session(self, request: web.Request) -> Account | None:
        if self.switches.logged_out:
            return None
        account, valid = self._token_account(request)
        return account if valid else None

    def _csrf_ok(self, request: web.Request, account: Account) -> bool:
        return request.headers.get("x-csrf-token") == account.csrf_token

    async def _api_write_checks(self, request: web.Request) -> Account | web.Response:
        account = self._api_session(request)
        if account is None:
            return unauthorized()
        if not self._csrf_ok(request, account):
            return access_denied()
        return account

    def _login(self, account: Account | None) -> str | None:
        return account.login if account else None

    # ------------------------------------------------------------------ refresh
    def _rotate(self, account: Account, response: web.StreamResponse) -> None:
        """Issue new tokens; the old refresh token stops working (single use)."""
        with self._lock:
            old_refresh = account.refresh_token
            self._state.refresh_owner.pop(old_refresh, None)
            account.access_token = _jwt(account.user_id, "access", 7200)
            account.refresh_token = _jwt(account.user_id, "refresh", 7 * 86400)
            account.access_expired = False
            self._state.access_owner[account.access_token] = account.user_id
            self._state.refresh_owner[account.refresh_token] = account.user_id
            self._state.rotations.append((account.user_id, old_refresh, account.refresh_token))
            access, refresh = account.access_token, account.refresh_token
        response.set_cookie(
            "access_token_web", access, path="/", httponly=True, samesite="Lax", max_age=7200
        )
        response.set_cookie(
            "refresh_token_web",
            refresh,
            path="/",
            httponly=True,
            samesite="Lax",
            max_age=7 * 86400,
        )

    async def _session_refresh(self, request: web.Request) -> web.StreamResponse:
        ref_url = request.query.get("ref_url", "/")
        if not ref_url.startswith("/") or ref_url.startswith("//"):
            ref_url = "/"
        refresh = request.cookies.get("refresh_token_web", "")
        with self._lock:
            user_id = self._state.refresh_owner.get(refresh)
            account = self._state.accounts.get(user_id) if user_id is not None else None
            fresh = account is not None and account.refresh_token == refresh
        if account is None or not fresh:
            # A stale refresh token: the real page spins for ever.
            return html_response(pages.session_refresh(self.site))
        response = redirect(ref_url)
        self._rotate(account, response)
        return response

    async def _api_current_user(self, request: web.Request) -> web.StreamResponse:
        account = self._api_session(request)
        if account is None:
            return unauthorized()
        return json_response(
            {
                "user": {
                    "id": account.user_id,
                    "login": account.login,
                    "anon_id": account.cookies.get("anon_id"),
                    "locale": self.site.lang,
                    "country_code": self.site.country_code,
                    "currency": self.site.currency,
                    "is_account_banned": False,
                    "item_count": len(self._items_of(account.user_id)),
                    "photo": {"url": "/static/avatar.svg"},
                },
                "code": 0,
            }
        )
