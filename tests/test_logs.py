"""Log lines never show a secret: messages, arguments and tracebacks, at any level."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from core import logs
from core.accounts.cookies import parse_cookies
from core.accounts.vault import Vault

BOT_TOKEN = "7012345678:AAHk3bX9vQw-2mZ_7rT5yUe8iOp0aSdFgHj"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiIsInB1cnBvc2UiOiJyZWZyZXNoIn0.c2lnbmF0dXJlLXZhbHVl"


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    before = root.handlers[:], root.level, logging.getLogger("telegram").level
    logs.setup("DEBUG", secrets=["openai-key-of-the-owner-123"])
    stream = io.StringIO()
    root.handlers[0].setStream(stream)  # type: ignore[attr-defined]
    try:
        yield stream
    finally:
        root.handlers[:], _, telegram_level = before[0], None, before[2]
        root.setLevel(before[1])
        logging.getLogger("telegram").setLevel(telegram_level)


def test_a_secret_inside_a_traceback_is_blanked_out(captured: io.StringIO) -> None:
    datadome = "dd-7GhQ2xLm9PzR4tW8kVbN3cF6"
    parse_cookies(
        f"datadome={datadome}; access_token_web={JWT}",
        "https://www.vinted.fr",
        ["access_token_web"],
    )
    try:
        raise RuntimeError(f"Chromium refused cookies [{datadome!r}] for {JWT}")
    except RuntimeError:
        logging.getLogger("core.vinted").exception("session set-up failed")
    out = captured.getvalue()
    assert "session set-up failed" in out and "RuntimeError" in out
    assert datadome not in out and JWT not in out


@pytest.mark.parametrize(
    "line",
    [
        f"POST https://api.telegram.org/bot{BOT_TOKEN}/getUpdates",
        f"update: {{'text': '/connect refresh_token_web={JWT[:40]}; v_sid=0123456789abcdef'}}",
        "Cookie: access_token_web=abc.def.ghi; anon_id=5f1c2e9a-0000-4000-8000-123456789abc",
        json.dumps([{"name": "cf_clearance", "domain": ".vinted.fr", "value": "Zx9_clearance-1"}]),
        "Authorization: Bearer abcdefghijklmnop1234",
        "openai.AuthenticationError: Incorrect API key provided: sk-proj-AbCdEf123456",
        "the owner key is openai-key-of-the-owner-123",
    ],
)
def test_what_looks_like_a_secret_is_blanked_out_wherever_it_comes_from(
    captured: io.StringIO, line: str
) -> None:
    logging.getLogger("telegram.ext.Updater").info("%s", line)
    out = captured.getvalue()
    assert "***" in out
    for secret in (
        BOT_TOKEN,
        JWT[:40],
        "0123456789abcdef",
        "abc.def.ghi",
        "5f1c2e9a-0000",
        "Zx9_clearance-1",
        "abcdefghijklmnop1234",
        "AbCdEf123456",
        "openai-key-of-the-owner-123",
    ):
        assert secret not in out


def test_cookies_read_from_the_vault_are_remembered_as_secrets(captured: io.StringIO) -> None:
    vault = Vault(b"k" * 40)
    blob = vault.seal([{"name": "some_new_cookie", "value": "a-value-nobody-named-before"}])
    logs._remembered.clear()  # a restart: the values are known again once the session is read
    vault.open(blob)
    logging.getLogger("core").warning("page said %s", "a-value-nobody-named-before")
    assert "a-value-nobody-named-before" not in captured.getvalue()


def test_libraries_stay_at_info_at_debug_unless_asked() -> None:
    logs.setup("DEBUG")
    assert logging.getLogger("telegram").getEffectiveLevel() == logging.INFO
    assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("core.vinted").getEffectiveLevel() == logging.DEBUG
    logs.setup("DEBUG", libraries_debug=True)
    assert logging.getLogger("telegram.ext").getEffectiveLevel() == logging.DEBUG
    logs.setup("WARNING")
    assert logging.getLogger("telegram").getEffectiveLevel() == logging.WARNING
