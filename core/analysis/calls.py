"""One structured call to the vision model: strict schema, retries with backoff, usage, parsing."""

from __future__ import annotations

import email.utils
import logging
import math
import random
import time
from collections.abc import Awaitable, Callable
from functools import cache
from typing import TypeVar

from openai import (
    APIConnectionError,
    APIStatusError,
    AsyncOpenAI,
    RateLimitError,
)
from openai.types.chat import ChatCompletion, ChatCompletionMessageParam
from openai.types.shared_params import ResponseFormatJSONSchema
from pydantic import BaseModel, ValidationError

from core.analysis.errors import AnalysisBadAnswer, AnalysisUnavailable, UnavailableReason
from core.analysis.schemas import strict_schema
from core.models import Usage

log = logging.getLogger(__name__)

OutT = TypeVar("OutT", bound=BaseModel)

# Status codes worth another try besides 429 and 5xx: request timeout and lock conflict.
_RETRYABLE_4XX = frozenset({408, 409})


class InvalidAnswer(ValueError):
    """A well-formed answer whose content breaks the request's rules."""


class ModelCalls:
    """Send structured requests to one model, owning retries, backoff and the second ask.

    429s (honouring retry-after, capped), 5xx, timeouts and connection errors are retried with
    exponential backoff and jitter up to `max_attempts` calls, then AnalysisUnavailable; an
    answer that does not validate is asked again once, then AnalysisBadAnswer.
    """

    def __init__(
        self,
        client: AsyncOpenAI,
        model: str,
        *,
        max_attempts: int,
        base_delay: float,
        max_delay: float,
        sleep: Callable[[float], Awaitable[None]],
    ) -> None:
        self._client = client
        self._model = model
        self._max_attempts = max_attempts
        self._base_delay = base_delay
        self._max_delay = max_delay
        self._sleep = sleep

    async def structured(
        self,
        messages: list[ChatCompletionMessageParam],
        model: type[OutT],
        name: str,
        check: Callable[[OutT], None] | None = None,
    ) -> tuple[OutT, Usage]:
        """Call the model with a strict schema and parse the answer; ask once more if invalid."""
        response_format: ResponseFormatJSONSchema = {
            "type": "json_schema",
            "json_schema": {"name": name, "strict": True, "schema": _schema_of(model)},
        }
        usage = Usage()
        problem = ""
        for _ in range(2):
            try:
                completion = await self._create(messages, response_format)
            except AnalysisUnavailable as exc:
                exc.usage = usage + exc.usage
                raise
            usage += _usage_of(completion)
            try:
                out = _parse(completion, model)
                if check is not None:
                    check(out)
                return out, usage
            except (ValidationError, InvalidAnswer) as exc:
                problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                log.warning("%s answer rejected: %s", name, problem)
        raise AnalysisBadAnswer(f"{name}: {problem}", usage=usage)

    async def _create(
        self, messages: list[ChatCompletionMessageParam], response_format: ResponseFormatJSONSchema
    ) -> ChatCompletion:
        """Send one request, retrying transient failures with backoff."""
        reason: UnavailableReason = "ai_unavailable"
        detail = ""
        for attempt in range(1, self._max_attempts + 1):
            try:
                return await self._client.chat.completions.create(
                    model=self._model, messages=messages, response_format=response_format
                )
            except RateLimitError as exc:
                if exc.code == "insufficient_quota":
                    # Waiting does not refill a quota: give up now.
                    raise AnalysisUnavailable("ai_unavailable", "insufficient quota") from exc
                reason, detail = "ai_rate_limited", f"HTTP 429: {exc.message}"
                delay = _retry_after(exc)
                delay = self._backoff(attempt) if delay is None else min(delay, self._max_delay)
            except APIStatusError as exc:
                if exc.status_code < 500 and exc.status_code not in _RETRYABLE_4XX:
                    raise AnalysisUnavailable(
                        "ai_unavailable", f"HTTP {exc.status_code}: {exc.message}"
                    ) from exc
                reason, detail = "ai_unavailable", f"HTTP {exc.status_code}: {exc.message}"
                delay = self._backoff(attempt)
            except APIConnectionError as exc:  # timeouts included
                reason, detail = "ai_unavailable", exc.message
                delay = self._backoff(attempt)
            if attempt < self._max_attempts:
                log.info("model call failed (%s), retry %d in %.2fs", detail, attempt, delay)
                await self._sleep(delay)
        raise AnalysisUnavailable(reason, detail)

    def _backoff(self, attempt: int) -> float:
        """Return the delay before retry `attempt`: exponential, capped, with jitter."""
        ceiling = min(self._max_delay, self._base_delay * 2 ** (attempt - 1))
        # Equal jitter: spread concurrent retries without ever retrying immediately.
        return ceiling / 2 + random.uniform(0, ceiling / 2)


# Schemas never change at run time; building one walks the whole model.
_schema_of = cache(strict_schema)


def _parse(completion: ChatCompletion, model: type[OutT]) -> OutT:
    if not completion.choices:
        raise InvalidAnswer("no choices in the answer")
    message = completion.choices[0].message
    if message.refusal:
        raise InvalidAnswer(f"refused: {message.refusal}")
    if not message.content:
        raise InvalidAnswer("empty answer")
    return model.model_validate_json(message.content)


def _usage_of(completion: ChatCompletion) -> Usage:
    if completion.usage is None:  # some local servers leave it out
        return Usage()
    return Usage(
        prompt_tokens=completion.usage.prompt_tokens,
        completion_tokens=completion.usage.completion_tokens,
    )


def _retry_after(exc: APIStatusError) -> float | None:
    """Return the wait the server asked for, from retry-after-ms or retry-after, if any."""
    headers = exc.response.headers
    raw_ms = headers.get("retry-after-ms")
    if raw_ms:
        try:
            return max(0.0, float(raw_ms) / 1000)
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if not raw:
        return None
    try:
        seconds = float(raw)
    except ValueError:
        parsed = email.utils.parsedate_tz(raw)
        if parsed is None:
            return None
        seconds = email.utils.mktime_tz(parsed) - time.time()
    return max(0.0, seconds) if math.isfinite(seconds) else None
