"""Encrypted Vinted sessions: parse the cookies a seller pastes, seal them, keep them rotated.

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

import asyncio
import base64
import binascii
import ipaddress
import json
import logging
import os
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from core.config import Settings
from core.store import Store, VintedSession

log = logging.getLogger(__name__)

LOGIN_COOKIES = ("access_token_web", "refresh_token_web")

SESSION_ACTIVE = "active"
SESSION_UNKNOWN = "unknown"
SESSION_EXPIRED = "expired"

BLOB_VERSION = 1
SALT_BYTES = 16
HKDF_INFO = b"vinted-lister-bot/vinted-session-cookies/v1"
# version + salt + the shortest Fernet token (version, time, IV, one AES block, HMAC).
_MIN_BLOB = 1 + SALT_BYTES + 1 + 8 + 16 + 16 + 32

CookieProblem = Literal["empty", "unrecognised", "bad_json", "wrong_site", "no_login_cookie"]

COOKIE_HEADER_FORMAT = (
    "a Cookie header copied from the browser's developer tools (name=value; name2=value2)"
)
COOKIE_JSON_FORMAT = (
    "the JSON export of a cookie-editor browser extension (Cookie-Editor, EditThisCookie)"
)
EXPECTED_FORMATS = (COOKIE_HEADER_FORMAT, COOKIE_JSON_FORMAT)

_PROBLEM_TEXT: dict[str, str] = {
    "empty": "no cookies were sent",
    "unrecognised": "this is not a list of cookies",
    "bad_json": "this JSON is incomplete or invalid (a long export may have been cut in two)",
    "wrong_site": "none of these cookies belong to the Vinted site the bot uses",
    "no_login_cookie": "no Vinted login cookie (access_token_web or refresh_token_web) was found;"
    " log in to Vinted in the browser and export its cookies again",
}

# RFC 6265 cookie-name token: anything else means the text is not a cookie header.
_COOKIE_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_COOKIE_LINE = re.compile(r"^\s*cookie\s*:\s*(.*)$", re.IGNORECASE)
_SAME_SITE = {
    "no_restriction": "None",
    "none": "None",
    "lax": "Lax",
    "strict": "Strict",
    "unspecified": "Lax",  # what Chromium applies to cookies that set no SameSite
}
# Past this an "expires" number is in milliseconds (some exporters write them).
_MILLISECONDS = 100_000_000_000


class CookieFormatError(ValueError):
    """The pasted text is no usable cookie list; `reason` is a stable key the bot translates."""

    def __init__(
        self,
        reason: CookieProblem,
        *,
        expected: tuple[str, ...] = EXPECTED_FORMATS,
        detail: str = "",
    ) -> None:
        self.reason: CookieProblem = reason
        self.expected = expected
        self.detail = detail
        problem = _PROBLEM_TEXT[reason] + (f" ({detail})" if detail else "")
        super().__init__(f"{problem}. Expected {' or '.join(expected)}.")


class SessionUnreadable(Exception):
    """The stored session cannot be decrypted or read; the seller has to connect again."""

    MESSAGE = "session unreadable, please /connect again"

    def __init__(self, reason: str = "unreadable") -> None:
        super().__init__(self.MESSAGE)
        self.reason = reason


class Cookie(dict[str, Any]):
    """A Playwright cookie dict whose repr hides the value, so a log line never leaks a login."""

    __slots__ = ()

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{key}={self[key]!r}" for key in ("name", "domain", "path") if key in self
        )
        return f"Cookie({shown}, value=<hidden>)"

    __str__ = __repr__

    def copy(self) -> Cookie:
        return Cookie(self)


# ---- parsing ------------------------------------------------------------------------------


def parse_cookies(text: str, base_url: str) -> list[Cookie]:
    """Read a pasted Cookie header or cookie-editor JSON export into Playwright cookies."""
    host = _host(base_url)
    stripped = text.strip().lstrip("\ufeff").strip()
    if not stripped:
        raise CookieFormatError("empty")
    if stripped[0] in "[{":
        cookies = _from_json(stripped, base_url, host)
    elif stripped[0] == "<":
        raise CookieFormatError("unrecognised", detail="it looks like a web page")
    else:
        cookies = _from_header(stripped, base_url, host)
    if not any(c["name"] in LOGIN_COOKIES and c["value"] for c in cookies):
        raise CookieFormatError("no_login_cookie")
    return cookies


def default_domain(base_url: str) -> str:
    """Return the cookie domain for the site: ".vinted.fr" for https://www.vinted.fr."""
    host = _host(base_url)
    if _is_ip(host) or "." not in host:
        return host
    return "." + host.removeprefix("www.")


