"""Turn an upload from a phone into a clean, bounded photo and its thumbnail.

Nothing of the uploaded file survives except its pixels: the file is decoded
(proving it is an image of an accepted format), turned upright by its EXIF
orientation, converted to sRGB, shrunk, and encoded afresh without any
metadata (GPS position, camera, time, comments). The stored name is a random
key, never the uploader's file name.
"""

from __future__ import annotations

import warnings
from io import BytesIO
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener
from werkzeug.datastructures import FileStorage

from komoro_engage.accounts.models import User
from komoro_engage.extensions import db
from komoro_engage.media import storage
from komoro_engage.media.models import Photo

register_heif_opener()  # iPhone photos arrive as HEIC

# What phones send. Pillow tries only these decoders: SVG, PDF, TIFF, GIF, BMP,
# PSD … are refused before any parsing. (The JPEG decoder also opens "MPO",
# JPEGs carrying a second picture as some Android cameras write them.)
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
# 50 million pixels: a 48 MP phone camera fits; beyond that the decoded
# image alone would take hundreds of MB of memory.
MAX_PIXELS = 50_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
LONG_EDGE = 2048
THUMB_EDGE = 480
JPEG_QUALITY = 85
THUMB_QUALITY = 78
CONTENT_TYPE = "image/jpeg"  # the full image: opens anywhere, including link previews
THUMB_CONTENT_TYPE = storage.THUMB_CONTENT_TYPE
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class ImageRejected(ValueError):
    """The upload is not a photo we can take; ``message`` tells the user what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def store_photo(upload: FileStorage, uploader: User | None) -> Photo:
    """Verify, clean and store ``upload``; add the :class:`Photo` row and flush.

    Raises :class:`ImageRejected` with a translated message for anything that
    is not a JPEG, PNG, WebP or HEIC photo of a sensible size.
    """
    _check_file_name(upload)
    image = _decode(_read_bounded(upload))
    full = _bounded(image, LONG_EDGE)
    thumb = _bounded(image, THUMB_EDGE)
    full_bytes = _encode(full, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    thumb_bytes = _encode(thumb, "WEBP", quality=THUMB_QUALITY, method=4)
    photo = Photo(
        key=storage.new_key(),
        thumb_key=storage.new_key(),
        content_type=CONTENT_TYPE,
        width=full.width,
        height=full.height,
        byte_size=len(full_bytes),
        thumb_width=thumb.width,
        thumb_height=thumb.height,
        uploader_id=uploader.id if uploader is not None else None,
    )
    session = db.session()
    storage.write_file(session, storage.photo_path(photo.key, CONTENT_TYPE), full_bytes)
    storage.write_file(
        session, storage.photo_path(photo.thumb_key, THUMB_CONTENT_TYPE), thumb_bytes
    )
    session.add(photo)
    session.flush()
    return photo


def delete_photo(photo: Photo) -> None:
    """Delete the row now and its two files when the transaction commits."""
    session = db.session()
    storage.remove_after_commit(
        session,
        storage.photo_path(photo.key, photo.content_type),
        storage.photo_path(photo.thumb_key, THUMB_CONTENT_TYPE),
    )
    session.delete(photo)
    session.flush()


def photo_file(photo: Photo, thumbnail: bool = False) -> tuple[Path, str]:
    """(path, content type) of the photo's image or of its thumbnail."""
    if thumbnail:
        return storage.photo_path(photo.thumb_key, THUMB_CONTENT_TYPE), THUMB_CONTENT_TYPE
    return storage.photo_path(photo.key, photo.content_type), photo.content_type


def max_photo_megabytes() -> int:
    """The per-file limit in MB, as messages state it."""
    return current_app.config["MAX_PHOTO_BYTES"] // (1024 * 1024)


def too_large_message() -> str:
    """What to tell someone whose photo file is over the limit (form validators reuse it)."""
    return _("写真のファイルが大きすぎます（1枚%(mb)dMBまで）。"
             "画質を下げるか、縮小してから選んでください。", mb=max_photo_megabytes())


