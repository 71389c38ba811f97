"""A stored photo (metadata only; the pixels live in files under STORAGE_DIR), and the
link that puts one in an item's ordered photo list."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from komoro_engage.core import clock
from komoro_engage.extensions import db


class Photo(db.Model):
    """One uploaded picture, re-encoded, with its thumbnail.

    ``key`` and ``thumb_key`` are random tokens: they name the files and the
    URLs, so neither can be guessed nor derives from anything the uploader sent.
    Features link to photos (e.g. a proposal's photo list); a photo knows only
    who uploaded it.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    thumb_key: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(40))
    width: Mapped[int]
    height: Mapped[int]
    byte_size: Mapped[int]
    # The thumbnail's size, so pages can reserve its box (no layout shift on slow phones).
    thumb_width: Mapped[int]
    thumb_height: Mapped[int]
    uploader_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)


class PhotoLink:
    """Mixin for a link table putting a photo at a position in an item's photo list
    (a proposal's, a progress report's). The table adds the item's key, first in its
    primary key, and a unique (item, position)."""

    photo_id: Mapped[int] = mapped_column(
        ForeignKey("photo.id", ondelete="CASCADE"), primary_key=True, index=True)
    position: Mapped[int]

    @declared_attr
    def photo(cls) -> Mapped[Photo]:  # noqa: N805 - declared_attr takes the class
        return relationship(Photo)
