"""Publish listings through Vinted's upload page in a headless Chromium, as the seller would.

One browser per process, one short-lived BrowserContext per call holding the seller's cookies.
Every call returns the cookies as they stand afterwards: Vinted rotates its tokens, and the
refresh token is single use, so the caller must save them.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from playwright.async_api import Error as PlaywrightError

from core.catalog import Category
from core.market.models import MarketQuery, MarketRead
from core.marketplace import (
    BrowserFailed,
    CatalogNode,
    Cookies,
    DryRunDone,
    HealthReport,
    KnownSink,
    ListingLookupFailed,
    ListingQuery,
    OnCreated,
    Outcome,
    PublishResult,
    SessionInfo,
    WardrobeListing,
)
from core.vinted import relist
from core.vinted import selectors as sel
from core.vinted.browser import Chromium
from core.vinted.category import catalog_node, fetch_catalogs, leaf_path
from core.vinted.errors import Crashed, Stop
from core.vinted.form import fill_form, open_upload_page
from core.vinted.health import health_check
from core.vinted.helpers import match_size
from core.vinted.listing import MODES, ListingToPublish, invalid_listing
from core.vinted.market import read_market
from core.vinted.page import CookieSink, Run, RunConfig, guarded, open_run
from core.vinted.session import check_session, current_user
from core.vinted.submit import submit
from core.vinted.wardrobe import find_on_wardrobe

__all__ = ["ListingToPublish", "VintedPublisher", "match_size"]

log = logging.getLogger(__name__)
T = TypeVar("T")


class VintedPublisher:
    """Drive Vinted's upload page for any number of sellers from one headless Chromium."""

    def __init__(
        self,
        base_url: str,
        *,
        executable_path: str | None,
        screenshots_dir: Path,
        headless: bool = True,
        timeout_ms: int = 30_000,
        slow_typing_ms: tuple[int, int] = (30, 90),
        photo_timeout_ms: int = 120_000,
        session_refresh_timeout_ms: int = 15_000,
        locale: str = "fr-FR",
        timezone_id: str = "Europe/Paris",
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._chromium = Chromium(
            executable_path=executable_path,
            headless=headless,
            locale=locale,
            timezone_id=timezone_id,
        )
        self._config = RunConfig(
            base_url=self.base_url,
            screenshots_dir=Path(screenshots_dir),
            timeout_ms=timeout_ms,
            photo_timeout_ms=photo_timeout_ms,
            refresh_timeout_ms=session_refresh_timeout_ms,
            typing_ms=(min(slow_typing_ms), max(slow_typing_ms)),
            rng=random.Random(),
        )

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> None:
        """Launch the browser (once)."""
        await self._chromium.start()

    async def close(self) -> None:
        """Close the browser."""
        await self._chromium.close()

    async def __aenter__(self) -> VintedPublisher:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # ------------------------------------------------------------------ public calls
    async def check_session(
        self, cookies: Cookies, *, on_cookies: CookieSink | None = None
    ) -> SessionInfo | Outcome:
        """Return who the cookies sign in, or why they do not."""
        found, run = await self._call(cookies, on_cookies, check_session)
        if isinstance(found, Outcome):
            return found
        user_id, login = found
        assert run is not None
        return SessionInfo(user_id=user_id, login=login, cookies=run.cookies)

    async def publish(
        self,
        cookies: Cookies,
        listing: ListingToPublish,
        *,
        mode: str = "publish",
        on_created: OnCreated | None = None,
        on_known: KnownSink | None = None,
        on_cookies: CookieSink | None = None,
    ) -> PublishResult:
        """Fill the upload form and publish it, save it as a Vinted draft, or stop before.

        on_known(ids) is awaited just before sending, with the listings already on the
        wardrobe; on_created(item_id) as soon as the create (or draft) call's answer is read,
        before the page may see it: the caller stores both first, so a crash afterwards can
        neither lead to a second listing nor take another listing for ours.
        """
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        invalid = invalid_listing(listing)
        if invalid is not None:
            return PublishResult(invalid, cookies=list(cookies), step=invalid.step)
        outcome, run = await self._call(
            cookies, on_cookies, lambda run: _publish(run, listing, mode, on_created, on_known)
        )
        log.info("publish (%s) ended: %s", mode, outcome.describe())
        if run is None:
            return PublishResult(outcome=outcome, cookies=list(cookies), step=outcome.step)
        return PublishResult(
            outcome=outcome,
            cookies=run.cookies,
            step=outcome.step,
            screenshot=outcome.screenshot,
            notes=run.notes,
            left_out=dict(run.left_out),
            maybe_created=run.maybe_created and not outcome.success,
            typing_seconds=run.typing_seconds,
        )

    async def health_check(
        self,
        cookies: Cookies,
        *,
        sample: Category | None = None,
        on_cookies: CookieSink | None = None,
    ) -> HealthReport:
        """Open the upload page and check every selector the publisher needs; publish nothing.

        A leaf category is chosen (ours for `sample` in the site's tree, or the first leaf of
        the catalog) so that the leaf-only fields show up.
        """
        missing: list[str] = []
        checked: list[str] = []
        screenshot: Path | None = None

        async def check(run: Run) -> None:
            nonlocal screenshot
            await health_check(run, sample, missing, checked)
            if missing:
                screenshot = await run.screenshot("health_check")

        result, run = await self._call(cookies, on_cookies, check)
        if isinstance(result, Outcome):
            return HealthReport(
                ok=False,
                missing=missing,
                outcome=result,
                cookies=list(cookies) if run is None else run.cookies,
                checked=checked,
                screenshot=result.screenshot,
            )
        assert run is not None
        return HealthReport(
            ok=not missing,
            missing=missing,
            cookies=run.cookies,
            checked=checked,
            screenshot=screenshot,
        )

    async def read_catalog(
        self, cookies: Cookies, *, on_cookies: CookieSink | None = None
    ) -> list[CatalogNode] | Outcome:
        """Return the site's category tree as the seller's session sees it."""
        found, _ = await self._call(cookies, on_cookies, _catalog)
        return found

    async def read_market(
        self, cookies: Cookies, query: MarketQuery, *, on_cookies: CookieSink | None = None
    ) -> MarketRead | Outcome:
        """Return what sold like the item and Vinted's suggestion, as the session sees it."""
        found, _ = await self._call(cookies, on_cookies, lambda run: read_market(run, query))
        return found

    async def find_listing(
        self,
        cookies: Cookies,
        user_id: int,
        query: ListingQuery,
        *,
        on_cookies: CookieSink | None = None,
    ) -> int | None:
        """Return the id of the seller's listing that answers the query, read from the API.

        None means the wardrobe was read and holds no such listing. When it cannot be read
        (captcha, logged out, page changed) or two listings could be ours,
        ListingLookupFailed is raised instead: a guess could publish the item twice.
        """
        found, _ = await self._call(
            cookies, on_cookies, lambda run: find_on_wardrobe(run, user_id, query)
        )
        if isinstance(found, Outcome):
            raise ListingLookupFailed(found)
        return found

    async def read_wardrobe(
        self, cookies: Cookies, user_id: int, *, on_cookies: CookieSink | None = None
    ) -> list[WardrobeListing] | Outcome:
        """Return the member's listings and Vinted drafts, read from the wardrobe API."""
        found, _ = await self._call(cookies, on_cookies, lambda run: relist.listings(run, user_id))
        return found

    async def delete_listing(
        self, cookies: Cookies, user_id: int, item_id: int, *, on_cookies: CookieSink | None = None
    ) -> Outcome | None:
        """Delete a live listing; None once the wardrobe no longer shows it."""
        done, _ = await self._call(
            cookies, on_cookies, lambda run: relist.delete_listing(run, user_id, item_id)
        )
        return done

    async def complete_draft(
        self,
        cookies: Cookies,
        user_id: int,
        draft_id: int,
        query: ListingQuery,
        *,
        on_cookies: CookieSink | None = None,
    ) -> Outcome:
        """Publish a Vinted draft (or find the listing it already became)."""
        done, _ = await self._call(
            cookies, on_cookies, lambda run: relist.complete_draft(run, user_id, draft_id, query)
        )
        return done

    async def delete_draft(
        self, cookies: Cookies, draft_id: int, *, on_cookies: CookieSink | None = None
    ) -> Outcome | None:
        """Delete a Vinted draft (one already gone counts)."""
        done, _ = await self._call(
            cookies, on_cookies, lambda run: relist.delete_draft(run, draft_id)
        )
        return done

    async def _call(
        self,
        cookies: Cookies,
        on_cookies: CookieSink | None,
        work: Callable[[Run], Awaitable[T]],
    ) -> tuple[T | Outcome, Run | None]:
        """Run one call's steps in a context holding the seller's cookies, as a typed outcome.

        The run is None when the browser could not even open the session: then nothing was
        sent to the site and the cookies are as they were.
        """
        opened: Run | None = None
        try:
            async with open_run(self._chromium, self._config, cookies, on_cookies) as run:
                opened = run
                return await guarded(run, work(run)), run
        except PlaywrightError as exc:
            if opened is not None:
                raise  # guarded() turns every step's error into an outcome: not set-up
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            log.warning("the browser could not open a session: %s", detail)
            return BrowserFailed(step="browser", detail=detail), None


# ---------------------------------------------------------------------- steps
async def _catalog(run: Run) -> list[CatalogNode]:
    run.step = "catalog"
    await run.goto(run.url("/"))
    return [catalog_node(node) for node in await fetch_catalogs(run)]


# ---------------------------------------------------------------------- publishing
async def _publish(
    run: Run,
    listing: ListingToPublish,
    mode: str,
    on_created: OnCreated | None,
    on_known: KnownSink | None,
) -> Outcome:
    """Fill and send the form; after a crash, once more from a fresh page if nothing left."""
    known: list[int] = []

    async def remember(ids: list[int]) -> None:
        known[:] = ids
        if on_known is not None:
            await on_known(ids)

    for attempt in (1, 2):
        try:
            await open_upload_page(run, [sel.PHOTO_INPUT])
            nodes = await leaf_path(run, listing)
            await fill_form(run, listing, nodes)
            if mode == "dry_run":
                run.step = "dry_run"
                shot = await run.screenshot("dry_run")
                return DryRunDone(step="dry_run", screenshot=shot)
            return await submit(run, mode, on_created, remember)
        except Crashed:
            if attempt == 2:
                raise
            if run.maybe_created and not await _safe_to_retry(run, listing, mode, known):
                raise
            run.watch.ignore()
            run.notes.append(f"the page crashed at {run.step!r}: reloaded, filled it again")
            log.warning("upload page crashed at %r: retrying the whole form", run.step)
    raise AssertionError("unreachable")


async def _safe_to_retry(run: Run, listing: ListingToPublish, mode: str, known: list[int]) -> bool:
    """Return whether a crashed create call left no listing behind, as the wardrobe API says."""
    step = run.step
    query = ListingQuery(
        title=listing.title,
        price=listing.price,
        photo_count=len(listing.photos),
        is_draft=mode == "draft",
        exclude=frozenset(known),
    )
    try:
        user_id, _ = await current_user(run)
        found = await find_on_wardrobe(run, user_id, query)
    except (Stop, Crashed, PlaywrightError) as exc:
        run.notes.append(f"after the crash the wardrobe could not be checked: {exc}")
        return False
    finally:
        run.step = step
    if found is not None:
        run.notes.append(
            f"after the crash item {found} titled {listing.title!r} is on the wardrobe: "
            "not retried; reconcile with find_listing"
        )
        return False
    return True
