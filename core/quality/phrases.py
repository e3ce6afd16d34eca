"""Marketing phrases a listing must not contain: the packaged list, a seller's file, matching."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from core.quality.text import fold, fold_with_origin

# What may stand between the words of a phrase: "must-have" matches "must have" and "musthave".
_SEPARATORS = "[\\s\\-'_]"


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
            words = [w for w in re.split(_SEPARATORS + "+", fold(phrase)) if w]
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
        folded, origin = fold_with_origin(text)
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
        return packaged_phrases()
    return MarketingPhrases.from_lines(Path(path).read_text("utf-8").splitlines())


@cache
def packaged_phrases() -> MarketingPhrases:
    """Return the phrase list shipped in core/data, read once."""
    text = resources.files("core.data").joinpath("marketing_phrases.txt").read_text("utf-8")
    return MarketingPhrases.from_lines(text.splitlines())


def find_marketing_phrases(text: str, phrases: MarketingPhrases | None = None) -> list[str]:
    """Return the marketing phrases the text contains, each once."""
    return (phrases or packaged_phrases()).find(text)
