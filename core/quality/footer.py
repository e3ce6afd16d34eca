"""A seller's footer: their own lines at the end of every description they publish.

At most FOOTER_MAX_LINES lines of FOOTER_LINE_MAX characters ("Envoi sous 24 h", "Lot
possible"). Vinted forbids contact details in a listing, so a line holding a link, an e-mail
address, a phone number or a social handle is refused; hashtags belong to the hashtags. Emoji
go, as from every field of a listing, and blank lines are dropped.

The footer is added when a listing is published (the draft's description stays the model's),
after the description and before the hashtags, and never twice: a description that already
ends with the footer's lines is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.quality.hashtags import has_hashtag
from core.quality.text import strip_emoji
from core.text import clean_line

FOOTER_MAX_LINES = 3
FOOTER_LINE_MAX = 60
REMOVE = ("-", "–", "—")  # what a seller types to remove their footer
SEPARATOR = "\n\n"  # between the description and the footer

_TLDS = "com|fr|net|org|eu|be|ch|de|es|it|nl|io|co|uk|me|ly|gl|gg|info|shop|store|link|app|site"
_LINK = re.compile(
    rf"(?i)(?:https?://|\bwww\.|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:{_TLDS})(?![a-z0-9-]))"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_.]{2,}")
_PHONE = re.compile(r"(?<!\d)(?:\+|00)?\d(?:[ .\-]?\d){7,}(?!\d)")  # 8 digits or more
# In the order they are told; e-mail before link and handle, which it also looks like.
_CONTACTS = (("email", _EMAIL), ("link", _LINK), ("handle", _HANDLE), ("phone", _PHONE))


class FooterRefused(ValueError):
    """A footer this bot will not publish: `reason` names why, `line` where (from 1)."""

    def __init__(self, reason: str, *, line: int = 0, count: int = 0) -> None:
        super().__init__(f"footer refused: {reason}" + (f" (line {line})" if line else ""))
        self.reason = reason  # empty, too_many_lines, line_too_long, email, link, handle...
        self.line = line
        self.count = count  # how many lines, or characters in the line


def parse_footer(text: str) -> list[str] | None:
    """Read a footer as the seller typed it, one line per line; None when they remove it."""
    if text.strip() in REMOVE:
        return None
    return check_footer(text.split("\n"))


def check_footer(lines: Sequence[str]) -> list[str]:
    """Return the footer's lines made clean, or raise FooterRefused saying what is wrong."""
    clean: list[str] = []
    for raw in lines:
        for part in raw.replace("\r", "\n").split("\n"):
            # Cut far beyond the limit only, so a long line is refused, never silently cut.
            line = clean_line(strip_emoji(part), 20 * FOOTER_LINE_MAX)
            if line:
                clean.append(line)
    if not clean:
        raise FooterRefused("empty")
    if len(clean) > FOOTER_MAX_LINES:
        raise FooterRefused("too_many_lines", count=len(clean))
    for number, line in enumerate(clean, start=1):
        if len(line) > FOOTER_LINE_MAX:
            raise FooterRefused("line_too_long", line=number, count=len(line))
        for reason, pattern in _CONTACTS:
            if pattern.search(line):
                raise FooterRefused(reason, line=number)
        if has_hashtag(line):
            raise FooterRefused("hashtag", line=number)
    return clean


def footer_to_add(description: str, footer: Sequence[str] | None) -> list[str]:
    """Return the footer's lines, or none when the description already ends with them."""
    if not footer:
        return []
    ending = [_same(line) for line in description.split("\n") if line.strip()]
    if ending[-len(footer) :] == [_same(line) for line in footer]:
        return []
    return list(footer)


def with_footer(description: str, footer: Sequence[str] | None) -> str:
    """Return the description as it is published: the footer after it, once."""
    lines = footer_to_add(description, footer)
    text, added = description.strip(), "\n".join(lines)
    if not lines:
        return text
    return f"{text}{SEPARATOR}{added}" if text else added


def footer_length(footer: Sequence[str] | None) -> int:
    """Return the characters a footer adds to a description (its separator included)."""
    return len(SEPARATOR) + len("\n".join(footer)) if footer else 0


def _same(line: str) -> str:
    return " ".join(line.split()).casefold()
