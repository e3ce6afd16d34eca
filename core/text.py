"""Text from the model or the seller, made safe to store, show and type: one place for it.

Normalised to NFC; control characters, zero-width characters and bidirectional overrides are
removed (a title made only of them would look empty yet pass as text, and an override turns
what follows around in the buyer's app); single-line fields lose their line breaks; every
field has a length bound, so nothing grows without limit on its way to Vinted's form.
"""

from __future__ import annotations

import re
import unicodedata

# Zero-width and invisible formatting characters, and the bidi embeddings and overrides.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8]"
)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")

# Bounds per field (characters). The quality gates hold listings to tighter ones; these keep
# anything, from anywhere, within reason.
LINE_MAX = {
    "title": 100,
    "brand": 60,
    "size": 40,
    "material": 100,
    "measurements": 200,
    "category": 80,
}
DESCRIPTION_MAX = 3000
ITEM_MAX = 120  # one colour, defect or hashtag
ITEMS_MAX = 10  # of each list


def clean_line(text: str, limit: int) -> str:
    """Return one line of visible text: no breaks, single spaces, at most `limit` chars."""
    text = _visible(text).replace("\n", " ")
    return _SPACES.sub(" ", text).strip()[:limit].strip()


def clean_text(text: str, limit: int = DESCRIPTION_MAX) -> str:
    """Return visible text with its line breaks (at most two in a row), at most `limit`."""
    lines = [_SPACES.sub(" ", line).strip() for line in _visible(text).split("\n")]
    joined = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return joined[:limit].rstrip()


def _visible(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    return _CONTROL.sub("", _INVISIBLE.sub("", text.replace("\t", " ")))
