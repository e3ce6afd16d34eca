"""A listing agrees with itself after an edit; a request changes only what it asks; undo.

The seller sets the size, the condition or a defect, and the title and the description lines
that stated the old value follow (the description through the model, checked). A free-text
request about the price and a stain leaves what the seller set by hand alone. The last edit
can be undone, and undoing it again brings it back.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.drafts.editing import DraftEditor
from core.drafts.models import Draft, Listing
from core.drafts.parsing import EditRejected
from core.drafts.requests import _NAMES, keep_asked, named_fields
from core.models import Condition
from core.services import Services
from tests.conftest import core_services
from tests.fakes.openai import FakeOpenAIServer, Status
from tests.test_editing import analysed, edit_answer, id_of, new_editor, stored

SELLER = 4242


@pytest.fixture
async def services(ai: FakeOpenAIServer, tmp_path: Path) -> AsyncIterator[Services]:
    services = await core_services(ai, tmp_path / "data", openai_max_retries=0)
    yield services
    await services.close()


@pytest.fixture
def editor(services: Services) -> DraftEditor:
    return services.editor


async def zara(services: Services) -> Draft:
    draft = await analysed(services, hint="Zara taille M")
    assert draft.size == "M" and "M" in draft.title
    assert any("Taille : M" in line for line in draft.description.split("\n"))
    return draft


# ---- follow-through ------------------------------------------------------------------------


async def test_a_new_size_follows_into_the_title_and_the_description(
    services: Services, editor: DraftEditor, ai: FakeOpenAIServer
) -> None:
    draft = await zara(services)

    edited, change = await editor.set_field(SELLER, id_of(draft), "size", "38")

    assert edited.size == "38"
    assert "38" in edited.title and " M" not in edited.title
    lines = edited.description.split("\n")
    assert "Taille : 38." in lines and not any("Taille : M" in line for line in lines)
    # Only the line stating the size went to the model; every other line is word for word.
    [request] = ai.requests_named("rewrite")
    assert "Taille : M." in request.user_texts[-1]
    assert "Aucun défaut" not in request.user_texts[-1]
    unchanged = [line for line in draft.description.split("\n") if "Taille" not in line]
    assert [line for line in lines if "Taille" not in line] == unchanged
    assert ("title", draft.title, edited.title) in change.followed
    assert ("description", "Taille : M.", "Taille : 38.") in change.followed
    assert change.still_stated == []
    assert (await stored(services, draft)).description == edited.description


async def test_a_new_condition_rewrites_the_line_that_stated_the_old_one(
    services: Services, editor: DraftEditor
) -> None:
    draft = await zara(services)
    assert draft.condition is Condition.VERY_GOOD

    edited, change = await editor.set_field(SELLER, id_of(draft), "condition", "good")

    lines = edited.description.split("\n")
    assert not any("Très bon état" in line for line in lines)
    assert any(line.startswith("Bon état") for line in lines)
    assert any(f == "description" and "Très bon état" in b for f, b, _ in change.followed)


async def test_an_added_stain_rewrites_the_line_saying_there_is_none(
    services: Services, editor: DraftEditor, ai: FakeOpenAIServer
) -> None:
    draft = await zara(services)
    assert any("Aucun défaut" in line for line in draft.description.split("\n"))
    ai.script(edit_answer(add_defects=["Petite tache sur la manche"], summary="Tache ajoutée."))

    edited, changes, unapplied = await editor.free_text_edit(
        SELLER, id_of(draft), "il y a une petite tache sur la manche"
    )

    assert edited.defects == ["Petite tache sur la manche"]
    assert not any("Aucun défaut" in line for line in edited.description.split("\n"))
    assert "Petite tache sur la manche" in edited.description
    # One change for the seller (the defect), carrying the line that followed it.
    assert [c.field for c in changes] == ["defects"]
    assert [f for f, _, _ in changes[0].followed] == ["description"]
    assert unapplied == []


async def test_a_rewrite_the_checks_refuse_is_not_used_and_the_seller_is_told(
    services: Services, editor: DraftEditor, ai: FakeOpenAIServer
) -> None:
    draft = await zara(services)
    ai.script({"lines": ["Taille : 38.", "Livraison offerte !"]})  # two lines for one

    edited, change = await editor.set_field(SELLER, id_of(draft), "size", "38")

    assert edited.size == "38" and "38" in edited.title  # the title follows by rule
    assert edited.description == draft.description  # the description is not guessed at
    assert change.still_stated == ["Taille : M."]


async def test_an_unavailable_model_still_saves_the_size_and_says_what_is_left(
    services: Services, editor: DraftEditor, ai: FakeOpenAIServer
) -> None:
    draft = await zara(services)
    ai.script(Status(503))

    edited, change = await editor.set_field(SELLER, id_of(draft), "size", "38")

    assert (await stored(services, draft)).size == "38"
    assert change.still_stated == ["Taille : M."]
    assert edited.description == draft.description


async def test_a_title_the_seller_wrote_in_the_same_request_stands(
    services: Services, editor: DraftEditor, ai: FakeOpenAIServer
) -> None:
    draft = await zara(services)
    ai.script(edit_answer(size="L", title="Mon t-shirt préféré", summary="Taille L, titre."))

    edited, _, _ = await editor.free_text_edit(
        SELLER, id_of(draft), "taille L, titre : Mon t-shirt préféré"
    )

    assert edited.size == "L" and edited.title == "Mon t-shirt préféré"


# ---- a request changes only what it names ----------------------------------------------------


async def test_a_price_and_stain_request_keeps_what_the_seller_set_by_hand(
    services: Services, editor: DraftEditor, ai: FakeOpenAIServer
) -> None:
    draft = await zara(services)
    draft_id = id_of(draft)
    await editor.set_field(SELLER, draft_id, "title", "T-shirt Zara bleu ciel")
    await editor.set_field(SELLER, draft_id, "size", "L")
    await editor.set_field(SELLER, draft_id, "condition", "good")
    by_hand = await stored(services, draft)
    # The model's answer also brings back its own title, size and condition: not asked.
    ai.script(
        edit_answer(
            price_target=25,
            price_min=21,
            price_max=29,
            add_defects=["Petite tache"],
            title="T-shirt Zara M",
            size="M",
            condition="very_good",
            summary="Prix 25, tache.",
        )
    )

    edited, changes, _ = await editor.free_text_edit(
        SELLER, draft_id, "mets le prix à 25 et ajoute une petite tache"
    )

    assert edited.price is not None and edited.price.target == 25
    assert edited.defects == ["Petite tache"]
    assert edited.title == by_hand.title == "T-shirt Zara bleu ciel"
    assert edited.size == "L" and edited.condition is Condition.GOOD
    assert {c.field for c in changes} == {"price", "defects"}


async def test_a_stain_to_remove_that_is_not_there_is_said(
    services: Services, editor: DraftEditor, ai: FakeOpenAIServer
) -> None:
    draft = await zara(services)
    before = await stored(services, draft)
    ai.script(edit_answer(remove_defects=["tache"], summary="Tache retirée."))

    with pytest.raises(EditRejected) as refused:
        await editor.free_text_edit(SELLER, id_of(draft), "enlève la tache")

    [part] = refused.value.params["unapplied"]
    assert (part.field, part.reason, part.value) == ("defects", "defect_not_found", "tache")
    assert await stored(services, draft) == before


async def test_a_named_field_the_model_did_not_change_is_said(
    services: Services, editor: DraftEditor, ai: FakeOpenAIServer
) -> None:
    draft = await zara(services)
    ai.script(edit_answer(price_target=25, price_min=21, price_max=29, summary="Prix 25."))

    _, _, unapplied = await editor.free_text_edit(
        SELLER, id_of(draft), "prix 25 et la couleur en vert"
    )

    assert [(u.field, u.reason) for u in unapplied] == [("colours", "unchanged")]


_VALUES: dict[str, list[object]] = {
    "title": ["T-shirt Zara M", "Robe Mango 38"],
    "size": ["M", "L", "38"],
    "condition": [Condition.VERY_GOOD, Condition.GOOD],
    "brand": ["Zara", "Mango"],
    "material": ["Coton", "Laine"],
    "colours": [["Bleu"], ["Vert"]],
    "defects": [[], ["Petite tache"]],
}
_FIELDS = tuple(_VALUES)


def _listing(values: dict[str, object]) -> Listing:
    base = {
        "title": "T-shirt Zara M",
        "description": "T-shirt Zara.",
        "category": "women_tshirts",
    }
    return Listing.model_validate({**base, **values})


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=st.fixed_dictionaries({f: st.sampled_from(v) for f, v in _VALUES.items()}),
    after=st.fixed_dictionaries({f: st.sampled_from(v) for f, v in _VALUES.items()}),
    asked=st.lists(st.sampled_from(_FIELDS), max_size=3, unique=True),
)
def test_only_named_fields_change_whatever_the_model_answers(
    before: dict[str, object], after: dict[str, object], asked: list[str]
) -> None:
    """Property: a field changes only if the request names it or states its new value."""
    instruction = " et ".join(f"{_NAMES[f][0]} comme demandé" for f in asked) or "merci"
    old, new = _listing(before), _listing(after)

    kept, put_back = keep_asked(old, new, instruction, _FIELDS)

    assert named_fields(instruction) == set(asked)
    for name in _FIELDS:
        expected = new if name in asked else old  # asked: the model's value; else as it was
        assert getattr(kept, name) == getattr(expected, name), name
    assert set(put_back) == {n for n in _FIELDS if n not in asked and before[n] != after[n]}


# ---- undo ----------------------------------------------------------------------------------


async def test_an_edit_can_be_undone_and_the_undo_undone(
    services: Services, editor: DraftEditor
) -> None:
    draft = await zara(services)
    edited, _ = await editor.set_field(SELLER, id_of(draft), "size", "38")

    undone, changes = await editor.undo_edit(SELLER, id_of(draft))

    assert undone.size == "M" and undone.title == draft.title
    assert undone.description == draft.description
    assert {c.field for c in changes} >= {"size", "title", "description"}
    redone, _ = await editor.undo_edit(SELLER, id_of(draft))
    assert (redone.size, redone.title, redone.description) == (
        edited.size,
        edited.title,
        edited.description,
    )


async def test_an_undo_after_another_change_refuses_rather_than_lose_it(
    services: Services, editor: DraftEditor
) -> None:
    draft = await zara(services)
    await editor.set_field(SELLER, id_of(draft), "price", "25")
    # Another worker changed the draft meanwhile (it keeps no undo point of its own).
    await new_editor(services).set_field(SELLER, id_of(draft), "brand", "Mango")
    before = await stored(services, draft)

    with pytest.raises(EditRejected) as refused:
        await editor.undo_edit(SELLER, id_of(draft))

    assert refused.value.key == "undo_stale"
    assert await stored(services, draft) == before


async def test_nothing_to_undo_is_said(services: Services, editor: DraftEditor) -> None:
    draft = await zara(services)
    with pytest.raises(EditRejected) as refused:
        await editor.undo_edit(SELLER, id_of(draft))
    assert refused.value.key == "undo_unavailable"
    with pytest.raises(EditRejected) as other:
        await editor.undo_edit(5151, id_of(draft))  # not theirs: as if it did not exist
    assert other.value.key in ("undo_unavailable", "draft_not_found")
