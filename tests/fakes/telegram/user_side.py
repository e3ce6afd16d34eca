"""The user's side of the chat: what tests "send" to the bot as a seller would.

Pressing an inline button is in ``keyboards``.
"""

from __future__ import annotations

import io
import time
from collections.abc import Sequence

from PIL import Image

from tests.fakes.telegram.errors import ApiError
from tests.fakes.telegram.formatting import command_entities, utf16_len
from tests.fakes.telegram.media import Media
from tests.fakes.telegram.model import JSON, ChatMessage, MessageRef, User, message_id_of


class UserSide(Media):
    """Messages from users, delivered to the bot as updates."""

    def new_user(self, first_name: str = "Test", language_code: str | None = "en") -> User:
        """Return a user with a fresh id."""
        return User(next(self._user_ids), first_name, language_code)

    def user_sends_text(self, user: User, text: str, reply_to: MessageRef | None = None) -> JSON:
        """Deliver a text message from the user; return the Message dict."""
        message = self._user_message(user, reply_to=reply_to)
        message.text = text
        message.entities = command_entities(text)
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
        message.entities = [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]
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

    def user_sends_voice(
        self,
        user: User,
        data: bytes = b"OggS\x00\x02" + bytes(58),
        *,
        duration: int = 3,
        reply_to: MessageRef | None = None,
        file_size: int | None = None,
    ) -> JSON:
        """Deliver a voice note (OGG/Opus), optionally in reply to one of the bot's messages."""
        stored = self._store_file(
            "voice", data, mime_type="audio/ogg", file_size=file_size, extension="oga"
        )
        message = self._user_message(user, reply_to=reply_to)
        message.voice = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": stored.file_size,
        }
        message.file = stored
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

    def user_edits(
        self, user: User, sent: MessageRef, *, text: str | None = None, caption: str | None = None
    ) -> JSON:
        """Edit one of the user's messages: the bot gets an `edited_message` update."""
        message = self._find(user.id, message_id_of(sent))
        if message is None or message.from_bot:
            raise AssertionError(f"the user sent no message {message_id_of(sent)}")
        if text is not None:
            message.text = text
            message.entities = command_entities(text)
        if caption is not None:
            message.caption = caption
        data = {**message.to_dict(), "edit_date": int(time.time())}
        self._push_update({"update_id": next(self._update_ids), "edited_message": data})
        return data

    def user_blocks_bot(self, user: User) -> None:
        """Make every send to this user fail with 403 until the user writes again."""
        self._chat_state(user).blocked = True

    def register(self, user: User) -> None:
        """Make the private chat with the user known without sending anything."""
        self._chat_state(user)

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
            message.reply_to = self._find(user.id, message_id_of(reply_to))
            if message.reply_to is None:
                raise AssertionError(f"no message {message_id_of(reply_to)} to reply to")
        return message

    def _push_message(self, message: ChatMessage) -> JSON:
        self._chats[message.chat_id].messages.append(message)
        data = message.to_dict()
        self._push_update({"update_id": next(self._update_ids), "message": data})
        return data
