"""A seller's own footer: lines such as "Envoi sous 24 h" at the end of every description they
publish, set in /settings, refused when they hold contact details, counted by the quality gates.

The rules on real-looking and hostile input first, then the seller's story through the bot.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.texts import t
from core.drafts.models import Draft, DraftStatus
from core.intake.models import Photo
from core.publishing.pacing import PublishingConfig
from core.quality import DESCRIPTION_MAX_CHARS, description_room, enforce
from core.quality.footer import (
    FOOTER_LINE_MAX,
    FooterRefused,
    footer_to_add,
    parse_footer,
    with_footer,
)
from core.sellers.models import SellerSettings
from core.vinted.mapping import form_for
from tests.fakes.openai import FakeOpenAIServer
from tests.fakes.telegram import FakeTelegram
from tests.shop import Shop
from tests.standins import StandInVinted, leaf_of
from tests.test_bot import SELLER, make_settings, photo, start_bot, stop_bot
from tests.test_lookalike import card_after
from tests.test_quality import listing

FOOTER = ["Envoi sous 24 h", "Lot possible"]

pytestmark = pytest.mark.timeout(60)


def refused(text: str) -> FooterRefused:
    with pytest.raises(FooterRefused) as caught:
        parse_footer(text)
    return caught.value


# ---- what the seller may type ------------------------------------------------------------------


def test_one_line_per_line_cleaned_blank_lines_and_emoji_dropped() -> None:
    typed = "  Envoi   sous 24 h 📦\n\n\n Lot possible \u200b\r\n"
    assert parse_footer(typed) == FOOTER


@pytest.mark.parametrize("typed", ["-", " - ", "—"])
def test_a_dash_removes_the_footer(typed: str) -> None:
    assert parse_footer(typed) is None


@pytest.mark.parametrize("typed", ["", "\n\n  \n", "📦 ✨", "\u200b\u202e"])
def test_nothing_visible_is_an_empty_footer(typed: str) -> None:
    assert refused(typed).reason == "empty"


def test_fifty_lines_are_refused_and_counted() -> None:
    exc = refused("\n".join(f"Ligne {n}" for n in range(50)))
    assert (exc.reason, exc.count) == ("too_many_lines", 50)


@pytest.mark.parametrize("length", [FOOTER_LINE_MAX + 1, 10_000])
def test_a_long_line_is_refused_never_cut(length: int) -> None:
    exc = refused("Envoi sous 24 h\n" + "a" * length)
    assert (exc.reason, exc.line) == ("line_too_long", 2)
    assert exc.count == min(length, 20 * FOOTER_LINE_MAX)
    assert parse_footer("a" * FOOTER_LINE_MAX) == ["a" * FOOTER_LINE_MAX]


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("Ma boutique : https://shop.example.org", "link"),
        ("Voir http://bit.ly/xyz", "link"),
        ("www.ma-boutique.fr", "link"),
        ("Suivez vinted.fr/member/123", "link"),
        ("Écrivez-moi : camille.vend@gmail.com", "email"),
        ("camille+vinted@orange.fr", "email"),
        ("Appelez le 06 12 34 56 78", "phone"),
        ("+33612345678", "phone"),
        ("06.12.34.56.78", "phone"),
        ("WhatsApp 0033 6 12 34 56 78", "phone"),
        ("Insta @camille_vend", "handle"),
        ("Lot #bundle", "hashtag"),
    ],
)
def test_contact_details_are_refused_with_the_line_that_holds_them(
    typed: str, reason: str
) -> None:
    exc = refused(f"Envoi sous 24 h\n{typed}")
    assert (exc.reason, exc.line) == (reason, 2)


@pytest.mark.parametrize(
    "line",
    [
        "Envoi sous 24 h",
        "Lot possible dès 3 articles, -10 %",
        "Taille M = 38, p.ex. lavage à 30°",
        "Envoi du lundi au vendredi, 7j/7 en été",
        "Article 2 sur 3 : voir mes autres annonces !",
    ],
)
def test_ordinary_lines_are_not_taken_for_contact_details(line: str) -> None:
    assert parse_footer(line) == [line]


def test_html_is_kept_as_plain_text() -> None:
    # Vinted's description is plain text: the line is published as typed, shown escaped.
    assert parse_footer("<b>Lot</b> possible & rapide") == ["<b>Lot</b> possible & rapide"]


# ---- stored in the seller's settings ------------------------------------------------------------


def test_the_settings_model_validates_the_footer() -> None:
    assert SellerSettings(footer=[" Envoi  sous 24 h ", ""]).footer == ["Envoi sous 24 h"]
    assert SellerSettings(footer=[]).footer is None
    with pytest.raises(ValidationError):
        SellerSettings(footer=["Appelez le 0612345678"])
    with pytest.raises(ValidationError):
        SellerSettings(footer=["a", "b", "c", "d"])


def test_a_stored_footer_that_no_longer_validates_is_dropped_alone() -> None:
    stored = SellerSettings.lenient({"footer": ["x" * 200], "publish_mode": "draft"})
    assert stored.footer is None and stored.publish_mode == "draft"


def test_the_footer_reaches_the_accounts_publishing_rules() -> None:
    config = PublishingConfig(data_dir=Path("."))
    settings = SellerSettings(footer=FOOTER)
    assert config.rules_for(settings.overrides()).footer == tuple(FOOTER)
    assert config.rules_for({}).footer == ()
    assert config.rules_for({"footer": ["www.x.com"]}).footer == ()  # ignored, not fatal


# ---- added once, at the end of the description --------------------------------------------------


def test_the_footer_follows_the_description_once() -> None:
    published = with_footer("Sweat Nike.\nTrès bon état.", FOOTER)
    assert published == "Sweat Nike.\nTrès bon état.\n\nEnvoi sous 24 h\nLot possible"
    assert with_footer(published, FOOTER) == published
    assert with_footer("Sweat.\nenvoi  SOUS 24 h\nLot possible\n", FOOTER).count("24 h") == 1
    assert with_footer("Sweat.", None) == with_footer("Sweat.", []) == "Sweat."
    assert footer_to_add("Sweat.\nLot possible", FOOTER) == FOOTER  # only part of it: added


def a_draft(description: str) -> Draft:
    ready = Draft(id=7, user_id=SELLER.id, batch_id=1, photo_ids=[1], language="fr")
    return ready.with_listing(listing(description=description))


def photos() -> list[Photo]:
    return [Photo(id=1, user_id=SELLER.id, batch_id=1, position=0, path="p.jpg", vision_path="v")]


def test_the_form_carries_description_footer_then_hashtags() -> None:
    draft = a_draft("Sweat Nike gris.\nTrès bon état.")
    form = form_for(draft, photos(), Path("/data"), leaf_of(draft.category), FOOTER)
    assert form.description == (
        "Sweat Nike gris.\nTrès bon état.\n\nEnvoi sous 24 h\nLot possible\n\n"
        + " ".join(draft.hashtags)
    )
    assert draft.description == "Sweat Nike gris.\nTrès bon état."  # the draft's own stays

    already = a_draft("Sweat Nike gris.\nTrès bon état.\n\nEnvoi sous 24 h\nLot possible")
    again = form_for(already, photos(), Path("/data"), leaf_of(already.category), FOOTER)
    assert again.description.count("Envoi sous 24 h") == 1


# ---- counted by the quality gates --------------------------------------------------------------


def long_description(length: int) -> str:
    text = "Sweat Nike gris chiné, logo brodé.\n"
    text += "Coton doux, coupe droite, pas de défaut visible. " * 60
    exact = text[: length - 1] + "."
    assert len(exact) == length
    return exact


def test_the_footer_counts_towards_the_description_limit() -> None:
    footer = ["Envoi sous 24 h, soigné"]
    room = description_room(footer)
    assert room == DESCRIPTION_MAX_CHARS - len("\n\nEnvoi sous 24 h, soigné")

    fits = enforce(listing(description=long_description(room)), footer=footer)
    assert "description_too_long" not in fits.missing and fits.publish_ready
    over = enforce(listing(description=long_description(room + 1)), footer=footer)
    assert "description_too_long" in over.missing and not over.publish_ready
    assert "description_too_long" in over.needs_model
    alone = enforce(listing(description=long_description(room + 1)))
    assert "description_too_long" not in alone.missing  # without the footer it fits


def test_a_footer_already_written_into_the_description_counts_once() -> None:
    footer = ["Envoi sous 24 h"]
    text = long_description(DESCRIPTION_MAX_CHARS - 20) + "\n\nEnvoi sous 24 h"
    assert len(text) <= DESCRIPTION_MAX_CHARS
    assert "description_too_long" not in enforce(listing(description=text), footer=footer).missing


def test_a_footer_never_stands_in_for_describing_the_item() -> None:
    report = enforce(listing(description="Sweat Nike."), footer=FOOTER)
    assert "description_invalid" in report.missing


# ---- the story, through the bot ----------------------------------------------------------------


def plain(html: str) -> str:
    return re.sub(r"</?[bi]>", "", html)


async def set_footer(shop: Shop, typed: str) -> None:
    """The seller opens /settings, presses Pied d'annonce… and types the lines."""
    tg = shop.tg
    asked = tg.user_sends_command(SELLER, "/settings")
    menu = await tg.wait_for_message(SELLER, "Pied d'annonce : aucun", since=asked)
    tg.user_presses(SELLER, menu, t("fr", "btn_footer"))
    prompt = await tg.wait_for_message(SELLER, "Votre pied d'annonce", since=menu)
    assert "3 lignes de 60 caractères" in prompt.content
    tg.user_sends_text(SELLER, typed)


