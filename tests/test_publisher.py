"""The publisher drives a real headless Chromium through the local Vinted replica."""

from __future__ import annotations

import dataclasses
import itertools
import stat
import statistics
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from core.config import Settings
from core.market.models import MarketQuery, MarketRead
from core.marketplace import (
    CaptchaRequired,
    DryRunDone,
    FieldRejected,
    ListingLookupFailed,
    ListingQuery,
    NetworkFailure,
    PageChanged,
    Published,
    RateLimited,
    SavedAsDraft,
    SessionExpired,
    SessionInfo,
    VerificationRequired,
)
from core.models import Condition
from core.vinted import selectors as sel
from core.vinted.errors import Stop
from core.vinted.form import open_upload_page
from core.vinted.mapping import CONDITION_IDS
from core.vinted.page import Run, guarded, open_run
from core.vinted.publisher import ListingToPublish, VintedPublisher, match_size
from tests.fakes.vinted import SITES, CreatedItem, FakeVinted, RecordedRequest, Switches
from tests.fakes.vinted.market import sold_for

pytestmark = pytest.mark.asyncio(loop_scope="module")

REPO = Path(__file__).resolve().parents[1]
TESTDATA = REPO.parent / "shared" / "testdata"
JEANS_PHOTOS = [
    TESTDATA / "clothes" / "01033304-f9a4-48c4-af65-677512880fae.jpg",
    TESTDATA / "clothes" / "361cbb64-95f4-4be3-a01c-3aba98fa509f.jpg",
]
WOMEN_JEANS = ["Femmes", "Vêtements", "Jeans"]
WOMEN_TSHIRTS = ["Femmes", "Vêtements", "Hauts et t-shirts", "T-shirts"]
# Short picker delays keep the module fast; every test starts from a well-behaved Vinted.
CALM = Switches(picker_delay=0.05)
_user_ids = itertools.count(5_000_001)


@dataclass
class Seller:
    """A member of the replica and the cookies their browser holds."""

    user_id: int
    login: str
    jar: dict[str, str]

    @property
    def cookies(self) -> list[dict[str, Any]]:
        """Return the cookies as the vault hands them over (Playwright's shape)."""
        return [
            {
                "name": name,
                "value": value,
                "domain": "127.0.0.1",
                "path": "/",
                "expires": -1,
                "httpOnly": name.endswith("_token_web"),
                "secure": False,
                "sameSite": "Lax",
            }
            for name, value in self.jar.items()
        ]


def leaf(path: list[str]) -> dict[str, Any]:
    """Return a leaf of the replica's tree as the catalogs service hands it to the form."""
    nodes = [SITES["fr"].catalog.by_path(path[:n]) for n in range(1, len(path) + 1)]
    ids = [node.id for node in nodes if node is not None]
    assert len(ids) == len(path), path
    return {"category_ids": ids, "category_titles": list(path)}


def jeans(**changes: Any) -> ListingToPublish:
    path = changes.pop("category_path", WOMEN_JEANS)
    listing = ListingToPublish(
        title="Jean Levi's 501 taille haute",
        description="Porté quelques fois, aucun défaut.\nCoupe droite.\n\n#levis #jean #vintage",
        price=12.5,
        **leaf(path),
        brand="levi's",
        size="M",
        condition=Condition.VERY_GOOD,
        colours=["bleu", "white", "schwarz"],
        material="coton",
        photos=JEANS_PHOTOS,
        package_size=3,
    )
    return dataclasses.replace(listing, **changes)


def query_for(title: str, exclude: set[int] | None = None) -> ListingQuery:
    """The look-up for the jeans listing: its title, price and photo count."""
    return ListingQuery(
        title=title, price=12.5, photo_count=len(JEANS_PHOTOS), exclude=frozenset(exclude or ())
    )


def items_of(vinted: FakeVinted, seller: Seller) -> list[CreatedItem]:
    return [i for i in vinted.items if i.user_id == seller.user_id]


def requests_of(
    vinted: FakeVinted, seller: Seller, path: str, method: str | None = None
) -> list[RecordedRequest]:
    """Return the seller's requests to a path (the replica serves the whole module)."""
    return [
        r
        for r in vinted.requests_to(path, method)
        if r.cookies.get("v_uid") == str(seller.user_id)
    ]


