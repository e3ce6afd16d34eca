"""Pure helpers of the publisher: sizes, prices, titles, Retry-After and API answers."""

from __future__ import annotations

import contextlib
import json
import math
import re
import unicodedata
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from core.vinted import selectors as sel

_SIZE_ALIASES = {
    "tu": "taille unique",
    "one size": "taille unique",
    "onesize": "taille unique",
    "os": "taille unique",
    "unique": "taille unique",
    "einheitsgrosse": "taille unique",
}


def match_size(size: str, labels: list[str]) -> int | None:
    """Return the index of the first label holding our size ("M" in "M / 38 / 10"), or None."""
    candidates = [size, *re.split(r"[\s/|]+", size)]
    for candidate in candidates:
        key = _size_key(candidate)
        if not key:
            continue
        for index, label in enumerate(labels):
            parts = [_size_key(p) for p in label.split(sel.SIZE_LABEL_SEPARATOR)]
            if key == _size_key(label) or key in parts:
                return index
    return None


def _size_key(text: str) -> str:
    """Return a size as we compare it: folded, aliased, without its system's prefix."""
    key = fold(text)
    key = _SIZE_ALIASES.get(key, key)
    key = re.sub(r"^(?:eu|fr|it|uk|us|taille|size|gr\.?|grosse)\s+", "", key)
    return key.replace(" ", "").replace(".", ",")


def fold(text: str) -> str:
    """Return text lowercased, without accents and with single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def same_text(text: str) -> str:
    """Return a field's text as we compare it with what we typed."""
    return text.replace("\r\n", "\n").strip()


def same_title(text: str) -> str:
    """Return a listing title as we compare it with the wardrobe's."""
    return " ".join(text.split()).casefold()


def parse_price(text: str) -> float | None:
    """Return the amount a price field shows ("12,50", "1 234,50 €", "12.50"), or None."""
    digits = re.sub(r"[^\d,.]", "", text)
    if not re.search(r"\d", digits):
        return None
    last = max(digits.rfind(","), digits.rfind("."))
    whole, fraction = digits, ""
    if last >= 0 and len(digits) - last - 1 <= 2:
        whole, fraction = digits[:last], digits[last + 1 :]
    whole = re.sub(r"[,.]", "", whole) or "0"
    return round(float(f"{whole}.{fraction or '0'}"), 2)


def retry_after(headers: dict[str, str]) -> float | None:
    """Return Retry-After in seconds (a number or an HTTP date), or None."""
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    if value is None:
        return None
    value = value.strip()
    with contextlib.suppress(ValueError):
        seconds = float(value)
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    with contextlib.suppress(TypeError, ValueError, IndexError):
        when = parsedate_to_datetime(value)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return max(0.0, (when - datetime.now(UTC)).total_seconds())
    return None


def entity_id(body: Any, key: str) -> int | None:
    """Return body[key]["id"] when it is an integer id."""
    entity = body.get(key) if isinstance(body, dict) else None
    value = entity.get("id") if isinstance(entity, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def asks_for_boost(post_data: str | None) -> bool:
    """Return whether a create call's JSON body asks for the paid boost (push_up)."""
    try:
        body = json.loads(post_data or "")
    except ValueError:
        return False
    return isinstance(body, dict) and bool(body.get("push_up"))


def first_line(exc: BaseException) -> str:
    """Return the first line of an exception's message, or its type's name."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
