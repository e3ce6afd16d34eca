"""A local replica of Vinted's upload page and the internal API it calls, for publisher tests.

FakeVinted puts the parts together (each a class of its own module), routes every URL and
records every request. Where a change goes:
- switches.py: the failure modes tests turn on (Switches, VARIANTS);
- state.py, records.py: what the replica holds and what tests read (items, drafts, requests);
- session.py: members, cookies, tokens, session refresh, /api/v2/users/current;
- blockers.py: DataDome's captcha, the 429 page, the verification page;
- upload_page.py: the upload form's HTML and /items/new; static/upload*.js drive the form;
- catalog_api.py: the pickers' lists; photos.py: the photo upload;
- listings.py, validation.py: creating items and drafts, and what is refused;
- editing.py: editing and deleting items, deleting drafts;
- wardrobe.py: items as the API and the pages show them; pages.py: the other pages' HTML;
- sites/: each country site's catalog tree, words and price format (Switches.site);
- catalog.py: the tree's nodes and lookups; data.py: brands, colour swatches, caps;
- threaded.py, __main__.py: running it elsewhere.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import random
import threading
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any

from aiohttp import web

from tests.fakes.vinted import pages
from tests.fakes.vinted.blockers import Blockers
from tests.fakes.vinted.catalog_api import CatalogApi
from tests.fakes.vinted.editing import Editing
from tests.fakes.vinted.market import MarketApi
from tests.fakes.vinted.records import RecordedRequest
from tests.fakes.vinted.responses import html_response, lower_headers
from tests.fakes.vinted.state import State
from tests.fakes.vinted.switches import VARIANTS, Switches
from tests.fakes.vinted.threaded import ThreadedFakeVinted
from tests.fakes.vinted.upload_page import UploadPage

STATIC_DIR = Path(__file__).resolve().parent / "static"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class FakeVinted(Editing, CatalogApi, MarketApi, Blockers, UploadPage):
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
        self._state = State()
        self._rng = random.Random(seed)
        self._next_item_id = 9_691_226_139
        self._next_photo_id = 33_379_149_812
        self._runner: web.AppRunner | None = None
        self._base_url: str | None = None
        self._changed = asyncio.Event()

    async def wait_for(
        self,
        predicate: Callable[[], Any],
        timeout: float = 10.0,  # noqa: ASYNC109 - the deadline is the point of the helper
        what: str = "condition",
    ) -> Any:
        """Return the predicate's first truthy value, re-checked after every request served
        (in this loop: not for a replica run in its own thread)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            changed = self._changed  # taken before checking, so no request is missed
            value = predicate()
            if value:
                return value
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"timed out after {timeout}s waiting for {what}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

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

    # ------------------------------------------------------------------ plumbing
    def _routes(self, app: web.Application) -> None:
        get, post, put = app.router.add_get, app.router.add_post, app.router.add_put
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
        get("/api/v2/item_upload/items/similar_sold_items", self._api_similar_sold)
        post("/api/v2/item_price_suggestions", self._api_price_suggestion)
        get(r"/api/v2/wardrobe/{user_id:\d+}/items", self._api_wardrobe)
        get(r"/api/v2/items/{item_id:\d+}", self._api_item)
        post("/api/v2/photos", self._api_photo)
        post("/api/v2/item_upload/items", self._api_create_item)
        put(r"/api/v2/item_upload/items/{item_id:\d+}", self._api_edit_item)
        post(r"/api/v2/items/{item_id:\d+}/delete", self._api_delete_item)
        post("/api/v2/item_upload/drafts", self._api_save_draft)
        post(r"/api/v2/item_upload/drafts/{draft_id:\d+}/completion", self._api_complete_draft)
        app.router.add_delete(r"/api/v2/item_upload/drafts/{draft_id:\d+}", self._api_delete_draft)

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
                headers=lower_headers(request),
                cookies=dict(request.cookies),
                status=status,
                json=body,
            )
            with self._lock:
                self._state.requests.append(record)
            self._changed.set()  # every waiter re-checks its condition
            self._changed = asyncio.Event()

    # ------------------------------------------------------------------ pages
    async def _home(self, request: web.Request) -> web.StreamResponse:
        account, early = self._page_session(request)
        return early or html_response(pages.home(self._login(account), self.site))

    async def _signup(self, request: web.Request) -> web.StreamResponse:
        return html_response(pages.signup(self.site))

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


def run_in_thread(**kwargs: Any) -> ThreadedFakeVinted:
    """Start a replica (FakeVinted keyword arguments) in a background thread."""
    return FakeVinted(**kwargs).run_in_thread()
