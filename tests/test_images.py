"""A seller's photos, as phones send them, become upright, metadata-free JPEGs in two sizes."""

from __future__ import annotations

import asyncio
import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageChops, ImageStat

from core.config import Settings
from core.images import (
    ImageLimits,
    ImageRejected,
    ProcessedImage,
    is_same_photo,
    process_image,
    process_image_async,
)

TESTDATA = Path(__file__).resolve().parents[1].parent / "shared" / "testdata"
HEIC_DIR = TESTDATA / "heic"
CLOTHES = sorted((TESTDATA / "clothes").glob("*.jpg"))
BROKEN_HEIC = "BROKEN_corrupted.hif"
GOOD_HEICS = sorted(p.name for p in HEIC_DIR.iterdir() if p.name != BROKEN_HEIC)
XMP_MARKER = b"http://ns.adobe.com/xap/1.0/"


def _open(jpeg: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(jpeg))
    assert image.format == "JPEG"
    return image


def _assert_no_metadata(jpeg: bytes) -> None:
    image = _open(jpeg)
    assert len(image.getexif()) == 0
    assert "icc_profile" not in image.info and "xmp" not in image.info
    assert "comment" not in image.info
    for marker in (b"Exif", b"GPS", XMP_MARKER, b"rue des Lilas"):
        assert marker not in jpeg


def _mean_difference(a: Image.Image, b: Image.Image) -> float:
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


def _ink_spread(image: Image.Image, band: str) -> float:
    """Return the width of the ink in the top or bottom tenth of the drawing, as a fraction."""
    ink = image.convert("L").point(lambda v: 255 if v < 70 else 0)
    box = ink.getbbox()
    assert box is not None, "no ink found"
    left, top, right, bottom = box
    height = max(1, (bottom - top) // 10)
    rows = (top, top + height) if band == "top" else (bottom - height, bottom)
    stripe = ink.crop((left, rows[0], right, rows[1])).getbbox()
    assert stripe is not None
    return (stripe[2] - stripe[0]) / (right - left)


def _png(mode: str, size: tuple[int, int], colour: object, **params: object) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, "PNG", **params)  # type: ignore[arg-type]
    return buffer.getvalue()


@pytest.fixture(scope="module")
def phone_jpeg() -> bytes:
    """A 12 MP JPEG as an Android phone would send it, made from a real iPhone photo."""
    result = process_image(
        (HEIC_DIR / "IMG_2927.HEIC").read_bytes(),
        "IMG_2927.HEIC",
        ImageLimits(vinted_long_side=4032, vinted_quality=85),
    )
    assert (result.width, result.height) == (3024, 4032)
    return result.vinted_jpeg


# ---- iPhone photos ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", GOOD_HEICS)
def test_every_iphone_photo_becomes_two_clean_jpegs(name: str) -> None:
    data = (HEIC_DIR / name).read_bytes()
    result = process_image(data, name)

    assert result.source_format == "HEIF"
    vinted, vision = _open(result.vinted_jpeg), _open(result.vision_jpeg)
    assert vinted.mode == vision.mode == "RGB"
    assert vinted.size == (result.width, result.height)
    assert vision.size == (result.vision_width, result.vision_height)
    assert max(vinted.size) <= 1600 and max(vision.size) <= 1024
    _assert_no_metadata(result.vinted_jpeg)
    _assert_no_metadata(result.vision_jpeg)
    assert len(result.phash) == 16 and int(result.phash, 16) >= 0


def test_iphone_photos_carry_metadata_that_the_output_drops() -> None:
    data = (HEIC_DIR / "arrow.heic").read_bytes()
    assert b"Exif" in data  # so the check above is not vacuous

    result = process_image(data, "arrow.heic")

    _assert_no_metadata(result.vinted_jpeg)


def test_arrow_drawn_on_an_iphone_still_points_up() -> None:
    # The file carries both EXIF orientation 6 and an irot box: turning it by EXIF again
    # after libheif has applied irot would lay the arrow on its side.
    result = process_image((HEIC_DIR / "arrow.heic").read_bytes(), "arrow.heic")

    assert (result.width, result.height) == (1200, 1600)
    assert (result.vision_width, result.vision_height) == (768, 1024)
    for jpeg in (result.vinted_jpeg, result.vision_jpeg):
        image = _open(jpeg)
        assert _ink_spread(image, "top") < 0.3, "the tip of the arrow is not at the top"
        assert _ink_spread(image, "bottom") > 0.35, "the base of the shaft is not at the bottom"


