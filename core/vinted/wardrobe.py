"""Finding a listing again on the seller's wardrobe."""

from __future__ import annotations

import re

from core.vinted import selectors as sel
from core.vinted.helpers import same_title
from core.vinted.page import Run


async def find_on_wardrobe(run: Run, user_id: int, title: str) -> int | None:
    """Return the newest listing with this title on the member's wardrobe page."""
    run.step = "find_listing"
    page = run.page
    await run.goto(run.url(sel.wardrobe_path(user_id)))
    grid = page.locator(sel.WARDROBE_ITEMS).first
    await run.wait(grid, sel.WARDROBE_ITEMS, state="attached")  # empty: no height
    entries: list[list[str]] = await page.locator(sel.WARDROBE_ITEM_TITLE).evaluate_all(
        "els => els.map(e => [e.getAttribute('data-testid') || '', e.textContent || ''])"
    )
    wanted = same_title(title)
    for test_id, shown in entries:
        found = re.fullmatch(sel.WARDROBE_ITEM_ID_PATTERN, test_id)
        if found and same_title(shown) == wanted:
            return int(found[1])
    return None
