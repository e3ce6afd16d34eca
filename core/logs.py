"""Logging that never shows a secret: redaction of every line, tracebacks included.

Redaction works on the formatted line (message, arguments, traceback and stack), so a secret
inside an exception's text is caught as well as one in a message. It blanks out:
- the values known to be secret: the bot token, the OpenAI key, SECRET_KEY, and every cookie
  value the bot has read or stored this run (`remember`);
- what looks like one wherever it comes from: Bot API tokens, `sk-` keys, JWTs, bearer tokens,
  and the value of any login or anti-bot cookie named in a `name=value` pair or a JSON export.

Libraries' own DEBUG lines (python-telegram-bot prints whole updates, so a pasted cookie
message; httpx prints URLs, and the Bot API puts the token in the URL) stay off unless asked.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from collections.abc import Iterable

MASK = "***"
# Values shorter than this are too common to blank out everywhere ("fr", "1", "true").
_MIN_SECRET = 12
_MAX_REMEMBERED = 10_000

# Cookies whose value is a login, a device id or an anti-bot clearance (UPLOAD-FORM.md §1).
SECRET_COOKIES = (
    "access_token_web",
    "refresh_token_web",
    "anon_id",
    "v_udt",
    "v_uid",
    "v_sid",
    "datadome",
    "cf_clearance",
    "__cf_bm",
    "_vinted_fr_session",
)
_COOKIE_NAMES = "|".join(re.escape(n) for n in SECRET_COOKIES)
_PATTERNS = (
    # name=value, as in a Cookie header or a URL query
    re.compile(rf"(?i)\b((?:{_COOKIE_NAMES})\s*=\s*)[^;\s,'\"&]+"),
    # "name": "access_token_web", "value": "..." in a cookie-editor export or a dict repr
    re.compile(
        rf"(?is)([\"']name[\"']\s*:\s*[\"'](?:{_COOKIE_NAMES})[\"'].{{0,200}}?"
        r"[\"']value[\"']\s*:\s*[\"'])[^\"']*"
    ),
    re.compile(r"(?i)(\bbearer\s+)[A-Za-z0-9._~+/=-]{8,}"),
    re.compile(r"()(?<![0-9])\d{5,12}:[A-Za-z0-9_-]{30,}"),  # Bot API token, in a URL or not
    re.compile(r"()\bsk-[A-Za-z0-9_-]{8,}"),  # OpenAI-style keys
    re.compile(r"()\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"),  # JWT
)

_remembered: OrderedDict[str, None] = OrderedDict()


def remember(values: Iterable[str | None]) -> None:
    """Add secret values to blank out of every later log line (cookie values, keys)."""
    for value in values:
        if value and len(value) >= _MIN_SECRET:
            _remembered[value] = None
            _remembered.move_to_end(value)
    while len(_remembered) > _MAX_REMEMBERED:
        _remembered.popitem(last=False)


def redact(text: str) -> str:
    """Return the text with every known or recognisable secret replaced by ***."""
    if _remembered:
        # Longest first, so a secret containing another is blanked out whole.
        for secret in sorted((s for s in list(_remembered) if s in text), key=len, reverse=True):
            text = text.replace(secret, MASK)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + MASK, text)
    return text


class RedactingFormatter(logging.Formatter):
    """Format a record as usual, then blank out secrets in the whole text."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


# Loggers that print request URLs, whole updates or SQL at DEBUG.
LIBRARIES = {
    "telegram": logging.INFO,
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "openai": logging.WARNING,
    "apscheduler": logging.WARNING,
    "aiosqlite": logging.WARNING,
    "asyncio": logging.WARNING,
    "hpack": logging.WARNING,
}


def setup(level: str, *, libraries_debug: bool = False, secrets: Iterable[str] = ()) -> None:
    """Log to stderr at `level` through the redacting formatter."""
    remember(secrets)
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    for name, floor in LIBRARIES.items():
        # Asked for explicitly (LOG_LIBRARY_DEBUG), they follow LOG_LEVEL, still redacted.
        logging.getLogger(name).setLevel(level if libraries_debug else max(floor, _level(level)))


def _level(name: str) -> int:
    value = logging.getLevelName(name)
    return value if isinstance(value, int) else logging.INFO
