"""Organisers send a message to a project's members, waiting list and/or partners.

The message is stored (the archive on the project) and each recipient, once however many
of the chosen audiences they are in, is told through ``events.project_message_sent``: the
notifications package writes the bell row and queues the mail as each person's mail
settings say. The author is never a recipient of their own message. A form's one-time
``submission_key`` makes a double tap or a resubmitted form send nothing more, and a
project sends at most ``DAILY_LIMIT`` messages a Japan-time day.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import bindparam, func, select

from komoro_engage.accounts.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    User,
    UserStatus,
)
from komoro_engage.core import clock, events
from komoro_engage.core.audit import record_audit
from komoro_engage.core.request_facts import known
from komoro_engage.core.sql import insert_or_ignore
from komoro_engage.extensions import db
from komoro_engage.projects.message_models import Audience, ProjectMessage
from komoro_engage.projects.models import (
    MemberStatus,
    PartnerStatus,
    Project,
    ProjectMember,
    ProjectPartner,
)

DAILY_LIMIT = 5


class DailyLimitReached(Exception):
    """The project has sent ``DAILY_LIMIT`` messages today already."""


@dataclass
class MessageData:
    audiences: list[str]
    subject: str
    body: str
    submission_key: str


def _people_of(project_id, audience: Audience):
    """The ids of an audience's people: ``project_id`` a value or a bound parameter."""
    if audience == Audience.PARTNERS:
        return (select(Membership.user_id).join(
            ProjectPartner, ProjectPartner.organisation_id == Membership.organisation_id)
            .where(ProjectPartner.project_id == project_id,
                   ProjectPartner.status == PartnerStatus.ACCEPTED,
                   Membership.role == MembershipRole.MANAGER,
                   Membership.status == MembershipStatus.ACTIVE))
    status = MemberStatus.JOINED if audience == Audience.MEMBERS else MemberStatus.WAITING
    return select(ProjectMember.user_id).where(ProjectMember.project_id == project_id,
                                               ProjectMember.status == status)


def partner_manager_key(project_id: int, user_id: int) -> tuple:
    """Whether the person manages an accepted partner of the project, as the project
    page's statement reads it (projects/reader.py)."""
    return ("partner_manager", project_id, user_id)


def partner_managers(project_id):
    """The ids of the managers of ``project_id``'s accepted partners (a value, a bound
    parameter or a column)."""
    return _people_of(project_id, Audience.PARTNERS)


@functools.cache
def _partner_manager_statement():
    """Whether a person manages an accepted partner of a project: built once, for the
    project page asks it of every signed-in reader (issue 16)."""
    return (_people_of(bindparam("project_id"), Audience.PARTNERS)
            .where(Membership.user_id == bindparam("user_id")).limit(1))


def recipients(project: Project, audiences: Iterable[str], author: User) -> list[User]:
    """The active people of the chosen audiences, each once, without the author."""
    chosen = [Audience(value) for value in audiences]
    if not chosen:
        return []
    ids = select(User.id).where(
        User.id.in_(_people_of(project.id, chosen[0]).union(
            *[_people_of(project.id, a) for a in chosen[1:]]).scalar_subquery()))
    return list(db.session.scalars(select(User).where(
        User.id.in_(ids), User.id != author.id, User.status == UserStatus.ACTIVE)
        .order_by(User.id)))


def _today_start() -> datetime:
    return clock.start_of_japan_day(clock.japan_today())


def sent_today(project: Project) -> int:
    """Messages the project sent since midnight, Japan time (counted in the database)."""
    start = _today_start()
    return db.session.scalar(select(func.count()).select_from(ProjectMessage).where(
        ProjectMessage.project_id == project.id, ProjectMessage.created_at >= start,
        ProjectMessage.created_at < start + timedelta(days=1)))


def sent_with_key(key: str) -> ProjectMessage | None:
    return db.session.scalar(select(ProjectMessage).where(ProjectMessage.submission_key == key))


def send_message(author: User, project: Project, data: MessageData) -> tuple[ProjectMessage, bool]:
    """Store and send the message; (message, False) when this key was sent already.

    Raises :class:`DailyLimitReached` when the project has sent its messages for today.
    """
    earlier = sent_with_key(data.submission_key)
    if earlier is not None:
        return earlier, False
    # Lock the project row (PostgreSQL; SQLite writes one at a time) so two sends at once
    # cannot both pass the daily count.
    db.session.execute(select(Project.id).where(Project.id == project.id).with_for_update())
    if sent_today(project) >= DAILY_LIMIT:
        raise DailyLimitReached
    audiences = [a.value for a in Audience if a.value in set(data.audiences)]
    people = recipients(project, audiences, author)
    inserted = db.session.execute(
        insert_or_ignore(ProjectMessage).values(
            project_id=project.id, author_id=author.id, audiences=",".join(audiences),
            subject=data.subject.strip(), body=data.body.strip(), recipient_count=len(people),
            submission_key=data.submission_key, created_at=clock.now())
        .on_conflict_do_nothing(index_elements=["submission_key"])
        .returning(ProjectMessage.id)
    ).first()
    if inserted is None:  # the same form, sent twice at once: the other request sent it
        return sent_with_key(data.submission_key), False
    message = db.session.get(ProjectMessage, inserted[0])
    record_audit(author, "project.message_sent", project,
                 after={"message_id": message.id, "audiences": audiences,
                        "recipients": len(people)})
    events.project_message_sent.send(
        message, actor=author, project_title=project.title, people=people,
        url=current_app.url_map.bind("").build("projects.message_detail",
                                               {"message_id": message.id}))
    return message, True


def messages_of(project: Project, audiences: Iterable[str] | None = None) -> list[ProjectMessage]:
    """The archive, newest first; only messages to one of ``audiences`` when given (a few
    a day at most: filtered here rather than by matching the stored list in SQL)."""
    rows = db.session.scalars(select(ProjectMessage).where(
        ProjectMessage.project_id == project.id)
        .order_by(ProjectMessage.created_at.desc(), ProjectMessage.id.desc()))
    if audiences is None:
        return list(rows)
    wanted = set(audiences)
    return [row for row in rows if wanted & set(row.audience_list)]


def audiences_of(user: User | None, project: Project, member_status=...) -> list[str]:
    """The audiences ``user`` belongs to in ``project`` (what they may read in the archive).

    ``member_status``: their membership's status when the caller has read it already (None:
    not a member), so the project page does not ask twice."""
    if user is None or not user.is_authenticated:
        return []
    found = []
    status = member_status if member_status is not ... else db.session.scalar(
        select(ProjectMember.status).where(ProjectMember.project_id == project.id,
                                           ProjectMember.user_id == user.id))
    if status == MemberStatus.JOINED:
        found.append(Audience.MEMBERS.value)
    elif status == MemberStatus.WAITING:
        found.append(Audience.WAITING.value)
    if known(partner_manager_key(project.id, user.id), lambda: db.session.scalar(
            _partner_manager_statement(),
            {"project_id": project.id, "user_id": user.id}) is not None):
        found.append(Audience.PARTNERS.value)
    return found
