"""Who may use the bot: an allow-list, or one owner paired with a one-time code."""

from __future__ import annotations

import hmac
import secrets

from core.store import Store

OWNER_KEY = "owner_user_id"


class AccessControl:
    """Decide whether a Telegram user may use the bot, and pair the first owner."""

    def __init__(self, store: Store, allowed_user_ids: list[int]) -> None:
        self.store = store
        self.allowed = frozenset(allowed_user_ids)
        self.owner: int | None = None
        self.pairing_code: str | None = None

    async def load(self) -> str | None:
        """Read the stored owner; return a new pairing code when nobody may use the bot yet."""
        raw = await self.store.get_meta(OWNER_KEY)
        self.owner = int(raw) if raw else None
        if self.allowed or self.owner is not None:
            self.pairing_code = None
        else:
            self.pairing_code = f"{secrets.randbelow(10**6):06d}"
        return self.pairing_code

    def is_allowed(self, user_id: int) -> bool:
        if self.allowed:
            return user_id in self.allowed
        return self.owner is not None and user_id == self.owner

    async def pair(self, user_id: int, code: str) -> bool:
        """Make this user the owner if the code is right and nobody paired yet."""
        expected = self.pairing_code
        if expected is None or not hmac.compare_digest(code.strip(), expected):
            return False
        await self.store.set_meta(OWNER_KEY, str(user_id))
        self.owner, self.pairing_code = user_id, None
        return True