async def test_the_seller_sets_a_footer_and_the_published_listing_ends_with_it(
    shop: Shop,
) -> None:
    tg = shop.tg
    await set_footer(shop, "Envoi sous 24 h\nMon site : www.camille-vend.fr")
    refusal = t("fr", "footer_link", line=2)
    said = await tg.wait_for_message(SELLER, refusal)
    tg.user_sends_text(SELLER, "Envoi sous 24 h 📦\n\nLot possible")  # still waited for
    saved = await tg.wait_for_message(SELLER, "Pied d'annonce enregistré", since=said)
    assert "Envoi sous 24 h\nLot possible" in saved.content
    assert (await shop.services.sellers.footer(SELLER.id)) == FOOTER

    card = await card_after(shop, SELLER, photo(3))
    assert plain(t("fr", "card_footer", footer="Envoi sous 24 h · Lot possible")) in card.content
    approve = next(b for b in card.buttons if (b.callback_data or "").endswith(":ap"))
    tg.user_presses(SELLER, card, approve.callback_data or "")
    await tg.wait_for_call("answerCallbackQuery")
    await shop.state.queue.tick()  # unless the bot's own first tick took it already
    await tg.wait_for(lambda: shop.vinted.listings, what="the listing on Vinted")

    [listed] = shop.vinted.listings
    [draft] = await shop.services.repos.drafts.page(SELLER.id, [DraftStatus.PUBLISHED])
    assert listed.description.startswith(draft.description + "\n\nEnvoi sous 24 h\nLot possible")
    assert listed.description.count("Lot possible") == 1
    assert listed.description.endswith(" ".join(draft.hashtags))
    assert "Lot possible" not in draft.description  # the draft's own text stays the model's

    menu = tg.user_sends_command(SELLER, "/settings")
    shown = await tg.wait_for_message(SELLER, "Pied d'annonce : Envoi sous 24 h", since=menu)
    tg.user_presses(SELLER, shown, t("fr", "btn_footer_remove"))
    await tg.wait_for(
        lambda: (
            "Pied d'annonce : aucun" in (tg.message(SELLER, shown.message_id) or shown).content
        ),
        what="the settings without a footer",
    )
    assert await shop.services.sellers.footer(SELLER.id) == []


