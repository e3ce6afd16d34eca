"""The browser under faults: killed between calls, missing, and its sandbox."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from core.marketplace import BrowserFailed, ListingLookupFailed, ListingQuery, SessionInfo
from core.vinted.publisher import VintedPublisher
from tests.fakes.vinted import FakeVinted
from tests.test_publisher import CALM, jeans, join, publisher_for

pytestmark = pytest.mark.timeout(120)


def chromium_processes() -> list[int]:
    """Our Chromium processes: descendants of this process named chrom*."""
    parents: dict[int, int] = {}
    names: dict[int, str] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/comm") as fh:
                names[int(entry)] = fh.read().strip()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])

    def ours(pid: int) -> bool:
        while pid > 1:
            pid = parents.get(pid, 0)
            if pid == os.getpid():
                return True
        return False

    return [pid for pid, name in names.items() if "chrom" in name.lower() and ours(pid)]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def vinted() -> AsyncIterator[FakeVinted]:
    async with FakeVinted(switches=CALM) as fake:
        yield fake


@pytest.mark.asyncio(loop_scope="module")
async def test_a_killed_browser_is_started_again_for_the_next_call(
    vinted: FakeVinted, tmp_path: Path
) -> None:
    seller = join(vinted)
    async with publisher_for(vinted, tmp_path) as publisher:
        assert isinstance(await publisher.check_session(seller.cookies), SessionInfo)
        killed = chromium_processes()
        assert killed
        for pid in killed:
            with contextlib.suppress(ProcessLookupError):  # a helper may have ended by itself
                os.kill(pid, signal.SIGKILL)  # out of memory, or an operator's kill

        found = await publisher.check_session(seller.cookies)  # no restart of the bot needed
        assert isinstance(found, SessionInfo) and found.login == seller.login
        assert not set(killed) & set(chromium_processes())
        result = await publisher.publish(seller.cookies, jeans())
        assert result.outcome.success
    assert chromium_processes() == []  # none outlives its publisher


@pytest.mark.asyncio(loop_scope="module")
async def test_a_browser_that_cannot_start_is_a_typed_outcome_not_an_exception(
    vinted: FakeVinted, tmp_path: Path
) -> None:
    seller = join(vinted)
    publisher = VintedPublisher(
        vinted.base_url, executable_path=str(tmp_path / "no-chromium"), screenshots_dir=tmp_path
    )
    try:
        result = await publisher.publish(seller.cookies, jeans())
        assert isinstance(result.outcome, BrowserFailed) and result.outcome.transient
        assert result.cookies == seller.cookies and not result.maybe_created
        assert isinstance(await publisher.check_session(seller.cookies), BrowserFailed)
        with pytest.raises(ListingLookupFailed):
            await publisher.find_listing(
                seller.cookies, seller.user_id, ListingQuery(title="x", price=1, photo_count=1)
            )
    finally:
        await publisher.close()
    assert [i for i in vinted.items if i.user_id == seller.user_id] == []


@pytest.mark.asyncio(loop_scope="module")
async def test_the_sandbox_is_off_only_where_it_must_be_and_the_log_says_so(
    vinted: FakeVinted, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="core.vinted.browser")
    async with publisher_for(vinted, tmp_path) as publisher:
        await publisher.start()
    said = " ".join(r.getMessage() for r in caplog.records)
    if os.geteuid() == 0:
        assert "running as root: Chromium's sandbox is off" in said
    else:
        assert "root" not in said  # sandboxed, or told why it could not be
