"""Who may use the bot: an allow-list, or one owner paired with a one-time code."""

from __future__ import annotations

import hmac
import secrets

from core.sellers.repository import SellerRepository

OWNER_KEY = "owner_user_id"


class AccessControl:
    """Decide whether a Telegram user may use the bot, and pair the first owner."""

    def __init__(self, sellers: SellerRepository, allowed_user_ids: list[int]) -> None:
        self.sellers = sellers
        self.allowed = frozenset(allowed_user_ids)
        self._first_allowed = allowed_user_ids[0] if allowed_user_ids else None
        self.owner: int | None = None
        self.pairing_code: str | None = None

    async def load(self) -> str | None:
        """Read the stored owner; return a new pairing code when nobody may use the bot yet."""
        raw = await self.sellers.get_meta(OWNER_KEY)
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

    def owner_chat(self) -> int | None:
        """Return who hears about the bot's own errors: the paired owner, or the first allowed."""
        if self.owner is not None:
            return self.owner
        return self._first_allowed

    async def pair(self, user_id: int, code: str) -> bool:
        """Make this user the owner if the code is right and nobody paired yet."""
        expected = self.pairing_code
        given = code.strip().encode("utf-8", "replace")
        if expected is None or not hmac.compare_digest(given, expected.encode()):
            return False
        if not await self.sellers.claim_meta(OWNER_KEY, str(user_id)):
            return False  # someone else paired first
        self.owner, self.pairing_code = user_id, None
        return True
