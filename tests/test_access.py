"""Who gets in: strangers stay out even when their refusal fails; pairing is bounded and atomic."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.access import MAX_TRIES_IN_ALL, MAX_TRIES_PER_USER, OWNER_KEY, AccessControl, Pairing
from core.services import Repositories
from tests.fakes.openai import FakeOpenAIServer
from tests.fakes.telegram import FakeTelegram, User
from tests.test_bot import (
    SELLER,
    STRANGER,
    World,
    make_settings,
    photo,
    start_bot,
    stop_bot,
)

pytestmark = pytest.mark.timeout(60)
ANNE = User(id=7001, first_name="Anne", language_code="fr")
BRUNO = User(id=7002, first_name="Bruno", language_code="fr")


async def running(tmp_path: Path, **extra: object) -> AsyncIterator[World]:
    async with FakeTelegram() as tg, FakeOpenAIServer() as ai:
        settings = make_settings(tg, ai, tmp_path, **extra)
        app, services = await start_bot(settings)
        try:
            yield World(tg, ai, settings, app, services)
        finally:
            await stop_bot(app, services)


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    """The bot with its allow-list (the seller in, the stranger out)."""
    async for running_world in running(tmp_path):
        yield running_world


@pytest.fixture
async def pairing_world(tmp_path: Path) -> AsyncIterator[World]:
    """A bot nobody may use yet: it waits for `/start CODE`."""
    async for running_world in running(tmp_path, allowed_user_ids=[]):
        yield running_world


async def seller_card_arrives(world: World) -> None:
    """Let an allowed seller's album go all the way to its card (the stranger's update, sent
    before it, has been handled to its end by then)."""
    world.tg.user_sends_photo(SELLER, photo(2), caption="Zara taille M")
    await world.wait_cards(SELLER, 1)


@pytest.mark.parametrize(
    ("code", "description"),
    [
        (403, "Forbidden: bot was blocked by the user"),
        (429, "Too Many Requests: retry after 5"),
        (400, "Bad Request: message to reply not found"),
    ],
)
async def test_a_stranger_whose_refusal_fails_is_still_stopped(
    world: World, code: int, description: str
) -> None:
    parameters = {"retry_after": 5} if code == 429 else None
    world.tg.fail_next(
        "sendMessage",
        code=code,
        description=description,
        parameters=parameters,
        times=4 if code == 429 else 1,  # the rate limiter retries a 429 three times
    )
    world.tg.user_sends_photo(STRANGER, photo(5), caption="Zara taille M")
    await world.tg.wait_for_call("sendMessage", lambda c: c.status == code, timeout=30)
    await seller_card_arrives(world)

    assert world.tg.messages(STRANGER) == []
    assert len(world.tg.downloads) == 1  # the seller's photo only
    assert await world.services.repos.drafts.page(STRANGER.id) == []
    assert await world.services.repos.sellers.get(STRANGER.id) is None
    assert world.services.access.is_allowed(STRANGER.id) is False


async def test_a_stranger_pressing_a_button_is_stopped_when_the_answer_fails(
    world: World,
) -> None:
    await seller_card_arrives(world)
    [card] = world.cards(SELLER)
    world.tg.fail_next("answerCallbackQuery", description="Bad Request: query is too old")
    world.tg.user_presses(STRANGER, card, "Valider")  # on the seller's own card
    await world.tg.wait_for_call("answerCallbackQuery", lambda c: c.status == 400, timeout=30)
    world.tg.user_sends_photo(SELLER, photo(3), caption="Nike taille L")
    await world.wait_cards(SELLER, 2)
    drafts = await world.services.repos.drafts.page(SELLER.id)
    assert [d.status.value for d in drafts] == ["draft", "draft"]  # the tap approved nothing


async def test_pairing_takes_the_right_code_once_and_odd_codes_get_an_answer(
    pairing_world: World,
) -> None:
    world = pairing_world
    code = world.services.access.pairing_code
    assert code is not None and len(code) == 6
    world.tg.user_sends_text(ANNE, "/start ²²²²²²")  # digits that are not ASCII
    await world.tg.wait_for_message(ANNE, "pas le bon")
    world.tg.user_sends_text(ANNE, f"/start {code}")
    await world.tg.wait_for_message(ANNE, "propriétaire")
    world.tg.user_sends_text(BRUNO, f"/start {code}")
    await world.tg.wait_for_message(BRUNO, "privé")
    assert world.services.access.is_allowed(ANNE.id)
    assert not world.services.access.is_allowed(BRUNO.id)


async def test_two_right_codes_at_once_make_one_owner(pairing_world: World) -> None:
    world = pairing_world
    code = world.services.access.pairing_code
    world.tg.user_sends_text(ANNE, f"/start {code}")
    world.tg.user_sends_text(BRUNO, f"/start {code}")
    answers = [
        await world.tg.wait_for(lambda u=u: world.tg.messages(u), what=f"{u.first_name}'s answer")
        for u in (ANNE, BRUNO)
    ]
    texts = [m[-1].content for m in answers]
    assert sum("maintenant le propriétaire" in t for t in texts) == 1, texts
    assert sum("privé" in t for t in texts) == 1, texts  # "already has its owner: private"
    owner = await world.services.repos.sellers.get_meta(OWNER_KEY)
    assert owner in (str(ANNE.id), str(BRUNO.id))
    assert world.services.access.is_allowed(int(owner or 0))


async def test_guessing_the_code_is_cut_off_per_user_and_in_all(pairing_world: World) -> None:
    world = pairing_world
    code = world.services.access.pairing_code or ""
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(MAX_TRIES_PER_USER):
        world.tg.user_sends_text(ANNE, f"/start {wrong}")
    await world.tg.wait_for(
        lambda: len(world.tg.messages(ANNE)) >= MAX_TRIES_PER_USER, what="the wrong-code answers"
    )
    world.tg.user_sends_text(ANNE, f"/start {code}")  # right, but too late for Anne
    await world.tg.wait_for_message(ANNE, "Trop de codes")
    assert not world.services.access.is_allowed(ANNE.id)
    world.tg.user_sends_text(BRUNO, f"/start {code}")  # the code itself still holds for others
    await world.tg.wait_for_message(BRUNO, "maintenant le propriétaire")


async def test_past_the_overall_limit_the_code_is_spent(repos: Repositories) -> None:
    access = AccessControl(repos.sellers, [])
    code = await access.load()
    assert code is not None
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    results = [await access.pair(1000 + n, wrong) for n in range(MAX_TRIES_IN_ALL)]
    assert set(results) == {Pairing.WRONG}
    assert await access.pair(1, code) is Pairing.TOO_MANY  # even the right code, now
    assert access.owner is None and await repos.sellers.get_meta(OWNER_KEY) is None
    again = AccessControl(repos.sellers, [])
    assert await again.load() is not None  # a restart prints a new code


async def test_simultaneous_claims_in_one_process_pair_one(repos: Repositories) -> None:
    access = AccessControl(repos.sellers, [])
    code = await access.load() or ""
    results = await asyncio.gather(*(access.pair(2000 + n, code) for n in range(5)))
    assert results.count(Pairing.PAIRED) == 1
    assert access.owner == 2000 + results.index(Pairing.PAIRED)


async def test_start_says_when_the_allow_list_locks_out_the_paired_owner(
    repos: Repositories, caplog: pytest.LogCaptureFixture
) -> None:
    await repos.sellers.claim_meta(OWNER_KEY, "4242")
    with caplog.at_level(logging.WARNING, logger="core.access"):
        await AccessControl(repos.sellers, [1, 2]).load()
    said = [r.getMessage() for r in caplog.records]
    assert any("4242" in m and "ALLOWED_USER_IDS" in m for m in said), said
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="core.access"):
        await AccessControl(repos.sellers, [4242]).load()
    assert caplog.records == []


def ours_in_trouble(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """Return the bot's own errors and tracebacks (not asyncio's notes on earlier tests)."""
    return [
        r
        for r in caplog.records
        if r.name.startswith(("bot", "core", "telegram")) and (r.exc_info or r.levelno >= 40)
    ]


FORGED = [
    "cv:abc",
    "d:" + "9" * 60 + ":approve",
    "d:²:approve",
    "d:-1:approve",
    "d::approve",
    "l:x:next",
    "s:1:ul:xx",
    "p:²:resume",
    "b:" + "1" * 40 + ":cancel",
    "zz",
]


@pytest.mark.parametrize("data", FORGED)
async def test_forged_button_data_is_answered_politely_without_a_traceback(
    world: World, data: str, caplog: pytest.LogCaptureFixture
) -> None:
    await seller_card_arrives(world)
    [card] = world.cards(SELLER)
    with caplog.at_level(logging.WARNING):
        pressed = world.tg.user_presses(SELLER, card, data, strict=False)
        answer = await world.tg.wait_for(
            lambda: world.tg.callback_answer(pressed), what="the button's answer", timeout=15
        )
    assert answer.get("text"), answer  # a word for the seller, not a silent spinner
    assert ours_in_trouble(caplog) == []
    [draft] = await world.services.repos.drafts.page(SELLER.id)
    assert draft.status.value == "draft"


async def test_a_forged_cover_choice_on_the_sellers_own_card_changes_nothing(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    await seller_card_arrives(world)
    [card] = world.cards(SELLER)
    [before] = await world.services.repos.drafts.page(SELLER.id)
    for arg in ("abc", "9" * 60, "²"):
        with caplog.at_level(logging.WARNING):
            pressed = world.tg.user_presses(
                SELLER, card, f"d:{before.id}:cover:{arg}", strict=False
            )
            await world.tg.wait_for(
                lambda p=pressed: world.tg.callback_answer(p), what="an answer"
            )
    assert ours_in_trouble(caplog) == []
    [after] = await world.services.repos.drafts.page(SELLER.id)
    assert after.photo_ids == before.photo_ids
