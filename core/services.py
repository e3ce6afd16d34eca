"""Wire the core once at start-up: the database and its repositories, the model, the services.

Every service takes the narrow repositories it needs. A second marketplace would be built
here, next to VintedMarketplace, and handed to the queue and the accounts in its place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from openai import AsyncOpenAI

from core.access import AccessControl
from core.accounts.repository import SessionRepository
from core.accounts.service import AccountService
from core.accounts.sessions import SessionVault
from core.accounts.vault import Vault
from core.analysis import VisionAnalyser
from core.analysis.transcribe import Transcriber
from core.catalogs.repository import CatalogRepository
from core.catalogs.service import CatalogService
from core.config import Settings
from core.db import Clock, Database
from core.drafts.bulk import BulkApproval
from core.drafts.drafting import DraftingConfig, DraftingService
from core.drafts.editing import DraftEditor
from core.drafts.export import Exporter
from core.drafts.followup import FollowThrough
from core.drafts.footer_check import FooterCheck
from core.drafts.lookalike import LookalikeFinder
from core.drafts.photos import DraftPhotos
from core.drafts.repository import DraftRepository
from core.drafts.service import DraftService
from core.drafts.split import DraftSplitter
from core.drafts.trash import DraftTrash
from core.drafts.undo import UndoStore
from core.events import EventLog
from core.images import ImageLimits
from core.intake.repository import BatchRepository
from core.intake.service import IntakeService
from core.market.repository import MarketRepository
from core.market.service import MarketService
from core.marketplace import Marketplace
from core.pricing import load_price_rules
from core.private import lock_down
from core.publishing.attempts import AttemptRepository
from core.publishing.pacing import PublishingConfig
from core.publishing.ports import NotifierPort
from core.publishing.queue import PublishingQueue
from core.publishing.waiting import WaitingRepository
from core.purge import SCREENSHOTS, Purge
from core.quality import load_marketing_phrases
from core.relisting.ports import RelistNotifier
from core.relisting.repository import RelistRepository
from core.relisting.runner import Relister
from core.relisting.service import RelistConfig, RelistService
from core.sellers.repository import SellerRepository
from core.sellers.service import SellerService
from core.stats import StatsService
from core.vinted.marketplace import VintedMarketplace
from core.vinted.publisher import VintedPublisher


@dataclass
class Repositories:
    """One repository per slice, over one database."""

    db: Database
    sellers: SellerRepository
    batches: BatchRepository
    drafts: DraftRepository
    sessions: SessionRepository
    attempts: AttemptRepository
    waiting: WaitingRepository
    events: EventLog

    @classmethod
    def over(cls, db: Database, marketplace: str) -> Repositories:
        return cls(
            db=db,
            sellers=SellerRepository(db),
            batches=BatchRepository(db),
            drafts=DraftRepository(db),
            sessions=SessionRepository(db, marketplace),
            attempts=AttemptRepository(db, marketplace),
            waiting=WaitingRepository(db, marketplace),
            events=EventLog(db),
        )


@dataclass
class Services:
    """Everything the bot and the command line call into."""

    settings: Settings
    repos: Repositories
    analyser: VisionAnalyser
    sellers: SellerService
    intake: IntakeService
    drafts: DraftService
    drafting: DraftingService
    editor: DraftEditor
    photos: DraftPhotos
    splitter: DraftSplitter
    bulk: BulkApproval
    market: MarketService
    transcriber: Transcriber
    sessions: SessionVault
    marketplace: Marketplace  # starts its browser on first use, not at start-up
    catalogs: CatalogService
    accounts: AccountService
    stats: StatsService
    exporter: Exporter
    purge: Purge
    access: AccessControl
    footers: FooterCheck

    def publishing_queue(self, notifier: NotifierPort) -> PublishingQueue:
        """Build the queue that tells the seller through this notifier."""
        r = self.repos
        return PublishingQueue(
            attempts=r.attempts,
            waiting=r.waiting,
            drafts=r.drafts,
            photos=r.batches,
            sellers=r.sellers,
            events=r.events,
            catalogs=self.catalogs,
            marketplace=self.marketplace,
            sessions=self.sessions,
            notifier=notifier,
            config=publishing_config(self.settings),
            clock=r.db.now,
        )

    def relisting(self, queue: PublishingQueue, notifier: RelistNotifier) -> RelistService:
        """Build relisting, paced by the queue's rules and leased under its owner's name."""
        r, s = self.repos, self.settings
        repo = RelistRepository(r.db, self.marketplace.name)
        runner = Relister(
            repo=repo,
            attempts=r.attempts,
            waiting=r.waiting,
            drafts=r.drafts,
            photos=r.batches,
            catalogs=self.catalogs,
            marketplace=self.marketplace,
            sessions=self.sessions,
            notifier=notifier,
            config=queue.config,
            rules=queue.rules,
            owner=queue.owner,
            clock=r.db.now,
        )
        return RelistService(
            repo=repo,
            sellers=r.sellers,
            waiting=r.waiting,
            marketplace=self.marketplace,
            sessions=self.sessions,
            notifier=notifier,
            runner=runner,
            config=RelistConfig(
                after_days=s.relist_after_days,
                mode=s.relist_mode,
                drop_percent=s.relist_price_drop_percent,
                daily_offers=s.relist_daily_offers,
            ),
            rules=queue.rules,
            clock=r.db.now,
        )

    async def close(self) -> None:
        await self.marketplace.close()
        await self.repos.db.close()


def publishing_config(settings: Settings) -> PublishingConfig:
    """Return the bot-wide publishing settings, which each seller may override."""
    return PublishingConfig(
        data_dir=settings.data_dir,
        tick_seconds=settings.publish_tick_seconds,
        min_interval_seconds=settings.publish_min_interval_seconds,
        jitter=settings.publish_jitter,
        daily_cap=settings.publish_daily_cap,
        hours=settings.publish_hours,
        mode=settings.publish_mode,
        concurrency=settings.publish_concurrency,
        settle=timedelta(seconds=settings.publish_settle_seconds),
    )


def make_openai_client(settings: Settings) -> AsyncOpenAI:
    """Build the OpenAI client; retries are ours (with backoff), not the client's."""
    settings.require("OPENAI_API_KEY")
    assert settings.openai_api_key is not None
    return AsyncOpenAI(
        api_key=settings.openai_api_key.get_secret_value(),
        base_url=settings.openai_base_url,
        max_retries=0,
        timeout=settings.openai_timeout_seconds,
    )


