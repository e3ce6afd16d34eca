"""Who may use the bot: an allow-list, or one owner paired with a one-time code."""

from __future__ import annotations

import hmac
import logging
import secrets
from enum import StrEnum

from core.sellers.repository import SellerRepository

OWNER_KEY = "owner_user_id"
# A 6-digit code gives 1 in 10**6 a try: a few tries each, and a few dozen in all, then the code
# is spent and a restart prints a new one.
MAX_TRIES_PER_USER = 5
MAX_TRIES_IN_ALL = 30

log = logging.getLogger(__name__)


class Pairing(StrEnum):
    """How a `/start CODE` ended."""

    PAIRED = "paired"
    WRONG = "wrong"
    TOO_MANY = "too_many"  # this user, or everyone together, tried too often: code spent
    TAKEN = "taken"  # somebody paired first


class AccessControl:
    """Decide whether a Telegram user may use the bot, and pair the first owner."""

    def __init__(self, sellers: SellerRepository, allowed_user_ids: list[int]) -> None:
        self.sellers = sellers
        self.allowed = frozenset(allowed_user_ids)
        self._first_allowed = allowed_user_ids[0] if allowed_user_ids else None
        self.owner: int | None = None
        self.pairing_code: str | None = None
        self._tries: dict[int, int] = {}
        self._tries_in_all = 0
        self._spent = False  # too many wrong codes: pairing is off until a restart

    async def load(self) -> str | None:
        """Read the stored owner; return a new pairing code when nobody may use the bot yet."""
        raw = await self.sellers.get_meta(OWNER_KEY)
        self.owner = int(raw) if raw and raw.isdigit() else None
        if self.allowed and self.owner is not None and self.owner not in self.allowed:
            log.warning(
                "ALLOWED_USER_IDS does not list the paired owner (Telegram id %s): they are locked"
                " out until it does, or until ALLOWED_USER_IDS is empty again",
                self.owner,
            )
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

    @property
    def pairing_open(self) -> bool:
        """True while nobody may use the bot: `/start CODE` is how the owner comes in."""
        return not self.allowed and self.owner is None

    async def pair(self, user_id: int, code: str) -> Pairing:
        """Make this user the owner if the code is right and nobody paired yet.

        Tries are counted per user and in all; past either limit the code is spent (no
        brute force through a six-digit code) until a restart prints a new one.
        """
        expected = self.pairing_code
        if not self.pairing_open:
            return Pairing.TAKEN
        tries = self._tries.get(user_id, 0)
        if self._spent or tries >= MAX_TRIES_PER_USER:
            return Pairing.TOO_MANY
        if expected is None:
            return Pairing.TAKEN  # a right code is being claimed this very moment
        self._tries[user_id] = tries + 1
        self._tries_in_all += 1
        given = code.strip().encode("utf-8", "replace")
        if not hmac.compare_digest(given, expected.encode("ascii")):
            if self._tries_in_all >= MAX_TRIES_IN_ALL:
                self.pairing_code, self._spent = None, True
                log.warning("too many wrong pairing codes: pairing is off until a restart")
            return Pairing.WRONG
        self.pairing_code = None  # one claim only, decided before any await
        try:
            claimed = await self.sellers.claim_meta(OWNER_KEY, str(user_id))
        except BaseException:
            self.pairing_code = expected
            raise
        if not claimed:
            return Pairing.TAKEN  # someone else paired first (another process on the file)
        self.owner = user_id
        return Pairing.PAIRED
