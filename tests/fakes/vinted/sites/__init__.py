"""The country sites the replica can be: their catalog, words, money and brand ids.

UPLOAD-FORM.md fixes the controls and the API shapes but not a site's titles, labels or ids, so
each Site moves those: the default French site, the same site after a catalog redesign, the
German site and the UK site (Switches.site picks one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from tests.fakes.vinted.catalog import Catalog, CatalogNode, Path
from tests.fakes.vinted.data import BRANDS, POPULAR_BRAND_IDS, fold
from tests.fakes.vinted.sites import tree_de, tree_fr, tree_fr_renamed, tree_uk
from tests.fakes.vinted.sites.english import ENGLISH
from tests.fakes.vinted.sites.french import FRENCH
from tests.fakes.vinted.sites.german import GERMAN
from tests.fakes.vinted.sites.words import SizeGroup, Words


@dataclass(frozen=True)
class Site:
    name: str
    lang: str  # <html lang>
    locale: str
    country_code: str
    currency: str
    decimal: str  # the price's decimal separator
    lenient_decimal: bool  # the French page also takes "12.50"; the others refuse the wrong one
    words: Words
    make_catalog: Callable[[], Catalog] = field(repr=False)
    recognition: tuple[Path, ...]  # what photo recognition suggests, best first
    brand_id_offset: int = 0  # brand ids are not stable across sites

    @property
    def catalog(self) -> Catalog:
        return _catalog(self.name)

    def money(self, amount: float | None) -> str:
        """Return a price as the site's pages show it: "12,50 €", "£12.50"."""
        number = f"{amount or 0:.2f}".replace(".", self.decimal)
        return f"£{number}" if self.currency == "GBP" else f"{number} €"

    def size_group(self, node: CatalogNode | None) -> SizeGroup | None:
        if node is None or not node.is_leaf or node.size_kind is None:
            return None
        return self.words.size_groups.get(node.size_kind)

    def catalog_json(self) -> list[dict[str, Any]]:
        """Return the tree as GET /api/v2/item_upload/catalogs lists it."""

        def one(node: CatalogNode) -> dict[str, Any]:
            data: dict[str, Any] = {
                "id": node.id,
                "title": node.title,
                "code": "_".join(fold(t).upper().replace(" ", "_") for t in node.path()),
                "catalogs": [one(c) for c in node.children],
            }
            if node.is_leaf:
                group = self.size_group(node)
                data["size_group_ids"] = [group.id] if group else []
            return data

        return [one(root) for root in self.catalog.roots]

    def brands(self) -> list[tuple[int, str]]:
        return [(i + self.brand_id_offset, t) for i, t in BRANDS]

    def search_brands(self, keyword: str) -> list[tuple[int, str]]:
        """Return brands whose name contains the keyword, names starting with it first."""
        key = fold(keyword.strip())
        brands = self.brands()
        if not key:
            popular = [i + self.brand_id_offset for i in POPULAR_BRAND_IDS]
            return [b for i in popular for b in brands if b[0] == i]
        hits = [b for b in brands if key in fold(b[1])]
        return sorted(hits, key=lambda b: (not fold(b[1]).startswith(key), fold(b[1])))


SITES: dict[str, Site] = {
    "fr": Site(
        name="fr",
        lang="fr",
        locale="fr-FR",
        country_code="FR",
        currency="EUR",
        decimal=",",
        lenient_decimal=True,
        words=FRENCH,
        make_catalog=tree_fr.catalog,
        recognition=(
            ("Femmes", "Vêtements", "Hauts et t-shirts", "T-shirts"),
            ("Hommes", "Vêtements", "Jeans"),
        ),
    ),
    "fr_renamed": Site(
        name="fr_renamed",
        lang="fr",
        locale="fr-FR",
        country_code="FR",
        currency="EUR",
        decimal=",",
        lenient_decimal=True,
        words=FRENCH,
        make_catalog=tree_fr_renamed.catalog,
        recognition=(
            ("Femmes", "Vêtements", "Hauts", "T-shirts et débardeurs", "T-shirts"),
            ("Hommes", "Vêtements", "Pantalons et jeans", "Jeans"),
        ),
    ),
    "de": Site(
        name="de",
        lang="de",
        locale="de-DE",
        country_code="DE",
        currency="EUR",
        decimal=",",
        lenient_decimal=False,
        words=GERMAN,
        make_catalog=tree_de.catalog,
        recognition=(
            ("Damen", "Kleidung", "Tops & T-Shirts", "T-Shirts"),
            ("Herren", "Kleidung", "Jeans"),
        ),
        brand_id_offset=800_000,
    ),
    "uk": Site(
        name="uk",
        lang="en",
        locale="en-GB",
        country_code="GB",
        currency="GBP",
        decimal=".",
        lenient_decimal=False,
        words=ENGLISH,
        make_catalog=tree_uk.catalog,
        recognition=(
            ("Women", "Clothing", "Tops & t-shirts", "T-shirts"),
            ("Men", "Clothing", "Jeans"),
        ),
        brand_id_offset=900_000,
    ),
}


def site(name: str) -> Site:
    return SITES[name]


@cache
def _catalog(name: str) -> Catalog:
    return SITES[name].make_catalog()
