"""What tests read back: the chats, the call log, and waiting on them instead of sleeping."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import TypeVar

from tests.fakes.telegram.model import (
    JSON,
    Call,
    ChatMessage,
    ChatRef,
    MessageRef,
    chat_id_of,
    message_id_of,
)
from tests.fakes.telegram.state import FakeState

T = TypeVar("T")


class Inspection(FakeState):
    """Read the chats and the call log; wait until something shows up in them."""

    # -- what tests inspect -----------------------------------------------------------------------

    def messages(self, chat: ChatRef) -> list[ChatMessage]:
        """Return the bot's messages in the chat, current state, deleted ones left out."""
        state = self._chats.get(chat_id_of(chat))
        if state is None:
            return []
        return [m for m in state.messages if m.from_bot and not m.deleted]

    def history(self, chat: ChatRef) -> list[ChatMessage]:
        """Return every message of the chat, both sides, deleted ones included."""
        state = self._chats.get(chat_id_of(chat))
        return list(state.messages) if state else []

    def last_message(self, chat: ChatRef) -> ChatMessage | None:
        """Return the bot's latest visible message in the chat."""
        visible = self.messages(chat)
        return visible[-1] if visible else None

    def message(self, chat: ChatRef, message_id: int) -> ChatMessage | None:
        """Return any message of the chat by id, deleted or not."""
        return self._find(chat_id_of(chat), message_id)

    def reply_keyboard(self, chat: ChatRef) -> JSON | None:
        """Return the reply keyboard the user currently has under the input field."""
        state = self._chats.get(chat_id_of(chat))
        return state.keyboard if state else None

    def calls(self, method: str | None = None) -> list[Call]:
        """Return logged calls, all of them or those of one method (case-insensitive)."""
        if method is None:
            return list(self._calls)
        wanted = method.lower()
        return [c for c in self._calls if c.method.lower() == wanted]

    @property
    def errors(self) -> list[Call]:
        """Return the calls the fake answered with an error."""
        return [c for c in self._calls if c.status not in (0, 200)]

    @property
    def pending_updates(self) -> int:
        """Return how many updates the bot has not confirmed yet."""
        return len(self._updates)

    @property
    def waiting_polls(self) -> int:
        """Return how many getUpdates requests are parked in a long poll right now."""
        return self._waiting_polls

    def describe(self) -> str:
        """Render the chats and the latest calls, for failure messages."""
        lines = []
        for chat_id, state in self._chats.items():
            lines.append(f"chat {chat_id} ({state.user.first_name}):")
            lines.extend(f"  {m}" for m in state.messages)
            if not state.messages:
                lines.append("  (empty)")
        if not self._chats:
            lines.append("no chats yet")
        recent = [c for c in self._calls if c.method.lower() != "getupdates"][-15:]
        lines.append("latest calls (getUpdates left out):")
        for call in recent:
            outcome = "ok" if call.ok else f"{call.status} {call.error or 'no answer'}"
            lines.append(f"  {call.method} -> {outcome}")
        lines.append(f"updates not yet confirmed by the bot: {self.pending_updates}")
        return "\n".join(lines)

    # -- waiting --------------------------------------------------------------------------------

    async def wait_for(
        self,
        predicate: Callable[[], T | None],
        timeout: float = 10.0,  # noqa: ASYNC109 - the deadline is the point of the helper
        what: str | None = None,
    ) -> T:
        """Return the predicate's first truthy value, re-checked after every call and event.

        Exceptions from the predicate (an IndexError on an empty list, say) count as "not yet".
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        last_error: BaseException | None = None
        while True:
            changed = self._changed  # taken before checking, so no change is missed
            try:
                value = predicate()
            except Exception as exc:  # noqa: BLE001 - "not yet" until the deadline
                value, last_error = None, exc
            else:
                last_error = None
            if value:
                return value
            remaining = deadline - loop.time()
            if remaining <= 0:
                detail = f" (last check raised {last_error!r})" if last_error else ""
                raise AssertionError(
                    f"timed out after {timeout}s waiting for {what or 'condition'}{detail}\n"
                    f"{self.describe()}"
                )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    async def wait_for_message(
        self,
        chat: ChatRef,
        predicate: Callable[[ChatMessage], bool] | str | None = None,
        *,
        since: MessageRef | None = None,
        timeout: float = 10.0,  # noqa: ASYNC109 - the deadline is the point of the helper
    ) -> ChatMessage:
        """Return the bot's first visible message that matches; a str matches text or caption.

        ``since`` (a message or message id) only considers messages that came after it.
        """
        after = message_id_of(since) if since is not None else 0
        check: Callable[[ChatMessage], bool]
        if isinstance(predicate, str):
            needle = predicate
            description = f"a bot message containing {needle!r}"

            def contains(message: ChatMessage) -> bool:
                return needle in message.content

            check = contains
        else:
            check = predicate or (lambda message: True)
            description = "a matching bot message"

        def find() -> ChatMessage | None:
            return next(
                (m for m in self.messages(chat) if m.message_id > after and check(m)), None
            )

        return await self.wait_for(
            find, timeout, f"{description} in chat {chat_id_of(chat)} after #{after}"
        )

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        *,
        timeout: float = 10.0,  # noqa: ASYNC109 - the deadline is the point of the helper
    ) -> Call:
        """Return the first answered call of ``method`` that matches the predicate."""
        check = predicate or (lambda call: True)
        return await self.wait_for(
            lambda: next((c for c in self.calls(method) if c.status and check(c)), None),
            timeout,
            f"a {method} call",
        )

    async def wait_until_delivered(
        self,
        timeout: float = 10.0,  # noqa: ASYNC109 - the deadline is the point of the helper
    ) -> None:
        """Wait until the bot has confirmed (fetched past) every injected update."""
        await self.wait_for(lambda: not self._updates, timeout, "the bot to confirm all updates")
