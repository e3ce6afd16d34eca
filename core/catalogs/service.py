"""Each draft's leaf in the marketplace's own tree: read the tree, resolve, ask when unsure.

The tree of the bot's site is read through a seller's session on /connect and then daily,
and kept. A draft's category is resolved when the draft is written (and again for every open
draft when a seller connects): by meaning first (core.catalogs.resolver); when the titles do
not settle it, the model chooses among the few candidate leaves (a cheap text call); when it
is still unsure, the card asks the seller, with buttons that walk the real tree. Before any
tree is known, drafts have no leaf yet and the built-in list names their category.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from urllib.parse import urlparse

from core.accounts.sessions import SessionVault
from core.accounts.vault import SessionUnreadable
from core.analysis import AnalysisBadAnswer, AnalysisUnavailable, VisionAnalyser
from core.catalog import get_category
from core.catalogs.repository import (
    HOW_MODEL,
    HOW_RULES,
    HOW_SELLER,
    HOW_UNSURE,
    CatalogRepository,
    DraftCategory,
)
from core.catalogs.resolver import choice_from_ids, find_node, resolve
from core.drafts.lifecycle import EDITABLE
from core.drafts.models import Draft
from core.drafts.repository import DraftRepository
from core.events import EventLog
from core.marketplace import CatalogNode, CategoryChoice, Marketplace, Outcome

log = logging.getLogger(__name__)

MODEL_CONFIDENCE = 0.6  # below this the model's pick is a guess: the seller chooses
STALE_AFTER = timedelta(days=1)


class CategoryNotFound(LookupError):
    """The category the seller picked is not a leaf of the site's tree (an old button)."""


