"""The French catalog after a redesign (variant "catalog_renamed"): same kinds of items, new words.

Other titles ("Sneakers" not "Baskets", "Pulls, gilets et sweats"), an extra level on the way
to common leaves (Femmes > Vêtements > Hauts > T-shirts et débardeurs > T-shirts), jeans under
"Pantalons et jeans", and ids that share nothing with the default tree.
"""

from __future__ import annotations

from tests.fakes.vinted.catalog import Catalog, Tree, build_catalog, scattered_ids, size_kinds

TREE: Tree = {
    "Femmes": {
        "Vêtements": {
            "Hauts": {
                "T-shirts et débardeurs": [
                    "T-shirts",
                    "Débardeurs",
                    "T-shirts manches longues",
                    "Crop tops",
                ],
                "Chemises et blouses": ["Chemises", "Blouses", "Tuniques"],
                "Bodys": None,
                "Autres hauts": None,
            },
            "Pulls, gilets et sweats": [
                "Pulls",
                "Gilets",
                "Sweats à capuche",
                "Sweat-shirts",
                "Pulls sans manches",
                "Autres pulls et sweats",
            ],
            "Vestes et manteaux": [
                "Manteaux",
                "Vestes",
                "Doudounes et parkas",
                "Trenchs et imperméables",
                "Vestes sans manches",
            ],
            "Robes": ["Robes courtes", "Robes midi", "Robes longues", "Robes de soirée"],
            "Jupes": ["Jupes courtes", "Jupes midi", "Jupes longues"],
            "Pantalons et jeans": [
                "Jeans",
                "Pantalons",
                "Pantalons larges",
                "Leggings",
                "Joggings",
            ],
            "Shorts et bermudas": None,
            "Combinaisons et salopettes": None,
            "Tailleurs et blazers": None,
            "Sport": ["Hauts de sport", "Leggings de sport", "Brassières de sport"],
            "Maillots de bain": None,
            "Lingerie et nuit": ["Soutiens-gorge", "Culottes", "Pyjamas"],
        },
        "Chaussures": [
            "Sneakers",
            "Bottes et bottines",
            "Escarpins",
            "Ballerines",
            "Sandales",
            "Mocassins",
            "Chaussons",
        ],
        "Sacs": ["Sacs à main", "Sacs à dos", "Sacs bandoulière", "Cabas", "Pochettes"],
        "Accessoires": [
            "Chapeaux et bonnets",
            "Casquettes",
            "Écharpes et foulards",
            "Ceintures",
            "Bijoux",
            "Lunettes de soleil",
        ],
    },
    "Hommes": {
        "Vêtements": {
            "T-shirts et tops": [
                "T-shirts",
                "Polos",
                "Chemises",
                "T-shirts manches longues",
                "Débardeurs",
            ],
            "Pulls et sweats": [
                "Pulls",
                "Gilets",
                "Sweats à capuche",
                "Sweat-shirts",
                "Autres pulls et sweats",
            ],
            "Vestes et manteaux": [
                "Manteaux",
                "Vestes",
                "Blousons",
                "Doudounes et parkas",
                "Trenchs et imperméables",
            ],
            "Costumes et blazers": ["Blazers", "Costumes", "Gilets de costume"],
            "Pantalons et jeans": ["Jeans", "Chinos", "Pantalons", "Joggings"],
            "Shorts et bermudas": None,
            "Sport": ["Hauts de sport", "Shorts de sport", "Survêtements"],
            "Maillots de bain": None,
            "Sous-vêtements": ["Caleçons et boxers", "Chaussettes"],
        },
        "Chaussures": [
            "Sneakers",
            "Bottes et boots",
            "Chaussures de ville",
            "Sandales et claquettes",
            "Chaussons",
        ],
        "Sacs et sacoches": ["Sacs à dos", "Sacoches", "Sacs de voyage"],
        "Accessoires": [
            "Chapeaux et bonnets",
            "Casquettes",
            "Écharpes",
            "Ceintures",
            "Montres",
            "Lunettes de soleil",
        ],
    },
    "Enfants": {
        "Filles": {
            "Vêtements": ["Robes", "T-shirts", "Pulls et sweats", "Manteaux", "Pantalons"],
            "Chaussures": None,
        },
        "Garçons": {
            "Vêtements": ["T-shirts", "Pulls et sweats", "Manteaux", "Pantalons", "Shorts"],
            "Chaussures": None,
        },
        "Jouets": ["Peluches", "Jeux de société"],
    },
    "Maison": {
        "Linge de maison": ["Linge de lit", "Coussins"],
        "Décoration": ["Bougies", "Vases"],
    },
}

GENDERS = {"Femmes": "women", "Hommes": "men", "Enfants": "kids"}
SECTIONS = {
    "Vêtements": "clothes",
    "Chaussures": "shoes",
    "Accessoires": "accessories",
    "Sacs": "none",
    "Sacs et sacoches": "none",
    "Jouets": "none",
}


def catalog() -> Catalog:
    return build_catalog(
        TREE,
        ids=scattered_ids("vinted.fr 2026", 400_000, 500_000),
        size_kind=size_kinds(GENDERS, SECTIONS),
    )
