"""How the fake fails: a Bot API error, answered with Telegram's status, wording and fields."""

from __future__ import annotations

from tests.fakes.telegram.model import JSON


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
