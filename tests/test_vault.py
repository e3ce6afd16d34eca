"""A seller pastes their Vinted cookies once; the bot keeps them encrypted and rotated."""

from __future__ import annotations

import base64
import json
import sqlite3
import traceback
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.accounts.cookies import CookieFormatError, merge_rotated, parse_cookies
from core.accounts.sessions import SESSION_ACTIVE, SESSION_EXPIRED, SessionVault
from core.accounts.vault import SessionUnreadable, Vault
from core.config import load_settings
from core.db import Database
from core.services import Repositories
from core.vinted.selectors import LOGIN_COOKIES as LOGIN

BASE = "https://www.vinted.fr"
SELLER = 111
OTHER = 222
START = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def fake_jwt(purpose: str, user: int = 123456789, issued: int = 1740821400) -> str:
    """Return a token shaped like Vinted's (header.payload.signature), signed by nobody."""
    header = b64(json.dumps({"kid": "E57Y", "alg": "RS512"}).encode())
    payload = b64(
        json.dumps(
            {
                "app_id": 4,
                "client_id": "web",
                "aud": "fr.core.api",
                "iss": "vinted-iam-service",
                "iat": issued,
                "sid": f"{purpose}-fa2c41d8-17ba-4a90-9b0b-0d5c8e3d1f22",
                "scope": "user",
                "sub": str(user),
                "purpose": purpose,
            }
        ).encode()
    )
    return f"{header}.{payload}.{b64(bytes(range(issued % 97, issued % 97 + 96)))}"


ACCESS = fake_jwt("access")
REFRESH = fake_jwt("refresh")
OPTANON = (
    "isGpcEnabled=0&datestamp=Sat+Mar+01+2025+10%3A12%3A44+GMT%2B0100+(heure+normale+d%E2%80%99"
    "Europe+centrale)&version=202409.1.0&browserGpcFlag=0&isIABGlobal=false&hosts=&consentId="
    "2c8b6f0e-5d1a-4a7e-bb51-7c0e1f6d9a33&interactionCount=1&landingPath=NotLandingPage&groups="
    "C0001%3A1%2CC0002%3A1%2CC0003%3A1%2CC0004%3A1%2CV2STACK42%3A1"
)
DEVTOOLS_COOKIES = {
    "v_udt": "RjhyMEpCd0ZrQ2dDVW1hN2hOZ3JxTmZSL2dQWi0tY0h3eDJnWnYxZ3ZMa0hwMy0tVnFhTjlRPT0=",
    "anon_id": "3f0c5a8e-6a47-4d5e-9c1b-2a7c9e4b8d10",
    "anonymous-locale": "fr",
    "OptanonAlertBoxClosed": "2025-03-01T09:12:44.512Z",
    "OptanonConsent": OPTANON,
    "eupubconsent-v2": "CQNabcAQNabcAAcABBFRBeFgAP_gAEPgAAqIKptV_G__bWlr8X73aftkeY1P9_h77sQxBhfJE",
    "access_token_web": ACCESS,
    "refresh_token_web": REFRESH,
    "v_uid": "123456789",
    "v_sid": "9b2f6c1e-1740821400",
    "domain_selected": "true",
    "__cf_bm": "x8QmJ0yK2w.4vPqT1zR9sD3uF6gH5jL8kN0bV7cX2mA-1740821464-1.0.1.1-"
    "Zq7wE3rT9yU1iO5pA2sD8fG4hJ6kL0zX3cV7bN1mQ9wE5rT2yU8iO4pA6sD0fG3hJ",
    "cf_clearance": "Jk2lM9nB4vC7xZ1qW3eR5tY8uI0oP6aS-1740821464-1.2.1.1-9fG2hJ4kL6zX8cV0bN3m"
    "Q5wE7rT1yU3iO5pA7sD9fG1hJ3kL5zX7cV9bN2mQ4wE6rT8yU0iO2pA4sD6fG8hJ0kL2zX4cV6bN8mQ0wE",
    "datadome": "4Xn~b3K8mQ0zT_1vR7sY9uW2eP5oI6aL3dF8gH0jK4lZ2xC9vB7nM1qS5tU3yE6rW8iO0pA2sD4fG6h"
    "J_8kL",
    "_dd_s": "rum=0&expire=1740822364512",
    "viewport_size": "1280",
}
DEVTOOLS_HEADER = "; ".join(f"{name}={value}" for name, value in DEVTOOLS_COOKIES.items())
# Values short or common enough to appear in a blob by chance are left out of the clear-text check.
SECRET_VALUES = [v for v in DEVTOOLS_COOKIES.values() if len(v) >= 12]


