"""Turn a seller's photo bytes into clean JPEGs: upright, RGB, metadata-free, in two sizes."""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import io
import struct
import threading
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import imagehash
from PIL import Image, ImageCms

if TYPE_CHECKING:
    from core.config import Settings

__all__ = [
    "DECODE_CONCURRENCY",
    "ImageLimits",
    "ImageRejected",
    "ProcessedImage",
    "RejectReason",
    "is_same_photo",
    "process_image",
    "process_image_async",
]

RejectReason = Literal["empty", "too_large", "not_image", "corrupt", "too_many_pixels"]

_REASON_TEXT: dict[str, str] = {
    "empty": "the file is empty",
    "too_large": "the file is too large",
    "not_image": "the file is not a supported photo (JPEG, PNG, WebP or HEIC)",
    "corrupt": "the photo is damaged or incomplete",
    "too_many_pixels": "the photo has far more pixels than any phone camera makes",
}

# What Pillow may open; anything else (GIF, TIFF, PSD, EPS...) is refused before decoding.
_OPEN_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
# Pillow names a JPEG with a multi-picture index "MPO"; for the seller it is a JPEG.
_FORMAT_NAMES = {"MPO": "JPEG"}

# Decoders raise all of these on bad input; none of them is a bug of ours.
_DECODE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, RuntimeError, struct.error)

# EXIF orientation -> the transpose that makes the picture upright.
_ORIENTATION_FIX = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_EXIF_ORIENTATION = 0x0112

# Formats decoded at full size (no DCT scaling as JPEG has) get a lower ceiling: a 300 KB PNG
# of 8,900 x 8,900 would otherwise take a gigabyte to decode. iPhones make 48 MP HEIC.
_FULL_DECODE_PIXELS = {"PNG": 30_000_000, "WEBP": 30_000_000, "HEIF": 50_000_000}
_MAX_DECODED_BYTES = 256 * 1024 * 1024  # what one full decode may take (16-bit, alpha...)
_BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "LA": 2, "PA": 2, "I;16": 2, "RGB": 3, "YCbCr": 3}

DECODE_CONCURRENCY = 2
"""How many photos are decoded at once by `process_image_async` (per event loop)."""


class ImageRejected(Exception):
    """A photo that cannot be used; `reason` is a stable key the bot translates."""

    def __init__(self, filename: str, reason: RejectReason, detail: str = "") -> None:
        self.filename = filename
        self.reason: str = reason
        self.detail = detail
        message = f"{filename!r} was refused: {_REASON_TEXT[reason]}"
        super().__init__(f"{message} ({detail})" if detail else message)


@dataclass(frozen=True)
class ProcessedImage:
    """The two JPEGs made from one photo, their sizes and the photo's perceptual hash."""

    vinted_jpeg: bytes
    width: int
    height: int
    vision_jpeg: bytes
    vision_width: int
    vision_height: int
    phash: str
    source_format: str


@dataclass(frozen=True)
class ImageLimits:
    """Output sizes, JPEG qualities and the limits past which a photo is refused."""

    vision_long_side: int = 1024
    vinted_long_side: int = 1600
    vinted_quality: int = 90
    vision_quality: int = 85
    max_bytes: int = 30 * 1024 * 1024
    max_pixels: int = 80_000_000

    def __post_init__(self) -> None:
        for name in ("vision_long_side", "vinted_long_side", "max_bytes", "max_pixels"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be positive")
        for name in ("vinted_quality", "vision_quality"):
            if not 1 <= getattr(self, name) <= 100:
                raise ValueError(f"{name} must be between 1 and 100")

    @classmethod
    def from_settings(cls, settings: Settings) -> ImageLimits:
        """Build the limits from the bot's settings."""
        return cls(
            vision_long_side=settings.vision_long_side,
            vinted_long_side=settings.vinted_long_side,
            vinted_quality=settings.vinted_jpeg_quality,
            max_bytes=settings.max_photo_bytes,
            max_pixels=settings.max_photo_pixels,
        )


_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number
_BIG_BUFFER = 1 << 20
_setup_lock = threading.Lock()
_setup_done = False


def _setup() -> None:
    """Register the HEIF opener and tune the allocator, once, on first use."""
    global _setup_done
    with _setup_lock:
        if _setup_done:
            return
        import pillow_heif

        # Thumbnails, depth maps and auxiliary images are never used: skip parsing them.
        pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)
        _return_big_buffers_to_the_os()
        _setup_done = True


