"""The upload page /items/new: its HTML (every control static/upload*.js drive) and handler.

The page's settings (CSRF token, user id, the site's words and price format) are inlined as a
JSON script, so the HTML holds `"CSRF_TOKEN":"<uuid>"` as Vinted's does; the form itself is
static, the scripts fill in the leaf-only fields.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from aiohttp import web

from tests.fakes.vinted.data import MAX_COLORS, MAX_MATERIALS
from tests.fakes.vinted.pages import layout
from tests.fakes.vinted.responses import html_response, redirect
from tests.fakes.vinted.session import Sessions
from tests.fakes.vinted.sites import Site


def _json_for_script(data: dict[str, Any]) -> str:
    # No spaces after ':' so the page holds `"CSRF_TOKEN":"<uuid>"` like the real one.
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/")


def upload_html(login: str, config: dict[str, Any], site: Site) -> str:
    """Return the upload form; its scripts (static/upload*.js) drive every control.

    Only the hooks UPLOAD-FORM.md names are marked; the scripts find the rest by class.
    """
    words = site.words

    def t(key: str) -> str:
        return escape(words.text(key))

    packages = "".join(
        f'<label class="cell package" data-testid="{n}-package-size--cell">'
        f'<input type="radio" name="package_size" value="{n}" '
        f'data-testid="package_type_selector_{n}--input">'
        f"<span><strong>{escape(title)}</strong><small>{escape(hint)}</small></span></label>"
        for n, title, hint in words.package_sizes
    )
    body = f"""
<div class="upload">
<h1>{t("upload_title")}</h1>
<div class="form-banner"></div>
<form class="upload-form" novalidate onsubmit="return false">
  <section class="card">
    <p>{t("photos_hint")}</p>
    <div class="media-grid" data-testid="media-upload-grid"></div>
    <label class="button secondary">{t("add_photos")}
      <input type="file" data-testid="add-photos-input" name="photos" multiple
        accept="image/jpeg,image/png,image/heic,image/heif,image/webp" hidden></label>
    <div class="error-slot error-slot--photos"></div>
  </section>
  <section class="card">
    <label for="title">{t("title_label")}</label>
    <input id="title" data-testid="title--input" maxlength="100"
      placeholder="{t("title_placeholder")}" autocomplete="off">
    <div class="error-slot error-slot--title"></div>
    <label for="description">{t("description_label")}</label>
    <textarea id="description" data-testid="description--input" rows="5"
      placeholder="{t("description_placeholder")}"></textarea>
    <div class="error-slot error-slot--description"></div>
  </section>
  <section class="card">
    <div class="picker catalog-picker">
      <label>{t("category_label")}
        <input readonly data-testid="catalog-select-dropdown-input"
          placeholder="{t("category_placeholder")}"></label>
    </div>
    <div class="error-slot error-slot--catalog"></div>
    <div class="leaf-fields"></div>
  </section>
  <section class="card">
    <label for="price">{t("price_label")}</label>
    <input id="price" data-testid="price-input--input" inputmode="decimal"
      placeholder="{t("price_placeholder")}" autocomplete="off">
    <div class="error-slot error-slot--price"></div>
  </section>
  <section class="card">
    <p>{t("package_label")}</p>
    <div class="packages">{packages}</div>
    <div class="error-slot error-slot--package-size"></div>
  </section>
  <section class="card">
    <label class="cell"><input type="checkbox" data-testid="bump-checkbox--input">
      <span>{t("bump_label")}</span></label>
  </section>
  <div class="actions">
    <button type="button" class="button secondary"
      data-testid="upload-form-save-draft-button">{t("save_draft")}</button>
    <button type="button" class="button primary"
      data-testid="upload-form-save-button">{t("save")}</button>
  </div>
</form>
</div>"""
    head = (
        '<script type="application/json" class="upload-config">'
        f"{_json_for_script(config)}</script>"
        '<script type="module" src="/static/upload.js"></script>'
    )
    return layout(words.text("upload_title"), body, login, site, head)


class UploadPage(Sessions):
    """GET /items/new: signed-in members get the form, others the sign-up page."""

    async def _upload_page(self, request: web.Request) -> web.StreamResponse:
        account, early = self._page_session(request)
        if early:
            return early
        if account is None:
            return redirect("/member/signup/select_type?ref_url=%2Fitems%2Fnew")
        switches = self.switches
        origin = f"{request.scheme}://{request.host}/"
        if switches.upload_redirects_home and not request.headers.get("Referer", "").startswith(
            origin
        ):
            return redirect("/")
        site = self.site
        config = {
            "CSRF_TOKEN": account.csrf_token,
            "USER_ID": account.user_id,
            "LOCALE": site.locale,
            "CURRENCY": site.currency,
            "PRICE": {
                "decimal": site.decimal,
                "lenient": site.lenient_decimal,
                "trusted_keys": switches.strict_price,
            },
            "CUSTOM_BRANDS": not switches.no_custom_brand,
            "MAX_COLORS": MAX_COLORS,
            "MAX_MATERIALS": MAX_MATERIALS,
            "TEXTS": dict(site.words.texts),
        }
        html = upload_html(account.login, config, site)
        if switches.renamed_testid:
            # What a front-end release looks like from outside: one control, a new test id.
            old = switches.renamed_testid
            html = html.replace(f'data-testid="{old}"', f'data-testid="{old}-v2"')
        if switches.boost_ticked:
            bump = 'data-testid="bump-checkbox--input"'
            html = html.replace(bump, f"{bump} checked")
        response = html_response(html)
        if switches.rotate_on_upload_page:
            self._rotate(account, response)
        return response
