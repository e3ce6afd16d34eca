"""Publish listings through Vinted's upload page in a headless Chromium, as the seller would.

One browser per process, one short-lived BrowserContext per call holding the seller's cookies.
Every call returns the cookies as they stand afterwards: Vinted rotates its tokens, and the
refresh token is single use, so the caller must save them.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from playwright.async_api import CDPSession, Locator, Page, Request, expect
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from core.models import Condition
from core.vinted import selectors as sel
from core.vinted.browser import Chromium
from core.vinted.category import catalog_ids, fetch_catalogs, first_leaf
from core.vinted.form import fill_form, open_upload_page
from core.vinted.helpers import asks_for_boost, entity_id, first_line, match_size, retry_after
from core.vinted.listing import MODES, ListingToPublish, invalid_listing
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
)
from core.vinted.page import Answer, CookieSink, Crashed, Run, RunConfig, Stop, guarded, open_run
from core.vinted.pickers import close_picker, open_picker
from core.vinted.session import check_session, current_user
from core.vinted.wardrobe import find_on_wardrobe

__all__ = ["ListingToPublish", "VintedPublisher", "match_size"]

log = logging.getLogger(__name__)

OnCreated = Callable[[int], Awaitable[None]]


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
        self._chromium = Chromium(
            executable_path=executable_path,
            headless=headless,
            locale=locale,
            timezone_id=timezone_id,
        )
        self._config = RunConfig(
            base_url=self.base_url,
            screenshots_dir=Path(screenshots_dir),
            timeout_ms=timeout_ms,
            photo_timeout_ms=photo_timeout_ms,
            refresh_timeout_ms=session_refresh_timeout_ms,
            typing_ms=(min(slow_typing_ms), max(slow_typing_ms)),
            rng=random.Random(),
        )

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
        async with self._open(cookies, on_cookies) as run:
            found = await guarded(run, check_session(run))
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
        on_created: OnCreated | None = None,
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
        async with self._open(cookies, on_cookies) as run:
            outcome = await guarded(run, _publish(run, listing, mode, on_created))
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
        async with self._open(cookies, on_cookies) as run:
            result = await guarded(run, health_check(run, category_path, missing, checked))
            screenshot = await run.screenshot("health_check") if missing else None
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
        async with self._open(cookies, on_cookies) as run:
            found = await guarded(run, find_on_wardrobe(run, user_id, title))
        if isinstance(found, Outcome):
            raise ListingLookupFailed(found)
        return found

    def _open(
        self, cookies: Cookies, on_cookies: CookieSink | None
    ) -> AbstractAsyncContextManager[Run]:
        """Open one call's run in a context holding the seller's cookies."""
        return open_run(self._chromium, self._config, cookies, on_cookies)


# ---------------------------------------------------------------------- publishing
async def _publish(
    run: Run, listing: ListingToPublish, mode: str, on_created: OnCreated | None
) -> Outcome:
    """Fill and send the form; after a crash dialog, once more from a fresh page."""
    for attempt in (1, 2):
        try:
            await open_upload_page(run, [sel.PHOTO_INPUT])
            leaf_ids = await catalog_ids(run, listing.category_path)
            await fill_form(run, listing, leaf_ids)
            if mode == "dry_run":
                run.step = "dry_run"
                shot = await run.screenshot("dry_run")
                return DryRunDone(step="dry_run", screenshot=shot)
            return await submit(run, mode, on_created)
        except Crashed:
            if attempt == 2:
                raise
            if run.maybe_created and not await _safe_to_retry(run, listing.title):
                raise
            run.notes.append(f"the page crashed at {run.step!r}: reloaded, filled it again")
            log.warning("upload page crashed at %r: retrying the whole form", run.step)
    raise AssertionError("unreachable")


async def _safe_to_retry(run: Run, title: str) -> bool:
    """Return whether a crashed create call left no listing behind, as far as we can see."""
    step = run.step
    try:
        user_id, _ = await current_user(run)
        found = await find_on_wardrobe(run, user_id, title)
    except (Stop, Crashed, PlaywrightError) as exc:
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


async def submit(run: Run, mode: str, on_created: OnCreated | None) -> Outcome:
    """Click publish (or save as draft) and read the create call's answer."""
    run.step = "submit"
    page = run.page
    button_selector = sel.SAVE_BUTTON if mode == "publish" else sel.SAVE_DRAFT_BUTTON
    api_path = sel.CREATE_ITEM_API if mode == "publish" else sel.SAVE_DRAFT_API
    key = "item" if mode == "publish" else "draft"
    button = page.locator(button_selector).first
    await run.wait(button, button_selector)
    # The button stays disabled while photos are still being processed.
    try:
        await expect(button).to_be_enabled(timeout=run.config.timeout_ms)
    except AssertionError as exc:
        raise Stop(PageChanged(run.step, f"{button_selector}:enabled")) from exc

    cdp = await run.context.new_cdp_session(page)
    call = _CreateCall(run, cdp, api_path, key, on_created if mode == "publish" else None)
    pattern = f"*{api_path}"
    paused, failed = call.paused, call.failed
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
        result = await _await_answer(run, call.answer)
    finally:
        page.remove_listener("requestfailed", failed)
        with contextlib.suppress(PlaywrightError):
            await cdp.detach()
    return await _read_outcome(run, result, mode, key)