def cookie_editor_export() -> list[dict[str, object]]:
    """Return what Cookie-Editor's "Export as JSON" gives on www.vinted.fr (Chrome)."""

    def entry(name: str, value: str, **fields: object) -> dict[str, object]:
        base: dict[str, object] = {
            "domain": ".vinted.fr",
            "expirationDate": 1772357464.512447,
            "hostOnly": False,
            "httpOnly": False,
            "name": name,
            "path": "/",
            "sameSite": "lax",
            "secure": True,
            "session": False,
            "storeId": "0",
            "value": value,
        }
        base.update(fields)
        return base

    return [
        entry("access_token_web", ACCESS, httpOnly=True, expirationDate=1740828664.7),
        entry("refresh_token_web", REFRESH, httpOnly=True, expirationDate=1741426264.25),
        entry("anon_id", DEVTOOLS_COOKIES["anon_id"], sameSite="unspecified"),
        entry("v_udt", DEVTOOLS_COOKIES["v_udt"], httpOnly=True),
        entry("datadome", DEVTOOLS_COOKIES["datadome"], sameSite="no_restriction"),
        entry("cf_clearance", DEVTOOLS_COOKIES["cf_clearance"], sameSite="no_restriction"),
        entry("__cf_bm", DEVTOOLS_COOKIES["__cf_bm"], httpOnly=True, sameSite="no_restriction"),
        entry(
            "v_sid",
            DEVTOOLS_COOKIES["v_sid"],
            domain="www.vinted.fr",
            hostOnly=True,
            session=True,
            sameSite="strict",
        ),
        entry("viewport_size", "1280", session=True, sameSite=None),
        # EditThisCookie exports of a whole profile carry other sites too.
        entry("NID", "511=Qz8vXy2GoogleCookieValue", domain=".google.com"),
        entry("IDE", "AHWqTUmDoubleClickValue", domain=".doubleclick.net"),
    ]


def by_name(cookies: list) -> dict[str, dict]:  # type: ignore[type-arg]
    return {c["name"]: c for c in cookies}


# ---- pasting cookies ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "pasted",
    [
        DEVTOOLS_HEADER,
        f"Cookie: {DEVTOOLS_HEADER}",
        f"\n  cookie:{DEVTOOLS_HEADER};  \n\n",
        f"Cookie\n{DEVTOOLS_HEADER}",
        f":authority: www.vinted.fr\n:method: GET\naccept: text/html\ncookie: {DEVTOOLS_HEADER}\n"
        "user-agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36",
        ";\n".join(f"{name}={value}" for name, value in DEVTOOLS_COOKIES.items()),
    ],
    ids=["bare", "with-name", "spaces-newlines", "devtools-two-lines", "headers-block", "lines"],
)
def test_seller_pastes_the_cookie_header_from_devtools(pasted: str) -> None:
    cookies = parse_cookies(pasted, BASE, LOGIN)

    assert {c["name"]: c["value"] for c in cookies} == DEVTOOLS_COOKIES
    assert by_name(cookies)["OptanonConsent"]["value"] == OPTANON  # '=' inside a value
    for cookie in cookies:
        assert cookie["domain"] == ".vinted.fr"
        assert cookie["path"] == "/"
        assert cookie["expires"] == -1
        assert cookie["secure"] is True
        assert cookie["sameSite"] == "Lax"
        assert set(cookie) == {
            "name",
            "value",
            "domain",
            "path",
            "expires",
            "httpOnly",
            "secure",
            "sameSite",
        }


