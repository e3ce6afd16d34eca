"""How a step stops a run: with a typed outcome, or because the page crashed."""

from __future__ import annotations

from core.marketplace import Outcome


class Stop(Exception):
    """End the run with this outcome."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.describe())
        self.outcome = outcome


class Crashed(Exception):
    """The page shows its critical error dialog, or its API answered 5xx: it needs a reload."""
