"""Progress reports' photos (media's access registry): public with their project; while
the project waits for staff review, only those who may see it (organisers, staff)."""

from __future__ import annotations

from sqlalchemy import select

from komoro_engage.accounts.models import User
from komoro_engage.extensions import db
from komoro_engage.media import access
from komoro_engage.media.access import Sight
from komoro_engage.media.models import Photo
from komoro_engage.projects.models import ProgressReport, Project, ReportPhoto
from komoro_engage.projects.permissions import can_view


def photo_sight(photo: Photo, user: User | None) -> Sight | None:
    """How ``user`` may see ``photo`` through the progress reports showing it; None if none do."""
    projects = db.session.scalars(
        select(Project).join(ProgressReport, ProgressReport.project_id == Project.id)
        .join(ReportPhoto, ReportPhoto.report_id == ProgressReport.id)
        .where(ReportPhoto.photo_id == photo.id).distinct()).all()
    if not projects:
        return None
    return max(Sight.PUBLIC if project.is_public
               else Sight.PRIVATE if can_view(user, project)
               else Sight.NONE
               for project in projects)


def register() -> None:
    access.register("progress_report", photo_sight)