def test_header_cookies_take_the_configured_site_as_domain() -> None:
    german = parse_cookies(f"access_token_web={ACCESS}", "https://www.vinted.de/", LOGIN)
    replica = parse_cookies(
        f"access_token_web={ACCESS}; __Host-x=1", "http://127.0.0.1:8123", LOGIN
    )

    assert german[0]["domain"] == ".vinted.de"
    assert [(c["domain"], c["secure"]) for c in replica] == [
        ("127.0.0.1", False),
        ("127.0.0.1", True),  # a __Host- cookie is refused by Chromium unless secure
    ]


def test_seller_pastes_a_cookie_editor_json_export() -> None:
    cookies = parse_cookies(json.dumps(cookie_editor_export(), indent=4), BASE, LOGIN)
    named = by_name(cookies)

    assert set(named) == {
        "access_token_web",
        "refresh_token_web",
        "anon_id",
        "v_udt",
        "datadome",
        "cf_clearance",
        "__cf_bm",
        "v_sid",
        "viewport_size",
    }
    assert named["access_token_web"] == {
        "name": "access_token_web",
        "value": ACCESS,
        "domain": ".vinted.fr",
        "path": "/",
        "expires": 1740828664.7,
        "httpOnly": True,
        "secure": True,
        "sameSite": "Lax",
    }
    assert named["refresh_token_web"]["value"] == REFRESH
    assert named["datadome"]["sameSite"] == "None"
    assert named["anon_id"]["sameSite"] == "Lax"  # "unspecified"
    assert named["v_sid"]["sameSite"] == "Strict"
    assert named["v_sid"]["domain"] == "www.vinted.fr"  # host-only
    assert named["v_sid"]["expires"] == -1  # session cookie
    assert named["viewport_size"]["sameSite"] == "Lax"


def test_other_json_shapes_are_accepted() -> None:
    edit_this_cookie = [
        {
            "domain": ".vinted.fr",
            "expirationDate": 1741426264,
            "hostOnly": False,
            "httpOnly": True,
            "name": "refresh_token_web",
            "path": "/",
            "sameSite": "no_restriction",
            "secure": False,
            "session": False,
            "storeId": "0",
            "value": REFRESH,
            "id": 1,
        }
    ]
    storage_state = {
        "cookies": [
            {
                "name": "access_token_web",
                "value": ACCESS,
                "domain": ".vinted.fr",
                "path": "/",
                "expires": 1740828664000,  # some exporters write milliseconds
                "httpOnly": True,
                "secure": True,
                "sameSite": "None",
            }
        ],
        "origins": [],
    }

    [refresh] = parse_cookies(json.dumps(edit_this_cookie), BASE, LOGIN)
    [access] = parse_cookies(json.dumps(storage_state), BASE, LOGIN)

    # SameSite=None without Secure would make Chromium refuse the cookie.
    assert (refresh["value"], refresh["sameSite"], refresh["expires"]) == (
        REFRESH,
        "Lax",
        1741426264,
    )
    assert (access["value"], access["sameSite"], access["expires"]) == (ACCESS, "None", 1740828664)


