"""The bot changing its messages: editMessageText/Caption/ReplyMarkup/Media, deleteMessage(s)."""

from __future__ import annotations

import copy
import time

from tests.fakes.telegram.errors import bad_request
from tests.fakes.telegram.formatting import message_caption, message_text
from tests.fakes.telegram.keyboards import inline_markup
from tests.fakes.telegram.media import Media
from tests.fakes.telegram.model import JSON, ChatMessage, Upload

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)


class Editing(Media):
    """Edits and deletes of the bot's own messages in private chats."""

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
        text, entities = message_text(params)
        markup = inline_markup(params)
        edited = copy.copy(message)
        # Without reply_markup Telegram drops the inline keyboard, as it does here.
        edited.text, edited.entities, edited.reply_markup = text, entities, markup
        return self._commit_edit(message, edited)

    def _edit_message_caption(self, params: JSON, files: dict[str, Upload]) -> JSON:
        message = self._editable(params)
        if message.kind == "text":
            raise bad_request("there is no caption in the message to edit")
        caption, entities = message_caption(params)
        edited = copy.copy(message)
        edited.caption, edited.caption_entities = caption, entities
        edited.reply_markup = inline_markup(params)
        return self._commit_edit(message, edited)

    def _edit_message_reply_markup(self, params: JSON, files: dict[str, Upload]) -> JSON:
        message = self._editable(params)
        edited = copy.copy(message)
        edited.reply_markup = inline_markup(params)
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
        caption, entities = message_caption(media)
        edited = copy.copy(message)
        edited.caption, edited.caption_entities = caption, entities
        edited.reply_markup = inline_markup(params)
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
