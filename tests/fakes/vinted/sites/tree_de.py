"""The German site's catalog (variant "site_de"), with vinted.de's titles and ids of its own.

Its depth differs from the French tree where vinted.de differs: "Kleider" and "Jeans" are
leaves, women's jumpers sit one level deeper than men's ("Pullover & Sweater" is a leaf for men).
"""

from __future__ import annotations

from tests.fakes.vinted.catalog import Catalog, Tree, build_catalog, scattered_ids, size_kinds

TREE: Tree = {
    "Damen": {
        "Kleidung": {
            "Tops & T-Shirts": [
                "T-Shirts",
                "Blusen",
                "Hemden",
                "Tanktops",
                "Langarmshirts",
                "Bodys",
                "Sonstige Tops",
            ],
            "Pullover & Sweater": [
                "Pullover",
                "Strickjacken",
                "Kapuzenpullover",
                "Sweatshirts",
                "Sonstige Pullover & Sweater",
            ],
            "Jacken & Mäntel": ["Jacken", "Mäntel", "Daunenjacken", "Regenjacken", "Westen"],
            "Kleider": None,
            "Röcke": None,
            "Jeans": None,
            "Hosen & Leggings": ["Hosen", "Leggings", "Jogginghosen", "Stoffhosen"],
            "Shorts": None,
            "Jumpsuits & Overalls": None,
            "Blazer & Anzüge": None,
            "Sportbekleidung": ["Sport-Tops", "Sportleggings", "Sport-BHs"],
            "Bademode": None,
            "Unterwäsche & Nachtwäsche": ["BHs", "Slips", "Schlafanzüge"],
        },
        "Schuhe": [
            "Sneaker",
            "Stiefel",
            "Stiefeletten",
            "Pumps",
            "Ballerinas",
            "Sandalen",
            "Hausschuhe",
        ],
        "Taschen": ["Handtaschen", "Rucksäcke", "Umhängetaschen", "Shopper", "Clutches"],
        "Accessoires": [
            "Hüte & Mützen",
            "Caps",
            "Schals & Tücher",
            "Gürtel",
            "Schmuck",
            "Sonnenbrillen",
        ],
    },
    "Herren": {
        "Kleidung": {
            "T-Shirts & Tops": ["T-Shirts", "Poloshirts", "Langarmshirts", "Tanktops"],
            "Hemden": None,
            "Pullover & Sweater": None,
            "Kapuzenpullover & Sweatjacken": None,
            "Strickjacken": None,
            "Jacken & Mäntel": ["Jacken", "Mäntel", "Daunenjacken", "Westen"],
            "Anzüge & Sakkos": ["Sakkos", "Anzüge"],
            "Jeans": None,
            "Hosen": ["Chinos", "Jogginghosen", "Stoffhosen", "Sonstige Hosen"],
            "Shorts": None,
            "Sportbekleidung": None,
            "Badebekleidung": None,
            "Unterwäsche & Socken": ["Boxershorts", "Socken"],
        },
        "Schuhe": ["Sneaker", "Stiefel", "Business-Schuhe", "Sandalen & Badelatschen"],
        "Taschen": ["Rucksäcke", "Umhängetaschen", "Reisetaschen"],
        "Accessoires": ["Hüte & Mützen", "Caps", "Schals", "Gürtel", "Uhren", "Sonnenbrillen"],
    },
    "Kinder": {
        "Mädchen": {
            "Kleidung": ["Kleider", "T-Shirts", "Pullover", "Jacken", "Hosen", "Röcke"],
            "Schuhe": None,
        },
        "Jungen": {
            "Kleidung": ["T-Shirts", "Pullover", "Jacken", "Hosen", "Shorts"],
            "Schuhe": None,
        },
        "Spielzeug": ["Kuscheltiere", "Gesellschaftsspiele"],
    },
    "Home": {
        "Textilien": ["Bettwäsche", "Kissen"],
        "Dekoration": ["Kerzen", "Vasen"],
    },
}

GENDERS = {"Damen": "women", "Herren": "men", "Kinder": "kids"}
SECTIONS = {
    "Kleidung": "clothes",
    "Schuhe": "shoes",
    "Accessoires": "accessories",
    "Taschen": "none",
    "Spielzeug": "none",
}


def catalog() -> Catalog:
    return build_catalog(
        TREE,
        ids=scattered_ids("vinted.de", 500_000, 600_000),
        size_kind=size_kinds(GENDERS, SECTIONS),
    )
