"""The replica's state, and what tests read of it: members, recordings, switches.

ReplicaState is the base of every part of FakeVinted (session.py, photos.py, listings.py...).
Handlers run in the server's event loop while tests read from any thread: every access to the
state goes through its lock.
"""

from __future__ import annotations

import dataclasses
import random
import threading
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.vinted.data import catalog_by_path
from tests.fakes.vinted.records import CreatedItem, RecordedRequest, SavedDraft, UploadedPhoto
from tests.fakes.vinted.switches import VARIANTS, Switches


@dataclass
class Account:
    user_id: int
    login: str
    csrf_token: str
    access_token: str
    refresh_token: str
    cookies: dict[str, str]
    access_expired: bool = False


@dataclass
class State:
    accounts: dict[int, Account] = field(default_factory=dict)
    access_owner: dict[str, int] = field(default_factory=dict)  # every access token ever issued
    refresh_owner: dict[str, int] = field(default_factory=dict)
    photos: dict[int, UploadedPhoto] = field(default_factory=dict)
    items: list[CreatedItem] = field(default_factory=list)
    drafts: list[SavedDraft] = field(default_factory=list)
    requests: list[RecordedRequest] = field(default_factory=list)
    rotations: list[tuple[int, str, str]] = field(default_factory=list)  # user, old, new refresh


class ReplicaState:
    """The lock, the state and the switches of a replica, and the accessors tests read."""

    _switches: Switches
    _lock: threading.RLock
    _state: State
    _rng: random.Random
    _next_item_id: int
    _next_photo_id: int

    # ------------------------------------------------------------------ switches
    @property
    def switches(self) -> Switches:
        with self._lock:
            return dataclasses.replace(self._switches)

    def set_switches(self, **changes: Any) -> None:
        """Change behaviours on the fly, e.g. set_switches(datadome=True)."""
        with self._lock:
            self._switches = dataclasses.replace(self._switches, **changes)

    def set_variant(self, name: str) -> None:
        self.set_switches(**VARIANTS[name])

    # ------------------------------------------------------------------ what was recorded
    @property
    def items(self) -> list[CreatedItem]:
        with self._lock:
            return list(self._state.items)

    @property
    def drafts(self) -> list[SavedDraft]:
        with self._lock:
            return list(self._state.drafts)

    @property
    def photos(self) -> list[UploadedPhoto]:
        with self._lock:
            return list(self._state.photos.values())

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._state.requests)

    @property
    def rotations(self) -> list[tuple[int, str, str]]:
        """Return (user_id, old refresh token, new refresh token) per session refresh."""
        with self._lock:
            return list(self._state.rotations)

    def requests_to(self, path: str, method: str | None = None) -> list[RecordedRequest]:
        """Return the recorded requests whose path starts with path."""
        return [
            r
            for r in self.requests
            if r.path.startswith(path) and (method is None or r.method == method.upper())
        ]

    def item(self, item_id: int) -> CreatedItem | None:
        return next((i for i in self.items if i.id == item_id), None)

    def catalog_id(self, path: list[str]) -> int | None:
        """Return the id of the catalog at this title path, e.g. ["Femmes", "Vêtements"]."""
        node = catalog_by_path(path)
        return node.id if node else None

    def _items_of(self, user_id: int) -> list[CreatedItem]:
        """Return the member's items, newest first."""
        return [i for i in reversed(self.items) if i.user_id == user_id]
