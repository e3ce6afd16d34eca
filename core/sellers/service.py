"""The sellers' profiles and settings, and the one answer the bot is waiting for from each."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, get_args

from core.config import Language
from core.quality.footer import parse_footer
from core.relisting.models import AFTER_DAYS_CHOICES, RELIST_MODES
from core.sellers.models import Awaiting, AwaitKind, Seller
from core.sellers.repository import SellerRepository

LISTING_LANGUAGES: tuple[str, ...] = get_args(Language)
GROUPINGS = ("auto", "album")
PUBLISH_MODES = ("publish", "draft")
AWAIT_FOR = timedelta(minutes=30)  # an unanswered question lapses, like a conversation timeout


class SettingRefused(ValueError):
    """A setting value this version does not offer."""


class SellerService:
    """Create sellers on first contact, change their settings, track the awaited answer."""

    def __init__(
        self, repo: SellerRepository, *, listing_language: str, await_for: timedelta = AWAIT_FOR
    ) -> None:
        self.repo = repo
        self.listing_language = listing_language
        self.await_for = await_for

    async def enter(self, user_id: int, ui_language: str | None) -> Seller:
        """Return the seller behind an update, creating them on first contact."""
        seller = await self.repo.get(user_id)
        if seller is None:
            seller = await self.repo.ensure(
                user_id, language=self.listing_language, ui_language=ui_language
            )
        elif (
            ui_language
            and seller.ui_language != ui_language
            and not seller.settings.ui_language_chosen
        ):
            # The seller changed Telegram's language and never chose one here: follow it.
            seller = await self.repo.update(user_id, ui_language=ui_language)
        return seller

    async def get(self, user_id: int) -> Seller | None:
        return await self.repo.get(user_id)

    async def set_listing_language(self, user_id: int, code: str) -> Seller:
        if code not in LISTING_LANGUAGES:
            raise SettingRefused(f"listing language {code!r}")
        return await self.repo.update(user_id, language=code)

    async def set_ui_language(self, user_id: int, code: str) -> Seller:
        return await self.repo.update(
            user_id, ui_language=code, settings={"ui_language_chosen": True}
        )

    async def set_grouping(self, user_id: int, grouping: str) -> Seller:
        if grouping not in GROUPINGS:
            raise SettingRefused(f"grouping {grouping!r}")
        return await self.repo.update(user_id, settings={"grouping": grouping})

    async def set_publish_mode(self, user_id: int, mode: str) -> Seller:
        if mode not in PUBLISH_MODES:
            raise SettingRefused(f"publish mode {mode!r}")
        return await self.repo.update(user_id, settings={"publish_mode": mode})

    async def set_relisting(
        self, user_id: int, *, mode: str | None = None, after_days: int | None = None
    ) -> Seller:
        """Choose off / ask / auto relisting, or after how many days a listing is offered."""
        changes: dict[str, Any] = {}
        if mode is not None:
            if mode not in RELIST_MODES:
                raise SettingRefused(f"relisting {mode!r}")
            changes["relist_mode"] = mode
        if after_days is not None:
            if after_days not in AFTER_DAYS_CHOICES:
                raise SettingRefused(f"relisting after {after_days!r} days")
            changes["relist_after_days"] = after_days
        return await self.repo.update(user_id, settings=changes)

    async def set_footer(self, user_id: int, typed: str | None) -> Seller:
        """Set the footer from the lines the seller typed ("-" or None removes it).

        Raises FooterRefused (saying what is wrong) and keeps the footer as it was.
        """
        lines = parse_footer(typed) if typed is not None else None
        return await self.repo.update(user_id, settings={"footer": lines})

    async def footer(self, user_id: int) -> list[str]:
        """Return the lines added to the seller's published descriptions (none: [])."""
        seller = await self.repo.get(user_id)
        return list(seller.settings.footer or []) if seller else []

    async def change_settings(self, user_id: int, **settings: Any) -> Seller:
        """Set typed settings (None restores the default)."""
        return await self.repo.update(user_id, settings=settings)

    async def arm_one_item(self, user_id: int) -> None:
        """Make the seller's next batch one item."""
        await self.repo.update(user_id, settings={"one_next": True})

    async def take_one_item(self, user_id: int) -> bool:
        """Return whether the next batch was armed as one item, disarming it."""
        return await self.repo.take_flag(user_id, "one_next")

    # ---- the awaited answer --------------------------------------------------------------

    async def await_answer(
        self,
        user_id: int,
        kind: AwaitKind,
        *,
        draft_id: int | None = None,
        field: str | None = None,
        prompt_message_id: int | None = None,
    ) -> Awaiting:
        """Wait for this answer from the seller (replacing any other), until it lapses."""
        awaiting = Awaiting(
            kind=kind,
            draft_id=draft_id,
            field=field,
            prompt_message_id=prompt_message_id,
            expires_at=self.repo.db.now() + self.await_for,
        )
        await self.repo.set_awaiting(user_id, awaiting)
        return awaiting

    async def awaited(self, user_id: int) -> Awaiting | None:
        """Return the answer the bot waits for from the seller, None if none or it lapsed."""
        awaiting = await self.repo.get_awaiting(user_id)
        if awaiting is None:
            return None
        if awaiting.expires_at <= self.repo.db.now():
            await self.repo.clear_awaiting(user_id)
            return None
        return awaiting

    async def stop_waiting(self, user_id: int, kind: AwaitKind | None = None) -> bool:
        """Stop waiting for the seller's answer; True if the bot was waiting for one."""
        return await self.repo.clear_awaiting(user_id, kind)
