"""Inline keyboards: what the bot may send, the user pressing a button, answerCallbackQuery.

Reply keyboards (the ones under the input field) are only remembered per chat.
"""

from __future__ import annotations

import copy
import re

from tests.fakes.telegram.errors import bad_request
from tests.fakes.telegram.inspection import Inspection
from tests.fakes.telegram.model import JSON, ChatMessage, MessageRef, Upload, User, message_id_of
from tests.fakes.telegram.state import ChatState, QueryState

MAX_CALLBACK_DATA_BYTES = 64
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"


def inline_markup(params: JSON) -> JSON | None:
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
                isinstance(data, str) and 0 < len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES
            ):
                raise bad_request("BUTTON_DATA_INVALID")
            url = button.get("url")
            if url is not None and not re.match(r"(https?|tg)://\S+$", str(url)):
                raise bad_request("BUTTON_URL_INVALID")
            clean.append(copy.deepcopy(button))
        if clean:
            clean_rows.append(clean)
    return {"inline_keyboard": clean_rows}


def apply_chat_keyboard(state: ChatState, params: JSON) -> None:
    markup = params.get("reply_markup")
    if not isinstance(markup, dict):
        return
    if "keyboard" in markup:
        state.keyboard = copy.deepcopy(markup)
    elif markup.get("remove_keyboard"):
        state.keyboard = None


class Keyboards(Inspection):
    """Button presses as callback queries, and how the bot answers them."""

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
        target = self._find(chat_id, message_id_of(message))
        if target is None or target.deleted:
            raise AssertionError(
                f"cannot press on message #{message_id_of(message)} in chat {chat_id}: "
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
        self._queries[query_id] = QueryState(update)
        self._push_update(update)
        return update

    def callback_answer(self, update_or_query: JSON | str) -> JSON | None:
        """Return the answerCallbackQuery params for a press, or None if unanswered."""
        if isinstance(update_or_query, str):
            query_id = update_or_query
        else:
            query_id = update_or_query.get("callback_query", update_or_query)["id"]
        query = self._queries.get(query_id)
        return query.answer if query else None

    def _answer_callback_query(self, params: JSON, files: dict[str, Upload]) -> bool:
        query = self._queries.get(str(params.get("callback_query_id")))
        if query is None or query.answer is not None:
            raise bad_request(QUERY_INVALID.removeprefix("Bad Request: "))
        if len(str(params.get("text") or "")) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        query.answer = {k: v for k, v in params.items() if k != "callback_query_id"}
        return True