def _from_header(text: str, base_url: str, host: str) -> list[Cookie]:
    lines = text.splitlines()
    cookie_lines = [m.group(1) for line in lines if (m := _COOKIE_LINE.match(line))]
    if cookie_lines:
        # A whole request-headers block was pasted: only its cookie line(s) matter.
        body = ";".join(cookie_lines)
    elif lines[0].strip().lower() == "cookie":
        # DevTools' headers pane copies the name and the value on separate lines.
        body = "\n".join(lines[1:])
    else:
        body = text
    domain = default_domain(base_url)
    secure = urlsplit(base_url).scheme == "https"
    cookies: dict[str, Cookie] = {}
    for part in re.split(r"[;\n]", body):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not _COOKIE_NAME.fullmatch(name) or _CONTROL.search(value):
            raise CookieFormatError("unrecognised")
        cookie = Cookie(
            name=name,
            value=value,
            domain=domain,
            path="/",
            expires=-1,
            # Page scripts read some of them (anon_id becomes the x-anon-id header).
            httpOnly=False,
            secure=secure,
            sameSite="Lax",
        )
        _apply_prefix_rules(cookie, host)
        # Browsers send the most specific of same-named cookies first, and servers read that.
        cookies.setdefault(name, cookie)
    if not cookies:
        raise CookieFormatError("unrecognised")
    return list(cookies.values())


def _from_json(text: str, base_url: str, host: str) -> list[Cookie]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise CookieFormatError("bad_json") from None
    if isinstance(data, dict):
        if isinstance(data.get("cookies"), list):
            data = data["cookies"]  # Playwright's storage state, or a wrapped export
        elif "name" in data and "value" in data:
            data = [data]
    if not isinstance(data, list):
        raise CookieFormatError("unrecognised")
    default = default_domain(base_url)
    cookies: dict[tuple[str, str, str], Cookie] = {}
    foreign = 0
    for index, entry in enumerate(data, start=1):
        cookie = _from_export_entry(entry, index, default)
        if cookie is None:
            continue
        if not _belongs_to(cookie["domain"], host):
            foreign += 1
            continue
        _apply_prefix_rules(cookie, host)
        cookies[_key(cookie)] = cookie
    if foreign and not cookies:
        raise CookieFormatError("wrong_site", detail=f"{foreign} cookies of other sites")
    if foreign:
        log.info("dropped %d pasted cookies of other sites", foreign)
    return list(cookies.values())


def _from_export_entry(entry: object, index: int, fallback_domain: str) -> Cookie | None:
    """Convert one exported cookie; None for one Chromium would refuse anyway."""
    if not isinstance(entry, dict):
        raise CookieFormatError("unrecognised", detail=f"entry {index} is not a cookie")
    name, value = entry.get("name"), entry.get("value")
    if not isinstance(name, str) or not name or isinstance(value, dict | list | bool):
        raise CookieFormatError("unrecognised", detail=f"entry {index} has no name or value")
    value = "" if value is None else str(value)
    if not _COOKIE_NAME.fullmatch(name) or _CONTROL.search(value) or ";" in value:
        log.info("dropped pasted cookie %d: invalid characters", index)
        return None
    domain = str(entry.get("domain") or fallback_domain).strip().lower()
    if entry.get("hostOnly") is True:
        domain = domain.lstrip(".")
    secure = _flag(entry.get("secure"))
    same_site = _SAME_SITE.get(str(entry.get("sameSite") or "").lower(), "Lax")
    if same_site == "None" and not secure:
        # Chromium rejects SameSite=None without Secure, which would fail the whole session.
        same_site = "Lax"
    return Cookie(
        name=name,
        value=value,
        domain=domain,
        path=str(entry.get("path") or "/"),
        expires=_expires(entry),
        httpOnly=_flag(entry.get("httpOnly")),
        secure=secure,
        sameSite=same_site,
    )


def _apply_prefix_rules(cookie: Cookie, host: str) -> None:
    """Make __Host- and __Secure- cookies valid, or Chromium refuses the whole batch."""
    if cookie["name"].startswith("__Host-"):
        cookie.update(domain=host, path="/", secure=True)
    elif cookie["name"].startswith("__Secure-"):
        cookie["secure"] = True


def _expires(entry: Mapping[str, Any]) -> float:
    if entry.get("session") is True:
        return -1
    raw = entry.get("expirationDate", entry.get("expires"))
    if isinstance(raw, bool) or raw is None:
        return -1
    if isinstance(raw, int | float):
        seconds = float(raw)
    elif isinstance(raw, str):
        try:
            seconds = float(raw)
        except ValueError:
            try:
                moment = datetime.fromisoformat(raw.strip())
            except ValueError:
                return -1
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            seconds = moment.timestamp()
    else:
        return -1
    if seconds <= 0:
        return -1
    return seconds / 1000 if seconds > _MILLISECONDS else seconds


