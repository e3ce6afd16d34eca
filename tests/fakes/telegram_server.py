"""A fake Telegram Bot API server on loopback that speaks the real wire format, for bot tests.

Point python-telegram-bot at it with::

    ApplicationBuilder().token(fake.token)
        .base_url(f"{fake.url}/bot").base_file_url(f"{fake.url}/file/bot")

PTB joins ``base_url + token + "/" + method`` and answers ``getFile`` with
``base_file_url + token + "/" + file_path``, so the fake serves ``/bot<token>/<method>`` and
``/file/bot<token>/<file_path>``. Everything that happens in a chat is kept in order (the
user's messages and the bot's, with their current state after edits and deletes), every API
call is logged, and tests wait on events instead of sleeping.

Run it by hand with ``python -m tests.fakes.telegram_server --port 8081``; the ``/_fake/``
routes then let you play the user with curl.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import copy
import inspect
import io
import itertools
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Coroutine, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiohttp import web
from PIL import Image, ImageOps

log = logging.getLogger(__name__)

T = TypeVar("T")
JSON = dict[str, Any]

DEFAULT_TOKEN = "123456:TEST-TOKEN"
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024  # getFile refuses bigger files on the public Bot API
MAX_ALBUM_SIZE = 10
THUMBNAIL_SIDES = (90, 320, 800, 1280)  # Telegram's s / m / x / y photo sizes
UPLOAD_LIMIT_BYTES = 60 * 1024 * 1024

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"
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
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)

_INT_FIELDS = frozenset(
    {
        "message_id",
        "offset",
        "limit",
        "timeout",
        "reply_to_message_id",
        "message_thread_id",
        "cache_time",
        "user_id",
        "duration",
        "width",
        "height",
    }
)
_CHAT_FIELDS = frozenset({"chat_id", "from_chat_id"})
_BOOL_FIELDS = frozenset(
    {
        "show_alert",
        "disable_notification",
        "protect_content",
        "drop_pending_updates",
        "allow_sending_without_reply",
        "has_spoiler",
        "disable_web_page_preview",
        "show_caption_above_media",
        "supports_streaming",
        "disable_content_type_detection",
        "allow_paid_broadcast",
    }
)
_JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "media",
        "entities",
        "caption_entities",
        "reply_parameters",
        "allowed_updates",
        "commands",
        "scope",
        "link_preview_options",
        "message_ids",
    }
)


class ApiError(Exception):
    """A Bot API failure, answered as ``{"ok": false, "error_code": ..., "description": ...}``."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> JSON:
        """Return the JSON body Telegram answers with."""
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(what: str) -> ApiError:
    """Build a 400 with Telegram's ``Bad Request: `` prefix."""
    return ApiError(400, f"Bad Request: {what}")


@dataclass(frozen=True)
class User:
    """A Telegram user talking to the bot in a private chat (chat id == user id)."""

    id: int
    first_name: str = "Test"
    language_code: str | None = "en"
    username: str | None = None
    last_name: str | None = None

    def to_dict(self) -> JSON:
        """Return the Bot API ``User`` object."""
        data: JSON = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    def chat_dict(self) -> JSON:
        """Return the Bot API ``Chat`` object of the private chat with this user."""
        data: JSON = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        return data


@dataclass
class StoredFile:
    """A file the fake holds: what a user sent or what the bot uploaded."""

    file_id: str
    file_unique_id: str
    kind: str  # photo, document, video, sticker
    data: bytes
    file_path: str
    file_size: int
    mime_type: str | None = None
    file_name: str | None = None
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class Upload:
    """One multipart file part of a request."""

    name: str
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass(frozen=True)
class Button:
    """An inline keyboard button as the user sees it."""

    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass
class Call:
    """One Bot API request the bot made, with how the fake answered it."""

    method: str
    params: JSON
    files: dict[str, Upload]
    time: float
    status: int = 0  # 0 until answered (a cancelled long poll stays 0)
    error: str | None = None
    result: Any = None

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass
class ChatMessage:
    """A message in a chat with its current state: edits applied, deletion flagged."""

    chat: JSON
    message_id: int
    date: int
    sender: JSON
    from_bot: bool
    text: str | None = None
    entities: list[JSON] = field(default_factory=list)
    caption: str | None = None
    caption_entities: list[JSON] = field(default_factory=list)
    photo: list[JSON] | None = None
    document: JSON | None = None
    video: JSON | None = None
    sticker: JSON | None = None
    file: StoredFile | None = None  # the original bytes: largest photo size, document, video
    reply_markup: JSON | None = None  # inline keyboards only, as Telegram shows them
    reply_to: ChatMessage | None = None
    media_group_id: str | None = None
    edit_date: int | None = None
    deleted: bool = False

    @property
    def chat_id(self) -> int:
        return int(self.chat["id"])

    @property
    def content(self) -> str:
        """Return what the user reads: the text, else the caption, else ``""``."""
        return self.text if self.text is not None else (self.caption or "")

    @property
    def data(self) -> bytes | None:
        """Return the uploaded bytes of the photo, document or video, if any."""
        return self.file.data if self.file else None

    @property
    def kind(self) -> str:
        for name in ("photo", "document", "video", "sticker"):
            if getattr(self, name) is not None:
                return name
        return "text"

    @property
    def buttons(self) -> list[Button]:
        """Return the inline buttons, row by row, flattened."""
        return [button for row in self.keyboard for button in row]

    @property
    def keyboard(self) -> list[list[Button]]:
        """Return the inline keyboard as rows of buttons."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [
            [Button(b["text"], b.get("callback_data"), b.get("url")) for b in row] for row in rows
        ]

    @property
    def button_texts(self) -> list[str]:
        return [button.text for button in self.buttons]

    def button(self, text_or_data: str) -> Button:
        """Return the button with this callback_data or, failing that, this exact text."""
        for button in self.buttons:
            if button.callback_data == text_or_data:
                return button
        for button in self.buttons:
            if button.text == text_or_data:
                return button
        raise AssertionError(
            f"message #{self.message_id} has no button {text_or_data!r}; "
            f"it has {[(b.text, b.callback_data) for b in self.buttons]}"
        )

    def to_dict(self, *, with_reply: bool = True) -> JSON:
        """Return the Bot API ``Message`` object of the current state."""
        data: JSON = {
            "message_id": self.message_id,
            "from": copy.deepcopy(self.sender),
            "chat": copy.deepcopy(self.chat),
            "date": self.date,
        }
        if self.edit_date is not None:
            data["edit_date"] = self.edit_date
        if self.media_group_id is not None:
            data["media_group_id"] = self.media_group_id
        if with_reply and self.reply_to is not None:
            data["reply_to_message"] = self.reply_to.to_dict(with_reply=False)
        if self.text is not None:
            data["text"] = self.text
            if self.entities:
                data["entities"] = copy.deepcopy(self.entities)
        for name in ("photo", "document", "video", "sticker"):
            value = getattr(self, name)
            if value is not None:
                data[name] = copy.deepcopy(value)
        if self.caption is not None:
            data["caption"] = self.caption
            if self.caption_entities:
                data["caption_entities"] = copy.deepcopy(self.caption_entities)
        if self.reply_markup is not None:
            data["reply_markup"] = copy.deepcopy(self.reply_markup)
        return data

    def __str__(self) -> str:
        who = "bot" if self.from_bot else self.sender.get("first_name", "user")
        state = " (deleted)" if self.deleted else ""
        state += " (edited)" if self.edit_date else ""
        body = repr(_shorten(self.content, 80)) if self.content else ""
        buttons = f" [{' | '.join(self.button_texts)}]" if self.buttons else ""
        group = f" album {self.media_group_id}" if self.media_group_id else ""
        return f"#{self.message_id} {who}{state}: {self.kind}{group} {body}{buttons}".rstrip()


@dataclass
class _Chat:
    user: User
    messages: list[ChatMessage] = field(default_factory=list)
    keyboard: JSON | None = None  # the reply keyboard the user currently has
    blocked: bool = False


@dataclass
class _Query:
    update: JSON
    answer: JSON | None = None


@dataclass
class _Failure:
    methods: frozenset[str] | None  # None: any method but getUpdates
    times: int
    error: ApiError


MessageRef = ChatMessage | JSON | int
ChatRef = int | User


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _message_id_of(ref: MessageRef) -> int:
    if isinstance(ref, ChatMessage):
        return ref.message_id
    if isinstance(ref, dict):
        return int(ref["message_id"])
    return int(ref)


def _chat_id_of(ref: ChatRef) -> int:
    return ref.id if isinstance(ref, User) else int(ref)


# ---------------------------------------------------------------------------------------------
# Formatting: parse_mode turns markup into plain text + entities, exactly where Telegram errs.
# ---------------------------------------------------------------------------------------------

_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_HTML_TAG_NAME = re.compile(r"[^\s>]*")
_HTML_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_MD2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")


class _TextBuilder:
    """Accumulate plain text while tracking UTF-16 offsets for entities."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.offset = 0
        self.entities: list[JSON] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.offset += _utf16_len(text)

    def entity(self, kind: str, start: int, **extra: Any) -> None:
        if self.offset > start:
            self.entities.append(
                {"type": kind, "offset": start, "length": self.offset - start, **extra}
            )

    def result(self) -> tuple[str, list[JSON]]:
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.parts), self.entities


