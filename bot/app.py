"""build_application(settings, services): the one factory that builds the bot."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from telegram import BotCommand, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.handlers import access, commands, drafts, edits, errors, photos, publishing, session
from bot.handlers import settings as settings_menu
from bot.intake import Intake
from bot.notifier import TelegramNotifier
from bot.sender import Sender
from bot.state import BotState
from bot.texts import t
from core.access import AccessControl
from core.config import Settings
from core.editing import DraftEditor
from core.publishing import PublishingConfig, PublishingQueue
from core.services import Services

log = logging.getLogger(__name__)

MENU = [
    "start", "help", "drafts", "queue", "one", "regen", "stats", "export", "settings", "connect",
    "status", "check", "dryrun", "at", "disconnect", "cancel",
]  # fmt: skip
DAY = 24 * 3600


def build_application(settings: Settings, services: Services) -> Application:  # type: ignore[type-arg]
    """Build the Application with every handler and job; `main` only runs it."""
    settings.require("TELEGRAM_BOT_TOKEN")
    assert settings.telegram_bot_token is not None
    app = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(f"{settings.telegram_api_url}/bot")
        .base_file_url(f"{settings.telegram_api_url}/file/bot")
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(True)
        .get_updates_read_timeout(40)
        .post_init(_post_init)
        .build()
    )
    sender = Sender(app.bot, services.store, settings.data_dir, settings.card_interval_seconds)
    state = BotState(
        settings=settings,
        services=services,
        access=AccessControl(services.store, settings.allowed_user_ids),
        editor=DraftEditor(services.store, services.drafting, services.analyser),
        intake=Intake(app, services, sender),
        sender=sender,
        queue=PublishingQueue(
            services.store,
            services.publisher,
            services.sessions,
            TelegramNotifier(sender, services.store),
            PublishingConfig.from_settings(settings),
        ),
    )
    app.bot_data["state"] = state

    # Everyone passes the gate first: strangers stop here, before any download or AI call.
    app.add_handler(TypeHandler(Update, access.gate), group=-1)

    app.add_handler(CommandHandler("start", commands.start))
    app.add_handler(CommandHandler("help", commands.help_))
    app.add_handler(CommandHandler("drafts", commands.list_drafts))
    app.add_handler(CommandHandler("queue", commands.queue))
    app.add_handler(CommandHandler("stats", commands.stats))
    app.add_handler(CommandHandler("export", commands.export))
    app.add_handler(CommandHandler("one", commands.one))
    app.add_handler(CommandHandler("regen", commands.regenerate))
    app.add_handler(CommandHandler("cancel", commands.cancel))
    app.add_handler(CommandHandler("settings", settings_menu.show))
    app.add_handler(CommandHandler("connect", session.connect))
    app.add_handler(CommandHandler("disconnect", session.disconnect))
    app.add_handler(CommandHandler("status", session.status))
    app.add_handler(CommandHandler("check", session.check))
    app.add_handler(CommandHandler("dryrun", publishing.dry_run))
    app.add_handler(CommandHandler("at", publishing.publish_at))
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
    app.add_handler(MessageHandler(media, photos.receive))

    app.add_handler(CallbackQueryHandler(drafts.on_button, pattern=r"^d:"))
    app.add_handler(CallbackQueryHandler(drafts.on_batch_button, pattern=r"^b:"))
    app.add_handler(CallbackQueryHandler(commands.on_page, pattern=r"^l:"))
    app.add_handler(CallbackQueryHandler(settings_menu.on_button, pattern=r"^s:"))
    app.add_handler(CallbackQueryHandler(session.on_resume, pattern=r"^p:"))
    app.add_handler(CallbackQueryHandler(drafts.on_unknown_button))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, edits.on_text))

    app.add_error_handler(errors.on_error)

    jobs = app.job_queue
    assert jobs is not None, "python-telegram-bot[job-queue] is required"
    jobs.run_repeating(
        _publish_tick, interval=settings.publish_tick_seconds, first=1, name="publish"
    )
    jobs.run_repeating(session.daily_check, interval=DAY, first=DAY / 24, name="health")
    jobs.run_repeating(_purge, interval=DAY, first=DAY / 12, name="purge")
    return app


async def _purge(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Remove drafts never approved after 30 days (with their photos) and old logs."""
    state: BotState = context.application.bot_data["state"]
    result = await state.services.store.purge(datetime.now(UTC), state.settings.data_dir)
    log.info("purge: %s", result)


async def _publish_tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Publish the approved drafts that are due (the queue paces each account)."""
    state: BotState = context.application.bot_data["state"]
    await state.queue.tick()


async def _post_init(app: Application) -> None:  # type: ignore[type-arg]
    """Load the owner, set the command menu and resume batches cut short by a restart."""
    state: BotState = app.bot_data["state"]
    code = await state.access.load()
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


async def _resume(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Finish the batches a restart cut short."""
    state: BotState = context.application.bot_data["state"]
    await state.intake.resume()
