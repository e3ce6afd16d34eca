"""Voice notes to text through the OpenAI-compatible audio API (/v1/audio/transcriptions).

A local Whisper server that speaks the same API works through OPENAI_BASE_URL. Failures are
one typed error: the caller says so and changes nothing.
"""

from __future__ import annotations

import logging

import openai
from openai import AsyncOpenAI

log = logging.getLogger(__name__)


class TranscriptionFailed(Exception):
    """The voice note could not be turned into text (service down, refused, bad audio)."""


class Transcriber:
    def __init__(self, client: AsyncOpenAI, model: str) -> None:
        self.client = client
        self.model = model

    async def transcribe(self, audio: bytes, filename: str, language: str | None = None) -> str:
        """Return what the voice note says, stripped ("" when nothing was heard)."""
        try:
            if language:
                result = await self.client.audio.transcriptions.create(
                    model=self.model, file=(filename, audio), language=language
                )
            else:
                result = await self.client.audio.transcriptions.create(
                    model=self.model, file=(filename, audio)
                )
        except openai.OpenAIError as exc:
            log.warning("transcription failed: %s", type(exc).__name__)
            raise TranscriptionFailed(type(exc).__name__) from exc
        return " ".join(str(getattr(result, "text", "") or "").split())
