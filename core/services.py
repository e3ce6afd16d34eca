"""Wire the core's ports once at start-up: store, vision client, rules."""

from __future__ import annotations

from dataclasses import dataclass

from openai import AsyncOpenAI

from core.accounts import AccountService
from core.analysis import VisionAnalyser
from core.config import Settings
from core.drafting import DraftingConfig, DraftingService
from core.images import ImageLimits
from core.pricing import load_price_rules
from core.quality import load_marketing_phrases
from core.store import Store
from core.vault import SessionVault, Vault
from core.vinted.publisher import VintedPublisher


@dataclass
class Services:
    """Everything the bot and the command line call into."""

    settings: Settings
    store: Store
    analyser: VisionAnalyser
    drafting: DraftingService
    sessions: SessionVault
    publisher: VintedPublisher  # starts Chromium on first use, not at start-up
    accounts: AccountService

    async def close(self) -> None:
        await self.publisher.close()
        await self.store.close()


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


async def build_services(settings: Settings) -> Services:
    """Open the store and build the analysis service from the settings."""
    client = make_openai_client(settings)  # first, so a missing key stops us before any I/O
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = await Store.open(settings.db_path)
    analyser = VisionAnalyser(
        client,
        settings.vision_model,
        max_attempts=settings.openai_max_retries + 1,
        base_delay=settings.openai_retry_base_seconds,
        batch_size=settings.grouping_batch_size,
    )
    drafting = DraftingService(
        store,
        analyser,
        data_dir=settings.data_dir,
        limits=ImageLimits.from_settings(settings),
        price_rules=load_price_rules(settings.pricing_file),
        phrases=load_marketing_phrases(settings.marketing_phrases_file),
        config=DraftingConfig(
            concurrency=settings.analysis_concurrency,
            max_batch_photos=settings.max_batch_photos,
        ),
    )
    sessions = SessionVault(store, Vault(settings.secret_key_bytes()))
    publisher = VintedPublisher(
        settings.vinted_base_url,
        executable_path=settings.chromium_executable(),
        screenshots_dir=settings.data_dir / "screenshots",
    )
    return Services(
        settings=settings,
        store=store,
        analyser=analyser,
        drafting=drafting,
        sessions=sessions,
        publisher=publisher,
        accounts=AccountService(
            store, sessions, publisher, settings.vinted_base_url, settings.data_dir
        ),
    )
