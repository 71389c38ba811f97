"""Who a newsletter is for: the audience staff choose, as a select of user ids.

It lives in the staff console because a project's members are the projects feature's,
which notifications may not read; notifications/newsletters.py narrows the audience to
those who consented and does the sending.
"""

from __future__ import annotations

from sqlalchemy import Select, select

from komoro_engage.accounts.models import User
from komoro_engage.core.i18n import localized
from komoro_engage.extensions import db
from komoro_engage.notifications.follow_models import Follow, FollowTarget
from komoro_engage.notifications.newsletter_models import Audience, Newsletter
from komoro_engage.plan.models import District, PolicyArea
from komoro_engage.projects.models import MemberStatus, Project, ProjectMember, ProjectReview


def audience_of(newsletter: Newsletter) -> Select:
    """Ids of the people the newsletter's audience names (before consent is asked)."""
    ids = [int(value) for value in newsletter.audience_ids or []]
    match newsletter.audience:
        case Audience.DISTRICTS:
            return select(User.id).where(User.district_id.in_(ids))
        case Audience.POLICY_AREAS:
            return select(Follow.user_id).where(
                Follow.target_type == FollowTarget.POLICY_AREA, Follow.target_id.in_(ids),
                Follow.stopped_at.is_(None))
        case Audience.PROJECT:
            return select(ProjectMember.user_id).where(
                ProjectMember.project_id.in_(ids), ProjectMember.status == MemberStatus.JOINED)
    return select(User.id)


def district_choices() -> list[tuple[int, str]]:
    return [(d.id, localized(d, "name")) for d in db.session.scalars(
        select(District).order_by(District.sort_order, District.id))]


def policy_area_choices() -> list[tuple[int, str]]:
    return [(a.id, f"{a.number}. {localized(a, 'name')}") for a in db.session.scalars(
        select(PolicyArea).order_by(PolicyArea.number))]


def project_choices() -> list[tuple[int, str]]:
    """Public projects, newest first (a member list of a project under review is nobody's yet)."""
    return [(p.id, p.title) for p in db.session.scalars(
        select(Project).where(Project.review == ProjectReview.APPROVED)
        .order_by(Project.created_at.desc(), Project.id.desc()))]


def audience_names(newsletter: Newsletter) -> list[str]:
    """The names of the districts, policy areas or project the audience names."""
    options = {Audience.DISTRICTS: district_choices, Audience.POLICY_AREAS: policy_area_choices,
               Audience.PROJECT: project_choices}.get(newsletter.audience)
    if options is None:
        return []
    names = dict(options())
    return [names[i] for i in newsletter.audience_ids if i in names]
