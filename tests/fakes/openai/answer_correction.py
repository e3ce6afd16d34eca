"""The fake model's default answer to a correction request: the listing, made to pass the gates."""

from __future__ import annotations

import json
import re
from typing import Any

from core.catalog import category_ids
from tests.fakes.openai.answer_draft import DEFAULT_TYPE
from tests.fakes.openai.language import WORDS, language_of
from tests.fakes.openai.recording import ReceivedRequest

_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f]")


def _listing_in(received: ReceivedRequest) -> dict[str, Any]:
    for text in received.user_texts:
        if match := re.search(r"```json\n(.*?)\n```", text, re.DOTALL):
            return dict(json.loads(match.group(1)))
    return {}


def correction_answer(received: ReceivedRequest) -> dict[str, Any]:
    """Return the listing with emoji removed, the title cut to 70 and 5+ description lines."""
    language = language_of(received)
    listing = _listing_in(received)
    # Like a model that follows the instructions: drop the phrases it was told were found.
    found = [f for text in received.user_texts for f in re.findall(r'found: "([^"]+)"', text)]
    banned = re.compile("|".join(map(re.escape, found)), re.IGNORECASE) if found else None

    def clean(text: str) -> str:
        text = _EMOJI.sub("", text)
        if banned is not None:
            text = banned.sub("", text)
        return re.sub(r"\s+([,.])", r"\1", re.sub(r"\s{2,}", " ", text)).strip(" ,")

    title = clean(listing.get("title", ""))
    if len(title) > 70:
        title = title[:70].rsplit(" ", 1)[0]
    lines = [clean(line) for line in listing.get("description", []) if clean(line)]
    while len(lines) < 5:
        lines.append(WORDS[language]["filler"])
    tags = [clean(t) for t in listing.get("hashtags", []) if clean(t)][:5]
    while len(tags) < 3:
        tags.append(["#vinted", "#mode", "#occasion"][len(tags)])
    category = listing.get("category") or ""
    target = float(listing.get("price_target") or 10.0)
    return {
        "title": title,
        "description": lines[:8],
        "hashtags": tags,
        "brand": listing.get("brand"),
        "category": category if category in category_ids() else DEFAULT_TYPE[0],
        "size_on_label": None,
        "size": listing.get("size") or None,
        "condition": listing.get("condition"),
        "colours": listing.get("colours", [])[:2],
        "material": listing.get("material"),
        "defects": listing.get("defects", []),
        "measurements": listing.get("measurements"),
        "price_min": float(listing.get("price_min") or target),
        "price_target": target,
        "price_max": float(listing.get("price_max") or target),
        "confidence": 0.7,
    }
