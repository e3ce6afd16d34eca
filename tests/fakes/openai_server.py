"""A loopback fake of OpenAI's Chat Completions endpoint, scriptable per test.

It answers `POST /v1/chat/completions` in the real response format. Each request takes the next
scripted reply (a JSON object to return as content, `Status`, `Delay`, `Raw`); with the script
empty it answers like a plausible model, deterministically, by the request's json_schema name.
Every request is recorded with its images' pixel size, byte size and detail level.

Run it in the test's event loop (`async with FakeOpenAIServer() as server`), in a background
thread (`run_in_thread()`), or as a process: `python -m tests.fakes.openai_server --port N`.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import binascii
import io
import itertools
import json
import re
import signal
import threading
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from PIL import Image

from core.analysis.tokens import image_tokens
from core.catalog import category_ids

HOST = "127.0.0.1"


# ---- the script ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    """Answer with this HTTP error status (OpenAI's error body), e.g. Status(429, 0.01)."""

    status: int
    retry_after: float | None = None  # seconds, sent as `retry-after`
    retry_after_ms: float | None = None  # milliseconds, sent as `retry-after-ms`
    code: str | None = None  # OpenAI's error code, e.g. "insufficient_quota"


@dataclass(frozen=True)
class Delay:
    """Wait this long before answering the same request with the next reply (or the default)."""

    seconds: float


@dataclass(frozen=True)
class Raw:
    """Return this text as the message content, as is (e.g. malformed JSON)."""

    content: str


Reply = Mapping[str, Any] | Status | Delay | Raw


# ---- what was received ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivedImage:
    width: int | None  # None when the URL is not a decodable data URL
    height: int | None
    size_bytes: int
    detail: str | None

    @property
    def tokens(self) -> int:
        """Return what OpenAI would bill for this image (GPT-4o formula)."""
        if self.width is None or self.height is None:
            return 0
        # "auto" and a missing detail count as high: the upper bound of what may be billed.
        return image_tokens(self.width, self.height, "low" if self.detail == "low" else "high")


@dataclass
class ReceivedRequest:
    body: dict[str, Any]
    images: list[ReceivedImage] = field(default_factory=list)
    status: int | None = None  # what the fake answered; None while it has not answered
    usage: dict[str, Any] | None = None  # the usage block of a 200 answer

    @property
    def response_format(self) -> dict[str, Any]:
        return self.body.get("response_format") or {}

    @property
    def schema_name(self) -> str | None:
        return (self.response_format.get("json_schema") or {}).get("name")

    @property
    def json_schema(self) -> dict[str, Any]:
        return self.response_format.get("json_schema") or {}

    @property
    def system_text(self) -> str:
        return "\n".join(_texts_of(m) for m in self.body["messages"] if m["role"] == "system")

    @property
    def user_texts(self) -> list[str]:
        """Return the text parts of the user messages, in order."""
        texts: list[str] = []
        for message in self.body["messages"]:
            if message["role"] != "user":
                continue
            content = message["content"]
            if isinstance(content, str):
                texts.append(content)
            else:
                texts += [p["text"] for p in content if p.get("type") == "text"]
        return texts


def _texts_of(message: Mapping[str, Any]) -> str:
    content = message["content"]
    if isinstance(content, str):
        return content
    return "\n".join(p["text"] for p in content if p.get("type") == "text")


# ---- the server ----------------------------------------------------------------------------


class FakeOpenAIServer:
    """An aiohttp server on 127.0.0.1 speaking the Chat Completions protocol."""

    def __init__(self, *, latency: float = 0.0, port: int = 0) -> None:
        self.latency = latency
        self.requests: list[ReceivedRequest] = []
        self.default_draft: dict[str, Any] = {}  # fields merged over every default draft
        self._port = port
        self._script: deque[Reply] = deque()
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._bound_port: int | None = None

    # lifecycle

    async def start(self) -> None:
        """Bind 127.0.0.1 (port 0 picks a free one) and start answering."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/v1/chat/completions", self._handle)
        # handler_cancellation: a client that timed out must not leave a sleeping handler.
        self._runner = web.AppRunner(
            app, handler_cancellation=True, shutdown_timeout=0.5, access_log=None
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, HOST, self._port)
        await site.start()
        self._bound_port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Stop answering and release the port."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeOpenAIServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        if self._bound_port is None:
            raise RuntimeError("the fake OpenAI server is not started")
        return f"http://{HOST}:{self._bound_port}/v1"

    # scripting

    def script(self, *replies: Reply) -> None:
        """Queue replies for the next requests, consumed in order."""
        self._script.extend(replies)

    def set_default_draft(self, **fields: Any) -> None:
        """Make every default draft answer use these field values."""
        self.default_draft.update(fields)

    @property
    def pending(self) -> int:
        """Return how many scripted replies are still unused."""
        return len(self._script)

    def requests_named(self, schema_name: str) -> list[ReceivedRequest]:
        """Return the recorded requests whose json_schema has this name."""
        return [r for r in self.requests if r.schema_name == schema_name]

    # handling

    async def _handle(self, request: web.Request) -> web.Response:
        if not request.headers.get("Authorization", "").startswith("Bearer "):
            return _error(401, "You didn't provide an API key.", "invalid_request_error")
        try:
            body = await request.json()
        except json.JSONDecodeError:
            return _error(400, "We could not parse the JSON body.", "invalid_request_error")
        if body.get("stream"):
            return _error(400, "The fake server does not stream.", "invalid_request_error")
        received = ReceivedRequest(body=body, images=_images_of(body))
        self.requests.append(received)

        delay = self.latency
        reply: Reply | None = None
        while self._script:
            item = self._script.popleft()
            if isinstance(item, Delay):
                delay += item.seconds
                continue
            reply = item
            break
        if delay:
            await asyncio.sleep(delay)

        if isinstance(reply, Status):
            received.status = reply.status
            return _status(reply)
        if isinstance(reply, Raw):
            content = reply.content
        elif reply is not None:
            content = json.dumps(reply, ensure_ascii=False)
        else:
            content = json.dumps(self._default_answer(received), ensure_ascii=False)
        completion = self._completion(received, content)
        received.status, received.usage = 200, completion["usage"]
        return web.json_response(completion)

    def _completion(self, received: ReceivedRequest, content: str) -> dict[str, Any]:
        text_chars = len(received.system_text) + sum(len(t) for t in received.user_texts)
        prompt_tokens = text_chars // 4 + sum(image.tokens for image in received.images)
        completion_tokens = len(content) // 4 + 1
        return {
            "id": f"chatcmpl-fake{next(self._ids)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": received.body.get("model", "gpt-4o"),
            "choices": [
                {
                    "index": 0,
                    "message": {
                        "role": "assistant",
                        "content": content,
                        "refusal": None,
                        "annotations": [],
                    },
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
                "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0},
            },
            "service_tier": "default",
            "system_fingerprint": "fp_fake",
        }

    def _default_answer(self, received: ReceivedRequest) -> dict[str, Any]:
        name = received.schema_name or ""
        if name.startswith("grouping"):
            return _default_grouping(received)
        if name == "draft":
            return {**_default_draft(received), **self.default_draft}
        if name == "correction":
            return _default_correction(received)
        if name == "edit":
            return _default_edit(received)
        return {}


def _images_of(body: Mapping[str, Any]) -> list[ReceivedImage]:
    images: list[ReceivedImage] = []
    for message in body.get("messages", []):
        content = message.get("content")
        if not isinstance(content, list):
            continue
        for part in content:
            if part.get("type") != "image_url":
                continue
            url: str = part["image_url"]["url"]
            detail = part["image_url"].get("detail")
            width = height = None
            size = 0
            if url.startswith("data:") and "," in url:
                try:
                    data = base64.b64decode(url.split(",", 1)[1], validate=True)
                    size = len(data)
                    with Image.open(io.BytesIO(data)) as im:
                        width, height = im.size
                except (binascii.Error, OSError):
                    pass
            images.append(ReceivedImage(width, height, size, detail))
    return images


def _status(reply: Status) -> web.Response:
    headers: dict[str, str] = {"x-request-id": "req_fake"}
    if reply.retry_after is not None:
        headers["retry-after"] = f"{reply.retry_after:g}"
    if reply.retry_after_ms is not None:
        headers["retry-after-ms"] = f"{reply.retry_after_ms:g}"
    if reply.status == 429:
        code = reply.code or "rate_limit_exceeded"
        message = (
            "You exceeded your current quota."
            if code == "insufficient_quota"
            else "Rate limit reached for requests."
        )
        return _error(429, message, "requests", code=code, headers=headers)
    if reply.status >= 500:
        return _error(reply.status, "The server had an error.", "server_error", headers=headers)
    return _error(reply.status, "Scripted error.", "invalid_request_error", code=reply.code)


def _error(
    status: int,
    message: str,
    kind: str,
    *,
    code: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> web.Response:
    body = {"error": {"message": message, "type": kind, "param": None, "code": code}}
    return web.json_response(body, status=status, headers=headers)


# ---- the default "model" -------------------------------------------------------------------

_PHOTO = re.compile(r"^photo (\d+) \((?:album (\w+)|sent alone)\)$")
_REFERENCE = re.compile(r"^reference: .*\((?:album (\w+)|sent alone)\)$")
_LANGUAGE = re.compile(r"Listing language: \w+ \((\w\w)\)")
_NOTE = re.compile(r"The seller's note[^:]*: (\".*\")")
_SIZE = re.compile(
    r"\b(?:taille|size|gr(?:ö|oe)(?:ß|ss)e|t\.)\s*:?\s*"
    r"(XXS|XS|S|M|L|XL|XXL|XXXL|\d{2,3}(?:[.,]5)?|W\d{2}(?:\s*L\d{2})?)\b",
    re.IGNORECASE,
)
_BRANDS = (
    "Zara",
    "H&M",
    "Mango",
    "Uniqlo",
    "Nike",
    "Adidas",
    "Levi's",
    "Kiabi",
    "Promod",
    "Sandro",
    "Maje",
    "Jules",
    "Celio",
    "Esprit",
    "Only",
    "Vero Moda",
    "Bershka",
    "Pull&Bear",
    "Stradivarius",
    "Petit Bateau",
)
# keyword -> (category id, item type per language)
_TYPES: dict[str, tuple[str, dict[str, str]]] = {
    "robe": ("women_dresses", {"fr": "Robe", "en": "Dress", "de": "Kleid"}),
    "dress": ("women_dresses", {"fr": "Robe", "en": "Dress", "de": "Kleid"}),
    "kleid": ("women_dresses", {"fr": "Robe", "en": "Dress", "de": "Kleid"}),
    "jean": ("women_jeans", {"fr": "Jean", "en": "Jeans", "de": "Jeans"}),
    "jeans": ("women_jeans", {"fr": "Jean", "en": "Jeans", "de": "Jeans"}),
    "pull": ("women_sweaters", {"fr": "Pull", "en": "Jumper", "de": "Pullover"}),
    "sweater": ("women_sweaters", {"fr": "Pull", "en": "Jumper", "de": "Pullover"}),
    "pullover": ("women_sweaters", {"fr": "Pull", "en": "Jumper", "de": "Pullover"}),
    "veste": ("women_jackets", {"fr": "Veste", "en": "Jacket", "de": "Jacke"}),
    "jacket": ("women_jackets", {"fr": "Veste", "en": "Jacket", "de": "Jacke"}),
    "jacke": ("women_jackets", {"fr": "Veste", "en": "Jacket", "de": "Jacke"}),
    "jupe": ("women_skirts", {"fr": "Jupe", "en": "Skirt", "de": "Rock"}),
    "skirt": ("women_skirts", {"fr": "Jupe", "en": "Skirt", "de": "Rock"}),
    "chemise": ("men_shirts", {"fr": "Chemise", "en": "Shirt", "de": "Hemd"}),
    "shirt": ("men_shirts", {"fr": "Chemise", "en": "Shirt", "de": "Hemd"}),
    "baskets": ("men_sneakers", {"fr": "Baskets", "en": "Trainers", "de": "Sneaker"}),
    "sneakers": ("men_sneakers", {"fr": "Baskets", "en": "Trainers", "de": "Sneaker"}),
}
_DEFAULT_TYPE = ("women_tshirts", {"fr": "T-shirt", "en": "T-shirt", "de": "T-Shirt"})
_WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "size": "taille",
        "colour": "bleu",
        "brand": "Marque",
        "no_brand": "sans marque",
        "size_line": "Taille",
        "unknown": "non indiquée",
        "colour_line": "Couleur",
        "lines": "Très bon état, peu porté.|Aucun défaut visible.|Lavé avant envoi.",
        "edited": "Annonce modifiée : {}.",
        "nothing": "Aucune modification comprise.",
        "filler": "Envoi rapide.",
    },
    "en": {
        "size": "size",
        "colour": "blue",
        "brand": "Brand",
        "no_brand": "no brand",
        "size_line": "Size",
        "unknown": "not stated",
        "colour_line": "Colour",
        "lines": "Very good condition, worn a few times.|No visible defect."
        "|Washed before sending.",
        "edited": "Listing changed: {}.",
        "nothing": "No change understood.",
        "filler": "Quick dispatch.",
    },
    "de": {
        "size": "Größe",
        "colour": "blau",
        "brand": "Marke",
        "no_brand": "ohne Marke",
        "size_line": "Größe",
        "unknown": "nicht angegeben",
        "colour_line": "Farbe",
        "lines": "Sehr guter Zustand, wenig getragen.|Keine sichtbaren Mängel."
        "|Vor dem Versand gewaschen.",
        "edited": "Anzeige geändert: {}.",
        "nothing": "Keine Änderung verstanden.",
        "filler": "Schneller Versand.",
    },
}


def _language(received: ReceivedRequest) -> str:
    match = _LANGUAGE.search(received.system_text)
    return match.group(1) if match and match.group(1) in _WORDS else "fr"


def _default_grouping(received: ReceivedRequest) -> dict[str, Any]:
    """Group photos by the album letter of their caption; loose photos form one group."""
    albums: dict[str | None, list[int]] = {}
    has_reference = False
    reference_album: str | None = None
    first_album: str | None = None
    for text in received.user_texts:
        if match := _REFERENCE.match(text):
            has_reference, reference_album = True, match.group(1)
        elif match := _PHOTO.match(text):
            number, album = int(match.group(1)), match.group(2)
            if number == 1:
                first_album = album
            albums.setdefault(album, []).append(number)
    groups = [{"photo_indices": ns, "label_photo_indices": []} for ns in albums.values()]
    groups.sort(key=lambda g: g["photo_indices"][0])
    answer: dict[str, Any] = {"groups": groups}
    if received.schema_name == "grouping_continued":
        answer = {
            "first_group_continues_previous": has_reference and reference_album == first_album,
            **answer,
        }
    return answer


def _note(received: ReceivedRequest) -> str:
    for text in received.user_texts:
        if match := _NOTE.search(text):
            return str(json.loads(match.group(1)))
    return ""


def _default_draft(received: ReceivedRequest) -> dict[str, Any]:
    """Write a factual draft in the requested language, using brand and size from the note."""
    language = _language(received)
    words = _WORDS[language]
    note = _note(received)
    brand = next((b for b in _BRANDS if re.search(rf"(?i)\b{re.escape(b)}(?!\w)", note)), None)
    size_match = _SIZE.search(note)
    size = size_match.group(1).upper() if size_match else None
    category, names = next(
        (_TYPES[w] for w in re.findall(r"\w+", note.lower()) if w in _TYPES), _DEFAULT_TYPE
    )
    kind = names[language]
    title = " ".join(
        part for part in (kind, brand, f"{words['size']} {size}" if size else None) if part
    )
    lines = [
        f"{kind} {brand or words['no_brand']}.",
        f"{words['colour_line']} : {words['colour']}."
        if language == "fr"
        else f"{words['colour_line']}: {words['colour']}.",
        f"{words['size_line']} : {size or words['unknown']}."
        if language == "fr"
        else f"{words['size_line']}: {size or words['unknown']}.",
        *words["lines"].split("|"),
    ]
    tags = [f"#{kind.lower().replace('-', '')}", f"#{words['colour']}"]
    if brand:
        tags.append("#" + re.sub(r"\W", "", brand.lower()))
    else:
        tags.append("#vinted")
    price = 18.0 if brand else 10.0
    return {
        "title": title,
        "description": lines,
        "hashtags": tags,
        "brand": brand,
        "category": category,
        "size_on_label": size,
        "size": size,
        "condition": "very_good",
        "colours": [words["colour"]],
        "material": None,
        "defects": [],
        "measurements": None,
        "price_min": round(price * 0.8, 2),
        "price_target": price,
        "price_max": round(price * 1.3, 2),
        "confidence": 0.8 if brand and size else 0.6,
    }


def _listing_in(received: ReceivedRequest) -> dict[str, Any]:
    for text in received.user_texts:
        if match := re.search(r"```json\n(.*?)\n```", text, re.DOTALL):
            return dict(json.loads(match.group(1)))
    return {}


_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f]")


def _default_correction(received: ReceivedRequest) -> dict[str, Any]:
    """Return the listing with emoji removed, the title cut to 70 and 5+ description lines."""
    language = _language(received)
    listing = _listing_in(received)
    # Like a model that follows the instructions: drop the phrases it was told were found.
    found = [f for text in received.user_texts for f in re.findall(r'found: "([^"]+)"', text)]
    banned = re.compile("|".join(map(re.escape, found)), re.IGNORECASE) if found else None

    def clean(text: str) -> str:
        text = _EMOJI.sub("", text)
        if banned is not None:
            text = banned.sub("", text)
        return re.sub(r"\s+([,.])", r"\1", re.sub(r"\s{2,}", " ", text)).strip(" ,")

    title = clean(listing.get("title", ""))
    if len(title) > 70:
        title = title[:70].rsplit(" ", 1)[0]
    lines = [clean(line) for line in listing.get("description", []) if clean(line)]
    while len(lines) < 5:
        lines.append(_WORDS[language]["filler"])
    tags = [clean(t) for t in listing.get("hashtags", []) if clean(t)][:5]
    while len(tags) < 3:
        tags.append(["#vinted", "#mode", "#occasion"][len(tags)])
    category = listing.get("category") or ""
    target = float(listing.get("price_target") or 10.0)
    return {
        "title": title,
        "description": lines[:8],
        "hashtags": tags,
        "brand": listing.get("brand"),
        "category": category if category in category_ids() else _DEFAULT_TYPE[0],
        "size_on_label": None,
        "size": listing.get("size") or None,
        "condition": listing.get("condition"),
        "colours": listing.get("colours", [])[:2],
        "material": listing.get("material"),
        "defects": listing.get("defects", []),
        "measurements": listing.get("measurements"),
        "price_min": float(listing.get("price_min") or target),
        "price_target": target,
        "price_max": float(listing.get("price_max") or target),
        "confidence": 0.7,
    }


_EDIT_PRICE = re.compile(r"\b(?:prix|price|preis)\s*:?\s*(\d+(?:[.,]\d+)?)", re.IGNORECASE)
_EDIT_SIZE = re.compile(r"\b(?:taille|size|größe|groesse)\s*:?\s*(\S+)", re.IGNORECASE)
_EDIT_TITLE = re.compile(r"\b(?:titre|title|titel)\s*:\s*(.+)", re.IGNORECASE)
_EDIT_BRAND = re.compile(r"\b(?:marque|brand|marke)\s*:?\s*(\S+)", re.IGNORECASE)
_EDIT_DEFECT = re.compile(r"\b(?:défaut|defaut|defect|mangel)\s*:\s*(.+)", re.IGNORECASE)


def _default_edit(received: ReceivedRequest) -> dict[str, Any]:
    """Understand "prix 25", "size M", "title: ...", "brand Zara", "defect: ..." instructions."""
    language = _language(received)
    instruction = ""
    for text in received.user_texts:
        if match := re.search(r"change request: (\".*\")", text):
            instruction = str(json.loads(match.group(1)))
    edit: dict[str, Any] = dict.fromkeys(
        (
            "title",
            "description",
            "hashtags",
            "brand",
            "category",
            "size",
            "condition",
            "colours",
            "material",
            "measurements",
            "price_min",
            "price_target",
            "price_max",
        )
    )
    edit["add_defects"] = []
    edit["remove_defects"] = []
    changed: list[str] = []
    if match := _EDIT_PRICE.search(instruction):
        target = float(match.group(1).replace(",", "."))
        edit.update(
            price_target=target,
            price_min=round(target * 0.85, 2),
            price_max=round(target * 1.15, 2),
        )
        changed.append(f"{target:g} EUR")
    if match := _EDIT_SIZE.search(instruction):
        edit["size"] = match.group(1).upper()
        changed.append(edit["size"])
    if match := _EDIT_TITLE.search(instruction):
        edit["title"] = match.group(1).strip()
        changed.append(edit["title"])
    if match := _EDIT_BRAND.search(instruction):
        edit["brand"] = match.group(1)
        changed.append(edit["brand"])
    if match := _EDIT_DEFECT.search(instruction):
        edit["add_defects"] = [match.group(1).strip()]
        changed.append(match.group(1).strip())
    words = _WORDS[language]
    edit["summary"] = words["edited"].format(", ".join(changed)) if changed else words["nothing"]
    return edit


# ---- running it elsewhere ------------------------------------------------------------------


class ThreadedServer:
    """A fake server running in its own thread and event loop."""

    def __init__(
        self, server: FakeOpenAIServer, loop: asyncio.AbstractEventLoop, thread: threading.Thread
    ) -> None:
        self.server = server
        self._loop = loop
        self._thread = thread

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def stop(self) -> None:
        """Stop the server, its loop and its thread."""
        if not self._thread.is_alive():
            return
        asyncio.run_coroutine_threadsafe(self.server.stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)


def run_in_thread(*, latency: float = 0.0, port: int = 0) -> ThreadedServer:
    """Start a fake server in a background thread; return once it accepts connections."""
    server = FakeOpenAIServer(latency=latency, port=port)
    loop = asyncio.new_event_loop()
    started = threading.Event()
    failure: list[BaseException] = []

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(server.start())
        except BaseException as exc:  # handed to the starting thread
            failure.append(exc)
            started.set()
            loop.close()
            return
        started.set()
        try:
            loop.run_forever()
        finally:
            loop.close()

    thread = threading.Thread(target=run, name="fake-openai", daemon=True)
    thread.start()
    started.wait(timeout=10)
    if failure:
        raise failure[0]
    if not started.is_set():
        raise RuntimeError("the fake OpenAI server did not start within 10 s")
    return ThreadedServer(server, loop, thread)


async def _serve(port: int, latency: float) -> None:
    server = FakeOpenAIServer(latency=latency, port=port)
    await server.start()
    print(server.base_url, flush=True)
    done = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, done.set)
    await done.wait()
    await server.stop()


def main(argv: list[str] | None = None) -> None:
    """Run the fake server until SIGINT or SIGTERM, printing its base URL first."""
    parser = argparse.ArgumentParser(description="Fake OpenAI Chat Completions server.")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    args = parser.parse_args(argv)
    asyncio.run(_serve(args.port, args.latency))


if __name__ == "__main__":
    main()
