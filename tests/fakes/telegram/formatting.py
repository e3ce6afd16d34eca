"""Text and captions: parse_mode markup to plain text + entities, and Telegram's length limits.

The parsers fail where Telegram fails, with its ``can't parse entities`` wording.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from tests.fakes.telegram.errors import ApiError, bad_request
from tests.fakes.telegram.model import JSON

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_HTML_TAG_NAME = re.compile(r"[^\s>]*")
_HTML_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_MD2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")


class _TextBuilder:
    """Accumulate plain text while tracking UTF-16 offsets for entities."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.offset = 0
        self.entities: list[JSON] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.offset += utf16_len(text)

    def entity(self, kind: str, start: int, **extra: Any) -> None:
        if self.offset > start:
            self.entities.append(
                {"type": kind, "offset": start, "length": self.offset - start, **extra}
            )

    def result(self) -> tuple[str, list[JSON]]:
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.parts), self.entities


def _cant_parse(what: str) -> ApiError:
    return bad_request(f"can't parse entities: {what}")


def _byte_offset(src: str, index: int) -> int:
    return len(src[:index].encode("utf-8"))


def _parse_html(src: str) -> tuple[str, list[JSON]]:
    out = _TextBuilder()
    stack: list[tuple[str, int, JSON]] = []
    i = 0
    while i < len(src):
        char = src[i]
        if char == "<":
            # Same order of checks as tdlib: the tag name runs to whitespace or ">".
            offset = _byte_offset(src, i)
            closing = src.startswith("</", i)
            name_match = _HTML_TAG_NAME.match(src, i + (2 if closing else 1))
            assert name_match is not None  # the pattern also matches an empty name
            name = name_match.group(0).lower()
            end = src.find(">", name_match.end())
            if closing:
                if not stack:
                    raise _cant_parse(f"Unexpected end tag at byte offset {offset}")
                if end == -1 or src[name_match.end() : end].strip():
                    raise _cant_parse(f"Unclosed end tag at byte offset {offset}")
                tag, start, extra = stack.pop()
                if name and name != tag:
                    raise _cant_parse(
                        f"Unmatched end tag at byte offset {offset}, "
                        f'expected "</{tag}>", found "</{name}>"'
                    )
                out.entity(_HTML_TAGS[tag], start, **extra)
            else:
                if name_match.end() >= len(src):
                    raise _cant_parse(f"Unclosed start tag at byte offset {offset}")
                if name not in _HTML_TAGS:
                    raise _cant_parse(f'Unsupported start tag "{name}" at byte offset {offset}')
                if end == -1:
                    raise _cant_parse(f"Unclosed start tag at byte offset {offset}")
                attrs = src[name_match.end() : end]
                attributes = dict(re.findall(r'([\w-]+)\s*=\s*["\']([^"\']*)["\']', attrs))
                details: JSON = {}
                if name == "a":
                    details["url"] = attributes.get("href", "")
                elif name == "span" and attributes.get("class") != "tg-spoiler":
                    raise _cant_parse('Tag "span" must have class "tg-spoiler"')
                elif name == "tg-emoji":
                    details["custom_emoji_id"] = attributes.get("emoji-id", "")
                stack.append((name, out.offset, details))
            i = end + 1
        elif char == "&":
            match = re.match(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);", src[i:])
            decoded = None
            if match:
                ref = match.group(1)
                if ref.startswith("#x"):
                    decoded = chr(int(ref[2:], 16))
                elif ref.startswith("#"):
                    decoded = chr(int(ref[1:]))
                else:
                    decoded = _HTML_NAMED.get(ref)
            if match and decoded is not None:
                out.add(decoded)
                i += len(match.group(0))
            else:
                out.add("&")
                i += 1
        else:
            out.add(char)
            i += 1
    if stack:
        raise _cant_parse(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    return out.result()


def _parse_markdown(src: str, *, v2: bool) -> tuple[str, list[JSON]]:
    out = _TextBuilder()
    stack: list[tuple[str, int, int]] = []  # marker, utf16 start, byte offset
    markers = {
        "*": "bold",
        "_": "italic",
        "~": "strikethrough",
        "__": "underline",
        "||": "spoiler",
    }
    if not v2:
        markers = {"*": "bold", "_": "italic"}
    i = 0
    while i < len(src):
        char = src[i]
        if char == "\\" and i + 1 < len(src) and (v2 or src[i + 1] in "_*`["):
            out.add(src[i + 1])
            i += 2
            continue
        if char == "`":
            fence = "```" if src.startswith("```", i) else "`"
            close = src.find(fence, i + len(fence))
            if close == -1:
                raise _cant_parse(
                    f"Can't find end of the entity starting at byte offset {_byte_offset(src, i)}"
                )
            body = src[i + len(fence) : close]
            language = ""
            if fence == "```" and "\n" in body:
                first, rest = body.split("\n", 1)
                if first and " " not in first:
                    language, body = first, rest
            if v2:
                body = re.sub(r"\\([`\\])", r"\1", body)
            start = out.offset
            out.add(body)
            if fence == "```":
                out.entity("pre", start, **({"language": language} if language else {}))
            else:
                out.entity("code", start)
            i = close + len(fence)
            continue
        marker = next((m for m in ("__", "||") if v2 and src.startswith(m, i)), char)
        if marker in markers:
            if stack and stack[-1][0] == marker:
                _, start, _ = stack.pop()
                out.entity(markers[marker], start)
            elif any(open_marker == marker for open_marker, _, _ in stack):
                raise _cant_parse(
                    f"Can't find end of the entity starting at byte offset {stack[-1][2]}"
                )
            else:
                stack.append((marker, out.offset, _byte_offset(src, i)))
            i += len(marker)
            continue
        if char == "[":
            stack.append(("[", out.offset, _byte_offset(src, i)))
            i += 1
            continue
        if char == "]" and stack and stack[-1][0] == "[":
            link = re.match(r"\]\(((?:\\.|[^)\\])*)\)", src[i:])
            if link:
                _, start, _ = stack.pop()
                url = re.sub(r"\\(.)", r"\1", link.group(1)) if v2 else link.group(1)
                out.entity("text_link", start, url=url)
                i += len(link.group(0))
                continue
        if v2 and char in _MD2_RESERVED:
            raise _cant_parse(
                f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
        out.add(char)
        i += 1
    if stack:
        raise _cant_parse(f"Can't find end of the entity starting at byte offset {stack[-1][2]}")
    return out.result()


def parse_formatting(
    text: str, parse_mode: str | None, entities: list[JSON] | None
) -> tuple[str, list[JSON]]:
    """Return the plain text and entities Telegram stores for text sent with a parse_mode."""
    if entities:
        return text, copy.deepcopy(entities)
    mode = (parse_mode or "").lower()
    if mode == "html":
        return _parse_html(text)
    if mode == "markdownv2":
        return _parse_markdown(text, v2=True)
    if mode == "markdown":
        return _parse_markdown(text, v2=False)
    if mode:
        raise bad_request(f"unsupported parse_mode {parse_mode!r}")
    return text, []


_COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]+)?")


def command_entities(text: str) -> list[JSON]:
    """Mark /commands the way Telegram clients do."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: m.start()]),
            "length": utf16_len(m.group(0)),
        }
        for m in _COMMAND_RE.finditer(text)
    ]


def formatted(
    params: JSON, text_field: str, entities_field: str, limit: int, too_long: str
) -> tuple[str | None, list[JSON]]:
    raw = params.get(text_field)
    if raw is None:
        return None, []
    text, entities = parse_formatting(
        str(raw), params.get("parse_mode"), params.get(entities_field)
    )
    if len(text) > limit:
        raise bad_request(too_long)
    return text, entities


def message_text(params: JSON) -> tuple[str, list[JSON]]:
    text, entities = formatted(params, "text", "entities", MAX_TEXT_LENGTH, "message is too long")
    if text is None or not text.strip():
        raise bad_request("message text is empty")
    return text, entities


def message_caption(params: JSON) -> tuple[str | None, list[JSON]]:
    """Return the caption (None when empty) and its entities, from params or an InputMedia."""
    caption, entities = formatted(
        params,
        "caption",
        "caption_entities",
        MAX_CAPTION_LENGTH,
        "message caption is too long",
    )
    return (caption if caption else None), entities
