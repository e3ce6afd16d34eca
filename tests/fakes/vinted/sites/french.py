"""The French site's words (vinted.fr): labels, sizes and every page text."""

from __future__ import annotations

from tests.fakes.vinted.sites.words import SizeGroup, Words, sizes

CONDITIONS = (
    (6, "Neuf avec étiquette", "Article neuf, jamais porté, avec étiquette."),
    (1, "Neuf sans étiquette", "Article neuf, jamais porté, sans étiquette."),
    (2, "Très bon état", "Article très peu porté, qui peut avoir de légères imperfections."),
    (3, "Bon état", "Article porté, avec des signes d'usure."),
    (4, "Satisfaisant", "Article porté plusieurs fois, avec des défauts visibles."),
)

COLORS = {
    1: "Noir",
    2: "Marron",
    3: "Gris",
    4: "Beige",
    5: "Rose",
    6: "Violet",
    7: "Rouge",
    8: "Jaune",
    9: "Bleu",
    10: "Vert",
    11: "Orange",
    12: "Blanc",
    13: "Argenté",
    14: "Doré",
    15: "Multicolore",
    16: "Kaki",
    20: "Crème",
    23: "Bordeaux",
    27: "Marine",
    29: "Moutarde",
}

MATERIALS = {
    44: "Coton",
    45: "Polyester",
    46: "Laine",
    43: "Cuir",
    303: "Denim",
    48: "Lin",
    49: "Soie",
    123: "Cachemire",
    52: "Viscose",
    47: "Nylon",
    122: "Élasthanne",
    149: "Acrylique",
    50: "Daim",
    441: "Synthétique",
}

WOMEN = SizeGroup(
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
)
MEN = SizeGroup(
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
)
MEN_JEANS = sizes(
    1,
    "Jeans hommes",
    1601,
    ["W27", "W28", "W29", "W30", "W31", "W32", "W33", "W34", "W36", "W38", "W40"],
)
WOMEN_SHOES = sizes(
    7,
    "Chaussures femmes",
    55,
    ["35", "35,5", "36", "36,5", "37", "37,5", "38", "38,5", "39", "39,5", "40", "41", "42"],
)
MEN_SHOES = sizes(
    8,
    "Chaussures hommes",
    776,
    ["39", "40", "40,5", "41", "42", "42,5", "43", "44", "44,5", "45", "46", "47"],
)
ACCESSORIES = sizes(20, "Accessoires", 1501, ["Taille unique", "S", "M", "L", "XL"])
KIDS = sizes(
    10,
    "Enfants",
    1051,
    [
        "2 ans / 92 cm",
        "3 ans / 98 cm",
        "4 ans / 104 cm",
        "5 ans / 110 cm",
        "6 ans / 116 cm",
        "8 ans / 128 cm",
        "10 ans / 140 cm",
        "12 ans / 152 cm",
        "14 ans / 164 cm",
    ],
)
KIDS_SHOES = sizes(11, "Chaussures enfants", 1081, [str(n) for n in range(24, 36)])

TEXTS = {
    # the site header and the small pages
    "login_button": "S'inscrire | Se connecter",
    "sell_button": "Vends tes articles",
    "search_placeholder": "Rechercher des articles",
    "home_heading": "Prêt à faire du tri dans tes placards ?",
    "home_start": "Commencer à vendre",
    "signup_heading": "Rejoins le mouvement de la seconde main",
    "signup_body": "Inscris-toi ou connecte-toi pour vendre.",
    "wardrobe_count": "{count} articles",
    "wardrobe_drafts": "Brouillons",
    "untitled": "Sans titre",
    "item_brand": "Marque",
    "item_size": "Taille",
    "item_status": "État",
    "item_color": "Couleur",
    "not_found": "Page introuvable",
    "verification_title": "Vérification",
    "verification_heading": "Vérifie ton compte",
    "verification_body": "Pour continuer, confirme ton numéro de téléphone.",
    "refresh_wait": "Un instant…",
    "refresh_label": "Chargement",
    "too_many_requests": "Trop de requêtes. Réessaie dans quelques minutes.",
    # the upload form
    "upload_title": "Vends ton article",
    "photos_hint": "Ajoute jusqu'à 20 photos.",
    "add_photos": "+ Ajoute des photos",
    "title_label": "Titre",
    "title_placeholder": "ex : Chemise Sézane verte",
    "description_label": "Décris ton article",
    "description_placeholder": "ex : porté quelques fois, taille correctement",
    "category_label": "Catégorie",
    "category_placeholder": "Sélectionne une catégorie",
    "price_label": "Prix",
    "price_placeholder": "0,00 €",
    "package_label": "Format du colis",
    "bump_label": "Booster cet article pour le mettre en avant (payant)",
    "save_draft": "Sauvegarder le brouillon",
    "save": "Ajouter",
    "loading": "Chargement…",
    "list_failed": "Impossible de charger la liste.",
    "category_search": "Rechercher une catégorie",
    "suggestions": "Suggestions",
    "no_results": "Aucun résultat",
    "brand_label": "Marque",
    "size_label": "Taille",
    "condition_label": "État",
    "color_label": "Couleur",
    "material_label": "Matière (recommandé)",
    "choose": "Sélectionne",
    "brand_search": "Rechercher une marque",
    "brands_failed": "Impossible de charger les marques.",
    "no_brand": "Sans marque",
    "brand_items": "{count} articles",
    "custom_brand": "Utiliser « {brand} » comme marque",
    "colors_hint": "Choisis jusqu'à 2 couleurs",
    "materials_hint": "Choisis jusqu'à 3 matières",
    "photo_failed": "Échec de l'envoi",
    "photo_rate_limited": "Trop de photos envoyées. Réessaie plus tard.",
    "crash_heading": "Sorry, something went wrong",
    "crash_body": "Désolé, une erreur est survenue. Recharge la page.",
    "reload": "Recharger",
    "generic_error": "Une erreur est survenue.",
}

FRENCH = Words(
    conditions=CONDITIONS,
    colors=COLORS,
    materials=MATERIALS,
    size_groups={
        "women": WOMEN,
        "men": MEN,
        "men_jeans": MEN_JEANS,
        "women_shoes": WOMEN_SHOES,
        "men_shoes": MEN_SHOES,
        "accessories": ACCESSORIES,
        "kids": KIDS,
        "kids_shoes": KIDS_SHOES,
    },
    package_sizes=(
        (1, "Petit", "Convient pour un article qui tient dans une grande enveloppe."),
        (2, "Moyen", "Convient pour un article qui tient dans une boîte à chaussures."),
        (3, "Grand", "Convient pour un article qui tient dans un carton de déménagement."),
    ),
    texts=TEXTS,
)
