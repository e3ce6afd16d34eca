"""One call's page: its progress, navigation that notices blockers, waits with typed outcomes.

Every step ends in a typed outcome: a step raises Stop with it, and guarded() turns whatever
else escapes (a crash dialog, a Playwright timeout or error) into one, with a screenshot.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import random
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, TypeVar
from urllib.parse import urlparse

from playwright.async_api import BrowserContext, Locator, Page, Response
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from core.marketplace import (
    CaptchaRequired,
    Cookies,
    NetworkFailure,
    Outcome,
    PageChanged,
    RateLimited,
    SessionExpired,
    Timeout,
    VerificationRequired,
)
from core.private import write_private
from core.vinted import selectors as sel
from core.vinted.browser import Chromium, context_cookies
from core.vinted.errors import Crashed, Stop
from core.vinted.helpers import first_line, retry_after
from core.vinted.watch import ApiWatch, ServerCrashed

log = logging.getLogger(__name__)

CookieSink = Callable[[Cookies], Awaitable[None]]
T = TypeVar("T")


@dataclass
class Answer:
    """What an API call answered, or why it has no answer to read."""

    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    text: str = ""
    error: str = ""
    refused_boost: bool = False  # we stopped a create call that asked for the paid boost


@dataclass(frozen=True)
class RunConfig:
    """Where Vinted is and how patiently and humanly its pages are driven."""

    base_url: str
    screenshots_dir: Path
    timeout_ms: int
    photo_timeout_ms: int
    refresh_timeout_ms: int
    typing_ms: tuple[int, int]  # the shortest and longest pause between keys
    rng: random.Random

    @property
    def host(self) -> str:
        """Return the host name of Vinted's site."""
        return urlparse(self.base_url).hostname or ""


