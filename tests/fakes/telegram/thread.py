"""A FakeTelegram on its own thread and loop, with thread-safe helpers, for a bot elsewhere."""

from __future__ import annotations

import asyncio
import concurrent.futures
import copy
import threading
from collections.abc import Callable, Coroutine, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from tests.fakes.telegram.model import JSON, Call, ChatMessage, ChatRef, MessageRef, User

if TYPE_CHECKING:
    from tests.fakes.telegram.server import FakeTelegram

T = TypeVar("T")


class FakeTelegramThread:
    """A FakeTelegram served from its own thread, for a bot running in another process.

    Every helper runs on the server's loop and returns copies, so tests may call them from any
    thread. The waiting helpers block; inside an async test wrap them in
    ``asyncio.to_thread``.
    """

    def __init__(self, fake: FakeTelegram) -> None:
        self.fake = fake
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._serve, name="fake-telegram", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            raise RuntimeError("the fake Telegram server did not start") from self._error

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self.fake.start())
        except BaseException as exc:  # noqa: BLE001 - reported to the starting thread
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(self.fake.stop())
        self._loop.close()

    def call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``function(*args, **kwargs)`` on the server loop; return a copy of its result."""
        if threading.get_ident() == self._thread.ident:
            return function(*args, **kwargs)
        if not self._thread.is_alive():  # stopped: the state is still there to inspect
            return copy.deepcopy(function(*args, **kwargs))
        future: concurrent.futures.Future[T] = concurrent.futures.Future()

        def run() -> None:
            try:
                future.set_result(copy.deepcopy(function(*args, **kwargs)))
            except BaseException as exc:  # noqa: BLE001 - handed to the calling thread
                future.set_exception(exc)

        self._loop.call_soon_threadsafe(run)
        return future.result(timeout=30)

    def _wait(self, coroutine: Coroutine[Any, Any, T], timeout: float) -> T:
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        return copy.deepcopy(future.result(timeout=timeout + 5))

    @property
    def url(self) -> str:
        return self.fake.url

    @property
    def token(self) -> str:
        return self.fake.token

    @property
    def base_url(self) -> str:
        return self.fake.base_url

    @property
    def base_file_url(self) -> str:
        return self.fake.base_file_url

    def stop(self) -> None:
        """Stop the server and join its thread."""
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)

    def __enter__(self) -> FakeTelegramThread:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def user_sends_text(self, user: User, text: str, reply_to: MessageRef | None = None) -> JSON:
        """Deliver a text message from the user."""
        return self.call(self.fake.user_sends_text, user, text, reply_to)

    def user_sends_command(
        self, user: User, command: str, args: Sequence[str] | str | None = None
    ) -> JSON:
        """Deliver a /command."""
        return self.call(self.fake.user_sends_command, user, command, args)

    def user_sends_photo(
        self,
        user: User,
        data: bytes,
        caption: str | None = None,
        media_group_id: str | None = None,
    ) -> JSON:
        """Deliver a photo."""
        return self.call(self.fake.user_sends_photo, user, data, caption, media_group_id)

    def user_sends_album(
        self, user: User, photos: Sequence[bytes], caption: str | None = None
    ) -> list[JSON]:
        """Deliver an album."""
        return self.call(self.fake.user_sends_album, user, photos, caption)

    def user_sends_document(
        self, user: User, data: bytes, file_name: str, mime_type: str | None = None, **kwargs: Any
    ) -> JSON:
        """Deliver a file."""
        return self.call(self.fake.user_sends_document, user, data, file_name, mime_type, **kwargs)

    def user_sends_video(self, user: User, *args: Any, **kwargs: Any) -> JSON:
        """Deliver a video."""
        return self.call(self.fake.user_sends_video, user, *args, **kwargs)

    def user_sends_sticker(self, user: User, emoji: str = "👍") -> JSON:
        """Deliver a sticker."""
        return self.call(self.fake.user_sends_sticker, user, emoji)

    def user_presses(
        self, user: User, message: MessageRef, callback_data: str, *, strict: bool = True
    ) -> JSON:
        """Press an inline button."""
        return self.call(self.fake.user_presses, user, message, callback_data, strict=strict)

    def messages(self, chat: ChatRef) -> list[ChatMessage]:
        """Return the bot's visible messages in the chat."""
        return self.call(self.fake.messages, chat)

    def history(self, chat: ChatRef) -> list[ChatMessage]:
        """Return every message of the chat."""
        return self.call(self.fake.history, chat)

    def calls(self, method: str | None = None) -> list[Call]:
        """Return logged calls."""
        return self.call(self.fake.calls, method)

    @property
    def errors(self) -> list[Call]:
        return self.call(lambda: self.fake.errors)

    @property
    def downloads(self) -> list[str]:
        return self.call(lambda: list(self.fake.downloads))

    def callback_answer(self, update_or_query: JSON | str) -> JSON | None:
        """Return how a press was answered."""
        return self.call(self.fake.callback_answer, update_or_query)

    def rate_limit(
        self, method: str | Iterable[str] | None = None, *, retry_after: int = 1, times: int = 1
    ) -> None:
        """Answer the next calls with 429."""
        self.call(self.fake.rate_limit, method, retry_after=retry_after, times=times)

    def describe(self) -> str:
        """Render the chats and the latest calls."""
        return self.call(self.fake.describe)

    def wait_for(
        self, predicate: Callable[[], T | None], timeout: float = 10.0, what: str | None = None
    ) -> T:
        """Block until the predicate (run on the server thread) is truthy."""
        return self._wait(self.fake.wait_for(predicate, timeout, what), timeout)

    def wait_for_message(
        self,
        chat: ChatRef,
        predicate: Callable[[ChatMessage], bool] | str | None = None,
        *,
        since: MessageRef | None = None,
        timeout: float = 10.0,
    ) -> ChatMessage:
        """Block until the bot shows a matching message."""
        return self._wait(
            self.fake.wait_for_message(chat, predicate, since=since, timeout=timeout), timeout
        )

    def wait_for_call(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        *,
        timeout: float = 10.0,
    ) -> Call:
        """Block until the bot makes a matching call."""
        return self._wait(self.fake.wait_for_call(method, predicate, timeout=timeout), timeout)
