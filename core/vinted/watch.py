"""What Vinted's own API answers the page, watched while a run waits on the page.

An answer that already says why a step cannot succeed ends the wait at once: a 429 anywhere is
a rate limit (with its Retry-After), a 403 naming captcha-delivery is a captcha, a refused
photo upload is a rejected photo, and a 5xx is the page's crash (transient: reload and fill
again). The create call is not judged here: submit reads its answer itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from urllib.parse import urlparse

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Response

from core.marketplace import CaptchaRequired, FieldRejected, RateLimited
from core.vinted import selectors as sel
from core.vinted.errors import Crashed, Stop
from core.vinted.helpers import retry_after

log = logging.getLogger(__name__)


class ServerCrashed(Crashed):
    """An API call of the page answered 5xx: the page shows (or will show) its crash dialog."""

    def __init__(self, path: str, status: int) -> None:
        super().__init__(f"{path} answered {status}")
        self.path = path
        self.status = status


class ApiWatch:
    """Raise the first telling API answer of a page at whoever waits on that page."""

    def __init__(self, page: Page, *, own_calls: tuple[str, ...]) -> None:
        self._own_calls = own_calls  # paths whose answers a step reads itself
        self._tasks: set[asyncio.Task[None]] = set()
        self.alarm: Exception | None = None
        self.raised = asyncio.Event()
        page.on("response", self._on_response)

    def check(self) -> None:
        """Raise the alarm's exception if an answer already said why the run must stop."""
        if self.alarm is not None:
            raise self.alarm

    def ignore(self) -> None:
        """Forget the alarm (a reload starts the page afresh)."""
        self.alarm = None
        self.raised.clear()

    def _sound(self, alarm: Exception) -> None:
        if self.alarm is None:
            log.info("the page's API said stop: %s", alarm)
            self.alarm = alarm
            self.raised.set()

    def _on_response(self, response: Response) -> None:
        path = urlparse(response.url).path
        if not path.startswith(sel.API_PREFIX):
            return
        status = response.status
        if status == 429:
            self._sound(Stop(RateLimited(retry_after(dict(response.headers)))))
        elif path in self._own_calls:
            return
        elif status >= 500:
            self._sound(ServerCrashed(path, status))
        elif status == 403 or (path == sel.PHOTOS_API and 400 <= status < 500):
            task = asyncio.ensure_future(self._read_refusal(response, path, status))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _read_refusal(self, response: Response, path: str, status: int) -> None:
        """Tell a captcha (403 naming captcha-delivery) or a refused photo from other 4xx."""
        text = ""
        with contextlib.suppress(PlaywrightError):
            text = await response.text()
        if status == 403 and sel.CAPTCHA_API_MARKER in text:
            self._sound(Stop(CaptchaRequired()))
        elif path == sel.PHOTOS_API and status != 403:
            self._sound(Stop(FieldRejected("photos", f"Vinted refused a photo ({status})")))
