"""Every selector, path, header and page text of Vinted the publisher relies on, and nothing else.

Only what ../shared/vinted/UPLOAD-FORM.md names (tests/test_vinted_ground.py checks it): the real
page differs from any replica in every detail the document does not fix. Vinted changes its
front end without notice: when a step fails with "page_changed", the fix belongs here.
Selectors are CSS; functions build the ones that carry an id.
"""

from __future__ import annotations


def _css_string(value: str) -> str:
    """Return value as a double-quoted CSS string."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ") + '"'


def test_id(name: str) -> str:
    """Return the selector of an element by its data-testid."""
    return f"[data-testid={_css_string(name)}]"


# ---------------------------------------------------------------- pages and API paths
UPLOAD_PATH = "/items/new"
SESSION_REFRESH_PATH = "/session-refresh"
VERIFICATION_PATH = "/users/verification"  # also /users/verification/phone
CURRENT_USER_API = "/api/v2/users/current"
CATALOGS_API = "/api/v2/item_upload/catalogs"
BRANDS_API = "/api/v2/item_upload/brands"
# Market data (section 7): sold comparables, and the site's own suggestion (a write: CSRF).
SOLD_ITEMS_API = "/api/v2/item_upload/items/similar_sold_items"
PRICE_SUGGESTION_API = "/api/v2/item_price_suggestions"
CSRF_IN_PAGE = r'"CSRF_TOKEN"\s*:\s*"([^"]+)"'  # the token writes send, in the page's HTML
ANON_ID_COOKIE = "anon_id"  # its value goes in the x-anon-id header of writes
COLOURS_API = "/api/v2/item_upload/colors"
PHOTOS_API = "/api/v2/photos"
CREATE_ITEM_API = "/api/v2/item_upload/items"
SAVE_DRAFT_API = "/api/v2/item_upload/drafts"
# The seller's listings (section 6): edit, delete, and a Vinted draft's completion or deletion.


def item_delete_api(item_id: int) -> str:
    return f"/api/v2/items/{item_id}/delete"


def draft_api(draft_id: int) -> str:
    return f"{SAVE_DRAFT_API}/{draft_id}"


def draft_completion_api(draft_id: int) -> str:
    return f"{SAVE_DRAFT_API}/{draft_id}/completion"


API_PREFIX = "/api/"  # every call the page makes to Vinted's own API


def item_path(item_id: int) -> str:
    """Return the listing's page: /items/{id} (it redirects to /items/{id}-{slug})."""
    return f"/items/{item_id}"


def wardrobe_api(user_id: int, page: int, per_page: int) -> str:
    """Return one page of the member's listings (their drafts too, with their own session)."""
    return f"/api/v2/wardrobe/{user_id}/items?page={page}&per_page={per_page}"


# ---------------------------------------------------------------- header and session
USER_MENU = test_id("user-menu-button")
USER_MENU_LOGIN = f"{USER_MENU} img[alt]"  # its alt text is the member's login
USER_MENU_LOGIN_ATTRIBUTE = "alt"
LOGIN_BUTTON = test_id("header--login-button")
SELL_BUTTON = test_id("prohibited-listing-education-upload-button")
USER_ID_COOKIE = "v_uid"
LOGIN_COOKIES = ("access_token_web", "refresh_token_web")  # a session needs one of them

# ---------------------------------------------------------------- push-back
CAPTCHA = ", ".join(
    [
        'iframe[src*="captcha-delivery"]',
        'iframe[src*="datadome"]',
        "#datadome-captcha",
    ]
)
CAPTCHA_TEXT = "verify you are human"  # DataDome's interstitial, matched case-insensitively
CAPTCHA_API_MARKER = "captcha-delivery"  # in the body of a 403 that DataDome answered
TOO_MANY_REQUESTS_TEXT = "too many requests"  # Vinted's rate-limit page, any case

