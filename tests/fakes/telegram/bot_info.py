"""What the bot and its chats look like: getMe, getChat, and the command menu (setMyCommands)."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from tests.fakes.telegram.errors import bad_request
from tests.fakes.telegram.model import JSON, Upload
from tests.fakes.telegram.state import FakeState


class BotInfo(FakeState):
    """getMe, getChat, and setMyCommands / getMyCommands / deleteMyCommands per scope."""

    def _get_me(self, params: JSON, files: dict[str, Upload]) -> JSON:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
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

    def commands(self, scope: JSON | None = None, language_code: str = "") -> list[JSON]:
        """Return the command list set by setMyCommands for a scope and language."""
        return list(self._commands.get(self._commands_key(scope, language_code), []))

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