def _cant_parse(what: str) -> ApiError:
    return bad_request(f"can't parse entities: {what}")


def _byte_offset(src: str, index: int) -> int:
    return len(src[:index].encode("utf-8"))


def _parse_html(src: str) -> tuple[str, list[JSON]]:
    out = _TextBuilder()
    stack: list[tuple[str, int, JSON]] = []
    i = 0
    while i < len(src):
        char = src[i]
        if char == "<":
            # Same order of checks as tdlib: the tag name runs to whitespace or ">".
            offset = _byte_offset(src, i)
            closing = src.startswith("</", i)
            name_match = _HTML_TAG_NAME.match(src, i + (2 if closing else 1))
            assert name_match is not None  # the pattern also matches an empty name
            name = name_match.group(0).lower()
            end = src.find(">", name_match.end())
            if closing:
                if not stack:
                    raise _cant_parse(f"Unexpected end tag at byte offset {offset}")
                if end == -1 or src[name_match.end() : end].strip():
                    raise _cant_parse(f"Unclosed end tag at byte offset {offset}")
                tag, start, extra = stack.pop()
                if name and name != tag:
                    raise _cant_parse(
                        f"Unmatched end tag at byte offset {offset}, "
                        f'expected "</{tag}>", found "</{name}>"'
                    )
                out.entity(_HTML_TAGS[tag], start, **extra)
            else:
                if name_match.end() >= len(src):
                    raise _cant_parse(f"Unclosed start tag at byte offset {offset}")
                if name not in _HTML_TAGS:
                    raise _cant_parse(f'Unsupported start tag "{name}" at byte offset {offset}')
                if end == -1:
                    raise _cant_parse(f"Unclosed start tag at byte offset {offset}")
                attrs = src[name_match.end() : end]
                attributes = dict(re.findall(r'([\w-]+)\s*=\s*["\']([^"\']*)["\']', attrs))
                details: JSON = {}
                if name == "a":
                    details["url"] = attributes.get("href", "")
                elif name == "span" and attributes.get("class") != "tg-spoiler":
                    raise _cant_parse('Tag "span" must have class "tg-spoiler"')
                elif name == "tg-emoji":
                    details["custom_emoji_id"] = attributes.get("emoji-id", "")
                stack.append((name, out.offset, details))
            i = end + 1
        elif char == "&":
            match = re.match(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);", src[i:])
            decoded = None
            if match:
                ref = match.group(1)
                if ref.startswith("#x"):
                    decoded = chr(int(ref[2:], 16))
                elif ref.startswith("#"):
                    decoded = chr(int(ref[1:]))
                else:
                    decoded = _HTML_NAMED.get(ref)
            if match and decoded is not None:
                out.add(decoded)
                i += len(match.group(0))
            else:
                out.add("&")
                i += 1
        else:
            out.add(char)
            i += 1
    if stack:
        raise _cant_parse(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    return out.result()


def _parse_markdown(src: str, *, v2: bool) -> tuple[str, list[JSON]]:
    out = _TextBuilder()
    stack: list[tuple[str, int, int]] = []  # marker, utf16 start, byte offset
    markers = {
        "*": "bold",
        "_": "italic",
        "~": "strikethrough",
        "__": "underline",
        "||": "spoiler",
    }
    if not v2:
        markers = {"*": "bold", "_": "italic"}
    i = 0
    while i < len(src):
        char = src[i]
        if char == "\\" and i + 1 < len(src) and (v2 or src[i + 1] in "_*`["):
            out.add(src[i + 1])
            i += 2
            continue
        if char == "`":
            fence = "```" if src.startswith("```", i) else "`"
            close = src.find(fence, i + len(fence))
            if close == -1:
                raise _cant_parse(
                    f"Can't find end of the entity starting at byte offset {_byte_offset(src, i)}"
                )
            body = src[i + len(fence) : close]
            language = ""
            if fence == "```" and "\n" in body:
                first, rest = body.split("\n", 1)
                if first and " " not in first:
                    language, body = first, rest
            if v2:
                body = re.sub(r"\\([`\\])", r"\1", body)
            start = out.offset
            out.add(body)
            if fence == "```":
                out.entity("pre", start, **({"language": language} if language else {}))
            else:
                out.entity("code", start)
            i = close + len(fence)
            continue
        marker = next((m for m in ("__", "||") if v2 and src.startswith(m, i)), char)
        if marker in markers:
            if stack and stack[-1][0] == marker:
                _, start, _ = stack.pop()
                out.entity(markers[marker], start)
            elif any(open_marker == marker for open_marker, _, _ in stack):
                raise _cant_parse(
                    f"Can't find end of the entity starting at byte offset {stack[-1][2]}"
                )
            else:
                stack.append((marker, out.offset, _byte_offset(src, i)))
            i += len(marker)
            continue
        if char == "[":
            stack.append(("[", out.offset, _byte_offset(src, i)))
            i += 1
            continue
        if char == "]" and stack and stack[-1][0] == "[":
            link = re.match(r"\]\(((?:\\.|[^)\\])*)\)", src[i:])
            if link:
                _, start, _ = stack.pop()
                url = re.sub(r"\\(.)", r"\1", link.group(1)) if v2 else link.group(1)
                out.entity("text_link", start, url=url)
                i += len(link.group(0))
                continue
        if v2 and char in _MD2_RESERVED:
            raise _cant_parse(
                f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
        out.add(char)
        i += 1
    if stack:
        raise _cant_parse(f"Can't find end of the entity starting at byte offset {stack[-1][2]}")
    return out.result()


def parse_formatting(
    text: str, parse_mode: str | None, entities: list[JSON] | None
) -> tuple[str, list[JSON]]:
    """Return the plain text and entities Telegram stores for text sent with a parse_mode."""
    if entities:
        return text, copy.deepcopy(entities)
    mode = (parse_mode or "").lower()
    if mode == "html":
        return _parse_html(text)
    if mode == "markdownv2":
        return _parse_markdown(text, v2=True)
    if mode == "markdown":
        return _parse_markdown(text, v2=False)
    if mode:
        raise bad_request(f"unsupported parse_mode {parse_mode!r}")
    return text, []


_COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]+)?")


