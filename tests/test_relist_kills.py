"""Relisting exactly once: `python -m bot` killed (SIGKILL) at each step of a relist, then
restarted. Whatever the step, in the end the item is live on Vinted exactly once, under a new
listing at the lowered price; the old listing is gone, no copy is left behind in the Vinted
drafts, the store names the new item, and the seller got its URL."""

from __future__ import annotations

import signal
from collections.abc import Callable

import pytest

from core.db import Database
from tests.fakes.vinted import FakeVinted
from tests.test_bot import SELLER
from tests.test_e2e import Product, connect_and_send_album, product  # noqa: F401 - fixture

pytestmark = pytest.mark.timeout(300)


def _posts(vinted: FakeVinted, suffix: str) -> int:
    return len([r for r in vinted.requests if r.method == "POST" and r.path.endswith(suffix)])


# Where the kill lands, and what shows the bot got there (read off the replica).
POINTS: dict[str, Callable[[FakeVinted], bool]] = {
    "copy sent": lambda v: bool(v.requests_to("/api/v2/item_upload/drafts", "POST")),
    "copy saved": lambda v: bool(v.drafts),
    "delete sent": lambda v: _posts(v, "/delete") > 0,
    "old deleted": lambda v: any(not i.is_live for i in v.items),
    "completion sent": lambda v: _posts(v, "/completion") > 0,
    "completed": lambda v: any(d.completed_item_id for d in v.drafts),
}


@pytest.mark.parametrize("point", list(POINTS))
async def test_killed_at_each_step_of_a_relist_it_happens_exactly_once(
    product: Product,  # noqa: F811 - the fixture
    point: str,
) -> None:
    product.env |= {"RELIST_MODE": "auto", "RELIST_AFTER_DAYS": "0"}
    vinted = product.vinted
    await product.start()
    card = await connect_and_send_album(product)
    product.tg.user_presses(SELLER, card, "Valider")
    await vinted.wait_for(lambda: vinted.items, timeout=120, what="the listing")
    [old] = vinted.items
    await vinted.wait_for(lambda: POINTS[point](vinted), timeout=120, what=f"reaching {point}")
    await product.stop(signal.SIGKILL)

    await product.start()
    told = await product.tg.wait_for_message(
        SELLER, "Remis en ligne sur Vinted", since=card, timeout=150
    )
    await product.stop()

    [live] = vinted.live_items
    assert live.id != old.id and not vinted.item(old.id).is_live  # type: ignore[union-attr]
    assert live.title == old.title and live.price is not None and live.price < old.price
    assert [d for d in vinted.drafts if d.is_open] == []  # no copy left behind
    assert len(vinted.drafts) == 1  # one copy was ever saved
    assert f"/items/{live.id}" in told.content
    db = await Database.open(product.data_dir / "bot.db")
    try:
        rows = await db.fetchall("SELECT item_id, state FROM listings")
        relists = await db.fetchall("SELECT status, new_item_id FROM relists")
    finally:
        await db.close()
    assert [(r["item_id"], r["state"]) for r in rows] == [(str(live.id), "live")]
    assert [(r["status"], r["new_item_id"]) for r in relists] == [("done", str(live.id))]
