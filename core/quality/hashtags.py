"""Hashtags of a listing: pulled out of the texts, normalised, deduplicated and capped."""

from __future__ import annotations

import re

from core.quality.phrases import MarketingPhrases

HASHTAGS_MIN = 3
HASHTAGS_MAX = 5

# A hashtag needs a letter, so "modèle #2" stays text.
_HASHTAG = re.compile(r"(?<![\w&#])#(?=[\w-]*[^\W\d_])([\w-]+)")
_LONE_HASHTAG = re.compile(r"#(?=[\w-]*[^\W\d_])[\w-]+")
_HASHTAG_LABEL = re.compile(
    r"^\W*(hashtags?|tags?|mots[\s-]cl[ée]s|keywords?|schlagw[öo]rter)\W*$", re.IGNORECASE
)


def has_hashtag(text: str) -> bool:
    """Tell whether the text still holds a hashtag."""
    return bool(_HASHTAG.search(text))


def pull_hashtags(text: str) -> tuple[str, list[str]]:
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


def repair_hashtags(raw: list[str], phrases: MarketingPhrases) -> tuple[list[str], list[str]]:
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
