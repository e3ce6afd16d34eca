"""The fake model's default answer to a category choice: the candidate sharing most words."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from tests.fakes.openai.recording import ReceivedRequest


def _words(text: str) -> set[str]:
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c)).replace("-", "")
    return {w.rstrip("s") for w in re.findall(r"[a-z0-9]+", plain) if len(w) > 2}


def category_answer(received: ReceivedRequest) -> dict[str, Any]:
    """Pick the candidate path whose words overlap the item's title and category the most."""
    text = "\n".join(received.user_texts)
    item: dict[str, Any] = {}
    if match := re.search(r"```json\n(.*?)\n```", text, re.DOTALL):
        item = json.loads(match.group(1))
    wanted = _words(
        f"{item.get('title', '')} {str(item.get('our_category', '')).replace('_', ' ')}"
    )
    candidates = re.findall(r"^(\d+)\. (.+)$", text, re.MULTILINE)
    best, score = 0, 0
    for number, path in candidates:
        overlap = len(_words(path) & wanted)
        if overlap > score:
            best, score = int(number), overlap
    return {"choice": best, "confidence": 0.9 if best else 0.2}
