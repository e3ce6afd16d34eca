"""Reference data of the Vinted replica: catalogs, sizes, conditions, colours, brands."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache

from core.catalog import categories


@dataclass
class CatalogNode:
    """One catalog of the upload page's category picker."""

    id: int
    title: str
    children: list[CatalogNode] = field(default_factory=list)
    size_group_id: int | None = None
    parent: CatalogNode | None = field(default=None, repr=False)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def path(self) -> list[str]:
        """Return the titles from the root down to this node."""
        node: CatalogNode | None = self
        titles: list[str] = []
        while node is not None:
            titles.append(node.title)
            node = node.parent
        return titles[::-1]

    def to_json(self) -> dict[str, object]:
        """Return the node as GET /api/v2/item_upload/catalogs lists it."""
        data: dict[str, object] = {
            "id": self.id,
            "title": self.title,
            "code": _code(self.path()),
            "catalogs": [c.to_json() for c in self.children],
        }
        if self.is_leaf:
            data["size_group_ids"] = [self.size_group_id] if self.size_group_id else []
        return data


@dataclass(frozen=True)
class SizeGroup:
    id: int
    caption: str
    sizes: tuple[tuple[int, str], ...]


# Ids that Vinted's own pages show; every other catalog id is generated.
_KNOWN_IDS: dict[tuple[str, ...], int] = {
    ("Femmes",): 1904,
    ("Hommes",): 5,
    ("Enfants",): 1193,
    ("Maison",): 1918,
    ("Femmes", "Vêtements"): 4,
    ("Hommes", "Vêtements"): 2050,
    ("Femmes", "Chaussures"): 16,
    ("Femmes", "Chaussures", "Baskets"): 2632,
    ("Hommes", "Chaussures"): 1231,
}

# Siblings that our categories file does not use, so a walk by titles has real choices to make.
_EXTRA_PATHS: tuple[tuple[str, ...], ...] = (
    ("Femmes", "Vêtements", "Hauts et t-shirts", "Tuniques"),
    ("Femmes", "Vêtements", "Hauts et t-shirts", "Autres hauts"),
    ("Femmes", "Vêtements", "Sweats et pulls", "Autres sweats et pulls"),
    ("Femmes", "Vêtements", "Manteaux et vestes", "Imperméables"),
    ("Femmes", "Vêtements", "Lingerie et pyjamas", "Soutiens-gorge"),
    ("Femmes", "Vêtements", "Lingerie et pyjamas", "Pyjamas"),
    ("Femmes", "Chaussures", "Sandales"),
    ("Femmes", "Sacs", "Sacs à dos"),
    ("Femmes", "Sacs", "Pochettes"),
    ("Femmes", "Accessoires", "Bijoux"),
    ("Femmes", "Beauté", "Maquillage"),
    ("Hommes", "Vêtements", "Hauts et t-shirts", "Débardeurs"),
    ("Hommes", "Vêtements", "Sous-vêtements et chaussettes", "Chaussettes"),
    ("Hommes", "Chaussures", "Sandales et tongs"),
    ("Hommes", "Sacs et sacoches", "Sacoches"),
    ("Hommes", "Accessoires", "Montres"),
    ("Enfants", "Filles", "Vêtements", "Robes"),
    ("Enfants", "Garçons", "Vêtements", "T-shirts"),
    ("Enfants", "Jouets", "Peluches"),
    ("Maison", "Textiles", "Linge de lit"),
    ("Maison", "Décoration", "Bougies"),
)

_SIZE_GROUPS: tuple[SizeGroup, ...] = (
    SizeGroup(
        4,
        "Femmes",
        (
            (206, "XXXS / 30 / 2"),
            (207, "XXS / 32 / 4"),
            (2, "XS / 34 / 6"),
            (3, "S / 36 / 8"),
            (4, "M / 38 / 10"),
            (5, "L / 40 / 12"),
            (6, "XL / 42 / 14"),
            (7, "XXL / 44 / 16"),
            (310, "XXXL / 46 / 18"),
            (1226, "Taille unique"),
            (1227, "Autre"),
        ),
    ),
    SizeGroup(
        3,
        "Hommes",
        (
            (208, "XS"),
            (209, "S"),
            (210, "M"),
            (211, "L"),
            (212, "XL"),
            (213, "XXL"),
            (214, "XXXL"),
            (1228, "Taille unique"),
            (1229, "Autre"),
        ),
    ),
    SizeGroup(
        1,
        "Jeans hommes",
        (
            (1601, "W27"),
            (1602, "W28"),
            (1603, "W29"),
            (1604, "W30"),
            (1605, "W31"),
            (1606, "W32"),
            (1607, "W33"),
            (1608, "W34"),
            (1609, "W36"),
            (1610, "W38"),
            (1611, "W40"),
        ),
    ),
    SizeGroup(
        7,
        "Chaussures femmes",
        tuple(
            (55 + i, label)
            for i, label in enumerate(
                [
                    "35",
                    "35,5",
                    "36",
                    "36,5",
                    "37",
                    "37,5",
                    "38",
                    "38,5",
                    "39",
                    "39,5",
                    "40",
                    "41",
                    "42",
                ]
            )
        ),
    ),
    SizeGroup(
        8,
        "Chaussures hommes",
        tuple(
            (776 + i, label)
            for i, label in enumerate(
                ["39", "40", "40,5", "41", "42", "42,5", "43", "44", "44,5", "45", "46", "47"]
            )
        ),
    ),
    SizeGroup(
        20,
        "Accessoires",
        (
            (1501, "Taille unique"),
            (1502, "S"),
            (1503, "M"),
            (1504, "L"),
            (1505, "XL"),
        ),
    ),
)

