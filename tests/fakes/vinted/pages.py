"""HTML of the Vinted replica's pages, with the data-testids the real site uses.

The upload form's HTML is in upload_page.py.
"""

from __future__ import annotations

from html import escape
from typing import Any


def header(login: str | None) -> str:
    """Return the site header: the user menu when signed in, the login button otherwise."""
    if login is not None:
        user = (
            '<button type="button" class="user-menu" data-testid="user-menu-button" '
            f'aria-label="Menu"><img src="/static/avatar.svg" alt="{escape(login)}" '
            'width="32" height="32"></button>'
        )
    else:
        user = (
            '<a class="button secondary" data-testid="header--login-button" '
            'href="/member/signup/select_type">S\'inscrire | Se connecter</a>'
        )
    return (
        '<header class="site-header" data-testid="header">'
        '<a href="/" class="logo" data-testid="header-logo-id">Vinted</a>'
        '<input class="search" data-testid="search-text--input" '
        'placeholder="Rechercher des articles">'
        f"{user}"
        '<a class="button primary" href="/items/new" '
        'data-testid="prohibited-listing-education-upload-button">Vends tes articles</a>'
        "</header>"
    )


def layout(title: str, body: str, login: str | None, head: str = "") -> str:
    """Return a full page around body, with the header."""
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>{escape(title)} | Vinted</title>"
        '<link rel="stylesheet" href="/static/site.css">'
        f"{head}</head><body>{header(login)}<main>{body}</main></body></html>"
    )


def home(login: str | None) -> str:
    """Return the home page."""
    body = (
        '<section class="hero"><h1>Prêt à faire du tri dans tes placards ?</h1>'
        '<a class="button primary" href="/items/new">Commencer à vendre</a></section>'
    )
    return layout("Vinted", body, login)


def signup() -> str:
    """Return the page signed-out visitors land on."""
    body = (
        '<section class="auth" data-testid="auth-select-type">'
        "<h1>Rejoins le mouvement de la seconde main</h1>"
        "<p>Inscris-toi ou connecte-toi pour vendre.</p></section>"
    )
    return layout("Inscription", body, None)


def wardrobe(
    owner_login: str,
    items: list[dict[str, Any]],
    drafts: list[dict[str, Any]] | None,
    viewer_login: str | None,
) -> str:
    """Return a member's wardrobe, newest item first; drafts only for the owner."""
    cells = "".join(
        f'<div class="item" data-testid="product-item-id-{i["id"]}">'
        f'<a data-testid="product-item-id-{i["id"]}--overlay-link" href="{escape(i["path"])}" '
        f'title="{escape(i["title"])}, {escape(i["price_text"])}">'
        f'<img src="{escape(i["photo_url"])}" alt="{escape(i["title"])}"></a>'
        f'<p data-testid="product-item-id-{i["id"]}--title">{escape(i["title"])}</p>'
        f'<p data-testid="product-item-id-{i["id"]}--price-text">{escape(i["price_text"])}</p>'
        "</div>"
        for i in items
    )
    body = (
        f'<h1 data-testid="profile-username">{escape(owner_login)}</h1>'
        f'<p data-testid="closet-item-count">{len(items)} articles</p>'
        f'<div class="grid" data-testid="closet-items">{cells}</div>'
    )
    if drafts is not None:
        rows = "".join(
            f'<li data-testid="draft-item-{d["id"]}">{escape(d["title"] or "Sans titre")}</li>'
            for d in drafts
        )
        body += f'<h2>Brouillons</h2><ul data-testid="closet-drafts">{rows}</ul>'
    return layout(owner_login, body, viewer_login)


def item(data: dict[str, Any], viewer_login: str | None) -> str:
    """Return an item's page."""
    photos = "".join(
        f'<img data-testid="item-photo-{n}" src="{escape(p["url"])}" alt="">'
        for n, p in enumerate(data["photos"], start=1)
    )
    details = "".join(
        f'<dt>{escape(label)}</dt><dd data-testid="item-attributes-{key}">{escape(value)}</dd>'
        for key, label, value in (
            ("brand", "Marque", data["brand_title"]),
            ("size", "Taille", data["size_title"]),
            ("status", "État", data["status"]),
            ("color", "Couleur", data["color"]),
        )
        if value
    )
    body = (
        f'<div class="item-page" data-testid="item-page-{data["id"]}">'
        f'<div class="photos">{photos}</div>'
        f'<div data-testid="item-page-summary-plugin"><h1 data-testid="item-title">'
        f"{escape(data['title'])}</h1>"
        f'<p data-testid="item-price">{escape(data["price_text"])}</p>'
        f"<dl>{details}</dl>"
        f'<p data-testid="item-description">{escape(data["description"])}</p>'
        f'<a href="/member/{data["user"]["id"]}">{escape(data["user"]["login"])}</a></div></div>'
    )
    return layout(data["title"], body, viewer_login)


def session_refresh() -> str:
    """Return the refresh page that never finishes when the refresh token is stale."""
    body = (
        '<div class="spinner" data-testid="session-refresh-spinner" role="progressbar" '
        'aria-label="Chargement"></div><p>Un instant…</p>'
    )
    return layout("Vinted", body, None)


def verification(login: str | None) -> str:
    """Return the page that asks the member to verify the account."""
    body = (
        '<section data-testid="verification-page"><h1>Vérifie ton compte</h1>'
        "<p>Pour continuer, confirme ton numéro de téléphone.</p></section>"
    )
    return layout("Vérification", body, login)


def captcha(cid: str, referer: str) -> str:
    """Return DataDome's interstitial, which frames the captcha."""
    src = f"/captcha-delivery/captcha/?initialCid={cid}&cid={cid}&referer={escape(referer)}&t=fe"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>vinted</title>'
        '</head><body style="margin:0"><h1 style="font:16px sans-serif;padding:8px">'
        "Please verify you are human</h1>"
        '<div id="datadome-captcha">'
        f'<iframe src="{src}" title="DataDome CAPTCHA" width="100%" height="500" '
        'frameborder="0"></iframe></div></body></html>'
    )


def captcha_frame() -> str:
    """Return the captcha itself, inside the iframe."""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"></head><body>'
        '<div id="captcha-container"><p>Please verify you are human</p>'
        '<div class="slider" data-testid="captcha-slider">Slide right to complete the puzzle'
        "</div></div></body></html>"
    )


def too_many_requests() -> str:
    """Return the page served while rate limited."""
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>429</title></head>'
        '<body><h1 data-testid="too-many-requests">Too many requests</h1>'
        "<p>Trop de requêtes. Réessaie dans quelques minutes.</p></body></html>"
    )


def not_found(login: str | None) -> str:
    return layout("Page introuvable", "<h1>Page introuvable</h1>", login)
