"""Sending the form: the click, the create call's answer read before the page sees it, its outcome.

Only an id in the create call's answer means published: the page's own navigation afterwards
is not evidence either way.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import time
from typing import Any
from urllib.parse import urlparse

from playwright.async_api import CDPSession, Request, expect
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from core.marketplace import (
    CaptchaRequired,
    FieldRejected,
    KnownSink,
    NetworkFailure,
    OnCreated,
    Outcome,
    PageChanged,
    Published,
    RateLimited,
    SavedAsDraft,
    SessionExpired,
    Timeout,
)
from core.vinted import selectors as sel
from core.vinted.errors import Crashed, Stop
from core.vinted.helpers import asks_for_boost, entity_id, first_line, retry_after
from core.vinted.page import Answer, Run
from core.vinted.session import current_user
from core.vinted.wardrobe import known_items

log = logging.getLogger(__name__)


# What a field error's name (before "--error") or an API error's field most likely means.
_FIELD_NAMES = {
    "catalog": "category",
    "catalog_id": "category",
    "package-size": "package_size",
    "package_size_id": "package_size",
    "assigned_photos": "photos",
    "color": "colours",
    "color_ids": "colours",
    "brand_id": "brand",
    "size_id": "size",
    "status_id": "condition",
}


async def submit(
    run: Run, mode: str, on_created: OnCreated | None, on_known: KnownSink | None
) -> Outcome:
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

    if on_known is not None:
        # What is on the wardrobe before we send cannot be ours: a look-up after a crash
        # leaves these out.
        user_id, _ = await current_user(run)
        await on_known(await known_items(run, user_id))
    cdp = await run.context.new_cdp_session(page)
    call = _CreateCall(run, cdp, api_path, key, on_created)
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
        if not run.maybe_created:
            run.watch.check()
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
        if message:
            return FieldRejected("form", str(message), said_by_site=True)
        return FieldRejected("form", "Vinted refused the listing (403)")
    return await _field_error(run, answer)


async def _field_error(run: Run, answer: Answer) -> Outcome:
    """Return the first field error the page shows (or the API gave) as FieldRejected."""
    errors = run.page.locator(sel.FIELD_ERROR)
    with contextlib.suppress(PlaywrightTimeout):
        await errors.first.wait_for(state="visible", timeout=5_000)
    if await errors.count():
        first = errors.first
        test_id = await first.get_attribute(sel.TEST_ID_ATTRIBUTE) or ""
        name = test_id.removesuffix(sel.FIELD_ERROR_SUFFIX)
        message = " ".join((await first.inner_text()).split())
        return FieldRejected(
            _FIELD_NAMES.get(name, name), message, step=run.step, said_by_site=bool(message)
        )
    body = answer.body if isinstance(answer.body, dict) else {}
    for error in body.get("errors") or []:
        if isinstance(error, dict) and error.get("field"):
            name = str(error["field"])
            said = str(error.get("value", ""))
            return FieldRejected(
                _FIELD_NAMES.get(name, name), said, step=run.step, said_by_site=bool(said)
            )
    if body.get("message"):
        return FieldRejected("form", str(body["message"]), step=run.step, said_by_site=True)
    return FieldRejected("form", f"Vinted answered {answer.status}", step=run.step)
