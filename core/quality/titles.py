"""Listing titles: marketing phrases removed, punctuation tidied, shortened to the limit."""

from __future__ import annotations

import re

from core.quality.phrases import MarketingPhrases
from core.quality.text import fold

TITLE_MAX_CHARS = 70

# Small words and separators that mean nothing once the word they led to is gone (folded).
_CONNECTORS = frozenset(
    {
        *("de", "du", "des", "d", "a", "au", "aux", "en", "et", "avec", "sans", "sur", "pour"),
        *("par", "la", "le", "les", "l", "un", "une", "ou"),
        *("with", "and", "for", "on", "in", "of", "the", "an", "or"),
        *("mit", "und", "fur", "der", "die", "das", "den", "dem", "im", "von", "oder"),
        *("-", "–", "—", "|", "/", "·", ",", "+", "&"),
    }
)
_SIZE_WORDS = frozenset({"taille", "pointure", "size", "grosse", "gr", "t", "eu", "uk", "us"})


# Where a title falls into parts: "Sweat Nike noir, un vrai coup de coeur" has two.
_SEGMENT_BREAK = re.compile(r"\s*[,;|·–—]\s*|\s+[-/]\s+")
# The house format's condition, in the listing's language (the marketplace's own words).
CONDITION_WORDS = {
    "fr": {
        "new_with_tags": "Neuf avec étiquette",
        "new_without_tags": "Neuf sans étiquette",
        "very_good": "Très bon état",
        "good": "Bon état",
        "satisfactory": "Satisfaisant",
    },
    "en": {
        "new_with_tags": "New with tags",
        "new_without_tags": "New without tags",
        "very_good": "Very good",
        "good": "Good",
        "satisfactory": "Satisfactory",
    },
    "de": {
        "new_with_tags": "Neu mit Etikett",
        "new_without_tags": "Neu ohne Etikett",
        "very_good": "Sehr gut",
        "good": "Gut",
        "satisfactory": "Zufriedenstellend",
    },
}


def repair_title(
    title: str,
    phrases: MarketingPhrases,
    *,
    brand: str | None,
    size: str,
    facts: list[str],
    condition: str | None,
    language: str,
) -> str:
    """Remove marketing phrases part by part; the title that is left is put in house format.

    A part of the title the phrases were cut from goes whole when what is left of it states
    nothing (no brand, size, colour or material): "un vrai coup de coeur" leaves "un vrai",
    which is not kept. The first part, the item itself, always stays. The repaired title then
    takes the house format: "Sweat à capuche Nike noir M – Très bon état", size and condition
    added when absent and when they fit. A title without marketing is returned unchanged.
    """
    if not phrases.spans(title):
        return title
    known = _brand_keys(brand) | _size_keys(size) | _SIZE_WORDS
    for fact in facts:
        known |= {_key(w) for w in fact.split()} - {""}
    known -= _CONNECTORS
    parts: list[str] = []
    position = parts_end = 0
    for match in [*_SEGMENT_BREAK.finditer(title), None]:
        end = match.start() if match else len(title)
        segment = title[position:end]
        cleaned = remove_title_phrases(segment, phrases, brand, size)
        if cleaned != segment and parts:
            words = {_key(w) for w in cleaned.split()}
            if not words & known:
                cleaned = ""
        if cleaned.strip():
            separator = title[parts_end:position] if parts else ""
            parts.append(separator + cleaned)
        if match:
            position, parts_end = match.end(), match.start()
    repaired = tidy_title("".join(parts), brand, size, capitalise=True)
    return _house_format(repaired, size, condition, language)


def reads_broken(title: str, brand: str | None, size: str) -> bool:
    """Whether a repaired title names nothing but the brand, the size and the condition."""
    head = _SEGMENT_BREAK.split(title)
    words = {_key(w) for part in head for w in part.split()} - _CONNECTORS - {""}
    stated = _brand_keys(brand) | _size_keys(size) | _SIZE_WORDS
    for labels in CONDITION_WORDS.values():
        stated |= {_key(w) for label in labels.values() for w in label.split()}
    return not words - stated


def _house_format(title: str, size: str, condition: str | None, language: str) -> str:
    """Add the size, then the condition, to a repaired title: each when absent and fitting."""
    words = CONDITION_WORDS.get(language, CONDITION_WORDS["en"])
    size_keys = _size_keys(size)
    title_keys = {_key(w) for w in title.split()}
    fits = len(title) + 1 + len(size) <= TITLE_MAX_CHARS
    if title and size_keys and not size_keys <= title_keys and fits:
        title = f"{title} {size}"
    label = words.get(condition or "")
    if title and label and fold(label) not in fold(title):
        suffix = f" – {label}"
        if len(title) + len(suffix) <= TITLE_MAX_CHARS:
            title += suffix
    return title


