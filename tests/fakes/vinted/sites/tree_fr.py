"""The French site's catalog as the replica has always served it (the default, variant None).

Ids Vinted's own pages show are kept (UPLOAD-FORM.md: Femmes 1904 > Chaussures 16 > Baskets
2632); every other id is counted from 3001 in the order of the tree.
"""

from __future__ import annotations

import itertools

from tests.fakes.vinted.catalog import Catalog, Path, Tree, build_catalog, size_kinds

TREE: Tree = {
    "Femmes": {
        "Vêtements": {
            "Hauts et t-shirts": [
                "T-shirts",
                "Chemises",
                "Blouses",
                "Débardeurs",
                "T-shirts à manches longues",
                "Tuniques",
                "Autres hauts",
            ],
            "Sweats et pulls": [
                "Pulls",
                "Cardigans",
                "Sweats à capuche",
                "Sweats",
                "Autres sweats et pulls",
            ],
            "Manteaux et vestes": ["Vestes", "Manteaux", "Doudounes", "Imperméables"],
            "Blazers et tailleurs": None,
            "Robes": None,
            "Jupes": None,
            "Jeans": None,
            "Pantalons": ["Autres pantalons", "Joggings"],
            "Shorts": None,
            "Combinaisons": None,
            "Vêtements de sport": None,
            "Maillots de bain": None,
            "Lingerie et pyjamas": ["Soutiens-gorge", "Pyjamas"],
        },
        "Chaussures": ["Baskets", "Bottes", "Chaussures à talons", "Ballerines", "Sandales"],
        "Sacs": ["Sacs à main", "Sacs à dos", "Pochettes"],
        "Accessoires": [
            "Chapeaux et casquettes",
            "Écharpes et foulards",
            "Ceintures",
            "Bijoux",
        ],
        "Beauté": ["Maquillage"],
    },
    "Hommes": {
        "Vêtements": {
            "Hauts et t-shirts": [
                "T-shirts",
                "Polos",
                "T-shirts à manches longues",
                "Chemises",
                "Débardeurs",
            ],
            "Sweats et pulls": ["Pulls", "Cardigans", "Sweats à capuche", "Sweats"],
            "Manteaux et vestes": ["Vestes", "Manteaux", "Doudounes"],
            "Costumes et blazers": None,
            "Jeans": None,
            "Pantalons": ["Autres pantalons", "Joggings"],
            "Shorts": None,
            "Vêtements de sport": None,
            "Maillots de bain": None,
            "Sous-vêtements et chaussettes": ["Chaussettes"],
        },
        "Chaussures": ["Baskets", "Bottes", "Chaussures habillées", "Sandales et tongs"],
        "Sacs et sacoches": ["Sacs à dos", "Sacoches"],
        "Accessoires": ["Chapeaux et casquettes", "Écharpes", "Ceintures", "Montres"],
    },
    "Enfants": {
        "Filles": {"Vêtements": ["Robes"]},
        "Garçons": {"Vêtements": ["T-shirts"]},
        "Jouets": ["Peluches"],
    },
    "Maison": {
        "Textiles": ["Linge de lit"],
        "Décoration": ["Bougies"],
    },
}

KNOWN_IDS: dict[Path, int] = {
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

GENDERS = {"Femmes": "women", "Hommes": "men", "Enfants": "kids"}
SECTIONS = {
    "Vêtements": "clothes",
    "Chaussures": "shoes",
    "Accessoires": "accessories",
    "Sacs": "none",
    "Sacs et sacoches": "none",
    "Beauté": "none",
    "Jouets": "none",
}


def catalog() -> Catalog:
    counter = itertools.count(3001)
    return build_catalog(
        TREE,
        ids=lambda path: KNOWN_IDS.get(path) or next(counter),
        size_kind=size_kinds(GENDERS, SECTIONS),
    )
