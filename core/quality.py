"""Quality gates of a listing draft, with the deterministic repairs tried before rejecting."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from core.catalog import get_category
from core.drafts.models import Listing
from core.models import Condition, Price

TITLE_MAX_CHARS = 70
HASHTAGS_MIN = 3
HASHTAGS_MAX = 5
DESCRIPTION_MIN_LINES = 2

# Every key `missing` may hold, in the order they are reported. "emoji" is part of the
# vocabulary but emoji are always stripped, so enforce() never reports it.
MISSING_KEYS = (
    "title_missing",
    "title_too_long",
    "description_missing",
    "description_invalid",
    "hashtags_invalid",
    "emoji",
    "marketing_phrases",
    "size_to_confirm",
    "condition_to_confirm",
    "category_missing",
    "price_invalid",
)
# What only a new model answer can fix; size and condition wait for the seller, and a bad
# price is replaced by the pricing rules.
MODEL_FIXES = frozenset(
    {
        "title_missing",
        "title_too_long",
        "description_missing",
        "description_invalid",
        "hashtags_invalid",
        "marketing_phrases",
        "category_missing",
    }
)

DEFAULT_CONDITION = Condition.GOOD
_SIZE_LABELS = {"fr": "Taille non visible", "en": "Size not visible", "de": "Größe nicht sichtbar"}

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
# A hashtag needs a letter, so "modèle #2" stays text.
_HASHTAG = re.compile(r"(?<![\w&#])#(?=[\w-]*[^\W\d_])([\w-]+)")
_LONE_HASHTAG = re.compile(r"#(?=[\w-]*[^\W\d_])[\w-]+")
_HASHTAG_LABEL = re.compile(
    r"^\W*(hashtags?|tags?|mots[\s-]cl[ée]s|keywords?|schlagw[öo]rter)\W*$", re.IGNORECASE
)
_SEPARATORS = "[\\s\\-'_]"
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


@dataclass
class QualityReport:
    """The repaired listing and what still stands between it and publishing."""

    listing: Listing  # repaired copy (the input is never mutated)
    publish_ready: bool
    missing: list[str]  # keys of MISSING_KEYS, in that order
    to_confirm: list[str]  # fields the seller must confirm: "size", "condition"
    needs_model: list[str]  # the part of `missing` only the model can fix (ask it once)
    repairs: list[str]  # what was repaired, for logs and stats


@dataclass(frozen=True)
class MarketingPhrases:
    """Phrases a listing must not contain, matched on whole words, ignoring case and accents."""

    phrases: tuple[str, ...]
    pattern: re.Pattern[str] | None
    by_key: dict[str, str]  # phrase folded and without separators -> phrase as written

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> MarketingPhrases:
        """Build the matcher from lines of a phrase file (blank lines and # comments skipped)."""
        phrases: list[str] = []
        by_key: dict[str, str] = {}
        alternatives: list[str] = []
        for line in lines:
            phrase = line.split(" #", 1)[0].strip()
            if not phrase or phrase.startswith("#"):
                continue
            words = [w for w in re.split(_SEPARATORS + "+", _fold(phrase)) if w]
            if not words or "".join(words) in by_key:
                continue
            phrases.append(phrase)
            by_key["".join(words)] = phrase
            alternatives.append((_SEPARATORS + "*").join(re.escape(w) for w in words))
        # Longest first, so "absoluter hingucker" wins over "hingucker".
        alternatives.sort(key=len, reverse=True)
        pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")
            if alternatives
            else None
        )
        return cls(phrases=tuple(phrases), pattern=pattern, by_key=by_key)

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """Return (start, end, phrase) of every phrase found in the text, in order."""
        if self.pattern is None or not text:
            return []
        folded, origin = _fold_with_origin(text)
        found = []
        for match in self.pattern.finditer(folded):
            key = re.sub(_SEPARATORS, "", match.group())
            start, end = origin[match.start()], origin[match.end() - 1] + 1
            found.append((start, end, self.by_key.get(key, match.group())))
        return found

    def find(self, text: str) -> list[str]:
        """Return the phrases found in the text, each once, in order of appearance."""
        return list(dict.fromkeys(phrase for _, _, phrase in self.spans(text)))


