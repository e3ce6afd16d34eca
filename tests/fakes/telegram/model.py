"""What tests see of the fake: users, messages with their buttons, stored files and the call log.

Every object here renders itself as the Bot API object of the same name (``to_dict``).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]


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
    kind: str  # photo, document, video, sticker, voice
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
    voice: JSON | None = None
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
        for name in ("photo", "document", "video", "sticker", "voice"):
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
        for name in ("photo", "document", "video", "sticker", "voice"):
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


MessageRef = ChatMessage | JSON | int
ChatRef = int | User


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def message_id_of(ref: MessageRef) -> int:
    if isinstance(ref, ChatMessage):
        return ref.message_id
    if isinstance(ref, dict):
        return int(ref["message_id"])
    return int(ref)


def chat_id_of(ref: ChatRef) -> int:
    return ref.id if isinstance(ref, User) else int(ref)
