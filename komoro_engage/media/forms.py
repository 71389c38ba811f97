"""Form pieces for photo uploads, for any feature's form.

Usage in a feature's form (``core.forms.KomoroForm``)::

    photos = MultipleFileField(_l("写真（4枚まで）"), validators=[PhotoFiles(max_files=4)],
                               render_kw=PHOTO_INPUT_ATTRS)

and in the view, after ``validate_on_submit``::

    photos = store_uploads(form.photos, current_user)
    if photos is None:   # a file was refused: its message is on the field
        return render(..., form=form, status=422)   # re-render, text kept

The validator checks what can be checked without decoding (count, size);
``store_photo`` decodes and has the last word.
"""

from __future__ import annotations

import os

from flask import current_app
from flask_babel import gettext, ngettext
from werkzeug.datastructures import FileStorage
from wtforms import Field
from wtforms.validators import StopValidation

from komoro_engage.extensions import db
from komoro_engage.media.models import Photo
from komoro_engage.media.services import ImageRejected, store_photo, too_large_message

# "image/*" lets phones offer the camera and the photo library; the server
# decides what it accepts. A narrower list makes some Android pickers fall
# back to a file browser.
PHOTO_INPUT_ATTRS = {"accept": "image/*"}


def chosen_files(field: Field) -> list[FileStorage]:
    """The files actually chosen: browsers send an empty part when none is."""
    return [
        item for item in (field.data or [])
        if isinstance(item, FileStorage) and item.filename
    ]


def upload_size(upload: FileStorage) -> int:
    """Size in bytes of an upload, read from its stream without consuming it."""
    stream = upload.stream
    position = stream.tell()
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(position)
    return size


class PhotoFiles:
    """At most ``max_files`` files, each within ``MAX_PHOTO_BYTES``."""

    def __init__(self, max_files: int = 4):
        self.max_files = max_files

    def __call__(self, form, field: Field) -> None:
        files = chosen_files(field)
        if len(files) > self.max_files:
            raise StopValidation(
                ngettext("写真は%(num)d枚までです。選び直してください。",
                         "写真は%(num)d枚までです。選び直してください。", self.max_files)
            )
        limit = current_app.config["MAX_PHOTO_BYTES"]
        if any(upload_size(upload) > limit for upload in files):
            raise StopValidation(too_large_message())


def store_uploads(field: Field, uploader) -> list[Photo] | None:
    """Store the files chosen in ``field``; None (nothing kept) when one is refused.

    Each refusal is added to the field's errors with the file's name. The
    session is rolled back then, so files written for the other photos go too.
    """
    stored = []
    for upload in chosen_files(field):
        try:
            stored.append(store_photo(upload, uploader))
        except ImageRejected as rejected:
            field.errors = [*field.errors, gettext("%(name)s: %(message)s",
                                                   name=upload.filename,
                                                   message=rejected.message)]
    if field.errors:
        db.session.rollback()
        return None
    return stored
