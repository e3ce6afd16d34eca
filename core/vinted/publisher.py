"""Publish listings through Vinted's upload page in a headless Chromium, as the seller would.

One browser per process, one short-lived BrowserContext per call holding the seller's cookies.
Every call returns the cookies as they stand afterwards: Vinted rotates its tokens, and the
refresh token is single use, so the caller must save them.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import dataclasses
import json
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

from playwright.async_api import (
    BrowserContext,
    CDPSession,
    Locator,
    Page,
    Request,
    Response,
    expect,
)
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from core.models import Condition
from core.vinted import selectors as sel
from core.vinted.browser import Chromium, context_cookies
from core.vinted.colours import colour_ids
from core.vinted.helpers import (
    asks_for_boost,
    entity_id,
    first_line,
    fold,
    match_size,
    parse_price,
    retry_after,
    same_text,
    same_title,
)
from core.vinted.listing import MODES, ListingToPublish, invalid_listing
from core.vinted.materials import material_matches, material_names
from core.vinted.outcomes import (
    CaptchaRequired,
    Cookies,
    DryRunDone,
    FieldRejected,
    HealthReport,
    ListingLookupFailed,
    NetworkFailure,
    Outcome,
    PageChanged,
    Published,
    PublishResult,
    RateLimited,
    SavedAsDraft,
    SessionExpired,
    SessionInfo,
    Timeout,
    VerificationRequired,
)

__all__ = ["ListingToPublish", "VintedPublisher", "match_size"]

log = logging.getLogger(__name__)

CookieSink = Callable[[Cookies], Awaitable[None]]
T = TypeVar("T")


class _Stop(Exception):
    """End the run with this outcome."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.describe())
        self.outcome = outcome


class _Crashed(Exception):
    """The page shows its critical error dialog and needs a reload."""


@dataclass
class _Answer:
    """What the create (or draft) call answered, read before the page navigates away."""

    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    text: str = ""
    error: str = ""
    refused_boost: bool = False  # we stopped a call that asked for the paid boost


@dataclass
class _Run:
    """One call's browser context, page and progress."""

    context: BrowserContext
    page: Page
    cookies: Cookies
    step: str = "start"
    notes: list[str] = field(default_factory=list)
    maybe_created: bool = False  # a create call left without a definite answer