class _CreateCall:
    """The create (or draft) call, which Chromium's own interception pauses twice.

    Before it leaves, to check it asks for no paid boost, and when its answer arrives, to read
    the id before the page sees it and leaves. The call itself goes through the browser's
    network stack.
    """

    def __init__(
        self, run: Run, cdp: CDPSession, api_path: str, key: str, on_created: OnCreated | None
    ) -> None:
        self._run = run
        self._cdp = cdp
        self._api_path = api_path
        self._key = key
        self._on_created = on_created
        self.answer: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()

    def _is_create_call(self, method: str, url: str) -> bool:
        """Return whether a request is our create call."""
        return method == "POST" and urlparse(url).path == self._api_path

    async def paused(self, event: dict[str, Any]) -> None:
        """Let other calls through; check ours on its way out, read its answer on its way back."""
        request_id = event["requestId"]
        request = event["request"]
        answer, cdp = self.answer, self._cdp
        try:
            if not self._is_create_call(request["method"], request["url"]) or answer.done():
                await cdp.send("Fetch.continueRequest", {"requestId": request_id})
            elif "responseStatusCode" in event or "responseErrorReason" in event:
                await self._read_answer(event)
            elif asks_for_boost(request.get("postData")):
                answer.set_result(Answer(refused_boost=True))
                await cdp.send(
                    "Fetch.failRequest", {"requestId": request_id, "errorReason": "Aborted"}
                )
            else:
                self._run.maybe_created = True
                await cdp.send("Fetch.continueRequest", {"requestId": request_id})
        except PlaywrightError as exc:
            if not answer.done():
                answer.set_result(Answer(error=first_line(exc)))

    def failed(self, request: Request) -> None:
        """Take a create call the network failed as its answer."""
        if self._is_create_call(request.method, request.url) and not self.answer.done():
            self.answer.set_result(Answer(error=request.failure or "the create call failed"))

    async def _read_answer(self, event: dict[str, Any]) -> None:
        """Read the paused create answer, hand its id to on_created, then let the page have it."""
        run, cdp = self._run, self._cdp
        request_id = event["requestId"]
        if "responseErrorReason" in event:
            self.answer.set_result(Answer(error=str(event["responseErrorReason"])))
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
        created = entity_id(data, self._key)
        # A refusal (4xx) is definite; a crash, or a success without an id, is not.
        run.maybe_created = status >= 500 or (200 <= status < 300 and created is None)
        if 200 <= status < 300 and created is not None and self._on_created:
            try:
                await self._on_created(created)
            except Exception as exc:  # noqa: BLE001 - the listing exists regardless
                log.exception("on_created(%s) failed", created)
                run.notes.append(f"on_created({created}) failed: {exc!r}")
        self.answer.set_result(Answer(status, headers, body=data, text=text))
        await cdp.send("Fetch.continueRequest", {"requestId": request_id})


async def _await_answer(run: Run, answer: asyncio.Future[Answer]) -> Answer:
    """Wait for the create call's answer; field errors shown without a call end it too."""
    errors = run.page.locator(sel.FIELD_ERROR)
    deadline = time.monotonic() + run.config.timeout_ms * 2 / 1000
    while not answer.done():
        if not run.maybe_created and await errors.count():
            return Answer(status=-1)  # the form refused to send: errors are on the page
        if time.monotonic() > deadline:
            await run.check_blockers(None)
            raise Stop(Timeout(step=run.step, detail="no answer to the create call"))
        await asyncio.wait([answer], timeout=0.25)
    return answer.result()