def _flag(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return value is True or value == 1


def _host(base_url: str) -> str:
    host = urlsplit(base_url).hostname
    if not host:
        raise ValueError(f"base_url has no host: {base_url!r}")
    return host.lower()


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _belongs_to(domain: str, host: str) -> bool:
    """Tell whether a cookie domain is the bot's Vinted site (any of its subdomains)."""
    bare = domain.lstrip(".")
    site = host.removeprefix("www.")
    return bare in (host, site) or bare.endswith("." + site)


def _key(cookie: Mapping[str, Any]) -> tuple[str, str, str]:
    return (
        str(cookie["name"]),
        str(cookie.get("domain") or "").lower(),
        str(cookie.get("path") or "/"),
    )


def merge_rotated(
    old: Iterable[Mapping[str, Any]], new: Iterable[Mapping[str, Any]]
) -> list[Cookie]:
    """Return the old cookies with those the browser came back with replacing them."""
    merged: dict[tuple[str, str, str], Cookie] = {}
    for cookie in old:
        merged[_key(cookie)] = Cookie(cookie)
    # Same (name, domain, path) is the same cookie to a browser: the new one wins in place.
    for cookie in new:
        merged[_key(cookie)] = Cookie(cookie)
    return list(merged.values())


# ---- encryption at rest -------------------------------------------------------------------


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
        payload = json.dumps([dict(c) for c in cookies], separators=(",", ":")).encode()
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
        return [Cookie(c) for c in data]

    def _fernet(self, salt: bytes) -> Fernet:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=HKDF_INFO).derive(
            self._secret
        )
        return Fernet(base64.urlsafe_b64encode(key))


# ---- the service over the store -----------------------------------------------------------


class SessionVault:
    """Keep each seller's Vinted session encrypted in the store, and its rotations saved."""

    def __init__(
        self, store: Store, vault: Vault, *, clock: Callable[[], datetime] | None = None
    ) -> None:
        self.store = store
        self.vault = vault
        self._now = clock or (lambda: datetime.now(UTC))
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
        vinted_user_id: int | None = None,
    ) -> VintedSession:
        """Store a freshly connected session; a known username means it was seen logged in."""
        cookies = list(cookies)
        async with self._lock:
            previous = await self.store.get_vinted_session(user_id)
            if vinted_user_id is None and previous and previous.username == username:
                vinted_user_id = previous.vinted_user_id
            session = VintedSession(
                user_id=user_id,
                encrypted=self.vault.seal(cookies),
                username=username,
                checked_at=self._now() if username else None,
                # Kept across reconnections, so a new session does not reset the pacing.
                last_publish_at=previous.last_publish_at if previous else None,
                status=SESSION_ACTIVE if username else SESSION_UNKNOWN,
                vinted_user_id=vinted_user_id,
            )
            await self.store.put_vinted_session(session)
        log.info("saved the Vinted session of user %s (%d cookies)", user_id, len(cookies))
        return _without_blob(session)

    async def load(self, user_id: int) -> list[Cookie] | None:
        """Return the seller's cookies, None if never connected; raise SessionUnreadable."""
        session = await self.store.get_vinted_session(user_id)
        if session is None:
            return None
        try:
            return self.vault.open(session.encrypted)
        except SessionUnreadable as exc:
            log.warning("the Vinted session of user %s is unreadable: %s", user_id, exc.reason)
            raise

    async def update_cookies(self, user_id: int, cookies: Iterable[Mapping[str, Any]]) -> bool:
        """Save the cookies a browser came back with; False if the seller disconnected."""
        async with self._lock:
            session = await self.store.get_vinted_session(user_id)
            if session is None:
                # Never bring back a session the seller removed while a publish was running.
                return False
            merged = merge_rotated(self.vault.open(session.encrypted), cookies)
            # Only the cookies column: the queue may stamp last_publish_at meanwhile.
            return await self.store.set_vinted_cookies(user_id, self.vault.seal(merged))

    async def set_status(self, user_id: int, status: str) -> bool:
        """Record what a check of the session found (active, expired...); False if none."""
        async with self._lock:
            session = await self.store.get_vinted_session(user_id)
            if session is None:
                return False
            update = {"status": status, "checked_at": self._now()}
            await self.store.put_vinted_session(session.model_copy(update=update))
        return True

    async def delete(self, user_id: int) -> bool:
        """Forget the seller's session; True if there was one."""
        async with self._lock:
            return await self.store.delete_vinted_session(user_id)

    async def info(self, user_id: int) -> VintedSession | None:
        """Return what is known about the session, without its encrypted cookies."""
        session = await self.store.get_vinted_session(user_id)
        return None if session is None else _without_blob(session)


def _without_blob(session: VintedSession) -> VintedSession:
    return session.model_copy(update={"encrypted": b""})
