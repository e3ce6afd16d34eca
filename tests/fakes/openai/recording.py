"""What the fake received: each request's body, its images' size and detail, and the answer."""

from __future__ import annotations

import base64
import binascii
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from PIL import Image

from core.analysis.tokens import image_tokens


@dataclass(frozen=True)
class ReceivedImage:
    width: int | None  # None when the URL is not a decodable data URL
    height: int | None
    size_bytes: int
    detail: str | None
    mark: int | None = None  # an item number drawn in the corner (see item_mark), if any

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


MARK_SIDE = 96  # px of a 1280 px photo: still a few pixels once sized for the model


def item_mark(item: int) -> tuple[int, int, int]:
    """The colour that marks photos of item `item` (1..20) for the fake model's grouping:
    what "these photos show the same garment" looks like to a model that cannot see."""
    return (250, 10, 12 * item)


def read_mark(image: Image.Image) -> int | None:
    red, green, blue = image.convert("RGB").getpixel((2, 2))[:3]
    if red < 200 or green > 60:
        return None
    item = round(blue / 12)
    return item if 1 <= item <= 20 and abs(blue - 12 * item) <= 5 else None


def images_of(body: Mapping[str, Any]) -> list[ReceivedImage]:
    """Return the request's images, in order, decoded far enough to know their pixel size."""
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
            width = height = mark = None
            size = 0
            if url.startswith("data:") and "," in url:
                try:
                    data = base64.b64decode(url.split(",", 1)[1], validate=True)
                    size = len(data)
                    with Image.open(io.BytesIO(data)) as im:
                        width, height = im.size
                        mark = read_mark(im)
                except (binascii.Error, OSError):
                    pass
            images.append(ReceivedImage(width, height, size, detail, mark))
    return images