async def _read_outcome(run: Run, answer: Answer, mode: str, key: str) -> Outcome:
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
            return Published(created, run.url(sel.item_path(created)), step=run.step)
        return SavedAsDraft(created, step=run.step)
    if answer.status == 429:
        return RateLimited(retry_after(answer.headers), step=run.step)
    if answer.status >= 500 or answer.status == 0:
        dialog = page.locator(sel.CRITICAL_ERROR_DIALOG)
        with contextlib.suppress(PlaywrightTimeout):
            await dialog.wait_for(state="visible", timeout=5_000)
        raise Crashed()
    if answer.status == 401:
        return SessionExpired(step=run.step, detail="the create call answered 401")
    if answer.status == 403:
        if sel.CAPTCHA_API_MARKER in answer.text:
            return CaptchaRequired(step=run.step)
        message = answer.body.get("message") if isinstance(answer.body, dict) else None
        return FieldRejected("form", str(message or "Vinted refused the listing (403)"))
    return await _field_error(run, answer)


async def _field_error(run: Run, answer: Answer) -> Outcome:
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


@dataclass
class _Checklist:
    """The selectors probed so far, those missing among them, and how long each may take."""

    checked: list[str]
    missing: list[str]
    probe_ms: int

    async def finds(self, root: Page | Locator, selector: str, state: str = "visible") -> bool:
        """Return whether the selector reaches this state within the probe time."""
        try:
            await root.locator(selector).first.wait_for(
                state=state,  # type: ignore[arg-type]
                timeout=self.probe_ms,
            )
        except PlaywrightTimeout:
            return False
        return True

    def note(self, selector: str, present: bool) -> bool:
        """Record a probed selector, and whether it is missing; return whether it is present."""
        self.checked.append(selector)
        if not present:
            self.missing.append(selector)
        return present

    async def probe(self, root: Page | Locator, selector: str, state: str = "visible") -> bool:
        """Probe one selector and record the result."""
        return self.note(selector, await self.finds(root, selector, state))


async def health_check(
    run: Run, category_path: list[str] | None, missing: list[str], checked: list[str]
) -> None:
    """Probe each selector of the form and of a leaf category's pickers."""
    page = run.page
    form = [sel.PHOTO_INPUT, sel.TITLE, sel.DESCRIPTION, sel.CATALOG_INPUT, sel.PRICE]
    await open_upload_page(run, [*form, sel.SAVE_BUTTON])
    run.step = "health_check"
    checklist = _Checklist(checked, missing, min(run.config.timeout_ms, 5_000))

    # The whole form is rendered at once: probe it all together, so one renamed control
    # costs one timeout rather than one each.
    static = [(sel.PHOTO_INPUT, "attached"), (sel.PHOTO_GRID, "attached")]
    static += [(s, "visible") for s in (*form[1:], sel.SAVE_BUTTON, sel.SAVE_DRAFT_BUTTON)]
    for size in (1, 2, 3):
        static += [(sel.package_cell(size), "visible"), (sel.package_radio(size), "attached")]
    static.append((sel.BUMP, "attached"))
    found = await asyncio.gather(*(checklist.finds(page, s, state) for s, state in static))
    for (selector, _), present in zip(static, found, strict=True):
        checklist.note(selector, present)
    if sel.CATALOG_INPUT in missing:
        return

    run.step = "category"
    leaf_ids = first_leaf(await fetch_catalogs(run), category_path)
    if not leaf_ids:
        missing.append(f"{sel.CATALOGS_API} (no leaf for {category_path})")
        return
    content = await open_picker(run, sel.CATALOG_PICKER)
    for catalog_id in leaf_ids:
        if not await checklist.probe(content, sel.catalog_row(catalog_id)):
            return
        await content.locator(sel.catalog_row(catalog_id)).first.click()
    chosen = f"{sel.CATALOG_INPUT}[{sel.CATALOG_ID_ATTRIBUTE}]"
    checked.append(chosen)
    category = page.locator(sel.CATALOG_INPUT)
    try:
        await expect(category).to_have_attribute(
            sel.CATALOG_ID_ATTRIBUTE, str(leaf_ids[-1]), timeout=checklist.probe_ms
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
        if not await checklist.probe(page, sel.picker_input(key)):
            continue
        await page.locator(sel.picker_input(key)).click()
        if await checklist.probe(page, sel.picker_content(key)):
            for selector in options:
                await checklist.probe(page.locator(sel.picker_content(key)), selector, "attached")
            await close_picker(run, key)
