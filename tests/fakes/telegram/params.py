"""Reading a Bot API request: query, JSON, urlencoded or multipart, typed as Telegram types it."""

from __future__ import annotations

import json
import re
from typing import Any

from aiohttp import web

from tests.fakes.telegram.errors import bad_request
from tests.fakes.telegram.model import JSON, Upload

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


async def read_request(request: web.Request) -> tuple[JSON, dict[str, Upload]]:
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
