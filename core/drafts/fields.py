"""The one table of a listing's fields: what each is, and who may read or write it.

Adding a field to listings: add it to `Listing` (core.drafts.models) and here; the store's
columns (plus a migration), the seller's edit menu, the card, the CSV export and the model's
edit contract follow from this table. Tests check that the model's draft schema asks for
exactly the fields marked `asked_of_model`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# How a field is stored and compared: one column of text (optional or not), a JSON list, a
# condition value, or a price range over four columns.
Kind = Literal["text", "optional", "list", "condition", "price"]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: Kind
    editable: bool = False  # the seller sets it with a button or by typing (Edit menu)
    card_fact: bool = False  # a "Label: value" line of the card (title, price... have places)
    exported: bool = True  # a column of the CSV export
    asked_of_model: bool = True  # the vision model writes it from the photos
    model_edits_as_is: bool = False  # a free-text edit may set it to the model's value as is
    confirmable: bool = False  # defaulted when the photos do not show it; the seller confirms


# In the order the card shows them and a change list names them.
FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", "text", editable=True, model_edits_as_is=True),
    FieldSpec("description", "text", editable=True),
    FieldSpec("price", "price", editable=True),
    FieldSpec("brand", "optional", editable=True, card_fact=True, model_edits_as_is=True),
    FieldSpec("category", "text", editable=True, card_fact=True, model_edits_as_is=True),
    FieldSpec(
        "size",
        "text",
        editable=True,
        card_fact=True,
        model_edits_as_is=True,
        confirmable=True,
    ),
    FieldSpec(
        "condition",
        "condition",
        editable=True,
        card_fact=True,
        model_edits_as_is=True,
        confirmable=True,
    ),
    FieldSpec("colours", "list", editable=True, card_fact=True, model_edits_as_is=True),
    FieldSpec("material", "optional", editable=True, card_fact=True, model_edits_as_is=True),
    FieldSpec("defects", "list", card_fact=True),
    FieldSpec("hashtags", "list", model_edits_as_is=True),
    FieldSpec("measurements", "optional", model_edits_as_is=True),
)

BY_NAME = {spec.name: spec for spec in FIELDS}
LISTING_FIELDS = tuple(spec.name for spec in FIELDS)
EDITABLE_FIELDS = tuple(spec.name for spec in FIELDS if spec.editable)
CARD_FACTS = tuple(spec.name for spec in FIELDS if spec.card_fact)
EXPORTED_FIELDS = tuple(spec.name for spec in FIELDS if spec.exported)
MODEL_FIELDS = tuple(spec.name for spec in FIELDS if spec.asked_of_model)
MODEL_EDITS_AS_IS = tuple(spec.name for spec in FIELDS if spec.model_edits_as_is)
CONFIRMABLE_FIELDS = tuple(spec.name for spec in FIELDS if spec.confirmable)
