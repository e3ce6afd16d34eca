"""Text folding for matching, and emoji stripping."""

from __future__ import annotations

import re
import unicodedata

_EMOJI = re.compile(
    "["
    "\U0001f000-\U0001faff"  # pictographs, emoticons, transport, flags, skin tones
    "\u2600-\u27bf"  # miscellaneous symbols and dingbats
    "\u2b00-\u2bff"  # stars, squares, arrows drawn as emoji
    "\u231a\u231b\u2328\u23cf\u23e9-\u23f3\u23f8-\u23fa"
    "\u3030\u303d\u3297\u3299"
    "\ufe0e\ufe0f\u200d\u20e3"  # variation selectors, zero-width joiner, keycap
    "\U000e0020-\U000e007f"  # tag characters of subdivision flags
    "]+"
)
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "’": "'", "‘": "'", "ʼ": "'"})


def has_emoji(text: str) -> bool:
    """Tell whether the text holds any emoji."""
    return bool(_EMOJI.search(text))


def strip_emoji(text: str) -> str:
    """Remove emoji, and the spaces they leave behind."""
    if not _EMOJI.search(text):
        return text
    lines = _EMOJI.sub(" ", text).split("\n")
    return "\n".join(re.sub(r"[ \t]{2,}", " ", line).strip() for line in lines).strip()


def fold(text: str) -> str:
    """Return the text without case or accents, for matching."""
    return fold_with_origin(text)[0]


def fold_with_origin(text: str) -> tuple[str, list[int]]:
    """Fold the text and keep, for each folded character, the index it came from."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for part in unicodedata.normalize("NFKD", char.casefold().translate(_LIGATURES)):
            if unicodedata.combining(part):
                continue
            out.append(part)
            origin.append(index)
    return "".join(out), origin
