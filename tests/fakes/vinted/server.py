"""A local replica of Vinted's upload page and the internal API it calls, for publisher tests."""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import dataclasses
import hashlib
import io
import json
import random
import re
import secrets
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from aiohttp import web

from tests.fakes.vinted import pages
from tests.fakes.vinted.data import (
    BRANDS,
    COLORS,
    CONDITIONS,
    MATERIALS,
    MAX_COLORS,
    MAX_MATERIALS,
    PACKAGE_SIZES,
    CatalogNode,
    catalog_by_path,
    catalog_tree,
    catalogs_by_id,
    fold,
    search_brands,
    size_group,
)

if TYPE_CHECKING:
    from playwright._impl._api_structures import SetCookieParam

STATIC_DIR = Path(__file__).resolve().parent / "static"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Switches:
    """Behaviours of the replica that tests turn on to model Vinted's failure modes."""

    logged_out: bool = False  # every session is ignored: pages show the login button, API 401
    datadome: bool = False  # pages serve DataDome's captcha, API calls answer 403
    rate_limited: bool = False  # the create call answers 429 with Retry-After
    rate_limited_pages: bool = False  # every page answers a 429 "too many requests" page
    retry_after: int = 120
    field_error: str | None = None  # e.g. "title": the create call rejects that field
    critical_error_once: bool = False  # the first create answers 500 (crash dialog), no item
    crash_after_create_once: bool = False  # the first create records the item, then 500
    slow_photos: float = 0.0  # seconds each photo takes to process
    strict_price: bool = False  # the price only follows trusted key presses, fill() leaves 0
    verification: bool = False  # signed-in page loads go to /users/verification
    photo_recognition: bool = False  # the first photo pre-fills a category, picker to root
    recognition_path: tuple[str, ...] = ("Femmes", "Vêtements", "Hauts et t-shirts", "T-shirts")
    upload_redirects_home: bool = False  # /items/new opened directly (no same-site Referer) -> /
    rotate_on_upload_page: bool = False  # each /items/new load rotates the session cookies
    reject_duplicates: bool = True  # a second identical live listing is refused
    picker_delay: float = 0.15  # seconds the picker lists take, so their loaders show
    renamed_testid: str | None = None  # the upload page ships this data-testid under a new name


VARIANTS: dict[str, dict[str, Any]] = {
    "logged_out": {"logged_out": True},
    "datadome": {"datadome": True},
    "rate_limited": {"rate_limited": True},
    "rate_limited_pages": {"rate_limited_pages": True},
    "field_error": {"field_error": "title"},
    "critical_error_once": {"critical_error_once": True},
    "crash_after_create_once": {"crash_after_create_once": True},
    "slow_photos": {"slow_photos": 2.0},
    "strict_price": {"strict_price": True},
    "verification": {"verification": True},
    "photo_recognition": {"photo_recognition": True},
    "upload_redirects_home": {"upload_redirects_home": True},
    "rotate_cookies": {"rotate_on_upload_page": True},
    "broken_selector": {"renamed_testid": "title--input"},
}