@pytest.mark.parametrize(
    ("pasted", "reason"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("hello, here are my cookies!", "unrecognised"),
        ("my password is hunter2", "unrecognised"),
        (
            "<!DOCTYPE html><html lang='fr'><head><title>Vinted</title></head><body></body>",
            "unrecognised",
        ),
        ('{"user": {"id": 123456789, "login": "marie_dressing"}}', "unrecognised"),
        ("[1, 2, 3]", "unrecognised"),
        (json.dumps(cookie_editor_export())[:1500], "bad_json"),
        (json.dumps(cookie_editor_export()[-2:]), "wrong_site"),
        (json.dumps(cookie_editor_export()[2:]), "no_login_cookie"),
        ("[]", "no_login_cookie"),
        ("anon_id=3f0c5a8e; v_udt=RjhyMEpC; datadome=4Xn~b3K8", "no_login_cookie"),
        ("access_token_web=; refresh_token_web=", "no_login_cookie"),
    ],
    ids=[
        "empty",
        "blank",
        "chat",
        "words",
        "html",
        "json-object",
        "json-numbers",
        "cut-json",
        "google-only",
        "json-logged-out",
        "empty-list",
        "header-logged-out",
        "empty-tokens",
    ],
)
def test_what_is_not_a_logged_in_cookie_list_is_refused(pasted: str, reason: str) -> None:
    with pytest.raises(CookieFormatError) as refused:
        parse_cookies(pasted, BASE, LOGIN)

    assert refused.value.reason == reason
    assert "Cookie header" in str(refused.value)
    assert "JSON export" in str(refused.value)
    if reason == "no_login_cookie":
        assert "access_token_web" in str(refused.value)


def test_cookie_values_never_show_in_reprs_or_errors() -> None:
    cookies = parse_cookies(DEVTOOLS_HEADER, BASE, LOGIN)
    with pytest.raises(CookieFormatError) as refused:
        parse_cookies(json.dumps(cookie_editor_export()[2:]), BASE, LOGIN)
    merged = merge_rotated(cookies, parse_cookies(json.dumps(cookie_editor_export()), BASE, LOGIN))

    shown = " ".join(
        [
            repr(cookies),
            str(cookies[0]),
            f"{cookies}",
            repr(merged),
            repr(refused.value),
            str(refused.value),
            repr(Vault(b"k")),
            repr(Vault(b"k").open(Vault(b"k").seal(cookies))),
        ]
    )
    assert "access_token_web" in shown
    for value in SECRET_VALUES:
        assert value not in shown


# ---- encryption at rest -------------------------------------------------------------------


def test_sealed_cookies_open_to_the_same_cookies() -> None:
    vault = Vault(b"a long random secret from DATA_DIR/secret.key")
    cookies = parse_cookies(json.dumps(cookie_editor_export()), BASE, LOGIN)

    blob = vault.seal(cookies)

    assert vault.open(blob) == cookies
    assert vault.seal(cookies) != blob  # a fresh salt each time
    for value in SECRET_VALUES:
        assert value.encode() not in blob
        assert b64(value.encode()).encode() not in blob


def test_the_key_survives_a_restart_and_a_given_key_works(tmp_path: Path) -> None:
    cookies = parse_cookies(DEVTOOLS_HEADER, BASE, LOGIN)
    # secret_key=None: no SECRET_KEY, so the bot creates DATA_DIR/secret.key on first use.
    first = Vault.from_settings(load_settings(data_dir=tmp_path, secret_key=None))
    blob = first.seal(cookies)

    restarted = Vault.from_settings(load_settings(data_dir=tmp_path, secret_key=None))
    short = Vault.from_settings(
        load_settings(data_dir=tmp_path, secret_key="Qm7v-x2Lp9Rt4Wz8Kc3Nb6Hd1Fg5Js0Ya")
    )

    assert restarted.open(blob) == cookies
    assert short.open(short.seal(cookies)) == cookies


def unreadable(vault: Vault, blob: bytes) -> SessionUnreadable:
    with pytest.raises(SessionUnreadable) as caught:
        vault.open(blob)
    return caught.value


def test_a_blob_under_another_key_is_unreadable_without_a_crypto_trace() -> None:
    blob = Vault(b"the old SECRET_KEY").seal(parse_cookies(DEVTOOLS_HEADER, BASE, LOGIN))

    error = unreadable(Vault(b"a new SECRET_KEY"), blob)

    assert str(error) == "session unreadable, please /connect again"
    trace = "".join(traceback.format_exception(error))
    assert "cryptography" not in trace
    assert "InvalidToken" not in trace


def test_any_flipped_byte_makes_the_blob_unreadable() -> None:
    vault = Vault(b"secret")
    blob = vault.seal(parse_cookies(f"access_token_web={ACCESS}; anon_id=3f0c5a8e", BASE, LOGIN))

    for position in range(len(blob)):
        damaged = bytearray(blob)
        damaged[position] ^= 0x01
        assert str(unreadable(vault, bytes(damaged))) == SessionUnreadable.MESSAGE