def load_marketing_phrases(path: Path | None = None) -> MarketingPhrases:
    """Load the phrase file at `path` (it replaces the packaged list), or the packaged list."""
    if path is None:
        return _packaged_phrases()
    return MarketingPhrases.from_lines(Path(path).read_text("utf-8").splitlines())


@cache
def _packaged_phrases() -> MarketingPhrases:
    text = resources.files("core.data").joinpath("marketing_phrases.txt").read_text("utf-8")
    return MarketingPhrases.from_lines(text.splitlines())


def find_marketing_phrases(text: str, phrases: MarketingPhrases | None = None) -> list[str]:
    """Return the marketing phrases the text contains, each once."""
    return (phrases or _packaged_phrases()).find(text)


def default_size_label(language: str) -> str:
    """Return the size shown while the size is unreadable, in the listing's language."""
    return _SIZE_LABELS.get(language, _SIZE_LABELS["en"])


def strip_emoji(text: str) -> str:
    """Remove emoji, and the spaces they leave behind."""
    if not _EMOJI.search(text):
        return text
    lines = _EMOJI.sub(" ", text).split("\n")
    return "\n".join(re.sub(r"[ \t]{2,}", " ", line).strip() for line in lines).strip()


def enforce(
    listing: Listing,
    *,
    language: str = "fr",
    to_confirm: Iterable[str] = (),
    phrases: MarketingPhrases | None = None,
) -> QualityReport:
    """Repair what can be repaired without the model, then report what keeps it unpublishable."""
    phrases = phrases or _packaged_phrases()
    repairs: list[str] = []
    missing: set[str] = set()
    confirm = list(dict.fromkeys(to_confirm))

    def repaired(what: str) -> None:
        if what not in repairs:
            repairs.append(what)

    # Emoji go first, from every field, so no later step sees them.
    title = strip_emoji(listing.title)
    description = strip_emoji(listing.description)
    raw_tags = [strip_emoji(t) for t in listing.hashtags]
    brand = _clean_optional(listing.brand)
    size = strip_emoji(listing.size).strip()
    colours = [c for c in (strip_emoji(c).strip() for c in listing.colours) if c]
    defects = [d for d in (strip_emoji(d).strip() for d in listing.defects) if d]
    material = _clean_optional(listing.material)
    measurements = _clean_optional(listing.measurements)
    texts = [listing.title, listing.description, listing.size, *listing.hashtags]
    texts += [listing.brand or "", listing.material or "", listing.measurements or ""]
    if any(_EMOJI.search(t) for t in [*texts, *listing.colours, *listing.defects]):
        repaired("emoji_removed")

    # Hashtags: the field holds them all; whoever renders puts them at the end.
    title, from_title = _pull_hashtags(title)
    description, from_description = _pull_hashtags(description)
    if from_title or from_description:
        repaired("hashtags_moved")
    hashtags, tag_repairs = _repair_hashtags([*raw_tags, *from_title, *from_description], phrases)
    for what in tag_repairs:
        repaired(what)
    if not HASHTAGS_MIN <= len(hashtags) <= HASHTAGS_MAX:
        missing.add("hashtags_invalid")

    # Title: drop marketing words, then shorten around the brand and the size.
    title = _tidy_title(title, brand, size)
    cleaned = _remove_title_phrases(title, phrases, brand, size)
    if cleaned != title:
        repaired("title_marketing_removed")
        title = _tidy_title(cleaned, brand, size, capitalise=title[:1].isupper())
    if len(title) > TITLE_MAX_CHARS:
        title = _shorten_title(title, brand, size)
        repaired("title_shortened")
    if not title:
        missing.add("title_missing")
    elif len(title) > TITLE_MAX_CHARS:
        missing.add("title_too_long")

    # Description: its words are the model's; only layout, emoji and hashtags are touched.
    description = _tidy_description(description)
    lines = [line for line in description.split("\n") if line.strip()]
    if not lines:
        missing.add("description_missing")
    elif len(lines) < DESCRIPTION_MIN_LINES or _HASHTAG.search(description):
        missing.add("description_invalid")
    if phrases.find(description) or phrases.find(title):
        missing.add("marketing_phrases")

    # Size and condition: a visible default, then the seller confirms.
    if not size or _is_size_placeholder(size):
        if size != default_size_label(language):
            repaired("size_defaulted")
        size = default_size_label(language)
        confirm.append("size")
    condition = listing.condition
    if condition is None:
        condition = DEFAULT_CONDITION
        repaired("condition_defaulted")
        confirm.append("condition")
    confirm = list(dict.fromkeys(confirm))
    if "size" in confirm:
        missing.add("size_to_confirm")
    if "condition" in confirm:
        missing.add("condition_to_confirm")

    if get_category(listing.category) is None:
        missing.add("category_missing")

    price = listing.price
    if price is None or not _price_positive(price):
        missing.add("price_invalid")
    elif not price.min <= price.target <= price.max:
        low, target, high = sorted((price.min, price.target, price.max))
        price = price.model_copy(update={"min": low, "target": target, "max": high})
        repaired("price_sorted")

    fixed = listing.model_copy(
        deep=True,
        update={
            "title": title,
            "description": description,
            "hashtags": hashtags,
            "brand": brand,
            "size": size,
            "condition": condition,
            "colours": colours,
            "defects": defects,
            "material": material,
            "measurements": measurements,
            "price": price.model_copy() if price is not None else None,
        },
    )
    ordered = [key for key in MISSING_KEYS if key in missing]
    return QualityReport(
        listing=fixed,
        publish_ready=not ordered,
        missing=ordered,
        to_confirm=confirm,
        needs_model=[key for key in ordered if key in MODEL_FIXES],
        repairs=repairs,
    )


