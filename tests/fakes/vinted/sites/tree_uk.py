"""The UK site's catalog (variant "site_uk"), with vinted.co.uk's titles and ids of its own.

Dresses go one level deeper than on the French site (Mini, Midi, Maxi ...); outerwear is
"Outerwear", sneakers are "Trainers".
"""

from __future__ import annotations

from tests.fakes.vinted.catalog import Catalog, Tree, build_catalog, scattered_ids, size_kinds

TREE: Tree = {
    "Women": {
        "Clothing": {
            "Tops & t-shirts": [
                "T-shirts",
                "Shirts",
                "Blouses",
                "Vest tops",
                "Long-sleeved tops",
                "Crop tops",
                "Other tops",
            ],
            "Jumpers & sweaters": [
                "Jumpers",
                "Cardigans",
                "Hoodies",
                "Sweatshirts",
                "Other jumpers & sweaters",
            ],
            "Outerwear": ["Coats", "Jackets", "Puffer jackets", "Raincoats", "Gilets"],
            "Dresses": ["Mini dresses", "Midi dresses", "Maxi dresses", "Other dresses"],
            "Skirts": None,
            "Jeans": None,
            "Trousers & leggings": ["Trousers", "Leggings", "Joggers"],
            "Shorts": None,
            "Jumpsuits & playsuits": None,
            "Suits & blazers": None,
            "Activewear": None,
            "Swimwear": None,
            "Lingerie & nightwear": ["Bras", "Knickers", "Pyjamas"],
        },
        "Shoes": ["Trainers", "Boots", "Heels", "Flats", "Sandals", "Slippers"],
        "Bags": ["Handbags", "Backpacks", "Shoulder bags", "Tote bags", "Clutches"],
        "Accessories": [
            "Hats & caps",
            "Scarves & shawls",
            "Belts",
            "Jewellery",
            "Sunglasses",
        ],
    },
    "Men": {
        "Clothing": {
            "Tops & t-shirts": [
                "T-shirts",
                "Polo shirts",
                "Shirts",
                "Long-sleeved t-shirts",
                "Vests",
            ],
            "Jumpers & sweaters": ["Jumpers", "Cardigans", "Hoodies", "Sweatshirts"],
            "Outerwear": ["Coats", "Jackets", "Puffer jackets", "Gilets"],
            "Suits & blazers": ["Blazers", "Suits"],
            "Jeans": None,
            "Trousers": ["Chinos", "Joggers", "Smart trousers", "Other trousers"],
            "Shorts": None,
            "Sportswear": None,
            "Swimwear": None,
            "Underwear & socks": ["Boxers", "Socks"],
        },
        "Shoes": ["Trainers", "Boots", "Formal shoes", "Sandals & flip-flops", "Slippers"],
        "Bags": ["Backpacks", "Messenger bags", "Holdalls"],
        "Accessories": ["Hats & caps", "Scarves", "Belts", "Watches", "Sunglasses"],
    },
    "Kids": {
        "Girls": {
            "Clothing": ["Dresses", "T-shirts", "Jumpers", "Coats", "Trousers", "Skirts"],
            "Shoes": None,
        },
        "Boys": {
            "Clothing": ["T-shirts", "Jumpers", "Coats", "Trousers", "Shorts"],
            "Shoes": None,
        },
        "Toys": ["Soft toys", "Board games"],
    },
    "Home": {
        "Textiles": ["Bedding", "Cushions"],
        "Decor": ["Candles", "Vases"],
    },
}

GENDERS = {"Women": "women", "Men": "men", "Kids": "kids"}
SECTIONS = {
    "Clothing": "clothes",
    "Shoes": "shoes",
    "Accessories": "accessories",
    "Bags": "none",
    "Toys": "none",
}


def catalog() -> Catalog:
    return build_catalog(
        TREE,
        ids=scattered_ids("vinted.co.uk", 600_000, 700_000),
        size_kind=size_kinds(GENDERS, SECTIONS),
    )
