"""Random days of a seller, the queue and crashes, on the real store: the lifecycle holds.

Hypothesis drives a state machine: the seller approves, takes back, edits and deletes drafts;
the queue ticks while the marketplace publishes, fails, asks for a captcha, rate-limits or
dies mid-publish (before or after creating the item); time passes; the bot restarts. Whatever
the sequence, a draft is never listed twice, a published draft never goes back, and no photo
of a draft is ever lost.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from core.config import load_settings
from core.drafts.models import Draft, DraftStatus
from core.drafts.parsing import EditRejected
from core.marketplace import CaptchaRequired, RateLimited, Timeout
from core.models import Condition, Price
from core.publishing.queue import PublishingQueue
from core.services import Services, build_services
from tests.conftest import CLOTHES
from tests.helpers import START, Clock
from tests.standins import SELLER, SellerChat, StandInVinted, answer, connect, crash, create

pytestmark = pytest.mark.timeout(300)

DRAFTS = 4
MISHAPS = {
    "publishes": create,
    "times_out": answer(Timeout(step="submit")),
    "captcha": answer(CaptchaRequired(step="photos")),
    "rate_limited": answer(RateLimited(60, step="submit")),
    "dies_after_creating": crash(creates=True, reports_id=True),
    "dies_unreported": crash(creates=True, reports_id=False),
    "dies_before_creating": crash(creates=False, reports_id=False),
}


class SellersDay(RuleBasedStateMachine):
    """One seller's drafts, the publishing queue, the marketplace and restarts."""

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.folder = Path(tempfile.mkdtemp(prefix="lifecycle-"))
        self.clock = Clock(START)
        self.vinted = StandInVinted()
        self.restarts = 0
        self.services = self.run(self._start())
        self.queue = self._queue()
        self.draft_ids: list[int] = []
        self.photos: dict[int, list[int]] = {}
        self.published: set[int] = set()
        self.deleted: set[int] = set()
        self.run(self._seed())

    # ---- plumbing ------------------------------------------------------------------------

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    async def _start(self) -> Services:
        values: dict[str, Any] = {
            "data_dir": self.folder,
            "openai_api_key": "sk-test",
            "openai_base_url": "http://127.0.0.1:9/v1",  # never called: no analysis here
            "publish_min_interval_seconds": 60,
            "publish_jitter": 0,
            "_env_file": None,
        }
        return await build_services(
            load_settings(**values),
            clock=self.clock,
            marketplace=self.vinted,  # type: ignore[arg-type]
        )

    def _queue(self) -> PublishingQueue:
        return self.services.publishing_queue(SellerChat())

    async def _seed(self) -> None:
        services = self.services
        await connect(services.sessions)
        batch = await services.intake.start_batch(SELLER)
        assert batch.id is not None
        for n in range(DRAFTS):
            photos = [
                await services.intake.add_photo(
                    batch, CLOTHES[2 * n + i].read_bytes(), f"{n}-{i}.jpg"
                )
                for i in range(2)
            ]
            draft = await services.repos.drafts.add(
                Draft(
                    user_id=SELLER,
                    batch_id=batch.id,
                    photo_ids=[p.id or 0 for p in photos],
                    title=f"Jean Levi's 501 n°{n}",
                    description="Jean droit en denim.\nTrès peu porté.\nAucun défaut.",
                    brand="Levi's",
                    category="men_jeans",
                    size="W32 L32",
                    condition=Condition.VERY_GOOD,
                    colours=["bleu"],
                    price=Price(min=20, target=25, max=30),
                    publish_ready=True,
                )
            )
            assert draft.id is not None
            self.draft_ids.append(draft.id)
            self.photos[draft.id] = list(draft.photo_ids)
        await services.intake.close_batch(batch.id)

    def teardown(self) -> None:
        self.run(self.services.close())
        self.loop.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _seller_action(self, coro: Any) -> None:
        """Run what a seller pressed; a polite refusal is an answer, anything else a bug."""
        try:
            self.run(coro)
        except EditRejected as refused:
            assert refused.key in {"not_editable", "draft_changed", "draft_not_found"}

    # ---- the seller ----------------------------------------------------------------------

    @rule(n=st.integers(0, DRAFTS - 1))
    def approve(self, n: int) -> None:
        self._seller_action(self.services.editor.approve(SELLER, self.draft_ids[n]))

    @rule(n=st.integers(0, DRAFTS - 1))
    def take_back(self, n: int) -> None:
        self._seller_action(self.services.editor.undo_approve(SELLER, self.draft_ids[n]))

    @rule(n=st.integers(0, DRAFTS - 1), price=st.integers(5, 80))
    def edit_price(self, n: int, price: int) -> None:
        self._seller_action(
            self.services.editor.set_field(SELLER, self.draft_ids[n], "price", str(price))
        )

    @rule(n=st.integers(0, DRAFTS - 1))
    def retry_failed(self, n: int) -> None:
        self.run(self.queue.retry(SELLER, self.draft_ids[n]))

    @rule(n=st.integers(0, DRAFTS - 1))
    def delete(self, n: int) -> None:
        draft_id = self.draft_ids[n]
        try:
            if self.run(self.services.editor.delete(SELLER, draft_id)):
                self.deleted.add(draft_id)
        except EditRejected as refused:
            assert refused.key in {"not_editable", "draft_not_found"}

    @rule()
    def resume(self) -> None:
        self.run(self.queue.resume(SELLER))

    # ---- the queue, the marketplace, time and restarts -----------------------------------

    @rule(mishap=st.sampled_from(sorted(MISHAPS)))
    def tick(self, mishap: str) -> None:
        self.vinted.script = [MISHAPS[mishap]]
        self.run(self.queue.tick())
        self.vinted.script = []

    @rule(minutes=st.sampled_from([1, 2, 5, 16, 60]))
    def time_passes(self, minutes: int) -> None:
        self.clock.advance(minutes=minutes)

    @precondition(lambda self: self.restarts < 3)
    @rule()
    def restart(self) -> None:
        """The bot stops (or dies) and starts again on the same data."""
        self.run(self.services.close())
        self.services = self.run(self._start())
        self.queue = self._queue()
        self.restarts += 1

    @rule()
    def crashes_are_settled_once_their_lease_lapses(self) -> None:
        """Whatever a dead run left open is settled within a lease: the queue never jams."""
        self.clock.advance(minutes=5)
        self.vinted.script = [create]
        self.run(self.queue.tick())
        self.vinted.script = []
        assert self.run(self.services.repos.attempts.open_attempts()) == []
        for draft_id in self.draft_ids:
            draft = self.run(self.services.repos.drafts.get(draft_id))
            assert draft is None or draft.status is not DraftStatus.PUBLISHING

    # ---- what always holds ---------------------------------------------------------------

    @invariant()
    def never_listed_twice(self) -> None:
        titles = self.vinted.items()
        assert len(titles) == len(set(titles)), f"listed twice: {titles}"

    @invariant()
    def published_stays_published_and_photos_stay(self) -> None:
        for draft_id in self.draft_ids:
            draft = self.run(self.services.repos.drafts.get(draft_id))
            if draft is None:
                assert draft_id in self.deleted, f"draft {draft_id} vanished"
                continue
            if draft_id in self.published:
                assert draft.status is DraftStatus.PUBLISHED, f"{draft_id} went back"
            if draft.status is DraftStatus.PUBLISHED:
                self.published.add(draft_id)
                assert draft.publication is not None
            assert draft.photo_ids == self.photos[draft_id]
            photos = self.run(self.services.repos.batches.get_photos(draft.photo_ids))
            assert [p.id for p in photos] == self.photos[draft_id]
            for photo in photos:
                assert (self.folder / photo.path).is_file()

    @invariant()
    def a_listing_belongs_to_a_published_draft_once_settled(self) -> None:
        """Each listing on the marketplace is, or will be once reconciled, its draft's."""
        open_drafts = {a.draft_id for a in self.run(self.services.repos.attempts.open_attempts())}
        for item_id, title in self.vinted.wardrobe.get(9111, []):
            n = int(title.rsplit("°", 1)[1])
            draft_id = self.draft_ids[n]
            draft = self.run(self.services.repos.drafts.get(draft_id))
            if draft is None or draft_id in open_drafts:
                continue  # deleted once published, or still being reconciled
            assert draft.status is DraftStatus.PUBLISHED, f"{title} is listed but {draft.status}"
            assert draft.publication is not None
            assert draft.publication.item_id == str(item_id)


SellersDay.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_the_lifecycle_holds_through_any_day = SellersDay.TestCase


def test_a_restart_leaves_nothing_behind() -> None:
    """The machine's own plumbing: a restart sees the same drafts (so the rules mean it)."""
    machine = SellersDay()
    try:
        before = [machine.run(machine.services.repos.drafts.get(i)) for i in machine.draft_ids]
        machine.restart()
        after = [machine.run(machine.services.repos.drafts.get(i)) for i in machine.draft_ids]
        assert before == after
    finally:
        machine.teardown()
