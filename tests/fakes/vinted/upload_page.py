"""The upload page /items/new: its HTML (every control static/upload.js drives) and handler.

The page's settings (CSRF token, user id, feature switches) are inlined as
window.__UPLOAD_CONFIG__; the form itself is static, the script fills in the leaf-only fields.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from aiohttp import web

from tests.fakes.vinted.data import MAX_COLORS, MAX_MATERIALS, PACKAGE_SIZES
from tests.fakes.vinted.pages import layout
from tests.fakes.vinted.responses import html_response, redirect
from tests.fakes.vinted.session import Sessions


def _json_for_script(data: dict[str, Any]) -> str:
    # No spaces after ':' so the page holds `"CSRF_TOKEN":"<uuid>"` like the real one.
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/")


def upload_html(login: str, config: dict[str, Any]) -> str:
    """Return the upload form; its own script (static/upload.js) drives every control."""
    packages = "".join(
        f'<label class="cell package" data-testid="{n}-package-size--cell">'
        f'<input type="radio" name="package_size" value="{n}" '
        f'data-testid="package_type_selector_{n}--input">'
        f"<span><strong>{escape(title)}</strong><small>{escape(hint)}</small></span></label>"
        for n, title, hint in PACKAGE_SIZES
    )
    body = f"""
<div class="upload" data-testid="item-upload-page">
<h1>Vends ton article</h1>
<div class="banner-slot" id="form-banner"></div>
<form id="upload-form" data-testid="upload-form" novalidate onsubmit="return false">
  <section class="card">
    <p>Ajoute jusqu'à 20 photos.</p>
    <div class="media-grid" data-testid="media-upload-grid"></div>
    <label class="button secondary">+ Ajoute des photos
      <input type="file" data-testid="add-photos-input" name="photos" multiple
        accept="image/jpeg,image/png,image/heic,image/heif,image/webp" hidden></label>
    <div data-error-slot="photos"></div>
  </section>
  <section class="card">
    <label for="title">Titre</label>
    <input id="title" name="title" data-testid="title--input" maxlength="100"
      placeholder="ex : Chemise Sézane verte" autocomplete="off">
    <div data-error-slot="title"></div>
    <label for="description">Décris ton article</label>
    <textarea id="description" name="description" data-testid="description--input" rows="5"
      placeholder="ex : porté quelques fois, taille correctement"></textarea>
    <div data-error-slot="description"></div>
  </section>
  <section class="card">
    <div class="picker" data-testid="catalog-select-dropdown">
      <label for="category">Catégorie</label>
      <input id="category" readonly data-testid="catalog-select-dropdown-input"
        placeholder="Sélectionne une catégorie">
    </div>
    <div data-error-slot="catalog"></div>
    <div id="leaf-fields" data-testid="catalog-attributes"></div>
  </section>
  <section class="card">
    <label for="price">Prix</label>
    <input id="price" name="price" data-testid="price-input--input" inputmode="decimal"
      placeholder="0,00 €" autocomplete="off">
    <div data-error-slot="price"></div>
  </section>
  <section class="card">
    <p>Format du colis</p>
    <div class="packages" data-testid="package-size-list">{packages}</div>
    <div data-error-slot="package-size"></div>
  </section>
  <section class="card">
    <label class="cell"><input type="checkbox" id="bump" data-testid="bump-checkbox--input">
      <span>Booster cet article pour le mettre en avant (payant)</span></label>
  </section>
  <div class="actions">
    <button type="button" class="button secondary"
      data-testid="upload-form-save-draft-button">Sauvegarder le brouillon</button>
    <button type="button" class="button primary"
      data-testid="upload-form-save-button">Ajouter</button>
  </div>
</form>
</div>"""
    head = (
        f"<script>window.__UPLOAD_CONFIG__ = {_json_for_script(config)};</script>"
        '<script src="/static/upload.js" defer></script>'
    )
    return layout("Vends ton article", body, login, head)


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
        config = {
            "CSRF_TOKEN": account.csrf_token,
            "USER_ID": account.user_id,
            "LOCALE": "fr-FR",
            "CURRENCY": "EUR",
            "MAX_COLORS": MAX_COLORS,
            "MAX_MATERIALS": MAX_MATERIALS,
            "FEATURES": {
                "strict_price": switches.strict_price,
                "photo_recognition": switches.photo_recognition,
            },
        }
        html = upload_html(account.login, config)
        if switches.renamed_testid:
            # What a front-end release looks like from outside: one control, a new test id.
            old = switches.renamed_testid
            html = html.replace(f'data-testid="{old}"', f'data-testid="{old}-v2"')
        response = html_response(html)
        if switches.rotate_on_upload_page:
            self._rotate(account, response)
        return response
