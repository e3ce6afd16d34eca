"""The HTTP server: Bot API routes, each method name to its handler, the call log, lifecycle."""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from tests.fakes.telegram.bot_info import BotInfo
from tests.fakes.telegram.control import ControlRoutes
from tests.fakes.telegram.editing import Editing
from tests.fakes.telegram.errors import ApiError
from tests.fakes.telegram.failures import Failures
from tests.fakes.telegram.model import JSON, Call, Upload
from tests.fakes.telegram.params import read_request
from tests.fakes.telegram.sending import Sending
from tests.fakes.telegram.thread import FakeTelegramThread
from tests.fakes.telegram.updates import Updates

log = logging.getLogger(__name__)


DEFAULT_TOKEN = "123456:TEST-TOKEN"
UPLOAD_LIMIT_BYTES = 60 * 1024 * 1024


class FakeTelegram(ControlRoutes, Sending, Editing, Updates, BotInfo, Failures):
    """An in-process Telegram Bot API with chats, files, updates and a call log."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_name: str = "Lister Test Bot",
        bot_username: str = "lister_test_bot",
    ) -> None:
        super().__init__(token, host=host, port=port, bot_name=bot_name, bot_username=bot_username)
        # Lower-case method name to handler; the comment names the module that handles it.
        self.methods: dict[str, Callable[[JSON, dict[str, Upload]], Any]] = {
            # bot_info
            "getme": self._get_me,
            "getchat": self._get_chat,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            # here
            "logout": lambda p, f: True,
            "close": lambda p, f: True,
            # updates
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "getupdates": self._get_updates,
            # media
            "getfile": self._get_file,
            # sending
            "sendmessage": self._send_message,
            "sendphoto": self._send_photo,
            "senddocument": self._send_document,
            "sendmediagroup": self._send_media_group,
            "sendchataction": self._send_chat_action,
            # editing
            "editmessagetext": self._edit_message_text,
            "editmessagecaption": self._edit_message_caption,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "editmessagemedia": self._edit_message_media,
            "deletemessage": self._delete_message,
            "deletemessages": self._delete_messages,
            # keyboards
            "answercallbackquery": self._answer_callback_query,
        }

    # -- lifecycle --------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """Return the server root, e.g. ``http://127.0.0.1:41234``."""
        if self._runner is None:
            raise RuntimeError("the fake Telegram server is not started")
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """Return what to give PTB as ``base_url``."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """Return what to give PTB as ``base_file_url``."""
        return f"{self.url}/file/bot"

    def make_app(self) -> web.Application:
        """Build the aiohttp application serving the Bot API routes."""
        app = web.Application(client_max_size=UPLOAD_LIMIT_BYTES)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_download)
        app.router.add_post("/_fake/send_text", self._control_send_text)
        app.router.add_post("/_fake/send_photo", self._control_send_photo)
        app.router.add_post("/_fake/press", self._control_press)
        app.router.add_get("/_fake/state", self._control_state)
        return app

    async def start(self) -> None:
        """Listen on the loopback address (an ephemeral port unless one was given)."""
        self._closing = False
        # handler_cancellation: a long poll whose client hung up must not linger.
        runner = web.AppRunner(
            self.make_app(), handler_cancellation=True, shutdown_timeout=1.0, access_log=None
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        self.port = runner.addresses[0][1]
        self._runner = runner
        log.debug("fake Telegram listening on %s", self.url)

    async def stop(self) -> None:
        """Answer pending long polls and shut the server down."""
        self._closing = True
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def run_in_thread(self) -> FakeTelegramThread:
        """Serve from a background thread with its own loop; return a thread-safe handle."""
        return FakeTelegramThread(self)

    # -- routing ----------------------------------------------------------------------------

    @property
    def unknown_methods(self) -> list[str]:
        """Return methods the fake does not implement that the bot called anyway."""
        return sorted({c.method for c in self._calls if c.method.lower() not in self.methods})

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        call = Call(method=method, params={}, files={}, time=time.time())
        self._calls.append(call)
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            call.params, call.files = await read_request(request)
            self._maybe_fail(method)
            handler = self.methods.get(method.lower(), self._unknown_method)
            result = handler(call.params, call.files)
            if inspect.isawaitable(result):
                result = await result
        except ApiError as exc:
            call.status, call.error = exc.code, exc.description
            log.debug("%s -> %s %s", method, exc.code, exc.description)
            self._notify()
            return web.json_response(exc.payload(), status=exc.code)
        except Exception as exc:
            # A bug in the fake must be loud, not pass as a Telegram answer.
            log.exception("the fake failed on %s", method)
            error = ApiError(500, f"Internal Server Error: the fake failed: {exc!r}")
            call.status, call.error = error.code, error.description
            self._notify()
            return web.json_response(error.payload(), status=error.code)
        call.status, call.result = 200, result
        self._notify()
        return web.json_response({"ok": True, "result": result})

    def _unknown_method(self, params: JSON, files: dict[str, Upload]) -> bool:
        return True