# ---- hashtags -------------------------------------------------------------------------------


def _pull_hashtags(text: str) -> tuple[str, list[str]]:
    """Take the hashtags out of a text: trailing runs go, inline ones leave their word."""
    pulled: list[str] = []
    kept: list[str] = []
    for line in text.split("\n"):
        tokens = list(re.finditer(r"[^\s,;]+", line))
        cut = len(tokens)
        while cut and _LONE_HASHTAG.fullmatch(tokens[cut - 1].group().rstrip(".")):
            cut -= 1
        if cut < len(tokens):
            pulled.extend(t.group().rstrip(".")[1:] for t in tokens[cut:])
            line = line[: tokens[cut].start()]
            if _HASHTAG_LABEL.match(line) or not re.search(r"\w", line):
                continue  # the line only announced the hashtags
        pulled.extend(_HASHTAG.findall(line))
        kept.append(_HASHTAG.sub(r"\1", line).rstrip())
    return "\n".join(kept), pulled


def _repair_hashtags(raw: list[str], phrases: MarketingPhrases) -> tuple[list[str], list[str]]:
    """Normalise, dedupe, drop marketing and cap the hashtags; return them and the repairs."""
    repairs: list[str] = []
    tags: list[str] = []
    for entry in raw:
        # "#nike #sweat" in one entry is two tags; "Ralph Lauren" is one.
        parts = re.split(r"[#,;]", entry) if entry.count("#") > 1 or "," in entry else [entry]
        for part in parts:
            body = re.sub(r"[\W]", "", part.casefold())
            if not re.search(r"[^\W\d_]", body):
                continue
            if phrases.find(body.replace("_", " ")):
                if "hashtags_marketing_removed" not in repairs:
                    repairs.append("hashtags_marketing_removed")
                continue
            tags.append("#" + body)
    unique = list(dict.fromkeys(tags))
    if unique != [t.strip() for t in raw]:
        repairs.insert(0, "hashtags_normalised")
    if len(unique) > HASHTAGS_MAX:
        unique = unique[:HASHTAGS_MAX]
        repairs.append("hashtags_trimmed")
    return unique, repairs