def _return_big_buffers_to_the_os() -> None:
    """Make glibc give every buffer over 1 MB its own mapping, unmapped as soon as it is freed."""
    # Decoded photos are tens of MB. glibc's sliding threshold soon serves such sizes from
    # per-thread arenas that never shrink: a 500-photo batch then peaked at 600+ MB of RSS
    # instead of about 230 MB (see bench/images.py).
    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallopt
    except (OSError, AttributeError):
        return  # not glibc (macOS, Windows): its allocator is left as it is
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt(_M_MMAP_THRESHOLD, _BIG_BUFFER)


def _looks_like_image(data: bytes) -> bool:
    """Tell whether the bytes start like one of the accepted formats."""
    if data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
        return True
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return True
    return data[4:8] == b"ftyp"


def _fit(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    """Scale `size` so its long side is at most `long_side`, never up."""
    width, height = size
    scale = long_side / max(width, height)
    if scale >= 1:
        return size
    return max(1, round(width * scale)), max(1, round(height * scale))


def _to_rgb(im: Image.Image) -> Image.Image:
    """Return an RGB image; transparency is composited on white, 16-bit is scaled to 8-bit."""
    if im.mode == "RGB":
        return im
    if im.mode == "P" and "transparency" in im.info:
        im = im.convert("RGBA")
    if im.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = im.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if im.mode.startswith("I;16") or im.mode == "I":
        # A plain convert would clip every value above 255 to white.
        im = im.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    return im.convert("RGB")


def _to_srgb(im: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Convert from the photo's ICC profile to sRGB; keep the pixels if the profile is unusable."""
    if not icc_profile:
        return im
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        # A fresh sRGB profile per call: lcms profile handles must not be shared across threads.
        srgb = ImageCms.createProfile("sRGB")
        converted = ImageCms.profileToProfile(im, source, srgb, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError):
        return im
    return converted if converted is not None else im


def _encode_jpeg(im: Image.Image, quality: int) -> bytes:
    """Encode as a baseline JPEG carrying no metadata at all."""
    # Pillow copies a comment and XMP from `info` into the file; the image carries none.
    im.info = {}
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=quality, optimize=True)
    return buffer.getvalue()


def _heif_is_complete(data: bytes) -> bool:
    """Tell whether every top-level box of a HEIF file ends within the data."""
    # libheif paints the missing tiles of a cut-off iPhone photo green instead of failing.
    offset = 0
    while offset + 8 <= len(data):
        (size,) = struct.unpack_from(">I", data, offset)
        if size == 0:
            return True  # the last box runs to the end of the file
        if size == 1:
            if offset + 16 > len(data):
                return False
            (size,) = struct.unpack_from(">Q", data, offset + 8)
        if size < 8:
            return False
        offset += size
    return offset <= len(data)


def _orientation(source: Image.Image, source_format: str) -> int:
    """Return the EXIF orientation still to apply to the decoded pixels (1: none)."""
    if source_format == "HEIF":
        # libheif applies the HEIF rotation boxes itself and pillow_heif resets the EXIF tag;
        # reading the tag anyway would turn an iPhone photo twice if that ever changed.
        return 1
    try:
        value = source.getexif().get(_EXIF_ORIENTATION, 1)
    except _DECODE_ERRORS:
        return 1  # broken EXIF does not make the pixels unusable
    return value if isinstance(value, int) else 1


def _open(data: bytes, filename: str) -> Image.Image:
    """Identify the photo by its content and read its header, without decoding pixels."""
    _setup()
    try:
        return Image.open(io.BytesIO(data), formats=_OPEN_FORMATS)
    except Image.DecompressionBombError as exc:
        raise ImageRejected(filename, "too_many_pixels", str(exc)) from None
    except _DECODE_ERRORS as exc:
        reason: RejectReason = "corrupt" if _looks_like_image(data) else "not_image"
        raise ImageRejected(filename, reason, type(exc).__name__) from None


def _decode(data: bytes, filename: str, limits: ImageLimits) -> tuple[Image.Image, str]:
    """Decode the photo at about the largest output size, upright, in sRGB."""
    with _open(data, filename) as source:
        width, height = source.size
        if width * height > limits.max_pixels:
            raise ImageRejected(filename, "too_many_pixels", f"{width}x{height}")
        source_format = _FORMAT_NAMES.get(source.format or "", source.format or "")
        _check_decode_size(source, source_format, filename)
        if source_format == "HEIF" and not _heif_is_complete(data):
            raise ImageRejected(filename, "corrupt", "the file ends early")
        orientation = _orientation(source, source_format)
        long_side = max(limits.vinted_long_side, limits.vision_long_side)
        try:
            icc_profile = source.info.get("icc_profile")
            if source_format == "JPEG":
                # DCT scaling decodes at 1/2, 1/4 or 1/8 size: far less memory and time.
                source.draft("RGB", _fit(source.size, long_side))
            source.load()
            rgb = _to_rgb(source)
            if max(rgb.size) > long_side:
                im = rgb.resize(
                    _fit(rgb.size, long_side), Image.Resampling.LANCZOS, reducing_gap=2.0
                )
            else:
                # A copy detaches the pixels from the file, which is closed below.
                im = rgb.copy() if rgb is source else rgb
            if rgb is not source and rgb is not im:
                rgb.close()
        except Image.DecompressionBombError as exc:
            raise ImageRejected(filename, "too_many_pixels", str(exc)) from None
        except _DECODE_ERRORS as exc:
            raise ImageRejected(filename, "corrupt", f"{type(exc).__name__}: {exc}") from None
    im = _to_srgb(im, icc_profile)
    fix = _ORIENTATION_FIX.get(orientation)
    return (im.transpose(fix) if fix is not None else im), source_format


def _check_decode_size(source: Image.Image, source_format: str, filename: str) -> None:
    """Refuse, from the header alone, a photo whose full decode would take too much memory."""
    ceiling = _FULL_DECODE_PIXELS.get(source_format)
    if ceiling is None:
        return  # JPEG: decoded at 1/8 of its size when that is enough
    width, height = source.size
    per_pixel = _BYTES_PER_PIXEL.get(source.mode, 4)
    if source.mode.startswith("I;16"):
        per_pixel = max(per_pixel, 6)
    if width * height > ceiling or width * height * per_pixel > _MAX_DECODED_BYTES:
        raise ImageRejected(filename, "too_many_pixels", f"{source_format} {width}x{height}")


def _resized(im: Image.Image, long_side: int) -> Image.Image:
    """Return `im` shrunk to `long_side`, or `im` itself when it is small enough."""
    size = _fit(im.size, long_side)
    if size == im.size:
        return im
    return im.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)


