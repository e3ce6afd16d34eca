"""What Vinted refuses in a listing body: field errors, and a second identical live listing."""

from __future__ import annotations

import hashlib
from typing import Any

from tests.fakes.vinted.data import (
    BRANDS,
    COLORS,
    CONDITIONS,
    MATERIALS,
    MAX_COLORS,
    MAX_MATERIALS,
    PACKAGE_SIZES,
    catalogs_by_id,
    size_group,
)
from tests.fakes.vinted.photos import Photos
from tests.fakes.vinted.records import Submission, UploadedPhoto


class Validation(Photos):
    """The checks of the create call, with Vinted's field names and French messages."""

    def _validate(self, item: dict[str, Any], user_id: int) -> list[dict[str, str]]:
        """Return Vinted-style field errors for a listing body."""
        errors: list[dict[str, str]] = []

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
        catalog_id = item.get("catalog_id")
        node = catalogs_by_id().get(catalog_id) if isinstance(catalog_id, int) else None
        if node is None or not node.is_leaf:
            error("catalog_id", "Choisis une catégorie.")
        price = item.get("price")
        if isinstance(price, bool) or not isinstance(price, int | float):
            error("price", "Indique un prix.")
        elif not 0 <= price <= 100_000:
            error("price", "Le prix doit être compris entre 1 et 100 000 €.")
        if item.get("package_size_id") not in {n for n, _, _ in PACKAGE_SIZES}:
            error("package_size_id", "Choisis un format de colis.")
        submission = Submission(0, user_id, {"item": item}, (), {}, {}, 0.0)
        if submission.condition_id not in {i for i, _, _ in CONDITIONS}:
            error("condition", "Indique l'état de l'article.")
        if node is not None and node.is_leaf and node.size_group_id is not None:
            sizes = {i for i, _ in size_group(node.size_group_id).sizes}
            if submission.size_id not in sizes:
                error("size", "Choisis une taille.")
        colors = item.get("color_ids") or []
        known_colors = {i for i, _, _ in COLORS}
        if (
            not isinstance(colors, list)
            or len(colors) > MAX_COLORS
            or not set(colors).issubset(known_colors)
        ):
            error("color_ids", "Choisis jusqu'à 2 couleurs.")
        materials = submission.material_ids
        if len(materials) > MAX_MATERIALS or not set(materials).issubset(
            {i for i, _ in MATERIALS}
        ):
            error("material", "Choisis jusqu'à 3 matières.")
        brand_id = item.get("brand_id")
        if brand_id is not None and brand_id not in {i for i, _ in BRANDS}:
            error("brand_id", "Marque inconnue.")
        return errors

    def _is_duplicate(
        self, user_id: int, item: dict[str, Any], photos: list[UploadedPhoto]
    ) -> bool:
        digests = [hashlib.sha1(p.data).hexdigest() for p in photos]
        for other in self._items_of(user_id):
            if (
                other.title.strip() == str(item.get("title") or "").strip()
                and other.description.strip() == str(item.get("description") or "").strip()
                and [hashlib.sha1(p.data).hexdigest() for p in other.photos] == digests
            ):
                return True
        return False
