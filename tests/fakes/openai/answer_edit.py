"""The fake model's default answer to an edit request: the seller's change, understood simply."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.fakes.openai.language import WORDS, language_of
from tests.fakes.openai.recording import ReceivedRequest

_EDIT_PRICE = re.compile(r"\b(?:prix|price|preis)\s*:?\s*(\d+(?:[.,]\d+)?)", re.IGNORECASE)
_EDIT_SIZE = re.compile(r"\b(?:taille|size|größe|groesse)\s*:?\s*(\S+)", re.IGNORECASE)
_EDIT_TITLE = re.compile(r"\b(?:titre|title|titel)\s*:\s*(.+)", re.IGNORECASE)
_EDIT_BRAND = re.compile(r"\b(?:marque|brand|marke)\s*:?\s*(\S+)", re.IGNORECASE)
_EDIT_DEFECT = re.compile(r"\b(?:défaut|defaut|defect|mangel)\s*:\s*(.+)", re.IGNORECASE)


def edit_answer(received: ReceivedRequest) -> dict[str, Any]:
    """Understand "prix 25", "size M", "title: ...", "brand Zara", "defect: ..." instructions.

    Return the fields it changed and the summary; answers.py fills in the unchanged fields
    from the request's schema (null for the nullable ones, [] for the defect lists).
    """
    language = language_of(received)
    instruction = ""
    for text in received.user_texts:
        if match := re.search(r"change request: (\".*\")", text):
            instruction = str(json.loads(match.group(1)))
    edit: dict[str, Any] = {}  # only what was understood: the schema gives the rest
    changed: list[str] = []
    if match := _EDIT_PRICE.search(instruction):
        target = float(match.group(1).replace(",", "."))
        edit.update(
            price_target=target,
            price_min=round(target * 0.85, 2),
            price_max=round(target * 1.15, 2),
        )
        changed.append(f"{target:g} EUR")
    if match := _EDIT_SIZE.search(instruction):
        edit["size"] = match.group(1).upper()
        changed.append(edit["size"])
    if match := _EDIT_TITLE.search(instruction):
        edit["title"] = match.group(1).strip()
        changed.append(edit["title"])
    if match := _EDIT_BRAND.search(instruction):
        edit["brand"] = match.group(1)
        changed.append(edit["brand"])
    if match := _EDIT_DEFECT.search(instruction):
        edit["add_defects"] = [match.group(1).strip()]
        changed.append(match.group(1).strip())
    words = WORDS[language]
    edit["summary"] = words["edited"].format(", ".join(changed)) if changed else words["nothing"]
    return edit