def remove_title_phrases(
    title: str, phrases: MarketingPhrases, brand: str | None, size: str
) -> str:
    """Remove marketing phrases; "parfait pour l'été" goes whole, up to a separator."""
    keep = _brand_keys(brand) | _size_keys(size) | _SIZE_WORDS
    for start, end, _ in reversed(phrases.spans(title)):
        if fold(title[start:end]).split()[-1:] in (["pour"], ["for"], ["fur"]):
            for _ in range(3):
                following = re.match(r"\s*(\S+)", title[end:])
                if not following or _is_separator(following[1]) or _key(following[1]) in keep:
                    break
                end += following.end()
                if following[1].endswith((",", ";", ":")):
                    break
        title = title[:start] + " " + title[end:]
    return title


def tidy_title(title: str, brand: str | None, size: str, *, capitalise: bool = False) -> str:
    """Put the title on one line and clear the punctuation left by removed words."""
    title = re.sub(r"\(\s*\)|\[\s*\]|[!?]+", " ", title)
    title = re.sub(r"\s+([,;:.)\]])", r"\1", title)
    title = re.sub(r"([,;:])[,;:.]+", r"\1", title)
    title = re.sub(r"([(\[])\s+", r"\1", title)
    protected = _brand_keys(brand) | _size_keys(size)
    words: list[str] = []
    for word in title.split():
        # Separators that ran together once the words between them went: keep the first.
        if _is_separator(word) and (
            not words or _is_separator(words[-1]) or words[-1].endswith((",", ";", ":"))
        ):
            continue
        words.append(word)
    while words and (
        _is_separator(words[-1])
        or (_key(words[-1]) in _CONNECTORS and _key(words[-1]) not in protected)
    ):
        words.pop()
    title = " ".join(words).rstrip(",;:")
    if capitalise and title[:1].islower():
        title = title[0].upper() + title[1:]
    return title


def shorten_title(title: str, brand: str | None, size: str) -> str:
    """Drop words from the right of the title, never the first, the brand or the size."""
    brand_words = _brand_keys(brand)
    size_parts = _size_keys(size)

    words = title.split(" ")
    keep = [False] * len(words)
    keep[0] = True
    labelled_size = None
    for i, word in enumerate(words):
        key = _key(word)
        parts = {re.sub(r"[^\w]", "", p) for p in fold(word).split("/")} - {""}
        if key and key in brand_words:
            keep[i] = True
        elif parts and parts <= size_parts:
            keep[i] = True
            # "taille M": the label says what the token is.
            if i > 0 and _key(words[i - 1]) in _SIZE_WORDS:
                keep[i - 1] = True
                labelled_size = i

    def joined() -> str:
        return tidy_title(" ".join(w for w in words if w), brand, size)

    # What follows "taille M" is an afterthought ("doux et chaud"): it goes whole, not in halves.
    if labelled_size is not None:
        for i in range(labelled_size + 1, len(words)):
            if not keep[i]:
                words[i] = ""

    connector = [_key(w) in _CONNECTORS for w in words]
    raw = sum(len(w) + 1 for w in words if w) - 1

    def too_long() -> bool:
        # Tidying only removes characters, so the cheap raw length settles most rounds.
        return raw > TITLE_MAX_CHARS and (
            raw > 2 * TITLE_MAX_CHARS or len(joined()) > TITLE_MAX_CHARS
        )

    for i in range(len(words) - 1, 0, -1):
        if not too_long():
            break
        if not words[i] or keep[i] or connector[i]:
            continue
        raw -= len(words[i]) + 1
        words[i] = ""
        # The small words that led to the dropped one are dangling now.
        j = i - 1
        while j > 0 and words[j] and not keep[j] and connector[j]:
            raw -= len(words[j]) + 1
            words[j] = ""
            j -= 1
    return joined()


def _is_separator(word: str) -> bool:
    return bool(re.fullmatch(r"[,;:.|·–—/-]+", word))


def _size_keys(size: str) -> set[str]:
    return {re.sub(r"[^\w]", "", p) for p in re.split(r"[\s/]+", fold(size))} - {""}


def _brand_keys(brand: str | None) -> set[str]:
    return {_key(w) for w in (brand or "").split()} - {""}


def _key(word: str) -> str:
    """Fold a word for comparison: no case, accents or punctuation; separators stay."""
    folded = fold(word)
    return folded if folded in _CONNECTORS else re.sub(r"[^\w]", "", folded)
