"""POST /v1/audio/transcriptions in the API's multipart format: scripted transcripts."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from aiohttp import web

from tests.fakes.openai.replies import Status, api_error, status_error


@dataclass
class Transcription:
    """One transcription request as received."""

    model: str
    filename: str
    size: int
    language: str | None


class Audio:
    """The transcription endpoint; `transcripts` are answered in order ("" when none left)."""

    def __init__(self) -> None:
        self.transcripts: deque[str | Status] = deque()
        self.transcriptions: list[Transcription] = []

    def say(self, *texts: str | Status) -> None:
        """Queue what the next voice notes are heard as (or an error status)."""
        self.transcripts.extend(texts)

    async def handle(self, request: web.Request) -> web.Response:
        if not request.headers.get("Authorization", "").startswith("Bearer "):
            return api_error(401, "You didn't provide an API key.", "invalid_request_error")
        if not request.content_type.startswith("multipart/"):
            return api_error(400, "Expected multipart/form-data.", "invalid_request_error")
        fields: dict[str, str] = {}
        filename, size = "", 0
        reader = await request.multipart()
        async for part in reader:
            if part.name == "file":
                filename = part.filename or ""
                size = len(await part.read())  # type: ignore[union-attr]
            elif part.name:
                fields[part.name] = await part.text()  # type: ignore[union-attr]
        if not filename or "model" not in fields:
            return api_error(400, "'file' and 'model' are required.", "invalid_request_error")
        self.transcriptions.append(
            Transcription(fields["model"], filename, size, fields.get("language"))
        )
        reply = self.transcripts.popleft() if self.transcripts else ""
        if isinstance(reply, Status):
            return status_error(reply)
        if fields.get("response_format") == "text":
            return web.Response(text=reply, content_type="text/plain")
        return web.json_response({"text": reply})