def test_truncated_unknown_or_foreign_blobs_are_unreadable() -> None:
    vault = Vault(b"secret")
    blob = vault.seal(parse_cookies(DEVTOOLS_HEADER, BASE, LOGIN))
    # A valid token for the same key, but a payload that is not a cookie list.
    salt = blob[1:17]
    not_cookies = vault._fernet(salt).encrypt(b'{"hello": 1}')
    odd_payload = blob[:17] + base64.urlsafe_b64decode(not_cookies)

    for cut in (0, 1, 17, 60, len(blob) // 2, len(blob) - 1):
        assert unreadable(vault, blob[:cut]).reason in {"truncated", "wrong_key_or_tampered"}
    assert unreadable(vault, bytes([2]) + blob[1:]).reason == "unknown_version"
    assert unreadable(vault, odd_payload).reason == "bad_payload"
    assert unreadable(vault, b"gAAAAABn" + bytes(200)).reason == "unknown_version"


# ---- rotation -----------------------------------------------------------------------------


def test_rotated_login_cookies_replace_the_old_ones_and_the_rest_is_kept() -> None:
    old = parse_cookies(DEVTOOLS_HEADER, BASE, LOGIN)
    new_access, new_refresh = (
        fake_jwt("access", issued=1740830000),
        fake_jwt("refresh", 1740830000),
    )
    # What the browser context holds after a publish (Playwright's context.cookies()).
    after_publish = [
        {
            "name": "access_token_web",
            "value": new_access,
            "domain": ".vinted.fr",
            "path": "/",
            "expires": 1740837200.5,
            "httpOnly": True,
            "secure": True,
            "sameSite": "Lax",
        },
        {
            "name": "refresh_token_web",
            "value": new_refresh,
            "domain": ".vinted.fr",
            "path": "/",
            "expires": 1741434800.5,
            "httpOnly": True,
            "secure": True,
            "sameSite": "Lax",
        },
        {
            "name": "last_upload",
            "value": "9691226139",
            "domain": "www.vinted.fr",
            "path": "/items",
            "expires": -1,
            "httpOnly": False,
            "secure": True,
            "sameSite": "Lax",
        },
    ]

    merged = merge_rotated(old, after_publish)
    values = {c["name"]: c["value"] for c in merged}

    assert len(merged) == len(old) + 1
    assert values["access_token_web"] == new_access
    assert values["refresh_token_web"] == new_refresh
    assert values["last_upload"] == "9691226139"
    untouched = {k: v for k, v in values.items() if not k.endswith("_web") and k != "last_upload"}
    assert untouched == {k: v for k, v in DEVTOOLS_COOKIES.items() if not k.endswith("_web")}
    assert by_name(merged)["access_token_web"]["expires"] == 1740837200.5


def test_a_cookie_of_another_path_or_domain_is_a_different_cookie() -> None:
    old = parse_cookies(f"access_token_web={ACCESS}", BASE, LOGIN)
    other_path = {**old[0], "path": "/api", "value": "scoped"}

    merged = merge_rotated(old, [other_path])

    assert [(c["path"], c["value"]) for c in merged] == [("/", ACCESS), ("/api", "scoped")]


# ---- the session service ------------------------------------------------------------------


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def store(tmp_path: Path, clock: Clock) -> AsyncIterator[Repositories]:
    db = await Database.open(tmp_path / "bot.db", clock=clock)
    yield Repositories.over(db, "vinted")
    await db.close()


@pytest.fixture
def sessions(store: Repositories) -> SessionVault:
    return SessionVault(store.sessions, Vault(b"secret from settings"))


async def test_seller_connects_and_the_session_is_stored_encrypted(
    sessions: SessionVault, store: Repositories, tmp_path: Path
) -> None:
    cookies = parse_cookies(DEVTOOLS_HEADER, BASE, LOGIN)

    await sessions.save(SELLER, cookies, username="marie_dressing", account_id="123456789")

    assert await sessions.load(SELLER) == cookies
    info = await sessions.info(SELLER)
    assert info is not None
    assert (info.username, info.account_id) == ("marie_dressing", "123456789")
    assert (info.status, info.checked_at) == ("active", START)
    assert info.last_publish_at is None
    assert info.encrypted == b""
    with sqlite3.connect(tmp_path / "bot.db") as db:
        [(raw,)] = db.execute(
            "SELECT encrypted FROM marketplace_sessions WHERE user_id = ?", (SELLER,)
        )
    assert raw[0] == 1
    for value in SECRET_VALUES:
        assert value.encode() not in raw
    assert await sessions.load(OTHER) is None
    assert await sessions.info(OTHER) is None


async def published_at(store: Repositories, moment: datetime) -> None:
    """Stamp the seller's last publication, as the publishing queue does."""
    await store.db.execute(
        "UPDATE marketplace_sessions SET last_publish_at = ? WHERE user_id = ?",
        (moment.isoformat(), SELLER),
    )


async def test_a_publish_saves_the_rotated_tokens(
    sessions: SessionVault, store: Repositories, clock: Clock
) -> None:
    await sessions.save(
        SELLER,
        parse_cookies(DEVTOOLS_HEADER, BASE, LOGIN),
        username="marie_dressing",
        account_id="7",
    )
    clock.now = START + timedelta(minutes=20)
    await published_at(store, clock.now)
    rotated = parse_cookies(
        f"access_token_web={fake_jwt('access', issued=1740830000)}", BASE, LOGIN
    )

    checkout = await sessions.checkout(SELLER)
    assert checkout is not None
    saved = await sessions.update_cookies(SELLER, rotated, lineage=checkout.lineage)

    assert saved == checkout.lineage + 1
    cookies = await sessions.load(SELLER)
    assert cookies is not None
    assert by_name(cookies)["access_token_web"]["value"] == rotated[0]["value"]
    assert by_name(cookies)["refresh_token_web"]["value"] == REFRESH
    assert len(cookies) == len(DEVTOOLS_COOKIES)
    info = await sessions.info(SELLER)
    assert info is not None
    assert (info.username, info.account_id, info.checked_at, info.last_publish_at) == (
        "marie_dressing",
        "7",
        START,
        START + timedelta(minutes=20),
    )


async def test_one_run_writing_twice_keeps_both_rotations(sessions: SessionVault) -> None:
    await sessions.save(
        SELLER, parse_cookies(DEVTOOLS_HEADER, BASE, LOGIN), username="marie_dressing"
    )
    access = parse_cookies(
        f"access_token_web={fake_jwt('access', issued=1740830000)}", BASE, LOGIN
    )
    datadome = parse_cookies(
        f"access_token_web={ACCESS}; datadome=fresh-challenge-pass", BASE, LOGIN
    )
    checkout = await sessions.checkout(SELLER)
    assert checkout is not None
    writer = sessions.writer(SELLER, checkout)

    await writer(access)  # a page load rotated the access token
    await writer(datadome[1:])  # then DataDome handed out a new pass

    cookies = await sessions.load(SELLER)
    assert cookies is not None and not writer.lost
    assert by_name(cookies)["access_token_web"]["value"] == access[0]["value"]
    assert by_name(cookies)["datadome"]["value"] == "fresh-challenge-pass"


async def test_a_run_that_ends_after_a_reconnection_leaves_the_new_session_alone(
    sessions: SessionVault,
) -> None:
    account_a = parse_cookies(DEVTOOLS_HEADER, BASE, LOGIN)
    await sessions.save(SELLER, account_a, username="marie_dressing")
    run = await sessions.checkout(SELLER)  # a publish on account A starts
    assert run is not None
    account_b = parse_cookies(
        f"access_token_web={fake_jwt('access', issued=1741500000)}; v_uid=42", BASE, LOGIN
    )
    await sessions.save(SELLER, account_b, username="paul_vintage")  # /connect B meanwhile

    rotated_a = parse_cookies(
        f"access_token_web={fake_jwt('access', issued=1740830000)}", BASE, LOGIN
    )
    writer = sessions.writer(SELLER, run)
    await writer(rotated_a)  # the publish on A ends

    assert writer.lost
    assert await sessions.load(SELLER) == account_b  # nothing of A merged into B


async def test_a_look_up_from_old_cookies_never_overwrites_rotated_ones(
    sessions: SessionVault,
) -> None:
    await sessions.save(
        SELLER, parse_cookies(DEVTOOLS_HEADER, BASE, LOGIN), username="marie_dressing"
    )
    before = await sessions.checkout(SELLER)
    assert before is not None
    rotated = parse_cookies(f"refresh_token_web={fake_jwt('refresh', issued=1)}", BASE, LOGIN)
    await sessions.writer(SELLER, before)(rotated)  # the publish rotated the refresh token
    stale = parse_cookies(f"refresh_token_web={REFRESH}", BASE, LOGIN)

    assert await sessions.update_cookies(SELLER, stale, lineage=before.lineage) is None

    cookies = await sessions.load(SELLER)
    assert cookies is not None
    assert by_name(cookies)["refresh_token_web"]["value"] == rotated[0]["value"]


async def test_reconnecting_keeps_the_publish_pace_and_refreshes_the_rest(
    sessions: SessionVault, store: Repositories, clock: Clock
) -> None:
    first = parse_cookies(DEVTOOLS_HEADER, BASE, LOGIN)
    await sessions.save(SELLER, first, username="marie_dressing", account_id="7")
    await published_at(store, START)
    clock.now = START + timedelta(days=7)
    await sessions.set_status(SELLER, SESSION_EXPIRED)
    expired = await sessions.info(SELLER)
    clock.now = START + timedelta(days=8)
    again = parse_cookies(f"access_token_web={fake_jwt('access', issued=1741500000)}", BASE, LOGIN)

    await sessions.save(SELLER, again, username="marie_dressing")

    assert expired is not None
    assert (expired.status, expired.checked_at) == (SESSION_EXPIRED, START + timedelta(days=7))
    assert await sessions.load(SELLER) == again
    info = await sessions.info(SELLER)
    assert info is not None
    assert (info.status, info.checked_at, info.last_publish_at, info.account_id) == (
        SESSION_ACTIVE,
        START + timedelta(days=8),
        START,
        "7",
    )
    other_account = await sessions.save(SELLER, again, username="paul_vintage")
    assert (other_account.username, other_account.account_id) == ("paul_vintage", None)


async def test_disconnect_forgets_the_session_and_a_late_publish_does_not_revive_it(
    sessions: SessionVault,
) -> None:
    cookies = parse_cookies(DEVTOOLS_HEADER, BASE, LOGIN)
    await sessions.save(SELLER, cookies, username="marie_dressing")

    assert await sessions.delete(SELLER) is True
    assert await sessions.update_cookies(SELLER, cookies, lineage=1) is None
    assert await sessions.set_status(SELLER, SESSION_EXPIRED) is False
    assert await sessions.load(SELLER) is None
    assert await sessions.info(SELLER) is None
    assert await sessions.delete(SELLER) is False


async def test_a_changed_secret_key_asks_the_seller_to_connect_again(
    sessions: SessionVault, store: Repositories, clock: Clock
) -> None:
    await sessions.save(
        SELLER, parse_cookies(DEVTOOLS_HEADER, BASE, LOGIN), username="marie_dressing"
    )
    after_key_change = SessionVault(store.sessions, Vault(b"another secret"))

    with pytest.raises(SessionUnreadable, match="please /connect again"):
        await after_key_change.load(SELLER)
    with pytest.raises(SessionUnreadable):
        await after_key_change.update_cookies(
            SELLER, parse_cookies(DEVTOOLS_HEADER, BASE, LOGIN), lineage=1
        )
    assert await sessions.load(SELLER) is not None  # nothing was overwritten