class VintedPublisher:
    """Drive Vinted's upload page for any number of sellers from one headless Chromium."""

    def __init__(
        self,
        base_url: str,
        *,
        executable_path: str | None,
        screenshots_dir: Path,
        headless: bool = True,
        timeout_ms: int = 30_000,
        slow_typing_ms: tuple[int, int] = (30, 90),
        photo_timeout_ms: int = 120_000,
        session_refresh_timeout_ms: int = 15_000,
        locale: str = "fr-FR",
        timezone_id: str = "Europe/Paris",
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._host = urlparse(self.base_url).hostname or ""
        self._chromium = Chromium(
            executable_path=executable_path,
            headless=headless,
            locale=locale,
            timezone_id=timezone_id,
        )
        self._screenshots_dir = Path(screenshots_dir)
        self._timeout_ms = timeout_ms
        self._typing_ms = (min(slow_typing_ms), max(slow_typing_ms))
        self._photo_timeout_ms = photo_timeout_ms
        self._refresh_timeout_ms = session_refresh_timeout_ms
        self._rng = random.Random()

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> None:
        """Launch the browser (once)."""
        await self._chromium.start()

    async def close(self) -> None:
        """Close the browser."""
        await self._chromium.close()

    async def __aenter__(self) -> VintedPublisher:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # ------------------------------------------------------------------ public calls
    async def check_session(
        self, cookies: Cookies, *, on_cookies: CookieSink | None = None
    ) -> SessionInfo | Outcome:
        """Return who the cookies sign in, or why they do not."""
        async with self._session(cookies, on_cookies) as run:
            found = await self._guarded(run, self._check_session(run))
        if isinstance(found, Outcome):
            return found
        user_id, login = found
        return SessionInfo(user_id=user_id, login=login, cookies=run.cookies)

    async def publish(
        self,
        cookies: Cookies,
        listing: ListingToPublish,
        *,
        mode: str = "publish",
        on_created: Callable[[int], Awaitable[None]] | None = None,
        on_cookies: CookieSink | None = None,
    ) -> PublishResult:
        """Fill the upload form and publish it, save it as a Vinted draft, or stop before.

        on_created(item_id) is awaited (publish mode only) as soon as the create call's answer
        is read, before the page may see it: the caller stores the id first, so a crash
        afterwards cannot lead to a second listing.
        """
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        invalid = invalid_listing(listing)
        if invalid is not None:
            return PublishResult(invalid, cookies=list(cookies), step=invalid.step)
        async with self._session(cookies, on_cookies) as run:
            outcome = await self._guarded(run, self._publish(run, listing, mode, on_created))
        log.info("publish (%s) ended: %s", mode, outcome.describe())
        return PublishResult(
            outcome=outcome,
            cookies=run.cookies,
            step=outcome.step,
            screenshot=outcome.screenshot,
            notes=run.notes,
            maybe_created=run.maybe_created and not outcome.success,
        )

    async def health_check(
        self,
        cookies: Cookies,
        *,
        category_path: list[str] | None = None,
        on_cookies: CookieSink | None = None,
    ) -> HealthReport:
        """Open the upload page and check every selector the publisher needs; publish nothing.

        A leaf category is chosen (category_path, or the first leaf of the catalog) so that
        the leaf-only fields show up.
        """
        missing: list[str] = []
        checked: list[str] = []
        async with self._session(cookies, on_cookies) as run:
            result = await self._guarded(
                run, self._health_check(run, category_path, missing, checked)
            )
            screenshot = await self._screenshot(run, "health_check") if missing else None
        if isinstance(result, Outcome):
            return HealthReport(
                ok=False,
                missing=missing,
                outcome=result,
                cookies=run.cookies,
                checked=checked,
                screenshot=result.screenshot,
            )
        return HealthReport(
            ok=not missing,
            missing=missing,
            cookies=run.cookies,
            checked=checked,
            screenshot=screenshot,
        )

    async def find_listing(
        self,
        cookies: Cookies,
        user_id: int,
        title: str,
        *,
        on_cookies: CookieSink | None = None,
    ) -> int | None:
        """Return the id of the seller's newest listing with this title on their wardrobe.

        None means the wardrobe was read and holds no such listing. When it cannot be read
        (captcha, logged out, page changed), ListingLookupFailed is raised instead: a guess
        of "not there" could publish the item twice.
        """
        async with self._session(cookies, on_cookies) as run:
            found = await self._guarded(run, self._find_on_wardrobe(run, user_id, title))
        if isinstance(found, Outcome):
            raise ListingLookupFailed(found)
        return found

    # ------------------------------------------------------------------ sessions
    @contextlib.asynccontextmanager
    async def _session(
        self, cookies: Cookies, on_cookies: CookieSink | None
    ) -> AsyncIterator[_Run]:
        """Open a context holding the seller's cookies; keep its cookies when it closes."""
        async with self._chromium.context(
            cookies, base_url=self.base_url, timeout_ms=self._timeout_ms
        ) as (context, page):
            run = _Run(context=context, page=page, cookies=list(cookies))
            try:
                yield run
            finally:
                with contextlib.suppress(PlaywrightError):
                    run.cookies = await context_cookies(context, self._host)
                if on_cookies is not None:
                    await on_cookies(run.cookies)

    async def _guarded(self, run: _Run, work: Awaitable[T]) -> T | Outcome:
        """Run one call's steps; turn every way it can end into a typed outcome."""
        outcome: Outcome
        try:
            result = await work
            if not isinstance(result, Outcome) or result.success:
                return result
            outcome = result
        except _Stop as stop:
            outcome = stop.outcome
        except _Crashed:
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
            shot = await self._screenshot(run, outcome.step)
            outcome = dataclasses.replace(outcome, screenshot=shot)
        log.info("publisher stopped at %r: %s", outcome.step, outcome.describe())
        return outcome

    async def _screenshot(self, run: _Run, step: str) -> Path | None:
        """Save a full-page screenshot named after the time and the step."""
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        safe_step = re.sub(r"[^a-z0-9_-]+", "-", step.lower()) or "step"
        path = self._screenshots_dir / f"{stamp}-{safe_step}.png"
        try:
            self._screenshots_dir.mkdir(parents=True, exist_ok=True)
            await run.page.screenshot(path=str(path), full_page=True, timeout=10_000)
        except (PlaywrightError, OSError) as exc:
            log.warning("no screenshot for step %r: %s", step, first_line(exc))
            return None
        return path

    # ------------------------------------------------------------------ pages and blockers
    def _url(self, path: str) -> str:
        return self.base_url + path

    async def _goto(self, run: _Run, url: str) -> Response | None:
        """Load a page, then stop on a captcha, a rate limit, a logout or a verification."""
        try:
            response = await run.page.goto(url, wait_until="load")
        except PlaywrightTimeout as exc:
            raise _Stop(Timeout(step=run.step, detail=f"loading {url}")) from exc
        except PlaywrightError as exc:
            if "interrupted by another navigation" not in str(exc):
                raise _Stop(NetworkFailure(step=run.step, detail=first_line(exc))) from exc
            # A script redirect (a session refresh) took over: follow it.
            await run.page.wait_for_load_state("load")
            response = None
        await self._check_blockers(run, response)
        return response

    async def _check_blockers(self, run: _Run, response: Response | None) -> None:
        """Raise the outcome of whatever keeps the seller from the page, if anything does."""
        page = run.page
        status = response.status if response is not None else None
        if urlparse(page.url).path.startswith(sel.SESSION_REFRESH_PATH):
            try:
                await page.wait_for_url(
                    lambda url: not urlparse(url).path.startswith(sel.SESSION_REFRESH_PATH),
                    timeout=self._refresh_timeout_ms,
                )
                await page.wait_for_load_state("load")
            except PlaywrightTimeout as exc:
                raise _Stop(
                    SessionExpired(step=run.step, detail="the session refresh never finished")
                ) from exc
            status = None
        if await page.locator(sel.CAPTCHA).count() or await _has_text(page, sel.CAPTCHA_TEXT):
            raise _Stop(CaptchaRequired(step=run.step))
        if status == 429 or await page.locator(sel.TOO_MANY_REQUESTS).count():
            seconds = retry_after(response.headers if response is not None else {})
            raise _Stop(RateLimited(seconds, step=run.step))
        path = urlparse(page.url).path
        if path.startswith(sel.VERIFICATION_PATH):
            raise _Stop(VerificationRequired(step=run.step, url=page.url))
        if path.startswith(sel.SIGNUP_PATH) or await page.locator(sel.LOGIN_BUTTON).count():
            raise _Stop(SessionExpired(step=run.step, detail="signed out"))
        if await page.locator(sel.CRITICAL_ERROR_DIALOG).count():
            raise _Crashed()

    async def _wait(
        self,
        run: _Run,
        locator: Locator,
        selector: str,
        *,
        state: Literal["visible", "attached", "hidden"] = "visible",
        timeout_ms: float | None = None,
    ) -> None:
        """Wait for an element; when it never comes, say why (blocker) or which selector."""
        try:
            await locator.wait_for(state=state, timeout=timeout_ms or self._timeout_ms)
        except PlaywrightTimeout as exc:
            await self._check_blockers(run, None)
            raise _Stop(PageChanged(run.step, selector)) from exc

    async def _expect(self, run: _Run, check: Awaitable[None], selector: str) -> None:
        """Await a Playwright assertion; a failed one means the page did not do what we did."""
        try:
            await check
        except AssertionError as exc:
            await self._check_blockers(run, None)
            raise _Stop(PageChanged(run.step, selector)) from exc

    async def _fetch_json(self, run: _Run, path: str) -> _Answer:
        """GET an API path from inside the page, with the page's cookies."""
        raw = await run.page.evaluate(
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
        return _Answer(
            status=raw["status"], headers=raw["headers"], body=raw["body"], text=raw["text"]
        )

    def _api_refusal(self, run: _Run, answer: _Answer, what: str) -> Outcome:
        """Return the outcome of an API call that did not answer 200."""
        if answer.status == 403 and sel.CAPTCHA_API_MARKER in answer.text:
            return CaptchaRequired(step=run.step)
        if answer.status == 429:
            return RateLimited(retry_after(answer.headers), step=run.step)
        if answer.status in (401, 403):
            return SessionExpired(step=run.step, detail=f"{what} answered {answer.status}")
        return PageChanged(run.step, what)

    async def _current_user(self, run: _Run) -> tuple[int, str]:
        """Return the signed-in member's id and login, read from inside the page."""
        answer = await self._fetch_json(run, sel.CURRENT_USER_API)
        user = answer.body.get("user") if isinstance(answer.body, dict) else None
        if answer.status == 200 and isinstance(user, dict) and isinstance(user.get("id"), int):
            return user["id"], str(user.get("login") or "")
        if answer.status != 404:
            raise _Stop(self._api_refusal(run, answer, sel.CURRENT_USER_API))
        # The API moved: the header still names the member, and v_uid holds the id.
        menu = run.page.locator(sel.USER_MENU_LOGIN).first
        uid = next(
            (
                c["value"]
                for c in await context_cookies(run.context, self._host)
                if c["name"] == sel.USER_ID_COOKIE
            ),
            "",
        )
        if await menu.count() and str(uid).isdigit():
            return int(uid), await menu.get_attribute("alt") or ""
        raise _Stop(PageChanged(run.step, sel.CURRENT_USER_API))

    async def _check_session(self, run: _Run) -> tuple[int, str]:
        run.step = "check_session"
        await self._goto(run, self._url("/"))
        return await self._current_user(run)

    async def _open_upload_page(self, run: _Run, ready: list[str]) -> None:
        """Open /items/new, through the header's sell button when sent home; wait for the form."""
        run.step = "open_upload_page"
        page = run.page
        await self._goto(run, self._url(sel.UPLOAD_PATH))
        if urlparse(page.url).path != sel.UPLOAD_PATH:
            sell = page.locator(sel.SELL_BUTTON).first
            await self._wait(run, sell, sel.SELL_BUTTON)
            try:
                async with page.expect_navigation(wait_until="load") as navigation:
                    await sell.click()
                response = await navigation.value
            except PlaywrightTimeout as exc:
                raise _Stop(Timeout(step=run.step, detail="the sell button led nowhere")) from exc
            await self._check_blockers(run, response)
            if urlparse(page.url).path != sel.UPLOAD_PATH:
                raise _Stop(PageChanged(run.step, sel.SELL_BUTTON))
            run.notes.append("the upload page sent us home: went through the sell button")
        form = page.locator(ready[0])
        for selector in ready[1:]:
            form = form.or_(page.locator(selector))
        await self._wait(run, form.first, " | ".join(ready), state="attached")

    # ------------------------------------------------------------------ publishing
    async def _publish(
        self,
        run: _Run,
        listing: ListingToPublish,
        mode: str,
        on_created: Callable[[int], Awaitable[None]] | None,
    ) -> Outcome:
        for attempt in (1, 2):
            try:
                await self._open_upload_page(run, [sel.PHOTO_INPUT])
                leaf_ids = await self._catalog_ids(run, listing.category_path)
                await self._fill_form(run, listing, leaf_ids)
                if mode == "dry_run":
                    run.step = "dry_run"
                    shot = await self._screenshot(run, "dry_run")
                    return DryRunDone(step="dry_run", screenshot=shot)
                return await self._submit(run, mode, on_created)
            except _Crashed:
                if attempt == 2:
                    raise
                if run.maybe_created and not await self._safe_to_retry(run, listing.title):
                    raise
                run.notes.append(f"the page crashed at {run.step!r}: reloaded, filled it again")
                log.warning("upload page crashed at %r: retrying the whole form", run.step)
        raise AssertionError("unreachable")

    async def _safe_to_retry(self, run: _Run, title: str) -> bool:
        """Return whether a crashed create call left no listing behind, as far as we can see."""
        step = run.step
        try:
            user_id, _ = await self._current_user(run)
            found = await self._find_on_wardrobe(run, user_id, title)
        except (_Stop, _Crashed, PlaywrightError) as exc:
            run.notes.append(f"after the crash the wardrobe could not be checked: {exc}")
            return False
        finally:
            run.step = step
        if found is not None:
            run.notes.append(
                f"after the crash item {found} titled {title!r} is on the wardrobe: "
                "not retried; reconcile with find_listing"
            )
            return False
        return True

    async def _fill_form(self, run: _Run, listing: ListingToPublish, leaf_ids: list[int]) -> None:
        """Fill every field like a person would, checking each one."""
        await self._add_photos(run, listing.photos)
        run.step = "title"
        # A line break in a one-line field would press Enter: the title is one line.
        await self._type_field(run, sel.TITLE, " ".join(listing.title.split()), "title")
        run.step = "description"
        await self._type_field(run, sel.DESCRIPTION, listing.description, "description")
        await self._category_and_attributes(run, listing, leaf_ids)
        await self._type_price(run, listing.price)
        await self._choose_package_size(run, listing.package_size)
        await self._untick_bump(run)
        # Photo recognition can still swap the category late: check it before sending.
        run.step = "category"
        if not await self._category_is(run, leaf_ids[-1]):
            run.notes.append("the category changed before sending: walked it again")
            await self._category_and_attributes(run, listing, leaf_ids)

    async def _add_photos(self, run: _Run, photos: list[Path]) -> None:
        """Upload the photos in order and wait for each tile, however slow the processing."""
        run.step = "photos"
        page = run.page
        photo_input = page.locator(sel.PHOTO_INPUT)
        await self._wait(run, photo_input, sel.PHOTO_INPUT, state="attached")
        await photo_input.set_input_files([str(p) for p in photos])
        for index, photo in enumerate(photos):
            tile = page.locator(sel.photo_tile(index))
            refused = page.locator(sel.photo_error_tile(index))
            either = tile.or_(refused).first
            await self._wait(run, either, sel.photo_tile(index), timeout_ms=self._photo_timeout_ms)
            if await refused.count():
                raise _Stop(
                    FieldRejected("photos", f"Vinted refused photo {index + 1} ({photo.name})")
                )

    async def _type(self, run: _Run, locator: Locator, text: str) -> None:
        """Replace a field's text by typing it, with small random pauses between keys."""
        page = run.page
        await locator.click()
        await page.keyboard.press("ControlOrMeta+a")
        if not text:
            await page.keyboard.press("Delete")
        low, high = self._typing_ms
        for chunk in re.findall(r"\S+\s*|\s+", text):
            await page.keyboard.type(chunk, delay=self._rng.randint(low, high))

    async def _type_field(self, run: _Run, selector: str, text: str, name: str) -> None:
        """Type a text field and check the page kept exactly that."""
        box = run.page.locator(selector)
        await self._wait(run, box, selector)
        await self._type(run, box, text)
        kept = await box.input_value()
        if same_text(kept) != same_text(text):
            raise _Stop(FieldRejected(name, f"the page kept {kept!r} instead of {text!r}"))

    # category
    async def _catalog_ids(self, run: _Run, path: list[str]) -> list[int]:
        """Return the catalog ids root to leaf for our title path, from the catalogs API."""
        run.step = "category"
        answer = await self._fetch_json(run, sel.CATALOGS_API)
        if answer.status != 200 or not isinstance(answer.body, dict):
            raise _Stop(self._api_refusal(run, answer, sel.CATALOGS_API))
        level: list[dict[str, Any]] = answer.body.get("catalogs") or []
        ids: list[int] = []
        for depth, title in enumerate(path):
            node = next((n for n in level if n.get("title") == title), None) or next(
                (n for n in level if fold(str(n.get("title", ""))) == fold(title)), None
            )
            if node is None:
                shown = " > ".join(path[: depth + 1])
                raise _Stop(FieldRejected("category", f"Vinted has no category {shown}"))
            ids.append(int(node["id"]))
            level = node.get("catalogs") or []
        if level:
            # Our path stops where Vinted goes deeper: its "Autres ..." leaf is the way out.
            other = next(
                (
                    n
                    for n in level
                    if fold(str(n.get("title", ""))).startswith(sel.CATALOG_OTHER_PREFIX)
                    and not n.get("catalogs")
                ),
                None,
            )
            if other is None:
                shown = " > ".join(path)
                raise _Stop(FieldRejected("category", f"{shown} is not a leaf on Vinted"))
            ids.append(int(other["id"]))
            run.notes.append(f"category {path[-1]!r} goes deeper: chose {other.get('title')!r}")
        return ids

    async def _category_is(self, run: _Run, leaf_id: int) -> bool:
        chosen = await run.page.locator(sel.CATALOG_INPUT).get_attribute(sel.CATALOG_ID_ATTRIBUTE)
        return chosen == str(leaf_id)

    async def _category_and_attributes(
        self, run: _Run, listing: ListingToPublish, leaf_ids: list[int]
    ) -> None:
        """Choose the category, then the fields it reveals; walk again if it was swapped."""
        for _ in range(2):
            await self._choose_category(run, leaf_ids)
            await self._fill_attributes(run, listing)
            run.step = "category"
            if await self._category_is(run, leaf_ids[-1]):
                return
            run.notes.append("the category changed while filling its fields: walked it again")
        raise _Stop(PageChanged("category", sel.CATALOG_INPUT))

    async def _choose_category(self, run: _Run, leaf_ids: list[int]) -> None:
        """Walk the category picker level by level to our leaf."""
        run.step = "category"
        page = run.page
        category = page.locator(sel.CATALOG_INPUT)
        await self._wait(run, category, sel.CATALOG_INPUT)
        if await self._category_is(run, leaf_ids[-1]):
            return
        prefilled = await category.get_attribute(sel.CATALOG_ID_ATTRIBUTE)
        if prefilled:
            shown = await category.get_attribute(sel.CATALOG_PATH_ATTRIBUTE) or prefilled
            run.notes.append(f"Vinted pre-filled the category {shown!r}: replaced it")
        content = await self._open_picker(run, sel.CATALOG_PICKER)
        root = content.locator(sel.catalog_row(leaf_ids[0])).first
        back = content.locator(sel.CATALOG_BACK_BUTTON).first
        # The picker may reopen at the level where it was left: go back up to the roots.
        for _ in range(8):
            await self._wait(run, root.or_(back).first, sel.catalog_row(leaf_ids[0]))
            if await root.is_visible():
                break
            await back.click()
        for catalog_id in leaf_ids:
            row = content.locator(sel.catalog_row(catalog_id)).first
            await self._wait(run, row, sel.catalog_row(catalog_id))
            await row.click()
        await self._wait(run, content, sel.picker_content(sel.CATALOG_PICKER), state="hidden")
        if not await self._category_is(run, leaf_ids[-1]):
            raise _Stop(PageChanged(run.step, f"{sel.CATALOG_INPUT}[{sel.CATALOG_ID_ATTRIBUTE}]"))

    async def _open_picker(self, run: _Run, key: str) -> Locator:
        """Open a picker (`<key>-input` opens `<key>-content`) and return its content."""
        page = run.page
        content = page.locator(sel.picker_content(key))
        if not await content.is_visible():
            trigger = page.locator(sel.picker_input(key))
            await self._wait(run, trigger, sel.picker_input(key))
            await trigger.click()
            await self._wait(run, content, sel.picker_content(key))
        return content

    async def _close_picker(self, run: _Run, key: str) -> None:
        page = run.page
        content = page.locator(sel.picker_content(key))
        if await content.is_visible():
            await page.locator(sel.picker_input(key)).click()
            await self._wait(run, content, sel.picker_content(key), state="hidden")

    async def _fill_attributes(self, run: _Run, listing: ListingToPublish) -> None:
        """Fill the fields a leaf category reveals: brand, size, condition, colours, material."""
        run.step = "condition"
        condition_input = run.page.locator(sel.picker_input(sel.CONDITION_PICKER))
        # The condition shows for every leaf: once it is there, the leaf's fields are.
        await self._wait(run, condition_input, sel.picker_input(sel.CONDITION_PICKER))
        await self._choose_brand(run, listing.brand)
        await self._choose_size(run, listing.size)
        await self._choose_condition(run, listing.condition)
        await self._choose_colours(run, listing.colours)
        await self._choose_material(run, listing.material)

    async def _choose_brand(self, run: _Run, brand: str | None) -> None:
        """Pick the brand by its exact name, or "no brand" when it is unknown to Vinted."""
        run.step = "brand"
        content = await self._open_picker(run, sel.BRAND_PICKER)
        no_brand = content.locator(sel.NO_BRAND).first
        if brand and brand.strip():
            search = content.locator(sel.BRAND_SEARCH)
            await self._wait(run, search, sel.BRAND_SEARCH)
            await self._type(run, search, brand.strip())
            cell = content.locator(sel.brand_cell(brand.strip())).first
            # The search is done when our brand shows, or the page offers it as a custom one.
            custom = content.locator(sel.CUSTOM_BRAND).first
            await self._wait(run, cell.or_(custom).first, sel.brand_cell(brand.strip()))
            if await cell.count():
                chosen = await cell.get_attribute("aria-label") or brand
                await cell.click()
                await self._expect(
                    run,
                    expect(run.page.locator(sel.picker_input(sel.BRAND_PICKER))).to_have_value(
                        re.compile(f"^{re.escape(chosen)}$", re.IGNORECASE)
                    ),
                    sel.picker_input(sel.BRAND_PICKER),
                )
                return
            run.notes.append(f"brand {brand!r} is not on Vinted's list: listed without a brand")
        await self._wait(run, no_brand, sel.NO_BRAND)
        await no_brand.click()
        await self._wait(run, content, sel.picker_content(sel.BRAND_PICKER), state="hidden")

    async def _choose_size(self, run: _Run, size: str | None) -> None:
        """Pick the size option whose label holds our size ("M" in "M / 38 / 10")."""
        run.step = "size"
        trigger = run.page.locator(sel.picker_input(sel.SIZE_PICKER))
        if not await trigger.count():
            if size:
                run.notes.append(f"size {size!r} not sent: this category has no size")
            return
        if not size or not size.strip():
            raise _Stop(FieldRejected("size", "this category needs a size"))
        content = await self._open_picker(run, sel.SIZE_PICKER)
        options = content.locator(sel.SIZE_OPTION)
        await self._wait(run, options.first, sel.SIZE_OPTION)
        labels: list[str] = await options.evaluate_all(
            "(els, attr) => els.map(e => e.getAttribute(attr) || e.textContent.trim())",
            sel.SIZE_OPTION_LABEL_ATTRIBUTE,
        )
        index = match_size(size, labels)
        if index is None:
            await self._close_picker(run, sel.SIZE_PICKER)
            offered = ", ".join(labels)
            raise _Stop(FieldRejected("size", f"no size matches {size!r}; offered: {offered}"))
        await options.nth(index).click()
        await self._expect(
            run, expect(trigger).not_to_have_value(""), sel.picker_input(sel.SIZE_PICKER)
        )

    async def _choose_condition(self, run: _Run, condition: Condition) -> None:
        run.step = "condition"
        content = await self._open_picker(run, sel.CONDITION_PICKER)
        option = content.locator(sel.condition_option(condition.vinted_id)).first
        await self._wait(run, option, sel.condition_option(condition.vinted_id))
        await option.click()
        trigger = run.page.locator(sel.picker_input(sel.CONDITION_PICKER))
        await self._expect(
            run, expect(trigger).not_to_have_value(""), sel.picker_input(sel.CONDITION_PICKER)
        )

    async def _choose_colours(self, run: _Run, colours: list[str]) -> None:
        """Tick up to two colours, found by name in our fr/en/de table."""
        run.step = "colours"
        wanted, unknown = colour_ids(colours, sel.MAX_COLOURS)
        if unknown:
            run.notes.append(f"colours not on Vinted's list: {', '.join(unknown)}")
        if not wanted:
            return
        content = await self._open_picker(run, sel.COLOUR_PICKER)
        for colour in wanted:
            row = content.locator(sel.colour_row(colour)).first
            box = content.locator(sel.colour_checkbox(colour)).first
            await self._wait(run, row, sel.colour_row(colour))
            if not await box.is_checked():
                await row.click()
            await self._expect(run, expect(box).to_be_checked(), sel.colour_checkbox(colour))
        await self._close_picker(run, sel.COLOUR_PICKER)

    async def _choose_material(self, run: _Run, material: str | None) -> None:
        """Tick the materials whose label matches ours; skip when none does."""
        run.step = "material"
        names = material_names(material or "")
        trigger = run.page.locator(sel.picker_input(sel.MATERIAL_PICKER))
        if not names:
            return
        if not await trigger.count():
            run.notes.append(f"material {material!r} not sent: this category has none")
            return
        content = await self._open_picker(run, sel.MATERIAL_PICKER)
        rows = content.locator(sel.MATERIAL_ROW)
        await self._wait(run, rows.first, sel.MATERIAL_ROW)
        offered: list[list[str]] = await rows.evaluate_all(
            "els => els.map(e => [e.getAttribute('data-testid') || '', e.innerText.trim()])"
        )
        chosen: list[int] = []
        for name in names:
            for test_id, label in offered:
                suffix = test_id.removeprefix(sel.MATERIAL_ROW_PREFIX)
                if suffix.isdigit() and material_matches(name, label):
                    if int(suffix) not in chosen and len(chosen) < sel.MAX_MATERIALS:
                        chosen.append(int(suffix))
                    break
        if not chosen:
            run.notes.append(f"material {material!r} is not on Vinted's list: left empty")
        for material_id in chosen:
            box = content.locator(sel.material_checkbox(material_id)).first
            if not await box.is_checked():
                await content.locator(sel.material_row(material_id)).first.click()
            await self._expect(
                run, expect(box).to_be_checked(), sel.material_checkbox(material_id)
            )
        await self._close_picker(run, sel.MATERIAL_PICKER)

    async def _type_price(self, run: _Run, price: float) -> None:
        """Type the price in the page's locale, leave the field, and read it back."""
        run.step = "price"
        box = run.page.locator(sel.PRICE)
        await self._wait(run, box, sel.PRICE)
        language = await run.page.evaluate("document.documentElement.lang || ''")
        separator = "." if str(language).lower().startswith("en") else ","
        text = f"{price:.2f}".replace(".", separator)
        shown = ""
        for _ in range(2):
            await self._type(run, box, text)
            await run.page.keyboard.press("Tab")
            shown = await box.input_value()
            if parse_price(shown) == round(price, 2):
                return
        raise _Stop(FieldRejected("price", f"typed {text} but the page shows {shown!r}"))

    async def _choose_package_size(self, run: _Run, size: int) -> None:
        run.step = "package_size"
        cell = run.page.locator(sel.package_cell(size)).first
        await self._wait(run, cell, sel.package_cell(size))
        await cell.click()
        radio = run.page.locator(sel.package_radio(size)).first
        await self._expect(run, expect(radio).to_be_checked(), sel.package_radio(size))

    async def _untick_bump(self, run: _Run) -> None:
        """Make sure the paid boost stays off."""
        run.step = "bump"
        bump = run.page.locator(sel.BUMP).first
        if await bump.count() and await bump.is_checked():
            await bump.uncheck()
            run.notes.append("the boost box was ticked: unticked it")
        if await bump.count():
            await self._expect(run, expect(bump).not_to_be_checked(), sel.BUMP)

    # submit
    async def _submit(
        self, run: _Run, mode: str, on_created: Callable[[int], Awaitable[None]] | None
    ) -> Outcome:
        """Click publish (or save as draft) and read the create call's answer."""
        run.step = "submit"
        page = run.page
        button_selector = sel.SAVE_BUTTON if mode == "publish" else sel.SAVE_DRAFT_BUTTON
        api_path = sel.CREATE_ITEM_API if mode == "publish" else sel.SAVE_DRAFT_API
        key = "item" if mode == "publish" else "draft"
        button = page.locator(button_selector).first
        await self._wait(run, button, button_selector)
        # The button stays disabled while photos are still being processed.
        try:
            await expect(button).to_be_enabled(timeout=self._timeout_ms)
        except AssertionError as exc:
            raise _Stop(PageChanged(run.step, f"{button_selector}:enabled")) from exc

        loop = asyncio.get_running_loop()
        answer: asyncio.Future[_Answer] = loop.create_future()

        def is_create_call(method: str, url: str) -> bool:
            return method == "POST" and urlparse(url).path == api_path

        # Chromium's own interception pauses the create call twice: before it leaves (to check
        # it asks for no paid boost) and when its answer arrives (to read the id before the
        # page sees it and leaves). The call itself goes through the browser's network stack.
        cdp = await run.context.new_cdp_session(page)

        async def paused(event: dict[str, Any]) -> None:
            request_id = event["requestId"]
            request = event["request"]
            try:
                if not is_create_call(request["method"], request["url"]) or answer.done():
                    await cdp.send("Fetch.continueRequest", {"requestId": request_id})
                elif "responseStatusCode" in event or "responseErrorReason" in event:
                    await self._read_create_answer(run, cdp, event, answer, key, mode, on_created)
                elif asks_for_boost(request.get("postData")):
                    answer.set_result(_Answer(refused_boost=True))
                    await cdp.send(
                        "Fetch.failRequest", {"requestId": request_id, "errorReason": "Aborted"}
                    )
                else:
                    run.maybe_created = True
                    await cdp.send("Fetch.continueRequest", {"requestId": request_id})
            except PlaywrightError as exc:
                if not answer.done():
                    answer.set_result(_Answer(error=first_line(exc)))

        def failed(request: Request) -> None:
            if is_create_call(request.method, request.url) and not answer.done():
                answer.set_result(_Answer(error=request.failure or "the create call failed"))

        pattern = f"*{api_path}"
        cdp.on("Fetch.requestPaused", paused)
        page.on("requestfailed", failed)
        try:
            await cdp.send(
                "Fetch.enable",
                {
                    "patterns": [
                        {"urlPattern": pattern, "requestStage": "Request"},
                        {"urlPattern": pattern, "requestStage": "Response"},
                    ]
                },
            )
            await button.click()
            result = await self._await_answer(run, answer)
        finally:
            page.remove_listener("requestfailed", failed)
            with contextlib.suppress(PlaywrightError):
                await cdp.detach()
        return await self._read_outcome(run, result, mode, key)

    async def _read_create_answer(
        self,
        run: _Run,
        cdp: CDPSession,
        event: dict[str, Any],
        answer: asyncio.Future[_Answer],
        key: str,
        mode: str,
        on_created: Callable[[int], Awaitable[None]] | None,
    ) -> None:
        """Read the paused create answer, hand its id to on_created, then let the page have it."""
        request_id = event["requestId"]
        if "responseErrorReason" in event:
            answer.set_result(_Answer(error=str(event["responseErrorReason"])))
            await cdp.send("Fetch.continueRequest", {"requestId": request_id})
            return
        status = int(event["responseStatusCode"])
        headers = {h["name"].lower(): h["value"] for h in event.get("responseHeaders") or []}
        got = await cdp.send("Fetch.getResponseBody", {"requestId": request_id})
        raw = base64.b64decode(got["body"]) if got.get("base64Encoded") else got["body"].encode()
        text = raw.decode("utf-8", errors="replace")
        data: Any = None
        with contextlib.suppress(ValueError):
            data = json.loads(text)
        created = entity_id(data, key)
        # A refusal (4xx) is definite; a crash, or a success without an id, is not.
        run.maybe_created = status >= 500 or (200 <= status < 300 and created is None)
        if 200 <= status < 300 and created is not None and on_created and mode == "publish":
            try:
                await on_created(created)
            except Exception as exc:  # noqa: BLE001 - the listing exists regardless
                log.exception("on_created(%s) failed", created)
                run.notes.append(f"on_created({created}) failed: {exc!r}")
        answer.set_result(_Answer(status, headers, body=data, text=text))
        await cdp.send("Fetch.continueRequest", {"requestId": request_id})

    async def _await_answer(self, run: _Run, answer: asyncio.Future[_Answer]) -> _Answer:
        """Wait for the create call's answer; field errors shown without a call end it too."""
        errors = run.page.locator(sel.FIELD_ERROR)
        deadline = time.monotonic() + self._timeout_ms * 2 / 1000
        while not answer.done():
            if not run.maybe_created and await errors.count():
                return _Answer(status=-1)  # the form refused to send: errors are on the page
            if time.monotonic() > deadline:
                await self._check_blockers(run, None)
                raise _Stop(Timeout(step=run.step, detail="no answer to the create call"))
            await asyncio.wait([answer], timeout=0.25)
        return answer.result()

    async def _read_outcome(self, run: _Run, answer: _Answer, mode: str, key: str) -> Outcome:
        """Turn the create call's answer into an outcome; only an id in it means published."""
        page = run.page
        if answer.refused_boost:
            return FieldRejected("push_up", "the page asked for the paid boost: not sent")
        if answer.error:
            return NetworkFailure(step=run.step, detail=answer.error)
        created = entity_id(answer.body, key)
        if 200 <= answer.status < 300:
            if created is None:
                run.maybe_created = True
                return PageChanged(run.step, f"{key}.id in the answer")
            # Let the page land on the wardrobe so its cookies settle; the id is what counts.
            with contextlib.suppress(PlaywrightError):
                await page.wait_for_url(
                    lambda url: urlparse(url).path != sel.UPLOAD_PATH, timeout=5_000
                )
            if mode == "publish":
                return Published(created, self._url(sel.item_path(created)), step=run.step)
            return SavedAsDraft(created, step=run.step)
        if answer.status == 429:
            return RateLimited(retry_after(answer.headers), step=run.step)
        if answer.status >= 500 or answer.status == 0:
            dialog = page.locator(sel.CRITICAL_ERROR_DIALOG)
            with contextlib.suppress(PlaywrightTimeout):
                await dialog.wait_for(state="visible", timeout=5_000)
            raise _Crashed()
        if answer.status == 401:
            return SessionExpired(step=run.step, detail="the create call answered 401")
        if answer.status == 403:
            if sel.CAPTCHA_API_MARKER in answer.text:
                return CaptchaRequired(step=run.step)
            message = answer.body.get("message") if isinstance(answer.body, dict) else None
            return FieldRejected("form", str(message or "Vinted refused the listing (403)"))
        return await self._field_error(run, answer)

    async def _field_error(self, run: _Run, answer: _Answer) -> Outcome:
        """Return the first field error the page shows (or the API gave) as FieldRejected."""
        errors = run.page.locator(sel.FIELD_ERROR)
        with contextlib.suppress(PlaywrightTimeout):
            await errors.first.wait_for(state="visible", timeout=5_000)
        if await errors.count():
            first = errors.first
            test_id = await first.get_attribute("data-testid") or ""
            name = test_id.removesuffix(sel.FIELD_ERROR_SUFFIX)
            message = " ".join((await first.inner_text()).split())
            return FieldRejected(sel.ERROR_FIELDS.get(name, name), message, step=run.step)
        body = answer.body if isinstance(answer.body, dict) else {}
        for error in body.get("errors") or []:
            if isinstance(error, dict) and error.get("field"):
                name = str(error["field"])
                return FieldRejected(
                    sel.ERROR_FIELDS.get(name, name), str(error.get("value", "")), step=run.step
                )
        message = str(body.get("message") or f"Vinted answered {answer.status}")
        return FieldRejected("form", message, step=run.step)

    # ------------------------------------------------------------------ wardrobe
    async def _find_on_wardrobe(self, run: _Run, user_id: int, title: str) -> int | None:
        """Return the newest listing with this title on the member's wardrobe page."""
        run.step = "find_listing"
        page = run.page
        await self._goto(run, self._url(sel.wardrobe_path(user_id)))
        grid = page.locator(sel.WARDROBE_ITEMS).first
        await self._wait(run, grid, sel.WARDROBE_ITEMS, state="attached")  # empty: no height
        entries: list[list[str]] = await page.locator(sel.WARDROBE_ITEM_TITLE).evaluate_all(
            "els => els.map(e => [e.getAttribute('data-testid') || '', e.textContent || ''])"
        )
        wanted = same_title(title)
        for test_id, shown in entries:
            found = re.fullmatch(sel.WARDROBE_ITEM_ID_PATTERN, test_id)
            if found and same_title(shown) == wanted:
                return int(found[1])
        return None

    # ------------------------------------------------------------------ health check
    async def _health_check(
        self,
        run: _Run,
        category_path: list[str] | None,
        missing: list[str],
        checked: list[str],
    ) -> None:
        """Probe each selector of the form and of a leaf category's pickers."""
        page = run.page
        form = [sel.PHOTO_INPUT, sel.TITLE, sel.DESCRIPTION, sel.CATALOG_INPUT, sel.PRICE]
        await self._open_upload_page(run, [*form, sel.SAVE_BUTTON])
        run.step = "health_check"
        probe_ms = min(self._timeout_ms, 5_000)

        async def probe(
            root: Page | Locator, selector: str, state: str = "visible", record: bool = True
        ) -> bool:
            try:
                await root.locator(selector).first.wait_for(
                    state=state,  # type: ignore[arg-type]
                    timeout=probe_ms,
                )
                present = True
            except PlaywrightTimeout:
                present = False
            if record:
                checked.append(selector)
                if not present:
                    missing.append(selector)
            return present

        # The whole form is rendered at once: probe it all together, so one renamed control
        # costs one timeout rather than one each.
        static = [(sel.PHOTO_INPUT, "attached"), (sel.PHOTO_GRID, "attached")]
        static += [(s, "visible") for s in (*form[1:], sel.SAVE_BUTTON, sel.SAVE_DRAFT_BUTTON)]
        for size in (1, 2, 3):
            static += [(sel.package_cell(size), "visible"), (sel.package_radio(size), "attached")]
        static.append((sel.BUMP, "attached"))
        found = await asyncio.gather(*(probe(page, s, state, record=False) for s, state in static))
        for (selector, _), present in zip(static, found, strict=True):
            checked.append(selector)
            if not present:
                missing.append(selector)
        if sel.CATALOG_INPUT in missing:
            return

        run.step = "category"
        answer = await self._fetch_json(run, sel.CATALOGS_API)
        if answer.status != 200 or not isinstance(answer.body, dict):
            raise _Stop(self._api_refusal(run, answer, sel.CATALOGS_API))
        leaf_ids = _first_leaf(answer.body.get("catalogs") or [], category_path)
        if not leaf_ids:
            missing.append(f"{sel.CATALOGS_API} (no leaf for {category_path})")
            return
        content = await self._open_picker(run, sel.CATALOG_PICKER)
        for catalog_id in leaf_ids:
            if not await probe(content, sel.catalog_row(catalog_id)):
                return
            await content.locator(sel.catalog_row(catalog_id)).first.click()
        chosen = f"{sel.CATALOG_INPUT}[{sel.CATALOG_ID_ATTRIBUTE}]"
        checked.append(chosen)
        category = page.locator(sel.CATALOG_INPUT)
        try:
            await expect(category).to_have_attribute(
                sel.CATALOG_ID_ATTRIBUTE, str(leaf_ids[-1]), timeout=probe_ms
            )
        except AssertionError:
            missing.append(chosen)

        inside = {
            sel.BRAND_PICKER: [sel.BRAND_SEARCH, sel.NO_BRAND],
            sel.SIZE_PICKER: [sel.SIZE_OPTION],
            sel.CONDITION_PICKER: [sel.condition_option(Condition.VERY_GOOD.vinted_id)],
            sel.COLOUR_PICKER: [sel.colour_row(9), sel.colour_checkbox(9)],
            sel.MATERIAL_PICKER: [sel.MATERIAL_ROW],
        }
        for key, options in inside.items():
            run.step = key
            if not await probe(page, sel.picker_input(key)):
                continue
            await page.locator(sel.picker_input(key)).click()
            if await probe(page, sel.picker_content(key)):
                for selector in options:
                    await probe(page.locator(sel.picker_content(key)), selector, "attached")
                await self._close_picker(run, key)


# ---------------------------------------------------------------------- helpers
async def _has_text(page: Page, text: str) -> bool:
    return await page.get_by_text(re.compile(re.escape(text), re.IGNORECASE)).count() > 0


def _first_leaf(catalogs: list[dict[str, Any]], path: list[str] | None) -> list[int]:
    """Return the ids down to the leaf at path, or down the first child of each level."""
    ids: list[int] = []
    level = catalogs
    for depth in range(12):
        if not level:
            return ids
        if path is not None and depth < len(path):
            node = next((n for n in level if n.get("title") == path[depth]), None)
            if node is None:
                return []
        else:
            node = level[0]
        ids.append(int(node["id"]))
        level = node.get("catalogs") or []
    return ids if not level else []
