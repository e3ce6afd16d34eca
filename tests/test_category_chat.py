"""The card shows the site's own category path, and asks the seller when nobody can choose."""

from __future__ import annotations

import pytest

from bot.texts import t
from core.drafts.models import DraftStatus
from core.marketplace import CatalogNode
from tests.fakes.telegram import ChatMessage
from tests.shop import Shop
from tests.standins import site_tree
from tests.test_bot import SELLER, photo

pytestmark = pytest.mark.timeout(60)

# A tree with no place for a t-shirt: neither our words nor the model can choose.
NO_TSHIRTS = [
    CatalogNode(
        7001,
        "Femmes",
        (
            CatalogNode(
                7002, "Vêtements", (CatalogNode(7003, "Robes"), CatalogNode(7004, "Jupes"))
            ),
        ),
    )
]


async def card_of(shop: Shop) -> ChatMessage:
    shop.tg.user_sends_photo(SELLER, photo(0), caption="Zara taille M")
    [card] = await shop.tg.wait_for(
        lambda: [m for m in shop.tg.messages(SELLER) if m.kind == "photo" and m.buttons],
        what="the draft card",
    )
    return card


def press(shop: Shop, card: ChatMessage, ending: str) -> None:
    button = next(b for b in card.buttons if (b.callback_data or "").endswith(ending))
    shop.tg.user_presses(SELLER, card, button.callback_data or "")


async def test_the_card_names_the_category_as_the_site_does(shop: Shop) -> None:
    await shop.services.catalogs.repo.save_tree(shop.services.catalogs.site, site_tree())

    card = await card_of(shop)

    assert "Femmes > Vêtements > Hauts et t-shirts > T-shirts" in card.content
    assert "à choisir" not in card.content


async def test_a_category_nobody_can_choose_is_asked_with_buttons_walking_the_tree(
    shop: Shop,
) -> None:
    await shop.services.catalogs.repo.save_tree(shop.services.catalogs.site, NO_TSHIRTS)
    card = await card_of(shop)
    assert "à choisir sur Vinted" in card.content

    press(shop, card, ":ap")
    roots = await shop.tg.wait_for(
        lambda: (
            (m := shop.tg.message(SELLER, card.message_id))
            and any((b.callback_data or "").endswith(":vca:7001") for b in m.buttons)
            and m
        ),
        what="the tree's roots",
    )
    press(shop, roots, ":vca:7001")
    level = await shop.tg.wait_for(
        lambda: (
            (m := shop.tg.message(SELLER, card.message_id))
            and any((b.callback_data or "").endswith(":vca:7002") for b in m.buttons)
            and m
        ),
        what="Femmes' children",
    )
    press(shop, level, ":vca:7002")
    leaves = await shop.tg.wait_for(
        lambda: (
            (m := shop.tg.message(SELLER, card.message_id))
            and any((b.callback_data or "").endswith(":vca:7004") for b in m.buttons)
            and m
        ),
        what="the leaves",
    )
    press(shop, leaves, ":vca:7004")

    # Choosing the leaf carries on approving: the press is answered once it is stored.
    await shop.tg.wait_for_call(
        "answerCallbackQuery", lambda c: c.params.get("text") == t("fr", "approved")
    )
    approved = shop.tg.message(SELLER, card.message_id)
    assert approved is not None and "Femmes > Vêtements > Jupes" in approved.content
    assert t("fr", "card_approved") in approved.content
    draft = await shop.draft()
    assert draft.status is DraftStatus.APPROVED
    assert "à choisir" not in approved.content
    choice = await shop.services.catalogs.choice_for(draft)
    assert choice is not None and choice.ids == (7001, 7002, 7004)
