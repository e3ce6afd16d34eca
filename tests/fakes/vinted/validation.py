"""What Vinted refuses in a listing body: field errors, and a second identical live listing."""

from __future__ import annotations

import hashlib
from typing import Any

from tests.fakes.vinted.data import (
    COLOR_HEX,
    CONDITION_IDS,
    MAX_COLORS,
    MAX_MATERIALS,
    PACKAGE_SIZE_IDS,
)
from tests.fakes.vinted.photos import Photos
from tests.fakes.vinted.records import UploadedPhoto, attribute_ids, flat_or_attribute


class Validation(Photos):
    """The checks of the create call against the active site, with Vinted's field names.

    The messages are French on every site (the replica does not translate them).
    """

    def _validate(self, item: dict[str, Any], user_id: int) -> list[dict[str, str]]:
        """Return Vinted-style field errors for a listing body."""
        errors: list[dict[str, str]] = []
        site = self.site

        def error(name: str, message: str) -> None:
            errors.append({"field": name, "value": message})

        title = item.get("title")
        if not isinstance(title, str) or len(title.strip()) < 5:
            error("title", "Le titre doit comporter au moins 5 caractères.")
        elif len(title) > 100:
            error("title", "Le titre ne peut pas dépasser 100 caractères.")
        description = item.get("description")
        if not isinstance(description, str) or len(description.strip()) < 5:
            error("description", "Décris ton article en quelques mots (5 caractères minimum).")
        photos = item.get("assigned_photos")
        if not isinstance(photos, list) or not photos:
            error("assigned_photos", "Ajoute au moins une photo.")
        elif len(self._assigned_photos(item, user_id)) != len(photos):
            error("assigned_photos", "Une photo est introuvable. Ajoute-la à nouveau.")
        node = site.catalog.leaf(item.get("catalog_id"))
        if node is None:
            error("catalog_id", "Choisis une catégorie.")
        price = item.get("price")
        if isinstance(price, bool) or not isinstance(price, int | float):
            error("price", "Indique un prix.")
        elif not 0 <= price <= 100_000:
            error("price", "Le prix doit être compris entre 1 et 100 000 €.")
        if item.get("package_size_id") not in PACKAGE_SIZE_IDS:
            error("package_size_id", "Choisis un format de colis.")
        if flat_or_attribute(item, "status_id", "condition") not in CONDITION_IDS:
            error("condition", "Indique l'état de l'article.")
        group = site.size_group(node)
        size_id = flat_or_attribute(item, "size_id", "size")
        if group is not None and size_id not in {i for i, _ in group.sizes}:
            error("size", "Choisis une taille.")
        colors = item.get("color_ids") or []
        known_colors = set(COLOR_HEX)
        if (
            not isinstance(colors, list)
            or len(colors) > MAX_COLORS
            or not set(colors).issubset(known_colors)
        ):
            error("color_ids", "Choisis jusqu'à 2 couleurs.")
        materials = attribute_ids(item, "material")
        if len(materials) > MAX_MATERIALS or not set(materials).issubset(site.words.materials):
            error("material", "Choisis jusqu'à 3 matières.")
        brand_id = item.get("brand_id")
        if brand_id is not None and brand_id not in {i for i, _ in site.brands()}:
            error("brand_id", "Marque inconnue.")
        return errors

    def _is_duplicate(
        self,
        user_id: int,
        item: dict[str, Any],
        photos: list[UploadedPhoto],
        except_id: int | None = None,
    ) -> bool:
        """Return whether a live listing of the member has the same title, text and photos."""
        digests = [hashlib.sha1(p.data).hexdigest() for p in photos]
        for other in self._items_of(user_id):
            if other.id != except_id and (
                other.title.strip() == str(item.get("title") or "").strip()
                and other.description.strip() == str(item.get("description") or "").strip()
                and [hashlib.sha1(p.data).hexdigest() for p in other.photos] == digests
            ):
                return True
        return False