def process_image(
    data: bytes, filename: str, limits: ImageLimits = ImageLimits()
) -> ProcessedImage:
    """Check, decode and re-encode one photo into the Vinted and vision JPEGs."""
    if not data:
        raise ImageRejected(filename, "empty")
    if len(data) > limits.max_bytes:
        raise ImageRejected(filename, "too_large", f"{len(data)} bytes > {limits.max_bytes}")
    im, source_format = _decode(data, filename, limits)
    with im:
        vinted = _resized(im, limits.vinted_long_side)
        # The smaller Vinted copy is the better start for the vision copy when it is big enough.
        base = vinted if max(vinted.size) >= limits.vision_long_side else im
        vision = _resized(base, limits.vision_long_side)
        vinted_jpeg = _encode_jpeg(vinted, limits.vinted_quality)
        vision_jpeg = _encode_jpeg(vision, limits.vision_quality)
        phash = str(imagehash.phash(vision))
        return ProcessedImage(
            vinted_jpeg=vinted_jpeg,
            width=vinted.width,
            height=vinted.height,
            vision_jpeg=vision_jpeg,
            vision_width=vision.width,
            vision_height=vision.height,
            phash=phash,
            source_format=source_format,
        )


_semaphores: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


def _decode_slots() -> asyncio.Semaphore:
    """Return the running loop's semaphore; an asyncio.Semaphore cannot span loops."""
    loop = asyncio.get_running_loop()
    semaphore = _semaphores.get(loop)
    if semaphore is None:
        semaphore = _semaphores[loop] = asyncio.Semaphore(DECODE_CONCURRENCY)
    return semaphore


async def process_image_async(
    data: bytes, filename: str, limits: ImageLimits = ImageLimits()
) -> ProcessedImage:
    """Process one photo in a worker thread, at most DECODE_CONCURRENCY at a time."""
    async with _decode_slots():
        return await asyncio.to_thread(process_image, data, filename, limits)


def is_same_photo(hash_a: str, hash_b: str, max_distance: int = 6) -> bool:
    """Tell whether two perceptual hashes come from the same photo; an empty hash never matches."""
    if not hash_a or not hash_b:
        return False
    return bool(imagehash.hex_to_hash(hash_a) - imagehash.hex_to_hash(hash_b) <= max_distance)
