"""The replica's knobs: Switches model Vinted's failure modes, VARIANTS name the usual sets.

Pick them with FakeVinted(variant="datadome") or FakeVinted(switches=Switches(...)); change them
on the fly with set_switches(...). A new failure mode is a new switch here, read by its handler.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Switches:
    """Behaviours of the replica that tests turn on to model Vinted's failure modes."""

    logged_out: bool = False  # every session is ignored: pages show the login button, API 401
    datadome: bool = False  # pages serve DataDome's captcha, API calls answer 403
    rate_limited: bool = False  # the create call answers 429 with Retry-After
    rate_limited_pages: bool = False  # every page answers a 429 "too many requests" page
    retry_after: int = 120
    field_error: str | None = None  # e.g. "title": the create call rejects that field
    critical_error_once: bool = False  # the first create answers 500 (crash dialog), no item
    crash_after_create_once: bool = False  # the first create records the item, then 500
    slow_photos: float = 0.0  # seconds each photo takes to process
    strict_price: bool = False  # the price only follows trusted key presses, fill() leaves 0
    verification: bool = False  # signed-in page loads go to /users/verification
    photo_recognition: bool = False  # the first photo pre-fills a category, picker to root
    recognition_path: tuple[str, ...] | None = None  # what it suggests first; None: the site's
    upload_redirects_home: bool = False  # /items/new opened directly (no same-site Referer) -> /
    rotate_on_upload_page: bool = False  # each /items/new load rotates the session cookies
    reject_duplicates: bool = True  # a second identical live listing is refused
    picker_delay: float = 0.15  # seconds the picker lists take, so their loaders show
    renamed_testid: str | None = None  # the upload page ships this data-testid under a new name
    site: str = "fr"  # which country site (sites/): its catalog, words, price format, brand ids
    lowercase_brands: bool = False  # brand search and cells spell brands "levi's", "nike"
    photos_rate_limited: bool = False  # POST /api/v2/photos answers 429 with Retry-After
    no_custom_brand: bool = False  # the brand search never offers custom-select-brand
    boost_ticked: bool = False  # the form opens with the paid boost already ticked
    market_moved: bool = False  # the market-data calls answer 404 "not found"
    # What a draft's completion does (the documents leave it open): "same_id" keeps the
    # draft's id for the item, "new_id" hands a new one, "bare" hands a new one and answers
    # {"code": 0} alone.
    completion: str = "same_id"


VARIANTS: dict[str, dict[str, Any]] = {
    "logged_out": {"logged_out": True},
    "datadome": {"datadome": True},
    "rate_limited": {"rate_limited": True},
    "rate_limited_pages": {"rate_limited_pages": True},
    "field_error": {"field_error": "title"},
    "critical_error_once": {"critical_error_once": True},
    "crash_after_create_once": {"crash_after_create_once": True},
    "slow_photos": {"slow_photos": 2.0},
    "strict_price": {"strict_price": True},
    "verification": {"verification": True},
    "photo_recognition": {"photo_recognition": True},
    "upload_redirects_home": {"upload_redirects_home": True},
    "rotate_cookies": {"rotate_on_upload_page": True},
    "broken_selector": {"renamed_testid": "title--input"},
    "catalog_renamed": {"site": "fr_renamed"},
    "site_de": {"site": "de"},
    "site_uk": {"site": "uk"},
    "lowercase_brands": {"lowercase_brands": True},
    "photos_rate_limited": {"photos_rate_limited": True},
    "no_custom_brand": {"no_custom_brand": True},
    "boost_ticked": {"boost_ticked": True},
}