def cookie(cookies: list[dict[str, Any]], name: str) -> str:
    return next(c["value"] for c in cookies if c["name"] == name)


def is_png(path: Path | None) -> bool:
    return path is not None and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def vinted() -> AsyncIterator[FakeVinted]:
    async with FakeVinted(switches=CALM) as fake:
        yield fake


def publisher_for(vinted: FakeVinted, screenshots_dir: Path) -> VintedPublisher:
    """Return a publisher on the replica, quick to type and to give up (for the tests)."""
    return VintedPublisher(
        vinted.base_url,
        executable_path=Settings(_env_file=None).chromium_executable(),  # type: ignore[call-arg]
        screenshots_dir=screenshots_dir,
        timeout_ms=8_000,
        slow_typing_ms=(0, 2),
        session_refresh_timeout_ms=1_500,
    )


def join(vinted: FakeVinted) -> Seller:
    """Make a new member of the replica and return them with their cookies."""
    user_id = next(_user_ids)
    login = f"seller{user_id}"
    return Seller(user_id, login, vinted.add_account(user_id=user_id, login=login))


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def publisher(
    vinted: FakeVinted, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[VintedPublisher]:
    async with publisher_for(vinted, tmp_path_factory.mktemp("screenshots")) as started:
        yield started


@pytest.fixture
def seller(vinted: FakeVinted) -> Iterator[Seller]:
    yield join(vinted)
    vinted.set_switches(**dataclasses.asdict(CALM))


# ---------------------------------------------------------------- publishing
async def test_seller_publishes_and_vinted_receives_every_field_exactly(
    publisher: VintedPublisher, vinted: FakeVinted, seller: Seller
) -> None:
    created: list[tuple[int, int]] = []

    async def remember(item_id: int) -> None:
        # Crash safety: the id is ours before the page even heads for the wardrobe.
        created.append((item_id, len(vinted.requests_to(f"/member/{seller.user_id}"))))

    result = await publisher.publish(seller.cookies, jeans(), on_created=remember)

    [item] = items_of(vinted, seller)
    assert result.outcome == Published(
        item.id, f"{vinted.base_url}/items/{item.id}", step="submit"
    )
    assert created == [(item.id, 0)]
    assert (result.maybe_created, result.notes) == (False, [])
    assert item.title == "Jean Levi's 501 taille haute"
    assert item.description == (
        "Porté quelques fois, aucun défaut.\nCoupe droite.\n\n#levis #jean #vintage"
    )
    assert (item.price, item.item["currency"]) == (12.5, "EUR")
    assert item.catalog_id == vinted.catalog_id(WOMEN_JEANS)
    assert (item.brand_id, item.brand) == (10, "Levi's")
    assert (item.size_id, item.condition_id) == (4, 2)  # very good is status_id 2
    assert item.color_ids == [9, 12]  # blue, white; black is a third colour, over the cap
    assert (item.material_ids, item.package_size_id, item.push_up) == ([44], 3, False)
    assert [p.data for p in item.photos] == [p.read_bytes() for p in JEANS_PHOTOS]
    assert [p["id"] for p in item.item["assigned_photos"]] == [p.id for p in item.photos]
    assert item.headers["x-csrf-token"] == vinted.csrf_token(seller.user_id)
    assert item.headers["x-anon-id"] == seller.jar["anon_id"]
    assert "HeadlessChrome" not in item.headers["user-agent"]
    assert item.headers["accept-language"].startswith("fr-FR")


async def test_draft_mode_saves_a_vinted_draft_and_an_unknown_brand_goes_in_as_custom(
    publisher: VintedPublisher, vinted: FakeVinted, seller: Seller
) -> None:
    created: list[int] = []

    async def remember(item_id: int) -> None:
        created.append(item_id)

    sweaters = ["Femmes", "Vêtements", "Sweats et pulls"]
    result = await publisher.publish(
        seller.cookies,
        jeans(
            brand="Atelier Dupont",
            category_path=[*sweaters, "Autres sweats et pulls"],
            price=7.9,
        ),
        mode="draft",
        on_created=remember,
    )

    [draft] = [d for d in vinted.drafts if d.user_id == seller.user_id]
    assert result.outcome == SavedAsDraft(draft.id, step="submit")
    # A Vinted draft's id is kept the same way as a listing's.
    assert items_of(vinted, seller) == [] and created == [draft.id]
    assert draft.catalog_id == vinted.catalog_id([*sweaters, "Autres sweats et pulls"])
    # A brand Vinted's search does not know goes in as a custom brand, as the page offers.
    assert (draft.brand_id, draft.brand, draft.price) == (None, "Atelier Dupont", 7.9)
    assert any("Atelier Dupont" in note for note in result.notes)


async def test_dry_run_fills_the_form_returns_a_screenshot_and_creates_nothing(
    publisher: VintedPublisher, vinted: FakeVinted, seller: Seller
) -> None:
    result = await publisher.publish(seller.cookies, jeans(), mode="dry_run")

    assert isinstance(result.outcome, DryRunDone)
    assert is_png(result.outcome.screenshot) and result.screenshot == result.outcome.screenshot
    assert stat.S_IMODE(result.outcome.screenshot.stat().st_mode) == 0o600  # the seller's page
    assert len(requests_of(vinted, seller, "/api/v2/photos", "POST")) == len(JEANS_PHOTOS)
    assert items_of(vinted, seller) == []
    assert [d for d in vinted.drafts if d.user_id == seller.user_id] == []


async def test_typed_price_survives_a_page_that_ignores_untrusted_input(
    publisher: VintedPublisher, vinted: FakeVinted, seller: Seller
) -> None:
    vinted.set_variant("strict_price")

    result = await publisher.publish(seller.cookies, jeans(price=19.9))

    [item] = items_of(vinted, seller)
    assert isinstance(result.outcome, Published) and item.price == 19.9


async def test_size_that_vinted_does_not_offer_is_rejected_before_sending(
    publisher: VintedPublisher, vinted: FakeVinted, seller: Seller
) -> None:
    result = await publisher.publish(seller.cookies, jeans(size="W32"))

    assert isinstance(result.outcome, FieldRejected)
    assert (result.outcome.field, result.step) == ("size", "size")
    assert "M / 38 / 10" in result.outcome.message
    assert is_png(result.screenshot)
    assert requests_of(vinted, seller, "/api/v2/item_upload/items") == []


async def test_our_size_strings_find_vinteds_labels() -> None:
    women = ["XS / 34 / 6", "S / 36 / 8", "M / 38 / 10", "Taille unique"]

    assert [match_size(s, women) for s in ("M", "s", "38", "TU", "XXL")] == [2, 1, 2, 3, None]
    assert match_size("W32 L34", ["W30", "W32"]) == 1
    assert match_size("38.5", ["38", "38,5"]) == 1


# ---------------------------------------------------------------- Vinted pushes back
@pytest.mark.parametrize(
    ("variant", "expected"),
    [
        ("logged_out", SessionExpired),
        ("datadome", CaptchaRequired),
        ("verification", VerificationRequired),
        ("rate_limited_pages", RateLimited),
    ],
)
async def test_a_blocked_upload_page_ends_in_its_own_outcome_with_a_screenshot(
    publisher: VintedPublisher,
    vinted: FakeVinted,
    seller: Seller,
    variant: str,
    expected: type,
) -> None:
    vinted.set_variant(variant)

    result = await publisher.publish(seller.cookies, jeans())

    assert type(result.outcome) is expected
    assert result.step == "open_upload_page" and is_png(result.screenshot)
    assert result.outcome.pauses_account == (variant != "rate_limited_pages")
    assert not result.outcome.transient and not result.maybe_created
    assert requests_of(vinted, seller, "/api/v2/photos") == []


async def test_a_rate_limited_create_call_gives_its_retry_after(
    publisher: VintedPublisher, vinted: FakeVinted, seller: Seller
) -> None:
    vinted.set_switches(rate_limited=True, retry_after=90)

    result = await publisher.publish(seller.cookies, jeans())

    assert result.outcome == RateLimited(90.0, step="submit", screenshot=result.screenshot)
    assert result.outcome.kind == "rate_limited" and is_png(result.screenshot)
    assert not result.maybe_created and items_of(vinted, seller) == []


async def test_a_field_vinted_refuses_names_the_field_and_its_message(
    publisher: VintedPublisher, vinted: FakeVinted, seller: Seller
) -> None:
    vinted.set_variant("field_error")

    result = await publisher.publish(seller.cookies, jeans())

    assert result.outcome == FieldRejected(
        "title",
        "Ce champ contient une erreur.",
        step="submit",
        screenshot=result.screenshot,
        said_by_site=True,  # the page's own words: they may reach the seller
    )
    assert is_png(result.screenshot) and not result.outcome.transient
    assert items_of(vinted, seller) == []


async def test_a_crash_dialog_is_reloaded_and_the_listing_published_once(
    publisher: VintedPublisher, vinted: FakeVinted, seller: Seller
) -> None:
    vinted.set_variant("critical_error_once")

    result = await publisher.publish(seller.cookies, jeans())

    [item] = items_of(vinted, seller)
    assert result.outcome == Published(
        item.id, f"{vinted.base_url}/items/{item.id}", step="submit"
    )
    assert len(requests_of(vinted, seller, "/api/v2/item_upload/items", "POST")) == 2
    assert any("reloaded" in note for note in result.notes)


async def test_a_crash_after_vinted_created_the_item_is_not_retried_and_can_be_found(
    publisher: VintedPublisher, vinted: FakeVinted, seller: Seller
) -> None:
    vinted.set_variant("crash_after_create_once")

    result = await publisher.publish(seller.cookies, jeans())

    [item] = items_of(vinted, seller)
    assert isinstance(result.outcome, PageChanged) and result.outcome.transient
    assert result.maybe_created and is_png(result.screenshot)
    assert len(requests_of(vinted, seller, "/api/v2/item_upload/items", "POST")) == 1
    found = await publisher.find_listing(seller.cookies, seller.user_id, query_for(item.title))
    assert found == item.id


async def test_slow_photo_processing_is_waited_for_beyond_the_step_timeout(
    vinted: FakeVinted, seller: Seller, tmp_path: Path
) -> None:
    vinted.set_switches(slow_photos=2.0)
    patient = VintedPublisher(
        vinted.base_url,
        executable_path=Settings(_env_file=None).chromium_executable(),  # type: ignore[call-arg]
        screenshots_dir=tmp_path,
        timeout_ms=1_500,  # each photo takes longer than any other step may
        slow_typing_ms=(0, 2),
    )

    async with patient:
        result = await patient.publish(seller.cookies, jeans())

    [item] = items_of(vinted, seller)
    assert isinstance(result.outcome, Published)
    assert [p.data for p in item.photos] == [p.read_bytes() for p in JEANS_PHOTOS]


async def test_photo_recognition_prefill_is_replaced_by_our_category(
    publisher: VintedPublisher, vinted: FakeVinted, seller: Seller
) -> None:
    vinted.set_variant("photo_recognition")

    result = await publisher.publish(seller.cookies, jeans())

    [item] = items_of(vinted, seller)
    assert requests_of(vinted, seller, "/api/v2/item_upload/catalog_suggestions") != []
    assert item.catalog_id == vinted.catalog_id(WOMEN_JEANS)
    assert (item.size_id, item.material_ids) == (4, [44])
    assert any("T-shirts" in note for note in result.notes)


async def test_upload_page_that_bounces_home_is_reached_through_the_sell_button(
    publisher: VintedPublisher, vinted: FakeVinted, seller: Seller
) -> None:
    vinted.set_variant("upload_redirects_home")

    result = await publisher.publish(seller.cookies, jeans())

    assert isinstance(result.outcome, Published)
    assert [i.id for i in items_of(vinted, seller)] == [result.outcome.item_id]
    assert any("sell button" in note for note in result.notes)


# ---------------------------------------------------------------- session and cookies
async def test_rotated_tokens_come_back_and_only_they_still_sign_in(
    publisher: VintedPublisher, vinted: FakeVinted, seller: Seller
) -> None:
    vinted.set_variant("rotate_cookies")

    result = await publisher.publish(seller.cookies, jeans())

    assert isinstance(result.outcome, Published)
    current = vinted.account_cookies(seller.user_id)
    assert cookie(result.cookies, "refresh_token_web") == current["refresh_token_web"]
    assert current["refresh_token_web"] != seller.jar["refresh_token_web"]
    assert cookie(result.cookies, "access_token_web") == current["access_token_web"]
    vinted.set_switches(rotate_on_upload_page=False)
    assert isinstance(await publisher.check_session(result.cookies), SessionInfo)
    assert isinstance(await publisher.check_session(seller.cookies), SessionExpired)


async def test_check_session_names_the_seller_and_follows_a_session_refresh(
    publisher: VintedPublisher, vinted: FakeVinted, seller: Seller
) -> None:
    vinted.expire_access_token(seller.user_id)
    saved: list[list[dict[str, Any]]] = []

    async def save(cookies: list[dict[str, Any]]) -> None:
        saved.append(cookies)

    info = await publisher.check_session(seller.cookies, on_cookies=save)

    assert isinstance(info, SessionInfo)
    assert (info.user_id, info.login) == (seller.user_id, seller.login)
    current = vinted.account_cookies(seller.user_id)
    assert cookie(info.cookies, "refresh_token_web") == current["refresh_token_web"]
    assert current["refresh_token_web"] != seller.jar["refresh_token_web"]
    assert saved == [info.cookies]


async def test_check_session_fails_cleanly_when_logged_out_or_the_refresh_hangs(
    publisher: VintedPublisher, vinted: FakeVinted, seller: Seller
) -> None:
    vinted.revoke_refresh_token(seller.user_id)

    stale = await publisher.check_session(seller.cookies)

    assert isinstance(stale, SessionExpired) and "refresh" in stale.detail
    assert stale.kind == "session_expired" and is_png(stale.screenshot)
    vinted.set_variant("logged_out")
    assert isinstance(await publisher.check_session([]), SessionExpired)


# ---------------------------------------------------------------- health and reconciliation
async def test_health_check_passes_on_the_replica_and_publishes_nothing(
    publisher: VintedPublisher, vinted: FakeVinted, seller: Seller
) -> None:
    report = await publisher.health_check(seller.cookies)

    assert (report.ok, report.missing, report.outcome) == (True, [], None)
    assert '[data-testid="brand-search--input"]' in report.checked
    assert '[data-testid^="size-group-"][data-testid*="-grid-option-"]' in report.checked
    assert requests_of(vinted, seller, "/api/v2/item_upload/items") == []
    assert requests_of(vinted, seller, "/api/v2/item_upload/drafts") == []


async def test_health_check_reports_a_renamed_selector(
    publisher: VintedPublisher, vinted: FakeVinted, seller: Seller
) -> None:
    vinted.set_variant("broken_selector")

    report = await publisher.health_check(seller.cookies)

    assert (report.ok, report.missing) == (False, ['[data-testid="title--input"]'])
    assert is_png(report.screenshot)


async def test_find_listing_finds_a_published_item_by_title(
    publisher: VintedPublisher, vinted: FakeVinted, seller: Seller
) -> None:
    result = await publisher.publish(seller.cookies, jeans())
    assert isinstance(result.outcome, Published)

    found = await publisher.find_listing(
        result.cookies, seller.user_id, query_for("  jean levi's 501 TAILLE haute ")
    )
    absent = await publisher.find_listing(result.cookies, seller.user_id, query_for("Robe rouge"))
    known = await publisher.find_listing(
        result.cookies,
        seller.user_id,
        query_for(item_title := "Jean Levi's 501 taille haute", {result.outcome.item_id}),
    )

    assert (found, absent, known) == (result.outcome.item_id, None, None)
    assert item_title
    vinted.set_variant("datadome")
    with pytest.raises(ListingLookupFailed) as failed:
        await publisher.find_listing(result.cookies, seller.user_id, query_for("Robe rouge"))
    assert isinstance(failed.value.outcome, CaptchaRequired)


# ---------------------------------------------------------------- the screenshot of a failure
async def test_a_boost_the_site_ticked_is_unticked_and_never_asked_for(
    publisher: VintedPublisher, vinted: FakeVinted, seller: Seller
) -> None:
    vinted.set_variant("boost_ticked")

    result = await publisher.publish(seller.cookies, jeans())

    [item] = items_of(vinted, seller)
    assert isinstance(result.outcome, Published) and item.push_up is False
    assert result.notes == ["the boost box was ticked: unticked it"]


async def test_a_failure_screenshot_shows_the_form_with_the_boost_unticked(
    publisher: VintedPublisher, vinted: FakeVinted, seller: Seller
) -> None:
    vinted.set_switches(boost_ticked=True)
    seen: list[bool] = []

    async def stop_at_the_title(run: Run) -> None:
        await open_upload_page(run, [sel.PHOTO_INPUT])
        seen.append(await run.page.locator(sel.BUMP).is_checked())  # as the site opened it
        raise Stop(PageChanged("title", sel.TITLE))

    async with open_run(publisher._chromium, publisher._config, seller.cookies, None) as run:
        outcome = await guarded(run, stop_at_the_title(run))
        still_ticked = await run.page.locator(sel.BUMP).is_checked()

    assert seen == [True] and not still_ticked
    assert isinstance(outcome, PageChanged) and is_png(outcome.screenshot)
    assert run.notes == ["the boost box was ticked: unticked it before the screenshot"]


async def test_no_screenshot_of_a_page_that_shows_nothing_of_the_site(
    publisher: VintedPublisher, seller: Seller
) -> None:
    async def fail_before_any_page(run: Run) -> None:
        raise Stop(NetworkFailure(step="open_upload_page", detail="connection reset"))

    async with open_run(publisher._chromium, publisher._config, seller.cookies, None) as run:
        outcome = await guarded(run, fail_before_any_page(run))

    assert isinstance(outcome, NetworkFailure) and outcome.screenshot is None


# ---------------------------------------------------------------- market data
async def test_market_data_is_read_through_the_sellers_session(
    publisher: VintedPublisher, vinted: FakeVinted, seller: Seller
) -> None:
    leaf = vinted.catalog_id(WOMEN_JEANS)
    assert leaf is not None
    condition = next(  # a condition the replica has a few sales for
        c for c in Condition if len(sold_for(SITES["fr"], leaf, 10, CONDITION_IDS[c])) >= 3
    )
    expected = sold_for(SITES["fr"], leaf, 10, CONDITION_IDS[condition])

    read = await publisher.read_market(seller.cookies, MarketQuery(leaf, condition, "levi's"))

    assert isinstance(read, MarketRead)
    assert [(s.price, s.size) for s in read.sold] == [(s.price, s.size) for s in expected[:20]]
    assert all(s.currency == "EUR" and s.sold_at is not None for s in read.sold)
    assert read.suggestion is not None
    assert read.suggestion.price == pytest.approx(statistics.median(s.price for s in expected))
    [asked] = requests_of(vinted, seller, "/api/v2/item_upload/items/similar_sold_items")
    assert asked.query["brand_id"] == "10"  # the site's id, looked up by the brand's name
    [posted] = requests_of(vinted, seller, "/api/v2/item_price_suggestions")
    assert posted.headers["x-csrf-token"] == vinted.csrf_token(seller.user_id)
    assert requests_of(vinted, seller, "/api/v2/item_upload/items", "POST") == []


@pytest.mark.parametrize(
    ("variant", "expected"), [("datadome", CaptchaRequired), ("market_moved", PageChanged)]
)
async def test_market_data_that_cannot_be_read_is_an_outcome_not_a_guess(
    publisher: VintedPublisher, vinted: FakeVinted, seller: Seller, variant: str, expected: type
) -> None:
    if variant == "market_moved":
        vinted.set_switches(market_moved=True)
    else:
        vinted.set_variant(variant)
    leaf = vinted.catalog_id(WOMEN_JEANS)
    assert leaf is not None
    read = await publisher.read_market(seller.cookies, MarketQuery(leaf, Condition.GOOD))
    assert isinstance(read, expected)