def _command_entities(text: str) -> list[JSON]:
    """Mark /commands the way Telegram clients do."""
    return [
        {
            "type": "bot_command",
            "offset": _utf16_len(text[: m.start()]),
            "length": _utf16_len(m.group(0)),
        }
        for m in _COMMAND_RE.finditer(text)
    ]


# ---------------------------------------------------------------------------------------------
# Request parsing
# ---------------------------------------------------------------------------------------------


def _coerce(name: str, value: Any) -> Any:
    """Type one parameter the way the Bot API reads form fields (all strings) and JSON alike."""
    if value is None:
        return None
    if name in _JSON_FIELDS and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            if name == "reply_markup":
                raise bad_request("can't parse reply keyboard markup JSON object") from None
            raise bad_request(f"can't parse {name} JSON object") from None
    if name in _CHAT_FIELDS and isinstance(value, str):
        return int(value) if re.fullmatch(r"-?\d+", value.strip()) else value
    if name in _INT_FIELDS and isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                raise bad_request(f"invalid {name} specified") from None
    if name in _BOOL_FIELDS and isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return value


async def _read_request(request: web.Request) -> tuple[JSON, dict[str, Upload]]:
    """Read query, JSON, urlencoded or multipart parameters and the uploaded files."""
    raw: JSON = dict(request.query)
    files: dict[str, Upload] = {}
    if request.can_read_body:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise bad_request("can't parse JSON object") from None
            if not isinstance(body, dict):
                raise bad_request("can't parse JSON object")
            raw.update(body)
        else:
            form = await request.post()
            for name, value in form.items():
                if isinstance(value, web.FileField):
                    files[name] = Upload(
                        name, value.filename, value.content_type, value.file.read()
                    )
                else:
                    raw[name] = value
    params = {name: _coerce(name, value) for name, value in raw.items()}
    return params, files


# ---------------------------------------------------------------------------------------------
# The fake
# ---------------------------------------------------------------------------------------------


