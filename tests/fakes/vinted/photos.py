"""Photos: the upload call (POST /api/v2/photos), the files it serves, a listing's photos."""

from __future__ import annotations

import asyncio
import io
from typing import Any

from aiohttp import web

from tests.fakes.vinted.records import UploadedPhoto
from tests.fakes.vinted.responses import json_response, lower_headers, validation_failed
from tests.fakes.vinted.session import Sessions


class Photos(Sessions):
    """Uploaded photos, as Vinted stores them: per member, served at /photos/{id}/f800.jpg."""

    async def _api_photo(self, request: web.Request) -> web.StreamResponse:
        account = await self._api_write_checks(request)
        if isinstance(account, web.Response):
            return account
        switches = self.switches
        if switches.photos_rate_limited:
            return json_response(
                {"code": 429, "message": "Too many requests", "message_code": "rate_limited"},
                status=429,
                headers={"Retry-After": str(switches.retry_after)},
            )
        form = await request.post()
        upload = form.get("photo[file]")
        if not isinstance(upload, web.FileField):
            return validation_failed([{"field": "photo[file]", "value": "Photo manquante."}])
        data = upload.file.read()
        if not data:
            return validation_failed([{"field": "photo[file]", "value": "Photo vide."}])
        delay = switches.slow_photos
        if delay:
            await asyncio.sleep(delay)  # Vinted processes the photo before answering
        with self._lock:
            self._next_photo_id += self._rng.randint(3, 400)
            photo = UploadedPhoto(
                id=self._next_photo_id,
                user_id=account.user_id,
                temp_uuid=str(form.get("photo[temp_uuid]") or ""),
                photo_type=str(form.get("photo[type]") or ""),
                filename=upload.filename,
                content_type=upload.content_type or "application/octet-stream",
                data=data,
                headers=lower_headers(request),
                cookies=dict(request.cookies),
            )
            self._state.photos[photo.id] = photo
        width, height = _image_size(data)
        url = f"{request.scheme}://{request.host}/photos/{photo.id}/f800.jpg"
        return json_response(
            {
                "id": photo.id,
                "temp_uuid": photo.temp_uuid,
                "url": url,
                "width": width,
                "height": height,
                "dominant_color": "#A3A3A3",
                "is_main": False,
                "orientation": 0,
                "thumbnails": [
                    {"type": kind, "url": url.replace("f800", kind)}
                    for kind in ("thumb70x100", "thumb150x210", "thumb310x430")
                ],
            }
        )

    async def _photo_file(self, request: web.Request) -> web.StreamResponse:
        with self._lock:
            photo = self._state.photos.get(int(request.match_info["photo_id"]))
        if photo is None:
            raise web.HTTPNotFound()
        return web.Response(body=photo.data, content_type=photo.content_type)

    def _assigned_photos(self, item: dict[str, Any], user_id: int) -> list[UploadedPhoto]:
        found = []
        with self._lock:
            for entry in item.get("assigned_photos") or []:
                photo_id = entry.get("id") if isinstance(entry, dict) else None
                photo = self._state.photos.get(photo_id) if isinstance(photo_id, int) else None
                if photo is not None and photo.user_id == user_id:
                    found.append(photo)
        return found


def _image_size(data: bytes) -> tuple[int, int]:
    """Return an image's pixel size, or (0, 0) when Pillow cannot read it."""
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except Exception:  # noqa: BLE001 - any undecodable upload just has no known size
        return 0, 0
