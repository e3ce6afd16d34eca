"""What a test can script the fake to answer, and the error bodies OpenAI sends.

A script is a queue of replies, one per request: a JSON object to return as the message
content, `Status` for an HTTP error, `Raw` for content as is, `Delay` to wait before the next.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web


@dataclass(frozen=True)
class Status:
    """Answer with this HTTP error status (OpenAI's error body), e.g. Status(429, 0.01)."""

    status: int
    retry_after: float | None = None  # seconds, sent as `retry-after`
    retry_after_ms: float | None = None  # milliseconds, sent as `retry-after-ms`
    code: str | None = None  # OpenAI's error code, e.g. "insufficient_quota"


@dataclass(frozen=True)
class Delay:
    """Wait this long before answering the same request with the next reply (or the default)."""

    seconds: float


@dataclass(frozen=True)
class Raw:
    """Return this text as the message content, as is (e.g. malformed JSON)."""

    content: str


Reply = Mapping[str, Any] | Status | Delay | Raw


def status_error(reply: Status) -> web.Response:
    """Return the error OpenAI sends for this status: rate limit, quota, server error or other."""
    headers: dict[str, str] = {"x-request-id": "req_fake"}
    if reply.retry_after is not None:
        headers["retry-after"] = f"{reply.retry_after:g}"
    if reply.retry_after_ms is not None:
        headers["retry-after-ms"] = f"{reply.retry_after_ms:g}"
    if reply.status == 429:
        code = reply.code or "rate_limit_exceeded"
        message = (
            "You exceeded your current quota."
            if code == "insufficient_quota"
            else "Rate limit reached for requests."
        )
        return api_error(429, message, "requests", code=code, headers=headers)
    if reply.status >= 500:
        return api_error(reply.status, "The server had an error.", "server_error", headers=headers)
    return api_error(reply.status, "Scripted error.", "invalid_request_error", code=reply.code)


def api_error(
    status: int,
    message: str,
    kind: str,
    *,
    code: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> web.Response:
    """Return OpenAI's error body: {"error": {"message", "type", "param", "code"}}."""
    body = {"error": {"message": message, "type": kind, "param": None, "code": code}}
    return web.json_response(body, status=status, headers=headers)