class FakeTelegram:
    """An in-process Telegram Bot API with chats, files, updates and a call log."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_name: str = "Lister Test Bot",
        bot_username: str = "lister_test_bot",
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
        self._chats: dict[int, _Chat] = {}
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
        self._queries: dict[str, _Query] = {}
        self._commands: dict[str, list[JSON]] = {}
        self._failures: list[_Failure] = []
        self._calls: list[Call] = []
        self.downloads: list[str] = []
        """file_ids whose bytes were fetched through the download route, in order."""
        self.methods: dict[str, Callable[[JSON, dict[str, Upload]], Any]] = {
            "getme": self._get_me,
            "logout": lambda p, f: True,
            "close": lambda p, f: True,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "getupdates": self._get_updates,
            "getfile": self._get_file,
            "getchat": self._get_chat,
            "sendmessage": self._send_message,
            "sendphoto": self._send_photo,
            "senddocument": self._send_document,
            "sendmediagroup": self._send_media_group,
            "editmessagetext": self._edit_message_text,
            "editmessagecaption": self._edit_message_caption,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "editmessagemedia": self._edit_message_media,
            "deletemessage": self._delete_message,
            "deletemessages": self._delete_messages,
            "answercallbackquery": self._answer_callback_query,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "sendchataction": self._send_chat_action,
        }

    # -- lifecycle --------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """Return the server root, e.g. ``http://127.0.0.1:41234``."""
        if self._runner is None:
            raise RuntimeError("the fake Telegram server is not started")
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """Return what to give PTB as ``base_url``."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """Return what to give PTB as ``base_file_url``."""
        return f"{self.url}/file/bot"

    def make_app(self) -> web.Application:
        """Build the aiohttp application serving the Bot API routes."""
        app = web.Application(client_max_size=UPLOAD_LIMIT_BYTES)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_download)
        app.router.add_post("/_fake/send_text", self._control_send_text)
        app.router.add_post("/_fake/send_photo", self._control_send_photo)
        app.router.add_post("/_fake/press", self._control_press)
        app.router.add_get("/_fake/state", self._control_state)
        return app

    async def start(self) -> None:
        """Listen on the loopback address (an ephemeral port unless one was given)."""
        self._closing = False
        # handler_cancellation: a long poll whose client hung up must not linger.
        runner = web.AppRunner(
            self.make_app(), handler_cancellation=True, shutdown_timeout=1.0, access_log=None
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        self.port = runner.addresses[0][1]
        self._runner = runner
        log.debug("fake Telegram listening on %s", self.url)

    async def stop(self) -> None:
        """Answer pending long polls and shut the server down."""
        self._closing = True
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def run_in_thread(self) -> FakeTelegramThread:
        """Serve from a background thread with its own loop; return a thread-safe handle."""
        return FakeTelegramThread(self)

    # -- the user's side ----------------------------------------------------------------------

    def new_user(self, first_name: str = "Test", language_code: str | None = "en") -> User:
        """Return a user with a fresh id."""
        return User(next(self._user_ids), first_name, language_code)

    def user_sends_text(self, user: User, text: str, reply_to: MessageRef | None = None) -> JSON:
        """Deliver a text message from the user; return the Message dict."""
        message = self._user_message(user, reply_to=reply_to)
        message.text = text
        message.entities = _command_entities(text)
        return self._push_message(message)

    def user_sends_command(
        self, user: User, command: str, args: Sequence[str] | str | None = None
    ) -> JSON:
        """Deliver ``/command arg ...`` with its bot_command entity; return the Message dict."""
        command = command if command.startswith("/") else f"/{command}"
        if isinstance(args, str):
            args = [args]
        text = " ".join([command, *(args or [])])
        message = self._user_message(user)
        message.text = text
        message.entities = [{"type": "bot_command", "offset": 0, "length": _utf16_len(command)}]
        return self._push_message(message)

    def user_sends_photo(
        self,
        user: User,
        data: bytes,
        caption: str | None = None,
        media_group_id: str | None = None,
        reply_to: MessageRef | None = None,
    ) -> JSON:
        """Deliver a compressed photo: the original as largest size plus Pillow thumbnails."""
        try:
            sizes, original = self._store_photo(data)
        except ApiError as exc:
            raise ValueError(f"not an image Telegram would accept as a photo: {exc}") from exc
        message = self._user_message(user, reply_to=reply_to)
        message.photo = sizes
        message.file = original
        message.caption = caption
        message.media_group_id = media_group_id
        return self._push_message(message)

    def user_sends_album(
        self, user: User, photos: Sequence[bytes], caption: str | None = None
    ) -> list[JSON]:
        """Deliver photos as one album (shared media_group_id, caption on the first)."""
        group = str(next(self._album_ids))
        return [
            self.user_sends_photo(user, data, caption if index == 0 else None, group)
            for index, data in enumerate(photos)
        ]

    def user_sends_document(
        self,
        user: User,
        data: bytes,
        file_name: str,
        mime_type: str | None = None,
        *,
        file_size: int | None = None,
        caption: str | None = None,
        media_group_id: str | None = None,
    ) -> JSON:
        """Deliver a file sent uncompressed; ``file_size`` may claim more bytes than ``data``."""
        stored = self._store_file(
            "document", data, file_name=file_name, mime_type=mime_type, file_size=file_size
        )
        message = self._user_message(user)
        message.document = self._document_dict(stored)
        message.file = stored
        message.caption = caption
        message.media_group_id = media_group_id
        return self._push_message(message)

    def user_sends_video(
        self,
        user: User,
        data: bytes = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom",
        *,
        duration: int = 3,
        width: int = 640,
        height: int = 360,
        file_name: str = "video.mp4",
        mime_type: str = "video/mp4",
        file_size: int | None = None,
        caption: str | None = None,
        media_group_id: str | None = None,
    ) -> JSON:
        """Deliver a video message."""
        stored = self._store_file(
            "video", data, file_name=file_name, mime_type=mime_type, file_size=file_size
        )
        message = self._user_message(user)
        message.video = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": width,
            "height": height,
            "duration": duration,
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": stored.file_size,
        }
        message.file = stored
        message.caption = caption
        message.media_group_id = media_group_id
        return self._push_message(message)

    def user_sends_sticker(self, user: User, emoji: str = "👍") -> JSON:
        """Deliver a regular 512x512 WEBP sticker."""
        buffer = io.BytesIO()
        Image.new("RGBA", (512, 512), (255, 200, 0, 255)).save(buffer, "WEBP")
        stored = self._store_file("sticker", buffer.getvalue(), mime_type="image/webp")
        message = self._user_message(user)
        message.sticker = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "set_name": "FakeStickers",
            "file_size": stored.file_size,
        }
        message.file = stored
        return self._push_message(message)

    def user_presses(
        self, user: User, message: MessageRef, callback_data: str, *, strict: bool = True
    ) -> JSON:
        """Press an inline button (by callback_data or exact text); return the Update dict.

        With ``strict`` the button must be on the message as it is now, as with a real client;
        ``strict=False`` sends any data, like a forged or outdated client would. The presser
        need not be the chat's user, so tests can check that a stranger's press is refused.
        """
        chat_id = (
            message.chat_id
            if isinstance(message, ChatMessage)
            else (int(message["chat"]["id"]) if isinstance(message, dict) else user.id)
        )
        target = self._find(chat_id, _message_id_of(message))
        if target is None or target.deleted:
            raise AssertionError(
                f"cannot press on message #{_message_id_of(message)} in chat {chat_id}: "
                f"it is not there\n{self.describe()}"
            )
        data = target.button(callback_data).callback_data if strict else callback_data
        if data is None:
            raise AssertionError(f"button {callback_data!r} is a URL button, not a callback")
        query_id = str(next(self._query_ids))
        update = {
            "update_id": next(self._update_ids),
            "callback_query": {
                "id": query_id,
                "from": user.to_dict(),
                "message": target.to_dict(),
                "chat_instance": str(-abs(chat_id) * 7919),
                "data": data,
            },
        }
        self._queries[query_id] = _Query(update)
        self._push_update(update)
        return update

    def user_blocks_bot(self, user: User) -> None:
        """Make every send to this user fail with 403 until the user writes again."""
        self._chat_state(user).blocked = True

    def register(self, user: User) -> None:
        """Make the private chat with the user known without sending anything."""
        self._chat_state(user)

    # -- failures on demand -----------------------------------------------------------------------

    def fail_next(
        self,
        method: str | Iterable[str] | None,
        *,
        code: int = 400,
        description: str = "Bad Request: injected failure",
        parameters: JSON | None = None,
        times: int = 1,
    ) -> None:
        """Fail the next ``times`` calls of ``method`` (None: any but getUpdates)."""
        methods = None
        if method is not None:
            names = [method] if isinstance(method, str) else list(method)
            methods = frozenset(name.lower() for name in names)
        self._failures.append(_Failure(methods, times, ApiError(code, description, parameters)))

    def rate_limit(
        self, method: str | Iterable[str] | None = None, *, retry_after: int = 1, times: int = 1
    ) -> None:
        """Answer the next calls with 429 Too Many Requests and ``parameters.retry_after``."""
        self.fail_next(
            method,
            code=429,
            description=f"Too Many Requests: retry after {retry_after}",
            parameters={"retry_after": retry_after},
            times=times,
        )

    # -- what tests inspect -------------------------------------------------------------------

    def messages(self, chat: ChatRef) -> list[ChatMessage]:
        """Return the bot's messages in the chat, current state, deleted ones left out."""
        state = self._chats.get(_chat_id_of(chat))
        if state is None:
            return []
        return [m for m in state.messages if m.from_bot and not m.deleted]

    def history(self, chat: ChatRef) -> list[ChatMessage]:
        """Return every message of the chat, both sides, deleted ones included."""
        state = self._chats.get(_chat_id_of(chat))
        return list(state.messages) if state else []

    def last_message(self, chat: ChatRef) -> ChatMessage | None:
        """Return the bot's latest visible message in the chat."""
        visible = self.messages(chat)
        return visible[-1] if visible else None

    def message(self, chat: ChatRef, message_id: int) -> ChatMessage | None:
        """Return any message of the chat by id, deleted or not."""
        return self._find(_chat_id_of(chat), message_id)

    def reply_keyboard(self, chat: ChatRef) -> JSON | None:
        """Return the reply keyboard the user currently has under the input field."""
        state = self._chats.get(_chat_id_of(chat))
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
    def unknown_methods(self) -> list[str]:
        """Return methods the fake does not implement that the bot called anyway."""
        return sorted({c.method for c in self._calls if c.method.lower() not in self.methods})

    def callback_answer(self, update_or_query: JSON | str) -> JSON | None:
        """Return the answerCallbackQuery params for a press, or None if unanswered."""
        if isinstance(update_or_query, str):
            query_id = update_or_query
        else:
            query_id = update_or_query.get("callback_query", update_or_query)["id"]
        query = self._queries.get(query_id)
        return query.answer if query else None

    def commands(self, scope: JSON | None = None, language_code: str = "") -> list[JSON]:
        """Return the command list set by setMyCommands for a scope and language."""
        return list(self._commands.get(self._commands_key(scope, language_code), []))

    def file(self, file_id: str) -> StoredFile:
        """Return a stored file by file_id."""
        return self._files[file_id]

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

    # -- waiting ------------------------------------------------------------------------------

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
        after = _message_id_of(since) if since is not None else 0
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
            find, timeout, f"{description} in chat {_chat_id_of(chat)} after #{after}"
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

    # -- internals: state -------------------------------------------------------------------------

    def _notify(self) -> None:
        """Wake every waiter; each one re-checks its own condition."""
        self._changed.set()
        self._changed = asyncio.Event()

    def _chat_state(self, user: User) -> _Chat:
        state = self._chats.get(user.id)
        if state is None:
            state = self._chats[user.id] = _Chat(user)
        return state

    def _find(self, chat_id: int, message_id: int) -> ChatMessage | None:
        state = self._chats.get(chat_id)
        if state is None:
            return None
        return next((m for m in state.messages if m.message_id == message_id), None)

    def _next_message_id(self, state: _Chat) -> int:
        return state.messages[-1].message_id + 1 if state.messages else 1

    def _user_message(self, user: User, reply_to: MessageRef | None = None) -> ChatMessage:
        state = self._chat_state(user)
        state.blocked = False
        message = ChatMessage(
            chat=user.chat_dict(),
            message_id=self._next_message_id(state),
            date=int(time.time()),
            sender=user.to_dict(),
            from_bot=False,
        )
        if reply_to is not None:
            message.reply_to = self._find(user.id, _message_id_of(reply_to))
            if message.reply_to is None:
                raise AssertionError(f"no message {_message_id_of(reply_to)} to reply to")
        return message

    def _push_message(self, message: ChatMessage) -> JSON:
        self._chats[message.chat_id].messages.append(message)
        data = message.to_dict()
        self._push_update({"update_id": next(self._update_ids), "message": data})
        return data

    def _push_update(self, update: JSON) -> None:
        self._updates.append(update)
        self._notify()

    def _store_file(
        self,
        kind: str,
        data: bytes,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        file_size: int | None = None,
        width: int | None = None,
        height: int | None = None,
        extension: str | None = None,
    ) -> StoredFile:
        number = next(self._file_numbers)
        folder = {
            "photo": "photos",
            "document": "documents",
            "video": "videos",
            "sticker": "stickers",
        }[kind]
        if extension is None:
            extension = file_name.rsplit(".", 1)[-1] if file_name and "." in file_name else None
            extension = extension or {"sticker": "webp", "video": "mp4"}.get(kind, "bin")
        stored = StoredFile(
            file_id=f"{kind}-{number}",
            file_unique_id=f"u-{kind}-{number}",
            kind=kind,
            data=bytes(data),
            file_path=f"{folder}/file_{number}.{extension}",
            file_size=len(data) if file_size is None else file_size,
            mime_type=mime_type,
            file_name=file_name,
            width=width,
            height=height,
        )
        self._files[stored.file_id] = stored
        self._paths[stored.file_path] = stored
        return stored

    def _store_photo(self, data: bytes) -> tuple[list[JSON], StoredFile]:
        """Store a photo as Telegram does: thumbnails plus the original as the largest size."""
        if not data:
            raise bad_request("file must be non-empty")
        try:
            source = Image.open(io.BytesIO(data))
            width, height = source.size
            if source.getexif().get(0x0112, 1) in (5, 6, 7, 8):
                width, height = height, width
            largest = max(width, height)
            sides = [side for side in THUMBNAIL_SIDES if side < largest]
            if sides:
                # Decoding at a reduced scale keeps big phone photos cheap to thumbnail.
                source.draft("RGB", (sides[-1], sides[-1]))
            image = ImageOps.exif_transpose(source).convert("RGB")  # decodes: fails on junk
        except Exception as exc:  # noqa: BLE001 - any decoder failure is Telegram's error
            raise bad_request("IMAGE_PROCESS_FAILED") from exc
        if width + height > 10_000 or max(width, height) > 20 * min(width, height):
            raise bad_request("PHOTO_INVALID_DIMENSIONS")
        sizes: list[JSON] = []
        for side in sides:
            thumbnail = image.copy()
            thumbnail.thumbnail((side, side))
            buffer = io.BytesIO()
            thumbnail.save(buffer, "JPEG", quality=80)
            stored = self._store_file(
                "photo",
                buffer.getvalue(),
                width=thumbnail.width,
                height=thumbnail.height,
                extension="jpg",
            )
            sizes.append(self._photo_size(stored))
        original = self._store_file("photo", data, width=width, height=height, extension="jpg")
        sizes.append(self._photo_size(original))
        for size in sizes:
            self._photo_sets[size["file_id"]] = sizes
        return sizes, original

    @staticmethod
    def _photo_size(stored: StoredFile) -> JSON:
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": stored.width,
            "height": stored.height,
            "file_size": stored.file_size,
        }

    @staticmethod
    def _document_dict(stored: StoredFile) -> JSON:
        data: JSON = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
        }
        if stored.file_name:
            data["file_name"] = stored.file_name
        if stored.mime_type:
            data["mime_type"] = stored.mime_type
        return data

    # -- internals: HTTP ----------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        call = Call(method=method, params={}, files={}, time=time.time())
        self._calls.append(call)
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            call.params, call.files = await _read_request(request)
            self._maybe_fail(method)
            handler = self.methods.get(method.lower(), self._unknown_method)
            result = handler(call.params, call.files)
            if inspect.isawaitable(result):
                result = await result
        except ApiError as exc:
            call.status, call.error = exc.code, exc.description
            log.debug("%s -> %s %s", method, exc.code, exc.description)
            self._notify()
            return web.json_response(exc.payload(), status=exc.code)
        except Exception as exc:
            # A bug in the fake must be loud, not pass as a Telegram answer.
            log.exception("the fake failed on %s", method)
            error = ApiError(500, f"Internal Server Error: the fake failed: {exc!r}")
            call.status, call.error = error.code, error.description
            self._notify()
            return web.json_response(error.payload(), status=error.code)
        call.status, call.result = 200, result
        self._notify()
        return web.json_response({"ok": True, "result": result})

    async def _handle_download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(ApiError(401, "Unauthorized").payload(), status=401)
        stored = self._paths.get(request.match_info["path"])
        if stored is None:
            return web.json_response(ApiError(404, "Not Found").payload(), status=404)
        self.downloads.append(stored.file_id)
        self._notify()
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )

    def _maybe_fail(self, method: str) -> None:
        name = method.lower()
        for failure in self._failures:
            matches = name in failure.methods if failure.methods else name != "getupdates"
            if matches and failure.times > 0:
                failure.times -= 1
                if failure.times == 0:
                    self._failures.remove(failure)
                raise failure.error

    def _unknown_method(self, params: JSON, files: dict[str, Upload]) -> bool:
        return True

    # -- internals: parameters ------------------------------------------------------------------

    def _send_target(self, params: JSON) -> _Chat:
        """Return the chat the bot sends to, failing as Telegram does."""
        chat_id = params.get("chat_id")
        if chat_id in (None, ""):
            raise bad_request("chat_id is empty")
        state = None
        if isinstance(chat_id, int):
            state = self._chats.get(chat_id)
        elif isinstance(chat_id, str) and chat_id.startswith("@"):
            state = next((s for s in self._chats.values() if s.user.username == chat_id[1:]), None)
        if state is None:
            raise bad_request("chat not found")
        if state.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return state

    def _inline_markup(self, params: JSON) -> JSON | None:
        """Validate reply_markup; return the inline keyboard a message shows, if any."""
        markup = params.get("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" not in markup:
            return None
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request(
                'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
            )
        clean_rows = []
        for row in rows:
            clean = []
            for button in row:
                if not isinstance(button, dict) or not button.get("text"):
                    raise bad_request("can't parse inline keyboard button: Text must be non-empty")
                actions = {k: v for k, v in button.items() if k != "text"}
                if not actions:
                    raise bad_request(
                        "can't parse inline keyboard button: "
                        "Text buttons are unallowed in the inline keyboard"
                    )
                data = button.get("callback_data")
                if data is not None and not (
                    isinstance(data, str)
                    and 0 < len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES
                ):
                    raise bad_request("BUTTON_DATA_INVALID")
                url = button.get("url")
                if url is not None and not re.match(r"(https?|tg)://\S+$", str(url)):
                    raise bad_request("BUTTON_URL_INVALID")
                clean.append(copy.deepcopy(button))
            if clean:
                clean_rows.append(clean)
        return {"inline_keyboard": clean_rows}

    def _apply_chat_keyboard(self, state: _Chat, params: JSON) -> None:
        markup = params.get("reply_markup")
        if not isinstance(markup, dict):
            return
        if "keyboard" in markup:
            state.keyboard = copy.deepcopy(markup)
        elif markup.get("remove_keyboard"):
            state.keyboard = None

    def _formatted(
        self, params: JSON, text_field: str, entities_field: str, limit: int, too_long: str
    ) -> tuple[str | None, list[JSON]]:
        raw = params.get(text_field)
        if raw is None:
            return None, []
        text, entities = parse_formatting(
            str(raw), params.get("parse_mode"), params.get(entities_field)
        )
        if len(text) > limit:
            raise bad_request(too_long)
        return text, entities

    def _text(self, params: JSON) -> tuple[str, list[JSON]]:
        text, entities = self._formatted(
            params, "text", "entities", MAX_TEXT_LENGTH, "message is too long"
        )
        if text is None or not text.strip():
            raise bad_request("message text is empty")
        return text, entities

    def _caption(self, params: JSON) -> tuple[str | None, list[JSON]]:
        caption, entities = self._formatted(
            params,
            "caption",
            "caption_entities",
            MAX_CAPTION_LENGTH,
            "message caption is too long",
        )
        return (caption if caption else None), entities

    def _reply_target(self, state: _Chat, params: JSON) -> ChatMessage | None:
        reply = params.get("reply_parameters")
        if isinstance(reply, dict):
            message_id, allow = reply.get("message_id"), reply.get("allow_sending_without_reply")
        else:
            message_id = params.get("reply_to_message_id")
            allow = params.get("allow_sending_without_reply")
        if message_id is None:
            return None
        target = self._find(state.user.id, int(message_id))
        if target is None or target.deleted:
            if allow:
                return None
            raise bad_request("message to be replied not found")
        return target

    def _bot_message(self, state: _Chat, params: JSON) -> ChatMessage:
        return ChatMessage(
            chat=state.user.chat_dict(),
            message_id=self._next_message_id(state),
            date=int(time.time()),
            sender=copy.deepcopy(self.bot_user),
            from_bot=True,
            reply_to=self._reply_target(state, params),
        )

    def _resolve_media(
        self, value: Any, files: dict[str, Upload], field_name: str, kind: str
    ) -> tuple[Upload | None, StoredFile | None]:
        """Return the upload or the already stored file a media parameter points to."""
        if field_name in files and value is None:
            return files[field_name], None
        if not isinstance(value, str) or not value:
            raise bad_request(f"there is no {kind} in the request")
        if value.startswith("attach://"):
            upload = files.get(value.removeprefix("attach://"))
            if upload is None:
                raise bad_request(f"file {value} not found in the request")
            return upload, None
        if value.startswith(("http://", "https://")):
            raise bad_request("failed to get HTTP URL content")  # the fake stays offline
        stored = self._files.get(value)
        if stored is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        if stored.kind != kind:
            raise bad_request(
                f"can't use file of type {stored.kind.capitalize()} as {kind.capitalize()}"
            )
        return None, stored

    def _attach_media(
        self, message: ChatMessage, kind: str, upload: Upload | None, stored: StoredFile | None
    ) -> None:
        """Put a photo, document or video on a message from an upload or a known file."""
        if upload is not None and not upload.data:
            raise bad_request("file must be non-empty")
        message.photo = message.document = message.video = None
        if kind == "photo":
            if stored is not None:
                sizes = self._photo_sets[stored.file_id]
                message.photo = copy.deepcopy(sizes)
                message.file = self._files[sizes[-1]["file_id"]]
            else:
                assert upload is not None
                message.photo, message.file = self._store_photo(upload.data)
        else:
            if stored is None:
                assert upload is not None
                stored = self._store_file(
                    kind,
                    upload.data,
                    file_name=upload.filename or kind,
                    mime_type=upload.content_type,
                )
            message.file = stored
            if kind == "video":
                message.video = {
                    **self._document_dict(stored),
                    "width": 640,
                    "height": 360,
                    "duration": 1,
                }
            else:
                message.document = self._document_dict(stored)

    # -- internals: methods ---------------------------------------------------------------------

    def _get_me(self, params: JSON, files: dict[str, Upload]) -> JSON:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

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

    def _get_chat(self, params: JSON, files: dict[str, Upload]) -> JSON:
        state = self._chats.get(params.get("chat_id"))  # type: ignore[arg-type]
        if state is None:
            raise bad_request("chat not found")
        return {
            **state.user.chat_dict(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
            },
        }

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

    def _get_file(self, params: JSON, files: dict[str, Upload]) -> JSON:
        file_id = params.get("file_id")
        if not file_id:
            raise bad_request("file_id is empty")
        stored = self._files.get(str(file_id))
        if stored is None:
            raise bad_request("invalid file_id")
        if stored.file_size > MAX_DOWNLOAD_BYTES:
            raise bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "file_path": stored.file_path,
        }

    def _send_message(self, params: JSON, files: dict[str, Upload]) -> JSON:
        state = self._send_target(params)
        text, entities = self._text(params)
        markup = self._inline_markup(params)
        message = self._bot_message(state, params)
        message.text, message.entities, message.reply_markup = text, entities, markup
        self._apply_chat_keyboard(state, params)
        state.messages.append(message)
        return message.to_dict()

    def _send_photo(self, params: JSON, files: dict[str, Upload]) -> JSON:
        return self._send_file(params, files, "photo")

    def _send_document(self, params: JSON, files: dict[str, Upload]) -> JSON:
        return self._send_file(params, files, "document")

    def _send_file(self, params: JSON, files: dict[str, Upload], kind: str) -> JSON:
        state = self._send_target(params)
        upload, stored = self._resolve_media(params.get(kind), files, kind, kind)
        caption, entities = self._caption(params)
        markup = self._inline_markup(params)
        message = self._bot_message(state, params)
        self._attach_media(message, kind, upload, stored)
        message.caption, message.caption_entities = caption, entities
        message.reply_markup = markup
        self._apply_chat_keyboard(state, params)
        state.messages.append(message)
        return message.to_dict()

    def _send_media_group(self, params: JSON, files: dict[str, Upload]) -> list[JSON]:
        state = self._send_target(params)
        media = params.get("media")
        if media is None:
            raise bad_request('parameter "media" is required')
        if not isinstance(media, list):
            raise bad_request("can't parse media JSON object")
        if not media:
            raise bad_request("there are no messages to send")
        if len(media) > MAX_ALBUM_SIZE:
            raise bad_request("too many messages to send as an album")
        kinds = {item.get("type") if isinstance(item, dict) else None for item in media}
        if not kinds <= {"photo", "video", "document"}:
            raise bad_request("can't parse InputMedia: unsupported media type")
        if "document" in kinds and len(kinds) > 1:
            raise bad_request("document can't be mixed with other media types")
        prepared = []
        for item in media:
            upload, stored = self._resolve_media(item.get("media"), files, "", item["type"])
            caption, entities = self._formatted(
                item,
                "caption",
                "caption_entities",
                MAX_CAPTION_LENGTH,
                "message caption is too long",
            )
            prepared.append((item["type"], upload, stored, caption, entities))
        reply_to = self._reply_target(state, params)
        group = str(next(self._album_ids))
        sent = []
        for kind, upload, stored, caption, entities in prepared:
            message = self._bot_message(state, {})
            message.reply_to = reply_to
            self._attach_media(message, kind, upload, stored)
            message.caption, message.caption_entities = caption or None, entities
            message.media_group_id = group
            state.messages.append(message)
            sent.append(message.to_dict())
        return sent

    def _editable(self, params: JSON) -> ChatMessage:
        if params.get("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")  # the fake knows private chats only
        chat_id, message_id = params.get("chat_id"), params.get("message_id")
        if chat_id is None:
            raise bad_request("chat_id is empty")
        if not isinstance(chat_id, int) or chat_id not in self._chats:
            raise bad_request("chat not found")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        message = self._find(chat_id, int(message_id))
        if message is None or message.deleted:
            raise bad_request("message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return message

    def _edit_message_text(self, params: JSON, files: dict[str, Upload]) -> JSON:
        message = self._editable(params)
        if message.text is None:
            raise bad_request("there is no text in the message to edit")
        text, entities = self._text(params)
        markup = self._inline_markup(params)
        edited = copy.copy(message)
        # Without reply_markup Telegram drops the inline keyboard, as it does here.
        edited.text, edited.entities, edited.reply_markup = text, entities, markup
        return self._commit_edit(message, edited)

    def _edit_message_caption(self, params: JSON, files: dict[str, Upload]) -> JSON:
        message = self._editable(params)
        if message.kind == "text":
            raise bad_request("there is no caption in the message to edit")
        caption, entities = self._caption(params)
        edited = copy.copy(message)
        edited.caption, edited.caption_entities = caption, entities
        edited.reply_markup = self._inline_markup(params)
        return self._commit_edit(message, edited)

    def _edit_message_reply_markup(self, params: JSON, files: dict[str, Upload]) -> JSON:
        message = self._editable(params)
        edited = copy.copy(message)
        edited.reply_markup = self._inline_markup(params)
        return self._commit_edit(message, edited)

    def _edit_message_media(self, params: JSON, files: dict[str, Upload]) -> JSON:
        message = self._editable(params)
        media = params.get("media")
        if not isinstance(media, dict) or media.get("type") not in ("photo", "document", "video"):
            raise bad_request("can't parse InputMedia JSON object")
        if message.kind == "text":
            raise bad_request("message can't be edited")
        kind = media["type"]
        upload, stored = self._resolve_media(media.get("media"), files, "", kind)
        caption, entities = self._formatted(
            media,
            "caption",
            "caption_entities",
            MAX_CAPTION_LENGTH,
            "message caption is too long",
        )
        edited = copy.copy(message)
        edited.caption, edited.caption_entities = caption or None, entities
        edited.reply_markup = self._inline_markup(params)
        self._attach_media(edited, kind, upload, stored)
        return self._commit_edit(message, edited)

    def _commit_edit(self, message: ChatMessage, edited: ChatMessage) -> JSON:
        if edited.to_dict() == message.to_dict():
            raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        edited.edit_date = int(time.time())
        message.__dict__.update(edited.__dict__)
        return message.to_dict()

    def _delete_message(self, params: JSON, files: dict[str, Upload]) -> bool:
        chat_id, message_id = params.get("chat_id"), params.get("message_id")
        if not isinstance(chat_id, int) or chat_id not in self._chats:
            raise bad_request("chat not found")
        message = self._find(chat_id, int(message_id or 0))
        if message is None or message.deleted:
            raise bad_request("message to delete not found")
        message.deleted = True
        return True

    def _delete_messages(self, params: JSON, files: dict[str, Upload]) -> bool:
        chat_id, ids = params.get("chat_id"), params.get("message_ids")
        if not isinstance(chat_id, int) or chat_id not in self._chats:
            raise bad_request("chat not found")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise bad_request("message_ids must contain 1-100 items")
        for message_id in ids:
            message = self._find(chat_id, int(message_id))
            if message is not None:
                message.deleted = True
        return True

    def _answer_callback_query(self, params: JSON, files: dict[str, Upload]) -> bool:
        query = self._queries.get(str(params.get("callback_query_id")))
        if query is None or query.answer is not None:
            raise bad_request(QUERY_INVALID.removeprefix("Bad Request: "))
        if len(str(params.get("text") or "")) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        query.answer = {k: v for k, v in params.items() if k != "callback_query_id"}
        return True

    @staticmethod
    def _commands_key(scope: Any, language_code: Any) -> str:
        scope = scope if isinstance(scope, dict) else {"type": "default"}
        return json.dumps([scope, language_code or ""], sort_keys=True)

    def _set_my_commands(self, params: JSON, files: dict[str, Upload]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("can't parse commands JSON object")
        for command in commands:
            name = str(command.get("command", "")) if isinstance(command, dict) else ""
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("command description must be 1-256 characters long")
        key = self._commands_key(params.get("scope"), params.get("language_code"))
        self._commands[key] = copy.deepcopy(commands)
        return True

    def _get_my_commands(self, params: JSON, files: dict[str, Upload]) -> list[JSON]:
        key = self._commands_key(params.get("scope"), params.get("language_code"))
        return copy.deepcopy(self._commands.get(key, []))

    def _delete_my_commands(self, params: JSON, files: dict[str, Upload]) -> bool:
        self._commands.pop(
            self._commands_key(params.get("scope"), params.get("language_code")), None
        )
        return True

    def _send_chat_action(self, params: JSON, files: dict[str, Upload]) -> bool:
        self._send_target(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    # -- internals: control routes for manual use -----------------------------------------------

    @staticmethod
    def _control_user(data: Any) -> User:
        return User(
            int(data["user_id"]),
            str(data.get("first_name", "Test")),
            data.get("language_code", "en"),
            data.get("username"),
        )

    async def _control_send_text(self, request: web.Request) -> web.Response:
        body = await request.json()
        message = self.user_sends_text(self._control_user(body), str(body["text"]))
        return web.json_response(message)

    async def _control_send_photo(self, request: web.Request) -> web.Response:
        query = request.query
        message = self.user_sends_photo(
            self._control_user(query), await request.read(), query.get("caption")
        )
        return web.json_response(message)

    async def _control_press(self, request: web.Request) -> web.Response:
        body = await request.json()
        user = self._control_user(body)
        update = self.user_presses(
            user, {"chat": {"id": user.id}, "message_id": body["message_id"]}, str(body["data"])
        )
        return web.json_response(update)

    async def _control_state(self, request: web.Request) -> web.Response:
        chats = {
            str(chat_id): [
                {**m.to_dict(), "deleted": m.deleted, "from_bot": m.from_bot}
                for m in state.messages
            ]
            for chat_id, state in self._chats.items()
        }
        calls = [
            {"method": c.method, "status": c.status, "error": c.error, "time": c.time}
            for c in self._calls
        ]
        return web.json_response({"chats": chats, "calls": calls, "downloads": self.downloads})


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


def main(argv: Sequence[str] | None = None) -> None:
    """Serve a fake Bot API until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8081, help="0 picks a free port")
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)

    async def serve() -> None:
        async with FakeTelegram(args.token, port=args.port) as fake:
            print(f"fake Telegram Bot API on {fake.url} token {fake.token}", flush=True)
            print(
                f"  bot: TELEGRAM_API_URL={fake.url}\n"
                f'  user: curl -d \'{{"user_id": 1, "text": "hi"}}\' '
                f"-H 'Content-Type: application/json' {fake.url}/_fake/send_text\n"
                f"  state: curl {fake.url}/_fake/state",
                flush=True,
            )
            await asyncio.Event().wait()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve())


if __name__ == "__main__":
    main()
