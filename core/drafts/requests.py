"""What a seller's free-text request names, so a model's edit changes only that.

A request about the price and a stain must not bring back the title, size or condition the
seller set by hand, whatever else the model's answer carries. A field the model changed stays
changed when the request names it ("taille", "prix", "tache") or states its new value ("c'est
un L", "en laine"); every other field keeps its value. What the request named but the edit
could not do is said to the seller ("the stain is not in the listing yet").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.drafts.models import Listing
from core.quality.text import fold

# Words (folded: no case, no accents) that name a field, in French, English and German.
_NAMES: dict[str, tuple[str, ...]] = {
    "title": ("titre", "title", "titel", "intitule"),
    "description": ("description", "beschreibung", "texte", "text", "descriptif"),
    "price": (
        *("prix", "price", "preis", "eur", "euro", "euros", "€", "cher", "chere", "cheaper"),
        *("expensive", "cost", "coute", "baisse", "baisser", "reduce", "lower", "teurer"),
        *("billiger", "solde", "rabais", "discount"),
    ),
    "brand": ("marque", "brand", "marke", "label", "griffe"),
    "category": ("categorie", "category", "kategorie", "rubrique", "rayon"),
    "size": ("taille", "size", "grosse", "pointure", "fits", "groesse"),
    "condition": (
        *("etat", "condition", "zustand", "neuf", "neuve", "new", "neu", "porte", "portee"),
        *("worn", "getragen", "use", "usee", "abime", "abimee", "damaged", "etiquette", "tags"),
    ),
    "colours": ("couleur", "couleurs", "colour", "colours", "color", "colors", "farbe", "teinte"),
    "material": (
        *("matiere", "material", "tissu", "fabric", "stoff", "composition", "coton", "cotton"),
        *("laine", "wool", "wolle", "polyester", "lin", "linen", "soie", "silk", "cuir"),
        *("leather", "leder", "denim", "cachemire", "cashmere", "viscose", "nylon"),
    ),
    "defects": (
        *("tache", "taches", "trou", "trous", "defaut", "defauts", "accroc", "accrocs"),
        *("usure", "bouloche", "bouloches", "decousu", "stain", "stains", "hole", "holes"),
        *("defect", "defects", "flaw", "flaws", "tear", "pilling", "mangel", "fleck"),
        *("flecken", "loch", "locher", "abimee", "marque d'usure"),
    ),
    "hashtags": ("hashtag", "hashtags", "#", "tags", "mots-cles"),
    "measurements": (
        *("mesure", "mesures", "measurement", "measurements", "cm", "longueur", "largeur"),
        *("length", "width", "masse", "masze", "aisselle", "pit"),
    ),
}
_WORD = re.compile(r"[#€]|[\w'-]+")


@dataclass(frozen=True)
class Unapplied:
    """A part of the request that changed nothing: a field named in vain, a defect not there."""

    field: str
    reason: str  # "unchanged" (named, not changed) or "defect_not_found"
    value: str = ""


def _words(text: str) -> set[str]:
    return set(_WORD.findall(fold(text)))


def named_fields(instruction: str) -> set[str]:
    """Return the fields the request names by a word of theirs."""
    words = _words(instruction)
    return {name for name, keys in _NAMES.items() if words & set(keys)}


def _states_value(instruction: str, value: object) -> bool:
    """Whether the request states this value: "c'est un L", "en laine", "bleu marine"."""
    if value is None:
        return False
    items = value if isinstance(value, list) else [value]
    words = _words(instruction)
    for item in items:
        item_words = _words(str(getattr(item, "value", item))) - {"de", "du", "la", "le", "en"}
        if item_words and item_words <= words:
            return True
    return False


def keep_asked(
    before: Listing, after: Listing, instruction: str, fields: tuple[str, ...]
) -> tuple[Listing, list[str]]:
    """Undo the model's changes to the fields the request neither names nor states.

    Returns the listing with only the asked changes and the names of the fields put back.
    """
    named = named_fields(instruction)
    put_back: dict[str, object] = {}
    for name in fields:
        new = getattr(after, name)
        if new == getattr(before, name) or name in named:
            continue
        if name not in ("title", "description") and _states_value(instruction, new):
            continue
        put_back[name] = getattr(before, name)
    return after.model_copy(update=put_back), list(put_back)


def unapplied_parts(
    before: Listing, after: Listing, instruction: str, removed: list[str]
) -> list[Unapplied]:
    """Say what the request named and the edit did not change, and defects not found."""
    parts = [
        Unapplied("defects", "defect_not_found", defect)
        for defect in removed
        if not any(fold(defect).strip() == fold(d).strip() for d in before.defects)
    ]
    for name in sorted(named_fields(instruction), key=list(_NAMES).index):
        if getattr(before, name) == getattr(after, name):
            if name == "defects" and parts:
                continue  # already said, with the defect
            parts.append(Unapplied(name, "unchanged"))
    return parts
