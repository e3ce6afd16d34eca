"""The cookies a seller pastes: a Cookie header or a cookie-editor JSON export, read safely."""

from __future__ import annotations

import ipaddress
import json
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from core import logs

log = logging.getLogger(__name__)

CookieProblem = Literal["empty", "unrecognised", "bad_json", "wrong_site", "no_login_cookie"]

COOKIE_HEADER_FORMAT = (
    "a Cookie header copied from the browser's developer tools (name=value; name2=value2)"
)
COOKIE_JSON_FORMAT = (
    "the JSON export of a cookie-editor browser extension (Cookie-Editor, EditThisCookie)"
)
EXPECTED_FORMATS = (COOKIE_HEADER_FORMAT, COOKIE_JSON_FORMAT)

_PROBLEM_TEXT: dict[str, str] = {
    "empty": "no cookies were sent",
    "unrecognised": "this is not a list of cookies",
    "bad_json": "this JSON is incomplete or invalid (a long export may have been cut in two)",
    "wrong_site": "none of these cookies belong to the site the bot uses",
    "no_login_cookie": "no login cookie was found; log in to the site in the browser and"
    " export its cookies again",
}

# RFC 6265 cookie-name token: anything else means the text is not a cookie header.
_COOKIE_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_COOKIE_LINE = re.compile(r"^\s*cookie\s*:\s*(.*)$", re.IGNORECASE)
_SAME_SITE = {
    "no_restriction": "None",
    "none": "None",
    "lax": "Lax",
    "strict": "Strict",
    "unspecified": "Lax",  # what Chromium applies to cookies that set no SameSite
}
# Past this an "expires" number is in milliseconds (some exporters write them).
_MILLISECONDS = 100_000_000_000


class CookieFormatError(ValueError):
    """The pasted text is no usable cookie list; `reason` is a stable key the bot translates."""

    def __init__(
        self,
        reason: CookieProblem,
        *,
        expected: tuple[str, ...] = EXPECTED_FORMATS,
        detail: str = "",
    ) -> None:
        self.reason: CookieProblem = reason
        self.expected = expected
        self.detail = detail
        problem = _PROBLEM_TEXT[reason] + (f" ({detail})" if detail else "")
        super().__init__(f"{problem}. Expected {' or '.join(expected)}.")


class Cookie(dict[str, Any]):
    """A Playwright cookie dict whose repr hides the value, so a log line never leaks a login."""

    __slots__ = ()

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{key}={self[key]!r}" for key in ("name", "domain", "path") if key in self
        )
        return f"Cookie({shown}, value=<hidden>)"

    __str__ = __repr__

    def copy(self) -> Cookie:
        return Cookie(self)


# ---- parsing ------------------------------------------------------------------------------


def parse_cookies(text: str, base_url: str, login_cookies: Sequence[str]) -> list[Cookie]:
    """Read a pasted Cookie header or cookie-editor JSON export into Playwright cookies.

    At least one of `login_cookies` (the marketplace's names) must be there with a value.
    """
    host = _host(base_url)
    stripped = text.strip().lstrip("\ufeff").strip()
    if not stripped:
        raise CookieFormatError("empty")
    if stripped[0] in "[{":
        cookies = _from_json(stripped, base_url, host)
    elif stripped[0] == "<":
        raise CookieFormatError("unrecognised", detail="it looks like a web page")
    else:
        cookies = _from_header(stripped, base_url, host)
    logs.remember(c["value"] for c in cookies)
    if not any(c["name"] in login_cookies and c["value"] for c in cookies):
        raise CookieFormatError("no_login_cookie", detail=" or ".join(login_cookies))
    return cookies


def default_domain(base_url: str) -> str:
    """Return the cookie domain for the site: ".vinted.fr" for https://www.vinted.fr."""
    host = _host(base_url)
    if _is_ip(host) or "." not in host:
        return host
    return "." + host.removeprefix("www.")


def _from_header(text: str, base_url: str, host: str) -> list[Cookie]:
    lines = text.splitlines()
    cookie_lines = [m.group(1) for line in lines if (m := _COOKIE_LINE.match(line))]
    if cookie_lines:
        # A whole request-headers block was pasted: only its cookie line(s) matter.
        body = ";".join(cookie_lines)
    elif lines[0].strip().lower() == "cookie":
        # DevTools' headers pane copies the name and the value on separate lines.
        body = "\n".join(lines[1:])
    else:
        body = text
    domain = default_domain(base_url)
    secure = urlsplit(base_url).scheme == "https"
    cookies: dict[str, Cookie] = {}
    for part in re.split(r"[;\n]", body):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not _COOKIE_NAME.fullmatch(name) or _CONTROL.search(value):
            raise CookieFormatError("unrecognised")
        cookie = Cookie(
            name=name,
            value=value,
            domain=domain,
            path="/",
            expires=-1,
            # Page scripts read some of them (anon_id becomes the x-anon-id header).
            httpOnly=False,
            secure=secure,
            sameSite="Lax",
        )
        _apply_prefix_rules(cookie, host)
        # Browsers send the most specific of same-named cookies first, and servers read that.
        cookies.setdefault(name, cookie)
    if not cookies:
        raise CookieFormatError("unrecognised")
    return list(cookies.values())


