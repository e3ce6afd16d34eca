"""The replica's HTTP answers in Vinted's shapes: JSON, HTML, redirects and the API's errors."""

from __future__ import annotations

from typing import Any

from aiohttp import web


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    return web.json_response(data, status=status, headers=headers)


def html_response(
    text: str, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", headers=headers)


def redirect(location: str, status: int = 302) -> web.Response:
    return web.Response(status=status, headers={"Location": location})


def unauthorized() -> web.Response:
    return json_response(
        {"code": 100, "message": "Unauthorized", "message_code": "invalid_authentication_token"},
        status=401,
    )


def access_denied() -> web.Response:
    return json_response(
        {"code": 106, "message": "Access denied", "message_code": "access_denied"}, 403
    )


def validation_failed(errors: list[dict[str, str]]) -> web.Response:
    return json_response(
        {
            "code": 99,
            "message": "Des informations sont manquantes ou incorrectes",
            "message_code": "validation_error",
            "errors": errors,
            "payload": {},
        },
        status=400,
    )


def lower_headers(request: web.Request) -> dict[str, str]:
    """Return the request's headers with lower-case names, for plain dict lookups."""
    return {name.lower(): value for name, value in request.headers.items()}