# ---- title ----------------------------------------------------------------------------------


def _remove_title_phrases(
    title: str, phrases: MarketingPhrases, brand: str | None, size: str
) -> str:
    """Remove marketing phrases; "parfait pour l'été" goes whole, up to a separator."""
    keep = _brand_keys(brand) | _size_keys(size) | _SIZE_WORDS
    for start, end, _ in reversed(phrases.spans(title)):
        if _fold(title[start:end]).split()[-1:] in (["pour"], ["for"], ["fur"]):
            for _ in range(3):
                following = re.match(r"\s*(\S+)", title[end:])
                if not following or _is_separator(following[1]) or _key(following[1]) in keep:
                    break
                end += following.end()
                if following[1].endswith((",", ";", ":")):
                    break
        title = title[:start] + " " + title[end:]
    return title


def _tidy_title(title: str, brand: str | None, size: str, *, capitalise: bool = False) -> str:
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


def _is_separator(word: str) -> bool:
    return bool(re.fullmatch(r"[,;:.|·–—/-]+", word))


def _shorten_title(title: str, brand: str | None, size: str) -> str:
    """Drop words from the right of the title, never the first, the brand or the size."""
    brand_words = _brand_keys(brand)
    size_parts = _size_keys(size)

    words = title.split(" ")
    keep = [False] * len(words)
    keep[0] = True
    labelled_size = None
    for i, word in enumerate(words):
        key = _key(word)
        parts = {re.sub(r"[^\w]", "", p) for p in _fold(word).split("/")} - {""}
        if key and key in brand_words:
            keep[i] = True
        elif parts and parts <= size_parts:
            keep[i] = True
            # "taille M": the label says what the token is.
            if i > 0 and _key(words[i - 1]) in _SIZE_WORDS:
                keep[i - 1] = True
                labelled_size = i

    def joined() -> str:
        return _tidy_title(" ".join(w for w in words if w), brand, size)

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


def _size_keys(size: str) -> set[str]:
    return {re.sub(r"[^\w]", "", p) for p in re.split(r"[\s/]+", _fold(size))} - {""}


def _brand_keys(brand: str | None) -> set[str]:
    return {_key(w) for w in (brand or "").split()} - {""}


def _key(word: str) -> str:
    """Fold a word for comparison: no case, accents or punctuation; separators stay."""
    folded = _fold(word)
    return folded if folded in _CONNECTORS else re.sub(r"[^\w]", "", folded)


# ---- description, size, price ---------------------------------------------------------------


def _tidy_description(description: str) -> str:
    """Trim spaces at line ends and collapse blank lines; the words stay the model's."""
    lines = [line.rstrip() for line in description.replace("\r\n", "\n").split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _is_size_placeholder(size: str) -> bool:
    folded = _fold(size).strip(" .")
    return folded in {_fold(label) for label in _SIZE_LABELS.values()}


def _price_positive(price: Price) -> bool:
    values = (price.min, price.target, price.max)
    return all(math.isfinite(v) and v > 0 for v in values)


def _clean_optional(value: str | None) -> str | None:
    if value is None:
        return None
    return strip_emoji(value).strip() or None


# ---- folding --------------------------------------------------------------------------------

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "’": "'", "‘": "'", "ʼ": "'"})


def _fold(text: str) -> str:
    """Return the text without case or accents, for matching."""
    return _fold_with_origin(text)[0]


def _fold_with_origin(text: str) -> tuple[str, list[int]]:
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
