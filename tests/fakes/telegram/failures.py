"""Failures on demand: make the next calls of a method fail, or answer 429 Too Many Requests."""

from __future__ import annotations

from collections.abc import Iterable

from tests.fakes.telegram.errors import ApiError
from tests.fakes.telegram.model import JSON
from tests.fakes.telegram.state import FakeState, InjectedFailure


class Failures(FakeState):
    """Injected failures, checked before every call but getUpdates (unless named)."""

    def fail_next(
        self,
        method: str | Iterable[str] | None,
        *,
        code: int = 400,
        description: str = "Bad Request: injected failure",
        parameters: JSON | None = None,
        times: int = 1,
    ) -> None:
        """Fail the next ``times`` calls of ``method`` (None: any but getUpdates)."""
        methods = None
        if method is not None:
            names = [method] if isinstance(method, str) else list(method)
            methods = frozenset(name.lower() for name in names)
        self._failures.append(
            InjectedFailure(methods, times, ApiError(code, description, parameters))
        )

    def rate_limit(
        self, method: str | Iterable[str] | None = None, *, retry_after: int = 1, times: int = 1
    ) -> None:
        """Answer the next calls with 429 Too Many Requests and ``parameters.retry_after``."""
        self.fail_next(
            method,
            code=429,
            description=f"Too Many Requests: retry after {retry_after}",
            parameters={"retry_after": retry_after},
            times=times,
        )

    def _maybe_fail(self, method: str) -> None:
        name = method.lower()
        for failure in self._failures:
            matches = name in failure.methods if failure.methods else name != "getupdates"
            if matches and failure.times > 0:
                failure.times -= 1
                if failure.times == 0:
                    self._failures.remove(failure)
                raise failure.error
