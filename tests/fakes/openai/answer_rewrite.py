"""The fake model's default answer to a rewrite request: the lines made to agree with a change.

It reads the lines and the change the way a model would read the prompt's words: "the size
changed from 'M' to '38'" swaps the value, a condition is said in the listing's language, and
"the item has these defects now" turns a line saying there is none into one naming them.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tests.fakes.openai.language import language_of
from tests.fakes.openai.recording import ReceivedRequest

_LINES = re.compile(r"Lines:\n```json\n(.*?)\n```", re.DOTALL)
_CHANGE = re.compile(r"The change: (\".*\")")
_CHANGED = re.compile(r"the (\w+) changed from '([^']*)' to '([^']*)'")
_DEFECTS = re.compile(r"the item has these defects now: ([^;]+)")
_NONE = re.compile(r"\b(aucun|aucune|pas de|sans|no|without|kein|keine|ohne)\b", re.IGNORECASE)
_CONDITIONS = {
    "fr": {
        "New with tags": "Neuf avec étiquette",
        "New without tags": "Neuf sans étiquette",
        "Very good": "Très bon état",
        "Good": "Bon état",
        "Satisfactory": "État satisfaisant",
    },
    "de": {
        "New with tags": "Neu mit Etikett",
        "New without tags": "Neu ohne Etikett",
        "Very good": "Sehr guter Zustand",
        "Good": "Guter Zustand",
        "Satisfactory": "Zufriedenstellender Zustand",
    },
}
_DEFECT_LINE = {"fr": "Défaut : {}.", "en": "Defect: {}.", "de": "Mangel: {}."}


def rewrite_answer(received: ReceivedRequest) -> dict[str, Any]:
    language = language_of(received)
    text = "\n".join(received.user_texts)
    found = _LINES.search(text)
    lines: list[str] = json.loads(found.group(1)) if found else []
    said = _CHANGE.search(text)
    change = str(json.loads(said.group(1))) if said else ""
    out = []
    for line in lines:
        for field, old, new in _CHANGED.findall(change):
            if field == "condition":
                words = _CONDITIONS.get(language, {})
                old, new = words.get(old, old), words.get(new, new)
                if not re.search(re.escape(old), line, re.IGNORECASE):
                    line = re.sub(r"^[^,.]*", new, line, count=1)
                    continue
            line = re.sub(rf"(?<!\w){re.escape(old)}(?!\w)", new, line, flags=re.IGNORECASE)
        if (defects := _DEFECTS.search(change)) and _NONE.search(line):
            line = _DEFECT_LINE.get(language, _DEFECT_LINE["en"]).format(defects.group(1))
        out.append(line)
    return {"lines": out}
