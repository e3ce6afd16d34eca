"""The bot sending: sendMessage, sendPhoto, sendDocument, sendMediaGroup, sendChatAction."""

from __future__ import annotations

import copy
import time

from tests.fakes.telegram.errors import ApiError, bad_request
from tests.fakes.telegram.formatting import message_caption, message_text
from tests.fakes.telegram.keyboards import apply_chat_keyboard, inline_markup
from tests.fakes.telegram.media import Media
from tests.fakes.telegram.model import JSON, ChatMessage, Upload
from tests.fakes.telegram.state import ChatState

MAX_ALBUM_SIZE = 10
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


class Sending(Media):
    """New bot messages in a chat, validated the way Telegram validates them."""

    def _send_target(self, params: JSON) -> ChatState:
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

    def _reply_target(self, state: ChatState, params: JSON) -> ChatMessage | None:
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

    def _bot_message(self, state: ChatState, params: JSON) -> ChatMessage:
        return ChatMessage(
            chat=state.user.chat_dict(),
            message_id=self._next_message_id(state),
            date=int(time.time()),
            sender=copy.deepcopy(self.bot_user),
            from_bot=True,
            reply_to=self._reply_target(state, params),
        )

    def _send_message(self, params: JSON, files: dict[str, Upload]) -> JSON:
        state = self._send_target(params)
        text, entities = message_text(params)
        markup = inline_markup(params)
        message = self._bot_message(state, params)
        message.text, message.entities, message.reply_markup = text, entities, markup
        apply_chat_keyboard(state, params)
        state.messages.append(message)
        return message.to_dict()

    def _send_photo(self, params: JSON, files: dict[str, Upload]) -> JSON:
        return self._send_file(params, files, "photo")

    def _send_document(self, params: JSON, files: dict[str, Upload]) -> JSON:
        return self._send_file(params, files, "document")

    def _send_file(self, params: JSON, files: dict[str, Upload], kind: str) -> JSON:
        state = self._send_target(params)
        upload, stored = self._resolve_media(params.get(kind), files, kind, kind)
        caption, entities = message_caption(params)
        markup = inline_markup(params)
        message = self._bot_message(state, params)
        self._attach_media(message, kind, upload, stored)
        message.caption, message.caption_entities = caption, entities
        message.reply_markup = markup
        apply_chat_keyboard(state, params)
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
            caption, entities = message_caption(item)
            prepared.append((item["type"], upload, stored, caption, entities))
        reply_to = self._reply_target(state, params)
        group = str(next(self._album_ids))
        sent = []
        for kind, upload, stored, caption, entities in prepared:
            message = self._bot_message(state, {})
            message.reply_to = reply_to
            self._attach_media(message, kind, upload, stored)
            message.caption, message.caption_entities = caption, entities
            message.media_group_id = group
            state.messages.append(message)
            sent.append(message.to_dict())
        return sent

    def _send_chat_action(self, params: JSON, files: dict[str, Upload]) -> bool:
        self._send_target(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True
