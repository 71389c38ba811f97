"""A person's photos when they delete their account and remove their posts.

Features delete the photos of the items they remove (a proposal's, a report's);
this handler runs after them and deletes whatever else the person uploaded, so no
picture of theirs stays on disk. Kept posts keep their photos.
"""

from __future__ import annotations

from sqlalchemy import select

from komoro_engage.accounts.erasure import register_post_handler
from komoro_engage.accounts.models import User
from komoro_engage.extensions import db
from komoro_engage.media.models import Photo
from komoro_engage.media.services import delete_photo

# After the features' handlers: they unlink their photos before the rows go.
AFTER_FEATURES = 90


def erase_photos(user: User, remove: bool) -> list[str]:
    """Delete every photo ``user`` uploaded (rows now, files at commit) if they remove posts."""
    if remove:
        for photo in db.session.scalars(select(Photo).where(Photo.uploader_id == user.id)):
            delete_photo(photo)
    return []


def register() -> None:
    register_post_handler(erase_photos, order=AFTER_FEATURES)
