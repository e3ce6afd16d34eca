"""What every handler reaches: the services and the bot's own helpers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from telegram import Update
from telegram.ext import ContextTypes

from bot.texts import ui_language
from core.access import AccessControl
from core.config import Settings
from core.editing import DraftEditor
from core.publishing import PublishingQueue
from core.services import Services
from core.store import User

if TYPE_CHECKING:
    from bot.intake import Intake
    from bot.sender import Sender


@dataclass
class BotState:
    """Held in application.bot_data["state"]."""

    settings: Settings
    services: Services
    access: AccessControl
    editor: DraftEditor
    intake: Intake
    sender: Sender
    queue: PublishingQueue

    async def user(self, update: Update) -> User:
        """Return the stored seller behind this update, creating them on first contact."""
        tg = update.effective_user
        assert tg is not None
        store = self.services.store
        user = await store.get_user(tg.id)
        if user is None:
            user = await store.ensure_user(
                tg.id,
                language=self.settings.listing_language,
                ui_language=ui_language(tg.language_code),
            )
        return user

    async def lang(self, update: Update) -> str:
        """Return the interface language of the update's user."""
        user = await self.user(update)
        return user.ui_language or ui_language(None)


def state_of(context: ContextTypes.DEFAULT_TYPE) -> BotState:
    state: BotState = context.application.bot_data["state"]
    return state
