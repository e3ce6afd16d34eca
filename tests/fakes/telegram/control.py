"""The ``/_fake/`` routes: play the user with curl when the server runs by hand."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tests.fakes.telegram.keyboards import Keyboards
from tests.fakes.telegram.model import User
from tests.fakes.telegram.user_side import UserSide


class ControlRoutes(UserSide, Keyboards):
    """``send_text``, ``send_photo``, ``press`` and ``state``, over HTTP."""

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
