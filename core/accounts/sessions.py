"""Each seller's marketplace session: encrypted at rest, its rotated tokens always kept."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from core.accounts.cookies import Cookie, merge_rotated
from core.accounts.repository import SessionRepository, StoredSession
from core.accounts.vault import SessionUnreadable, Vault

log = logging.getLogger(__name__)

SESSION_ACTIVE = "active"
SESSION_UNKNOWN = "unknown"
SESSION_EXPIRED = "expired"


class SessionVault:
    """Keep each seller's session encrypted in the store, and its rotations saved."""

    def __init__(self, repo: SessionRepository, vault: Vault) -> None:
        self.repo = repo
        self.vault = vault
        # Saves are read-modify-write: without it a rotation could undo a concurrent one.
        self._lock = asyncio.Lock()

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

    async def update_cookies(self, user_id: int, cookies: Iterable[Mapping[str, Any]]) -> bool:
        """Save the cookies a browser came back with; False if the seller disconnected."""
        async with self._lock:
            session = await self.repo.get(user_id)
            if session is None:
                # Never bring back a session the seller removed while a publish was running.
                return False
            merged = merge_rotated(self.vault.open(session.encrypted), cookies)
            # Only the cookies column: the queue may stamp last_publish_at meanwhile.
            return await self.repo.set_cookies(user_id, self.vault.seal(merged))

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


def _without_blob(session: StoredSession) -> StoredSession:
    return session.model_copy(update={"encrypted": b""})
