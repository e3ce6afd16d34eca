"""A replica served from a background thread, for synchronous callers."""

from __future__ import annotations

import asyncio
import threading
from typing import TYPE_CHECKING, Any

from tests.fakes.vinted.records import CreatedItem, RecordedRequest, SavedDraft

if TYPE_CHECKING:
    from tests.fakes.vinted.server import FakeVinted


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

    def set_variant(self, name: str) -> None:
        self.server.set_variant(name)

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
