"""Build projects for tests (inside an app context; rows are flushed, not committed)."""

from __future__ import annotations

import itertools

from komoro_engage.accounts.models import Role, User
from komoro_engage.projects.models import Project, ProjectReview, ProjectStatus
from komoro_engage.projects.services import ProjectData, change_status, create_project
from tests.factories import make_user
from tests.proposals.helpers import area

_numbers = itertools.count(1)

# The actions that bring a new project to each status.
PATH_TO = {
    ProjectStatus.PLANNING: (),
    ProjectStatus.RECRUITING: ("open_recruiting",),
    ProjectStatus.ACTIVE: ("open_recruiting", "start"),
    ProjectStatus.COMPLETED: ("open_recruiting", "start", "complete"),
    ProjectStatus.CANCELLED: ("cancel",),
}


def make_project(lead: User | None = None, status: ProjectStatus = ProjectStatus.RECRUITING,
                 capacity: int | None = None, organisation=None, measure_ids=(),
                 review: ProjectReview = ProjectReview.APPROVED, **fields) -> Project:
    """A project led by ``lead`` (or ``organisation``) walked to ``status``.

    It is public (``review``) whoever made it, as if staff had approved it: tests of
    review itself (tests/projects/test_project_review.py) create through the service."""
    lead = lead or make_user()
    data = ProjectData(
        title=fields.pop("title", f"千曲川の河川敷をきれいにする会{next(_numbers)}"),
        summary=fields.pop("summary", "月に一度、みんなで河川敷のごみを拾います。"),
        description="軍手とごみ袋は用意します。",
        lead_user_id=None if organisation else lead.id,
        lead_organisation_id=organisation.id if organisation else None,
        capacity=capacity, help_wanted="当日スタッフ\n物品提供",
        measure_ids=list(measure_ids), policy_area_ids=[area(1).id],
        district_id=fields.pop("district_id", None), point=fields.pop("point", None),
        landmark_id=fields.pop("landmark_id", None))
    creator = fields.pop("creator", None) or lead
    project = create_project(creator, data)
    project.review = ProjectReview.APPROVED  # walked along the lifecycle as a public project
    for action in PATH_TO[status]:
        change_status(creator, project, action)
    project.review = review
    return project


def staff_user() -> User:
    return make_user(Role.STAFF)