class CatalogService:
    """The site's tree and the drafts' leaves in it."""

    def __init__(
        self,
        repo: CatalogRepository,
        marketplace: Marketplace,
        sessions: SessionVault,
        analyser: VisionAnalyser,
        drafts: DraftRepository,
        events: EventLog,
        *,
        base_url: str,
    ) -> None:
        self.repo = repo
        self.marketplace = marketplace
        self.sessions = sessions
        self.analyser = analyser
        self.drafts = drafts
        self.events = events
        self.site = urlparse(base_url).hostname or base_url

    # ---- the tree ------------------------------------------------------------------------

    async def refresh(self, user_id: int) -> bool:
        """Read the site's tree through the seller's session and keep it; False if it failed.

        The caller holds the account's lock (`sessions.account_lock`).
        """
        try:
            checkout = await self.sessions.checkout(user_id)
        except SessionUnreadable:
            return False
        if checkout is None:
            return False
        found = await self.marketplace.read_catalog(
            [dict(c) for c in checkout.cookies],
            on_cookies=self.sessions.writer(user_id, checkout),
        )
        if isinstance(found, Outcome) or not found:
            log.warning("could not read the catalog of %s: %s", self.site, found)
            return False
        await self.repo.save_tree(self.site, found)
        log.info("read the catalog of %s (%d roots)", self.site, len(found))
        return True

    async def read_if_none(self, draft: Draft) -> bool:
        """Read the site's tree when none is kept and the draft has no leaf yet; True if read.

        The caller holds the account's lock.
        """
        if await self.choice_for(draft) is None and await self.tree() is None:
            return await self.refresh(draft.user_id)
        return False

    async def refresh_if_stale(self, user_id: int) -> bool:
        """Read the tree again when the kept one is a day old (or none is kept)."""
        stored = await self.repo.tree(self.site)
        if stored is not None and self.repo.db.now() - stored[1] < STALE_AFTER:
            return False
        async with self.sessions.account_lock(user_id):
            return await self.refresh(user_id)

    async def tree(self) -> list[CatalogNode] | None:
        stored = await self.repo.tree(self.site)
        return None if stored is None else stored[0]

    async def children(self, node_id: int | None) -> tuple[list[CatalogNode], list[CatalogNode]]:
        """Return the path to a node (root first, empty for the roots) and its children."""
        tree = await self.tree() or []
        if node_id is None:
            return [], tree
        path = find_node(tree, node_id) or []
        return path, list(path[-1].children) if path else tree

    # ---- a draft's leaf ------------------------------------------------------------------

    async def resolve(self, draft: Draft) -> DraftCategory | None:
        """Return the draft's leaf in the site's tree (resolving it now if needed), or None."""
        tree = await self.tree()
        if tree is None or draft.id is None:
            return None
        kept = await self.repo.choice(self.site, draft.id)
        if (
            kept is not None
            and kept.category == draft.category
            and (kept.how == HOW_UNSURE or choice_from_ids(tree, kept.ids) is not None)
        ):
            return kept
        return await self._resolve(draft, tree)

    async def _resolve(self, draft: Draft, tree: list[CatalogNode]) -> DraftCategory:
        assert draft.id is not None
        category = get_category(draft.category)
        found = resolve(tree, category) if category is not None else None
        if found is not None and found.sure and found.choice is not None:
            return await self._keep(draft, found.choice, HOW_RULES)
        candidates = found.candidates if found is not None else []
        if candidates:
            paths = [" > ".join(c.titles) for c in candidates]
            try:
                index, confidence, usage = await self.analyser.choose_category(
                    draft.listing(), paths
                )
            except (AnalysisUnavailable, AnalysisBadAnswer) as exc:
                log.info("the model could not choose a category for draft %s: %s", draft.id, exc)
            else:
                await self.events.log(
                    draft.user_id,
                    "category_choice",
                    {"draft_id": draft.id, "tokens": usage.total_tokens, "confidence": confidence},
                )
                if index is not None and confidence >= MODEL_CONFIDENCE:
                    return await self._keep(draft, candidates[index], HOW_MODEL)
        unsure = DraftCategory(
            draft_id=draft.id,
            category=draft.category,
            how=HOW_UNSURE,
            candidates=[list(c.ids) for c in candidates],
            resolved_at=self.repo.db.now(),
        )
        await self.repo.save_choice(self.site, unsure)
        return unsure

    async def _keep(self, draft: Draft, choice: CategoryChoice, how: str) -> DraftCategory:
        assert draft.id is not None
        kept = DraftCategory(
            draft_id=draft.id,
            category=draft.category,
            ids=list(choice.ids),
            titles=list(choice.titles),
            how=how,
            resolved_at=self.repo.db.now(),
        )
        await self.repo.save_choice(self.site, kept)
        return kept

    async def choose(self, user_id: int, draft_id: int, leaf_id: int) -> DraftCategory:
        """Record the seller's own choice of leaf for their draft."""
        draft = await self.drafts.get(draft_id, user_id)
        tree = await self.tree()
        path = find_node(tree or [], leaf_id)
        if draft is None or path is None or path[-1].children:
            raise CategoryNotFound(leaf_id)
        return await self._keep(
            draft,
            CategoryChoice(ids=tuple(n.id for n in path), titles=tuple(n.title for n in path)),
            HOW_SELLER,
        )

    async def placed(self, draft: Draft) -> DraftCategory | None:
        """Return the draft's kept leaf (or its open question) without resolving anything."""
        if draft.id is None:
            return None
        kept = await self.repo.choice(self.site, draft.id)
        return kept if kept is not None and kept.category == draft.category else None

    async def candidates(self, draft: Draft) -> list[CategoryChoice]:
        """Return the leaves the seller is offered first for an unsure draft."""
        kept = await self.placed(draft)
        tree = await self.tree() or []
        found = [choice_from_ids(tree, ids) for ids in (kept.candidates if kept else [])]
        return [c for c in found if c is not None]

    async def choice_for(self, draft: Draft) -> CategoryChoice | None:
        """Return the leaf a publish of this draft uses, None when none is settled."""
        found = await self.resolve(draft)
        return None if found is None else found.choice

    async def needs_seller(self, draft: Draft) -> bool:
        """Return whether the seller must choose the draft's category before it can go."""
        found = await self.resolve(draft)
        return found is not None and found.choice is None

    async def resolve_open(
        self, user_id: int, progress: Callable[[int], Awaitable[None]] | None = None
    ) -> int:
        """Resolve every open draft of the seller again (after they connected); return how many."""
        count = 0
        for draft in await self.drafts.of_statuses(user_id, EDITABLE):
            await self.resolve(draft)
            count += 1
            if progress is not None:
                await progress(count)
        return count
