"""The fake's HTTP side: an aiohttp server answering `POST /v1/chat/completions`.

Each request takes the next scripted reply (see replies.py); with the script empty it gets the
default answer for its schema name (see answers.py). Every request is recorded (recording.py).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import deque
from typing import Any

from aiohttp import web

from tests.fakes.openai.answers import default_answer
from tests.fakes.openai.audio import Audio
from tests.fakes.openai.recording import ReceivedRequest, images_of
from tests.fakes.openai.replies import Delay, Raw, Reply, Status, api_error, status_error

HOST = "127.0.0.1"


class FakeOpenAIServer:
    """An aiohttp server on 127.0.0.1 speaking the Chat Completions protocol."""

    def __init__(self, *, latency: float = 0.0, port: int = 0) -> None:
        self.latency = latency
        self.requests: list[ReceivedRequest] = []
        self.default_draft: dict[str, Any] = {}  # fields merged over every default draft
        self._in_flight = 0
        self.most_at_once = 0  # the most requests the server held at the same time
        self.audio = Audio()  # /v1/audio/transcriptions: scripted with audio.say(...)
        self._port = port
        self._script: deque[Reply] = deque()
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._bound_port: int | None = None

    # lifecycle

    async def start(self) -> None:
        """Bind 127.0.0.1 (port 0 picks a free one) and start answering."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/v1/chat/completions", self._handle)
        app.router.add_post("/v1/audio/transcriptions", self.audio.handle)
        # handler_cancellation: a client that timed out must not leave a sleeping handler.
        self._runner = web.AppRunner(
            app, handler_cancellation=True, shutdown_timeout=0.5, access_log=None
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, HOST, self._port)
        await site.start()
        self._bound_port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Stop answering and release the port."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeOpenAIServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        if self._bound_port is None:
            raise RuntimeError("the fake OpenAI server is not started")
        return f"http://{HOST}:{self._bound_port}/v1"

    # scripting

    def script(self, *replies: Reply) -> None:
        """Queue replies for the next requests, consumed in order."""
        self._script.extend(replies)

    def set_default_draft(self, **fields: Any) -> None:
        """Make every default draft answer use these field values."""
        self.default_draft.update(fields)

    @property
    def pending(self) -> int:
        """Return how many scripted replies are still unused."""
        return len(self._script)

    def requests_named(self, schema_name: str) -> list[ReceivedRequest]:
        """Return the recorded requests whose json_schema has this name."""
        return [r for r in self.requests if r.schema_name == schema_name]

    # handling

    async def _handle(self, request: web.Request) -> web.Response:
        if not request.headers.get("Authorization", "").startswith("Bearer "):
            return api_error(401, "You didn't provide an API key.", "invalid_request_error")
        try:
            body = await request.json()
        except json.JSONDecodeError:
            return api_error(400, "We could not parse the JSON body.", "invalid_request_error")
        if body.get("stream"):
            return api_error(400, "The fake server does not stream.", "invalid_request_error")
        received = ReceivedRequest(body=body, images=images_of(body))
        self.requests.append(received)

        delay = self.latency
        reply: Reply | None = None
        while self._script:
            item = self._script.popleft()
            if isinstance(item, Delay):
                delay += item.seconds
                continue
            reply = item
            break
        self._in_flight += 1
        self.most_at_once = max(self.most_at_once, self._in_flight)
        try:
            if delay:
                await asyncio.sleep(delay)
        finally:
            self._in_flight -= 1

        if isinstance(reply, Status):
            received.status = reply.status
            return status_error(reply)
        if isinstance(reply, Raw):
            content = reply.content
        elif reply is not None:
            content = json.dumps(reply, ensure_ascii=False)
        else:
            content = json.dumps(default_answer(received, self.default_draft), ensure_ascii=False)
        completion = self._completion(received, content)
        received.status, received.usage = 200, completion["usage"]
        return web.json_response(completion)

    def _completion(self, received: ReceivedRequest, content: str) -> dict[str, Any]:
        text_chars = len(received.system_text) + sum(len(t) for t in received.user_texts)
        prompt_tokens = text_chars // 4 + sum(image.tokens for image in received.images)
        completion_tokens = len(content) // 4 + 1
        return {
            "id": f"chatcmpl-fake{next(self._ids)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": received.body.get("model", "gpt-4o"),
            "choices": [
                {
                    "index": 0,
                    "message": {
                        "role": "assistant",
                        "content": content,
                        "refusal": None,
                        "annotations": [],
                    },
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
                "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0},
            },
            "service_tier": "default",
            "system_fingerprint": "fp_fake",
        }
