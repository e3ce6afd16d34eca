"""Connecting a Vinted account and publishing from the chat, with real Chromium on the replica."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.texts import t
from core.drafts.models import DraftStatus
from tests.fakes.openai import FakeOpenAIServer
from tests.fakes.telegram import ChatMessage, FakeTelegram
from tests.fakes.vinted import FakeVinted
from tests.test_bot import SELLER, make_settings, photo, start_bot, stop_bot

pytestmark = pytest.mark.timeout(120)
VINTED_ID = 5_100_042


@dataclass
class Shop:
    tg: FakeTelegram
    ai: FakeOpenAIServer
    vinted: FakeVinted
    app: object
    services: object
    cookie_header: str


@pytest.fixture
async def shop(tmp_path: Path) -> AsyncIterator[Shop]:
    async with FakeTelegram() as tg, FakeOpenAIServer() as ai, FakeVinted() as vinted:
        cookies = vinted.add_account(user_id=VINTED_ID, login="camille_vend")
        header = "Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items())
        settings = make_settings(
            tg,
            ai,
            tmp_path,
            vinted_base_url=vinted.base_url,
            publish_tick_seconds=0.5,
            publish_min_interval_seconds=0,
            publish_jitter=0,
            secret_key="a test key that is long enough to be a key",
        )
        app, services = await start_bot(settings)
        try:
            yield Shop(tg, ai, vinted, app, services, header)
        finally:
            await stop_bot(app, services)  # type: ignore[arg-type]


async def connect(shop: Shop) -> ChatMessage:
    shop.tg.user_sends_command(SELLER, "/connect")
    help_ = await shop.tg.wait_for_message(SELLER, "cookies")
    pasted = shop.tg.user_sends_text(SELLER, shop.cookie_header)
    done = await shop.tg.wait_for_message(SELLER, "camille_vend", since=help_, timeout=60)
    message = shop.tg.message(SELLER, pasted["message_id"])
    assert message is None or message.deleted  # the cookies left the chat at once
    return done


async def test_connect_with_a_cookie_header_names_the_vinted_account(shop: Shop) -> None:
    await connect(shop)
    session = await shop.services.sessions.info(SELLER.id)  # type: ignore[attr-defined]
    assert session is not None and session.username == "camille_vend"
    stored = await shop.services.repos.sessions.get(SELLER.id)  # type: ignore[attr-defined]
    assert b"access_token_web" not in stored.encrypted  # encrypted at rest
    shop.tg.user_sends_command(SELLER, "/status")
    await shop.tg.wait_for_message(SELLER, "Dernière vérification")


async def test_connect_asks_the_seller_to_delete_the_cookies_when_telegram_would_not(
    shop: Shop,
) -> None:
    # A message older than 48 hours, or a chat where the bot may not delete: Telegram refuses.
    shop.tg.fail_next("deleteMessage", description="Bad Request: message can't be deleted")
    pasted = shop.tg.user_sends_text(SELLER, f"/connect {shop.cookie_header}")
    done = await shop.tg.wait_for_message(SELLER, "camille_vend", timeout=60)
    assert not shop.tg.message(SELLER, pasted["message_id"]).deleted  # type: ignore[union-attr]
    said = [m.content for m in shop.tg.messages(SELLER) if m.from_bot]
    assert not any("J'ai supprimé" in text for text in said)
    assert "supprimez-le vous-même" in done.content


async def test_connect_with_garbage_says_which_formats_are_expected(shop: Shop) -> None:
    shop.tg.user_sends_text(SELLER, "/connect bonjour je suis un chat")
    answer = await shop.tg.wait_for_message(SELLER, "JSON", timeout=30)
    assert "Cookie" in answer.content
    assert await shop.services.sessions.info(SELLER.id) is None  # type: ignore[attr-defined]


async def test_logged_out_cookies_are_refused_with_the_reason(shop: Shop) -> None:
    shop.vinted.set_switches(logged_out=True)
    shop.tg.user_sends_text(SELLER, "/connect " + shop.cookie_header)
    await shop.tg.wait_for_message(SELLER, "/connect", timeout=60)
    assert await shop.services.sessions.info(SELLER.id) is None  # type: ignore[attr-defined]


async def test_approved_draft_is_published_and_the_seller_gets_the_url(shop: Shop) -> None:
    await connect(shop)
    shop.tg.user_sends_photo(SELLER, photo(1), caption="Zara taille M")
    card = await shop.tg.wait_for(
        lambda: next(
            (m for m in shop.tg.messages(SELLER) if m.kind == "photo" and m.buttons), None
        ),
        timeout=30,
        what="the card",
    )
    shop.tg.user_presses(SELLER, card, "Valider")
    published = await shop.tg.wait_for_message(SELLER, "/items/", since=card, timeout=90)
    [item] = shop.vinted.items
    assert f"{shop.vinted.base_url}/items/{item.id}" in published.content
    [draft] = await shop.services.repos.drafts.page(SELLER.id, None)  # type: ignore[attr-defined]
    assert draft.status is DraftStatus.PUBLISHED and draft.publication.item_id == str(item.id)
    assert item.title == draft.title
    assert draft.price is not None and item.price == draft.price.target
    assert len(item.photos) == len(draft.photo_ids)
    card_now = shop.tg.message(SELLER, card.message_id)
    assert card_now is not None and "/items/" in card_now.caption
    shown = [  # the card's captions in turn: approved, publishing, published
        str(c.params.get("caption", ""))
        for c in shop.tg.calls("editMessageCaption")
        if str(c.params.get("message_id")) == str(card.message_id)
    ]
    publishing = [i for i, caption in enumerate(shown) if t("fr", "card_publishing") in caption]
    assert publishing and publishing[0] < len(shown) - 1 and "/items/" in shown[-1]


async def test_a_brand_vinted_does_not_offer_is_left_empty_and_the_seller_told(
    shop: Shop,
) -> None:
    shop.vinted.set_variant("no_custom_brand")  # the site takes no brand off its list
    await connect(shop)
    card = await first_card(shop)
    shop.tg.user_sends_text(SELLER, "marque Atelierbleu", reply_to=card.message_id)
    await shop.tg.wait_for(  # said on the card itself
        lambda: "-> Atelierbleu" in shop.tg.message(SELLER, card.message_id).caption,  # type: ignore[union-attr,operator]
        timeout=30,
        what="the card to note the new brand",
    )
    shop.tg.user_presses(SELLER, shop.tg.message(SELLER, card.message_id), "Valider")  # type: ignore[arg-type]
    published = await shop.tg.wait_for_message(SELLER, "/items/", since=card, timeout=90)

    [item] = shop.vinted.items
    assert item.brand_id is None and not item.brand
    assert "Laissé vide sur Vinted" in published.content
    assert "marque « Atelierbleu »" in published.content
    card_now = shop.tg.message(SELLER, card.message_id)
    assert card_now is not None and "marque « Atelierbleu »" in card_now.caption
    [draft] = await shop.services.repos.drafts.page(SELLER.id, None)  # type: ignore[attr-defined]
    assert draft.brand == "Atelierbleu"  # ours stays as the seller wrote it
    assert draft.publication.left_out == {"brand": "Atelierbleu"}


async def test_a_refused_field_is_told_in_french_with_what_to_do_and_the_buttons(
    shop: Shop,
) -> None:
    shop.vinted.set_variant("field_error")  # Vinted refuses the title, in its own words
    await connect(shop)
    card = await first_card(shop)
    shop.tg.user_presses(SELLER, card, "Valider")
    todo = t("fr", "todo_field", field=t("fr", "field_title"))
    told = await shop.tg.wait_for_message(SELLER, todo, since=card, timeout=90)

    assert t("fr", "reason_field_rejected") in told.content
    assert "the page" not in told.content and "kept" not in told.content  # none of our English
    labels = told.button_texts
    assert {t("fr", "btn_retry"), t("fr", "btn_edit"), t("fr", "btn_open_card")} <= set(labels)
    card_now = shop.tg.message(SELLER, card.message_id)
    assert card_now is not None and t("fr", "reason_field_rejected") in card_now.caption
    [draft] = await shop.services.repos.drafts.page(SELLER.id, None)  # type: ignore[attr-defined]
    assert draft.status is DraftStatus.FAILED and not shop.vinted.items


async def test_disconnect_forgets_the_session(shop: Shop) -> None:
    await connect(shop)
    shop.tg.user_sends_command(SELLER, "/disconnect")
    await shop.tg.wait_for_message(SELLER, "supprimée")
    assert await shop.services.sessions.info(SELLER.id) is None  # type: ignore[attr-defined]


async def first_card(shop: Shop) -> ChatMessage:
    shop.tg.user_sends_photo(SELLER, photo(5), caption="Zara taille M")
    return await shop.tg.wait_for(
        lambda: next(
            (m for m in shop.tg.messages(SELLER) if m.kind == "photo" and m.buttons), None
        ),
        timeout=30,
        what="the card",
    )


async def test_dry_run_fills_the_form_shows_it_and_publishes_nothing(shop: Shop) -> None:
    await connect(shop)
    card = await first_card(shop)
    [draft] = await shop.services.repos.drafts.page(SELLER.id, None)  # type: ignore[attr-defined]
    shop.tg.user_sends_text(SELLER, f"/dryrun {draft.id}")
    shot = await shop.tg.wait_for_message(SELLER, "Essai à blanc", since=card, timeout=90)
    assert shot.kind == "photo" and shot.data and shot.data[:4] == b"\x89PNG"
    assert shop.vinted.items == [] and shop.vinted.drafts == []


async def test_publish_at_keeps_a_draft_back_until_the_time(shop: Shop) -> None:
    card = await first_card(shop)
    [draft] = await shop.services.repos.drafts.page(SELLER.id, None)  # type: ignore[attr-defined]
    shop.tg.user_sends_text(SELLER, f"/at {draft.id} 23:59")
    await shop.tg.wait_for_message(SELLER, "validez-le", since=card)
    shop.tg.user_presses(SELLER, card, "Valider")
    await shop.tg.wait_for(
        lambda: "Validé" in (shop.tg.message(SELLER, card.message_id).caption or ""),  # type: ignore[union-attr]
        what="approved",
    )
    shop.tg.user_sends_text(SELLER, f"/at {draft.id} 23:59")
    answer = await shop.tg.wait_for_message(SELLER, "au plus tôt", since=card)
    assert "23:59" in answer.content
    view = await shop.app.bot_data["state"].queue.queue_view(SELLER.id)  # type: ignore[attr-defined]
    [entry] = view.entries
    assert entry.publish_at is not None and entry.publish_at.strftime("%M") == "59"


def test_times_the_seller_types_are_read_in_their_time_zone() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from bot.handlers.publishing import parse_when

    now = datetime(2026, 11, 27, 20, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert parse_when("18:30", now) == datetime(2026, 11, 28, 18, 30, tzinfo=now.tzinfo)
    assert parse_when("21h15", now) == datetime(2026, 11, 27, 21, 15, tzinfo=now.tzinfo)
    assert parse_when("02/01 09:00", now) == datetime(2027, 1, 2, 9, 0, tzinfo=now.tzinfo)
    assert parse_when("demain", now) is None and parse_when("25:00", now) is None


async def test_cookie_export_sent_as_a_json_file_connects(shop: Shop) -> None:
    import json

    shop.tg.user_sends_command(SELLER, "/connect")
    await shop.tg.wait_for_message(SELLER, "cookies")
    cookies = [
        {
            "name": k,
            "value": v,
            "domain": "127.0.0.1",
            "path": "/",
            "secure": False,
            "httpOnly": False,
            "sameSite": "lax",
            "expirationDate": 1900000000.5,
        }
        for k, v in (c.split("=", 1) for c in shop.cookie_header[len("Cookie: ") :].split("; "))
    ]
    sent = shop.tg.user_sends_document(
        SELLER, json.dumps(cookies).encode(), "cookies.json", "application/json"
    )
    await shop.tg.wait_for_message(SELLER, "camille_vend", timeout=60)
    assert shop.tg.downloads  # the file was read
    message = shop.tg.message(SELLER, sent["message_id"])
    assert message is None or message.deleted


async def test_a_header_pasted_later_keeps_the_http_only_flags_the_site_set(shop: Shop) -> None:
    import json

    pairs = [c.split("=", 1) for c in shop.cookie_header[len("Cookie: ") :].split("; ")]
    export = [
        {
            "name": k,
            "value": v,
            "domain": "127.0.0.1",
            "path": "/",
            "secure": False,
            "httpOnly": k in ("access_token_web", "refresh_token_web"),
            "sameSite": "lax",
        }
        for k, v in pairs
    ]
    shop.tg.user_sends_text(SELLER, "/connect " + json.dumps(export))
    first = await shop.tg.wait_for_message(SELLER, "camille_vend", timeout=60)
    # A Cookie header carries no flags: what the site set before must not be lost.
    shop.tg.user_sends_text(SELLER, f"/connect {shop.cookie_header}")
    await shop.tg.wait_for_message(SELLER, "camille_vend", since=first, timeout=60)

    stored = await shop.services.sessions.load(SELLER.id)  # type: ignore[attr-defined]
    flags = {c["name"]: c["httpOnly"] for c in stored}
    assert flags["access_token_web"] is flags["refresh_token_web"] is True
    assert flags["anon_id"] is False  # page scripts read it for the x-anon-id header
