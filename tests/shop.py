"""A seller's shop for chat stories: the real bot, the fake Telegram and AI, and a stand-in
marketplace (fast, no browser), with the seller's session stored. Used as the `shop` fixture."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.state import BotState
from core.drafts.models import Draft
from core.services import Services
from tests.fakes.openai import FakeOpenAIServer
from tests.fakes.telegram import FakeTelegram
from tests.standins import StandInVinted
from tests.test_bot import SELLER, make_settings, start_bot, stop_bot

VINTED_MEMBER = 9111


@dataclass
class Shop:
    tg: FakeTelegram
    app: Application  # type: ignore[type-arg]
    services: Services
    vinted: StandInVinted

    @property
    def state(self) -> BotState:
        state: BotState = self.app.bot_data["state"]
        return state

    async def draft(self) -> Draft:
        [draft] = await self.services.repos.drafts.page(SELLER.id, None)
        return draft


@pytest.fixture
async def shop(tmp_path: Path) -> AsyncIterator[Shop]:
    async with FakeTelegram() as tg, FakeOpenAIServer() as ai:
        vinted = StandInVinted()
        settings = make_settings(
            tg,
            ai,
            tmp_path,
            publish_tick_seconds=3600,  # the test ticks the queue itself
            publish_min_interval_seconds=0,
            publish_jitter=0,
        )
        app, services = await start_bot(settings, marketplace=vinted)  # type: ignore[arg-type]
        try:
            await services.sessions.save(
                SELLER.id,
                [
                    {"name": "access_token_web", "value": "a", "domain": ".vinted.fr"},
                    {"name": "v_uid", "value": str(VINTED_MEMBER), "domain": ".vinted.fr"},
                ],
                username="camille_vend",
                account_id=str(VINTED_MEMBER),
            )
            yield Shop(tg, app, services, vinted)
        finally:
            await stop_bot(app, services)
