"""The context every handler gets: the bot's state and the seller the gate loaded once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.texts import ui_language
from core.sellers.models import Seller

if TYPE_CHECKING:
    from bot.state import BotState


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """A CallbackContext that carries the seller behind the update (see bot.handlers.access)."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self._seller: Seller | None = None

    @property
    def state(self) -> BotState:
        state: BotState = self.application.bot_data["state"]
        return state

    @property
    def seller(self) -> Seller:
        """The seller behind the update, loaded by the gate before any handler runs."""
        if self._seller is None:
            raise RuntimeError("no seller: the access gate did not run for this update")
        return self._seller

    @seller.setter
    def seller(self, seller: Seller) -> None:
        self._seller = seller

    @property
    def lang(self) -> str:
        """The seller's interface language."""
        return self.seller.ui_language or ui_language(None)
