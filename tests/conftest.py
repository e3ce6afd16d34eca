"""Shared test fixtures: the fake OpenAI server and the core services wired to it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from core.config import load_settings
from core.db import Database
from core.marketplace import Marketplace
from core.services import Repositories, Services, build_services
from tests.fakes.openai import FakeOpenAIServer
from tests.helpers import Clock

pytest_plugins = ["tests.shop"]

REPO = Path(__file__).resolve().parents[1]
TESTDATA = REPO.parent / "shared" / "testdata"  # shared/ lies beside the repository
CLOTHES = sorted((TESTDATA / "clothes").glob("*.jpg"))


@pytest.fixture
async def ai() -> AsyncIterator[FakeOpenAIServer]:
    async with FakeOpenAIServer() as server:
        yield server


async def core_services(
    ai: FakeOpenAIServer,
    data_dir: Path,
    *,
    clock: Clock | None = None,
    marketplace: Marketplace | None = None,
    **settings: Any,
) -> Services:
    """Build the production services against the fake AI, with a private data folder."""
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "openai_api_key": "sk-test",
        "openai_base_url": ai.base_url,
        "openai_retry_base_seconds": 0.001,  # retries wait milliseconds in tests
        "_env_file": None,
        **settings,
    }
    return await build_services(load_settings(**values), clock=clock, marketplace=marketplace)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
async def db(data_dir: Path, clock: Clock) -> AsyncIterator[Database]:
    database = await Database.open(data_dir / "bot.db", clock=clock)
    yield database
    await database.close()


@pytest.fixture
def repos(db: Database) -> Repositories:
    return Repositories.over(db, "vinted")
