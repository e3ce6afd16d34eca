"""Cookies sealed at rest: Fernet under a key derived from the bot's secret.

Key derivation: HKDF-SHA256 (RFC 5869) from `Settings.secret_key_bytes()`, with a fresh random
16-byte salt per sealed blob and an info string naming the purpose. HKDF rather than scrypt
because the secret is a key, not a password: by default it is 48 random bytes the bot creates
once (`DATA_DIR/secret.key`), and a slow KDF would only add cost to every publish. The per-blob
salt gives every blob its own Fernet key, so blobs never share a key even under one secret.
An operator who sets SECRET_KEY by hand should use a long random value: HKDF does not stretch a
weak password.

Blob format (version 1): one version byte, the 16-byte salt, then the Fernet token in binary
(base64-decoded), so every byte after the salt is covered by Fernet's HMAC.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Iterable, Mapping
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from core import logs
from core.accounts.cookies import Cookie
from core.config import Settings

BLOB_VERSION = 1
SALT_BYTES = 16
HKDF_INFO = b"vinted-lister-bot/vinted-session-cookies/v1"
# version + salt + the shortest Fernet token (version, time, IV, one AES block, HMAC).
_MIN_BLOB = 1 + SALT_BYTES + 1 + 8 + 16 + 16 + 32


class SessionUnreadable(Exception):
    """The stored session cannot be decrypted or read; the seller has to connect again."""

    MESSAGE = "session unreadable, please /connect again"

    def __init__(self, reason: str = "unreadable") -> None:
        super().__init__(self.MESSAGE)
        self.reason = reason


class Vault:
    """Seal cookie lists into versioned blobs and open them again under the bot's secret."""

    def __init__(self, secret: bytes) -> None:
        if not secret:
            raise ValueError("the vault needs a non-empty secret")
        self._secret = secret

    @classmethod
    def from_settings(cls, settings: Settings) -> Vault:
        """Build the vault from SECRET_KEY, or the key file the settings create once."""
        return cls(settings.secret_key_bytes())

    def __repr__(self) -> str:
        return "Vault(<secret hidden>)"

    def seal(self, cookies: Iterable[Mapping[str, Any]]) -> bytes:
        """Encrypt the cookies into a blob for the database."""
        listed = [dict(c) for c in cookies]
        logs.remember(str(c.get("value") or "") for c in listed)
        payload = json.dumps(listed, separators=(",", ":")).encode()
        salt = os.urandom(SALT_BYTES)
        token = self._fernet(salt).encrypt(payload)
        return bytes([BLOB_VERSION]) + salt + base64.urlsafe_b64decode(token)

    def open(self, blob: bytes) -> list[Cookie]:
        """Decrypt a blob; raise SessionUnreadable if it is not ours or was damaged."""
        if len(blob) < _MIN_BLOB:
            raise SessionUnreadable("truncated")
        if blob[0] != BLOB_VERSION:
            raise SessionUnreadable("unknown_version")
        salt, token = blob[1 : 1 + SALT_BYTES], blob[1 + SALT_BYTES :]
        try:
            payload = self._fernet(salt).decrypt(base64.urlsafe_b64encode(token))
        except (InvalidToken, binascii.Error, ValueError):
            # Wrong key and tampering look the same to an HMAC, on purpose.
            raise SessionUnreadable("wrong_key_or_tampered") from None
        try:
            data = json.loads(payload)
        except ValueError:
            raise SessionUnreadable("bad_payload") from None
        if not isinstance(data, list) or not all(
            isinstance(c, dict) and isinstance(c.get("name"), str) for c in data
        ):
            raise SessionUnreadable("bad_payload")
        logs.remember(str(c.get("value") or "") for c in data)
        return [Cookie(c) for c in data]

    def _fernet(self, salt: bytes) -> Fernet:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=HKDF_INFO).derive(
            self._secret
        )
        return Fernet(base64.urlsafe_b64encode(key))
