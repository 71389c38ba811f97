"""Published 協働 projects may be followed (core/follows.py): their titles and pages."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select

from komoro_engage.core.follows import (
    FollowedItem,
    item_path,
    plan_scopes,
    register_followable,
    register_scopes,
)
from komoro_engage.extensions import db
from komoro_engage.projects.models import Project, ProjectReview


def followable_projects(ids: Collection[int]) -> dict[int, FollowedItem]:
    """Only projects staff published (a project under review is not public)."""
    rows = db.session.execute(select(Project.id, Project.title).where(
        Project.id.in_(list(ids)), Project.review == ProjectReview.APPROVED))
    return {i: FollowedItem(title, item_path("projects.detail", project_id=i))
            for i, title in rows}


def project_scopes(project_id: int) -> list[tuple[str, int]]:
    """Its district, policy areas and measures: their followers hear of it too."""
    return plan_scopes(db.session.get(Project, project_id))


def register() -> None:
    register_followable("project", followable_projects)
    register_scopes("project", project_scopes)
