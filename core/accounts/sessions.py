"""Each seller's marketplace session: encrypted at rest, its rotated tokens always kept.

Browser work on an account (publishing, look-ups, /dryrun, /check, reading the catalog, the
daily check) runs under that account's one lock (`account_lock`), from cookies checked out
with their lineage; what the site hands back is written only onto that same lineage, so a run
that ends late never overwrites a newer session (a reconnection, or tokens rotated since).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from core.accounts.cookies import Cookie, merge_rotated
from core.accounts.repository import SessionRepository, StoredSession
from core.accounts.vault import SessionUnreadable, Vault

log = logging.getLogger(__name__)

SESSION_ACTIVE = "active"
SESSION_UNKNOWN = "unknown"
SESSION_EXPIRED = "expired"


@dataclass(frozen=True)
class Checkout:
    """The cookies a run starts from, and the lineage it may write its rotations onto."""

    cookies: list[Cookie]
    lineage: int


class SessionVault:
    """Keep each seller's session encrypted in the store, and its rotations saved."""

    def __init__(self, repo: SessionRepository, vault: Vault) -> None:
        self.repo = repo
        self.vault = vault
        # Saves are read-modify-write: without it a rotation could undo a concurrent one.
        self._lock = asyncio.Lock()
        self._accounts: dict[int, asyncio.Lock] = {}

    def account_lock(self, user_id: int) -> asyncio.Lock:
        """The one lock every piece of browser work on this seller's account runs under."""
        return self._accounts.setdefault(user_id, asyncio.Lock())

    def __repr__(self) -> str:
        return "SessionVault(<cookies hidden>)"

    async def save(
        self,
        user_id: int,
        cookies: Iterable[Mapping[str, Any]],
        *,
        username: str | None,
        account_id: str | None = None,
    ) -> StoredSession:
        """Store a freshly connected session; a known username means it was seen logged in."""
        cookies = list(cookies)
        async with self._lock:
            previous = await self.repo.get(user_id)
            if account_id is None and previous and previous.username == username:
                account_id = previous.account_id
            session = StoredSession(
                user_id=user_id,
                marketplace=self.repo.marketplace,
                encrypted=self.vault.seal(cookies),
                username=username,
                checked_at=self.repo.db.now() if username else None,
                # Kept across reconnections, so a new session does not reset the pacing.
                last_publish_at=previous.last_publish_at if previous else None,
                status=SESSION_ACTIVE if username else SESSION_UNKNOWN,
                account_id=account_id,
            )
            await self.repo.put(session)
        log.info("saved the session of user %s (%d cookies)", user_id, len(cookies))
        return _without_blob(session)

    async def load(self, user_id: int) -> list[Cookie] | None:
        """Return the seller's cookies, None if never connected; raise SessionUnreadable."""
        session = await self.repo.get(user_id)
        if session is None:
            return None
        try:
            return self.vault.open(session.encrypted)
        except SessionUnreadable as exc:
            log.warning("the session of user %s is unreadable: %s", user_id, exc.reason)
            raise

    async def checkout(self, user_id: int) -> Checkout | None:
        """Return the cookies to start a run from, None if never connected.

        Raises SessionUnreadable.
        """
        session = await self.repo.get(user_id)
        if session is None:
            return None
        try:
            cookies = self.vault.open(session.encrypted)
        except SessionUnreadable as exc:
            log.warning("the session of user %s is unreadable: %s", user_id, exc.reason)
            raise
        return Checkout(cookies, session.cookies_version)

    async def update_cookies(
        self, user_id: int, cookies: Iterable[Mapping[str, Any]], *, lineage: int
    ) -> int | None:
        """Save the cookies a run came back with onto the lineage it started from.

        Returns the new lineage, or None (nothing written) when the seller disconnected or the
        session moved on meanwhile (reconnected, or rotated by another run).
        """
        cookies = list(cookies)
        if not cookies:
            return lineage
        async with self._lock:
            session = await self.repo.get(user_id)
            if session is None:
                # Never bring back a session the seller removed while a publish was running.
                return None
            if session.cookies_version != lineage:
                log.warning(
                    "user %s: the session changed during the run; its cookies are not kept",
                    user_id,
                )
                return None
            merged = merge_rotated(self.vault.open(session.encrypted), cookies)
            # Only the cookies column: the queue may stamp last_publish_at meanwhile.
            if not await self.repo.set_cookies(user_id, self.vault.seal(merged), lineage=lineage):
                return None
            return lineage + 1

    def writer(self, user_id: int, checkout: Checkout) -> CookieWriter:
        """Return the sink a run hands its cookies to, following the lineage it writes."""
        return CookieWriter(self, user_id, checkout.lineage)

    async def set_status(self, user_id: int, status: str) -> bool:
        """Record what a check of the session found (active, expired...); False if none."""
        async with self._lock:
            return await self.repo.set_status(user_id, status, self.repo.db.now())

    async def delete(self, user_id: int) -> bool:
        """Forget the seller's session; True if there was one."""
        async with self._lock:
            return await self.repo.delete(user_id)

    async def info(self, user_id: int) -> StoredSession | None:
        """Return what is known about the session, without its encrypted cookies."""
        session = await self.repo.get(user_id)
        return None if session is None else _without_blob(session)

    async def account_id(self, user_id: int) -> str | None:
        """Return the marketplace's id of the seller's account, when known."""
        session = await self.repo.get(user_id)
        return None if session is None else session.account_id

    async def connected_users(self) -> list[int]:
        return await self.repo.users()


class CookieWriter:
    """Writes one run's cookies back, each time onto the lineage its last write made."""

    def __init__(self, vault: SessionVault, user_id: int, lineage: int) -> None:
        self._vault = vault
        self._user_id = user_id
        self.lineage = lineage
        self.lost = False  # the session moved on: this run's cookies were not kept

    async def keep(self, cookies: Iterable[Mapping[str, Any]]) -> None:
        """Write the cookies a run came back with; a failure is logged, never raised.

        When the marketplace already handed them over through on_cookies this merges the same
        cookies again, which changes nothing.
        """
        try:
            await self(cookies)
        except Exception:
            log.exception("could not save the rotated cookies of user %s", self._user_id)

    async def __call__(self, cookies: Iterable[Mapping[str, Any]]) -> None:
        if self.lost:
            return
        new = await self._vault.update_cookies(self._user_id, cookies, lineage=self.lineage)
        if new is None:
            self.lost = True
        else:
            self.lineage = new


def _without_blob(session: StoredSession) -> StoredSession:
    return session.model_copy(update={"encrypted": b""})
