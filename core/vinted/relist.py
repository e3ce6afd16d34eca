"""The seller's listings after the fact (UPLOAD-FORM.md section 6): read them back, delete one,
complete or delete a Vinted draft.

Every write carries the CSRF token found in the page's HTML and the anon_id cookie. Whether a
delete or a completion took is read back from the wardrobe API, never taken from its answer
alone: a write cut by a crash is simply asked again, and one that already took is seen there.
"""

from __future__ import annotations

import re

from core.marketplace import (
    DraftMissing,
    FieldRejected,
    ListingQuery,
    LookupDoubt,
    Outcome,
    PageChanged,
    Published,
    WardrobeListing,
)
from core.vinted import selectors as sel
from core.vinted.errors import Stop
from core.vinted.helpers import entity_id, same_title
from core.vinted.page import Answer, Run
from core.vinted.wardrobe import WardrobeItem, wardrobe

_CSRF = re.compile(sel.CSRF_IN_PAGE)


async def write_headers(run: Run) -> dict[str, str] | None:
    """Open the upload page and return the headers a write needs; None without a token."""
    await run.goto(run.url(sel.UPLOAD_PATH))
    found = _CSRF.search(await run.page.content())
    if found is None:
        return None
    anon = next((c["value"] for c in run.cookies if c["name"] == sel.ANON_ID_COOKIE), "")
    return {"x-csrf-token": found[1], "x-anon-id": str(anon)}


async def _headers(run: Run) -> dict[str, str]:
    headers = await write_headers(run)
    if headers is None:
        raise Stop(PageChanged(run.step, "CSRF_TOKEN in the page"))
    return headers


async def listings(run: Run, user_id: int) -> list[WardrobeListing]:
    run.step = "wardrobe"
    await run.goto(run.url("/"))
    return [_listing(item) for item in await wardrobe(run, user_id)]


async def delete_listing(run: Run, user_id: int, item_id: int) -> None:
    """Delete a live listing; return once the wardrobe no longer shows it."""
    run.step = "delete_listing"
    headers = await _headers(run)
    if not _live(await wardrobe(run, user_id), item_id):
        return  # gone already (this delete went through before a crash, or it sold)
    answer = await run.send("POST", sel.item_delete_api(item_id), None, headers)
    if _live(await wardrobe(run, user_id), item_id):
        what = sel.item_delete_api(item_id)
        raise Stop(
            run.api_refusal(answer, what)
            if answer.status >= 300
            else PageChanged(
                run.step, f"{what} answered {answer.status} but the listing is still live"
            )
        )


async def complete_draft(run: Run, user_id: int, draft_id: int, query: ListingQuery) -> Published:
    """Publish a Vinted draft; a draft completed before a crash is found, not sent again."""
    run.step = "complete_draft"
    headers = await _headers(run)
    before = await wardrobe(run, user_id)
    if _open_draft(before, draft_id):
        answer = await run.send("POST", sel.draft_completion_api(draft_id), None, headers)
        created = entity_id(answer.body, "item") if 200 <= answer.status < 300 else None
        if created is not None:
            return Published(created, run.url(sel.item_path(created)), step=run.step)
        after = await wardrobe(run, user_id)
        if _open_draft(after, draft_id):
            raise Stop(_refusal(run, answer, draft_id))
    else:
        after = before
    found = _completed(after, draft_id, query)
    if found is None:
        raise Stop(DraftMissing(step=run.step, draft_id=draft_id))
    return Published(found, run.url(sel.item_path(found)), step=run.step)


async def delete_draft(run: Run, draft_id: int) -> None:
    """Delete a Vinted draft; one already gone counts as deleted."""
    run.step = "delete_draft"
    headers = await _headers(run)
    answer = await run.send("DELETE", sel.draft_api(draft_id), None, headers)
    if answer.status >= 300 and answer.status != 404:
        raise Stop(run.api_refusal(answer, sel.draft_api(draft_id)))


def _listing(item: WardrobeItem) -> WardrobeListing:
    return WardrobeListing(id=item.id, title=item.title, price=item.price, is_draft=item.is_draft)


def _live(items: list[WardrobeItem], item_id: int) -> bool:
    return any(item.id == item_id and not item.is_draft for item in items)


def _open_draft(items: list[WardrobeItem], draft_id: int) -> bool:
    return any(item.id == draft_id and item.is_draft for item in items)


def _completed(items: list[WardrobeItem], draft_id: int, query: ListingQuery) -> int | None:
    """Return the live listing the (no longer open) draft became: its own id if the site kept
    it, else the one new listing answering the query; two candidates are a doubt."""
    if _live(items, draft_id):
        return draft_id
    candidates = [
        item.id
        for item in items
        if not item.is_draft
        and item.id not in query.exclude
        and same_title(item.title) == same_title(query.title)
        and (item.price is None or round(item.price, 2) == round(query.price, 2))
    ]
    if len(candidates) > 1:
        raise Stop(LookupDoubt(detail=", ".join(map(str, candidates))))
    return candidates[0] if candidates else None


def _refusal(run: Run, answer: Answer, draft_id: int) -> Outcome:
    """Why the completion left the draft open: the site's words when it gave some."""
    if answer.status in (401, 403, 429) or answer.status >= 500 or answer.status == 0:
        return run.api_refusal(answer, sel.draft_completion_api(draft_id))
    body = answer.body if isinstance(answer.body, dict) else {}
    for error in body.get("errors") or []:
        if isinstance(error, dict) and error.get("field"):
            said = str(error.get("value", ""))
            return FieldRejected(str(error["field"]), said, step=run.step, said_by_site=bool(said))
    if body.get("message"):
        return FieldRejected("form", str(body["message"]), step=run.step, said_by_site=True)
    return PageChanged(run.step, f"{sel.draft_completion_api(draft_id)} answered {answer.status}")
