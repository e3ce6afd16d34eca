"""Updates reaching the bot: getUpdates long polling, confirming by offset, the webhook calls.

Updates are queued by ``FakeState._push_update``; the default types are in ``state``.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy

from tests.fakes.telegram.errors import ApiError
from tests.fakes.telegram.model import JSON, Upload
from tests.fakes.telegram.state import DEFAULT_UPDATE_TYPES, FakeState

CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


class Updates(FakeState):
    """getUpdates, deleteWebhook and getWebhookInfo."""

    async def _get_updates(self, params: JSON, files: dict[str, Upload]) -> list[JSON]:
        offset = params.get("offset")
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = frozenset(allowed) if allowed else DEFAULT_UPDATE_TYPES
        if isinstance(offset, int | float):
            offset = int(offset)
            if offset < 0:
                del self._updates[:offset]
            else:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()  # an older long poll now learns it was superseded
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        self._waiting_polls += 1
        try:
            while True:
                if generation != self._poll_generation:
                    raise ApiError(409, CONFLICT)
                # Telegram never produces updates of types the bot did not ask for.
                self._updates = [
                    u
                    for u in self._updates
                    if next(k for k in u if k != "update_id") in self._allowed_updates
                ]
                if self._updates or self._closing:
                    return copy.deepcopy(self._updates[:limit])
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return []
                changed = self._changed
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(changed.wait(), remaining)
        finally:
            self._waiting_polls -= 1

    def _delete_webhook(self, params: JSON, files: dict[str, Upload]) -> bool:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _get_webhook_info(self, params: JSON, files: dict[str, Upload]) -> JSON:
        return {
            "url": "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
