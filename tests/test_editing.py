"""The seller edits, approves, takes back and deletes drafts from the chat."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from core.catalog import search_categories
from core.drafts.editing import ApproveOutcome, DraftEditor
from core.drafts.models import Draft, DraftStatus
from core.drafts.parsing import (
    EditRejected,
    parse_brand,
    parse_category,
    parse_colours,
    parse_condition,
    parse_price,
    parse_size,
)
from core.intake.models import Batch
from core.models import Condition, GroupingMode, Price
from core.services import Services
from tests.conftest import CLOTHES, core_services
from tests.fakes.openai import Delay, FakeOpenAIServer, Status
from tests.helpers import claim, publish

SELLER = 4242
OTHER = 5151


@pytest.fixture
async def services(ai: FakeOpenAIServer, tmp_path: Path) -> AsyncIterator[Services]:
    # A scripted failure fails at once, without a backoff wait.
    services = await core_services(ai, tmp_path / "data", openai_max_retries=0)
    yield services
    await services.close()


def new_editor(services: Services) -> DraftEditor:
    """Another editor over the same services, as a second worker would have."""
    return DraftEditor(
        services.repos.drafts, services.drafting, services.analyser, services.repos.events
    )


@pytest.fixture
def editor(services: Services) -> DraftEditor:
    return services.editor


async def analysed(
    services: Services, *, hint: str | None = None, user_id: int = SELLER, photo: int = 0
) -> Draft:
    """Send one photo with an optional caption and return the draft the analysis wrote."""
    drafting = services.drafting
    batch = await services.intake.start_batch(user_id, hint=hint)
    path = CLOTHES[photo]
    await services.intake.add_photo(batch, path.read_bytes(), path.name)
    assert batch.id is not None
    await services.intake.close_batch(batch.id)
    [draft] = await drafting.analyse_batch(batch.id)
    assert draft.id is not None
    return draft


def id_of(row: Draft | Batch) -> int:
    assert row.id is not None
    return row.id


async def stored(services: Services, draft: Draft) -> Draft:
    found = await services.repos.drafts.get(id_of(draft))
    assert found is not None
    return found


# ---- typed values ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "price"),
    [
        ("25", 25.0),
        ("25,50", 25.5),
        ("25.5", 25.5),
        ("25.5 EUR", 25.5),
        ("25 €", 25.0),
        ("€25", 25.0),
        (" 12,5 € ", 12.5),
        ("1 200 euros", 1200.0),
    ],
)
def test_prices_are_read_the_way_sellers_type_them(typed: str, price: float) -> None:
    assert parse_price(typed) == price


@pytest.mark.parametrize("typed", ["0", "0,00", "-5", "vingt", "25 dollars", "100001", "1.200"])
def test_nonsense_or_impossible_prices_are_refused(typed: str) -> None:
    with pytest.raises(EditRejected) as refused:
        parse_price(typed)
    assert refused.value.key == "price_invalid"
    assert refused.value.params["max"] == 100_000


def test_colours_brand_size_condition_and_category_are_read_or_refused() -> None:
    assert parse_colours("bleu et blanc") == ["bleu", "blanc"]
    assert parse_colours("Navy and white") == ["Navy", "white"]
    assert parse_colours("schwarz und rot") == ["schwarz", "rot"]
    assert parse_colours("violet") == ["violet"]  # "et" inside a word is not a separator
    with pytest.raises(EditRejected) as three:
        parse_colours("rouge, vert et bleu")
    assert (three.value.key, three.value.params) == ("too_many_colours", {"count": 3, "max": 2})

    for none in ("-", "aucune", "None", "no brand", "keine", "Aucune marque"):
        assert parse_brand(none) is None
    assert parse_brand("  Petit  Bateau ") == "Petit Bateau"

    assert parse_size("  W32 L34 ") == "W32 L34"
    with pytest.raises(EditRejected) as long_size:
        parse_size("taille unique mais taille grand")
    assert long_size.value.key == "size_too_long"

    assert parse_condition("very_good") is Condition.VERY_GOOD
    with pytest.raises(EditRejected) as condition:
        parse_condition("comme neuf")
    assert condition.value.key == "condition_unknown"

    assert parse_category("men_jeans") == "men_jeans"
    with pytest.raises(EditRejected) as category:
        parse_category("men_spacesuits")
    assert category.value.key == "category_unknown"


def test_the_category_picker_finds_categories_by_words_of_their_path() -> None:
    assert [c.id for c in search_categories("jean homme", "fr")] == ["men_jeans"]
    assert [c.id for c in search_categories("debardeur", "fr")] == ["women_tops"]
    assert [c.id for c in search_categories("ECHARPES", "fr")][:2] == [
        "men_scarves",
        "women_scarves",
    ]
    assert search_categories("t-shirt femme", "fr")[0].id == "women_tshirts"
    assert search_categories("trainers men", "en")[0].id == "men_sneakers"
    assert search_categories("xyzzy", "fr") == []


# ---- field edits -------------------------------------------------------------------------------


async def test_price_typed_with_a_comma_sets_the_target_with_a_range_around_it(
    services: Services, editor: DraftEditor
) -> None:
    draft = await analysed(services, hint="Zara taille M")
    assert draft.price is not None and draft.price.target != 25.5

    edited, change = await editor.set_field(SELLER, id_of(draft), "price", "25,50")

    # About -15% / +15% on round prices.
    assert edited.price == Price(min=19.5, target=25.5, max=29.0)
    assert (change.field, change.after) == ("price", "25.5")
    assert change.before == f"{draft.price.target:g}"
    assert not change.unapproved
    assert (await stored(services, draft)).price == edited.price
    assert edited.publish_ready


async def test_a_title_of_83_characters_is_refused_with_its_length(
    services: Services, editor: DraftEditor
) -> None:
    draft = await analysed(services, hint="Zara taille M")
    title = "Robe longue Zara taille M fleurie bleue et blanche manches courtes, coupe évasée"
    title += " ok"
    assert len(title) == 83

    with pytest.raises(EditRejected) as refused:
        await editor.set_field(SELLER, id_of(draft), "title", title)

    assert refused.value.key == "title_too_long"
    assert refused.value.params == {"count": 83, "max": 70}
    assert (await stored(services, draft)).title == draft.title


async def test_confirming_the_size_clears_it_and_makes_the_draft_ready(
    services: Services, editor: DraftEditor
) -> None:
    draft = await analysed(services)  # no caption: the size label was not readable
    assert draft.to_confirm == ["size"] and not draft.publish_ready

    edited, change = await editor.confirm(SELLER, id_of(draft), "size", " M ")

    assert edited.size == "M" and edited.to_confirm == []
    assert edited.publish_ready and edited.missing == []
    assert (change.before, change.after) == ("Taille non visible", "M")
    assert (await stored(services, draft)).to_confirm == []


async def test_brand_none_clears_it_and_colours_are_replaced(
    services: Services, editor: DraftEditor
) -> None:
    draft = await analysed(services, hint="Zara taille M")

    no_brand, change = await editor.set_field(SELLER, id_of(draft), "brand", "aucune")
    colours, _ = await editor.set_field(SELLER, id_of(draft), "colours", "noir et blanc")

    assert no_brand.brand is None and (change.before, change.after) == ("Zara", "")
    assert colours.colours == ["noir", "blanc"] and colours.brand is None


async def test_the_seller_picks_another_photo_as_cover(
    services: Services, editor: DraftEditor
) -> None:
    drafting = services.drafting
    batch = await services.intake.start_batch(SELLER, mode=GroupingMode.ONE, hint="Zara taille M")
    for path in CLOTHES[3:6]:
        await services.intake.add_photo(batch, path.read_bytes(), path.name)
    await services.intake.close_batch(id_of(batch))
    [draft] = await drafting.analyse_batch(id_of(batch))
    first, second, third = draft.photo_ids
    await editor.approve(SELLER, id_of(draft))

    updated = await editor.set_cover(SELLER, id_of(draft), 2)

    assert updated.photo_ids == [third, first, second]
    assert (await stored(services, draft)).photo_ids == [third, first, second]
    assert updated.status is DraftStatus.DRAFT  # buyers see a new first photo: approve again
    with pytest.raises(EditRejected) as refused:
        await editor.set_cover(SELLER, id_of(draft), 3)
    assert (refused.value.key, refused.value.params) == (
        "photo_not_found",
        {"number": 4, "count": 3},
    )


# ---- approving ---------------------------------------------------------------------------------


async def test_approving_a_draft_with_gaps_lists_what_is_missing(
    services: Services, editor: DraftEditor
) -> None:
    draft = await services.repos.drafts.add(
        Draft(
            user_id=SELLER,
            title="Robe Zara",
            category="women_dresses",
            size="38",
            condition=Condition.GOOD,
            price=Price(min=12, target=15, max=18),
        )
    )

    result = await editor.approve(SELLER, id_of(draft))

    assert result.outcome is ApproveOutcome.NOT_READY
    assert result.missing == ["description_missing", "hashtags_invalid"]
    assert (await stored(services, draft)).status is DraftStatus.DRAFT


async def test_approve_asks_to_confirm_size_then_condition_before_approving(
    services: Services, editor: DraftEditor, ai: FakeOpenAIServer
) -> None:
    ai.set_default_draft(condition=None)  # the photos did not show the condition either
    draft = await analysed(services)

    asked = await editor.approve(SELLER, id_of(draft))
    assert asked.outcome is ApproveOutcome.NEEDS_CONFIRMATION
    assert asked.to_confirm == ["size", "condition"]
    assert (await stored(services, draft)).status is DraftStatus.DRAFT

    await editor.confirm(SELLER, id_of(draft), "size", "S")
    still = await editor.approve(SELLER, id_of(draft))
    assert still.to_confirm == ["condition"]
    await editor.confirm(SELLER, id_of(draft), "condition", Condition.GOOD)
    approved = await editor.approve(SELLER, id_of(draft))

    assert approved.outcome is ApproveOutcome.APPROVED
    assert approved.draft.status is DraftStatus.APPROVED
    assert approved.draft.condition is Condition.GOOD and approved.draft.size == "S"


async def test_approving_twice_says_already_approved(
    services: Services, editor: DraftEditor
) -> None:
    draft = await analysed(services, hint="Zara taille M")

    first = await editor.approve(SELLER, id_of(draft))
    second = await editor.approve(SELLER, id_of(draft))

    assert first.outcome is ApproveOutcome.APPROVED
    assert second.outcome is ApproveOutcome.ALREADY
    assert (await stored(services, draft)).approved_at is not None


async def test_simultaneous_presses_approve_exactly_once(services: Services) -> None:
    draft = await analysed(services, hint="Zara taille M")
    # Two editors share no lock (like two workers): only the store's compare-and-set decides.
    editors = [new_editor(services) for _ in range(2)]

    results = await asyncio.gather(
        *(e.approve(SELLER, id_of(draft)) for e in [*editors, *editors])
    )

    outcomes = sorted(r.outcome.value for r in results)
    assert outcomes == ["already", "already", "already", "approved"]
    assert (await stored(services, draft)).status is DraftStatus.APPROVED


async def test_undo_takes_an_approved_draft_back_and_it_can_be_approved_again(
    services: Services, editor: DraftEditor
) -> None:
    draft = await analysed(services, hint="Zara taille M")
    await editor.approve(SELLER, id_of(draft))

    undone = await editor.undo_approve(SELLER, id_of(draft))

    assert undone.status is DraftStatus.DRAFT
    assert (await stored(services, draft)).approved_at is None
    again = await editor.approve(SELLER, id_of(draft))
    assert again.outcome is ApproveOutcome.APPROVED


async def test_nothing_changes_once_the_publisher_took_the_draft(
    services: Services, editor: DraftEditor
) -> None:
    draft = await analysed(services, hint="Zara taille M")
    await editor.approve(SELLER, id_of(draft))
    await claim(services.repos, await stored(services, draft))
    before = await stored(services, draft)
    draft_id = id_of(draft)

    attempts: list[Callable[[], Awaitable[object]]] = [
        lambda: editor.undo_approve(SELLER, draft_id),
        lambda: editor.set_field(SELLER, draft_id, "price", "20"),
        lambda: editor.free_text_edit(SELLER, draft_id, "prix 20"),
        lambda: editor.regenerate(SELLER, draft_id, None),
        lambda: editor.delete(SELLER, draft_id),
    ]
    for attempt in attempts:
        with pytest.raises(EditRejected) as refused:
            await attempt()
        assert refused.value.key == "not_editable"
        assert refused.value.params == {"status": "publishing"}
    assert await stored(services, draft) == before
    assert (await editor.approve(SELLER, id_of(draft))).outcome is ApproveOutcome.ALREADY


async def test_editing_an_approved_draft_takes_it_back_to_draft(
    services: Services, editor: DraftEditor
) -> None:
    draft = await analysed(services, hint="Zara taille M")
    await editor.approve(SELLER, id_of(draft))

    edited, change = await editor.set_field(SELLER, id_of(draft), "brand", "Mango")

    assert edited.status is DraftStatus.DRAFT and edited.brand == "Mango"
    assert change.unapproved
    assert (await stored(services, draft)).approved_at is None


async def test_another_sellers_draft_is_never_found(
    services: Services, editor: DraftEditor, ai: FakeOpenAIServer
) -> None:
    draft = await analysed(services, hint="Zara taille M")
    before = await stored(services, draft)
    draft_id = id_of(draft)
    attempts: list[Callable[[], Awaitable[object]]] = [
        lambda: editor.set_field(OTHER, draft_id, "price", "1"),
        lambda: editor.confirm(OTHER, draft_id, "size", "XL"),
        lambda: editor.free_text_edit(OTHER, draft_id, "prix 1"),
        lambda: editor.approve(OTHER, draft_id),
        lambda: editor.undo_approve(OTHER, draft_id),
        lambda: editor.regenerate(OTHER, draft_id, "autre chose"),
        lambda: editor.delete(OTHER, draft_id),
    ]
    for attempt in attempts:
        with pytest.raises(EditRejected) as refused:
            await attempt()
        assert refused.value.key == "draft_not_found"
    assert await stored(services, draft) == before
    assert ai.requests_named("edit") == []  # nothing of the draft reached the model either


# ---- free-text edits ---------------------------------------------------------------------------


def edit_answer(**changes: object) -> dict[str, object]:
    """Return an edit as the model writes it: every field null unless changed."""
    answer: dict[str, object] = dict.fromkeys(
        (
            "title",
            "description",
            "hashtags",
            "brand",
            "category",
            "size",
            "condition",
            "colours",
            "material",
            "measurements",
            "price_min",
            "price_target",
            "price_max",
        )
    )
    return {**answer, "add_defects": [], "remove_defects": [], "summary": "", **changes}


async def test_free_text_changes_the_price_and_adds_a_defect(
    services: Services, editor: DraftEditor, ai: FakeOpenAIServer
) -> None:
    draft = await analysed(services, hint="Zara taille M")
    assert draft.price is not None and draft.defects == []
    ai.script(
        edit_answer(
            price_target=25,
            price_min=21.25,
            price_max=28.75,
            add_defects=["Petite tache sur la manche"],
            summary="Prix passé à 25 EUR, tache sur la manche ajoutée.",
        )
    )

    edited, changes, unapplied = await editor.free_text_edit(
        SELLER,
        id_of(draft),
        "prix 25, ajoute une petite tache sur la manche",
    )

    [request] = ai.requests_named("edit")
    assert "prix 25, ajoute une petite tache sur la manche" in request.user_texts[-1]
    assert edited.price is not None and edited.price.target == 25
    assert edited.price.min <= 25 <= edited.price.max
    assert edited.defects == ["Petite tache sur la manche"]
    # In card order (core.drafts.fields): the price comes before the facts.
    assert [(c.field, c.before, c.after) for c in changes] == [
        ("price", f"{draft.price.target:g}", "25"),
        ("defects", "", "Petite tache sur la manche"),
    ]
    assert edited.status is DraftStatus.DRAFT and edited.publish_ready
    assert edited.usage.total_tokens > draft.usage.total_tokens
    assert (await stored(services, draft)).defects == ["Petite tache sur la manche"]


async def test_free_text_edit_of_an_approved_draft_needs_a_new_approval(
    services: Services, editor: DraftEditor, ai: FakeOpenAIServer
) -> None:
    draft = await analysed(services, hint="Zara taille M")
    await editor.approve(SELLER, id_of(draft))
    ai.script(edit_answer(size="L", summary="Taille L."))

    edited, changes, unapplied = await editor.free_text_edit(SELLER, id_of(draft), "c'est un L")

    assert [(c.field, c.after, c.unapproved) for c in changes] == [("size", "L", True)]
    assert edited.status is DraftStatus.DRAFT


async def test_a_request_the_model_did_not_understand_changes_nothing(
    services: Services, editor: DraftEditor
) -> None:
    draft = await analysed(services, hint="Zara taille M")
    before = await stored(services, draft)

    with pytest.raises(EditRejected) as refused:
        # The fake model understands prices, sizes, titles, brands and defects, not this.
        await editor.free_text_edit(SELLER, id_of(draft), "rends-la plus jolie")

    assert refused.value.key == "nothing_to_edit"
    assert refused.value.params["summary"] == "Aucune modification comprise."
    assert await stored(services, draft) == before
    [event] = await services.repos.events.list(SELLER, kinds=["edit_not_understood"])
    assert event.data["tokens"] > 0


async def test_an_unavailable_model_leaves_the_draft_as_it_was(
    services: Services, editor: DraftEditor, ai: FakeOpenAIServer
) -> None:
    draft = await analysed(services, hint="Zara taille M")
    before = await stored(services, draft)
    ai.script(Status(503))

    with pytest.raises(EditRejected) as refused:
        await editor.free_text_edit(SELLER, id_of(draft), "prix 12")

    assert refused.value.key == "ai_unavailable"
    assert await stored(services, draft) == before


# ---- regenerate and delete ---------------------------------------------------------------------


async def test_regenerate_with_a_hint_rewrites_the_same_draft(
    services: Services, editor: DraftEditor
) -> None:
    draft = await analysed(services)
    assert draft.brand is None

    again = await editor.regenerate(SELLER, id_of(draft), "  jean Levi's taille 32 ")

    assert again.id == draft.id and again.photo_ids == draft.photo_ids
    assert again.brand == "Levi's" and again.size == "32" and again.category == "women_jeans"
    assert again.hint == "jean Levi's taille 32"
    assert again.usage.total_tokens > draft.usage.total_tokens

    await editor.approve(SELLER, id_of(draft))
    with pytest.raises(EditRejected) as refused:
        await editor.regenerate(SELLER, id_of(draft), None)
    assert refused.value.key == "not_editable"


async def test_delete_removes_drafts_but_not_one_being_published(
    services: Services, editor: DraftEditor
) -> None:
    plain = await analysed(services, hint="Zara taille M", photo=0)
    approved = await analysed(services, hint="Zara taille M", photo=1)
    published = await analysed(services, hint="Zara taille M", photo=2)
    await editor.approve(SELLER, id_of(approved))
    await publish(services.repos, published)

    for draft in (plain, approved, published):
        assert await editor.delete(SELLER, id_of(draft))
        assert await services.repos.drafts.get(id_of(draft)) is None
    with pytest.raises(EditRejected) as again:
        await editor.delete(SELLER, id_of(plain))
    assert again.value.key == "draft_not_found"


async def test_an_edit_loses_to_the_publisher_claiming_the_draft_meanwhile(
    services: Services, editor: DraftEditor, ai: FakeOpenAIServer
) -> None:
    draft = await analysed(services, hint="Zara taille M")
    await editor.approve(SELLER, id_of(draft))
    before = await stored(services, draft)
    ai.script(Delay(0.5), edit_answer(price_target=12, summary="Prix 12 EUR."))

    async def publisher_claims() -> bool:
        await claim(services.repos, before)
        return True

    # The editor reads the approved draft first (the store serves its queries in order), then
    # the publisher claims it while the model is still answering.
    edit = asyncio.gather(
        editor.free_text_edit(SELLER, id_of(draft), "prix 12"),
        publisher_claims(),
        return_exceptions=True,
    )
    refused, claimed = await edit

    assert claimed is True
    assert isinstance(refused, EditRejected) and refused.key == "not_editable"
    assert len(ai.requests_named("edit")) == 1  # the edit was under way when the claim came
    after = await stored(services, draft)
    assert after.status is DraftStatus.PUBLISHING
    assert after.price == before.price
