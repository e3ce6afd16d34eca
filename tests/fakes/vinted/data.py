"""Reference data every site of the replica shares: brands, colour swatches, caps, folding.

What differs per site (titles, labels, ids of the catalog and sizes) is in sites/.
"""

from __future__ import annotations

import unicodedata

# Colour ids with their swatch; names are per language (sites/french.py ...).
COLOR_HEX: dict[int, str] = {
    1: "#000000",
    2: "#663300",
    3: "#919191",
    4: "#F4E0C8",
    5: "#FF0080",
    6: "#800080",
    7: "#CC3300",
    8: "#FFFF00",
    9: "#007BC4",
    10: "#369A3D",
    11: "#FFA500",
    12: "#FFFFFF",
    13: "#D6D6D6",
    14: "#FDC400",
    15: "",
    16: "#86814A",
    20: "#F7F3E6",
    23: "#6D0E0E",
    27: "#000080",
    29: "#E1AD01",
}
MAX_COLORS = 2
MAX_MATERIALS = 3
CONDITION_IDS = (6, 1, 2, 3, 4)  # UPLOAD-FORM.md section 4: the same on every site
PACKAGE_SIZE_IDS = (1, 2, 3)

BRANDS: tuple[tuple[int, str], ...] = (
    (12, "Zara"),
    (7, "H&M"),
    (53, "Nike"),
    (14, "adidas"),
    (10, "Levi's"),
    (88, "Ralph Lauren"),
    (2442, "Karl Lagerfeld"),
    (304, "Lacoste"),
    (94, "Tommy Hilfiger"),
    (1386, "Uniqlo"),
    (15, "Mango"),
    (21, "Bershka"),
    (162, "Pull & Bear"),
    (4, "Kiabi"),
    (60, "Promod"),
    (1198, "Jules"),
    (1062, "Celio"),
    (28, "Gap"),
    (2319, "The North Face"),
    (362, "Carhartt"),
    (535, "Puma"),
    (1775, "New Balance"),
    (11445, "Converse"),
    (139, "Vans"),
    (343, "Sandro"),
    (1195, "Maje"),
    (1070, "Kaporal"),
    (1010, "Petit Bateau"),
    (7139, "Jacadi"),
    (2364, "Desigual"),
    (83, "Guess"),
    (255, "Calvin Klein"),
    (73306, "Hugo Boss"),
    (1136, "Gant"),
    (1191, "Superdry"),
    (44, "Esprit"),
    (259, "Vero Moda"),
    (34, "Only"),
    (1095, "Jack & Jones"),
    (17, "Stradivarius"),
    (2201, "Massimo Dutti"),
    (11521, "COS"),
    (19, "Nike ACG"),
    (20, "Zadig & Voltaire"),
)
POPULAR_BRAND_IDS: tuple[int, ...] = (12, 7, 53, 14, 10, 1386, 15, 21, 304, 94)


def fold(text: str) -> str:
    """Return text lowercased without accents, for searches."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