async def test_a_footer_that_makes_a_draft_too_long_is_saved_and_the_seller_told(
    ai_shop: tuple[Shop, FakeOpenAIServer],
) -> None:
    shop, ai = ai_shop
    tg = shop.tg
    lines = [f"Détail {n} : coton doux, coupe droite, aucun défaut visible." for n in range(33)]
    assert DESCRIPTION_MAX_CHARS - 70 < len("\n".join(lines)) <= DESCRIPTION_MAX_CHARS
    ai.set_default_draft(description=lines)  # the model writes this for every item
    card = await card_after(shop, SELLER, photo(5))
    [draft] = await shop.services.repos.drafts.page(SELLER.id)
    assert draft.publish_ready and draft.description == "\n".join(lines)

    await set_footer(shop, "Envoi soigné sous 24 h\nLot possible, remise dès 3 articles")
    told = t("fr", "footer_drafts_too_long", count=1, max="2 000")
    await tg.wait_for_message(SELLER, told)
    [after] = await shop.services.repos.drafts.page(SELLER.id)
    assert not after.publish_ready and "description_too_long" in after.missing

    def card_says(needle: str) -> bool:
        return needle in (tg.message(SELLER, card.message_id) or card).content

    too_long = t("fr", "missing_description_too_long")
    await tg.wait_for(lambda: card_says(too_long), what="the card saying it is too long")

    asked = tg.user_sends_command(SELLER, "/settings")
    menu = await tg.wait_for_message(SELLER, "Pied d'annonce : Envoi soigné", since=asked)
    tg.user_presses(SELLER, menu, t("fr", "btn_footer_remove"))
    await tg.wait_for(lambda: not card_says(too_long), what="the card ready again")
    [ready] = await shop.services.repos.drafts.page(SELLER.id)
    assert ready.publish_ready


@pytest.fixture
async def ai_shop(tmp_path: Path) -> AsyncIterator[tuple[Shop, FakeOpenAIServer]]:
    """The shop, with a hand on the fake model's answers."""
    async with FakeTelegram() as tg, FakeOpenAIServer() as ai:
        vinted = StandInVinted()
        settings = make_settings(tg, ai, tmp_path, publish_tick_seconds=3600)
        app, services = await start_bot(settings, marketplace=vinted)  # type: ignore[arg-type]
        try:
            yield Shop(tg, app, services, vinted), ai
        finally:
            await stop_bot(app, services)
