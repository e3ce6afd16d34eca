"""build_application(settings, services): the one factory that builds the bot."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from telegram import BotCommand, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.card_photos import CardPhotos
from bot.context import BotContext
from bot.handlers import (
    access,
    batches,
    commands,
    drafts,
    edits,
    errors,
    photos,
    publishing,
    relisting,
    session,
    voice,
)
from bot.handlers import settings as settings_menu
from bot.intake import Intake
from bot.relist_notifier import TelegramRelistNotifier
from bot.sender import Sender
from bot.state import BotState
from bot.texts import t
from core.config import Settings
from core.services import Services

log = logging.getLogger(__name__)

MENU = [
    "start", "help", "drafts", "queue", "one", "regen", "stats", "export", "settings", "connect",
    "status", "check", "dryrun", "at", "disconnect", "cancel",
]  # fmt: skip
DAY = 24 * 3600

App = Application[Any, BotContext, Any, Any, Any, Any]


def build_application(settings: Settings, services: Services) -> App:
    """Build the Application with every handler and job; `main` only runs it."""
    settings.require("TELEGRAM_BOT_TOKEN")
    assert settings.telegram_bot_token is not None
    app: App = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(f"{settings.telegram_api_url}/bot")
        .base_file_url(f"{settings.telegram_api_url}/file/bot")
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .context_types(ContextTypes(context=BotContext))
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(True)
        .get_updates_read_timeout(40)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    sender = Sender(
        app.bot,
        services.drafts,
        services.catalogs,
        services.splitter,
        services.market,
        settings.data_dir,
        settings.card_interval_seconds,
        sellers=services.sellers,
    )
    notifier = TelegramRelistNotifier(sender, services.sellers)
    queue = services.publishing_queue(notifier)
    app.bot_data["state"] = BotState(
        settings=settings,
        services=services,
        intake=Intake(app, services, sender),
        card_photos=CardPhotos(app, services, sender),
        sender=sender,
        queue=queue,
        relists=services.relisting(queue, notifier),
    )

    # Everyone passes the gate first: strangers stop here, before any download or AI call.
    app.add_handler(TypeHandler(Update, access.gate), group=-1)

    for name, callback in (
        ("start", commands.start),
        ("help", commands.help_),
        ("drafts", commands.list_drafts),
        ("queue", commands.queue),
        ("stats", commands.stats),
        ("export", commands.export),
        ("one", commands.one),
        ("regen", commands.regenerate),
        ("cancel", commands.cancel),
        ("settings", settings_menu.show),
        ("connect", session.connect),
        ("disconnect", session.disconnect),
        ("status", session.status),
        ("check", session.check),
        ("dryrun", publishing.dry_run),
        ("at", publishing.publish_at),
    ):
        app.add_handler(CommandHandler(name, callback))
    app.add_handler(MessageHandler(filters.COMMAND, commands.unknown))

    media = (
        filters.PHOTO
        | filters.Document.ALL
        | filters.VIDEO
        | filters.ANIMATION
        | filters.Sticker.ALL
        | filters.VOICE
        | filters.AUDIO
        | filters.VIDEO_NOTE
    )
    app.add_handler(MessageHandler(filters.VOICE, voice.on_voice))  # an edit by voice
    app.add_handler(MessageHandler(media, photos.receive))

    app.add_handler(CallbackQueryHandler(drafts.on_button, pattern=r"^d:"))
    app.add_handler(CallbackQueryHandler(batches.on_batch_button, pattern=r"^b:"))
    app.add_handler(CallbackQueryHandler(commands.on_page, pattern=r"^l:"))
    app.add_handler(CallbackQueryHandler(settings_menu.on_button, pattern=r"^s:"))
    app.add_handler(CallbackQueryHandler(session.on_resume, pattern=r"^p:"))
    app.add_handler(CallbackQueryHandler(relisting.on_relist_button, pattern=r"^r:"))
    app.add_handler(CallbackQueryHandler(drafts.on_unknown_button))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, edits.on_text))

    app.add_error_handler(errors.on_known_error)
    app.add_error_handler(errors.on_unexpected_error)

    jobs = app.job_queue
    assert jobs is not None, "python-telegram-bot[job-queue] is required"
    jobs.run_repeating(
        _publish_tick, interval=settings.publish_tick_seconds, first=1, name="publish"
    )
    jobs.run_repeating(session.daily_check, interval=DAY, first=DAY / 24, name="health")
    jobs.run_repeating(_purge, interval=DAY, first=DAY / 12, name="purge")
    return app


async def _purge(context: BotContext) -> None:
    """Remove drafts never approved after 30 days (with their photos) and old logs."""
    result = await context.state.services.purge.run(datetime.now(UTC))
    log.info("purge: %s", result)


async def _publish_tick(context: BotContext) -> None:
    """Publish the approved drafts that are due (the queue paces each account), then relist."""
    await context.state.queue.tick()
    await context.state.relists.tick()


async def _post_init(app: App) -> None:
    """Load the owner, set the command menu and resume batches cut short by a restart."""
    state: BotState = app.bot_data["state"]
    code = await state.services.access.load()
    if code is not None:
        # The one place a secret-like value is logged: the owner needs it to pair, once.
        log.warning("No ALLOWED_USER_IDS and no owner yet. Pairing code: send /start %s", code)
    for lang, code_ in (("en", None), ("fr", "fr")):
        await app.bot.set_my_commands(
            [BotCommand(name, t(lang, f"cmd_{name}")) for name in MENU], language_code=code_
        )
    # Resumed once the application runs, so its tasks are awaited at shutdown.
    assert app.job_queue is not None
    app.job_queue.run_once(_resume, when=0, name="resume")


async def _post_shutdown(app: App) -> None:
    """Close the browser and the database once the bot has stopped."""
    state: BotState = app.bot_data["state"]
    await state.services.close()


async def _resume(context: BotContext) -> None:
    """Finish the batches a restart cut short."""
    await context.state.intake.resume()
