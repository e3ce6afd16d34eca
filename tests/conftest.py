"""Shared test fixtures: the fake OpenAI server and the core services wired to it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from core.config import load_settings
from core.services import Services, build_services
from tests.fakes.openai import FakeOpenAIServer

REPO = Path(__file__).resolve().parents[1]
TESTDATA = REPO.parent / "shared" / "testdata"  # shared/ lies beside the repository
CLOTHES = sorted((TESTDATA / "clothes").glob("*.jpg"))


@pytest.fixture
async def ai() -> AsyncIterator[FakeOpenAIServer]:
    async with FakeOpenAIServer() as server:
        yield server


async def core_services(ai: FakeOpenAIServer, data_dir: Path, **settings: Any) -> Services:
    """Build the production services against the fake AI, with a private data folder."""
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "openai_api_key": "sk-test",
        "openai_base_url": ai.base_url,
        "openai_retry_base_seconds": 0.001,  # retries wait milliseconds in tests
        "_env_file": None,
        **settings,
    }
    return await build_services(load_settings(**values))
