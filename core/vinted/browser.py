"""The one headless Chromium, and a short-lived BrowserContext per call with the seller's cookies.

Vinted rotates its tokens and the refresh token is single use: whatever the context holds when
it closes is what the seller's session now is.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator
from typing import Any

from playwright.async_api import Browser, BrowserContext, Page, Playwright, async_playwright
from playwright.async_api import Error as PlaywrightError

from core.marketplace import Cookies

log = logging.getLogger(__name__)

CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    # A seller's own Chrome does not announce automation (navigator.webdriver stays false).
    "--disable-blink-features=AutomationControlled",
]
VIEWPORT = {"width": 1366, "height": 900}

_SAME_SITE = {"strict": "Strict", "lax": "Lax", "none": "None", "no_restriction": "None"}


class Chromium:
    """Launch one Chromium lazily and open a context per call in it."""

    def __init__(
        self,
        *,
        executable_path: str | None,
        headless: bool,
        locale: str,
        timezone_id: str,
    ) -> None:
        self._executable_path = executable_path
        self._headless = headless
        self._locale = locale
        self._timezone_id = timezone_id
        self._start_lock = asyncio.Lock()
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._user_agent = ""

    async def start(self) -> None:
        """Launch the browser (once, and again if it died)."""
        await self._live_browser()

    async def _live_browser(self) -> Browser:
        """Return the running browser, launching it first if it never ran or has died."""
        async with self._start_lock:
            if self._browser is not None and self._browser.is_connected():
                return self._browser
            if self._browser is not None:
                log.warning("chromium went away: starting it again")
                await self._stop_locked()
            playwright = await async_playwright().start()
            try:
                browser = await self._launch(playwright)
            except BaseException:
                await playwright.stop()
                raise
            self._playwright, self._browser = playwright, browser
            major = browser.version.split(".")[0]
            # Headless Chromium says "HeadlessChrome": present the desktop browser it is.
            self._user_agent = (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                f"Chrome/{major}.0.0.0 Safari/537.36"
            )
            log.info("chromium %s started", browser.version)
            return browser

    async def _launch(self, playwright: Playwright) -> Browser:
        """Launch Chromium with its sandbox whenever this machine allows one."""

        def launch(sandbox: bool) -> Any:
            return playwright.chromium.launch(
                executable_path=self._executable_path,
                headless=self._headless,
                args=CHROMIUM_ARGS,
                chromium_sandbox=sandbox,
            )

        if os.geteuid() == 0:
            # Chromium refuses to sandbox itself as root: run the bot as an ordinary user.
            log.warning("running as root: Chromium's sandbox is off (--no-sandbox)")
            return await launch(False)
        try:
            return await launch(True)
        except PlaywrightError as exc:
            # No user namespaces and no setuid helper (some containers): no sandbox possible.
            log.warning(
                "Chromium cannot sandbox itself here (%s): running it with --no-sandbox",
                str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
            )
            return await launch(False)

    async def close(self) -> None:
        """Close the browser."""
        async with self._start_lock:
            await self._stop_locked()

    async def _stop_locked(self) -> None:
        browser, playwright = self._browser, self._playwright
        self._browser = self._playwright = None
        if browser is not None:
            with contextlib.suppress(PlaywrightError):
                await browser.close()
        if playwright is not None:
            with contextlib.suppress(PlaywrightError, OSError):
                await playwright.stop()

    @contextlib.asynccontextmanager
    async def context(
        self, cookies: Cookies, *, base_url: str, timeout_ms: int
    ) -> AsyncIterator[tuple[BrowserContext, Page]]:
        """Open a context holding the seller's cookies and one page in it; close it afterwards."""
        browser = await self._live_browser()
        try:
            context = await self._new_context(browser)
        except PlaywrightError:
            if browser.is_connected():
                raise
            # It died between two calls (killed, out of memory): one new browser, one more try.
            context = await self._new_context(await self._live_browser())
        try:
            await context.add_cookies(playwright_cookies(cookies, base_url))  # type: ignore[arg-type]
            page = await context.new_page()
            page.set_default_timeout(timeout_ms)
            page.set_default_navigation_timeout(timeout_ms)
            yield context, page
        finally:
            with contextlib.suppress(PlaywrightError):
                await context.close()

    async def _new_context(self, browser: Browser) -> BrowserContext:
        return await browser.new_context(
            locale=self._locale,
            timezone_id=self._timezone_id,
            user_agent=self._user_agent,
            viewport=VIEWPORT,  # type: ignore[arg-type]
            device_scale_factor=1,
        )


async def context_cookies(context: BrowserContext, host: str) -> Cookies:
    """Return the context's cookies for Vinted's domain, rotated tokens included."""
    kept = []
    for cookie in await context.cookies():
        domain = str(cookie.get("domain", "")).lstrip(".")
        if domain and (host == domain or host.endswith("." + domain)):
            kept.append(dict(cookie))
    return kept


def playwright_cookies(cookies: Cookies, base_url: str) -> list[dict[str, Any]]:
    """Return cookies in the shape BrowserContext.add_cookies takes, tolerating exports."""
    converted = []
    for cookie in cookies:
        name, value = cookie.get("name"), cookie.get("value")
        if not name or value is None:
            continue
        out: dict[str, Any] = {"name": str(name), "value": str(value)}
        if cookie.get("url"):
            out["url"] = str(cookie["url"])
        elif cookie.get("domain"):
            out["domain"] = str(cookie["domain"])
            out["path"] = str(cookie.get("path") or "/")
        else:
            out["url"] = base_url
        expires = cookie.get("expires", cookie.get("expirationDate"))
        if isinstance(expires, int | float) and not isinstance(expires, bool) and expires > 0:
            out["expires"] = float(expires)
        for flag in ("httpOnly", "secure"):
            if flag in cookie:
                out[flag] = bool(cookie[flag])
        same_site = _SAME_SITE.get(str(cookie.get("sameSite") or "").lower())
        # Chromium drops SameSite=None cookies that are not Secure.
        if same_site and not (same_site == "None" and not out.get("secure")):
            out["sameSite"] = same_site
        converted.append(out)
    return converted