@dataclass
class Run:
    """One call's browser context, page and progress."""

    context: BrowserContext
    page: Page
    cookies: Cookies
    config: RunConfig
    watch: ApiWatch
    step: str = "start"
    notes: list[str] = field(default_factory=list)
    left_out: dict[str, str] = field(default_factory=dict)  # not on Vinted's list: left empty
    maybe_created: bool = False  # a create call left without a definite answer
    typing_seconds: float = 0.0  # spent pressing keys like a person (the rest is waiting)

    def url(self, path: str) -> str:
        """Return the address of a path on Vinted's site."""
        return self.config.base_url + path

    async def goto(self, url: str) -> Response | None:
        """Load a page, then stop on a captcha, a rate limit, a logout or a verification."""
        try:
            response = await self.page.goto(url, wait_until="load")
        except PlaywrightTimeout as exc:
            raise Stop(Timeout(step=self.step, detail=f"loading {url}")) from exc
        except PlaywrightError as exc:
            if "interrupted by another navigation" not in str(exc):
                raise Stop(NetworkFailure(step=self.step, detail=first_line(exc))) from exc
            # A script redirect (a session refresh) took over: follow it.
            await self.page.wait_for_load_state("load")
            response = None
        await self.check_blockers(response)
        return response

    async def check_blockers(self, response: Response | None) -> None:
        """Raise the outcome of whatever keeps the seller from the page, if anything does."""
        page = self.page
        status = response.status if response is not None else None
        if urlparse(page.url).path.startswith(sel.SESSION_REFRESH_PATH):
            try:
                await page.wait_for_url(
                    lambda url: not urlparse(url).path.startswith(sel.SESSION_REFRESH_PATH),
                    timeout=self.config.refresh_timeout_ms,
                )
                await page.wait_for_load_state("load")
            except PlaywrightTimeout as exc:
                raise Stop(
                    SessionExpired(step=self.step, detail="the session refresh never finished")
                ) from exc
            status = None
        if await page.locator(sel.CAPTCHA).count() or await _has_text(page, sel.CAPTCHA_TEXT):
            raise Stop(CaptchaRequired(step=self.step))
        if status == 429 or await _has_text(page, sel.TOO_MANY_REQUESTS_TEXT):
            seconds = retry_after(response.headers if response is not None else {})
            raise Stop(RateLimited(seconds, step=self.step))
        self.watch.check()
        path = urlparse(page.url).path
        if path.startswith(sel.VERIFICATION_PATH):
            raise Stop(VerificationRequired(step=self.step, url=page.url))
        if await page.locator(sel.LOGIN_BUTTON).count():
            raise Stop(SessionExpired(step=self.step, detail="signed out"))
        if await page.locator(sel.CRITICAL_ERROR_DIALOG).count():
            raise Crashed()

    async def wait(
        self,
        locator: Locator,
        selector: str,
        *,
        state: Literal["visible", "attached", "hidden"] = "visible",
        timeout_ms: float | None = None,
    ) -> None:
        """Wait for an element; when it never comes, say why (blocker) or which selector.

        An API answer that already says why (a 429, a captcha, a crash) ends the wait at once.
        """
        await self._page_did(
            locator.wait_for(state=state, timeout=timeout_ms or self.config.timeout_ms),
            PlaywrightTimeout,
            selector,
        )

    async def expect(self, check: Awaitable[None], selector: str) -> None:
        """Await a Playwright assertion; a failed one means the page did not do what we did."""
        await self._page_did(check, AssertionError, selector)

    async def _page_did(
        self, check: Awaitable[None], failure: type[Exception], selector: str
    ) -> None:
        """Await a check; when it fails, stop on a blocker or on the selector that let us down."""
        self.watch.check()
        work = asyncio.ensure_future(check)
        alarm = asyncio.ensure_future(self.watch.raised.wait())
        try:
            await asyncio.wait({work, alarm}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            alarm.cancel()
            if not work.done():
                work.cancel()
                with contextlib.suppress(asyncio.CancelledError, PlaywrightError, failure):
                    await work
        self.watch.check()
        try:
            work.result()
        except failure as exc:
            await self.check_blockers(None)
            raise Stop(PageChanged(self.step, selector)) from exc

    async def type_text(self, locator: Locator, text: str) -> None:
        """Replace a field's text by typing it, with small random pauses between keys."""
        page = self.page
        await locator.click()
        await page.keyboard.press("ControlOrMeta+a")
        if not text:
            await page.keyboard.press("Delete")
        low, high = self.config.typing_ms
        started = time.perf_counter()
        for chunk in re.findall(r"\S+\s*|\s+", text):
            await page.keyboard.type(chunk, delay=self.config.rng.randint(low, high))
        self.typing_seconds += time.perf_counter() - started

    async def fetch_json(self, path: str) -> Answer:
        """GET an API path from inside the page, with the page's cookies."""
        raw = await self.page.evaluate(
            """async (path) => {
                const response = await fetch(path, {
                    credentials: "same-origin", headers: {accept: "application/json"},
                });
                const text = await response.text();
                let body = null;
                try { body = JSON.parse(text); } catch (_) {}
                const headers = {};
                response.headers.forEach((value, name) => { headers[name] = value; });
                return {status: response.status, text, body, headers};
            }""",
            path,
        )
        return Answer(
            status=raw["status"], headers=raw["headers"], body=raw["body"], text=raw["text"]
        )

    async def post_json(self, path: str, body: Any, headers: dict[str, str]) -> Answer:
        """POST JSON to an API path from inside the page, with its cookies and these headers."""
        return await self.send("POST", path, body, headers)

    async def send(self, method: str, path: str, body: Any, headers: dict[str, str]) -> Answer:
        """Send a write (JSON body, or none when body is None) from inside the page."""
        raw = await self.page.evaluate(
            """async ([method, path, body, headers]) => {
                const init = {method, credentials: "same-origin",
                              headers: {...headers, accept: "application/json"}};
                if (body !== null) {
                    init.headers["content-type"] = "application/json";
                    init.body = JSON.stringify(body);
                }
                const response = await fetch(path, init);
                const text = await response.text();
                let parsed = null;
                try { parsed = JSON.parse(text); } catch (_) {}
                const seen = {};
                response.headers.forEach((value, name) => { seen[name] = value; });
                return {status: response.status, text, body: parsed, headers: seen};
            }""",
            [method, path, body, headers],
        )
        return Answer(
            status=raw["status"], headers=raw["headers"], body=raw["body"], text=raw["text"]
        )

    def api_refusal(self, answer: Answer, what: str) -> Outcome:
        """Return the outcome of an API call that did not answer 200."""
        if answer.status == 403 and sel.CAPTCHA_API_MARKER in answer.text:
            return CaptchaRequired(step=self.step)
        if answer.status == 429:
            return RateLimited(retry_after(answer.headers), step=self.step)
        if answer.status in (401, 403):
            return SessionExpired(step=self.step, detail=f"{what} answered {answer.status}")
        return PageChanged(self.step, what)

    async def boost_off(self) -> bool:
        """Untick the paid boost where the page shows it ticked; whether it is off (or absent)."""
        try:
            bump = self.page.locator(sel.BUMP).first
            if not await bump.count():
                return True
            if await bump.is_checked(timeout=2_000):
                await bump.uncheck(timeout=2_000)
                self.notes.append("the boost box was ticked: unticked it before the screenshot")
            return not await bump.is_checked(timeout=2_000)
        except PlaywrightError as exc:
            log.warning("could not check the boost box: %s", first_line(exc))
            return False

    async def failure_screenshot(self, step: str) -> Path | None:
        """Return a screenshot of the page as it failed, or None when it would show nothing.

        Nothing of the site (a blank page, the browser's own error page) shows nothing; a
        ticked paid boost would alarm the seller, so it is unticked first (nothing is sent
        afterwards), and no screenshot is taken when it cannot be.
        """
        if urlparse(self.page.url).scheme not in ("http", "https"):
            return None
        if not await self.boost_off():
            return None
        return await self.screenshot(step)

    async def screenshot(self, step: str) -> Path | None:
        """Save a full-page screenshot named after the time and the step."""
        directory = self.config.screenshots_dir
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        safe_step = re.sub(r"[^a-z0-9_-]+", "-", step.lower()) or "step"
        path = directory / f"{stamp}-{safe_step}.png"
        try:
            shot = await self.page.screenshot(full_page=True, timeout=10_000)
            write_private(path, shot)
        except (PlaywrightError, OSError) as exc:
            log.warning("no screenshot for step %r: %s", step, first_line(exc))
            return None
        return path


@contextlib.asynccontextmanager
async def open_run(
    chromium: Chromium, config: RunConfig, cookies: Cookies, on_cookies: CookieSink | None
) -> AsyncIterator[Run]:
    """Open a context holding the seller's cookies; keep its cookies when it closes."""
    async with chromium.context(
        cookies, base_url=config.base_url, timeout_ms=config.timeout_ms
    ) as (context, page):
        watch = ApiWatch(page, own_calls=(sel.CREATE_ITEM_API, sel.SAVE_DRAFT_API))
        run = Run(context=context, page=page, cookies=list(cookies), config=config, watch=watch)
        try:
            yield run
        finally:
            with contextlib.suppress(PlaywrightError):
                run.cookies = await context_cookies(context, config.host)
            if on_cookies is not None:
                await on_cookies(run.cookies)


async def guarded(run: Run, work: Awaitable[T]) -> T | Outcome:
    """Run one call's steps; turn every way it can end into a typed outcome."""
    outcome: Outcome
    try:
        result = await work
        if not isinstance(result, Outcome) or result.success:
            return result
        outcome = result
    except Stop as stop:
        outcome = stop.outcome
    except ServerCrashed as crash:
        outcome = NetworkFailure(step=run.step, detail=str(crash))
    except Crashed:
        outcome = PageChanged(run.step, sel.CRITICAL_ERROR_DIALOG)
    except PlaywrightTimeout as exc:
        outcome = Timeout(step=run.step, detail=first_line(exc))
    except PlaywrightError as exc:
        outcome = NetworkFailure(step=run.step, detail=first_line(exc))
    except Exception as exc:  # noqa: BLE001 - the cookies must reach the caller regardless
        log.exception("publisher step %r failed unexpectedly", run.step)
        outcome = NetworkFailure(step=run.step, detail=f"unexpected error: {exc!r}")
    if not outcome.step:
        outcome = dataclasses.replace(outcome, step=run.step)
    if outcome.screenshot is None and not outcome.success:
        shot = await run.failure_screenshot(outcome.step)
        outcome = dataclasses.replace(outcome, screenshot=shot)
    log.info("publisher stopped at %r: %s", outcome.step, outcome.describe())
    return outcome


async def _has_text(page: Page, text: str) -> bool:
    """Return whether the page shows this text anywhere, whatever its case."""
    return await page.get_by_text(re.compile(re.escape(text), re.IGNORECASE)).count() > 0