def _check_file_name(upload: FileStorage) -> None:
    """Refuse names with a path in them: browsers send a bare name, only tools send ``../``.

    The name is never used for storage; refusing it flags the request as hostile.
    """
    name = (upload.filename or "") if upload is not None else ""
    if "/" in name or "\\" in name or any(ord(char) < 32 or ord(char) == 127 for char in name):
        raise ImageRejected(
            _("ファイル名に使えない文字が含まれています。名前を変えてから選び直してください。")
        )


def _read_bounded(upload: FileStorage) -> bytes:
    limit = current_app.config["MAX_PHOTO_BYTES"]
    if upload is None:
        data = b""
    else:
        if upload.stream.seekable():  # a validator may have looked at it already
            upload.stream.seek(0)
        data = upload.stream.read(limit + 1)
    if not data:
        raise ImageRejected(_("写真のファイルが空です。もう一度選び直してください。"))
    if len(data) > limit:
        raise ImageRejected(too_large_message())
    return data


def _decode(data: bytes) -> Image.Image:
    """Open and fully decode ``data``: the only proof that it is an image."""
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that; we refuse.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(BytesIO(data), formats=ACCEPTED_FORMATS)
            if image.width * image.height > MAX_PIXELS:
                raise ImageRejected(_too_many_pixels())
            if image.format in ("PNG", "WEBP") and getattr(image, "is_animated", False):
                raise ImageRejected(
                    _("動く画像（アニメーション）は使えません。写真を選んでください。")
                )
            if image.format in ("JPEG", "MPO"):
                # libjpeg decodes big photos at 1/2, 1/4 or 1/8 scale: far less memory.
                image.draft("RGB", (LONG_EDGE, LONG_EDGE))
            image.load()
        except ImageRejected:
            raise
        except UnidentifiedImageError as error:
            raise ImageRejected(
                _("この形式のファイルは使えません。"
                  "JPEG・PNG・WebP・HEIC（iPhone）の写真を選んでください。")
            ) from error
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ImageRejected(_too_many_pixels()) from error
        except (OSError, SyntaxError, ValueError, EOFError, IndexError) as error:
            raise ImageRejected(
                _("写真を読み込めませんでした。ファイルが壊れている可能性があります。"
                  "別の写真を選ぶか、撮り直してください。")
            ) from error
    return _to_srgb(_upright(image))


def _too_many_pixels() -> str:
    return _("写真の画素数が多すぎます（%(limit)s画素まで）。縮小してから選んでください。",
             limit=f"{MAX_PIXELS:,}")


def _upright(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation so the pixels stand as the photographer saw them."""
    try:
        return ImageOps.exif_transpose(image)
    except (OSError, ValueError, TypeError, KeyError, SyntaxError):
        return image  # unreadable EXIF: keep the pixels as stored


def _to_srgb(image: Image.Image) -> Image.Image:
    """RGB in sRGB, transparency flattened on white; the colour profile is used, then dropped.

    iPhones shoot in Display P3: dropping the profile without converting would
    make every photo look faded.
    """
    profile = image.info.get("icc_profile")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, (255, 255, 255))
        image.paste(rgba, mask=rgba.getchannel("A"))
    elif image.mode not in ("RGB", "CMYK"):
        image = image.convert("RGB")
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(BytesIO(profile))
            image = ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # a broken or mismatched profile: keep the colours as they are
    return image.convert("RGB") if image.mode != "RGB" else image


def _bounded(image: Image.Image, edge: int) -> Image.Image:
    """A copy whose longer side is at most ``edge`` pixels (never enlarged)."""
    copy = image.copy()
    copy.thumbnail((edge, edge), Image.Resampling.LANCZOS)
    return copy


def _encode(image: Image.Image, file_format: str, **options) -> bytes:
    # Encoders write only what they are given: no exif, xmp, icc_profile or comment here.
    image.info = {}
    buffer = BytesIO()
    image.save(buffer, file_format, **options)
    return buffer.getvalue()
