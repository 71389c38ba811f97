"""Turn an upload from a phone into a clean, bounded photo and its thumbnail.

Nothing of the uploaded file survives except its pixels: the file is decoded
(proving it is an image of an accepted format), turned upright by its EXIF
orientation, converted to sRGB, shrunk, and encoded afresh without any
metadata (GPS position, camera, time, comments). The stored name is a random
key, never the uploader's file name. The pixel work (pixels.py) runs in a child
process with bounded memory (decoder.py); this module keeps the files and rows.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from komoro_engage.accounts.models import User
from komoro_engage.extensions import db
from komoro_engage.media import storage
from komoro_engage.media.decoder import DecoderBusy, process_in_child
from komoro_engage.media.models import Photo
from komoro_engage.media.pixels import LONG_EDGE, MAX_PIXELS, THUMB_EDGE, Processed, Refused

__all__ = ["LONG_EDGE", "MAX_PIXELS", "THUMB_EDGE", "ImageRejected", "delete_photo",
           "photo_file", "store_photo", "too_large_message"]

CONTENT_TYPE = "image/jpeg"  # the full image: opens anywhere, including link previews
THUMB_CONTENT_TYPE = storage.THUMB_CONTENT_TYPE


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
    processed = _processed(_read_bounded(upload))
    full_bytes, thumb_bytes = processed.full, processed.thumb
    photo = Photo(
        key=storage.new_key(),
        thumb_key=storage.new_key(),
        content_type=CONTENT_TYPE,
        width=processed.size[0],
        height=processed.size[1],
        byte_size=len(full_bytes),
        thumb_width=processed.thumb_size[0],
        thumb_height=processed.thumb_size[1],
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


def _processed(data: bytes) -> Processed:
    """The photo's pixel work, done in a child process; refusals in the user's language."""
    try:
        return process_in_child(data)
    except DecoderBusy as busy:
        raise ImageRejected(_("写真の処理が混み合っています。"
                              "少し待ってから、もう一度送ってください。")) from busy
    except Refused as refused:
        raise ImageRejected(_refusal_message(refused)) from refused


def _refusal_message(refused: Refused) -> str:
    if refused.reason == "format":
        return _("この形式のファイルは使えません。"
                 "JPEG・PNG・WebP・HEIC（iPhone）の写真を選んでください。")
    if refused.reason == "pixels":
        return _("写真の画素数が多すぎます（%(limit)s画素まで）。縮小してから選んでください。",
                 limit=f"{refused.limit or MAX_PIXELS:,}")
    if refused.reason == "animated":
        return _("動く画像（アニメーション）は使えません。写真を選んでください。")
    return _("写真を読み込めませんでした。ファイルが壊れている可能性があります。"
             "別の写真を選ぶか、撮り直してください。")
