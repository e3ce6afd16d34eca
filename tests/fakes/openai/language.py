"""The listing language a request asks for, and the fake model's words in each language."""

from __future__ import annotations

import re

from tests.fakes.openai.recording import ReceivedRequest

_LANGUAGE = re.compile(r"Listing language: \w+ \((\w\w)\)")

WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "size": "taille",
        "colour": "bleu",
        "brand": "Marque",
        "no_brand": "sans marque",
        "size_line": "Taille",
        "unknown": "non indiquée",
        "colour_line": "Couleur",
        "lines": "Très bon état, peu porté.|Aucun défaut visible.|Lavé avant envoi.",
        "edited": "Annonce modifiée : {}.",
        "nothing": "Aucune modification comprise.",
        "filler": "Envoi rapide.",
    },
    "en": {
        "size": "size",
        "colour": "blue",
        "brand": "Brand",
        "no_brand": "no brand",
        "size_line": "Size",
        "unknown": "not stated",
        "colour_line": "Colour",
        "lines": "Very good condition, worn a few times.|No visible defect."
        "|Washed before sending.",
        "edited": "Listing changed: {}.",
        "nothing": "No change understood.",
        "filler": "Quick dispatch.",
    },
    "de": {
        "size": "Größe",
        "colour": "blau",
        "brand": "Marke",
        "no_brand": "ohne Marke",
        "size_line": "Größe",
        "unknown": "nicht angegeben",
        "colour_line": "Farbe",
        "lines": "Sehr guter Zustand, wenig getragen.|Keine sichtbaren Mängel."
        "|Vor dem Versand gewaschen.",
        "edited": "Anzeige geändert: {}.",
        "nothing": "Keine Änderung verstanden.",
        "filler": "Schneller Versand.",
    },
}


def language_of(received: ReceivedRequest) -> str:
    """Return the language code the system prompt names ("fr" when it names none it knows)."""
    match = _LANGUAGE.search(received.system_text)
    return match.group(1) if match and match.group(1) in WORDS else "fr"
