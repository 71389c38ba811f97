"""Progress reports' photos (media's access registry): every project is public from the
start, and so are its reports and their photos."""

from __future__ import annotations

from sqlalchemy import select

from komoro_engage.accounts.models import User
from komoro_engage.extensions import db
from komoro_engage.media import access
from komoro_engage.media.access import Sight
from komoro_engage.media.models import Photo
from komoro_engage.projects.models import ReportPhoto


def photo_sight(photo: Photo, user: User | None) -> Sight | None:
    """Public when a progress report shows ``photo``; None when none does."""
    linked = db.session.scalar(select(ReportPhoto.report_id).where(
        ReportPhoto.photo_id == photo.id).limit(1))
    return Sight.PUBLIC if linked is not None else None


def register() -> None:
    access.register("progress_report", photo_sight)
