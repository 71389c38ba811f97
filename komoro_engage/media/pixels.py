"""The pixel work on one uploaded photo, done in a short-lived process of its own.

media/decoder.py runs this file as a script (``python -I pixels.py MEMORY_LIMIT``):
the upload arrives on stdin, the result leaves on stdout as one JSON line followed by
the two encoded files. It imports neither Flask nor the app, so the child starts fast
and holds nothing but the photo; whatever it allocates goes back to the system when it
exits, and a decoder that runs wild hits the child's address-space limit, not the web
worker's.

Memory, for a photo of W×H pixels at the limit (50 MP):

- the decoded picture is the only full-size copy. JPEG is decoded at 1/2, 1/4 or 1/8
  scale by libjpeg; PNG, WebP and HEIC cost a fixed number of bytes per pixel, checked
  against ``DECODE_BUDGET`` before decoding (a 50 MP RGBA PNG: 200 MB);
- everything after works on strips of rows: flattening transparency and a box
  reduction by a whole factor (to at least 2048 px on the long side) never hold a
  second full-size image. Orientation, colour profile and the final Lanczos resize
  work on the reduced picture (at most a few tens of MB).
"""

from __future__ import annotations

import json
import resource
import sys
import warnings
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from io import BytesIO

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

# What phones send. Pillow tries only these decoders: SVG, PDF, TIFF, GIF, BMP,
# PSD … are refused before any parsing. (The JPEG decoder also opens "MPO",
# JPEGs carrying a second picture as some Android cameras write them.) HEIC
# (iPhones) is opened by pillow_heif directly, so its pixels can be read in strips.
PILLOW_FORMATS = ("JPEG", "PNG", "WEBP")
# 50 million pixels: a 48 MP phone camera fits.
MAX_PIXELS = 50_000_000
# Pillow refuses above twice its limit, before allocating anything (WebP's decoder
# allocates its canvas on opening): twice this is exactly our limit. Between the
# two it only warns, which is ignored: the checks below decide.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS // 2
# Memory the decoded picture may take: a 50 MP photo at 4 bytes a pixel (Pillow keeps
# RGB in 4), a 48 MP HEIC with libheif's planes (5 a pixel). A smaller file cannot
# claim more: its decoded size is known from its header and refused before decoding.
DECODE_BUDGET = 256 * 1024 * 1024
LONG_EDGE = 2048
THUMB_EDGE = 480
JPEG_QUALITY = 85
THUMB_QUALITY = 78
# Rows handled at a time (times the reduction factor): small enough to stay in the CPU's
# cache between the passes over a strip (a 7000 px RGBA strip of 16 rows is 450 KB).
STRIP_ROWS = 16
WHITE = (255, 255, 255)
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class Refused(Exception):
    """Not a photo we take: ``reason`` is "format", "pixels", "animated" or "damaged";
    ``limit`` the largest pixel count this kind of picture may have ("pixels")."""

    def __init__(self, reason: str, limit: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.limit = limit


@dataclass
class Decoded:
    """A decoded picture, read back in strips of rows by ``rows(top, bottom)``."""

    mode: str
    size: tuple[int, int]
    info: dict
    rows: Callable[[int, int], Image.Image]
    whole: Image.Image | None = None  # the Pillow image itself, when there is one


@dataclass
class Processed:
    """The cleaned photo and its thumbnail, encoded, with their sizes."""

    full: bytes
    thumb: bytes
    size: tuple[int, int]
    thumb_size: tuple[int, int]


def process(data: bytes) -> Processed:
    """Verify, turn upright, convert to sRGB, shrink and re-encode without metadata."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            decoded = _decode(data)
            reduced = _reduced(decoded)
        except Refused:
            raise
        except UnidentifiedImageError as error:
            raise Refused("format") from error
        except Image.DecompressionBombError as error:
            raise Refused("pixels", MAX_PIXELS) from error
        except (OSError, SyntaxError, ValueError, EOFError, IndexError, RuntimeError) as error:
            raise Refused("damaged") from error
    del decoded  # the full-size picture goes before anything else is allocated
    full = _to_srgb(_upright(reduced))
    full.thumbnail((LONG_EDGE, LONG_EDGE), Image.Resampling.LANCZOS)
    thumb = full.copy()
    thumb.thumbnail((THUMB_EDGE, THUMB_EDGE), Image.Resampling.LANCZOS)
    return Processed(
        full=_encode(full, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True),
        thumb=_encode(thumb, "WEBP", quality=THUMB_QUALITY, method=4),
        size=full.size, thumb_size=thumb.size,
    )


def _decode(data: bytes) -> Decoded:
    if _is_heif(data):
        return _decode_heif(data)
    image = Image.open(BytesIO(data), formats=PILLOW_FORMATS)
    _check_pixels(image.width, image.height)
    if image.format in ("PNG", "WEBP") and getattr(image, "is_animated", False):
        raise Refused("animated")
    if image.format in ("JPEG", "MPO"):
        # libjpeg decodes big photos at 1/2, 1/4 or 1/8 scale: far less memory.
        image.draft("RGB", (LONG_EDGE, LONG_EDGE))
    _check_cost(image.width, image.height, _bytes_per_pixel(image))
    image.load()
    width, height = image.size
    return Decoded(image.mode, image.size, image.info,
                   lambda top, bottom: image.crop((0, top, width, bottom)), whole=image)


def _is_heif(data: bytes) -> bool:
    # A HEIF file opens with its "ftyp" box (pillow_heif checks the same bytes first).
    # Anything else is told apart without loading libheif, which took a third of the
    # child's start-up for the JPEGs and PNGs that make most uploads.
    if data[4:8] != b"ftyp":
        return False
    import pillow_heif

    # AVIF shares the container; it is not among the formats we take.
    return (pillow_heif.is_supported(BytesIO(data))
            and pillow_heif.get_file_mimetype(data).startswith(("image/heic", "image/heif")))


def _decode_heif(data: bytes) -> Decoded:
    import pillow_heif  # loaded by _is_heif already

    # The same options as pillow_heif's Pillow plugin: 8-bit, rows padded as libheif
    # leaves them (no copy to remove the padding).
    heif = pillow_heif.open_heif(BytesIO(data), convert_hdr_to_8bit=True, remove_stride=False)
    width, height = heif.size
    _check_pixels(width, height)
    # libheif holds its YCbCr planes (4:2:0 from phones) while it converts to RGB.
    _check_cost(width, height, len(heif.mode) + 2)
    info = dict(heif.info)
    pillow_heif.set_orientation(info)  # libheif has already turned the pixels upright
    mode, stride, pixels = heif.mode, heif.stride, memoryview(heif.data)

    def rows(top: int, bottom: int) -> Image.Image:
        return Image.frombuffer(mode, (width, bottom - top), pixels[top * stride:bottom * stride],
                                "raw", mode, stride, 1)
    return Decoded(mode, (width, height), info, rows)


def _check_pixels(width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise Refused("pixels", MAX_PIXELS)


def _check_cost(width: int, height: int, bytes_per_pixel: float) -> None:
    if width * height * bytes_per_pixel > DECODE_BUDGET:
        raise Refused("pixels", min(MAX_PIXELS, int(DECODE_BUDGET // bytes_per_pixel)))


def _bytes_per_pixel(image: Image.Image) -> int:
    if image.format == "WEBP":
        return 12  # libwebp's canvas, the copy it hands Pillow, and Pillow's image
    if image.mode in ("1", "L", "P"):
        return 1
    return 2 if image.mode.startswith("I;16") else 4


def _reduced(decoded: Decoded) -> Image.Image:
    """The picture box-reduced by a whole factor (its long side stays at least
    ``LONG_EDGE``) and flattened on white, strip by strip; it carries the picture's info."""
    width, height = decoded.size
    factor = max(1, max(width, height) // LONG_EDGE)
    if decoded.whole is not None and decoded.mode in ("RGB", "CMYK"):
        # Nothing to flatten: reduce the whole, or keep it as it is (no copy).
        return decoded.whole if factor == 1 else _with_info(decoded.whole.reduce(factor), decoded)
    step = STRIP_ROWS * factor
    reduced = None
    for top in range(0, height, step):
        strip = _normalised(decoded.rows(top, min(height, top + step)))
        # Reducing first (Pillow averages RGBA premultiplied) then flattening gives the
        # same pixels as the other way round, at a fraction of the work.
        strip = _flattened(strip.reduce(factor) if factor > 1 else strip)
        if reduced is None:
            reduced = Image.new(strip.mode, (-(-width // factor), -(-height // factor)))
        reduced.paste(strip, (0, top // factor))
    return _with_info(reduced, decoded)


def _with_info(image: Image.Image, decoded: Decoded) -> Image.Image:
    image.info = decoded.info  # orientation and colour profile travel with the pixels
    return image


def _normalised(strip: Image.Image) -> Image.Image:
    """RGBA when it has transparency, else RGB (or CMYK, for its colour profile)."""
    if strip.mode in ("RGBA", "LA", "PA") or (strip.mode == "P" and "transparency" in strip.info):
        return strip if strip.mode == "RGBA" else strip.convert("RGBA")
    return strip if strip.mode in ("RGB", "CMYK") else strip.convert("RGB")


def _flattened(strip: Image.Image) -> Image.Image:
    """Transparency flattened on white."""
    if strip.mode != "RGBA":
        return strip
    flat = Image.new("RGB", strip.size, WHITE)
    flat.paste(strip, mask=strip.getchannel("A"))
    return flat


def _upright(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation so the pixels stand as the photographer saw them."""
    # Unreadable EXIF: keep the pixels as stored.
    with suppress(OSError, ValueError, TypeError, KeyError, SyntaxError):
        ImageOps.exif_transpose(image, in_place=True)
    return image


def _to_srgb(image: Image.Image) -> Image.Image:
    """RGB in sRGB; the colour profile is used, then dropped.

    iPhones shoot in Display P3: dropping the profile without converting would
    make every photo look faded.
    """
    profile = image.info.get("icc_profile")
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(BytesIO(profile))
            image = ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # a broken or mismatched profile: keep the colours as they are
    return image.convert("RGB") if image.mode != "RGB" else image


def _encode(image: Image.Image, file_format: str, **options) -> bytes:
    # Encoders write only what they are given: no exif, xmp, icc_profile or comment here.
    image.info = {}
    buffer = BytesIO()
    image.save(buffer, file_format, **options)
    return buffer.getvalue()


def main() -> None:
    """The child: limit its address space, process stdin, answer on stdout."""
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    data = sys.stdin.buffer.read()
    try:
        result = process(data)
    except Refused as refused:
        header, files = {"refused": refused.reason, "limit": refused.limit}, b""
    except MemoryError:
        header, files = {"refused": "pixels", "limit": None}, b""
    else:
        header = {"size": result.size, "thumb_size": result.thumb_size,
                  "full_bytes": len(result.full)}
        files = result.full + result.thumb
    sys.stdout.buffer.write(json.dumps(header).encode() + b"\n" + files)


if __name__ == "__main__":
    main()
