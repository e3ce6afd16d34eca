"""Files: what users send and the bot uploads, photo sizes, getFile and the download route."""

from __future__ import annotations

import copy
import io
from typing import Any

from aiohttp import web
from PIL import Image, ImageOps

from tests.fakes.telegram.errors import ApiError, bad_request
from tests.fakes.telegram.model import JSON, ChatMessage, StoredFile, Upload
from tests.fakes.telegram.state import FakeState

MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024  # getFile refuses bigger files on the public Bot API
THUMBNAIL_SIDES = (90, 320, 800, 1280)  # Telegram's s / m / x / y photo sizes


class Media(FakeState):
    """The file store: file ids, file paths, photo sizes; media on messages."""

    def file(self, file_id: str) -> StoredFile:
        """Return a stored file by file_id."""
        return self._files[file_id]

    def _store_file(
        self,
        kind: str,
        data: bytes,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        file_size: int | None = None,
        width: int | None = None,
        height: int | None = None,
        extension: str | None = None,
    ) -> StoredFile:
        number = next(self._file_numbers)
        folder = {
            "photo": "photos",
            "document": "documents",
            "video": "videos",
            "sticker": "stickers",
            "voice": "voice",
        }[kind]
        if extension is None:
            extension = file_name.rsplit(".", 1)[-1] if file_name and "." in file_name else None
            extension = extension or {"sticker": "webp", "video": "mp4"}.get(kind, "bin")
        stored = StoredFile(
            file_id=f"{kind}-{number}",
            file_unique_id=f"u-{kind}-{number}",
            kind=kind,
            data=bytes(data),
            file_path=f"{folder}/file_{number}.{extension}",
            file_size=len(data) if file_size is None else file_size,
            mime_type=mime_type,
            file_name=file_name,
            width=width,
            height=height,
        )
        self._files[stored.file_id] = stored
        self._paths[stored.file_path] = stored
        return stored

    def _store_photo(self, data: bytes) -> tuple[list[JSON], StoredFile]:
        """Store a photo as Telegram does: thumbnails plus the original as the largest size."""
        if not data:
            raise bad_request("file must be non-empty")
        try:
            source = Image.open(io.BytesIO(data))
            width, height = source.size
            if source.getexif().get(0x0112, 1) in (5, 6, 7, 8):
                width, height = height, width
            largest = max(width, height)
            sides = [side for side in THUMBNAIL_SIDES if side < largest]
            if sides:
                # Decoding at a reduced scale keeps big phone photos cheap to thumbnail.
                source.draft("RGB", (sides[-1], sides[-1]))
            image = ImageOps.exif_transpose(source).convert("RGB")  # decodes: fails on junk
        except Exception as exc:  # noqa: BLE001 - any decoder failure is Telegram's error
            raise bad_request("IMAGE_PROCESS_FAILED") from exc
        if width + height > 10_000 or max(width, height) > 20 * min(width, height):
            raise bad_request("PHOTO_INVALID_DIMENSIONS")
        sizes: list[JSON] = []
        for side in sides:
            thumbnail = image.copy()
            thumbnail.thumbnail((side, side))
            buffer = io.BytesIO()
            thumbnail.save(buffer, "JPEG", quality=80)
            stored = self._store_file(
                "photo",
                buffer.getvalue(),
                width=thumbnail.width,
                height=thumbnail.height,
                extension="jpg",
            )
            sizes.append(self._photo_size(stored))
        original = self._store_file("photo", data, width=width, height=height, extension="jpg")
        sizes.append(self._photo_size(original))
        for size in sizes:
            self._photo_sets[size["file_id"]] = sizes
        return sizes, original

    @staticmethod
    def _photo_size(stored: StoredFile) -> JSON:
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": stored.width,
            "height": stored.height,
            "file_size": stored.file_size,
        }

    @staticmethod
    def _document_dict(stored: StoredFile) -> JSON:
        data: JSON = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
        }
        if stored.file_name:
            data["file_name"] = stored.file_name
        if stored.mime_type:
            data["mime_type"] = stored.mime_type
        return data

    def _resolve_media(
        self, value: Any, files: dict[str, Upload], field_name: str, kind: str
    ) -> tuple[Upload | None, StoredFile | None]:
        """Return the upload or the already stored file a media parameter points to."""
        if field_name in files and value is None:
            return files[field_name], None
        if not isinstance(value, str) or not value:
            raise bad_request(f"there is no {kind} in the request")
        if value.startswith("attach://"):
            upload = files.get(value.removeprefix("attach://"))
            if upload is None:
                raise bad_request(f"file {value} not found in the request")
            return upload, None
        if value.startswith(("http://", "https://")):
            raise bad_request("failed to get HTTP URL content")  # the fake stays offline
        stored = self._files.get(value)
        if stored is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        if stored.kind != kind:
            raise bad_request(
                f"can't use file of type {stored.kind.capitalize()} as {kind.capitalize()}"
            )
        return None, stored

    def _attach_media(
        self, message: ChatMessage, kind: str, upload: Upload | None, stored: StoredFile | None
    ) -> None:
        """Put a photo, document or video on a message from an upload or a known file."""
        if upload is not None and not upload.data:
            raise bad_request("file must be non-empty")
        message.photo = message.document = message.video = None
        if kind == "photo":
            if stored is not None:
                sizes = self._photo_sets[stored.file_id]
                message.photo = copy.deepcopy(sizes)
                message.file = self._files[sizes[-1]["file_id"]]
            else:
                assert upload is not None
                message.photo, message.file = self._store_photo(upload.data)
        else:
            if stored is None:
                assert upload is not None
                stored = self._store_file(
                    kind,
                    upload.data,
                    file_name=upload.filename or kind,
                    mime_type=upload.content_type,
                )
            message.file = stored
            if kind == "video":
                message.video = {
                    **self._document_dict(stored),
                    "width": 640,
                    "height": 360,
                    "duration": 1,
                }
            else:
                message.document = self._document_dict(stored)

    def _get_file(self, params: JSON, files: dict[str, Upload]) -> JSON:
        file_id = params.get("file_id")
        if not file_id:
            raise bad_request("file_id is empty")
        stored = self._files.get(str(file_id))
        if stored is None:
            raise bad_request("invalid file_id")
        if stored.file_size > MAX_DOWNLOAD_BYTES:
            raise bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "file_path": stored.file_path,
        }

    async def _handle_download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(ApiError(401, "Unauthorized").payload(), status=401)
        stored = self._paths.get(request.match_info["path"])
        if stored is None:
            return web.json_response(ApiError(404, "Not Found").payload(), status=404)
        self.downloads.append(stored.file_id)
        self._notify()
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )
