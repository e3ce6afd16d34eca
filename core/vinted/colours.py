"""Colour names in French, English and German, mapped to Vinted's colour ids."""

from __future__ import annotations

import re
import unicodedata

# Our colour groups, numbered as Vinted numbers them where UPLOAD-FORM.md says so (DOCUMENTED_IDS);
# the other numbers are only ours. Names as sellers and the vision model write them.
COLOUR_NAMES: dict[int, tuple[str, ...]] = {
    1: ("noir", "noire", "black", "schwarz"),
    2: ("marron", "brun", "brune", "chocolat", "brown", "braun"),
    3: ("gris", "grise", "anthracite", "grey", "gray", "grau"),
    4: ("beige", "camel", "sable", "sand"),
    5: ("rose", "pink", "rosa", "fuchsia"),
    6: ("violet", "violette", "mauve", "lilas", "purple", "lilac", "lila", "violett"),
    7: ("rouge", "red", "rot"),
    8: ("jaune", "yellow", "gelb"),
    9: ("bleu", "bleue", "blue", "blau", "turquoise", "türkis", "bleu ciel", "light blue"),
    10: ("vert", "verte", "green", "grün", "gruen"),
    11: ("orange", "corail", "coral", "koralle"),
    12: ("blanc", "blanche", "white", "weiß", "weiss"),
    13: ("argenté", "argentée", "argent", "silver", "silber"),
    14: ("doré", "dorée", "or", "gold", "golden"),
    15: ("multicolore", "multicolour", "multicolor", "multi", "bunt", "mehrfarbig"),
    16: ("kaki", "khaki", "olive", "oliv"),
    20: ("crème", "creme", "écru", "ecru", "ivoire", "cream", "ivory", "cremeweiß"),
    23: ("bordeaux", "burgundy", "maroon", "weinrot", "bordeauxrot"),
    27: ("marine", "bleu marine", "navy", "navy blue", "marineblau", "dunkelblau", "dark blue"),
    29: ("moutarde", "mustard", "senf", "senfgelb"),
}


# The ids UPLOAD-FORM.md section 4 gives: only these may be trusted without reading the label.
DOCUMENTED_IDS = frozenset({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12})


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


_BY_NAME: dict[str, int] = {_fold(n): i for i, names in COLOUR_NAMES.items() for n in names}


def colour_id(name: str) -> int | None:
    """Return Vinted's id for a colour name ("bleu marine", "Navy", "schwarz"), or None."""
    key = _fold(name)
    if key in _BY_NAME:
        return _BY_NAME[key]
    if key.endswith("s") and key[:-1] in _BY_NAME:  # French plurals: "noirs", "bleues"
        return _BY_NAME[key[:-1]]
    # "bleu clair", "dark green": the first known word decides.
    for word in re.split(r"[\s\-/]+", key):
        for candidate in (word, word.removesuffix("s")):
            if candidate in _BY_NAME:
                return _BY_NAME[candidate]
    return None


def colour_ids(names: list[str], limit: int) -> tuple[list[int], list[str]]:
    """Return up to limit distinct colour ids, in order, and the names that matched none."""
    found: list[int] = []
    unknown: list[str] = []
    for name in names:
        colour = colour_id(name)
        if colour is None:
            unknown.append(name)
        elif colour not in found and len(found) < limit:
            found.append(colour)
    return found, unknown