@dataclass(frozen=True)
class RecordedRequest:
    """One request the replica answered (header names in lower case)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    cookies: dict[str, str]
    status: int
    json: Any = None  # the parsed body of a JSON request


@dataclass(frozen=True)
class UploadedPhoto:
    id: int
    user_id: int
    temp_uuid: str
    photo_type: str
    filename: str
    content_type: str
    data: bytes
    headers: dict[str, str]
    cookies: dict[str, str]


@dataclass(frozen=True)
class Submission:
    """A form the page sent: its full JSON body, photos in their order, headers and cookies."""

    id: int
    user_id: int
    body: dict[str, Any]
    photos: tuple[UploadedPhoto, ...]
    headers: dict[str, str]
    cookies: dict[str, str]
    created_at: float

    @property
    def item(self) -> dict[str, Any]:
        item = self.body.get("item")
        return item if isinstance(item, dict) else {}

    @property
    def title(self) -> str:
        return str(self.item.get("title") or "")

    @property
    def description(self) -> str:
        return str(self.item.get("description") or "")

    @property
    def price(self) -> float | None:
        price = self.item.get("price")
        return float(price) if isinstance(price, int | float) else None

    @property
    def catalog_id(self) -> int | None:
        return self.item.get("catalog_id")

    @property
    def brand_id(self) -> int | None:
        return self.item.get("brand_id")

    @property
    def brand(self) -> str | None:
        return self.item.get("brand")

    @property
    def package_size_id(self) -> int | None:
        return self.item.get("package_size_id")

    @property
    def color_ids(self) -> list[int]:
        return list(self.item.get("color_ids") or [])

    @property
    def push_up(self) -> bool:
        return bool(self.body.get("push_up"))

    def attribute(self, code: str) -> list[int]:
        """Return the ids of one item attribute ("condition", "size", "material")."""
        for attribute in self.item.get("item_attributes") or []:
            if isinstance(attribute, dict) and attribute.get("code") == code:
                return list(attribute.get("ids") or [])
        return []

    @property
    def condition_id(self) -> int | None:
        ids = self.attribute("condition")
        return ids[0] if ids else None

    @property
    def size_id(self) -> int | None:
        ids = self.attribute("size")
        return ids[0] if ids else None

    @property
    def material_ids(self) -> list[int]:
        return self.attribute("material")

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", fold(self.title)).strip("-") or "item"

    @property
    def path(self) -> str:
        return f"/items/{self.id}-{self.slug}"


@dataclass(frozen=True)
class CreatedItem(Submission):
    """A listing published through POST /api/v2/item_upload/items (or a draft's completion)."""


@dataclass(frozen=True)
class SavedDraft(Submission):
    """A Vinted draft saved through POST /api/v2/item_upload/drafts."""

    completed_item_id: int | None = None


@dataclass
class _Account:
    user_id: int
    login: str
    csrf_token: str
    access_token: str
    refresh_token: str
    cookies: dict[str, str]
    access_expired: bool = False


@dataclass
class _State:
    accounts: dict[int, _Account] = field(default_factory=dict)
    access_owner: dict[str, int] = field(default_factory=dict)  # every access token ever issued
    refresh_owner: dict[str, int] = field(default_factory=dict)
    photos: dict[int, UploadedPhoto] = field(default_factory=dict)
    items: list[CreatedItem] = field(default_factory=list)
    drafts: list[SavedDraft] = field(default_factory=list)
    requests: list[RecordedRequest] = field(default_factory=list)
    rotations: list[tuple[int, str, str]] = field(default_factory=list)  # user, old, new refresh


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


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response(data, status=status, headers=headers)


def _html(text: str, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", headers=headers)


def _redirect(location: str, status: int = 302) -> web.Response:
    return web.Response(status=status, headers={"Location": location})


def _unauthorized() -> web.Response:
    return _json(
        {"code": 100, "message": "Unauthorized", "message_code": "invalid_authentication_token"},
        status=401,
    )


def _access_denied() -> web.Response:
    return _json({"code": 106, "message": "Access denied", "message_code": "access_denied"}, 403)


def _validation_failed(errors: list[dict[str, str]]) -> web.Response:
    return _json(
        {
            "code": 99,
            "message": "Des informations sont manquantes ou incorrectes",
            "message_code": "validation_error",
            "errors": errors,
            "payload": {},
        },
        status=400,
    )


def _headers(request: web.Request) -> dict[str, str]:
    """Return the request's headers with lower-case names, for plain dict lookups."""
    return {name.lower(): value for name, value in request.headers.items()}


def _price_text(price: float | None) -> str:
    return f"{price or 0:.2f}".replace(".", ",") + " €"


def browser_cookies(cookies: dict[str, str], base_url: str) -> list[SetCookieParam]:
    """Return cookies in the shape Playwright's BrowserContext.add_cookies takes."""
    return [{"name": k, "value": v, "url": base_url} for k, v in cookies.items()]


class FakeVinted:
    """The replica: aiohttp on 127.0.0.1, one instance per test, everything recorded."""

    def __init__(
        self,
        *,
        variant: str | Iterable[str] | None = None,
        switches: Switches | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: int = 0,
    ) -> None:
        self._switches = switches or Switches()
        names = [variant] if isinstance(variant, str) else list(variant or [])
        for name in names:
            self._switches = dataclasses.replace(self._switches, **VARIANTS[name])
        self._host = host
        self._port = port
        self._lock = threading.RLock()
        self._state = _State()
        self._rng = random.Random(seed)
        self._next_item_id = 9_691_226_139
        self._next_photo_id = 33_379_149_812
        self._runner: web.AppRunner | None = None
        self._base_url: str | None = None

    # ------------------------------------------------------------------ lifecycle
    async def __aenter__(self) -> FakeVinted:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self) -> str:
        """Start serving and return the base URL."""
        app = web.Application(middlewares=[self._middleware], client_max_size=50 * 1024**2)
        self._routes(app)
        # A short shutdown timeout: a slow photo still in flight must not hold up a test.
        self._runner = web.AppRunner(app, shutdown_timeout=1.0, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        server = site._server
        assert server is not None
        port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        self._base_url = f"http://{self._host}:{port}"
        return self._base_url

    async def stop(self) -> None:
        """Stop serving."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        if self._base_url is None:
            raise RuntimeError("the replica is not started")
        return self._base_url

    def run_in_thread(self) -> ThreadedFakeVinted:
        """Serve from a background thread with its own event loop (for synchronous callers)."""
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="fake-vinted", daemon=True)
        thread.start()
        asyncio.run_coroutine_threadsafe(self.start(), loop).result(timeout=10)
        return ThreadedFakeVinted(self, loop, thread)

    # ------------------------------------------------------------------ set-up and switches
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
        account = _Account(
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

    @property
    def switches(self) -> Switches:
        with self._lock:
            return dataclasses.replace(self._switches)

    def set_switches(self, **changes: Any) -> None:
        """Change behaviours on the fly, e.g. set_switches(datadome=True)."""
        with self._lock:
            self._switches = dataclasses.replace(self._switches, **changes)

    def set_variant(self, name: str) -> None:
        self.set_switches(**VARIANTS[name])

    # ------------------------------------------------------------------ what was recorded
    @property
    def items(self) -> list[CreatedItem]:
        with self._lock:
            return list(self._state.items)

    @property
    def drafts(self) -> list[SavedDraft]:
        with self._lock:
            return list(self._state.drafts)

    @property
    def photos(self) -> list[UploadedPhoto]:
        with self._lock:
            return list(self._state.photos.values())

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._state.requests)

    @property
    def rotations(self) -> list[tuple[int, str, str]]:
        """Return (user_id, old refresh token, new refresh token) per session refresh."""
        with self._lock:
            return list(self._state.rotations)

    def requests_to(self, path: str, method: str | None = None) -> list[RecordedRequest]:
        """Return the recorded requests whose path starts with path."""
        return [
            r
            for r in self.requests
            if r.path.startswith(path) and (method is None or r.method == method.upper())
        ]

    def item(self, item_id: int) -> CreatedItem | None:
        return next((i for i in self.items if i.id == item_id), None)

    def catalog_id(self, path: list[str]) -> int | None:
        """Return the id of the catalog at this title path, e.g. ["Femmes", "Vêtements"]."""
        node = catalog_by_path(path)
        return node.id if node else None

    # ------------------------------------------------------------------ plumbing
    def _routes(self, app: web.Application) -> None:
        get, post = app.router.add_get, app.router.add_post
        get("/", self._home)
        get("/member/signup/select_type", self._signup)
        get("/items/new", self._upload_page)
        get(r"/items/{item_id:\d+}", self._item_redirect)
        get(r"/items/{item_id:\d+}-{slug}", self._item_page)
        get(r"/member/{user_id:\d+}", self._wardrobe_page)
        get(r"/member/{user_id:\d+}-{login}", self._wardrobe_page)
        get("/session-refresh", self._session_refresh)
        get("/users/verification", self._verification)
        get("/users/verification/phone", self._verification)
        get("/captcha-delivery/captcha/", self._captcha_frame)
        get(r"/photos/{photo_id:\d+}/{variant}", self._photo_file)
        get("/static/{name}", self._static)
        get("/favicon.ico", self._favicon)
        get("/api/v2/users/current", self._api_current_user)
        get("/api/v2/item_upload/catalogs", self._api_catalogs)
        get("/api/v2/item_upload/catalog_suggestions", self._api_catalog_suggestions)
        get("/api/v2/item_upload/brands", self._api_brands)
        get("/api/v2/item_upload/size_groups", self._api_size_groups)
        get("/api/v2/item_upload/conditions", self._api_conditions)
        get("/api/v2/item_upload/colors", self._api_colors)
        get("/api/v2/item_upload/materials", self._api_materials)
        get(r"/api/v2/wardrobe/{user_id:\d+}/items", self._api_wardrobe)
        get(r"/api/v2/items/{item_id:\d+}", self._api_item)
        post("/api/v2/photos", self._api_photo)
        post("/api/v2/item_upload/items", self._api_create_item)
        post("/api/v2/item_upload/drafts", self._api_save_draft)
        post(r"/api/v2/item_upload/drafts/{draft_id:\d+}/completion", self._api_complete_draft)

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        status = 500
        try:
            response = self._gate(request) or await handler(request)
            status = response.status
            return response
        except web.HTTPException as exc:
            status = exc.status
            raise
        finally:
            body = None
            if request.content_type == "application/json" and request.body_exists:
                with contextlib.suppress(ValueError, UnicodeDecodeError):
                    body = json.loads(await request.text())
            record = RecordedRequest(
                method=request.method,
                path=request.path,
                query=dict(request.query),
                headers=_headers(request),
                cookies=dict(request.cookies),
                status=status,
                json=body,
            )
            with self._lock:
                self._state.requests.append(record)

    def _gate(self, request: web.Request) -> web.Response | None:
        """Answer for DataDome and page rate limits before any handler runs."""
        path = request.path
        if path.startswith(("/static/", "/captcha-delivery/", "/photos/", "/favicon")):
            return None
        switches = self.switches
        is_api = path.startswith("/api/")
        if switches.datadome:
            cid = secrets.token_hex(16)
            if is_api:
                url = (
                    f"https://geo.captcha-delivery.com/captcha/?initialCid={cid}&hash={cid[:8]}"
                    f"&cid={cid}&t=fe&referer={quote(str(request.url), safe='')}"
                )
                return _json({"url": url}, status=403, headers={"X-DataDome": "protected"})
            return _html(
                pages.captcha(cid, str(request.url)),
                status=403,
                headers={"X-DataDome": "protected"},
            )
        if switches.rate_limited_pages and not is_api:
            return _html(
                pages.too_many_requests(),
                status=429,
                headers={"Retry-After": str(switches.retry_after)},
            )
        return None

    def _token_account(self, request: web.Request) -> tuple[_Account | None, bool]:
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

    def _page_session(self, request: web.Request) -> tuple[_Account | None, web.Response | None]:
        """Resolve the member of a page load, or the redirect the page load must take."""
        if self.switches.logged_out:
            return None, None
        account, valid = self._token_account(request)
        if account is None:
            return None, None
        if not valid:
            return None, _redirect(f"/session-refresh?ref_url={quote(request.path_qs, safe='')}")
        if self.switches.verification:
            return account, _redirect("/users/verification")
        return account, None

    def _api_session(self, request: web.Request) -> _Account | None:
        if self.switches.logged_out:
            return None
        account, valid = self._token_account(request)
        return account if valid else None

    def _csrf_ok(self, request: web.Request, account: _Account) -> bool:
        return request.headers.get("x-csrf-token") == account.csrf_token

    def _rotate(self, account: _Account, response: web.StreamResponse) -> None:
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

    def _login(self, account: _Account | None) -> str | None:
        return account.login if account else None

    # ------------------------------------------------------------------ pages
    async def _home(self, request: web.Request) -> web.StreamResponse:
        account, early = self._page_session(request)
        return early or _html(pages.home(self._login(account)))

    async def _signup(self, request: web.Request) -> web.StreamResponse:
        return _html(pages.signup())

    async def _upload_page(self, request: web.Request) -> web.StreamResponse:
        account, early = self._page_session(request)
        if early:
            return early
        if account is None:
            return _redirect("/member/signup/select_type?ref_url=%2Fitems%2Fnew")
        switches = self.switches
        origin = f"{request.scheme}://{request.host}/"
        if switches.upload_redirects_home and not request.headers.get("Referer", "").startswith(
            origin
        ):
            return _redirect("/")
        config = {
            "CSRF_TOKEN": account.csrf_token,
            "USER_ID": account.user_id,
            "LOCALE": "fr-FR",
            "CURRENCY": "EUR",
            "MAX_COLORS": MAX_COLORS,
            "MAX_MATERIALS": MAX_MATERIALS,
            "FEATURES": {
                "strict_price": switches.strict_price,
                "photo_recognition": switches.photo_recognition,
            },
        }
        html = pages.upload(account.login, config)
        if switches.renamed_testid:
            # What a front-end release looks like from outside: one control, a new test id.
            old = switches.renamed_testid
            html = html.replace(f'data-testid="{old}"', f'data-testid="{old}-v2"')
        response = _html(html)
        if switches.rotate_on_upload_page:
            self._rotate(account, response)
        return response

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
            return _html(pages.session_refresh())
        response = _redirect(ref_url)
        self._rotate(account, response)
        return response

    async def _verification(self, request: web.Request) -> web.StreamResponse:
        account, _ = self._token_account(request)
        return _html(pages.verification(self._login(account)))

    async def _captcha_frame(self, request: web.Request) -> web.StreamResponse:
        return _html(pages.captcha_frame())

    async def _item_redirect(self, request: web.Request) -> web.StreamResponse:
        item = self.item(int(request.match_info["item_id"]))
        if item is None:
            account, _ = self._page_session(request)
            return _html(pages.not_found(self._login(account)), status=404)
        return _redirect(item.path, status=301)

    async def _item_page(self, request: web.Request) -> web.StreamResponse:
        account, early = self._page_session(request)
        if early:
            return early
        item = self.item(int(request.match_info["item_id"]))
        if item is None:
            return _html(pages.not_found(self._login(account)), status=404)
        return _html(pages.item(self._item_json(item, request), self._login(account)))

    async def _wardrobe_page(self, request: web.Request) -> web.StreamResponse:
        viewer, early = self._page_session(request)
        if early:
            return early
        user_id = int(request.match_info["user_id"])
        with self._lock:
            owner = self._state.accounts.get(user_id)
        if owner is None:
            return _html(pages.not_found(self._login(viewer)), status=404)
        items = [self._item_json(i, request) for i in self._items_of(user_id)]
        drafts = None
        if viewer is not None and viewer.user_id == user_id:
            drafts = [
                {"id": d.id, "title": d.title}
                for d in reversed(self.drafts)
                if d.user_id == user_id and d.completed_item_id is None
            ]
        return _html(pages.wardrobe(owner.login, items, drafts, self._login(viewer)))

    async def _photo_file(self, request: web.Request) -> web.StreamResponse:
        with self._lock:
            photo = self._state.photos.get(int(request.match_info["photo_id"]))
        if photo is None:
            raise web.HTTPNotFound()
        return web.Response(body=photo.data, content_type=photo.content_type)

    async def _favicon(self, request: web.Request) -> web.StreamResponse:
        return web.Response(status=204)

    async def _static(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        path = STATIC_DIR / name
        if "/" in name or not path.is_file():
            raise web.HTTPNotFound()
        types = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}
        return web.Response(
            body=path.read_bytes(), content_type=types.get(path.suffix, "application/octet-stream")
        )

    # ------------------------------------------------------------------ read API
    async def _api_current_user(self, request: web.Request) -> web.StreamResponse:
        account = self._api_session(request)
        if account is None:
            return _unauthorized()
        return _json(
            {
                "user": {
                    "id": account.user_id,
                    "login": account.login,
                    "anon_id": account.cookies.get("anon_id"),
                    "locale": "fr",
                    "country_code": "FR",
                    "currency": "EUR",
                    "is_account_banned": False,
                    "item_count": len(self._items_of(account.user_id)),
                    "photo": {"url": "/static/avatar.svg"},
                },
                "code": 0,
            }
        )

    async def _api_read(self, request: web.Request) -> _Account | web.Response:
        """Check the session of a picker call, after the small delay that shows its loader."""
        account = self._api_session(request)
        if account is None:
            return _unauthorized()
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
        return _json({"catalogs": [root.to_json() for root in catalog_tree()], "code": 0})

    async def _api_catalog_suggestions(self, request: web.Request) -> web.StreamResponse:
        checked = await self._api_read(request)
        if isinstance(checked, web.Response):
            return checked
        suggested: list[dict[str, Any]] = []
        node = catalog_by_path(list(self.switches.recognition_path))
        if self.switches.photo_recognition and node is not None and node.is_leaf:
            suggested.append({"id": node.id, "title": node.title, "path": node.path()})
        return _json({"catalogs": suggested, "code": 0})

    async def _api_brands(self, request: web.Request) -> web.StreamResponse:
        checked = await self._api_read(request)
        if isinstance(checked, web.Response):
            return checked
        brands = search_brands(request.query.get("keyword", ""))[:30]
        return _json(
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
        return _json({"size_groups": groups, "code": 0})

    async def _api_conditions(self, request: web.Request) -> web.StreamResponse:
        checked = await self._api_read(request)
        if isinstance(checked, web.Response):
            return checked
        return _json(
            {
                "conditions": [{"id": i, "title": t, "explanation": e} for i, t, e in CONDITIONS],
                "code": 0,
            }
        )

    async def _api_colors(self, request: web.Request) -> web.StreamResponse:
        checked = await self._api_read(request)
        if isinstance(checked, web.Response):
            return checked
        return _json(
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
        return _json({"materials": [{"id": i, "title": t} for i, t in MATERIALS], "code": 0})

    async def _api_wardrobe(self, request: web.Request) -> web.StreamResponse:
        user_id = int(request.match_info["user_id"])
        items = [self._item_json(i, request) for i in self._items_of(user_id)]
        return _json(
            {
                "items": items,
                "pagination": {"current_page": 1, "total_pages": 1, "total_entries": len(items)},
                "code": 0,
            }
        )

    async def _api_item(self, request: web.Request) -> web.StreamResponse:
        item = self.item(int(request.match_info["item_id"]))
        if item is None:
            return _json({"code": 104, "message": "Not found"}, status=404)
        return _json({"item": self._item_json(item, request), "code": 0})

    # ------------------------------------------------------------------ write API
    async def _api_write_checks(self, request: web.Request) -> _Account | web.Response:
        account = self._api_session(request)
        if account is None:
            return _unauthorized()
        if not self._csrf_ok(request, account):
            return _access_denied()
        return account

    async def _api_photo(self, request: web.Request) -> web.StreamResponse:
        account = await self._api_write_checks(request)
        if isinstance(account, web.Response):
            return account
        form = await request.post()
        upload = form.get("photo[file]")
        if not isinstance(upload, web.FileField):
            return _validation_failed([{"field": "photo[file]", "value": "Photo manquante."}])
        data = upload.file.read()
        if not data:
            return _validation_failed([{"field": "photo[file]", "value": "Photo vide."}])
        delay = self.switches.slow_photos
        if delay:
            await asyncio.sleep(delay)  # Vinted processes the photo before answering
        with self._lock:
            self._next_photo_id += self._rng.randint(3, 400)
            photo = UploadedPhoto(
                id=self._next_photo_id,
                user_id=account.user_id,
                temp_uuid=str(form.get("photo[temp_uuid]") or ""),
                photo_type=str(form.get("photo[type]") or ""),
                filename=upload.filename,
                content_type=upload.content_type or "application/octet-stream",
                data=data,
                headers=_headers(request),
                cookies=dict(request.cookies),
            )
            self._state.photos[photo.id] = photo
        width, height = _image_size(data)
        url = f"{request.scheme}://{request.host}/photos/{photo.id}/f800.jpg"
        return _json(
            {
                "id": photo.id,
                "temp_uuid": photo.temp_uuid,
                "url": url,
                "width": width,
                "height": height,
                "dominant_color": "#A3A3A3",
                "is_main": False,
                "orientation": 0,
                "thumbnails": [
                    {"type": kind, "url": url.replace("f800", kind)}
                    for kind in ("thumb70x100", "thumb150x210", "thumb310x430")
                ],
            }
        )

    async def _read_item(self, request: web.Request) -> dict[str, Any] | web.Response:
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("item"), dict):
            return _validation_failed([{"field": "item", "value": "Requête invalide."}])
        return body

    async def _api_create_item(self, request: web.Request) -> web.StreamResponse:
        account = await self._api_write_checks(request)
        if isinstance(account, web.Response):
            return account
        switches = self.switches
        if switches.rate_limited:
            return _json(
                {"code": 429, "message": "Too many requests", "message_code": "rate_limited"},
                status=429,
                headers={"Retry-After": str(switches.retry_after)},
            )
        if switches.critical_error_once:
            self.set_switches(critical_error_once=False)
            return _json({"code": 1, "message": "Internal server error"}, status=500)
        body = await self._read_item(request)
        if isinstance(body, web.Response):
            return body
        return self._publish(request, account, body, item_id=None)

    def _publish(
        self,
        request: web.Request,
        account: _Account,
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
            return _validation_failed(errors)
        with self._lock:
            if item_id is None:
                item_id = self._new_item_id()
            created = CreatedItem(
                id=item_id,
                user_id=account.user_id,
                body=body,
                photos=tuple(photos),
                headers=_headers(request),
                cookies=dict(request.cookies),
                created_at=time.time(),
            )
            self._state.items.append(created)
        if self.switches.crash_after_create_once:
            self.set_switches(crash_after_create_once=False)
            return _json({"code": 1, "message": "Internal server error"}, status=500)
        return _json(
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
                headers=_headers(request),
                cookies=dict(request.cookies),
                created_at=time.time(),
            )
            self._state.drafts.append(draft)
        data = self._item_json(draft, request)
        data["is_draft"] = True
        return _json({"draft": data, "code": 0})

    async def _api_complete_draft(self, request: web.Request) -> web.StreamResponse:
        account = await self._api_write_checks(request)
        if isinstance(account, web.Response):
            return account
        draft_id = int(request.match_info["draft_id"])
        with self._lock:
            draft = next((d for d in self._state.drafts if d.id == draft_id), None)
        if draft is None or draft.user_id != account.user_id or draft.completed_item_id:
            return _json({"code": 104, "message": "Not found"}, status=404)
        body: dict[str, Any] = draft.body
        if request.body_exists:
            sent = await self._read_item(request)
            if isinstance(sent, web.Response):
                return sent
            body = sent
        response = self._publish(request, account, body, item_id=draft.id)
        if response.status == 200:
            with self._lock:
                at = self._state.drafts.index(draft)
                self._state.drafts[at] = dataclasses.replace(draft, completed_item_id=draft.id)
        return response

    # ------------------------------------------------------------------ helpers
    def _new_item_id(self) -> int:
        self._next_item_id += self._rng.randint(50, 5000)
        return self._next_item_id

    def _items_of(self, user_id: int) -> list[CreatedItem]:
        """Return the member's items, newest first."""
        return [i for i in reversed(self.items) if i.user_id == user_id]

    def _assigned_photos(self, item: dict[str, Any], user_id: int) -> list[UploadedPhoto]:
        found = []
        with self._lock:
            for entry in item.get("assigned_photos") or []:
                photo_id = entry.get("id") if isinstance(entry, dict) else None
                photo = self._state.photos.get(photo_id) if isinstance(photo_id, int) else None
                if photo is not None and photo.user_id == user_id:
                    found.append(photo)
        return found

    def _is_duplicate(
        self, user_id: int, item: dict[str, Any], photos: list[UploadedPhoto]
    ) -> bool:
        digests = [hashlib.sha1(p.data).hexdigest() for p in photos]
        for other in self._items_of(user_id):
            if (
                other.title.strip() == str(item.get("title") or "").strip()
                and other.description.strip() == str(item.get("description") or "").strip()
                and [hashlib.sha1(p.data).hexdigest() for p in other.photos] == digests
            ):
                return True
        return False

    def _validate(self, item: dict[str, Any], user_id: int) -> list[dict[str, str]]:
        """Return Vinted-style field errors for a listing body."""
        errors: list[dict[str, str]] = []

        def error(name: str, message: str) -> None:
            errors.append({"field": name, "value": message})

        title = item.get("title")
        if not isinstance(title, str) or len(title.strip()) < 5:
            error("title", "Le titre doit comporter au moins 5 caractères.")
        elif len(title) > 100:
            error("title", "Le titre ne peut pas dépasser 100 caractères.")
        description = item.get("description")
        if not isinstance(description, str) or len(description.strip()) < 5:
            error("description", "Décris ton article en quelques mots (5 caractères minimum).")
        photos = item.get("assigned_photos")
        if not isinstance(photos, list) or not photos:
            error("assigned_photos", "Ajoute au moins une photo.")
        elif len(self._assigned_photos(item, user_id)) != len(photos):
            error("assigned_photos", "Une photo est introuvable. Ajoute-la à nouveau.")
        catalog_id = item.get("catalog_id")
        node = catalogs_by_id().get(catalog_id) if isinstance(catalog_id, int) else None
        if node is None or not node.is_leaf:
            error("catalog_id", "Choisis une catégorie.")
        price = item.get("price")
        if isinstance(price, bool) or not isinstance(price, int | float):
            error("price", "Indique un prix.")
        elif not 0 <= price <= 100_000:
            error("price", "Le prix doit être compris entre 1 et 100 000 €.")
        if item.get("package_size_id") not in {n for n, _, _ in PACKAGE_SIZES}:
            error("package_size_id", "Choisis un format de colis.")
        submission = Submission(0, user_id, {"item": item}, (), {}, {}, 0.0)
        if submission.condition_id not in {i for i, _, _ in CONDITIONS}:
            error("condition", "Indique l'état de l'article.")
        if node is not None and node.is_leaf and node.size_group_id is not None:
            sizes = {i for i, _ in size_group(node.size_group_id).sizes}
            if submission.size_id not in sizes:
                error("size", "Choisis une taille.")
        colors = item.get("color_ids") or []
        known_colors = {i for i, _, _ in COLORS}
        if (
            not isinstance(colors, list)
            or len(colors) > MAX_COLORS
            or not set(colors).issubset(known_colors)
        ):
            error("color_ids", "Choisis jusqu'à 2 couleurs.")
        materials = submission.material_ids
        if len(materials) > MAX_MATERIALS or not set(materials).issubset(
            {i for i, _ in MATERIALS}
        ):
            error("material", "Choisis jusqu'à 3 matières.")
        brand_id = item.get("brand_id")
        if brand_id is not None and brand_id not in {i for i, _ in BRANDS}:
            error("brand_id", "Marque inconnue.")
        return errors

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


def _image_size(data: bytes) -> tuple[int, int]:
    """Return an image's pixel size, or (0, 0) when Pillow cannot read it."""
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except Exception:  # noqa: BLE001 - any undecodable upload just has no known size
        return 0, 0


class ThreadedFakeVinted:
    """A replica served from a background thread; its accessors are safe from any thread."""

    def __init__(
        self, server: FakeVinted, loop: asyncio.AbstractEventLoop, thread: threading.Thread
    ) -> None:
        self.server = server
        self._loop = loop
        self._thread = thread

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def add_account(
        self, *, user_id: int, login: str, cookies: dict[str, str] | None = None
    ) -> dict[str, str]:
        return self.server.add_account(user_id=user_id, login=login, cookies=cookies)

    def set_switches(self, **changes: Any) -> None:
        self.server.set_switches(**changes)

    @property
    def items(self) -> list[CreatedItem]:
        return self.server.items

    @property
    def drafts(self) -> list[SavedDraft]:
        return self.server.drafts

    @property
    def requests(self) -> list[RecordedRequest]:
        return self.server.requests

    def stop(self) -> None:
        """Stop serving and end the thread."""
        asyncio.run_coroutine_threadsafe(self.server.stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def __enter__(self) -> ThreadedFakeVinted:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def run_in_thread(**kwargs: Any) -> ThreadedFakeVinted:
    """Start a replica (FakeVinted keyword arguments) in a background thread."""
    return FakeVinted(**kwargs).run_in_thread()


async def _serve(args: argparse.Namespace) -> None:
    fake = FakeVinted(variant=args.variant, port=args.port)
    url = await fake.start()
    cookies = fake.add_account(user_id=args.user_id, login=args.login)
    print(url, flush=True)
    print("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()), flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await fake.stop()


def main() -> None:
    """Serve the replica until interrupted: `python -m tests.fakes.vinted.server --port N`."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--variant", action="append", choices=sorted(VARIANTS), default=[])
    parser.add_argument("--user-id", type=int, default=42)
    parser.add_argument("--login", default="seller42")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(parser.parse_args()))


if __name__ == "__main__":
    main()
