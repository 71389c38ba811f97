"""The project page's project, with what it needs to know of its signed-in reader.

After loading the project, the page asked four statements about its reader: do they
manage the lead organisation, are they a member (or waiting), do they manage a
partner, which activity days did they say they come to. On PostgreSQL each is a round
trip (issue 16). On a read request they ride on the project's own statement (a join
and three subqueries on indexed columns) and are kept for the request under the keys
their modules name (``core/request_facts.known``), where the permission and membership
functions find them. A request that writes loads the project alone: each question is
asked when needed, after its writes, as before.
"""

from __future__ import annotations

import functools

from sqlalchemy import and_, bindparam, exists, select

from komoro_engage.accounts.models import Membership
from komoro_engage.core.request_facts import READER_ID, keep_answers, reader_id
from komoro_engage.core.sql import ids_in, joined_ids, one_row_or_404
from komoro_engage.projects import queries
from komoro_engage.projects.activity_queries import rsvped_key
from komoro_engage.projects.membership import member_key
from komoro_engage.projects.messages import partner_manager_key, partner_managers
from komoro_engage.projects.models import ActivityDay, Project, ProjectMember, Rsvp
from komoro_engage.projects.permissions import manager_key, manages_organisation


@functools.cache
def _with_reader():
    """Built once, at first use (its loader options need every mapper configured)."""
    reader = bindparam(READER_ID)
    rsvped = joined_ids(Rsvp.activity_day_id, Rsvp.user_id == reader, exists().where(
        ActivityDay.id == Rsvp.activity_day_id, ActivityDay.project_id == Project.id))
    return (select(Project, ProjectMember,
                   manages_organisation(Project.lead_organisation_id, reader).label("manages"),
                   exists(partner_managers(Project.id).where(Membership.user_id == reader))
                   .label("partner_manager"),
                   rsvped.label("rsvped"))
            .outerjoin(ProjectMember, and_(ProjectMember.project_id == Project.id,
                                           ProjectMember.user_id == reader))
            .where(Project.id == bindparam("project_id")).options(*queries.PAGE_OPTIONS))


def project_page(project_id: int) -> Project:
    """The project with what its page shows of it (``queries.PAGE_OPTIONS``), or 404 (the
    caller asks ``permissions.can_view``); with its reader's facts on a read request."""
    reader = reader_id()
    if reader is None:
        return queries.project_detail(project_id, queries.PAGE_OPTIONS)
    row = one_row_or_404(_with_reader(), {"project_id": project_id, READER_ID: reader})
    project, member = row.Project, row.ProjectMember
    answers = {
        member_key(project.id, reader): member,
        partner_manager_key(project.id, reader): bool(row.partner_manager),
        rsvped_key(project.id, reader): set(ids_in(row.rsvped)),
    }
    if project.lead_organisation_id is not None:
        answers[manager_key(project.lead_organisation_id, reader)] = bool(row.manages)
    keep_answers(answers)
    return project
