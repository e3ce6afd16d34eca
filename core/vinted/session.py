"""Who the seller's cookies sign in, read from inside Vinted's page."""

from __future__ import annotations

from core.marketplace import PageChanged
from core.vinted import selectors as sel
from core.vinted.browser import context_cookies
from core.vinted.page import Run, Stop


async def check_session(run: Run) -> tuple[int, str]:
    """Open the home page and return the signed-in member's id and login."""
    run.step = "check_session"
    await run.goto(run.url("/"))
    return await current_user(run)


async def current_user(run: Run) -> tuple[int, str]:
    """Return the signed-in member's id and login, read from inside the page."""
    answer = await run.fetch_json(sel.CURRENT_USER_API)
    user = answer.body.get("user") if isinstance(answer.body, dict) else None
    if answer.status == 200 and isinstance(user, dict) and isinstance(user.get("id"), int):
        return user["id"], str(user.get("login") or "")
    if answer.status != 404:
        raise Stop(run.api_refusal(answer, sel.CURRENT_USER_API))
    # The API moved: the header still names the member, and v_uid holds the id.
    menu = run.page.locator(sel.USER_MENU_LOGIN).first
    uid = next(
        (
            c["value"]
            for c in await context_cookies(run.context, run.config.host)
            if c["name"] == sel.USER_ID_COOKIE
        ),
        "",
    )
    if await menu.count() and str(uid).isdigit():
        return int(uid), await menu.get_attribute("alt") or ""
    raise Stop(PageChanged(run.step, sel.CURRENT_USER_API))