def test_ink_check_would_catch_an_arrow_turned_the_wrong_way() -> None:
    result = process_image((HEIC_DIR / "arrow.heic").read_bytes(), "arrow.heic")
    upright = _open(result.vision_jpeg).convert("RGB")

    for wrong in (Image.Transpose.ROTATE_90, Image.Transpose.ROTATE_180):
        turned = upright.transpose(wrong)
        assert not (_ink_spread(turned, "top") < 0.3 and _ink_spread(turned, "bottom") > 0.35)


def test_corrupted_heic_is_refused_with_its_name() -> None:
    with pytest.raises(ImageRejected) as caught:
        process_image((HEIC_DIR / BROKEN_HEIC).read_bytes(), BROKEN_HEIC)

    assert caught.value.filename == BROKEN_HEIC
    assert caught.value.reason in ("corrupt", "not_image")
    assert BROKEN_HEIC in str(caught.value)


def test_iphone_photo_cut_off_in_transfer_is_refused_not_painted_green() -> None:
    data = (HEIC_DIR / "IMG_2927.HEIC").read_bytes()

    for fraction in (0.5, 0.99):
        refusal = _refusal(data[: int(len(data) * fraction)], "IMG_2927.HEIC")
        assert refusal.reason == "corrupt"


def test_ten_bit_heif_comes_out_as_eight_bit_rgb() -> None:
    result = process_image((HEIC_DIR / "RGB_10__128x128.heif").read_bytes(), "10bit.heif")

    image = _open(result.vinted_jpeg)
    assert image.mode == "RGB" and image.size == (128, 128)
    # 10-bit values squeezed wrongly into 8 bits come out black or white.
    low, high = image.convert("L").getextrema()
    assert high - low > 50


def test_heic_with_two_images_and_an_empty_icc_gives_the_primary_photo() -> None:
    result = process_image((HEIC_DIR / "empty_icc.heic").read_bytes(), "empty_icc.heic")

    assert (result.width, result.height) == (1025, 900)  # the primary, never upscaled
    assert (result.vision_width, result.vision_height) == (1024, 899)


def test_photo_is_recognised_by_its_content_not_its_name(phone_jpeg: bytes) -> None:
    heic_named_jpg = process_image((HEIC_DIR / "arrow.heic").read_bytes(), "photo.jpg")
    jpeg_named_heic = process_image(phone_jpeg, "IMG_0001.HEIC")

    assert heic_named_jpg.source_format == "HEIF"
    assert jpeg_named_heic.source_format == "JPEG"


# ---- JPEG, PNG and WebP ----------------------------------------------------------------------


