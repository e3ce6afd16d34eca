"""How the replica pushes back on automation: DataDome's captcha, 429 pages, verification.

The gate answers before any handler; the create call's own 429 (Switches.rate_limited) is
answered in listings.py.
"""

from __future__ import annotations

import secrets
from urllib.parse import quote

from aiohttp import web

from tests.fakes.vinted import pages
from tests.fakes.vinted.responses import html_response, json_response
from tests.fakes.vinted.session import Sessions


class Blockers(Sessions):
    """DataDome and page rate limits before any handler; the verification and captcha pages."""

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
                return json_response({"url": url}, status=403, headers={"X-DataDome": "protected"})
            return html_response(
                pages.captcha(cid, str(request.url)),
                status=403,
                headers={"X-DataDome": "protected"},
            )
        if switches.rate_limited_pages and not is_api:
            return html_response(
                pages.too_many_requests(self.site),
                status=429,
                headers={"Retry-After": str(switches.retry_after)},
            )
        return None

    async def _verification(self, request: web.Request) -> web.StreamResponse:
        account, _ = self._token_account(request)
        return html_response(pages.verification(self._login(account), self.site))

    async def _captcha_frame(self, request: web.Request) -> web.StreamResponse:
        return html_response(pages.captcha_frame())
