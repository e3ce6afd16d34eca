"""What the fake keeps between calls: chats, pending updates, files, presses and the call log.

``FakeState`` owns every piece of state; the other modules add behaviour to it as mixins, and
``server.FakeTelegram`` puts them together.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field

from aiohttp import web

from tests.fakes.telegram.errors import ApiError
from tests.fakes.telegram.model import JSON, Call, ChatMessage, StoredFile, User

# Telegram sends these unless the bot names chat_member & co in allowed_updates.
DEFAULT_UPDATE_TYPES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "message_reaction_count",
        "purchased_paid_media",
    }
)


@dataclass
class ChatState:
    """The private chat with one user, both sides, and what the user has under the input."""

    user: User
    messages: list[ChatMessage] = field(default_factory=list)
    keyboard: JSON | None = None  # the reply keyboard the user currently has
    blocked: bool = False


@dataclass
class QueryState:
    """A button press sent to the bot, and how the bot answered it (None until it does)."""

    update: JSON
    answer: JSON | None = None


@dataclass
class InjectedFailure:
    """What ``fail_next`` asked for: the methods to fail, how many more times, and how."""

    methods: frozenset[str] | None  # None: any method but getUpdates
    times: int
    error: ApiError


class FakeState:
    """The state of one fake Telegram, and the few helpers every part of it needs."""

    def __init__(
        self,
        token: str,
        *,
        host: str,
        port: int,
        bot_name: str,
        bot_username: str,
    ) -> None:
        self.token = token
        self.host = host
        self.port = port
        self.bot_user: JSON = {
            "id": int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 1,
            "is_bot": True,
            "first_name": bot_name,
            "username": bot_username,
        }
        self._runner: web.AppRunner | None = None
        self._changed = asyncio.Event()
        self._closing = False
        self._chats: dict[int, ChatState] = {}
        self._updates: list[JSON] = []
        self._update_ids = itertools.count(10_001)
        self._allowed_updates: frozenset[str] = DEFAULT_UPDATE_TYPES
        self._poll_generation = 0
        self._waiting_polls = 0
        self._files: dict[str, StoredFile] = {}
        self._paths: dict[str, StoredFile] = {}
        self._photo_sets: dict[str, list[JSON]] = {}
        self._file_numbers = itertools.count(1)
        self._album_ids = itertools.count(13_000_000_000_000_001)
        self._query_ids = itertools.count(4_000_000_000_000_001)
        self._user_ids = itertools.count(700_001)
        self._queries: dict[str, QueryState] = {}
        self._commands: dict[str, list[JSON]] = {}
        self._failures: list[InjectedFailure] = []
        self._calls: list[Call] = []
        self.downloads: list[str] = []
        """file_ids whose bytes were fetched through the download route, in order."""

    def _notify(self) -> None:
        """Wake every waiter; each one re-checks its own condition."""
        self._changed.set()
        self._changed = asyncio.Event()

    def _chat_state(self, user: User) -> ChatState:
        state = self._chats.get(user.id)
        if state is None:
            state = self._chats[user.id] = ChatState(user)
        return state

    def _find(self, chat_id: int, message_id: int) -> ChatMessage | None:
        state = self._chats.get(chat_id)
        if state is None:
            return None
        return next((m for m in state.messages if m.message_id == message_id), None)

    def _next_message_id(self, state: ChatState) -> int:
        return state.messages[-1].message_id + 1 if state.messages else 1

    def _push_update(self, update: JSON) -> None:
        self._updates.append(update)
        self._notify()