def test_jpeg_turned_by_exif_is_rotated_once_and_loses_gps_xmp_and_comment() -> None:
    upright = Image.open(CLOTHES[0]).convert("RGB")
    assert upright.height > upright.width
    # The camera stored the pixels sideways and says "turn 90 degrees clockwise to view".
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Phone"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (48.0, 51.0, 24.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (2.0, 21.0, 3.0),
    }
    buffer = io.BytesIO()
    xmp = b"<x:xmpmeta>home</x:xmpmeta>"
    stored.save(buffer, "JPEG", quality=95, exif=exif, xmp=xmp, comment=b"12 rue des Lilas")
    sent = buffer.getvalue()
    assert Image.open(io.BytesIO(sent)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    result = process_image(sent, "sideways.jpg")

    assert (result.width, result.height) == upright.size
    shown = _open(result.vinted_jpeg).convert("RGB")
    assert _mean_difference(shown, upright) < 8
    # Turned twice, it would be upside down: far from the original.
    assert _mean_difference(shown.transpose(Image.Transpose.ROTATE_180), upright) > 20
    _assert_no_metadata(result.vinted_jpeg)
    _assert_no_metadata(result.vision_jpeg)


def test_phone_jpeg_is_shrunk_to_both_long_sides(phone_jpeg: bytes) -> None:
    result = process_image(phone_jpeg, "IMG_0001.jpg")

    assert result.source_format == "JPEG"
    assert (result.width, result.height) == (1200, 1600)
    assert (result.vision_width, result.vision_height) == (768, 1024)
    assert _open(result.vinted_jpeg).size == (1200, 1600)
    assert _open(result.vision_jpeg).size == (768, 1024)


@pytest.mark.parametrize("path", CLOTHES[:5], ids=lambda p: p.stem[:8])
def test_small_photo_is_never_upscaled(path: Path) -> None:
    original = Image.open(path)

    result = process_image(path.read_bytes(), path.name)

    assert (result.width, result.height) == original.size
    assert (result.vision_width, result.vision_height) == original.size


def test_limits_follow_the_settings(phone_jpeg: bytes) -> None:
    settings = Settings(
        vision_long_side=512, vinted_long_side=1024, vinted_jpeg_quality=70, max_photo_bytes=10**7
    )
    limits = ImageLimits.from_settings(settings)

    result = process_image(phone_jpeg, "IMG_0001.jpg", limits)

    assert limits.max_bytes == 10**7 and limits.vinted_quality == 70
    assert (result.width, result.height) == (768, 1024)
    assert (result.vision_width, result.vision_height) == (384, 512)


def test_transparent_png_is_laid_on_white() -> None:
    logo = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    logo.paste((200, 0, 0, 255), (50, 25, 150, 75))
    palette = logo.convert("P", palette=Image.Palette.ADAPTIVE, colors=4)
    transparent_index = palette.getpixel((0, 0))
    sources = {"rgba.png": logo, "palette.png": palette}

    for name, image in sources.items():
        buffer = io.BytesIO()
        params = {"transparency": transparent_index} if image.mode == "P" else {}
        image.save(buffer, "PNG", **params)
        result = process_image(buffer.getvalue(), name)

        shown = _open(result.vinted_jpeg).convert("RGB")
        assert result.source_format == "PNG"
        assert min(shown.getpixel((5, 5))) > 240, name  # type: ignore[arg-type]
        red, green, blue = shown.getpixel((100, 50))  # type: ignore[misc]
        assert red > 170 and green < 40 and blue < 40, name


def test_sixteen_bit_grey_png_keeps_its_tone() -> None:
    data = _png("I;16", (64, 64), 32768)

    result = process_image(data, "scan.png")

    grey = _open(result.vinted_jpeg).convert("L").getpixel((32, 32))
    assert 110 < grey < 145  # type: ignore[operator]


def test_webp_photo_is_accepted() -> None:
    buffer = io.BytesIO()
    Image.open(CLOTHES[1]).save(buffer, "WEBP", quality=80)

    result = process_image(buffer.getvalue(), "shared.webp")

    assert result.source_format == "WEBP"
    assert (result.width, result.height) == Image.open(CLOTHES[1]).size


# ---- Refusals --------------------------------------------------------------------------------


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _bomb_header(width: int, height: int) -> bytes:
    """Return a tiny PNG whose header claims `width` x `height` pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    first_rows = zlib.compress(b"\0" * 4096)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", first_rows)
        + _chunk(b"IEND", b"")
    )


DEFAULT_LIMITS = ImageLimits()


def _refusal(data: bytes, name: str, limits: ImageLimits = DEFAULT_LIMITS) -> ImageRejected:
    with pytest.raises(ImageRejected) as caught:
        process_image(data, name, limits)
    assert caught.value.filename == name
    assert name in str(caught.value)
    return caught.value


def test_empty_file_is_refused() -> None:
    refusal = _refusal(b"", "IMG_0002.jpg")

    assert refusal.reason == "empty"
    assert "empty" in str(refusal)


def test_text_file_named_jpg_is_refused() -> None:
    refusal = _refusal(b"Hello, here are my photos!\n" * 20, "notes.jpg")

    assert refusal.reason == "not_image"


def test_gif_is_refused_as_not_a_photo() -> None:
    buffer = io.BytesIO()
    Image.new("P", (10, 10)).save(buffer, "GIF")

    assert _refusal(buffer.getvalue(), "funny.gif").reason == "not_image"


def test_jpeg_cut_in_half_is_refused_as_corrupt(phone_jpeg: bytes) -> None:
    refusal = _refusal(phone_jpeg[: len(phone_jpeg) // 2], "IMG_0003.jpg")

    assert refusal.reason == "corrupt"
    assert "damaged" in str(refusal)


def test_small_jpeg_cut_in_half_is_refused_as_corrupt() -> None:
    data = CLOTHES[2].read_bytes()

    assert _refusal(data[: len(data) // 2], CLOTHES[2].name).reason == "corrupt"


def test_file_over_the_size_limit_is_refused() -> None:
    data = CLOTHES[0].read_bytes()

    refusal = _refusal(data, "huge.jpg", ImageLimits(max_bytes=len(data) - 1))

    assert refusal.reason == "too_large"
    assert process_image(data, "ok.jpg", ImageLimits(max_bytes=len(data))).width > 0


def test_header_claiming_30000_by_30000_pixels_is_refused() -> None:
    assert _refusal(_bomb_header(30_000, 30_000), "bomb.png").reason == "too_many_pixels"


def test_header_just_over_the_pixel_limit_is_refused() -> None:
    # 9000 x 9000 = 81 MP: over our 80 MP limit, under Pillow's own alarm.
    refusal = _refusal(_bomb_header(9_000, 9_000), "poster.png")

    assert refusal.reason == "too_many_pixels"


def test_real_single_colour_png_with_too_many_pixels_is_refused() -> None:
    data = _png("L", (4_000, 3_000), 128, optimize=True)
    assert len(data) < 100_000  # tiny on disk, 12 MP once decoded

    refusal = _refusal(data, "flat.png", ImageLimits(max_pixels=10_000_000))

    assert refusal.reason == "too_many_pixels"
    assert process_image(data, "flat.png").width == 1600


def test_a_small_png_of_8900_by_8900_is_refused_from_its_header() -> None:
    # 79 MP: under the 80 MP limit that JPEG's scaled decode allows, but PNG has no scaled
    # decode: the whole poster would be in memory (about a gigabyte at its peak).
    data = _bomb_header(8_900, 8_900)
    refusal = _refusal(data, "poster.png")
    assert refusal.reason == "too_many_pixels" and "PNG 8900x8900" in str(refusal)


def test_a_16_bit_png_is_bounded_by_its_decoded_bytes() -> None:
    data = _png("I;16", (5_000, 5_000), 1000)  # 25 MP, 2 bytes a sample
    assert process_image(data, "scan.png").width == 1600
    refusal = _refusal(_bomb_header(6_000, 4_999), "photo.png")  # 30 MP RGB: under
    assert refusal.reason != "too_many_pixels"


# ---- Same photo sent twice -------------------------------------------------------------------


def test_same_photo_sent_again_recompressed_is_recognised() -> None:
    for path in CLOTHES:
        original = process_image(path.read_bytes(), path.name)
        image = Image.open(path)
        smaller = image.resize((image.width * 3 // 4, image.height * 3 // 4))
        buffer = io.BytesIO()
        smaller.save(buffer, "JPEG", quality=60)

        again = process_image(buffer.getvalue(), "again.jpg")

        assert is_same_photo(original.phash, again.phash), path.name


def test_different_clothes_are_not_taken_for_the_same_photo() -> None:
    hashes = {p.name: process_image(p.read_bytes(), p.name).phash for p in CLOTHES}
    names = sorted(hashes)

    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            assert not is_same_photo(hashes[first], hashes[second]), (first, second)


def test_photo_without_a_hash_matches_nothing() -> None:
    phash = process_image(CLOTHES[0].read_bytes(), CLOTHES[0].name).phash

    assert is_same_photo(phash, phash)
    assert not is_same_photo("", phash)
    assert not is_same_photo("", "")


# ---- Many photos at once ---------------------------------------------------------------------


async def test_an_album_of_many_photos_is_processed_concurrently() -> None:
    names = [*(p.name for p in CLOTHES), "arrow.heic", "IMG_2927.HEIC", BROKEN_HEIC]
    payloads = [(CLOTHES[0].parent / n).read_bytes() for n in names[: len(CLOTHES)]]
    payloads += [(HEIC_DIR / n).read_bytes() for n in names[len(CLOTHES) :]]
    jobs = [(d, n) for d, n in zip(payloads, names, strict=True)] * 2

    results = await asyncio.gather(
        *(process_image_async(d, n) for d, n in jobs), return_exceptions=True
    )

    assert len(results) == len(jobs)
    twins = results[len(names) :] + results[: len(names)]
    for (_, name), result, twin in zip(jobs, results, twins, strict=True):
        if name == BROKEN_HEIC:
            assert isinstance(result, ImageRejected) and result.filename == name
            continue
        assert isinstance(result, ProcessedImage), (name, result)
        assert result == twin  # each photo sent twice gives the very same output
        assert result.source_format == ("HEIF" if name.lower().endswith("heic") else "JPEG")


def test_async_processing_works_from_one_event_loop_after_another() -> None:
    # The bot and the tests may run several loops in one process; each must get its own slots.
    data = CLOTHES[0].read_bytes()

    async def album() -> list[ProcessedImage]:
        return list(await asyncio.gather(*(process_image_async(data, "a.jpg") for _ in range(8))))

    first = asyncio.run(album())
    second = asyncio.run(album())

    assert first == second and len(second) == 8