async def build_services(
    settings: Settings, *, clock: Clock | None = None, marketplace: Marketplace | None = None
) -> Services:
    """Open the database and build every service from the settings (Vinted by default)."""
    client = make_openai_client(settings)  # first, so a missing key stops us before any I/O
    lock_down(settings.data_dir)
    db = await Database.open(settings.db_path, clock=clock)
    if marketplace is None:
        marketplace = VintedMarketplace(
            VintedPublisher(
                settings.vinted_base_url,
                executable_path=settings.chromium_executable(),
                screenshots_dir=settings.data_dir / SCREENSHOTS,
            )
        )
    repos = Repositories.over(db, marketplace.name)
    analyser = VisionAnalyser(
        client,
        settings.vision_model,
        max_attempts=settings.openai_max_retries + 1,
        base_delay=settings.openai_retry_base_seconds,
        batch_size=settings.grouping_batch_size,
    )
    sessions = SessionVault(repos.sessions, Vault(settings.secret_key_bytes()))
    catalogs = CatalogService(
        CatalogRepository(db, marketplace.name),
        marketplace,
        sessions,
        analyser,
        repos.drafts,
        repos.events,
        base_url=settings.vinted_base_url,
    )
    limits = ImageLimits.from_settings(settings)
    sellers = SellerService(repos.sellers, listing_language=settings.listing_language)
    drafting = DraftingService(
        repos.batches,
        repos.drafts,
        analyser,
        data_dir=settings.data_dir,
        limits=limits,
        price_rules=load_price_rules(settings.pricing_file),
        phrases=load_marketing_phrases(settings.marketing_phrases_file),
        config=DraftingConfig(concurrency=settings.analysis_concurrency),
        categories=catalogs,
        footers=sellers,
    )
    editor = DraftEditor(
        repos.drafts,
        drafting,
        analyser,
        repos.events,
        catalogs,
        follow=FollowThrough(analyser, drafting.phrases),
        undo=UndoStore(repos.db),
        trash=DraftTrash(repos.db),
    )
    market = MarketService(
        MarketRepository(repos.db),
        marketplace,
        sessions,
        catalogs,
        repos.drafts,
        drafting.price_rules,
        repos.waiting,
    )
    return Services(
        settings=settings,
        repos=repos,
        analyser=analyser,
        sellers=sellers,
        intake=IntakeService(
            repos.batches,
            repos.sellers,
            data_dir=settings.data_dir,
            limits=limits,
            max_batch_photos=settings.max_batch_photos,
        ),
        drafts=DraftService(repos.drafts, repos.batches, LookalikeFinder(db)),
        drafting=drafting,
        editor=editor,
        photos=DraftPhotos(repos.drafts, repos.batches, data_dir=settings.data_dir, limits=limits),
        splitter=DraftSplitter(repos.drafts, repos.batches, drafting),
        bulk=BulkApproval(repos.drafts, editor),
        market=market,
        transcriber=Transcriber(client, settings.transcription_model),
        sessions=sessions,
        marketplace=marketplace,
        catalogs=catalogs,
        accounts=AccountService(
            sessions,
            marketplace,
            repos.drafts,
            repos.batches,
            catalogs,
            base_url=settings.vinted_base_url,
            data_dir=settings.data_dir,
        ),
        stats=StatsService(
            repos.batches, repos.drafts, repos.attempts, vision_model=settings.vision_model
        ),
        exporter=Exporter(repos.drafts, repos.batches, settings.data_dir),
        purge=Purge(db, settings.data_dir),
        access=AccessControl(repos.sellers, settings.allowed_user_ids),
        footers=FooterCheck(repos.drafts, drafting),
    )
