"""Serve stored photos: by random key only, as inert images, to those who may see them.

A photo on a public page is cached by anyone for a year; one of a proposal that is not
public (a draft, pending, hidden) answers 404 to others and ``private, no-store`` to its
author and staff (``media/access.py``)."""

from __future__ import annotations

import re

from flask import abort, send_file
from flask_login import current_user
from sqlalchemy import select

from komoro_engage.extensions import db
from komoro_engage.media.access import Sight, sight
from komoro_engage.media.models import Photo
from komoro_engage.media.services import photo_file

KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
ONE_YEAR = 365 * 24 * 3600
# Opened on its own, an image gets no scripts, no plugins, no same-origin rights.
MEDIA_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def photo(key: str):
    """The photo itself (JPEG, at most 2048 px on its long side)."""
    return _send(*_photo_or_404(key), thumbnail=False)


def thumbnail(key: str):
    """The photo's thumbnail (WebP, at most 480 px on its long side)."""
    return _send(*_photo_or_404(key), thumbnail=True)


def _photo_or_404(key: str) -> tuple[Photo, Sight]:
    if not KEY.fullmatch(key):
        abort(404)
    found = db.session.scalar(select(Photo).where(Photo.key == key))
    seen = sight(found, current_user) if found is not None else Sight.NONE
    if seen == Sight.NONE:
        abort(404)
    return found, seen


def _send(found: Photo, seen: Sight, thumbnail: bool):
    path, content_type = photo_file(found, thumbnail=thumbnail)
    if not path.is_file():
        abort(404)
    extension = path.suffix
    response = send_file(
        path,
        mimetype=content_type,
        as_attachment=False,
        download_name=f"komoro-photo-{found.id}{'-thumb' if thumbnail else ''}{extension}",
        conditional=True,
        etag=True,
        max_age=ONE_YEAR if seen == Sight.PUBLIC else None,
    )
    if seen == Sight.PUBLIC:
        # The bytes behind a key never change: a new photo gets a new key.
        response.cache_control.immutable = True
    else:
        response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = MEDIA_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
