"""A fake Telegram Bot API server on loopback that speaks the real wire format, for bot tests.

Point python-telegram-bot at it with::

    ApplicationBuilder().token(fake.token)
        .base_url(f"{fake.url}/bot").base_file_url(f"{fake.url}/file/bot")

PTB joins ``base_url + token + "/" + method`` and answers ``getFile`` with
``base_file_url + token + "/" + file_path``, so the fake serves ``/bot<token>/<method>`` and
``/file/bot<token>/<file_path>``. Everything that happens in a chat is kept in order (the
user's messages and the bot's, with their current state after edits and deletes), every API
call is logged, and tests wait on events instead of sleeping.

Run it by hand with ``python -m tests.fakes.telegram --port 8081``; the ``/_fake/``
routes then let you play the user with curl.

Where things are:

- ``server``: ``FakeTelegram``, the HTTP routes, which Bot API method goes to which handler.
- ``state``: what the fake keeps (chats, updates, files, presses, calls); ``model``: the
  objects tests get back (``User``, ``ChatMessage``, ``Button``, ``Call``, ``StoredFile``).
- ``user_side``: the user sending text, commands, photos, albums, files; ``keyboards``: inline
  keyboards, button presses and answerCallbackQuery.
- ``sending``, ``editing``, ``media``, ``updates``, ``bot_info``: the Bot API methods, by kind.
- ``formatting``: parse_mode and length limits; ``params``: reading a request's parameters;
  ``errors``: ``ApiError``; ``failures``: failing calls on demand.
- ``inspection``: what tests read back and wait for; ``thread``: the fake on its own thread;
  ``control``: the ``/_fake/`` routes; ``__main__``: the command line.
"""

from tests.fakes.telegram.errors import ApiError, bad_request
from tests.fakes.telegram.formatting import parse_formatting
from tests.fakes.telegram.model import (
    JSON,
    Button,
    Call,
    ChatMessage,
    ChatRef,
    MessageRef,
    StoredFile,
    Upload,
    User,
)
from tests.fakes.telegram.server import DEFAULT_TOKEN, FakeTelegram
from tests.fakes.telegram.thread import FakeTelegramThread

__all__ = [
    "DEFAULT_TOKEN",
    "JSON",
    "ApiError",
    "Button",
    "Call",
    "ChatMessage",
    "ChatRef",
    "FakeTelegram",
    "FakeTelegramThread",
    "MessageRef",
    "StoredFile",
    "Upload",
    "User",
    "bad_request",
    "parse_formatting",
]
