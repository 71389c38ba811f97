"""Build test uploads with Pillow and by hand: no binary fixtures in the repository."""

from __future__ import annotations

import struct
import zlib
from io import BytesIO

from PIL import Image
from PIL.ExifTags import IFD
from werkzeug.datastructures import FileStorage

RED = (220, 20, 20)
BLUE = (20, 20, 220)


def upload(data: bytes, filename: str = "IMG_0001.jpg",
           content_type: str = "image/jpeg") -> FileStorage:
    return FileStorage(stream=BytesIO(data), filename=filename, content_type=content_type)


def two_tone(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """Left half red, right half blue: shows which way the pixels were turned."""
    image = Image.new(mode, size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    return image


def encode(image: Image.Image, file_format: str, **options) -> bytes:
    buffer = BytesIO()
    image.save(buffer, file_format, **options)
    return buffer.getvalue()


def phone_jpeg(size: tuple[int, int] = (400, 200), orientation: int = 6) -> bytes:
    """A JPEG as a phone writes it: camera make/model, time, GPS position, orientation."""
    exif = Image.Exif()
    exif[0x010F] = "Apple"  # Make
    exif[0x0110] = "iPhone 15"  # Model
    exif[0x0112] = orientation
    exif[0x0132] = "2026:11:27 09:30:00"  # DateTime
    exif.get_ifd(IFD.GPSInfo).update({
        1: "N", 2: (36.0, 19.0, 40.0),  # Komoro Castle ruins, roughly
        3: "E", 4: (138.0, 25.0, 30.0),
    })
    return encode(two_tone(size), "JPEG", exif=exif.tobytes(), quality=90,
                  comment=b"secret comment")


def heic(size: tuple[int, int] = (300, 200)) -> bytes:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    return encode(two_tone(size), "HEIF", quality=80)


def png_pixel_bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A 1-bit PNG of ``width``×``height`` black pixels: tiny file, enormous image."""
    return _png(width, height, bit_depth=1, colour_type=0, row=bytes((width + 7) // 8))


def png_single_colour(width: int = 7000, height: int = 7000,
                      rgba: tuple[int, int, int, int] = (30, 120, 200, 255)) -> bytes:
    """An RGBA PNG of one colour: a 7000×7000 one is about 200 KB and decodes to 196 MB
    (the hostile upload of issue 15: under the pixel limit, as costly as it gets)."""
    return _png(width, height, bit_depth=8, colour_type=6, row=bytes(rgba) * width)


def _png(width: int, height: int, bit_depth: int, colour_type: int, row: bytes) -> bytes:
    """A PNG written by hand, row by row (no full-size image in the test's memory)."""
    def chunk(kind: bytes, payload: bytes) -> bytes:
        crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)

    compressor = zlib.compressobj(9)
    filtered = b"\x00" + row  # filter type 0: the row as it is
    body = b"".join(compressor.compress(filtered) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body)
            + chunk(b"IEND", b""))


def animated(file_format: str) -> bytes:
    frames = [Image.new("RGB", (40, 40), color) for color in (RED, BLUE, RED)]
    return encode(frames[0], file_format, save_all=True, append_images=frames[1:], duration=100)


SVG_WITH_SCRIPT = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" onload="alert(1)">
<script>alert(document.cookie)</script><rect width="100" height="100"/></svg>"""

PDF = b"""%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj
trailer << /Root 1 0 R >>
%%EOF"""
