"""One table says what each listing field is; the model's contract, the card, the edit menu,
the export and the store all follow it, so adding a field means adding it in one place."""

from __future__ import annotations

from bot import keyboards
from bot.texts import LANGUAGES
from core.analysis.schemas import DraftOut, EditOut, strict_schema
from core.db import Database
from core.drafts.export import CSV_COLUMNS
from core.drafts.fields import (
    BY_NAME,
    CARD_FACTS,
    EDITABLE_FIELDS,
    FIELDS,
    LISTING_FIELDS,
    MODEL_EDITS_AS_IS,
    MODEL_FIELDS,
)
from core.drafts.models import Listing

# What the model writes besides the listing's own fields.
DRAFT_EXTRAS = {"size_on_label", "confidence"}
EDIT_EXTRAS = {"add_defects", "remove_defects", "summary"}
PRICE = {"price_min", "price_target", "price_max"}


def columns_of(name: str) -> set[str]:
    return PRICE if BY_NAME[name].kind == "price" else {name}


def test_the_listing_model_is_the_table() -> None:
    assert tuple(Listing.model_fields) == LISTING_FIELDS == tuple(s.name for s in FIELDS)


def test_the_model_is_asked_for_exactly_the_fields_marked_so() -> None:
    asked = set(strict_schema(DraftOut)["properties"]) - DRAFT_EXTRAS
    assert asked == set().union(*(columns_of(n) for n in MODEL_FIELDS))
    editable_by_model = set(strict_schema(EditOut)["properties"]) - EDIT_EXTRAS
    assert set(MODEL_EDITS_AS_IS) <= editable_by_model
    # Defects are added and removed, the description rewritten: never set "as is".
    assert editable_by_model - set(MODEL_EDITS_AS_IS) == {"description", *PRICE}


def test_the_edit_menu_the_card_and_the_export_follow_the_table() -> None:
    assert [*EDITABLE_FIELDS, "cover"] == keyboards.EDIT_FIELDS
    for lang, texts in LANGUAGES.items():
        for name in EDITABLE_FIELDS:
            assert f"field_{name}" in texts, (lang, name)
        for name in CARD_FACTS:
            assert f"card_{name}" in texts, (lang, name)
    exported = [c for c in CSV_COLUMNS if c not in {"id", "status", "ready", "missing", "url"}]
    assert set(exported) - {"created"} == set().union(
        *(columns_of(s.name) for s in FIELDS if s.exported)
    )


async def test_the_store_has_a_column_for_every_field(db: Database) -> None:
    rows = await db.fetchall("SELECT name FROM pragma_table_info('drafts')")
    columns = {row["name"] for row in rows}
    for spec in FIELDS:
        wanted = {"price_min", "price_target", "price_max", "price_currency"}
        assert (wanted if spec.kind == "price" else {spec.name}) <= columns, spec.name