# ---------------------------------------------------------------- the upload form
PHOTO_INPUT = test_id("add-photos-input")
PHOTO_GRID = test_id("media-upload-grid")
TITLE = test_id("title--input")
DESCRIPTION = test_id("description--input")
PRICE = test_id("price-input--input")
BUMP = test_id("bump-checkbox--input")  # the paid boost: must stay unticked
SAVE_BUTTON = test_id("upload-form-save-button")
SAVE_DRAFT_BUTTON = test_id("upload-form-save-draft-button")
FIELD_ERROR = '[data-testid$="--error"]'
FIELD_ERROR_SUFFIX = "--error"
CRITICAL_ERROR_DIALOG = test_id("item-upload-critical-error-dialog--overlay")


def photo_tile(index: int) -> str:
    """Return the tile of an uploaded photo (0 is the cover)."""
    return test_id(f"image-wrapper-{index}")


# Every picker: `<key>-input` opens `<key>-content`, which shows `<key>--loader` while loading.
CATALOG_PICKER = "catalog-select-dropdown"
BRAND_PICKER = "brand-select-dropdown"
SIZE_PICKER = "category-size-single-grid"
CONDITION_PICKER = "category-condition-single-list"
COLOUR_PICKER = "color-select-dropdown"
MATERIAL_PICKER = "category-material-multi-list"


def picker_input(key: str) -> str:
    return test_id(f"{key}-input")


def picker_content(key: str) -> str:
    return test_id(f"{key}-content")


def picker_loader(key: str) -> str:
    return test_id(f"{key}--loader")


# Category: rows `#catalog-{id}` at each level, root to leaf; a search box; suggestions.
CATALOG_INPUT = picker_input(CATALOG_PICKER)
CATALOG_SEARCH = "#catalog-search-input"


def catalog_row(catalog_id: int) -> str:
    return f"#catalog-{catalog_id}"


def catalog_suggestion(catalog_id: int) -> str:
    return test_id(f"catalog-suggestion-{catalog_id}")


# Brand: a search box; cells by aria-label (steadier than `#brand-{id}`); no brand; custom.
BRAND_INPUT = "#brand"
BRAND_SEARCH = test_id("brand-search--input")
NO_BRAND = "#empty-brand"
CUSTOM_BRAND = test_id("custom-select-brand")  # "use « X » as the brand": X is not on the list
BRAND_CELLS = '[role="button"][aria-label]'
BRAND_CELL_LABEL = "aria-label"


def brand_row(brand_id: int) -> str:
    return f"#brand-{brand_id}"


# Size: options `size-group-{g}-grid-option-{id}`, read by what they show ("M / 38 / 10").
SIZE_OPTION = '[data-testid^="size-group-"][data-testid*="-grid-option-"]'
SIZE_LABEL_SEPARATOR = "/"


# Condition: `#condition-{status_id}` (UPLOAD-FORM.md section 4 gives the ids).
CONDITION_OPTION = '[id^="condition-"]'


def condition_option(status_id: int) -> str:
    return f"#condition-{status_id}"


# Colours (max 2): a row `color-{id}` around its checkbox `color-checkbox-{id}`.
MAX_COLOURS = 2
COLOUR_ROW = '[data-testid^="color-"]:not([data-testid^="color-checkbox-"])'
COLOUR_ROW_PREFIX = "color-"


def colour_row(colour_id: int) -> str:
    return test_id(f"color-{colour_id}")


def colour_checkbox(colour_id: int) -> str:
    return test_id(f"color-checkbox-{colour_id}")


# Material (max 3): rows `material-{id}` around `material-checkbox-{id}`, read by their label.
MAX_MATERIALS = 3
MATERIAL_ROW = '[data-testid^="material-"]:not([data-testid^="material-checkbox-"])'
MATERIAL_ROW_PREFIX = "material-"


def material_row(material_id: int) -> str:
    return test_id(f"{MATERIAL_ROW_PREFIX}{material_id}")


def material_checkbox(material_id: int) -> str:
    return test_id(f"material-checkbox-{material_id}")


# Parcel size: n = 1 small, 2 medium, 3 large
def package_cell(size: int) -> str:
    return test_id(f"{size}-package-size--cell")


def package_radio(size: int) -> str:
    return test_id(f"package_type_selector_{size}--input")


TEST_ID_ATTRIBUTE = "data-testid"
