"""The replica's state, and what tests read of it: members, recordings, switches.

ReplicaState is the base of every part of FakeVinted (session.py, photos.py, listings.py...).
Handlers run in the server's event loop while tests read from any thread: every access to the
state goes through its lock.
"""

from __future__ import annotations

import dataclasses
import random
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.vinted.catalog import CatalogNode
from tests.fakes.vinted.data import fold
from tests.fakes.vinted.records import CreatedItem, RecordedRequest, SavedDraft, UploadedPhoto
from tests.fakes.vinted.sites import Site, site
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

    @property
    def site(self) -> Site:
        """Return the country site the replica is now (Switches.site)."""
        return site(self.switches.site)

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
        """Return the item with this id, deleted or not."""
        return next((i for i in self.items if i.id == item_id), None)

    @property
    def live_items(self) -> list[CreatedItem]:
        """Return the items not deleted, oldest first."""
        return [i for i in self.items if i.is_live]

    def sell(self, item_id: int) -> None:
        """A buyer took the item (or the seller removed it): it leaves the wardrobe."""
        with self._lock:
            at = next(i for i, item in enumerate(self._state.items) if item.id == item_id)
            self._state.items[at] = dataclasses.replace(
                self._state.items[at], deleted_at=time.time()
            )

    def draft(self, draft_id: int) -> SavedDraft | None:
        return next((d for d in self.drafts if d.id == draft_id), None)

    # ------------------------------------------------------------------ the active site's data
    def catalog_tree(self) -> tuple[CatalogNode, ...]:
        """Return the roots of the active site's catalog (walk them with .children, .path())."""
        return self.site.catalog.roots

    def catalog_id(self, path: Sequence[str]) -> int | None:
        """Return the id of the catalog at this title path, e.g. ["Femmes", "Vêtements"]."""
        node = self.site.catalog.by_path(path)
        return node.id if node else None

    def leaf_id(self, path: Sequence[str]) -> int:
        """Return the id of the leaf at this title path; raise LookupError if it is no leaf."""
        node = self.site.catalog.by_path(path)
        if node is None or not node.is_leaf:
            leaves = [" > ".join(n.path()) for n in self.site.catalog.search(path[-1])]
            raise LookupError(f"no leaf {' > '.join(path)} on {self.site.name}; near: {leaves}")
        return node.id

    def catalog_path(self, catalog_id: int | None) -> list[str] | None:
        """Return the titles from the root to this catalog on the active site, or None."""
        node = self.site.catalog.by_id(catalog_id)
        return node.path() if node else None

    def brand_id(self, title: str) -> int | None:
        """Return the active site's id of a brand, by its name in any case."""
        return next((i for i, t in self.site.brands() if fold(t) == fold(title)), None)

    def color_id(self, name: str) -> int:
        """Return a colour's id by its name on the active site ("Bleu", "Blau", "Blue")."""
        colors = self.site.words.colors
        return next(i for i, t in colors.items() if fold(t) == fold(name))

    def material_id(self, name: str) -> int:
        materials = self.site.words.materials
        return next(i for i, t in materials.items() if fold(t) == fold(name))

    def size_id(self, path: Sequence[str], label: str) -> int:
        """Return the id of the size with this label in the size group of the leaf at path."""
        group = self.site.size_group(self.site.catalog.by_path(path))
        if group is None:
            raise LookupError(f"{' > '.join(path)} has no sizes on {self.site.name}")
        return next(i for i, t in group.sizes if t == label)

    # ------------------------------------------------------------------ for the handlers
    def _items_of(self, user_id: int) -> list[CreatedItem]:
        """Return the member's live items, newest first."""
        return [i for i in reversed(self.items) if i.user_id == user_id and i.is_live]

    def _open_drafts_of(self, user_id: int) -> list[SavedDraft]:
        """Return the member's drafts still waiting (not completed, not deleted), newest first."""
        return [d for d in reversed(self.drafts) if d.user_id == user_id and d.is_open]
