"""Every selector, path and page text of Vinted the publisher relies on, and nothing else.

Vinted changes its front end without notice: when a step fails with "page_changed", the fix
belongs here. Selectors are CSS; functions build the ones that carry an id.
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
SIGNUP_PATH = "/member/signup"
CURRENT_USER_API = "/api/v2/users/current"
CATALOGS_API = "/api/v2/item_upload/catalogs"
BRANDS_API = "/api/v2/item_upload/brands"
BRANDS_KEYWORD_PARAM = "keyword"
CREATE_ITEM_API = "/api/v2/item_upload/items"
SAVE_DRAFT_API = "/api/v2/item_upload/drafts"


def item_path(item_id: int) -> str:
    return f"/items/{item_id}"


def wardrobe_path(user_id: int) -> str:
    return f"/member/{user_id}"


# ---------------------------------------------------------------- header and session
USER_MENU = test_id("user-menu-button")
USER_MENU_LOGIN = f"{USER_MENU} img[alt]"  # its alt text is the member's login
LOGIN_BUTTON = test_id("header--login-button")
SELL_BUTTON = test_id("prohibited-listing-education-upload-button")
USER_ID_COOKIE = "v_uid"
LOGIN_COOKIES = ("access_token_web", "refresh_token_web")  # a session needs one of them
ANON_ID_COOKIE = "anon_id"

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
TOO_MANY_REQUESTS = test_id("too-many-requests")
TOO_MANY_REQUESTS_TEXT = "too many requests"

# ---------------------------------------------------------------- the upload form
UPLOAD_FORM = test_id("upload-form")
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


def photo_error_tile(index: int) -> str:
    return test_id(f"image-error-{index}")


# Every picker: `<key>-input` opens `<key>-content`, which shows `<key>--loader` while loading.
CATALOG_PICKER = "catalog-select-dropdown"
BRAND_PICKER = "brand-select-dropdown"
SIZE_PICKER = "category-size-single-grid"
CONDITION_PICKER = "category-condition-single-list"
COLOUR_PICKER = "color-select-dropdown"
MATERIAL_PICKER = "category-material-multi-list"
LEAF_ONLY_PICKERS = (BRAND_PICKER, SIZE_PICKER, CONDITION_PICKER, COLOUR_PICKER, MATERIAL_PICKER)


def picker_input(key: str) -> str:
    return test_id(f"{key}-input")


def picker_content(key: str) -> str:
    return test_id(f"{key}-content")


def picker_loader(key: str) -> str:
    return test_id(f"{key}--loader")


# Category: rows `#catalog-{id}` level by level; the input carries the chosen leaf.
CATALOG_INPUT = picker_input(CATALOG_PICKER)
CATALOG_ID_ATTRIBUTE = "data-catalog-id"
CATALOG_PATH_ATTRIBUTE = "title"  # "Femmes > Vêtements > Jeans"
CATALOG_PATH_SEPARATOR = " > "
CATALOG_BACK_BUTTON = test_id("catalog-select-dropdown-back-button")
CATALOG_OTHER_PREFIX = "autres"  # "Autres jeans": the leaf where our path stops early


def catalog_row(catalog_id: int) -> str:
    return f"#catalog-{catalog_id}"


# Brand
BRAND_SEARCH = test_id("brand-search--input")
NO_BRAND = "#empty-brand"
CUSTOM_BRAND = test_id("custom-select-brand")  # "use « X » as the brand": X is not on the list


def brand_cell(title: str) -> str:
    """Return the brand's cell by its aria-label, matched case-insensitively."""
    return f'[role="button"][aria-label={_css_string(title)} i]'


# Size: options `size-group-{g}-grid-option-{id}`, labelled "M / 38 / 10"
SIZE_OPTION = '[data-testid^="size-group-"][data-testid*="-grid-option-"]'
SIZE_OPTION_LABEL_ATTRIBUTE = "aria-label"
SIZE_LABEL_SEPARATOR = "/"


# Condition
def condition_option(status_id: int) -> str:
    return f"#condition-{status_id}"


# Colours (max 2): a row `color-{id}` around its checkbox `color-checkbox-{id}`
MAX_COLOURS = 2


def colour_row(colour_id: int) -> str:
    return test_id(f"color-{colour_id}")


def colour_checkbox(colour_id: int) -> str:
    return test_id(f"color-checkbox-{colour_id}")


# Material (max 3): rows `material-{id}` labelled with the material's name
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


# What a field error's test id ("catalog--error") and the API's error field name mean to us.
ERROR_FIELDS = {
    "catalog": "category",
    "catalog_id": "category",
    "package-size": "package_size",
    "package_size_id": "package_size",
    "assigned_photos": "photos",
    "color": "colours",
    "color_ids": "colours",
    "brand_id": "brand",
    "size_id": "size",
    "status_id": "condition",
    "upload-form": "form",
}

# ---------------------------------------------------------------- the wardrobe /member/{id}
WARDROBE_ITEM_TITLE = '[data-testid^="product-item-id-"][data-testid$="--title"]'
WARDROBE_ITEM_ID_PATTERN = r"product-item-id-(\d+)--title"
WARDROBE_ITEMS = test_id("closet-items")
WARDROBE_OWNER = test_id("profile-username")