CONDITIONS: tuple[tuple[int, str, str], ...] = (
    (6, "Neuf avec étiquette", "Article neuf, jamais porté, avec étiquette."),
    (1, "Neuf sans étiquette", "Article neuf, jamais porté, sans étiquette."),
    (2, "Très bon état", "Article très peu porté, qui peut avoir de légères imperfections."),
    (3, "Bon état", "Article porté, avec des signes d'usure."),
    (4, "Satisfaisant", "Article porté plusieurs fois, avec des défauts visibles."),
)

COLORS: tuple[tuple[int, str, str], ...] = (
    (1, "Noir", "#000000"),
    (2, "Marron", "#663300"),
    (3, "Gris", "#919191"),
    (4, "Beige", "#F4E0C8"),
    (5, "Rose", "#FF0080"),
    (6, "Violet", "#800080"),
    (7, "Rouge", "#CC3300"),
    (8, "Jaune", "#FFFF00"),
    (9, "Bleu", "#007BC4"),
    (10, "Vert", "#369A3D"),
    (11, "Orange", "#FFA500"),
    (12, "Blanc", "#FFFFFF"),
    (13, "Argenté", "#D6D6D6"),
    (14, "Doré", "#FDC400"),
    (15, "Multicolore", ""),
    (16, "Kaki", "#86814A"),
    (20, "Crème", "#F7F3E6"),
    (23, "Bordeaux", "#6D0E0E"),
    (27, "Marine", "#000080"),
    (29, "Moutarde", "#E1AD01"),
)
MAX_COLORS = 2

MATERIALS: tuple[tuple[int, str], ...] = (
    (44, "Coton"),
    (45, "Polyester"),
    (46, "Laine"),
    (43, "Cuir"),
    (303, "Denim"),
    (48, "Lin"),
    (49, "Soie"),
    (123, "Cachemire"),
    (52, "Viscose"),
    (47, "Nylon"),
    (122, "Élasthanne"),
    (149, "Acrylique"),
    (50, "Daim"),
    (441, "Synthétique"),
)
MAX_MATERIALS = 3

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

PACKAGE_SIZES: tuple[tuple[int, str, str], ...] = (
    (1, "Petit", "Convient pour un article qui tient dans une grande enveloppe."),
    (2, "Moyen", "Convient pour un article qui tient dans une boîte à chaussures."),
    (3, "Grand", "Convient pour un article qui tient dans un carton de déménagement."),
)


def fold(text: str) -> str:
    """Return text lowercased without accents, for searches."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _code(path: list[str]) -> str:
    return "_".join(fold(t).upper().replace(" ", "_") for t in path)


def _size_group_for(path: tuple[str, ...]) -> int | None:
    root, *rest = path
    if len(rest) >= 1 and rest[0] in ("Sacs", "Sacs et sacoches", "Beauté", "Jouets"):
        return None
    if root == "Maison":
        return None
    if rest and rest[0] == "Chaussures":
        return 8 if root == "Hommes" else 7
    if rest and rest[0] == "Accessoires":
        return 20
    if root == "Hommes":
        return 1 if path[-1] == "Jeans" else 3
    return 4


@cache
def catalog_tree() -> tuple[CatalogNode, ...]:
    """Return the catalog roots: every path_fr of core/data/categories.json plus siblings."""
    paths = [tuple(c.path_fr) for c in categories()] + list(_EXTRA_PATHS)
    # A path that ends where another goes deeper needs a leaf of its own at that level.
    prefixes = {p[:i] for p in paths for i in range(1, len(p))}
    paths += [p + (f"Autres {p[-1].lower()}",) for p in paths if p in prefixes]
    roots: list[CatalogNode] = []
    by_path: dict[tuple[str, ...], CatalogNode] = {}
    next_id = 3001
    for full in paths:
        for depth in range(1, len(full) + 1):
            sub = full[:depth]
            if sub in by_path:
                continue
            known = _KNOWN_IDS.get(sub)
            node = CatalogNode(id=known if known is not None else next_id, title=sub[-1])
            if known is None:
                next_id += 1
            parent = by_path.get(sub[:-1])
            node.parent = parent
            (parent.children if parent else roots).append(node)
            by_path[sub] = node
    for sub, node in by_path.items():
        if node.is_leaf:
            node.size_group_id = _size_group_for(sub)
    return tuple(roots)


@cache
def catalogs_by_id() -> dict[int, CatalogNode]:
    """Return every catalog node by id."""
    found: dict[int, CatalogNode] = {}
    stack = list(catalog_tree())
    while stack:
        node = stack.pop()
        found[node.id] = node
        stack.extend(node.children)
    return found


def catalog_by_path(path: list[str]) -> CatalogNode | None:
    """Return the node at this title path, or None."""
    level: tuple[CatalogNode, ...] | list[CatalogNode] = catalog_tree()
    node: CatalogNode | None = None
    for title in path:
        node = next((n for n in level if n.title == title), None)
        if node is None:
            return None
        level = node.children
    return node


def size_group(group_id: int) -> SizeGroup:
    return next(g for g in _SIZE_GROUPS if g.id == group_id)


def search_brands(keyword: str) -> list[tuple[int, str]]:
    """Return brands whose name contains the keyword, names starting with it first."""
    key = fold(keyword.strip())
    if not key:
        return [b for i in POPULAR_BRAND_IDS for b in BRANDS if b[0] == i]
    hits = [b for b in BRANDS if key in fold(b[1])]
    return sorted(hits, key=lambda b: (not fold(b[1]).startswith(key), fold(b[1])))
