"""Material names in French, English and German: one group per material, in any language."""

from __future__ import annotations

import re
import unicodedata

# The label the page shows -> other names a listing may use for it.
MATERIAL_ALIASES: dict[str, tuple[str, ...]] = {
    "coton": ("cotton", "baumwolle", "coton bio", "organic cotton"),
    "polyester": ("polyester", "polyamide"),
    "laine": ("wool", "wolle", "laine mérinos", "merino", "mérinos"),
    "cuir": ("leather", "leder", "cuir véritable"),
    "denim": ("jean", "jeans", "denim"),
    "lin": ("linen", "leinen"),
    "soie": ("silk", "seide"),
    "cachemire": ("cashmere", "kaschmir"),
    "viscose": ("viscose", "rayon", "viskose"),
    "nylon": ("nylon",),
    "élasthanne": ("elastane", "spandex", "elasthan", "lycra"),
    "acrylique": ("acrylic", "acryl"),
    "daim": ("suede", "suède", "wildleder"),
    "synthétique": ("synthetic", "synthetik", "faux leather", "simili cuir", "similicuir"),
}


def fold(text: str) -> str:
    """Return text lowercased, without accents and with single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def material_names(material: str) -> list[str]:
    """Split "coton, polyester" into folded names, each followed by its known other names."""
    names: list[str] = []
    for part in re.split(r"\s*(?:,|/|\+|&|\bet\b|\band\b|\bund\b)\s*", material):
        key = fold(re.sub(r"^\d+\s*%\s*", "", part.strip()))  # "80 % coton" -> "coton"
        if key:
            names.append(key)
    return names


def material_matches(name: str, label: str) -> bool:
    """Return whether a folded material name means the page's label (in any language)."""
    key = fold(label)
    if name == key:
        return True
    group = _GROUP.get(name)
    return group is not None and group == _GROUP.get(key)


_GROUP: dict[str, int] = {
    fold(word): number
    for number, (label, aliases) in enumerate(MATERIAL_ALIASES.items())
    for word in (label, *aliases)
}
