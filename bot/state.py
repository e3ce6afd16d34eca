"""What every handler reaches: the core's services and the bot's own helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.config import Settings
from core.publishing.queue import PublishingQueue
from core.relisting.service import RelistService
from core.services import Services

if TYPE_CHECKING:
    from bot.card_photos import CardPhotos
    from bot.intake import Intake
    from bot.sender import Sender


@dataclass
class BotState:
    """Held in application.bot_data["state"]."""

    settings: Settings
    services: Services
    intake: Intake
    card_photos: CardPhotos
    sender: Sender
    queue: PublishingQueue
    relists: RelistService
    # The card whose Edit menu each seller opened last, and when (a voice note may follow).
    edit_menus: dict[int, tuple[int, float]] = field(default_factory=dict)