def _from_json(text: str, base_url: str, host: str) -> list[Cookie]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise CookieFormatError("bad_json") from None
    if isinstance(data, dict):
        if isinstance(data.get("cookies"), list):
            data = data["cookies"]  # Playwright's storage state, or a wrapped export
        elif "name" in data and "value" in data:
            data = [data]
    if not isinstance(data, list):
        raise CookieFormatError("unrecognised")
    default = default_domain(base_url)
    cookies: dict[tuple[str, str, str], Cookie] = {}
    foreign = 0
    for index, entry in enumerate(data, start=1):
        cookie = _from_export_entry(entry, index, default)
        if cookie is None:
            continue
        if not _belongs_to(cookie["domain"], host):
            foreign += 1
            continue
        _apply_prefix_rules(cookie, host)
        cookies[_key(cookie)] = cookie
    if foreign and not cookies:
        raise CookieFormatError("wrong_site", detail=f"{foreign} cookies of other sites")
    if foreign:
        log.info("dropped %d pasted cookies of other sites", foreign)
    return list(cookies.values())


def _from_export_entry(entry: object, index: int, fallback_domain: str) -> Cookie | None:
    """Convert one exported cookie; None for one Chromium would refuse anyway."""
    if not isinstance(entry, dict):
        raise CookieFormatError("unrecognised", detail=f"entry {index} is not a cookie")
    name, value = entry.get("name"), entry.get("value")
    if not isinstance(name, str) or not name or isinstance(value, dict | list | bool):
        raise CookieFormatError("unrecognised", detail=f"entry {index} has no name or value")
    value = "" if value is None else str(value)
    if not _COOKIE_NAME.fullmatch(name) or _CONTROL.search(value) or ";" in value:
        log.info("dropped pasted cookie %d: invalid characters", index)
        return None
    domain = str(entry.get("domain") or fallback_domain).strip().lower()
    if entry.get("hostOnly") is True:
        domain = domain.lstrip(".")
    secure = _flag(entry.get("secure"))
    same_site = _SAME_SITE.get(str(entry.get("sameSite") or "").lower(), "Lax")
    if same_site == "None" and not secure:
        # Chromium rejects SameSite=None without Secure, which would fail the whole session.
        same_site = "Lax"
    return Cookie(
        name=name,
        value=value,
        domain=domain,
        path=str(entry.get("path") or "/"),
        expires=_expires(entry),
        httpOnly=_flag(entry.get("httpOnly")),
        secure=secure,
        sameSite=same_site,
    )


def _apply_prefix_rules(cookie: Cookie, host: str) -> None:
    """Make __Host- and __Secure- cookies valid, or Chromium refuses the whole batch."""
    if cookie["name"].startswith("__Host-"):
        cookie.update(domain=host, path="/", secure=True)
    elif cookie["name"].startswith("__Secure-"):
        cookie["secure"] = True


def _expires(entry: Mapping[str, Any]) -> float:
    if entry.get("session") is True:
        return -1
    raw = entry.get("expirationDate", entry.get("expires"))
    if isinstance(raw, bool) or raw is None:
        return -1
    if isinstance(raw, int | float):
        seconds = float(raw)
    elif isinstance(raw, str):
        try:
            seconds = float(raw)
        except ValueError:
            try:
                moment = datetime.fromisoformat(raw.strip())
            except ValueError:
                return -1
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            seconds = moment.timestamp()
    else:
        return -1
    if seconds <= 0:
        return -1
    return seconds / 1000 if seconds > _MILLISECONDS else seconds


def _flag(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return value is True or value == 1


def _host(base_url: str) -> str:
    host = urlsplit(base_url).hostname
    if not host:
        raise ValueError(f"base_url has no host: {base_url!r}")
    return host.lower()


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _belongs_to(domain: str, host: str) -> bool:
    """Tell whether a cookie domain is the bot's site (any of its subdomains)."""
    bare = domain.lstrip(".")
    site = host.removeprefix("www.")
    return bare in (host, site) or bare.endswith("." + site)


def _key(cookie: Mapping[str, Any]) -> tuple[str, str, str]:
    return (
        str(cookie["name"]),
        str(cookie.get("domain") or "").lower(),
        str(cookie.get("path") or "/"),
    )


def keep_http_only(
    pasted: Iterable[Mapping[str, Any]], known: Iterable[Mapping[str, Any]]
) -> list[Cookie]:
    """Give pasted cookies the httpOnly flag the site set on the same cookies before.

    A Cookie header carries no flags, so its cookies arrive readable by page scripts; the
    stored session (from a JSON export, or from what the site's own Set-Cookie headers left in
    the browser) knows which ones the site keeps away from scripts.
    """
    http_only = {_key(c) for c in known if c.get("httpOnly") is True}
    names = {key[0] for key in http_only}
    kept = []
    for cookie in pasted:
        copy = Cookie(cookie)
        if _key(copy) in http_only or (copy["name"] in names and not copy.get("httpOnly")):
            copy["httpOnly"] = True
        kept.append(copy)
    return kept


def merge_rotated(
    old: Iterable[Mapping[str, Any]], new: Iterable[Mapping[str, Any]]
) -> list[Cookie]:
    """Return the old cookies with those the browser came back with replacing them."""
    merged: dict[tuple[str, str, str], Cookie] = {}
    for cookie in old:
        merged[_key(cookie)] = Cookie(cookie)
    # Same (name, domain, path) is the same cookie to a browser: the new one wins in place.
    for cookie in new:
        merged[_key(cookie)] = Cookie(cookie)
    return list(merged.values())
