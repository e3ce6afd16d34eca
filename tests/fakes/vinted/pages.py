"""HTML of the Vinted replica's pages, in the active site's language.

Only the hooks UPLOAD-FORM.md names are marked (the header's `user-menu-button` with its
`img[alt]`, `header--login-button`, `prohibited-listing-education-upload-button`, DataDome's
`#datadome-captcha` and iframe); everything else is plain markup that a person reads. The
wardrobe page is deliberately unmarked: the wardrobe API is the way to find a listing again.
The upload form's HTML is in upload_page.py.
"""

from __future__ import annotations

from html import escape
from typing import Any

from tests.fakes.vinted.sites import Site


def header(login: str | None, site: Site) -> str:
    """Return the site header: the user menu when signed in, the login button otherwise."""
    words = site.words
    if login is not None:
        user = (
            '<button type="button" class="user-menu" data-testid="user-menu-button" '
            f'aria-label="Menu"><img src="/static/avatar.svg" alt="{escape(login)}" '
            'width="32" height="32"></button>'
        )
    else:
        user = (
            '<a class="button secondary" data-testid="header--login-button" '
            f'href="/member/signup/select_type">{escape(words.text("login_button"))}</a>'
        )
    return (
        '<header class="site-header">'
        '<a href="/" class="logo">Vinted</a>'
        f'<input class="search" placeholder="{escape(words.text("search_placeholder"))}">'
        f"{user}"
        '<a class="button primary" href="/items/new" '
        'data-testid="prohibited-listing-education-upload-button">'
        f"{escape(words.text('sell_button'))}</a>"
        "</header>"
    )


def layout(title: str, body: str, login: str | None, site: Site, head: str = "") -> str:
    """Return a full page around body, with the header."""
    return (
        f'<!DOCTYPE html><html lang="{site.lang}"><head><meta charset="utf-8">'
        f"<title>{escape(title)} | Vinted</title>"
        '<link rel="stylesheet" href="/static/site.css">'
        f"{head}</head><body>{header(login, site)}<main>{body}</main></body></html>"
    )


def home(login: str | None, site: Site) -> str:
    """Return the home page."""
    words = site.words
    body = (
        f'<section class="hero"><h1>{escape(words.text("home_heading"))}</h1>'
        f'<a class="button primary" href="/items/new">{escape(words.text("home_start"))}</a>'
        "</section>"
    )
    return layout("Vinted", body, login, site)


def signup(site: Site) -> str:
    """Return the page signed-out visitors land on."""
    words = site.words
    body = (
        f'<section class="auth"><h1>{escape(words.text("signup_heading"))}</h1>'
        f"<p>{escape(words.text('signup_body'))}</p></section>"
    )
    return layout(words.text("signup_heading"), body, None, site)


def wardrobe(
    owner_login: str,
    items: list[dict[str, Any]],
    drafts: list[dict[str, Any]] | None,
    viewer_login: str | None,
    site: Site,
) -> str:
    """Return a member's wardrobe, newest item first; drafts only for the owner."""
    words = site.words
    cells = "".join(
        '<div class="item">'
        f'<a href="{escape(i["path"])}"><img src="{escape(i["photo_url"])}" '
        f'alt="{escape(i["title"])}"></a>'
        f'<p class="item-title">{escape(i["title"])}</p>'
        f'<p class="item-price">{escape(i["price_text"])}</p>'
        "</div>"
        for i in items
    )
    body = (
        f'<h1 class="profile-name">{escape(owner_login)}</h1>'
        f"<p>{escape(words.text('wardrobe_count', count=len(items)))}</p>"
        f'<div class="grid">{cells}</div>'
    )
    if drafts is not None:
        rows = "".join(f"<li>{escape(d['title'] or words.text('untitled'))}</li>" for d in drafts)
        body += f'<h2>{escape(words.text("wardrobe_drafts"))}</h2><ul class="drafts">{rows}</ul>'
    return layout(owner_login, body, viewer_login, site)


def item(data: dict[str, Any], viewer_login: str | None, site: Site) -> str:
    """Return an item's page."""
    words = site.words
    photos = "".join(f'<img src="{escape(p["url"])}" alt="">' for p in data["photos"])
    details = "".join(
        f"<dt>{escape(words.text(label))}</dt><dd>{escape(value)}</dd>"
        for label, value in (
            ("item_brand", data["brand_title"]),
            ("item_size", data["size_title"]),
            ("item_status", data["status"]),
            ("item_color", data["color"]),
        )
        if value
    )
    body = (
        '<div class="item-page">'
        f'<div class="photos">{photos}</div>'
        f'<div class="summary"><h1>{escape(data["title"])}</h1>'
        f'<p class="price">{escape(data["price_text"])}</p>'
        f"<dl>{details}</dl>"
        f'<p class="description">{escape(data["description"])}</p>'
        f'<a href="/member/{data["user"]["id"]}">{escape(data["user"]["login"])}</a></div></div>'
    )
    return layout(data["title"], body, viewer_login, site)


def session_refresh(site: Site) -> str:
    """Return the refresh page that never finishes when the refresh token is stale."""
    words = site.words
    label = escape(words.text("refresh_label"))
    body = (
        f'<div class="spinner" role="progressbar" aria-label="{label}"></div>'
        f"<p>{escape(words.text('refresh_wait'))}</p>"
    )
    return layout("Vinted", body, None, site)


def verification(login: str | None, site: Site) -> str:
    """Return the page that asks the member to verify the account."""
    words = site.words
    body = (
        f'<section class="verification"><h1>{escape(words.text("verification_heading"))}</h1>'
        f"<p>{escape(words.text('verification_body'))}</p></section>"
    )
    return layout(words.text("verification_title"), body, login, site)


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
        '<div class="captcha"><p>Please verify you are human</p>'
        '<div class="slider">Slide right to complete the puzzle</div></div></body></html>'
    )


def too_many_requests(site: Site) -> str:
    """Return the page served while rate limited."""
    return (
        f'<!DOCTYPE html><html lang="{site.lang}"><head><meta charset="utf-8"><title>429</title>'
        "</head><body><h1>Too many requests</h1>"
        f"<p>{escape(site.words.text('too_many_requests'))}</p></body></html>"
    )


def not_found(login: str | None, site: Site) -> str:
    heading = site.words.text("not_found")
    return layout(heading, f"<h1>{escape(heading)}</h1>", login, site)
